/* test_sq_split.c - SQ split into tasks (model.h's repro_model_split,
 * sq_stage.h) gives the same bits as the one-process fit, for any number of
 * tasks per stage, and its tasks may run in any order. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "repro/model.h"
#include "repro/sq_stage.h"
#include "repro/squamish.h"
#include "testutil.h"

/* SQ's parameters, with `n_resampling` resamples and `n_trees` trees. */
static void sq_params(repro_params *p, const char *n_resampling, const char *n_trees)
{
    const repro_model_type *sq = repro_model_find("SQ");
    CU_ASSERT_PTR_NOT_NULL_FATAL(sq);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sq->split);
    repro_params_defaults(sq, p);
    repro_error err;
    REPRO_ASSERT_OK(repro_params_set(p, "n_resampling", n_resampling, &err), &err);
    REPRO_ASSERT_OK(repro_params_set(p, "n_trees", n_trees, &err), &err);
}

/* Asserts two fit results are the same bits: classes, score, importances
 * and every extra (both intervals, AR, MR). */
static void assert_same(const repro_fit_result *a, const repro_fit_result *b)
{
    repro_test_assert_same_fit(a, b, REPRO_TEST_SAME_IMPORTANCE);
}

/* Number of step 5's tests a result implies (|MR| when |AR u MR| > 1). */
static size_t n_tests(const repro_fit_result *r)
{
    size_t nu = 0;
    for (size_t j = 0; j < r->d; j++)
        nu += r->relevance[j] > 0;
    const repro_extra *mr = repro_fit_result_find(r, "MR");
    CU_ASSERT_PTR_NOT_NULL_FATAL(mr);
    return nu > 1 ? mr->len : 0;
}

/* The fit on `spec` through fit(), then split with 1, 2, 3, 7, the
 * model's default and 10000 tasks per stage: all the same bits. Returns
 * the number of permutation tests the fit ran (so callers can check the
 * case exercises step 5's stage). */
static size_t check_spec(const char *spec, unsigned long long seed, const char *n_resampling, const char *n_trees)
{
    repro_dataset *ds = repro_test_data(spec, seed);
    repro_params p;
    sq_params(&p, n_resampling, n_trees);
    const repro_model_type *sq = p.type;
    repro_rng rng0, rng;
    repro_rng_seed(&rng0, 500 + seed, 11);
    rng = rng0;
    repro_error err;
    repro_fit_result whole;
    REPRO_ASSERT_OK(sq->fit(ds, &p, &rng, 1, &whole, &err), &err);
    const size_t groupings[] = {1, 2, 3, 7, 0, 10000};
    for (size_t g = 0; g < sizeof groupings / sizeof groupings[0]; g++) {
        repro_fit_result split;
        REPRO_ASSERT_OK(repro_model_fit_split(sq, ds, &p, &rng0, 1 + (int)(g % 2), groupings[g], &split, &err),
                        &err);
        assert_same(&whole, &split);
        repro_fit_result_clear(&split);
    }
    size_t t = n_tests(&whole);
    repro_fit_result_clear(&whole);
    repro_dataset_free(ds);
    return t;
}

/* Linear data with strongly and weakly relevant features: several tests. */
static void test_linear(void)
{
    CU_ASSERT(check_spec("linear:n=120,strong=3,weak=2,irrelevant=3", 1, "12", "30") >= 2);
}

/* The published 50 resamples and 100 trees on a small set. */
static void test_linear_published(void)
{
    CU_ASSERT(check_spec("linear:n=100,strong=2,weak=2,irrelevant=2", 2, "50", "100") >= 2);
}

static void test_nonlinear(void)
{
    check_spec("nonlinear:n=150,strong=2,weak=3,irrelevant=3,noise=0.1", 3, "9", "25");
}

/* Boruta accepting nothing fails the split fit as the whole fit: the same
 * code and message. Pure noise with few iterations decides nothing. */
static void test_boruta_none(void)
{
    repro_dataset *ds = repro_test_data("linear:n=60,strong=1,weak=0,irrelevant=3,noise=0.5", 4);
    for (size_t i = 0; i < ds->n; i++)
        ds->y[i] = (i * 7919) % 13 < 6 ? 1 : -1; /* labels unrelated to X */
    repro_params p;
    sq_params(&p, "5", "10");
    repro_error err, err2;
    REPRO_ASSERT_OK(repro_params_set(&p, "max_iter", "3", &err), &err);
    repro_rng rng0, rng;
    repro_rng_seed(&rng0, 9, 9);
    rng = rng0;
    repro_fit_result whole, split;
    int rc = p.type->fit(ds, &p, &rng, 1, &whole, &err);
    CU_ASSERT_EQUAL(rc, REPRO_EFAIL);
    int rc2 = repro_model_fit_split(p.type, ds, &p, &rng0, 1, 3, &split, &err2);
    CU_ASSERT_EQUAL(rc2, REPRO_EFAIL);
    CU_ASSERT_STRING_EQUAL(err.msg, err2.msg);
    repro_dataset_free(ds);
}

/* Runs one stage's tasks in reverse order (each output kept by its index):
 * no task depends on another having run. */
static int run_stage_reversed(const repro_model_type *t, const repro_dataset *ds, const repro_params *p,
                              const repro_rng *rng, void *state, size_t *n_tasks, repro_error *err)
{
    repro_split_stage st;
    int rc = t->split->next(state, &st, err);
    if (rc || st.n_tasks == 0) {
        *n_tasks = 0;
        return rc;
    }
    *n_tasks = st.n_tasks;
    for (size_t k = 0; k < st.n_tasks; k++)
        CU_ASSERT(st.cost[k] > 0.0);
    repro_blob *out = calloc(st.n_tasks, sizeof *out);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    for (size_t k = st.n_tasks; k-- > 0 && rc == REPRO_OK;)
        rc = t->split->run_task(ds, p, rng, st.id, st.input, st.input_len, k, 1, &out[k], err);
    if (rc == REPRO_OK)
        rc = t->split->merge(state, out, st.n_tasks, err);
    for (size_t k = 0; k < st.n_tasks; k++)
        free(out[k].data);
    free(out);
    return rc;
}

/* Tasks run in reverse order give the whole fit's bits; the stages are
 * Boruta (1 task), the 1 + n_resampling fits (4 per task for 13 fits with
 * max_tasks 4: 4 tasks), then the tests. */
static void test_reverse_order(void)
{
    repro_dataset *ds = repro_test_data("linear:n=120,strong=3,weak=2,irrelevant=3", 1);
    repro_params p;
    sq_params(&p, "12", "30");
    repro_rng rng0, rng;
    repro_rng_seed(&rng0, 501, 11);
    rng = rng0;
    repro_error err;
    repro_fit_result whole, split;
    REPRO_ASSERT_OK(p.type->fit(ds, &p, &rng, 1, &whole, &err), &err);
    void *state = NULL;
    rng = rng0;
    REPRO_ASSERT_OK(p.type->split->begin(ds, &p, &rng, 4, &state, &err), &err);
    size_t tasks[4] = {0, 0, 0, 0};
    for (int s = 0; s < 4; s++)
        REPRO_ASSERT_OK(run_stage_reversed(p.type, ds, &p, &rng0, state, &tasks[s], &err), &err);
    CU_ASSERT_EQUAL(tasks[0], 1);
    CU_ASSERT_EQUAL(tasks[1], 4);
    CU_ASSERT(tasks[2] >= 1);
    CU_ASSERT_EQUAL(tasks[3], 0);
    REPRO_ASSERT_OK(p.type->split->finish(state, &split, &err), &err);
    assert_same(&whole, &split);
    p.type->split->free(state);
    repro_fit_result_clear(&whole);
    repro_fit_result_clear(&split);
    repro_dataset_free(ds);
}

/* Tasks of the shape's stages for 2000 x 70 with n_trees trees and at
 * most max_tasks tasks per stage; checks the costs are positive and
 * Boruta's estimate is repro_boruta_cost's plus the binning. */
static void shape_of(const char *n_trees, size_t max_tasks, size_t tasks[3])
{
    repro_params p;
    sq_params(&p, "50", n_trees);
    repro_split_shape sh;
    repro_error err;
    REPRO_ASSERT_OK(p.type->split->shape(2000, 70, &p, max_tasks, &sh, &err), &err);
    CU_ASSERT_EQUAL_FATAL(sh.n_stages, 3);
    size_t total = 0;
    for (int k = 0; k < 3; k++)
        total += tasks[k] = sh.stage_tasks[k];
    CU_ASSERT(sh.cost[0] > repro_boruta_cost(2000, 70) && sh.cost[0] < 1.1 * repro_boruta_cost(2000, 70));
    for (size_t k = 0; k < total; k++)
        CU_ASSERT(sh.cost[k] > 0.0);
    free(sh.cost);
}

/* The shape: Boruta alone, then the 51 fits and the tests (counted as half
 * of the 70 features) in groups: at most max_tasks per stage, and with the
 * published 100 trees a few fits per task (a task's binning would otherwise
 * be a tenth of it), one fit per task when each fit grows 1000 trees. */
static void test_shape(void)
{
    size_t t[3];
    shape_of("1000", 0, t);
    CU_ASSERT(t[0] == 1 && t[1] == 51 && t[2] == 35);
    shape_of("100", 0, t);
    CU_ASSERT(t[0] == 1 && t[1] >= 10 && t[1] < 51 && t[2] >= 5 && t[2] < 35);
    shape_of("1000", 10, t);
    CU_ASSERT(t[0] == 1 && t[1] == 9 && t[2] == 9); /* 6 fits, 4 tests per task */
    shape_of("100", 1, t);
    CU_ASSERT(t[0] == 1 && t[1] == 1 && t[2] == 1);
}

/* The stage functions by range: fits and tests run one per call give the
 * bits of one call over all of them (each range replays the draws before
 * it). 10 rows per child so that the accuracies depend on the permutations. */
static void test_ranges(void)
{
    repro_dataset *ds = repro_test_data("linear:n=150,strong=3,weak=3,irrelevant=2,noise=0.3", 7);
    repro_sq_params p;
    repro_sq_params_default(&p);
    p.n_resampling = 8;
    p.forest.n_trees = 20;
    p.forest.min_child_rows = 10;
    repro_error err;
    repro_forest_bins *bins = NULL;
    REPRO_ASSERT_OK(repro_sq_bins(ds, &p, &bins, &err), &err);
    repro_rng rng;
    repro_rng_seed(&rng, 31, 5);
    size_t d = ds->d, nf = repro_sq_n_fits(&p), len = repro_sq_fit_offset(&p, nf, d);
    double *all = calloc(len, sizeof *all), *one = calloc(len, sizeof *one);
    CU_ASSERT_PTR_NOT_NULL_FATAL(all);
    CU_ASSERT_PTR_NOT_NULL_FATAL(one);
    REPRO_ASSERT_OK(repro_sq_fits(bins, ds->y, &p, &rng, 0, nf, 1, all, &err), &err);
    for (size_t f = 0; f < nf; f++)
        REPRO_ASSERT_OK(repro_sq_fits(bins, ds->y, &p, &rng, f, f + 1, 1, one + repro_sq_fit_offset(&p, f, d), &err),
                        &err);
    CU_ASSERT(memcmp(all, one, len * sizeof *all) == 0);
    /* the resamples' accuracies differ: the permutations matter */
    int differ = 0;
    for (size_t f = 2; f < nf; f++)
        differ |= all[repro_sq_fit_offset(&p, f, d)] != all[repro_sq_fit_offset(&p, 1, d)];
    CU_ASSERT(differ);
    /* tests: every feature tested, all of them in U */
    int *cls = malloc(d * sizeof *cls);
    CU_ASSERT_PTR_NOT_NULL_FATAL(cls);
    for (size_t j = 0; j < d; j++)
        cls[j] = 2;
    repro_sq_tests t;
    REPRO_ASSERT_OK(repro_sq_tests_plan(cls, d, &t, &err), &err);
    CU_ASSERT_EQUAL(t.n_tests, d);
    REPRO_ASSERT_OK(repro_sq_test_fits(bins, ds->y, &p, &rng, &t, 0, d, 1, all, &err), &err);
    for (size_t k = 0; k < d; k += 2)
        REPRO_ASSERT_OK(repro_sq_test_fits(bins, ds->y, &p, &rng, &t, k, k + 2 < d ? k + 2 : d, 2, one + k, &err),
                        &err);
    CU_ASSERT(memcmp(all, one, d * sizeof *all) == 0);
    differ = 0;
    for (size_t k = 1; k < d; k++)
        differ |= all[k] != all[0];
    CU_ASSERT(differ);
    repro_sq_tests_clear(&t);
    free(cls);
    free(all);
    free(one);
    repro_forest_bins_free(bins);
    repro_dataset_free(ds);
}

/* Malformed stage inputs are REPRO_EINVAL, not a crash. */
static void test_bad_input(void)
{
    repro_dataset *ds = repro_test_data("linear:n=30,strong=1,weak=0,irrelevant=1", 6);
    repro_params p;
    sq_params(&p, "3", "5");
    repro_rng rng;
    repro_rng_seed(&rng, 1, 1);
    repro_blob out;
    repro_error err;
    unsigned char junk[5] = {1, 2, 3, 4, 5};
    for (int stage = 0; stage < 4; stage++)
        CU_ASSERT_EQUAL(p.type->split->run_task(ds, &p, &rng, stage, junk, sizeof junk, 0, 1, &out, &err),
                        REPRO_EINVAL);
    repro_dataset_free(ds);
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"linear", test_linear},
        {"linear, published resamples and trees", test_linear_published},
        {"nonlinear", test_nonlinear},
        {"Boruta accepts nothing", test_boruta_none},
        {"tasks in reverse order", test_reverse_order},
        {"stage functions by range", test_ranges},
        {"shape", test_shape},
        {"malformed input", test_bad_input},
        CU_TEST_INFO_NULL,
    };
    return repro_test_run("sq_split", tests);
}
