/* mentions.h - the vocabulary of a centre's mentions (docs/interfaces.md 2, centres.csv): the
 * cancer-treatment authorisation mentions of the June 2023 reform and the national clinical
 * networks, as ';'-separated lists.
 */
#ifndef PRONOSTIC_MENTIONS_H
#define PRONOSTIC_MENTIONS_H

#include <stddef.h>

typedef enum pn_mentions_kind {
    PN_MENTIONS_AUTHORISATIONS, /* SURG-A1..A7, SURG-B1..B5, SYST-A, SYST-B, RT-A, RT-B, and the
                                   paediatric SURG-C, SYST-C, RT-C */
    PN_MENTIONS_NETWORKS        /* FEM-NET, GLIOREC */
} pn_mentions_kind;

typedef enum pn_mention_fault {
    PN_MENTION_EMPTY = 1,  /* an empty item ("A;;B", a trailing ';') */
    PN_MENTION_TWICE,      /* an item given twice */
    PN_MENTION_UNKNOWN     /* an item outside the vocabulary */
} pn_mention_fault;

typedef struct pn_mention_problem {
    pn_mention_fault kind;
    size_t item;           /* 1-based position of the first faulty item */
} pn_mention_problem;

/* Check the list `s` (len bytes, not NUL-terminated). Returns 0 when every item is known and
 * given once, else -1 with the first problem in *problem. */
int pn_mentions_check(const char *s, size_t len, pn_mentions_kind kind,
                      pn_mention_problem *problem);

/* 1 when `item` (len bytes) is a mention of the vocabulary `kind`. */
int pn_mention_known(const char *item, size_t len, pn_mentions_kind kind);

/* The vocabulary in words, for messages ("SURG-A1..A7, SURG-B1..B5, ..."). Static storage. */
const char *pn_mentions_vocabulary(pn_mentions_kind kind);

#endif
