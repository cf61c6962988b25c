/* pn_test.h - a minimal test harness: tests registered in one list, each runnable alone.
 *
 * In a test file:  PN_TEST(name) { PN_CHECK(cond); PN_CHECK_NEAR(a, b, tol); }
 * and at the end:  PN_TEST_MAIN(PN_T(name), PN_T(other), ...)
 * Run `test_x` for all its tests or `test_x NAME` for one. Prints "N passed, N failed".
 */
#ifndef PN_TEST_H
#define PN_TEST_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int pn__test_failed;

#define PN_TEST(name) static void name(void)
#define PN_T(name) {#name, name}

#define PN_CHECK(cond)                                                                     \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);       \
            pn__test_failed = 1;                                                           \
        }                                                                                  \
    } while (0)

#define PN_CHECK_NEAR(a, b, tol)                                                           \
    do {                                                                                   \
        double pn__a = (a), pn__b = (b);                                                   \
        if (!(fabs(pn__a - pn__b) <= (tol)) && !(isnan(pn__a) && isnan(pn__b))) {         \
            fprintf(stderr, "%s:%d: %s = %.17g, expected %.17g (tol %g)\n", __FILE__,      \
                    __LINE__, #a, pn__a, pn__b, (double)(tol));                           \
            pn__test_failed = 1;                                                           \
        }                                                                                  \
    } while (0)

#define PN_CHECK_STR(a, b)                                                                 \
    do {                                                                                   \
        const char *pn__a = (a), *pn__b = (b);                                             \
        if (pn__a == NULL || strcmp(pn__a, pn__b) != 0) {                                  \
            fprintf(stderr, "%s:%d: %s = \"%s\", expected \"%s\"\n", __FILE__, __LINE__,   \
                    #a, pn__a ? pn__a : "(null)", pn__b);                                  \
            pn__test_failed = 1;                                                           \
        }                                                                                  \
    } while (0)

typedef struct pn__test_case {
    const char *name;
    void (*fn)(void);
} pn__test_case;

#define PN_TEST_MAIN(...)                                                                  \
    int main(int argc, char **argv)                                                        \
    {                                                                                      \
        static const pn__test_case cases[] = {__VA_ARGS__};                                \
        int passed = 0, failed = 0, ran = 0;                                               \
        for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {                        \
            if (argc > 1 && strcmp(argv[1], cases[i].name) != 0) continue;                \
            pn__test_failed = 0;                                                           \
            cases[i].fn();                                                                 \
            ran++;                                                                         \
            if (pn__test_failed) {                                                         \
                failed++;                                                                  \
                fprintf(stderr, "FAIL %s\n", cases[i].name);                               \
            } else {                                                                       \
                passed++;                                                                  \
            }                                                                              \
        }                                                                                  \
        if (argc > 1 && ran == 0) {                                                        \
            fprintf(stderr, "no test named %s\n", argv[1]);                                \
            return 2;                                                                      \
        }                                                                                  \
        printf("%d passed, %d failed\n", passed, failed);                                  \
        return failed ? 1 : 0;                                                             \
    }

#endif
