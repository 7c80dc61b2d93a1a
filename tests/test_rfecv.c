/* test_rfecv.c - recursive feature elimination with CV (ALGORITHMS.md §10),
 * with scripted models (known answers for the tie rule and the minimum) and
 * with the SGD classifier on a clear case; the ElasticNet model end to end. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "repro/linear.h"
#include "repro/model.h"
#include "repro/models.h"
#include "repro/rfecv.h"
#include "testutil.h"

/* A scripted model: column j ranks by its index j (so elimination drops the
 * lowest indices first) and the score is score_by_count[number of columns]. */
typedef struct scripted {
    double score_by_count[16];
} scripted;

static int scripted_fit(void *ctx, repro_rng *rng, const repro_dataset *ds, const size_t *train,
                        size_t n_train, const size_t *test, size_t n_test, const size_t *cols,
                        size_t n_cols, double *rank, double *score, repro_error *err)
{
    (void)rng, (void)ds, (void)train, (void)n_train, (void)test, (void)err;
    const scripted *s = ctx;
    for (size_t j = 0; j < n_cols; j++)
        rank[j] = (double)cols[j];
    if (n_test > 0)
        *score = s->score_by_count[n_cols];
    return REPRO_OK;
}

/* A deterministic linear model for the clear case: weights = mean of y x_j
 * over the training rows (difference of class centroids), prediction =
 * sign(w.x), ranked by squared weights. */
static int centroid_fit(void *ctx, repro_rng *rng, const repro_dataset *ds, const size_t *train,
                        size_t n_train, const size_t *test, size_t n_test, const size_t *cols,
                        size_t n_cols, double *rank, double *score, repro_error *err)
{
    (void)ctx, (void)rng;
    double *w = repro_calloc(n_cols, sizeof *w, err);
    if (!w)
        return REPRO_ENOMEM;
    for (size_t i = 0; i < n_train; i++)
        for (size_t j = 0; j < n_cols; j++)
            w[j] += ds->y[train[i]] * ds->X[train[i] * ds->d + cols[j]] / (double)n_train;
    for (size_t j = 0; j < n_cols; j++)
        rank[j] = w[j] * w[j];
    size_t hits = 0;
    for (size_t i = 0; i < n_test; i++) {
        double sum = 0.0;
        for (size_t j = 0; j < n_cols; j++)
            sum += w[j] * ds->X[test[i] * ds->d + cols[j]];
        hits += (sum > 0.0 ? 1 : -1) == ds->y[test[i]];
    }
    if (n_test > 0)
        *score = (double)hits / (double)n_test;
    free(w);
    return REPRO_OK;
}

/* Equal best scores at 7 and 5 columns: fewer wins, and the 5 kept columns
 * are the highest-ranked (indices 5..9). */
static void test_tie_to_fewer(void)
{
    repro_dataset *ds = repro_test_data("linear:n=60,strong=2,weak=0,irrelevant=8", 3);
    scripted s;
    for (int c = 0; c < 16; c++)
        s.score_by_count[c] = 0.5;
    s.score_by_count[7] = 0.9;
    s.score_by_count[5] = 0.9;
    repro_rfecv_opts opts = {5, 1, 1};
    repro_rng rng;
    repro_rng_seed(&rng, 1, 2);
    repro_rfecv_result res;
    repro_error err;
    REPRO_ASSERT_OK(repro_rfecv(&rng, scripted_fit, &s, ds, &opts, &res, &err), &err);
    CU_ASSERT_EQUAL(res.n_selected, 5);
    CU_ASSERT_EQUAL_FATAL(res.n_scores, 10);
    CU_ASSERT_DOUBLE_EQUAL(res.cv_scores[4], 0.9, 1e-12); /* index 0 = 1 column */
    CU_ASSERT_DOUBLE_EQUAL(res.cv_scores[6], 0.9, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(res.cv_scores[0], 0.5, 1e-12);
    for (size_t j = 0; j < 10; j++)
        CU_ASSERT_EQUAL(res.support[j], j >= 5);
    repro_rfecv_result_clear(&res);
    repro_dataset_free(ds);
}

/* Best scores below the minimum are never reached: with a flat score the
 * minimum count is chosen, and the scores start at it. */
static void test_minimum(void)
{
    repro_dataset *ds = repro_test_data("linear:n=60,strong=2,weak=0,irrelevant=8", 3);
    scripted s;
    for (int c = 0; c < 16; c++)
        s.score_by_count[c] = c <= 3 ? 1.0 : 0.7;
    repro_rfecv_opts opts = {3, 4, 2};
    repro_rng rng;
    repro_rng_seed(&rng, 1, 2);
    repro_rfecv_result res;
    repro_error err;
    REPRO_ASSERT_OK(repro_rfecv(&rng, scripted_fit, &s, ds, &opts, &res, &err), &err);
    CU_ASSERT_EQUAL(res.n_selected, 4);
    CU_ASSERT_EQUAL(res.n_scores, 7);
    size_t kept = 0;
    for (size_t j = 0; j < 10; j++)
        kept += (size_t)res.support[j];
    CU_ASSERT_EQUAL(kept, 4);
    repro_rfecv_result_clear(&res);
    /* A minimum above d keeps everything; bad folds are refused. */
    opts.min_features = 50;
    REPRO_ASSERT_OK(repro_rfecv(&rng, scripted_fit, &s, ds, &opts, &res, &err), &err);
    CU_ASSERT_EQUAL(res.n_selected, 10);
    CU_ASSERT_EQUAL(res.n_scores, 1);
    repro_rfecv_result_clear(&res);
    opts.folds = 1;
    CU_ASSERT_EQUAL(repro_rfecv(&rng, scripted_fit, &s, ds, &opts, &res, &err), REPRO_EINVAL);
    opts.folds = 3;
    opts.min_features = 0;
    CU_ASSERT_EQUAL(repro_rfecv(&rng, scripted_fit, &s, ds, &opts, &res, &err), REPRO_EINVAL);
    repro_dataset_free(ds);
}

/* 3 informative + 7 noise columns with a deterministic linear model: exactly
 * the informative ones are selected, for any thread count. */
static void test_clear_case(void)
{
    repro_dataset *ds = repro_test_data("linear:n=300,strong=3,weak=0,irrelevant=7", 17);
    repro_rfecv_opts opts = {5, 1, 1};
    repro_rng rng;
    repro_rng_seed(&rng, 123, 5);
    repro_rfecv_result r1, r2;
    repro_error err;
    REPRO_ASSERT_OK(repro_rfecv(&rng, centroid_fit, NULL, ds, &opts, &r1, &err), &err);
    opts.threads = 2;
    REPRO_ASSERT_OK(repro_rfecv(&rng, centroid_fit, NULL, ds, &opts, &r2, &err), &err);
    CU_ASSERT_EQUAL(r1.n_selected, 3);
    for (size_t j = 0; j < 10; j++) {
        CU_ASSERT_EQUAL(r1.support[j], j < 3);
        CU_ASSERT_EQUAL(r1.support[j], r2.support[j]);
        CU_ASSERT_EQUAL(r1.cv_scores[j], r2.cv_scores[j]);
    }
    CU_ASSERT(r1.final_score >= 0.95);
    repro_rfecv_result_clear(&r1);
    repro_rfecv_result_clear(&r2);
    repro_dataset_free(ds);
}

/* The same case with the (stochastic) SGD classifier: every informative
 * column survives (noise columns may too: SGD's held-out accuracy is noisy)
 * and threads change nothing. */
static void test_clear_case_sgd(void)
{
    repro_dataset *ds = repro_test_data("linear:n=300,strong=3,weak=0,irrelevant=7", 17);
    repro_sgd_params p;
    repro_sgd_defaults(&p);
    p.alpha = 0.1;
    repro_rfecv_opts opts = {5, 1, 1};
    repro_rng rng;
    repro_rng_seed(&rng, 123, 5);
    repro_rfecv_result r1, r2;
    repro_error err;
    REPRO_ASSERT_OK(repro_rfecv(&rng, repro_sgd_rfecv_fit, &p, ds, &opts, &r1, &err), &err);
    opts.threads = 2;
    REPRO_ASSERT_OK(repro_rfecv(&rng, repro_sgd_rfecv_fit, &p, ds, &opts, &r2, &err), &err);
    CU_ASSERT(r1.n_selected >= 3);
    CU_ASSERT(r1.cv_scores[2] > r1.cv_scores[0] + 0.1); /* 3 columns vs 1 */
    for (size_t j = 0; j < 10; j++) {
        if (j < 3)
            CU_ASSERT_EQUAL(r1.support[j], 1);
        CU_ASSERT_EQUAL(r1.support[j], r2.support[j]);
        CU_ASSERT_EQUAL(r1.cv_scores[j], r2.cv_scores[j]);
    }
    CU_ASSERT(r1.final_score >= 0.9);
    repro_rfecv_result_clear(&r1);
    repro_rfecv_result_clear(&r2);
    repro_dataset_free(ds);
}

/* The registered ElasticNet model on the clear case: keeps every informative
 * column (SGD noise may let a noise column in, as in the paper) and reports
 * its extras consistently. */
static void test_elasticnet_model(void)
{
    const repro_model_type *t = repro_model_find("ElasticNet");
    CU_ASSERT_PTR_EQUAL_FATAL(t, &repro_model_ElasticNet);
    repro_dataset *ds = repro_test_data("linear:n=300,strong=3,weak=0,irrelevant=7", 17);
    repro_params params;
    repro_params_defaults(t, &params);
    repro_rng rng;
    repro_rng_seed(&rng, 5, 5);
    repro_fit_result res;
    repro_error err;
    REPRO_ASSERT_OK(t->fit(ds, &params, &rng, 1, &res, &err), &err);
    double kept = 0;
    for (size_t j = 0; j < 10; j++) {
        CU_ASSERT(res.relevance[j] == 0 || res.relevance[j] == 1);
        if (j < 3)
            CU_ASSERT_EQUAL(res.relevance[j], 1);
        kept += res.relevance[j];
    }
    CU_ASSERT(res.train_score >= 0.93); /* this draw: 0.947; SGD's own noise */
    const repro_extra *nf = repro_fit_result_find(&res, "n_features");
    const repro_extra *cv = repro_fit_result_find(&res, "cv_scores");
    const repro_extra *alpha = repro_fit_result_find(&res, "alpha");
    CU_ASSERT_PTR_NOT_NULL_FATAL(nf);
    CU_ASSERT_PTR_NOT_NULL_FATAL(cv);
    CU_ASSERT_PTR_NOT_NULL_FATAL(alpha);
    CU_ASSERT_PTR_NOT_NULL(repro_fit_result_find(&res, "l1_ratio"));
    CU_ASSERT_EQUAL(nf->v[0], kept);
    CU_ASSERT(kept <= 6);
    CU_ASSERT_EQUAL(cv->len, 9); /* counts 2..10 */
    CU_ASSERT(alpha->v[0] >= 1e-4 && alpha->v[0] <= 100.0);
    repro_fit_result_clear(&res);
    /* penalty=elasticnet is accepted and still finds the informative ones. */
    REPRO_ASSERT_OK(repro_params_set(&params, "penalty", "elasticnet", &err), &err);
    REPRO_ASSERT_OK(t->fit(ds, &params, &rng, 1, &res, &err), &err);
    for (size_t j = 0; j < 3; j++)
        CU_ASSERT_EQUAL(res.relevance[j], 1);
    repro_fit_result_clear(&res);
    repro_dataset_free(ds);
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"ties go to fewer features", test_tie_to_fewer},
        {"minimum count respected", test_minimum},
        {"clear case", test_clear_case},
        {"clear case with SGD", test_clear_case_sgd},
        {"ElasticNet model", test_elasticnet_model},
        CU_TEST_INFO_NULL,
    };
    return repro_test_run("rfecv", tests);
}
