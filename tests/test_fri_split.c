/* test_fri_split.c - FRI split into tasks (model.h's repro_model_split,
 * fri_stage.h) gives the same bits as the one-process fit, for any number
 * of tasks per stage, with the search and with a fixed C. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repro/fri.h"
#include "repro/fri_stage.h"
#include "repro/model.h"
#include "testutil.h"

/* FRI's parameters with a short search and few probes (fast). */
static void fri_params(repro_params *p, const char *C, const char *search, const char *probes)
{
    const repro_model_type *fri = repro_model_find("FRI");
    CU_ASSERT_PTR_NOT_NULL_FATAL(fri);
    CU_ASSERT_PTR_NOT_NULL_FATAL(fri->split);
    repro_params_defaults(fri, p);
    repro_error err;
    REPRO_ASSERT_OK(repro_params_set(p, "C", C, &err), &err);
    REPRO_ASSERT_OK(repro_params_set(p, "search", search, &err), &err);
    REPRO_ASSERT_OK(repro_params_set(p, "probes", probes, &err), &err);
}

/* Asserts two fit results are the same bits: classes, bounds, score and
 * every extra (C, L1, loss, thresholds, LP count). */
static void assert_same(const repro_fit_result *a, const repro_fit_result *b)
{
    repro_test_assert_same_fit(a, b, REPRO_TEST_SAME_BOUNDS);
}

/* The fit on `spec` (search folds by rule cv) through fit(), then split
 * with 1, 2, 3, 7, the model's default and 10000 tasks per stage: all the
 * same bits. */
static void check_spec_cv(const char *spec, unsigned long long seed, const char *C, const char *cv)
{
    repro_dataset *ds = repro_test_data(spec, seed);
    repro_params p;
    fri_params(&p, C, "12", "15");
    repro_error cv_err;
    REPRO_ASSERT_OK(repro_params_set(&p, "cv", cv, &cv_err), &cv_err);
    const repro_model_type *fri = p.type;
    repro_rng rng0, rng;
    repro_rng_seed(&rng0, 1000 + seed, 7);
    rng = rng0;
    repro_error err;
    repro_fit_result whole;
    REPRO_ASSERT_OK(fri->fit(ds, &p, &rng, 1, &whole, &err), &err);
    const size_t groupings[] = {1, 2, 3, 7, 0, 10000};
    for (size_t g = 0; g < sizeof groupings / sizeof groupings[0]; g++) {
        repro_fit_result split;
        REPRO_ASSERT_OK(repro_model_fit_split(fri, ds, &p, &rng0, 1, groupings[g], &split, &err), &err);
        assert_same(&whole, &split);
        repro_fit_result_clear(&split);
    }
    repro_fit_result_clear(&whole);
    repro_dataset_free(ds);
}

/* check_spec_cv with the specified (stratified) folds. */
static void check_spec(const char *spec, unsigned long long seed, const char *C)
{
    check_spec_cv(spec, seed, C, "stratified");
}

/* The published code's contiguous folds reach the split search too. */
static void test_nonlinear_search_kfold(void)
{
    check_spec_cv("nonlinear:n=120,strong=2,weak=4,irrelevant=3,noise=0.1", 3, "0", "kfold");
}

static void test_linear_search(void)
{
    check_spec("linear:n=90,strong=3,weak=2,irrelevant=3", 1, "0");
}

static void test_linear_fixed_C(void)
{
    check_spec("linear:n=80,strong=2,weak=0,irrelevant=4,noise=0.1", 2, "1");
}

static void test_nonlinear_search(void)
{
    check_spec("nonlinear:n=120,strong=2,weak=4,irrelevant=3,noise=0.1", 3, "0");
}

/* A tight, noisy problem where permuted probe columns may be infeasible:
 * the split keeps the same probes (the count of kept probes is part of the
 * compared thresholds' input). */
static void test_nonlinear_fixed_C(void)
{
    check_spec("nonlinear:n=100,strong=3,weak=2,irrelevant=2", 4, "10");
}

/* The stage functions in order reproduce repro_fri_fit, and the work items
 * run in reverse order give the same result (no item depends on another). */
static void test_stages_by_hand(void)
{
    repro_dataset *ds = repro_test_data("linear:n=70,strong=2,weak=2,irrelevant=2", 5);
    repro_fri_options opt;
    repro_fri_options_default(&opt);
    opt.n_search = 8;
    opt.n_probes = 10;
    repro_rng rng0, rng;
    repro_rng_seed(&rng0, 77, 3);
    rng = rng0;
    repro_error err;
    repro_fri_result whole, byhand;
    REPRO_ASSERT_OK(repro_fri_fit(&rng, ds, &opt, 2, &whole, &err), &err);

    rng = rng0;
    double Cs[8], score[REPRO_FRI_FOLDS * 8], C;
    size_t lps = 0;
    repro_fri_search_draw(&rng, 8, Cs);
    for (int f = REPRO_FRI_FOLDS - 1; f >= 0; f--)
        REPRO_ASSERT_OK(repro_fri_search_fold(ds, Cs, 8, f, 1, REPRO_FRI_CV_STRATIFIED, score + f * 8, &lps, &err), &err);
    REPRO_ASSERT_OK(repro_fri_search_pick(Cs, score, 8, &C, &err), &err);
    CU_ASSERT(C == whole.C);
    repro_fri_probes pr;
    REPRO_ASSERT_OK(repro_fri_probes_draw(&rng, opt.n_probes, ds->n, ds->d, &pr, &err), &err);
    repro_fri_init init;
    REPRO_ASSERT_OK(repro_fri_init_fit(ds, C, &init, &err), &err);
    size_t n_items = repro_fri_n_items(ds->d, &opt);
    CU_ASSERT_EQUAL(n_items, ds->d + 2 * opt.n_probes);
    repro_fri_item *items = calloc(n_items, sizeof *items);
    CU_ASSERT_PTR_NOT_NULL_FATAL(items);
    for (size_t it = n_items; it-- > 0;)
        REPRO_ASSERT_OK(repro_fri_run_item(ds, &opt, &init, &pr, it, &items[it], &err), &err);
    REPRO_ASSERT_OK(repro_fri_assemble(ds->d, &opt, &init, items, lps, 0.0, &byhand, &err), &err);
    CU_ASSERT(memcmp(whole.bounds, byhand.bounds, 2 * ds->d * sizeof(double)) == 0);
    CU_ASSERT(memcmp(whole.classes, byhand.classes, ds->d * sizeof(int)) == 0);
    CU_ASSERT(whole.L1 == byhand.L1 && whole.loss == byhand.loss && whole.n_lps == byhand.n_lps);
    CU_ASSERT(whole.thresholds[0] == byhand.thresholds[0] && whole.thresholds[1] == byhand.thresholds[1]);
    CU_ASSERT(whole.n_up_probes == byhand.n_up_probes && whole.n_lo_probes == byhand.n_lo_probes);
    /* an item out of range is refused */
    repro_fri_item bad;
    CU_ASSERT_EQUAL(repro_fri_run_item(ds, &opt, &init, &pr, n_items, &bad, &err), REPRO_EINVAL);
    free(items);
    repro_fri_init_clear(&init);
    repro_fri_probes_clear(&pr);
    repro_fri_result_clear(&whole);
    repro_fri_result_clear(&byhand);
    repro_dataset_free(ds);
}

/* A malformed stage input is refused, not read past its end. */
static void test_bad_input(void)
{
    repro_dataset *ds = repro_test_data("linear:n=30,strong=1,weak=0,irrelevant=1", 6);
    repro_params p;
    fri_params(&p, "1", "5", "3");
    repro_rng rng;
    repro_rng_seed(&rng, 1, 1);
    repro_blob out;
    repro_error err;
    unsigned char junk[5] = {1, 2, 3, 4, 5};
    for (int stage = 0; stage < 3; stage++)
        CU_ASSERT_EQUAL(p.type->split->run_task(ds, &p, &rng, stage, junk, sizeof junk, 0, 1, &out, &err),
                        REPRO_EINVAL);
    repro_dataset_free(ds);
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"linear, search", test_linear_search},
        {"linear, fixed C", test_linear_fixed_C},
        {"nonlinear, search", test_nonlinear_search},
        {"nonlinear, search with contiguous folds", test_nonlinear_search_kfold},
        {"nonlinear, fixed C", test_nonlinear_fixed_C},
        {"stage functions by hand", test_stages_by_hand},
        {"malformed input", test_bad_input},
        CU_TEST_INFO_NULL,
    };
    return repro_test_run("fri_split", tests);
}
