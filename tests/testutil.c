/* testutil.c - shared helpers for the CUnit test programs. */
#include "testutil.h"

#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repro/fri_lp.h"
#include "repro/fri_ws.h"
#include "repro/model.h"

int repro_test_run(const char *suite, CU_TestInfo *tests)
{
    CU_SuiteInfo suites[] = {{suite, NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    if (CU_register_suites(suites) != CUE_SUCCESS) {
        CU_cleanup_registry();
        return 2;
    }
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    unsigned ran = CU_get_number_of_tests_run();
    CU_cleanup_registry();
    return (failed || ran == 0) ? 1 : 0;
}

repro_dataset *repro_test_data(const char *spec, unsigned long long seed)
{
    repro_gen_spec s;
    repro_error err;
    repro_rng rng;
    repro_dataset *ds = NULL;
    repro_rng_seed(&rng, seed, 7);
    if (repro_gen_spec_parse(spec, &s, &err) || repro_generate(&rng, &s, &ds, &err)) {
        fprintf(stderr, "test data '%s': %s\n", spec, err.msg);
        exit(2);
    }
    return ds;
}

int repro_test_fri_full_lp(const struct repro_fri_lp *lp, const unsigned char *basis, double l1max,
                           double lossmax, size_t j, int kind, double *value)
{
    repro_error err;
    double *obj = calloc((size_t)lp->ncols, sizeof *obj);
    if (kind == REPRO_FRI_LOWER) {
        obj[REPRO_FRI_WPOS(lp, j)] = obj[REPRO_FRI_WNEG(lp, j)] = 1.0;
    } else {
        obj[REPRO_FRI_WPOS(lp, j)] = -kind;
        obj[REPRO_FRI_WNEG(lp, j)] = kind;
    }
    repro_fri_solver *s = repro_fri_solver_new(lp, obj, &err);
    repro_fri_solver_set_limits(s, l1max, lossmax);
    repro_fri_solver_set_basis(s, basis);
    int rc = repro_fri_solver_solve(s, REPRO_FRI_PRIMAL);
    double v = repro_fri_solver_objective(s);
    *value = kind == REPRO_FRI_LOWER ? v : -v;
    repro_fri_solver_free(s);
    free(obj);
    return rc;
}

void repro_test_assert_same_fit(const repro_fit_result *a, const repro_fit_result *b, int what)
{
    CU_ASSERT_EQUAL_FATAL(a->d, b->d);
    CU_ASSERT(memcmp(a->relevance, b->relevance, a->d * sizeof *a->relevance) == 0);
    if (what & REPRO_TEST_SAME_IMPORTANCE) {
        CU_ASSERT_PTR_NOT_NULL_FATAL(a->importance);
        CU_ASSERT_PTR_NOT_NULL_FATAL(b->importance);
        CU_ASSERT(memcmp(a->importance, b->importance, a->d * sizeof *a->importance) == 0);
    }
    if (what & REPRO_TEST_SAME_BOUNDS) {
        CU_ASSERT_PTR_NOT_NULL_FATAL(a->bounds);
        CU_ASSERT_PTR_NOT_NULL_FATAL(b->bounds);
        CU_ASSERT(memcmp(a->bounds, b->bounds, 2 * a->d * sizeof *a->bounds) == 0);
    }
    CU_ASSERT(memcmp(&a->train_score, &b->train_score, sizeof a->train_score) == 0);
    CU_ASSERT_EQUAL_FATAL(a->n_extras, b->n_extras);
    for (size_t k = 0; k < a->n_extras; k++) {
        CU_ASSERT_STRING_EQUAL(a->extras[k].name, b->extras[k].name);
        CU_ASSERT_EQUAL_FATAL(a->extras[k].len, b->extras[k].len);
        CU_ASSERT(memcmp(a->extras[k].v, b->extras[k].v, a->extras[k].len * sizeof(double)) == 0);
    }
}

/* The L1-SVM solved directly with CLP, its outputs unpacked (see testutil.h). */
void repro_test_fri_init(const repro_dataset *ds, double C, double *w, double *b, double *L1,
                     double *loss, unsigned char **basis)
{
    repro_error err;
    repro_fri_lp lp;
    REPRO_ASSERT_OK(repro_fri_lp_build(ds->X, ds->y, ds->n, ds->d, NULL, ds->n, 0, NULL, &lp, &err),
                    &err);
    double *obj = malloc((size_t)lp.ncols * sizeof *obj);
    for (int c = 0; c < lp.ncols; c++)
        obj[c] = c < REPRO_FRI_B(&lp) ? 1.0 : c == REPRO_FRI_B(&lp) ? 0.0 : C;
    repro_fri_solver *s = repro_fri_solver_new(&lp, obj, &err);
    CU_ASSERT_EQUAL_FATAL(repro_fri_solver_solve(s, REPRO_FRI_DUAL), REPRO_FRI_LP_OPTIMAL);
    const double *x = repro_fri_solver_solution(s);
    *L1 = *loss = 0.0;
    for (size_t k = 0; k < ds->d; k++) {
        w[k] = x[REPRO_FRI_WPOS(&lp, k)] - x[REPRO_FRI_WNEG(&lp, k)];
        *L1 += x[REPRO_FRI_WPOS(&lp, k)] + x[REPRO_FRI_WNEG(&lp, k)];
    }
    for (size_t i = 0; i < ds->n; i++)
        *loss += x[REPRO_FRI_XI(&lp, i)];
    *b = x[REPRO_FRI_B(&lp)];
    *basis = malloc((size_t)(lp.ncols + lp.nrows));
    repro_fri_solver_get_basis(s, *basis);
    repro_fri_solver_free(s);
    free(obj);
    repro_fri_lp_free(&lp);
}
