/* test_cv.c - stratified K-fold (ALGORITHMS.md §11) on worked examples.
 * Expected folds were worked out by hand from the library's rule: number the
 * classes in the order they first appear in y, deal the rows sorted by that
 * number round-robin into K folds to get per-class quotas, then fill fold 0's
 * quota of each class with that class's first rows, and so on. Where
 * scikit-learn accepts the input, StratifiedKFold(K) (1.2.1) gives the same
 * folds. */
#include <CUnit/CUnit.h>

#include "repro/cv.h"
#include "testutil.h"

/* 7 positives then 3 negatives, K = 3 (n divisible by neither K nor evenly
 * split). +1 appears first: +1 x7 -1 x3 dealt -> quotas +1: 3,2,2; -1: 1,1,1. */
static void test_uneven_classes(void)
{
    const int y[10] = {1, 1, 1, 1, 1, 1, 1, -1, -1, -1};
    const int expect[10] = {0, 0, 0, 1, 1, 2, 2, 0, 1, 2};
    int fold[10];
    repro_error err;
    REPRO_ASSERT_OK(repro_cv_stratified_folds(y, 10, 3, fold, &err), &err);
    for (int i = 0; i < 10; i++)
        CU_ASSERT_EQUAL(fold[i], expect[i]);
}

/* Interleaved labels, n = 8, K = 3: quotas -1: 1,1,1; +1: 2,2,1. */
static void test_interleaved(void)
{
    const int y[8] = {-1, 1, -1, 1, 1, 1, -1, 1};
    const int expect[8] = {0, 0, 1, 0, 1, 1, 2, 2};
    int fold[8];
    repro_error err;
    REPRO_ASSERT_OK(repro_cv_stratified_folds(y, 8, 3, fold, &err), &err);
    for (int i = 0; i < 8; i++)
        CU_ASSERT_EQUAL(fold[i], expect[i]);
    /* Fold 1's split keeps the original row order on both sides. */
    size_t train[8], test[8], n_train, n_test;
    repro_cv_split(fold, 8, 1, train, &n_train, test, &n_test);
    const size_t etrain[5] = {0, 1, 3, 6, 7}, etest[3] = {2, 4, 5};
    CU_ASSERT_EQUAL_FATAL(n_train, 5);
    CU_ASSERT_EQUAL_FATAL(n_test, 3);
    for (int i = 0; i < 5; i++)
        CU_ASSERT_EQUAL(train[i], etrain[i]);
    for (int i = 0; i < 3; i++)
        CU_ASSERT_EQUAL(test[i], etest[i]);
}

/* K = n: one row per fold; the positives appear first and take folds 0-2. */
static void test_k_equals_n(void)
{
    const int y[5] = {1, -1, 1, -1, 1};
    const int expect[5] = {0, 3, 1, 4, 2};
    int fold[5];
    repro_error err;
    REPRO_ASSERT_OK(repro_cv_stratified_folds(y, 5, 5, fold, &err), &err);
    for (int i = 0; i < 5; i++)
        CU_ASSERT_EQUAL(fold[i], expect[i]);
}

/* Every class is spread as evenly as possible: per fold, a class's count
 * differs from its share n_c / K by less than one. */
static void test_class_balance(void)
{
    repro_dataset *ds = repro_test_data("linear:n=157,strong=2,weak=0,irrelevant=1", 11);
    int fold[157];
    repro_error err;
    REPRO_ASSERT_OK(repro_cv_stratified_folds(ds->y, ds->n, 5, fold, &err), &err);
    for (int cls = -1; cls <= 1; cls += 2) {
        size_t total = 0, per[5] = {0};
        for (size_t i = 0; i < ds->n; i++)
            if (ds->y[i] == cls) {
                total++;
                per[fold[i]]++;
            }
        for (int f = 0; f < 5; f++) {
            double share = (double)total / 5.0;
            CU_ASSERT((double)per[f] > share - 1.0 && (double)per[f] < share + 1.0);
        }
    }
    repro_dataset_free(ds);
}

/* n = 11 rows, K = 3, uneven classes:
 *   row:    0  1  2  3  4  5  6  7  8  9 10
 *   y:     +1 -1 +1 +1 -1 +1 +1 -1 +1 +1 -1
 * +1 appears first (class 0): seven +1 then four -1, dealt round-robin to
 *   0 1 2 0 1 2 0 | 1 2 0 1
 * so the quotas are: class +1: fold0 3, fold1 2, fold2 2;
 *                    class -1: fold0 1, fold1 2, fold2 1.
 * Class +1 rows (0, 2, 3, 5, 6, 8, 9) fill folds 0, 0, 0, 1, 1, 2, 2;
 * class -1 rows in order (1, 4, 7, 10) fill folds 0, 1, 1, 2.
 * Fold vector: 0 0 0 0 1 1 1 1 2 2 2 (test sizes 4, 4, 3). Numbering the
 * classes by label value instead (-1 first) gives 0 0 0 1 0 1 1 1 2 2 2. */
static void test_worked_example(void)
{
    const int y[] = {1, -1, 1, 1, -1, 1, 1, -1, 1, 1, -1};
    const int expect[] = {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2};
    int fold[11];
    repro_error err;
    REPRO_ASSERT_OK(repro_cv_stratified_folds(y, 11, 3, fold, &err), &err);
    for (int i = 0; i < 11; i++)
        CU_ASSERT_EQUAL(fold[i], expect[i]);
    size_t train[11], test[11], n_train, n_test;
    repro_cv_split(fold, 11, 1, train, &n_train, test, &n_test);
    CU_ASSERT_EQUAL(n_test, 4);
    CU_ASSERT_EQUAL(n_train, 7);
    const size_t expect_test[] = {4, 5, 6, 7};
    for (size_t i = 0; i < 4; i++)
        CU_ASSERT_EQUAL(test[i], expect_test[i]);
    CU_ASSERT_EQUAL(train[0], 0);
    CU_ASSERT_EQUAL(train[6], 10);
}

static void test_bad_k(void)
{
    const int y[3] = {1, -1, 1};
    int fold[3];
    repro_error err;
    CU_ASSERT_EQUAL(repro_cv_stratified_folds(y, 3, 1, fold, &err), REPRO_EINVAL);
    CU_ASSERT_EQUAL(repro_cv_stratified_folds(y, 3, 4, fold, &err), REPRO_EINVAL);
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"uneven classes, n not divisible by K", test_uneven_classes},
        {"interleaved labels and split", test_interleaved},
        {"K equals n", test_k_equals_n},
        {"classes spread evenly", test_class_balance},
        {"worked example with the train/test split (n=11, K=3)", test_worked_example},
        {"bad K", test_bad_k},
        CU_TEST_INFO_NULL,
    };
    return repro_test_run("cv", tests);
}
