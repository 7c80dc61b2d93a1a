/* test_gbdt_bits.c - the boosted trees' results pinned to the bit: a
 * fingerprint (FNV-1a over every tree field, the importances, the initial
 * score, the training accuracy and the raw scores of the training rows) of
 * fits on generated data, with the defaults and with other settings, equal
 * to the one the code at d6c95eb (before the histogram and split-search
 * changes) gave; and invariants every fit must keep. A change of any bit of a
 * fit fails here. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repro/gbdt.h"
#include "repro/rng.h"
#include "testutil.h"

/* FNV-1a 64 over n bytes, continuing from h. */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++) {
        h ^= c[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* The fingerprint of model m and its raw scores on bins. */
static uint64_t fingerprint(const repro_gbdt *m, const repro_forest_bins *bins)
{
    uint64_t h = 14695981039346656037ULL;
    h = fnv(h, &m->init_score, sizeof m->init_score);
    h = fnv(h, &m->train_accuracy, sizeof m->train_accuracy);
    h = fnv(h, &m->n_trees, sizeof m->n_trees);
    for (size_t t = 0; t < m->n_trees; t++) {
        const repro_forest_tree *tr = &m->trees[t];
        size_t L = (size_t)tr->n_leaves;
        h = fnv(h, &tr->n_leaves, sizeof tr->n_leaves);
        h = fnv(h, tr->split_feature, (L - 1) * sizeof(int));
        h = fnv(h, tr->split_bin, (L - 1) * sizeof(int));
        h = fnv(h, tr->threshold, (L - 1) * sizeof(double));
        h = fnv(h, tr->split_gain, (L - 1) * sizeof(double));
        h = fnv(h, tr->left, (L - 1) * sizeof(int));
        h = fnv(h, tr->right, (L - 1) * sizeof(int));
        h = fnv(h, tr->leaf_value, L * sizeof(double));
        h = fnv(h, tr->leaf_count, L * sizeof(int));
        h = fnv(h, tr->leaf_depth, L * sizeof(int));
    }
    h = fnv(h, m->gain_importance, m->d * sizeof(double));
    h = fnv(h, m->split_importance, m->d * sizeof(double));
    double *score = malloc(bins->n * sizeof *score);
    CU_ASSERT_PTR_NOT_NULL_FATAL(score);
    repro_error err;
    REPRO_ASSERT_OK(repro_gbdt_predict_bins(m, bins, score, &err), &err);
    h = fnv(h, score, bins->n * sizeof *score);
    free(score);
    return h;
}

/* Invariants of any fit: each tree's leaves hold min_data_in_leaf rows or
 * more and all n together, split counts add up to the splits, and the
 * training accuracy is that of the predicted scores. */
static void check_invariants(const repro_gbdt *m, const repro_forest_bins *bins, const int *y)
{
    double splits = 0.0, counted = 0.0;
    for (size_t t = 0; t < m->n_trees; t++) {
        const repro_forest_tree *tr = &m->trees[t];
        long rows = 0;
        CU_ASSERT(tr->n_leaves >= 2 && tr->n_leaves <= m->params.num_leaves);
        for (int l = 0; l < tr->n_leaves; l++) {
            CU_ASSERT(tr->leaf_count[l] >= (int)m->params.min_data_in_leaf);
            rows += tr->leaf_count[l];
        }
        CU_ASSERT_EQUAL(rows, (long)bins->n);
        splits += tr->n_leaves - 1;
    }
    for (size_t j = 0; j < m->d; j++)
        counted += m->split_importance[j];
    CU_ASSERT_DOUBLE_EQUAL(counted, splits, 0.0);
    double *score = malloc(bins->n * sizeof *score);
    CU_ASSERT_PTR_NOT_NULL_FATAL(score);
    repro_error err;
    REPRO_ASSERT_OK(repro_gbdt_predict_bins(m, bins, score, &err), &err);
    size_t ok = 0;
    for (size_t i = 0; i < bins->n; i++)
        ok += (score[i] > 0.0) == (y[i] == 1);
    CU_ASSERT_DOUBLE_EQUAL(m->train_accuracy, (double)ok / (double)bins->n, 1e-12);
    free(score);
}

/* One case: data SPEC and seed, optionally with a permuted copy of column
 * 0 appended (as SQ's resamples), fitted with p; its fingerprint must be
 * `expect` (REPRO_PRINT_FINGERPRINTS=1 prints it instead of checking). */
static void check_case(const char *spec, unsigned long long seed, int shadow, const repro_gbdt_params *p,
                       uint64_t expect)
{
    repro_dataset *ds = repro_test_data(spec, seed);
    repro_forest_bins *bins = NULL, *fit_bins = NULL;
    repro_error err;
    REPRO_ASSERT_OK(repro_forest_bins_build(ds->X, ds->n, ds->d, 255, 3, &bins, &err), &err);
    fit_bins = bins;
    if (shadow) {
        REPRO_ASSERT_OK(repro_forest_bins_select(bins, NULL, 0, NULL, 0, 1, &fit_bins, &err), &err);
        size_t *perm = malloc(ds->n * sizeof *perm);
        CU_ASSERT_PTR_NOT_NULL_FATAL(perm);
        repro_rng rng;
        repro_rng_seed(&rng, seed, 7);
        repro_rng_permutation(&rng, perm, ds->n);
        repro_forest_bins_set_permuted(fit_bins, ds->d, bins, 0, perm);
        free(perm);
    }
    repro_gbdt *m = NULL;
    REPRO_ASSERT_OK(repro_gbdt_fit_bins(fit_bins, ds->y, p, &m, &err), &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    check_invariants(m, fit_bins, ds->y);
    uint64_t h = fingerprint(m, fit_bins);
    if (getenv("REPRO_PRINT_FINGERPRINTS"))
        printf("\n%s seed %llu shadow %d: 0x%016llxULL\n", spec, seed, shadow, (unsigned long long)h);
    else
        CU_ASSERT_EQUAL(h, expect);
    repro_gbdt_free(m);
    if (shadow)
        repro_forest_bins_free(fit_bins);
    repro_forest_bins_free(bins);
    repro_dataset_free(ds);
}

/* LightGBM's defaults on linear data like a small Set 8, alone and with a
 * shadow column. */
static void test_defaults_linear(void)
{
    repro_gbdt_params p;
    repro_gbdt_params_default(&p);
    check_case("linear:n=400,strong=4,weak=4,irrelevant=12", 3, 0, &p, 0x6efb5b8d95c39d15ULL);
    check_case("linear:n=400,strong=4,weak=4,irrelevant=12", 3, 1, &p, 0x198862c1e64d6467ULL);
}

/* LightGBM's defaults on non-linear data (more rows than bins per column). */
static void test_defaults_nonlinear(void)
{
    repro_gbdt_params p;
    repro_gbdt_params_default(&p);
    check_case("nonlinear:n=600,strong=4,weak=4,irrelevant=8", 5, 0, &p, 0x1e4abcc1f4a5443cULL);
}

/* Other settings: depth limit, L2 penalty, small leaves and a hessian
 * floor, on few rows (few bins, many ties). */
static void test_other_settings(void)
{
    repro_gbdt_params p;
    repro_gbdt_params_default(&p);
    p.n_iter = 40;
    p.num_leaves = 12;
    p.max_depth = 4;
    p.min_data_in_leaf = 3;
    p.min_sum_hessian = 0.05;
    p.lambda_l2 = 1.5;
    p.learning_rate = 0.3;
    check_case("linear:n=120,strong=3,weak=2,irrelevant=5", 11, 0, &p, 0xaa6cc18fe5ee885bULL);
    check_case("nonlinear:n=200,strong=3,weak=2,irrelevant=5", 13, 1, &p, 0xf5c58bae14cd5841ULL);
}

int main(void)
{
    CU_TestInfo tests[] = {{"LightGBM defaults, linear data, with and without a shadow", test_defaults_linear},
                           {"LightGBM defaults, non-linear data", test_defaults_nonlinear},
                           {"depth limit, L2, small leaves, hessian floor", test_other_settings},
                           CU_TEST_INFO_NULL};
    return repro_test_run("gbdt bits", tests);
}
