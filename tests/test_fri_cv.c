/* test_fri_cv.c - the folds of FRI's search for C: contiguous K-fold
 * (scikit-learn's KFold without shuffling, which the published code's search
 * used) next to the specified stratified folds, and the FRI option that
 * chooses between them (FIDELITY.md §7.6). */
#include <stdlib.h>

#include "repro/cv.h"
#include "repro/fri.h"
#include "testutil.h"

/* n = 10, k = 3: blocks of 4, 3, 3 rows in order; n = 5, k = 5: one row each. */
static void test_kfold_blocks(void)
{
    int fold[10];
    repro_error err;
    REPRO_ASSERT_OK(repro_cv_kfold_folds(10, 3, fold, &err), &err);
    const int expect[10] = {0, 0, 0, 0, 1, 1, 1, 2, 2, 2};
    for (int i = 0; i < 10; i++)
        CU_ASSERT_EQUAL(fold[i], expect[i]);
    REPRO_ASSERT_OK(repro_cv_kfold_folds(5, 5, fold, &err), &err);
    for (int i = 0; i < 5; i++)
        CU_ASSERT_EQUAL(fold[i], i);
    CU_ASSERT_EQUAL(repro_cv_kfold_folds(3, 1, fold, &err), REPRO_EINVAL);
    CU_ASSERT_EQUAL(repro_cv_kfold_folds(3, 4, fold, &err), REPRO_EINVAL);
}

/* Rows sorted by label (6 x -1, then 6 x +1): the contiguous folds ignore
 * the labels, so the first and last test folds hold one class each, where
 * the stratified folds give every fold 2 rows of each class. */
static void test_kfold_ignores_labels(void)
{
    const int y[12] = {-1, -1, -1, -1, -1, -1, 1, 1, 1, 1, 1, 1};
    int kf[12], sf[12];
    repro_error err;
    REPRO_ASSERT_OK(repro_cv_kfold_folds(12, 3, kf, &err), &err);
    REPRO_ASSERT_OK(repro_cv_stratified_folds(y, 12, 3, sf, &err), &err);
    int kpos[3] = {0, 0, 0}, spos[3] = {0, 0, 0};
    for (int i = 0; i < 12; i++) {
        kpos[kf[i]] += y[i] > 0;
        spos[sf[i]] += y[i] > 0;
    }
    CU_ASSERT_EQUAL(kpos[0], 0);
    CU_ASSERT_EQUAL(kpos[2], 4);
    for (int f = 0; f < 3; f++)
        CU_ASSERT_EQUAL(spos[f], 2);
}

/* On non-linear data (rows in cluster order, so contiguous folds leave most
 * of a cluster out of a training part) the two fold rules score the same C
 * values differently and pick another C; the stratified variant is exactly
 * repro_fri_search_C. */
static void test_search_folds(void)
{
    repro_dataset *ds = repro_test_data("nonlinear:n=300,strong=3,weak=0,irrelevant=2", 7);
    repro_error err;
    double C[3];
    size_t lps[3] = {0, 0, 0};
    for (int k = 0; k < 3; k++) {
        repro_rng rng;
        repro_rng_seed(&rng, 41, 3);
        if (k == 0)
            REPRO_ASSERT_OK(repro_fri_search_C(&rng, ds, 20, 1, 1, &C[k], &lps[k], &err), &err);
        else
            REPRO_ASSERT_OK(repro_fri_search_C_cv(&rng, ds, 20, 1, 1,
                                                  k == 1 ? REPRO_FRI_CV_STRATIFIED : REPRO_FRI_CV_KFOLD,
                                                  &C[k], &lps[k], &err),
                            &err);
    }
    CU_ASSERT_EQUAL(C[0], C[1]);
    CU_ASSERT_EQUAL(lps[0], lps[1]);
    CU_ASSERT_NOT_EQUAL(C[1], C[2]);
    repro_dataset_free(ds);
}

/* The option reaches the search through repro_fri_fit, and a bad value is
 * refused. */
static void test_option(void)
{
    repro_dataset *ds = repro_test_data("nonlinear:n=300,strong=3,weak=0,irrelevant=2", 7);
    repro_error err;
    repro_fri_options opt;
    repro_fri_options_default(&opt);
    CU_ASSERT_EQUAL(opt.cv, REPRO_FRI_CV_STRATIFIED);
    opt.n_search = 20;
    opt.n_probes = 5;
    repro_fri_result r[2];
    for (int k = 0; k < 2; k++) {
        repro_rng rng;
        repro_rng_seed(&rng, 41, 3);
        opt.cv = k ? REPRO_FRI_CV_KFOLD : REPRO_FRI_CV_STRATIFIED;
        REPRO_ASSERT_OK(repro_fri_fit(&rng, ds, &opt, 1, &r[k], &err), &err);
    }
    CU_ASSERT_NOT_EQUAL(r[0].C, r[1].C);
    repro_fri_result_clear(&r[0]);
    repro_fri_result_clear(&r[1]);
    repro_rng rng;
    repro_rng_seed(&rng, 41, 3);
    opt.cv = 2;
    CU_ASSERT_EQUAL(repro_fri_fit(&rng, ds, &opt, 1, &r[0], &err), REPRO_EINVAL);
    repro_dataset_free(ds);
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"contiguous K-fold blocks", test_kfold_blocks},
        {"contiguous folds ignore the labels", test_kfold_ignores_labels},
        {"FRI's search: stratified and contiguous folds pick different C", test_search_folds},
        {"FRI option cv", test_option},
        CU_TEST_INFO_NULL,
    };
    return repro_test_run("fri_cv", tests);
}
