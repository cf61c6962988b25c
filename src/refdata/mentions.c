/* mentions.c - the closed vocabulary of authorisation mentions and the national networks
 * (docs/interfaces.md 2), and the check of a ';'-separated list of them. */
#include "pronostic/mentions.h"

#include <string.h>

static const char *const authorisations[] = {
    "SURG-A1", "SURG-A2", "SURG-A3", "SURG-A4", "SURG-A5", "SURG-A6", "SURG-A7",
    "SURG-B1", "SURG-B2", "SURG-B3", "SURG-B4", "SURG-B5", "SURG-C",
    "SYST-A", "SYST-B", "SYST-C", "RT-A", "RT-B", "RT-C", NULL,
};
static const char *const networks[] = {"FEM-NET", "GLIOREC", NULL};

int pn_mention_known(const char *item, size_t len, pn_mentions_kind kind)
{
    const char *const *v = kind == PN_MENTIONS_AUTHORISATIONS ? authorisations : networks;
    for (; *v; v++)
        if (strlen(*v) == len && memcmp(*v, item, len) == 0) return 1;
    return 0;
}

const char *pn_mentions_vocabulary(pn_mentions_kind kind)
{
    return kind == PN_MENTIONS_AUTHORISATIONS
        ? "SURG-A1..A7, SURG-B1..B5, SYST-A, SYST-B, RT-A, RT-B, and SURG-C, SYST-C, RT-C for "
          "paediatrics"
        : "FEM-NET, GLIOREC";
}

/* The item starting at *pos (up to the next ';' or the end); moves *pos past it. Returns 0 when
 * the list is exhausted. */
static int next_item(const char *s, size_t len, size_t *pos, const char **item, size_t *n)
{
    if (*pos > len) return 0;
    size_t e = *pos;
    while (e < len && s[e] != ';') e++;
    *item = s + *pos;
    *n = e - *pos;
    *pos = e + 1;
    return 1;
}

/* 1 when the list before byte `end` holds the item `it` (n bytes). */
static int seen_before(const char *s, size_t end, const char *it, size_t n)
{
    size_t pos = 0, m;
    const char *other;
    while (pos < end && next_item(s, end - 1, &pos, &other, &m))
        if (m == n && memcmp(other, it, n) == 0) return 1;
    return 0;
}

int pn_mentions_check(const char *s, size_t len, pn_mentions_kind kind,
                      pn_mention_problem *problem)
{
    size_t pos = 0, n, item = 0;
    const char *it;
    pn_mention_problem first = {0, 0};
    while (next_item(s, len, &pos, &it, &n)) {
        item++;
        pn_mention_fault f = 0;
        if (n == 0) f = PN_MENTION_EMPTY;
        else if (seen_before(s, (size_t)(it - s), it, n)) f = PN_MENTION_TWICE;
        else if (!pn_mention_known(it, n, kind)) f = PN_MENTION_UNKNOWN;
        /* the structural faults (empty, twice) come first: they are always errors */
        if (f && (first.kind == 0 || (first.kind == PN_MENTION_UNKNOWN && f != PN_MENTION_UNKNOWN))) {
            first.kind = f;
            first.item = item;
        }
    }
    if (first.kind == 0) return 0;
    *problem = first;
    return -1;
}
