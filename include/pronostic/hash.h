/* hash.h - the one mixer of 64-bit keys (MurmurHash3's finaliser, fmix64) for the hash tables of
 * the program that key on numbers: times and group codes (the survival aggregate, the classes
 * of tied times), combinations of level codes. Strings are hashed by the string set (strset.h).
 */
#ifndef PRONOSTIC_HASH_H
#define PRONOSTIC_HASH_H

#include <stdint.h>

/* The golden-ratio constant 2^64 / phi, to spread a second key before it is combined. */
#define PN_HASH_GOLDEN 0x9e3779b97f4a7c15ULL

/* A 64-bit key mixed so that every input bit affects every output bit: take the low bits for
 * a power-of-two table. */
static inline uint64_t pn_hash_mix64(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

#endif
