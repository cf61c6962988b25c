/* gen.c - synthetic survival data for bench/surv: N rows of a cohort with 7 groups (regions),
 * times in whole days with exponential hazards depending on group, age, sex and a score, and
 * uniform administrative censoring. Deterministic for a given seed.
 * usage: gen N [SEED] > file.csv
 * columns: id,time,status,region,age,sex,score
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t state;

static double uniform(void) /* splitmix64 -> (0,1) */
{
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return ((double)(z >> 11) + 0.5) / 9007199254740992.0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: gen N [SEED]\n");
        return 1;
    }
    long n = strtol(argv[1], NULL, 10);
    state = argc > 2 ? strtoull(argv[2], NULL, 10) : 42;
    static const char *regions[7] = {"Bretagne", "Grand-Est", "Hauts-de-France", "Ile-de-France",
                                     "Nouvelle-Aquitaine", "Occitanie", "PACA"};
    static char buf[1 << 16];
    setvbuf(stdout, buf, _IOFBF, sizeof buf);
    printf("id,time,status,region,age,sex,score\n");
    for (long i = 1; i <= n; i++) {
        int g = (int)(uniform() * 7);
        int age = 40 + (int)(uniform() * 50);
        int sex = 1 + (uniform() < 0.45);
        double score = floor(uniform() * 1000) / 100; /* 0.00 .. 9.99 */
        double rate = 1.0 / 700 * exp(0.08 * g + 0.02 * (age - 65) - 0.2 * (sex - 1) + 0.05 * score);
        double t = -log(uniform()) / rate, c = 30 + uniform() * 3620;
        int status = t <= c;
        long days = (long)ceil(status ? t : c);
        printf("%ld,%ld,%d,%s,%d,%d,%.2f\n", i, days, status, regions[g], age, sex, score);
    }
    return 0;
}
