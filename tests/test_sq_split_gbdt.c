/* test_sq_split_gbdt.c - SQ split into tasks (model.h's repro_model_split,
 * sq_stage.h) gives the one-process fit's bits also with the boosted minimal
 * model (minimal_model=gbdt) and with step 4 reading the last resample
 * (mr_fit=last_resample), whose output then carries all d importances. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "repro/model.h"
#include "repro/sq_stage.h"
#include "repro/squamish.h"
#include "testutil.h"

/* SQ's model parameters: the defaults, then the n_sets key=value pairs. */
static void sq_params(repro_params *p, const char *const *sets, size_t n_sets)
{
    const repro_model_type *sq = repro_model_find("SQ");
    CU_ASSERT_PTR_NOT_NULL_FATAL(sq);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sq->split);
    repro_params_defaults(sq, p);
    repro_error err;
    for (size_t k = 0; k + 1 < 2 * n_sets; k += 2)
        REPRO_ASSERT_OK(repro_params_set(p, sets[k], sets[k + 1], &err), &err);
}

/* Asserts two fit results are the same bits: classes, score, importances
 * and every extra (both intervals, AR, MR). */
static void assert_same(const repro_fit_result *a, const repro_fit_result *b)
{
    repro_test_assert_same_fit(a, b, REPRO_TEST_SAME_IMPORTANCE);
}

/* 1 when every importance is a whole number (split counts). */
static int whole_importances(const repro_fit_result *r)
{
    for (size_t j = 0; j < r->d; j++)
        if (r->importance[j] != floor(r->importance[j]))
            return 0;
    return 1;
}

/* The fit on `spec` through fit(), then split with 1, 2, 3, 7, the model's
 * default and 10000 tasks per stage: all the same bits. Returns the whole
 * fit (the caller clears it). */
static void check_spec(const char *spec, unsigned long long seed, const char *const *sets, size_t n_sets,
                       repro_fit_result *whole)
{
    repro_dataset *ds = repro_test_data(spec, seed);
    repro_params p;
    sq_params(&p, sets, n_sets);
    const repro_model_type *sq = p.type;
    repro_rng rng0, rng;
    repro_rng_seed(&rng0, 700 + seed, 13);
    rng = rng0;
    repro_error err;
    REPRO_ASSERT_OK(sq->fit(ds, &p, &rng, 1, whole, &err), &err);
    const size_t groupings[] = {1, 2, 3, 7, 0, 10000};
    for (size_t g = 0; g < sizeof groupings / sizeof groupings[0]; g++) {
        repro_fit_result split;
        REPRO_ASSERT_OK(repro_model_fit_split(sq, ds, &p, &rng0, 1 + (int)(g % 2), groupings[g], &split, &err),
                        &err);
        assert_same(whole, &split);
        repro_fit_result_clear(&split);
    }
    repro_dataset_free(ds);
}

#define N_SETS(a) (sizeof(a) / sizeof(a)[0] / 2)

/* The boosted minimal model: split == whole, and the importances are split
 * counts (whole numbers), unlike the forest's gains on the same data. */
static void test_gbdt(void)
{
    static const char *const forest[] = {"n_resampling", "9", "n_trees", "25"};
    static const char *const gbdt[] = {"n_resampling", "9", "n_trees", "25", "minimal_model", "gbdt"};
    const char *spec = "linear:n=120,strong=3,weak=2,irrelevant=3";
    repro_fit_result rf, rg;
    check_spec(spec, 1, forest, N_SETS(forest), &rf);
    check_spec(spec, 1, gbdt, N_SETS(gbdt), &rg);
    CU_ASSERT(whole_importances(&rg));
    CU_ASSERT(!whole_importances(&rf));
    repro_fit_result_clear(&rf);
    repro_fit_result_clear(&rg);
    static const char *const nonlin[] = {"n_resampling", "7", "n_trees", "20", "minimal_model", "gbdt"};
    check_spec("nonlinear:n=150,strong=2,weak=3,irrelevant=3,noise=0.1", 3, nonlin, N_SETS(nonlin), &rg);
    CU_ASSERT(whole_importances(&rg));
    repro_fit_result_clear(&rg);
}

/* mr_fit=last_resample with either minimal model, and the published linear
 * runs' settings of docs/FIDELITY.md §7.5 (one-sided test, fpr 1e-4, the
 * dense forest of step 5): split == whole. */
static void test_last_resample(void)
{
    static const char *const gl[] = {"n_resampling", "9",    "n_trees", "25",   "minimal_model", "gbdt",
                                     "mr_fit",       "last_resample", "test", "lower", "fpr", "1e-4"};
    static const char *const fl[] = {"n_resampling", "9", "n_trees", "25", "mr_fit", "last_resample"};
    static const char *const dense[] = {"n_resampling", "12", "minimal_model", "gbdt", "mr_fit", "last_resample",
                                        "test", "lower", "fpr", "1e-4", "feature_fraction", "0.1",
                                        "min_child_rows", "20", "num_leaves", "31", "max_depth", "30"};
    repro_fit_result r;
    check_spec("linear:n=120,strong=3,weak=2,irrelevant=3", 1, gl, N_SETS(gl), &r);
    repro_fit_result_clear(&r);
    check_spec("linear:n=150,strong=3,weak=3,irrelevant=2,noise=0.3", 5, fl, N_SETS(fl), &r);
    repro_fit_result_clear(&r);
    check_spec("linear:n=150,strong=4,weak=2,irrelevant=4", 2, dense, N_SETS(dense), &r);
    repro_fit_result_clear(&r);
}

/* The stage functions with mr_fit=last_resample: the last resample writes d
 * more doubles; fits run one per call give the bits of one call over all;
 * MR is read from the last resample's d importances (against the shadows'
 * upper bound), not from the minimal model's. */
static void test_last_resample_layout(void)
{
    repro_dataset *ds = repro_test_data("linear:n=150,strong=3,weak=3,irrelevant=2,noise=0.3", 1);
    repro_sq_params p;
    repro_sq_params_default(&p);
    p.n_resampling = 6;
    p.fpr = 0.2; /* a shadow bound below the strong features' importances */
    p.minimal_model = REPRO_SQ_MINIMAL_GBDT;
    repro_sq_params pm = p;
    p.mr_fit = REPRO_SQ_MR_LAST_RESAMPLE;
    repro_error err;
    repro_forest_bins *bins = NULL;
    REPRO_ASSERT_OK(repro_sq_bins(ds, &p, &bins, &err), &err);
    repro_rng rng;
    repro_rng_seed(&rng, 37, 5);
    size_t d = ds->d, nf = repro_sq_n_fits(&p), R = p.n_resampling;
    size_t len = repro_sq_fit_offset(&p, nf, d);
    CU_ASSERT_EQUAL(len, repro_sq_fit_offset(&pm, nf, d) + d);
    CU_ASSERT_EQUAL(repro_sq_fit_offset(&p, R, d), repro_sq_fit_offset(&pm, R, d));
    double *all = calloc(len, sizeof *all), *one = calloc(len, sizeof *one);
    double *min = calloc(len, sizeof *min);
    CU_ASSERT_PTR_NOT_NULL_FATAL(all);
    CU_ASSERT_PTR_NOT_NULL_FATAL(one);
    CU_ASSERT_PTR_NOT_NULL_FATAL(min);
    REPRO_ASSERT_OK(repro_sq_fits(bins, ds->y, &p, &rng, 0, nf, 1, all, &err), &err);
    for (size_t f = 0; f < nf; f++)
        REPRO_ASSERT_OK(repro_sq_fits(bins, ds->y, &p, &rng, f, f + 1, 1, one + repro_sq_fit_offset(&p, f, d), &err),
                        &err);
    CU_ASSERT(memcmp(all, one, len * sizeof *all) == 0);
    /* the same fits as with mr_fit=minimal, plus the d importances */
    REPRO_ASSERT_OK(repro_sq_fits(bins, ds->y, &pm, &rng, 0, nf, 1, min, &err), &err);
    CU_ASSERT(memcmp(all, min, repro_sq_fit_offset(&pm, nf, d) * sizeof *all) == 0);
    const double *last = all + repro_sq_fit_offset(&p, R, d) + 2;
    int differ = 0;
    for (size_t j = 0; j < d; j++)
        differ |= last[j] != all[1 + j];
    CU_ASSERT(differ);
    /* MR from the last resample's importances; with every feature in AR */
    repro_sq_result res;
    REPRO_ASSERT_OK(repro_sq_result_alloc(&res, d, &err), &err);
    REPRO_ASSERT_OK(repro_sq_statistics(all, &p, &res, &err), &err);
    size_t n_mr = 0;
    int mr_differs = 0; /* the minimal model's importances give another MR */
    for (size_t j = 0; j < d; j++) {
        mr_differs |= (last[j] > res.shadow_hi) != (all[1 + j] > res.shadow_hi);
        if (last[j] > res.shadow_hi) {
            CU_ASSERT_FATAL(n_mr < res.n_mr);
            CU_ASSERT_EQUAL(res.mr[n_mr], j);
            n_mr++;
        }
    }
    CU_ASSERT_EQUAL(n_mr, res.n_mr);
    CU_ASSERT(n_mr > 0);
    CU_ASSERT(mr_differs);
    CU_ASSERT(memcmp(res.importance, all + 1, d * sizeof *all) == 0);
    repro_sq_result_clear(&res);
    free(all);
    free(one);
    free(min);
    repro_forest_bins_free(bins);
    repro_dataset_free(ds);
}

/* Unknown minimal models and mr_fit values are REPRO_EINVAL in the checks
 * every task runs. */
static void test_check(void)
{
    repro_sq_params p;
    repro_sq_params_default(&p);
    repro_error err;
    REPRO_ASSERT_OK(repro_sq_check(&p, &err), &err);
    p.minimal_model = (repro_sq_minimal)7;
    CU_ASSERT_EQUAL(repro_sq_check(&p, &err), REPRO_EINVAL);
    repro_sq_params_default(&p);
    p.mr_fit = (repro_sq_mr_fit)7;
    CU_ASSERT_EQUAL(repro_sq_check(&p, &err), REPRO_EINVAL);
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"boosted minimal model", test_gbdt},
        {"MR from the last resample", test_last_resample},
        {"last resample's output layout", test_last_resample_layout},
        {"checks", test_check},
        CU_TEST_INFO_NULL,
    };
    return repro_test_run("sq_split_gbdt", tests);
}
