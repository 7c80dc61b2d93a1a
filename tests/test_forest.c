/* test_forest.c - the random forest (ALGORITHMS.md §4): accuracy, importances,
 * growth limits, determinism across seeds and threads, binning reuse. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "repro/forest.h"
#include "testutil.h"

/* Fits a forest with params p and seed s on ds. */
static repro_forest *fit(const repro_dataset *ds, const repro_forest_params *p, uint64_t s,
                         int threads)
{
    repro_rng rng;
    repro_error err;
    repro_forest *f = NULL;
    repro_rng_seed(&rng, s, 3);
    REPRO_ASSERT_OK(repro_forest_fit(ds->X, ds->n, ds->d, ds->y, p, &rng, threads, &f, &err), &err);
    return f;
}

/* y = sign(x0): one informative column and noise. */
static void test_accuracy_separable(void)
{
    repro_dataset *ds = repro_test_data("linear:n=300,strong=1,weak=0,irrelevant=5", 11);
    repro_forest_params p;
    repro_forest_params_default(&p);
    repro_forest *f = fit(ds, &p, 1, 1);
    CU_ASSERT(f->train_accuracy >= 0.95);
    /* the stored training accuracy agrees with predictions on raw rows */
    double *score = malloc(sizeof *score * ds->n);
    repro_error err;
    REPRO_ASSERT_OK(repro_forest_predict(f, ds->X, ds->n, ds->d, score, &err), &err);
    CU_ASSERT_DOUBLE_EQUAL(repro_forest_score_accuracy(score, ds->y, ds->n), f->train_accuracy,
                           1e-12);
    free(score);
    repro_forest_free(f);
    repro_dataset_free(ds);

    /* three informative columns summed: still well fit */
    ds = repro_test_data("linear:n=300,strong=3,weak=0,irrelevant=3", 12);
    f = fit(ds, &p, 2, 1);
    CU_ASSERT(f->train_accuracy >= 0.9);
    repro_forest_free(f);
    repro_dataset_free(ds);
}

/* Noise columns get far less gain than informative ones. */
static void test_importance(void)
{
    repro_dataset *ds = repro_test_data("linear:n=400,strong=2,weak=0,irrelevant=6", 21);
    repro_forest_params p;
    repro_forest_params_default(&p);
    repro_forest *f = fit(ds, &p, 5, 1);
    double gain[8], split[8];
    repro_forest_importance(f, REPRO_IMPORTANCE_GAIN, gain);
    repro_forest_importance(f, REPRO_IMPORTANCE_SPLIT, split);
    double min_inf = fmin(gain[0], gain[1]), max_noise = 0.0;
    for (int j = 2; j < 8; j++)
        max_noise = fmax(max_noise, gain[j]);
    CU_ASSERT(min_inf > 0.0);
    CU_ASSERT(max_noise < 0.1 * min_inf);
    /* split counts add up to the internal nodes of all trees */
    double total = 0.0, nodes = 0.0;
    for (int j = 0; j < 8; j++)
        total += split[j];
    for (size_t t = 0; t < f->n_trees; t++)
        nodes += f->trees[t].n_leaves - 1;
    CU_ASSERT_DOUBLE_EQUAL(total, nodes, 0.0);
    repro_forest_free(f);
    repro_dataset_free(ds);
}

/* Depth, leaves, child size and bag size limits hold in every tree. */
static void test_limits(void)
{
    repro_dataset *ds = repro_test_data("linear:n=500,strong=4,weak=0,irrelevant=4", 31);
    repro_forest_params p;
    repro_forest_params_default(&p);
    int cfg[3][3] = {{5, 32, 20}, {3, 32, 50}, {5, 6, 5}}; /* depth, leaves, min rows */
    for (int c = 0; c < 3; c++) {
        p.max_depth = cfg[c][0];
        p.num_leaves = cfg[c][1];
        p.min_child_rows = (size_t)cfg[c][2];
        repro_forest *f = fit(ds, &p, 7, 1);
        int reached_limit = 0;
        for (size_t t = 0; t < f->n_trees; t++) {
            repro_forest_tree_info info;
            repro_forest_tree_info_get(f, t, &info);
            CU_ASSERT(info.max_depth <= p.max_depth);
            CU_ASSERT(info.n_leaves <= p.num_leaves);
            CU_ASSERT(info.min_leaf_count >= (int)p.min_child_rows);
            CU_ASSERT_EQUAL(info.total_count, (int)floor(0.632 * 500));
            reached_limit |= info.max_depth == p.max_depth || info.n_leaves == p.num_leaves;
        }
        CU_ASSERT(reached_limit);
        repro_forest_free(f);
    }
    repro_dataset_free(ds);
}

/* Each tree uses at most round(ff * d) distinct columns. */
static void test_feature_fraction(void)
{
    repro_dataset *ds = repro_test_data("linear:n=300,strong=10,weak=0,irrelevant=10", 41);
    repro_forest_params p;
    repro_forest_params_default(&p);
    p.feature_fraction = 0.1; /* 2 of 20 */
    repro_forest *f = fit(ds, &p, 9, 1);
    int used_any[20] = {0};
    for (size_t t = 0; t < f->n_trees; t++) {
        int used[20] = {0}, k = 0;
        const repro_forest_tree *tr = &f->trees[t];
        for (int q = 0; q + 1 < tr->n_leaves; q++)
            if (!used[tr->split_feature[q]]++) {
                k++;
                used_any[tr->split_feature[q]] = 1;
            }
        CU_ASSERT(k <= 2);
    }
    int any = 0;
    for (int j = 0; j < 20; j++)
        any += used_any[j];
    CU_ASSERT(any >= 10); /* different trees draw different columns */
    repro_forest_free(f);
    repro_dataset_free(ds);
}

/* Compares two forests byte for byte. */
static int same_bytes(const repro_forest *a, const repro_forest *b)
{
    unsigned char *ba, *bb;
    size_t la, lb;
    repro_error err;
    REPRO_ASSERT_OK(repro_forest_serialize(a, &ba, &la, &err), &err);
    REPRO_ASSERT_OK(repro_forest_serialize(b, &bb, &lb, &err), &err);
    int same = la == lb && memcmp(ba, bb, la) == 0;
    free(ba);
    free(bb);
    return same;
}

/* Same seed -> same bytes; another seed -> other bytes; threads do not matter. */
static void test_determinism(void)
{
    repro_dataset *ds = repro_test_data("linear:n=400,strong=3,weak=3,irrelevant=6", 51);
    repro_forest_params p;
    repro_forest_params_default(&p);
    p.feature_fraction = 0.5;
    repro_forest *a = fit(ds, &p, 77, 1);
    repro_forest *b = fit(ds, &p, 77, 1);
    repro_forest *c = fit(ds, &p, 78, 1);
    repro_forest *t2 = fit(ds, &p, 77, 2);
    repro_forest *t3 = fit(ds, &p, 77, 3);
    CU_ASSERT(same_bytes(a, b));
    CU_ASSERT(!same_bytes(a, c));
    CU_ASSERT(same_bytes(a, t2));
    CU_ASSERT(same_bytes(a, t3));
    repro_forest_free(a);
    repro_forest_free(b);
    repro_forest_free(c);
    repro_forest_free(t2);
    repro_forest_free(t3);
    repro_dataset_free(ds);
}

/* Binning: one bin per 3 distinct values below 255, at most 255 bins, a
 * constant column gets one bin; reused bins give the same forest. */
static void test_bins(void)
{
    repro_error err;
    repro_dataset *ds = repro_test_data("linear:n=150,strong=2,weak=0,irrelevant=2", 61);
    repro_forest_bins *b = NULL;
    REPRO_ASSERT_OK(repro_forest_bins_build(ds->X, ds->n, ds->d, 255, 3, &b, &err), &err);
    for (size_t j = 0; j < ds->d; j++)
        CU_ASSERT_EQUAL(b->n_bins[j], 50); /* 150 distinct values, 3 per bin */
    repro_forest_bins_free(b);
    repro_dataset_free(ds);

    ds = repro_test_data("linear:n=2000,strong=2,weak=0,irrelevant=2", 62);
    for (size_t i = 0; i < ds->n; i++)
        ds->X[i * ds->d + 3] = 1.5; /* constant */
    REPRO_ASSERT_OK(repro_forest_bins_build(ds->X, ds->n, ds->d, 255, 3, &b, &err), &err);
    CU_ASSERT(b->n_bins[0] > 200 && b->n_bins[0] <= 255);
    CU_ASSERT_EQUAL(b->n_bins[3], 1);
    /* bins are monotone in the value */
    for (size_t i = 0; i < ds->n; i++)
        for (size_t k = 0; k < ds->n; k += 97)
            if (ds->X[i * ds->d] < ds->X[k * ds->d])
                CU_ASSERT(b->bin[i] <= b->bin[k]);

    /* fit on bins == fit on X; a selected copy with a permuted extra column */
    repro_forest_params p;
    repro_forest_params_default(&p);
    p.n_trees = 20;
    repro_rng rng;
    repro_rng_seed(&rng, 5, 3); /* the stream fit() uses for seed 5 */
    repro_forest *f1 = NULL, *f2 = NULL, *f3 = NULL;
    REPRO_ASSERT_OK(repro_forest_fit_bins(b, ds->y, &p, &rng, 1, &f1, &err), &err);
    f2 = fit(ds, &p, 5, 1);
    CU_ASSERT(same_bytes(f1, f2));
    size_t cols[2] = {2, 0};
    repro_forest_bins *sel = NULL;
    REPRO_ASSERT_OK(repro_forest_bins_select(b, NULL, 0, cols, 2, 1, &sel, &err), &err);
    CU_ASSERT_EQUAL(sel->d, 3);
    size_t *perm = malloc(sizeof *perm * ds->n);
    repro_rng_permutation(&rng, perm, ds->n);
    repro_forest_bins_set_permuted(sel, 2, b, 0, perm);
    CU_ASSERT_EQUAL(sel->n_bins[2], b->n_bins[0]);
    for (size_t i = 0; i < ds->n; i++) {
        CU_ASSERT_EQUAL(sel->bin[2 * ds->n + i], b->bin[perm[i]]);
        CU_ASSERT_EQUAL(sel->bin[i], b->bin[2 * ds->n + i]);
    }
    REPRO_ASSERT_OK(repro_forest_fit_bins(sel, ds->y, &p, &rng, 1, &f3, &err), &err);
    double gain[3];
    repro_forest_importance(f3, REPRO_IMPORTANCE_GAIN, gain);
    CU_ASSERT(gain[1] > 10.0 * gain[2]); /* the permuted copy lost its information */
    /* a row subset keeps the edges */
    size_t rows[3] = {5, 1, 7};
    repro_forest_bins *rs = NULL;
    REPRO_ASSERT_OK(repro_forest_bins_select(b, rows, 3, NULL, 0, 0, &rs, &err), &err);
    CU_ASSERT_EQUAL(rs->n, 3);
    CU_ASSERT_EQUAL(rs->bin[1], b->bin[1]);
    CU_ASSERT_EQUAL(rs->bin[3 + 2], b->bin[ds->n + 7]);
    free(perm);
    repro_forest_bins_free(rs);
    repro_forest_bins_free(sel);
    repro_forest_bins_free(b);
    repro_forest_free(f1);
    repro_forest_free(f2);
    repro_forest_free(f3);
    repro_dataset_free(ds);
}

/* Bad inputs are rejected with a message. */
static void test_bad_input(void)
{
    repro_dataset *ds = repro_test_data("linear:n=50,strong=1,weak=0,irrelevant=1", 71);
    repro_forest_params p;
    repro_forest_params_default(&p);
    repro_rng rng;
    repro_rng_seed(&rng, 1, 1);
    repro_error err;
    static repro_forest sentinel; /* a failed fit must set *out to NULL */
    repro_forest *f = &sentinel;
    p.feature_fraction = 0.0;
    CU_ASSERT_EQUAL(repro_forest_fit(ds->X, ds->n, ds->d, ds->y, &p, &rng, 1, &f, &err), REPRO_EINVAL);
    CU_ASSERT(strstr(err.msg, "feature_fraction") != NULL);
    repro_forest_params_default(&p);
    p.max_bins = 300;
    CU_ASSERT_EQUAL(repro_forest_fit(ds->X, ds->n, ds->d, ds->y, &p, &rng, 1, &f, &err), REPRO_EINVAL);
    repro_forest_params_default(&p);
    ds->y[3] = 0;
    CU_ASSERT_EQUAL(repro_forest_fit(ds->X, ds->n, ds->d, ds->y, &p, &rng, 1, &f, &err), REPRO_EINVAL);
    CU_ASSERT(strstr(err.msg, "row 3") != NULL);
    CU_ASSERT_PTR_NULL(f);
    /* one class only: single-leaf trees predicting that class */
    for (size_t i = 0; i < ds->n; i++)
        ds->y[i] = 1;
    REPRO_ASSERT_OK(repro_forest_fit(ds->X, ds->n, ds->d, ds->y, &p, &rng, 1, &f, &err), &err);
    CU_ASSERT_EQUAL(f->trees[0].n_leaves, 1);
    CU_ASSERT_DOUBLE_EQUAL(f->train_accuracy, 1.0, 0.0);
    repro_forest_free(f);
    /* bags above 65535 rows are refused with a message */
    size_t big = 110000;
    double *X = calloc(big, sizeof *X);
    int *y = malloc(sizeof *y * big);
    for (size_t i = 0; i < big; i++) {
        X[i] = (double)(i % 1000);
        y[i] = i % 2 ? 1 : -1;
    }
    f = &sentinel;
    CU_ASSERT_EQUAL(repro_forest_fit(X, big, 1, y, &p, &rng, 1, &f, &err), REPRO_EINVAL);
    CU_ASSERT(strstr(err.msg, "65535") != NULL);
    CU_ASSERT_PTR_NULL(f);
    free(X);
    free(y);
    repro_forest_free(NULL);
    repro_forest_bins_free(NULL);
    repro_dataset_free(ds);
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"accuracy on separable data", test_accuracy_separable},
        {"gain importance of noise", test_importance},
        {"depth, leaves and child size limits", test_limits},
        {"feature fraction per tree", test_feature_fraction},
        {"same seed same bytes, any threads", test_determinism},
        {"binning and bin reuse", test_bins},
        {"bad input", test_bad_input},
        CU_TEST_INFO_NULL,
    };
    return repro_test_run("forest", tests);
}
