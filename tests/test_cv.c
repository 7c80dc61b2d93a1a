/* test_cv.c - stratified K-fold without shuffling (ALGORITHMS.md §11). */
#include <stdlib.h>

#include "repro/cv.h"
#include "testutil.h"

/* n = 11 rows, K = 3, uneven classes:
 *   row:    0  1  2  3  4  5  6  7  8  9 10
 *   y:     +1 -1 +1 +1 -1 +1 +1 -1 +1 +1 -1
 * Sorted labels: four -1 then seven +1, dealt round-robin to folds
 *   0 1 2 0 | 1 2 0 1 2 0 1
 * so the quotas are: class -1: fold0 2, fold1 1, fold2 1;
 *                    class +1: fold0 2, fold1 3, fold2 2.
 * Class -1 rows in order (1, 4, 7, 10) fill folds 0, 0, 1, 2;
 * class +1 rows (0, 2, 3, 5, 6, 8, 9) fill folds 0, 0, 1, 1, 1, 2, 2.
 * Fold vector: 0 0 0 1 0 1 1 1 2 2 2 (test sizes 4, 4, 3). */
static void test_worked_example(void)
{
    const int y[] = {1, -1, 1, 1, -1, 1, 1, -1, 1, 1, -1};
    const int expect[] = {0, 0, 0, 1, 0, 1, 1, 1, 2, 2, 2};
    int fold[11];
    repro_error err;
    REPRO_ASSERT_OK(repro_cv_stratified_folds(y, 11, 3, fold, &err), &err);
    for (int i = 0; i < 11; i++)
        CU_ASSERT_EQUAL(fold[i], expect[i]);
    size_t train[11], test[11], n_train, n_test;
    repro_cv_split(fold, 11, 1, train, &n_train, test, &n_test);
    CU_ASSERT_EQUAL(n_test, 4);
    CU_ASSERT_EQUAL(n_train, 7);
    const size_t expect_test[] = {3, 5, 6, 7};
    for (size_t i = 0; i < 4; i++)
        CU_ASSERT_EQUAL(test[i], expect_test[i]);
    CU_ASSERT_EQUAL(train[0], 0);
    CU_ASSERT_EQUAL(train[6], 10);
}

/* Every row lands in exactly one test fold, classes spread as evenly as the
 * round-robin deal allows (counts per fold differ by at most one). */
static void test_balance(void)
{
    enum { N = 103, K = 5 };
    int y[N], fold[N];
    for (int i = 0; i < N; i++)
        y[i] = (i % 7 == 0 || i % 5 == 0) ? -1 : 1;
    repro_error err;
    REPRO_ASSERT_OK(repro_cv_stratified_folds(y, N, K, fold, &err), &err);
    int cnt[2][K] = {{0}};
    for (int i = 0; i < N; i++) {
        CU_ASSERT(fold[i] >= 0 && fold[i] < K);
        cnt[y[i] > 0][fold[i]]++;
    }
    for (int c = 0; c < 2; c++)
        for (int f = 1; f < K; f++)
            CU_ASSERT(abs(cnt[c][f] - cnt[c][0]) <= 1);
}

/* k < 2 and k > n are refused. */
static void test_bad_k(void)
{
    const int y[] = {1, -1, 1};
    int fold[3];
    repro_error err;
    CU_ASSERT_EQUAL(repro_cv_stratified_folds(y, 3, 1, fold, &err), REPRO_EINVAL);
    CU_ASSERT_EQUAL(repro_cv_stratified_folds(y, 3, 4, fold, &err), REPRO_EINVAL);
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"worked example (n=11, K=3, uneven)", test_worked_example},
        {"balanced folds", test_balance},
        {"bad k", test_bad_k},
        CU_TEST_INFO_NULL,
    };
    return repro_test_run("cv", tests);
}
