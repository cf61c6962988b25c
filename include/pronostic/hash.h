/* hash.h - the one mixer of 64-bit keys (MurmurHash3's finaliser, fmix64) for the hash tables of
 * the program that key on numbers: times and group codes (the survival aggregate, the classes
 * of tied times), combinations of level codes; and FNV-1a for strings (the string set, strset.h).
 */
#ifndef PRONOSTIC_HASH_H
#define PRONOSTIC_HASH_H

#include <stddef.h>
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

/* FNV-1a of `len` bytes: the hash of strings (the string set's, the server's cache keys). */
static inline uint64_t pn_hash_bytes(const void *data, size_t len)
{
    const unsigned char *s = (const unsigned char *)data;
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) h = (h ^ s[i]) * 1099511628211ULL;
    return h;
}

#endif
