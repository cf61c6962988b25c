/* rng.c - xoshiro256** (Blackman and Vigna, 2018) seeded by splitmix64, and derived draws. */
#include "pronostic/rng.h"

#include <math.h>

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void pn_rng_seed(pn_rng *rng, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++) rng->s[i] = splitmix64(&x);
    if ((rng->s[0] | rng->s[1] | rng->s[2] | rng->s[3]) == 0) rng->s[0] = 1;
}

void pn_rng_seed2(pn_rng *rng, uint64_t seed, uint64_t stream)
{
    /* Mix the stream number through splitmix64 first so that nearby streams of nearby seeds do
     * not share expanded states. */
    uint64_t x = stream ^ 0x6a09e667f3bcc909ULL;
    uint64_t h = splitmix64(&x);
    pn_rng_seed(rng, seed ^ h);
}

uint64_t pn_rng_next(pn_rng *rng)
{
    uint64_t *s = rng->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double pn_rng_uniform(pn_rng *rng)
{
    return (double)(pn_rng_next(rng) >> 11) * 0x1.0p-53;
}

double pn_rng_uniform_pos(pn_rng *rng)
{
    return ((double)(pn_rng_next(rng) >> 11) + 0.5) * 0x1.0p-53;
}

uint64_t pn_rng_below(pn_rng *rng, uint64_t n)
{
    /* Rejection of the top partial block: unbiased for every n. */
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do x = pn_rng_next(rng);
    while (x >= limit);
    return x % n;
}

double pn_rng_exp(pn_rng *rng)
{
    return -log(pn_rng_uniform_pos(rng));
}

double pn_rng_normal(pn_rng *rng)
{
    double u1 = pn_rng_uniform_pos(rng), u2 = pn_rng_uniform(rng);
    return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

unsigned pn_rng_poisson(pn_rng *rng, double mean)
{
    if (!(mean > 0)) return 0;
    double u = pn_rng_uniform(rng), p = exp(-mean), cum = p;
    unsigned k = 0;
    while (u >= cum && k < 1000) {
        k++;
        p *= mean / k;
        cum += p;
        if (p < 1e-300) break;
    }
    return k;
}

int pn_rng_bernoulli(pn_rng *rng, double p)
{
    return pn_rng_uniform(rng) < p;
}

size_t pn_rng_pick(pn_rng *rng, const double *weights, size_t n)
{
    double total = 0;
    for (size_t i = 0; i < n; i++) total += weights[i];
    if (!(total > 0)) return n - 1;
    double u = pn_rng_uniform(rng) * total;
    for (size_t i = 0; i < n; i++) {
        if (u < weights[i]) return i;
        u -= weights[i];
    }
    for (size_t i = n; i-- > 0;)
        if (weights[i] > 0) return i;
    return n - 1;
}

size_t pn_rng_pick_cumulative(pn_rng *rng, const double *cum, size_t n)
{
    double u = pn_rng_uniform(rng) * cum[n - 1];
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (u < cum[mid]) hi = mid;
        else lo = mid + 1;
    }
    return lo;
}
