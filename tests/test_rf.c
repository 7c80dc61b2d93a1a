/* test_rf.c - the RF baseline (ALGORITHMS.md §12): forest + RFECV. */
#include <CUnit/CUnit.h>
#include <stdlib.h>

#include "repro/forest.h"
#include "repro/model.h"
#include "repro/models.h"
#include "testutil.h"

/* Fits RF with its defaults plus one optional override. */
static void fit_rf(const repro_dataset *ds, const char *key, const char *value, uint64_t seed,
                   repro_fit_result *res)
{
    repro_params params;
    repro_error err;
    repro_params_defaults(&repro_model_RF, &params);
    if (key)
        REPRO_ASSERT_OK(repro_params_set(&params, key, value, &err), &err);
    repro_rng rng;
    repro_rng_seed(&rng, seed, 3);
    REPRO_ASSERT_OK(repro_model_RF.fit(ds, &params, &rng, 1, res, &err), &err);
}

/* 3 informative + 7 noise columns: every informative column is kept, the
 * extras agree with the support, and the training score is that of a forest
 * refitted (same stream, as every fit of the model) on the selected columns. */
static void test_clear_case(void)
{
    CU_ASSERT_PTR_EQUAL(repro_model_find("RF"), &repro_model_RF);
    repro_dataset *ds = repro_test_data("linear:n=300,strong=3,weak=0,irrelevant=7", 17);
    repro_fit_result res;
    fit_rf(ds, NULL, NULL, 9, &res);
    size_t cols[10], k = 0;
    for (size_t j = 0; j < 10; j++) {
        CU_ASSERT(res.relevance[j] == 0 || res.relevance[j] == 1);
        if (j < 3)
            CU_ASSERT_EQUAL(res.relevance[j], 1);
        if (res.relevance[j])
            cols[k++] = j;
    }
    const repro_extra *nf = repro_fit_result_find(&res, "n_features");
    const repro_extra *cv = repro_fit_result_find(&res, "cv_scores");
    CU_ASSERT_PTR_NOT_NULL_FATAL(nf);
    CU_ASSERT_PTR_NOT_NULL_FATAL(cv);
    CU_ASSERT_EQUAL(nf->v[0], (double)k);
    CU_ASSERT_EQUAL(cv->len, 10); /* counts 1..10 */

    repro_dataset *sel = repro_dataset_columns(ds, cols, k, NULL);
    repro_forest_params fp;
    repro_forest_params_default(&fp);
    repro_rng rng;
    repro_rng_seed(&rng, 9, 3);
    repro_forest *forest = NULL;
    repro_error err;
    REPRO_ASSERT_OK(repro_forest_fit(sel->X, sel->n, sel->d, sel->y, &fp, &rng, 1, &forest, &err),
                    &err);
    double *score = malloc(sel->n * sizeof *score);
    REPRO_ASSERT_OK(repro_forest_predict(forest, sel->X, sel->n, sel->d, score, &err), &err);
    CU_ASSERT_DOUBLE_EQUAL(res.train_score, repro_forest_score_accuracy(score, sel->y, sel->n),
                           1e-12);
    free(score);
    CU_ASSERT(res.train_score > 0.8);
    repro_forest_free(forest);
    repro_dataset_free(sel);
    repro_fit_result_clear(&res);
    repro_dataset_free(ds);
}

/* The variants: gain importance and feature_fraction 0.1 (the paper's
 * figures) run and still keep the informative columns; a different seed may
 * change the answer but not its shape. */
static void test_variants(void)
{
    repro_dataset *ds = repro_test_data("linear:n=300,strong=3,weak=0,irrelevant=7", 17);
    repro_fit_result res;
    fit_rf(ds, "importance", "gain", 9, &res);
    for (size_t j = 0; j < 3; j++)
        CU_ASSERT_EQUAL(res.relevance[j], 1);
    repro_fit_result_clear(&res);
    fit_rf(ds, "feature_fraction", "0.1", 9, &res);
    CU_ASSERT_EQUAL(res.d, 10);
    CU_ASSERT(res.train_score > 0.5);
    repro_fit_result_clear(&res);
    repro_dataset_free(ds);
}

/* Bad settings are refused with REPRO_EINVAL. */
static void test_bad_params(void)
{
    repro_dataset *ds = repro_test_data("linear:n=20,strong=1,weak=0,irrelevant=1", 1);
    repro_params params;
    repro_error err;
    repro_params_defaults(&repro_model_RF, &params);
    CU_ASSERT_EQUAL(repro_params_set(&params, "feature_fraction", "0", &err), REPRO_EINVAL);
    CU_ASSERT_EQUAL(repro_params_set(&params, "importance", "count", &err), REPRO_EINVAL);
    REPRO_ASSERT_OK(repro_params_set(&params, "folds", "50", &err), &err);
    repro_rng rng;
    repro_rng_seed(&rng, 1, 1);
    repro_fit_result res;
    CU_ASSERT_EQUAL(repro_model_RF.fit(ds, &params, &rng, 1, &res, &err), REPRO_EINVAL);
    repro_dataset_free(ds);
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"clear case", test_clear_case},
        {"importance and feature fraction variants", test_variants},
        {"bad parameters", test_bad_params},
        CU_TEST_INFO_NULL,
    };
    return repro_test_run("rf", tests);
}
