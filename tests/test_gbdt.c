/* test_gbdt.c - the gradient-boosted trees with LightGBM's default
 * LGBMClassifier() semantics (gbdt.h): boosting rounds computed by hand on a
 * two-group set, the min_data_in_leaf rule, the tie rule between equal
 * columns, a separable set and the determinism of a fit. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "repro/gbdt.h"
#include "testutil.h"

/* Bins of an n x d row-major matrix with LightGBM's binning defaults. */
static repro_forest_bins *bins_of(const double *X, size_t n, size_t d)
{
    repro_forest_bins *b = NULL;
    repro_error err;
    REPRO_ASSERT_OK(repro_forest_bins_build(X, n, d, 255, 3, &b, &err), &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    return b;
}

/* The logistic function, for the hand computations. */
static double sigmoid(double z)
{
    return 1.0 / (1.0 + exp(-z));
}

/* 40 rows, one column: x = 0 holds 5 positives of 20 rows, x = 1 holds 15
 * of 20. p = 0.5, so the initial score is 0, every gradient is 0.5 - y and
 * every hessian 0.25. Round 1 splits x <= 0 from x = 1 with G_L = 5, H_L = 5,
 * G_R = -5, H_R = 5: leaf values -0.1 and +0.1 (learning rate 0.1), gain 10.
 * Every later round splits the same way; a group's score F follows
 * F <- F - 0.1 * G/H with G = 20 (sigmoid(F) - q), H = 20 sigmoid(F)
 * (1 - sigmoid(F)), q its positive share. Training accuracy 0.75. */
static void test_two_groups_by_hand(void)
{
    const size_t n = 40;
    double X[40];
    int y[40];
    for (size_t i = 0; i < n; i++) {
        X[i] = i < 20 ? 0.0 : 1.0;
        y[i] = i < 20 ? (i < 5 ? 1 : -1) : (i < 35 ? 1 : -1);
    }
    repro_forest_bins *b = bins_of(X, n, 1);
    CU_ASSERT_EQUAL(b->n_bins[0], 2);
    repro_gbdt_params p;
    repro_gbdt_params_default(&p);
    CU_ASSERT_EQUAL(p.n_iter, 100);
    CU_ASSERT_EQUAL(p.num_leaves, 31);
    CU_ASSERT_EQUAL(p.min_data_in_leaf, 20);
    CU_ASSERT_DOUBLE_EQUAL(p.learning_rate, 0.1, 0.0);
    CU_ASSERT_DOUBLE_EQUAL(p.min_sum_hessian, 1e-3, 0.0);
    CU_ASSERT_DOUBLE_EQUAL(p.lambda_l2, 0.0, 0.0);
    repro_gbdt *m = NULL;
    repro_error err;
    REPRO_ASSERT_OK(repro_gbdt_fit_bins(b, y, &p, &m, &err), &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    CU_ASSERT_DOUBLE_EQUAL(m->init_score, 0.0, 1e-15);
    CU_ASSERT_EQUAL(m->n_trees, 100);
    const repro_forest_tree *t0 = &m->trees[0];
    CU_ASSERT_EQUAL(t0->n_leaves, 2);
    CU_ASSERT_EQUAL(t0->split_feature[0], 0);
    CU_ASSERT_EQUAL(t0->split_bin[0], 0);
    CU_ASSERT_DOUBLE_EQUAL(t0->leaf_value[0], -0.1, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(t0->leaf_value[1], 0.1, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(t0->split_gain[0], 10.0, 1e-9);
    CU_ASSERT_EQUAL(t0->leaf_count[0], 20);
    CU_ASSERT_EQUAL(t0->leaf_count[1], 20);
    /* round 2 by hand */
    double s = sigmoid(-0.1);
    double GL = 20.0 * (s - 0.25), HL = 20.0 * s * (1.0 - s);
    CU_ASSERT_DOUBLE_EQUAL(m->trees[1].leaf_value[0], -0.1 * GL / HL, 1e-12);
    /* all rounds: the two groups' scores */
    double Fl = 0.0, Fr = 0.0;
    for (int r = 0; r < 100; r++) {
        double sl = sigmoid(Fl), sr = sigmoid(Fr);
        Fl -= 0.1 * (sl - 0.25) / (sl * (1.0 - sl));
        Fr -= 0.1 * (sr - 0.75) / (sr * (1.0 - sr));
    }
    double score[40];
    REPRO_ASSERT_OK(repro_gbdt_predict_bins(m, b, score, &err), &err);
    CU_ASSERT_DOUBLE_EQUAL(score[0], Fl, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(score[39], Fr, 1e-9);
    CU_ASSERT(Fl < log(0.25 / 0.75) + 1e-3 && Fl > log(0.25 / 0.75) - 0.2);
    CU_ASSERT_DOUBLE_EQUAL(m->train_accuracy, 0.75, 0.0);
    CU_ASSERT_DOUBLE_EQUAL(m->split_importance[0], 100.0, 0.0);
    repro_gbdt_free(m);
    repro_forest_bins_free(b);
}

/* x = 0 (10 rows, all negative), x = 1 (10 rows, all positive), x = 2 (20
 * rows, 15 positive). The best split, x <= 0 (gain 22.2 against 2.67 for
 * x <= 1), leaves 10 rows on one side: not admissible with min_data_in_leaf
 * 20, so the tree splits x <= 1; with min_data_in_leaf 5 it takes x <= 0.
 * The initial score is the log-odds of the positive share. */
static void test_min_data_in_leaf(void)
{
    const size_t n = 40;
    double X[40];
    int y[40];
    for (size_t i = 0; i < n; i++) {
        X[i] = i < 10 ? 0.0 : (i < 20 ? 1.0 : 2.0);
        y[i] = i < 10 ? -1 : (i < 20 ? 1 : (i < 35 ? 1 : -1));
    }
    repro_forest_bins *b = bins_of(X, n, 1);
    CU_ASSERT_EQUAL_FATAL(b->n_bins[0], 3);
    repro_gbdt_params p;
    repro_gbdt_params_default(&p);
    p.n_iter = 1;
    repro_gbdt *m = NULL;
    repro_error err;
    REPRO_ASSERT_OK(repro_gbdt_fit_bins(b, y, &p, &m, &err), &err);
    CU_ASSERT_EQUAL_FATAL(m->n_trees, 1);
    CU_ASSERT_EQUAL(m->trees[0].n_leaves, 2);
    CU_ASSERT_EQUAL(m->trees[0].split_bin[0], 1);
    repro_gbdt_free(m);
    p.min_data_in_leaf = 5;
    REPRO_ASSERT_OK(repro_gbdt_fit_bins(b, y, &p, &m, &err), &err);
    CU_ASSERT_EQUAL(m->trees[0].split_bin[0], 0);
    /* 5 rows per leaf: x = 1 and x = 2 are split next (best first) */
    CU_ASSERT_EQUAL(m->trees[0].n_leaves, 3);
    repro_gbdt_free(m);
    /* 25 positives of 40: initial score log(25/15) */
    p.n_iter = 3;
    REPRO_ASSERT_OK(repro_gbdt_fit_bins(b, y, &p, &m, &err), &err);
    CU_ASSERT_DOUBLE_EQUAL(m->init_score, log(25.0 / 15.0), 1e-12);
    repro_gbdt_free(m);
    repro_forest_bins_free(b);
}

/* Two identical columns: every split goes to the lower column (equal gains),
 * and the label (x > 0.5 with x uniform on a grid) is fitted exactly. */
static void test_ties_and_separable(void)
{
    const size_t n = 200, d = 3;
    double *X = malloc(sizeof *X * n * d);
    int *y = malloc(sizeof *y * n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(X);
    CU_ASSERT_PTR_NOT_NULL_FATAL(y);
    for (size_t i = 0; i < n; i++) {
        double x = (double)((i * 71) % n) / (double)n;
        X[i * d + 0] = sin(1.7 * (double)i); /* unrelated to the label */
        X[i * d + 1] = x;
        X[i * d + 2] = x;
        y[i] = x > 0.5 ? 1 : -1;
    }
    repro_forest_bins *b = bins_of(X, n, d);
    repro_gbdt_params p;
    repro_gbdt_params_default(&p);
    repro_gbdt *m = NULL, *m2 = NULL;
    repro_error err;
    REPRO_ASSERT_OK(repro_gbdt_fit_bins(b, y, &p, &m, &err), &err);
    CU_ASSERT_DOUBLE_EQUAL(m->train_accuracy, 1.0, 0.0);
    CU_ASSERT(m->split_importance[1] >= 1.0);
    CU_ASSERT_DOUBLE_EQUAL(m->split_importance[2], 0.0, 0.0);
    /* the first split is at the class boundary, up to a bin (bins hold at
     * least 3 of the 200 grid values, so the edge next to 0.5 may be off by
     * up to 3/200) */
    CU_ASSERT_EQUAL(m->trees[0].split_feature[0], 1);
    CU_ASSERT(m->trees[0].threshold[0] >= 0.485 && m->trees[0].threshold[0] <= 0.515);
    /* the same fit twice: identical trees and scores */
    REPRO_ASSERT_OK(repro_gbdt_fit_bins(b, y, &p, &m2, &err), &err);
    CU_ASSERT_EQUAL_FATAL(m->n_trees, m2->n_trees);
    for (size_t t = 0; t < m->n_trees; t++) {
        CU_ASSERT_EQUAL_FATAL(m->trees[t].n_leaves, m2->trees[t].n_leaves);
        CU_ASSERT(memcmp(m->trees[t].leaf_value, m2->trees[t].leaf_value,
                         sizeof(double) * (size_t)m->trees[t].n_leaves) == 0);
    }
    /* the prediction gives the training accuracy */
    double *score = malloc(sizeof *score * n);
    REPRO_ASSERT_OK(repro_gbdt_predict_bins(m, b, score, &err), &err);
    CU_ASSERT_DOUBLE_EQUAL(repro_forest_score_accuracy(score, y, n), m->train_accuracy, 0.0);
    free(score);
    repro_gbdt_free(m);
    repro_gbdt_free(m2);
    repro_forest_bins_free(b);
    free(X);
    free(y);
}

/* Pure noise with 20 rows per leaf: the trees still split (gbdt fits the
 * training data), so splits land on every column. Bad parameters fail. */
static void test_noise_and_checks(void)
{
    const size_t n = 150, d = 4;
    double *X = malloc(sizeof *X * n * d);
    int *y = malloc(sizeof *y * n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(X);
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < d; j++)
            X[i * d + j] = sin(0.37 * (double)(i * (j + 3) % 151) + (double)j);
        y[i] = ((i * 7919) % 13) < 6 ? 1 : -1;
    }
    repro_forest_bins *b = bins_of(X, n, d);
    repro_gbdt_params p;
    repro_gbdt_params_default(&p);
    repro_gbdt *m = NULL;
    repro_error err;
    REPRO_ASSERT_OK(repro_gbdt_fit_bins(b, y, &p, &m, &err), &err);
    CU_ASSERT(m->train_accuracy > 0.7);
    for (size_t j = 0; j < d; j++)
        CU_ASSERT(m->split_importance[j] > 0.0);
    for (size_t t = 0; t < m->n_trees; t++)
        for (int l = 0; l < m->trees[t].n_leaves; l++)
            CU_ASSERT(m->trees[t].leaf_count[l] >= 20);
    repro_gbdt_free(m);
    p.min_data_in_leaf = 0;
    CU_ASSERT_EQUAL(repro_gbdt_fit_bins(b, y, &p, &m, &err), REPRO_EINVAL);
    CU_ASSERT(strstr(err.msg, "min_data_in_leaf") != NULL);
    repro_gbdt_params_default(&p);
    y[3] = 0;
    CU_ASSERT_EQUAL(repro_gbdt_fit_bins(b, y, &p, &m, &err), REPRO_EINVAL);
    repro_forest_bins_free(b);
    free(X);
    free(y);
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"two groups: rounds by hand", test_two_groups_by_hand},
        {"min_data_in_leaf and the initial score", test_min_data_in_leaf},
        {"equal columns, separable set, determinism", test_ties_and_separable},
        {"noise and parameter checks", test_noise_and_checks},
        CU_TEST_INFO_NULL,
    };
    return repro_test_run("gbdt", tests);
}
