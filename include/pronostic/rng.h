/* rng.h - a small seeded pseudo-random generator (xoshiro256**) and the draws the project needs.
 *
 * Deterministic for a seed on every platform (64-bit integer arithmetic only, then IEEE doubles).
 * The state is a plain value the caller owns: no global state, so independent streams (one per
 * synthetic patient, say) are made with pn_rng_seed2(seed, stream). Not for cryptography.
 */
#ifndef PRONOSTIC_RNG_H
#define PRONOSTIC_RNG_H

#include <stddef.h>
#include <stdint.h>

typedef struct pn_rng {
    uint64_t s[4];
} pn_rng;

/* Seed from one 64-bit value (the state is expanded with splitmix64, never all zero). */
void pn_rng_seed(pn_rng *rng, uint64_t seed);
/* Seed stream number `stream` of `seed`: distinct, reproducible streams for one seed. */
void pn_rng_seed2(pn_rng *rng, uint64_t seed, uint64_t stream);
/* The next 64 random bits. */
uint64_t pn_rng_next(pn_rng *rng);
/* Uniform on [0, 1), 53 bits. */
double pn_rng_uniform(pn_rng *rng);
/* Uniform on (0, 1): never 0, for logarithms. */
double pn_rng_uniform_pos(pn_rng *rng);
/* Uniform integer in [0, n), without modulo bias; n > 0. */
uint64_t pn_rng_below(pn_rng *rng, uint64_t n);
/* Exponential with rate 1. */
double pn_rng_exp(pn_rng *rng);
/* Standard normal (Box-Muller, one value per call). */
double pn_rng_normal(pn_rng *rng);
/* Poisson with mean `mean` (>= 0; inversion, meant for small means, below about 30). */
unsigned pn_rng_poisson(pn_rng *rng, double mean);
/* 1 with probability p. */
int pn_rng_bernoulli(pn_rng *rng, double p);
/* Index drawn from `n` non-negative weights (need not sum to 1); n - 1 if all are zero. */
size_t pn_rng_pick(pn_rng *rng, const double *weights, size_t n);
/* Index i drawn with probability (cum[i] - cum[i-1]) / cum[n-1] from a cumulative array
 * (non-decreasing, cum[n-1] > 0), by binary search. */
size_t pn_rng_pick_cumulative(pn_rng *rng, const double *cum, size_t n);

#endif
