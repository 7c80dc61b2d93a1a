/* testutil.h - shared helpers for the CUnit test programs. */
#ifndef REPRO_TESTUTIL_H
#define REPRO_TESTUTIL_H

#include <CUnit/CUnit.h>

#include "repro/data.h"

/* Runs one suite of tests (NULL-terminated CU_TestInfo array) with CUnit's
 * basic interface; returns the process exit code (0 when all passed). */
int repro_test_run(const char *suite, CU_TestInfo *tests);

/* A generated, standardized data set for tests; aborts the test program on
 * failure. spec is a generator SPEC string. */
repro_dataset *repro_test_data(const char *spec, unsigned long long seed);

/* The init L1-SVM at C on all samples of ds, solved directly with CLP:
 * weights w (d), intercept, L1, loss and its basis (allocated, ncols + nrows
 * bytes; free it). Fails the test if the LP is not solved. */
void repro_test_fri_init(const repro_dataset *ds, double C, double *w, double *b, double *L1, double *loss,
                         unsigned char **basis);

/* Solves one FRI bound LP (kind as in fri_ws.h: REPRO_FRI_LOWER or
 * REPRO_FRI_UPPER_*) of feature j on the full problem lp (every sample)
 * from basis, with the limits l1max and lossmax: the reference the
 * working-set solvers are compared with. Returns REPRO_FRI_LP_*. */
struct repro_fri_lp;
int repro_test_fri_full_lp(const struct repro_fri_lp *lp, const unsigned char *basis, double l1max,
                           double lossmax, size_t j, int kind, double *value);

/* Asserts two fit results are the same bits: relevance, training score,
 * every extra, and the importances and/or bounds when `what` asks for them
 * (both present and equal). */
#define REPRO_TEST_SAME_IMPORTANCE 1
#define REPRO_TEST_SAME_BOUNDS 2
struct repro_fit_result;
void repro_test_assert_same_fit(const struct repro_fit_result *a, const struct repro_fit_result *b, int what);

/* Asserts that a repro call returned REPRO_OK, printing the message if not. */
#define REPRO_ASSERT_OK(call, errp)                                                   \
    do {                                                                             \
        int rc_ = (call);                                                            \
        if (rc_ != 0)                                                                \
            fprintf(stderr, "%s:%d: %s -> %d: %s\n", __FILE__, __LINE__, #call, rc_, \
                    (errp)->msg);                                                    \
        CU_ASSERT_EQUAL_FATAL(rc_, 0);                                               \
    } while (0)

#endif
