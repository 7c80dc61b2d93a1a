/* test_rf_split.c - RF split into tasks (model.h's repro_model_split,
 * rfecv.h's stages) gives the same bits as the one-process fit, for any
 * number of tasks per stage and threads, its tasks may run in any order,
 * and malformed inputs and outputs are rejected. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "repro/model.h"
#include "repro/rfecv.h"
#include "testutil.h"

/* RF's parameters with n_trees trees, `folds` folds and min_features. */
static void rf_params(repro_params *p, const char *n_trees, const char *folds, const char *min_features)
{
    const repro_model_type *rf = repro_model_find("RF");
    CU_ASSERT_PTR_NOT_NULL_FATAL(rf);
    CU_ASSERT_PTR_NOT_NULL_FATAL(rf->split);
    repro_params_defaults(rf, p);
    repro_error err;
    REPRO_ASSERT_OK(repro_params_set(p, "n_trees", n_trees, &err), &err);
    REPRO_ASSERT_OK(repro_params_set(p, "folds", folds, &err), &err);
    REPRO_ASSERT_OK(repro_params_set(p, "min_features", min_features, &err), &err);
}

/* Asserts two fit results are the same bits: support, score, extras. */
static void assert_same(const repro_fit_result *a, const repro_fit_result *b)
{
    repro_test_assert_same_fit(a, b, 0);
}

/* The fit on `spec` through fit(), then split with 1, 2, 3, the model's
 * default and 10000 tasks per stage, 1 or 2 threads per task: the same
 * bits. Returns the number of features RFECV kept. */
static size_t check_spec(const char *spec, unsigned long long seed, const char *n_trees, const char *folds,
                         const char *min_features)
{
    repro_dataset *ds = repro_test_data(spec, seed);
    repro_params p;
    rf_params(&p, n_trees, folds, min_features);
    const repro_model_type *rf = p.type;
    repro_rng rng0, rng;
    repro_rng_seed(&rng0, 700 + seed, 3);
    rng = rng0;
    repro_error err;
    repro_fit_result whole;
    REPRO_ASSERT_OK(rf->fit(ds, &p, &rng, 2, &whole, &err), &err);
    const size_t groupings[] = {1, 2, 3, 0, 10000};
    for (size_t g = 0; g < sizeof groupings / sizeof groupings[0]; g++) {
        repro_fit_result split;
        REPRO_ASSERT_OK(repro_model_fit_split(rf, ds, &p, &rng0, 1 + (int)(g % 2), groupings[g], &split, &err),
                        &err);
        assert_same(&whole, &split);
        repro_fit_result_clear(&split);
    }
    const repro_extra *nf = repro_fit_result_find(&whole, "n_features");
    CU_ASSERT_PTR_NOT_NULL_FATAL(nf);
    size_t keep = (size_t)nf->v[0];
    repro_fit_result_clear(&whole);
    repro_dataset_free(ds);
    return keep;
}

/* Linear data: RFECV keeps more than the minimum, so the path on all rows
 * (run down to the minimum beside the folds) is cut where the folds say. */
static void test_linear(void)
{
    CU_ASSERT(check_spec("linear:n=150,strong=3,weak=2,irrelevant=4", 1, "20", "5", "1") > 1);
}

/* Three folds, at least two features kept, non-linear data. */
static void test_nonlinear(void)
{
    CU_ASSERT(check_spec("nonlinear:n=200,strong=2,weak=3,irrelevant=3,noise=0.1", 2, "15", "3", "2") >= 2);
}

/* The minimum at d: no elimination at all (no drops on all rows). */
static void test_keep_all(void)
{
    CU_ASSERT_EQUAL(check_spec("linear:n=80,strong=2,weak=0,irrelevant=2", 3, "10", "4", "100"), 4);
}

/* Runs one stage's tasks in reverse order (each output kept by its index). */
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

/* Tasks in reverse order give the whole fit's bits; the stages are the 4
 * folds and the path on all rows (5 tasks), then the final fit (1). */
static void test_reverse_order(void)
{
    repro_dataset *ds = repro_test_data("linear:n=120,strong=3,weak=2,irrelevant=3", 4);
    repro_params p;
    rf_params(&p, "15", "4", "1");
    repro_rng rng0, rng;
    repro_rng_seed(&rng0, 77, 1);
    rng = rng0;
    repro_error err;
    repro_fit_result whole, split;
    REPRO_ASSERT_OK(p.type->fit(ds, &p, &rng, 1, &whole, &err), &err);
    void *state = NULL;
    rng = rng0;
    REPRO_ASSERT_OK(p.type->split->begin(ds, &p, &rng, 2, &state, &err), &err);
    /* finishing early is refused */
    CU_ASSERT_EQUAL(p.type->split->finish(state, &split, &err), REPRO_EINVAL);
    size_t tasks[3] = {0, 0, 0};
    for (int s = 0; s < 3; s++)
        REPRO_ASSERT_OK(run_stage_reversed(p.type, ds, &p, &rng0, state, &tasks[s], &err), &err);
    CU_ASSERT_EQUAL(tasks[0], 5);
    CU_ASSERT_EQUAL(tasks[1], 1);
    CU_ASSERT_EQUAL(tasks[2], 0);
    REPRO_ASSERT_OK(p.type->split->finish(state, &split, &err), &err);
    assert_same(&whole, &split);
    p.type->split->free(state);
    repro_fit_result_clear(&whole);
    repro_fit_result_clear(&split);
    repro_dataset_free(ds);
}

/* A scripted model for the stage functions: column j ranks d - j (so the
 * highest index goes first), and the score is the number of columns. */
static int scripted_fit(void *ctx, repro_rng *rng, const repro_dataset *ds, const size_t *train, size_t n_train,
                        const size_t *test, size_t n_test, const size_t *cols, size_t n_cols, double *rank,
                        double *score, repro_error *err)
{
    (void)ctx, (void)rng, (void)train, (void)n_train, (void)test, (void)n_test, (void)err;
    for (size_t c = 0; c < n_cols; c++)
        rank[c] = (double)(ds->d - cols[c]);
    *score = (double)n_cols;
    return REPRO_OK;
}

/* The path on all rows down to the minimum starts with the drops of the
 * path down to any larger count; the final fit rejects a malformed order. */
static void test_stage_functions(void)
{
    repro_dataset *ds = repro_test_data("linear:n=40,strong=2,weak=1,irrelevant=3", 5);
    size_t d = ds->d, full[16], part[16];
    repro_rng rng;
    repro_rng_seed(&rng, 1, 2);
    repro_error err;
    REPRO_ASSERT_OK(repro_rfecv_all_rows(&rng, scripted_fit, NULL, ds, 1, full, &err), &err);
    REPRO_ASSERT_OK(repro_rfecv_all_rows(&rng, scripted_fit, NULL, ds, 4, part, &err), &err);
    CU_ASSERT(memcmp(full, part, (d - 4) * sizeof *full) == 0);
    CU_ASSERT_EQUAL(full[0], d - 1);
    int support[16];
    double score = 0.0;
    REPRO_ASSERT_OK(repro_rfecv_final(&rng, scripted_fit, NULL, ds, full, 4, support, &score, &err), &err);
    CU_ASSERT_EQUAL(score, 4.0);
    CU_ASSERT(support[0] == 1 && support[3] == 1 && support[4] == 0);
    size_t twice[16];
    memcpy(twice, full, sizeof full);
    twice[1] = twice[0];
    CU_ASSERT_EQUAL(repro_rfecv_final(&rng, scripted_fit, NULL, ds, twice, 3, support, &score, &err), REPRO_EINVAL);
    CU_ASSERT_EQUAL(repro_rfecv_final(&rng, scripted_fit, NULL, ds, full, d + 1, support, &score, &err),
                    REPRO_EINVAL);
    repro_dataset_free(ds);
}

/* The shape: the folds and the path on all rows, then the final fit; the
 * path on all rows is the costliest task (more rows than a fold's). */
static void test_shape(void)
{
    repro_params p;
    rf_params(&p, "100", "5", "1");
    repro_split_shape sh;
    repro_error err;
    REPRO_ASSERT_OK(p.type->split->shape(2000, 70, &p, 0, &sh, &err), &err);
    CU_ASSERT_EQUAL_FATAL(sh.n_stages, 2);
    CU_ASSERT_EQUAL_FATAL(sh.stage_tasks[0], 6);
    CU_ASSERT_EQUAL_FATAL(sh.stage_tasks[1], 1);
    double sum = 0.0;
    for (size_t k = 0; k < 7; k++) {
        CU_ASSERT(sh.cost[k] > 0.0);
        sum += sh.cost[k];
    }
    CU_ASSERT(sh.cost[5] > sh.cost[0]);
    CU_ASSERT(sh.cost[6] < sh.cost[0] / 20.0);
    /* about the whole fit's estimate */
    double whole = p.type->cost(2000, 70);
    CU_ASSERT(sum > 0.7 * whole && sum < 1.5 * whole);
    free(sh.cost);
}

/* Malformed stage inputs, tasks and outputs are REPRO_EINVAL. */
static void test_bad_input(void)
{
    repro_dataset *ds = repro_test_data("linear:n=30,strong=1,weak=0,irrelevant=2", 6);
    repro_params p;
    rf_params(&p, "5", "3", "1");
    const repro_model_split *sp = p.type->split;
    repro_rng rng;
    repro_rng_seed(&rng, 1, 1);
    repro_blob out;
    repro_error err;
    unsigned char junk[5] = {1, 2, 3, 4, 5};
    for (int stage = 0; stage < 3; stage++)
        CU_ASSERT_EQUAL(sp->run_task(ds, &p, &rng, stage, junk, sizeof junk, 0, 1, &out, &err), REPRO_EINVAL);
    CU_ASSERT_EQUAL(sp->run_task(ds, &p, &rng, 0, NULL, 0, 4, 1, &out, &err), REPRO_EINVAL); /* 3 folds + 1 */
    CU_ASSERT_EQUAL(sp->run_task(ds, &p, &rng, -1, NULL, 0, 0, 1, &out, &err), REPRO_EINVAL);
    /* final: keep 2 of 3 columns, with an out-of-range drop, then a short one */
    uint64_t fin[2] = {2, 7};
    CU_ASSERT_EQUAL(sp->run_task(ds, &p, &rng, 1, (const unsigned char *)fin, sizeof fin, 0, 1, &out, &err),
                    REPRO_EINVAL);
    CU_ASSERT_EQUAL(sp->run_task(ds, &p, &rng, 1, (const unsigned char *)fin, sizeof fin[0], 0, 1, &out, &err),
                    REPRO_EINVAL);
    fin[1] = 1;
    REPRO_ASSERT_OK(sp->run_task(ds, &p, &rng, 1, (const unsigned char *)fin, sizeof fin, 0, 1, &out, &err), &err);
    CU_ASSERT_EQUAL(out.len, sizeof(double));
    free(out.data);
    /* merge: too few outputs, a fold's output cut short, a drop out of range */
    void *state = NULL;
    REPRO_ASSERT_OK(sp->begin(ds, &p, &rng, 0, &state, &err), &err);
    repro_blob outs[4];
    memset(outs, 0, sizeof outs);
    CU_ASSERT_EQUAL(sp->merge(state, outs, 3, &err), REPRO_EINVAL);
    for (size_t t = 0; t < 4; t++)
        REPRO_ASSERT_OK(sp->run_task(ds, &p, &rng, 0, NULL, 0, t, 1, &outs[t], &err), &err);
    CU_ASSERT_EQUAL_FATAL(outs[3].len, 2 * sizeof(uint64_t));
    outs[0].len -= 1;
    CU_ASSERT_EQUAL(sp->merge(state, outs, 4, &err), REPRO_EINVAL);
    outs[0].len += 1;
    uint64_t bad = 99, good;
    memcpy(&good, outs[3].data, sizeof good);
    memcpy(outs[3].data, &bad, sizeof bad);
    CU_ASSERT_EQUAL(sp->merge(state, outs, 4, &err), REPRO_EINVAL);
    memcpy(outs[3].data, &good, sizeof good);
    REPRO_ASSERT_OK(sp->merge(state, outs, 4, &err), &err);
    repro_split_stage st;
    REPRO_ASSERT_OK(sp->next(state, &st, &err), &err);
    CU_ASSERT_EQUAL(st.n_tasks, 1);
    for (size_t t = 0; t < 4; t++)
        free(outs[t].data);
    sp->free(state);
    /* bad folds are refused at begin */
    REPRO_ASSERT_OK(repro_params_set(&p, "folds", "31", &err), &err);
    CU_ASSERT_EQUAL(sp->begin(ds, &p, &rng, 0, &state, &err), REPRO_EINVAL);
    repro_dataset_free(ds);
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"linear", test_linear},
        {"nonlinear, 3 folds, min 2", test_nonlinear},
        {"minimum at d", test_keep_all},
        {"tasks in reverse order", test_reverse_order},
        {"stage functions", test_stage_functions},
        {"shape", test_shape},
        {"malformed input", test_bad_input},
        CU_TEST_INFO_NULL,
    };
    return repro_test_run("rf_split", tests);
}
