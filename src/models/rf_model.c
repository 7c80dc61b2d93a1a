/* rf_model.c - the RF baseline (ALGORITHMS.md §12): a random forest (§4) with
 * split-count importance inside RFECV (§10). Output: the RFECV support;
 * training score: the final reduced forest's accuracy on the training rows. */
#include <stdlib.h>

#include "repro/forest.h"
#include "repro/model.h"
#include "repro/models.h"
#include "repro/rfecv.h"

/* What RF's parameters set: the forest's options, the ranking, RFECV's. */
typedef struct rf_settings {
    repro_forest_params forest;
    repro_importance_kind importance;
    repro_rfecv_opts rfe;
} rf_settings;

_Static_assert(sizeof(rf_settings) <= REPRO_MAX_SETTINGS, "rf_settings too large");
_Static_assert(sizeof(repro_importance_kind) == sizeof(int), "an enum parameter is stored as int");

#define RF_PARAM(NAME, FIELD, KIND, MIN, MAX, CHOICES, HELP) \
    REPRO_PARAM(NAME, rf_settings, FIELD, KIND, MIN, MAX, CHOICES, HELP)
static const repro_param_def rf_params[] = {
    RF_PARAM("n_trees", forest.n_trees, SIZE, 1, 100000, NULL, "trees per forest"),
    RF_PARAM("max_depth", forest.max_depth, INT, 1, 64, NULL, "maximal leaf depth"),
    RF_PARAM("num_leaves", forest.num_leaves, INT, 2, 4096, NULL, "leaves per tree"),
    RF_PARAM("feature_fraction", forest.feature_fraction, DOUBLE, 1e-6, 1.0, NULL,
             "fraction of columns drawn per tree"),
    RF_PARAM("importance", importance, INT, 0, 1, "gain|split",
             "ranking used for elimination: split counts as published, or total gain"),
    RF_PARAM("folds", rfe.folds, INT, 2, 100, NULL, "RFECV folds"),
    RF_PARAM("min_features", rfe.min_features, SIZE, 1, 1e6, NULL, "RFECV minimum number of features kept"),
};

/* The forest's own defaults; split-count ranking as published; RFECV with 5
 * folds down to one feature. RFECV scores held-out rows only, so the forests
 * skip their training accuracy. */
static void rf_defaults(void *settings)
{
    rf_settings *s = settings;
    repro_forest_params_default(&s->forest);
    s->forest.train_accuracy = 0;
    s->importance = REPRO_IMPORTANCE_SPLIT;
    s->rfe.folds = 5;
    s->rfe.min_features = 1;
    s->rfe.threads = 1;
}

/* The forest's options must hold together (checked once, when the plan is
 * built, instead of in every fit). */
static int rf_validate(const void *settings, repro_error *err)
{
    const rf_settings *s = settings;
    return repro_forest_params_check(&s->forest, err);
}

/* What every RFECV fit shares: the data binned once, labels, settings. */
typedef struct rf_ctx {
    const repro_forest_bins *bins;
    repro_forest_params params;
    repro_importance_kind importance;
} rf_ctx;

/* Labels of the given rows. */
static int *gather_labels(const int *y, const size_t *rows, size_t n, repro_error *err)
{
    int *out = repro_malloc(n, sizeof *out, err);
    if (out)
        for (size_t i = 0; i < n; i++)
            out[i] = y[rows[i]];
    return out;
}

/* RFECV callback: a forest on the training rows and the given columns, reusing
 * the bins of the whole data set; rank = importance, score = held-out
 * accuracy. */
static int rf_rfe_fit(void *ctx_, repro_rng *rng, const repro_dataset *ds, const size_t *train,
                      size_t n_train, const size_t *test, size_t n_test, const size_t *cols,
                      size_t n_cols, double *rank, double *score, repro_error *err)
{
    const rf_ctx *ctx = ctx_;
    repro_forest_bins *tr = NULL, *te = NULL;
    repro_forest *forest = NULL;
    int *ytr = gather_labels(ds->y, train, n_train, err);
    int *yte = n_test ? gather_labels(ds->y, test, n_test, err) : NULL;
    int rc = REPRO_OK;
    if (!ytr || (n_test && !yte)) {
        rc = REPRO_ENOMEM;
        goto done;
    }
    rc = repro_forest_bins_select(ctx->bins, train, n_train, cols, n_cols, 0, &tr, err);
    if (!rc)
        rc = repro_forest_fit_bins(tr, ytr, &ctx->params, rng, 1, &forest, err);
    if (rc)
        goto done;
    repro_forest_importance(forest, ctx->importance, rank);
    if (n_test) {
        rc = repro_forest_bins_select(ctx->bins, test, n_test, cols, n_cols, 0, &te, err);
        if (!rc)
            rc = repro_forest_accuracy_bins(forest, te, yte, score, err);
    }
done:
    repro_forest_free(forest);
    repro_forest_bins_free(tr);
    repro_forest_bins_free(te);
    free(ytr), free(yte);
    return rc;
}

/* Cost estimate (about seconds on one core): RFECV fits about (K + 1) d
 * forests on (K-1)/K of the rows and d/2 columns on average; the factor 1.5
 * matches the measured 44 s on Set 8 (n 2000, d 70). */
static double rf_cost(size_t n, size_t d)
{
    size_t half = d / 2 > 0 ? d / 2 : 1;
    return 1.5 * 6.0 * (double)d * repro_forest_cost(n * 4 / 5, half, 1.0, 100);
}

/* Bins the data once, then RFECV with the forest; every forest draws from a
 * copy of rng (the published forest had a fixed random seed). */
static int rf_fit(const repro_dataset *ds, const repro_params *params, repro_rng *rng,
                  int threads, repro_fit_result *out, repro_error *err)
{
    rf_settings s;
    repro_params_apply(params, &s);
    rf_ctx ctx = {NULL, s.forest, s.importance};
    repro_forest_bins *bins = NULL;
    int rc = repro_forest_bins_build(ds->X, ds->n, ds->d, ctx.params.max_bins,
                                 ctx.params.min_data_in_bin, &bins, err);
    if (rc)
        return rc;
    ctx.bins = bins;
    repro_rfecv_opts opts = s.rfe;
    opts.threads = threads;
    repro_rfecv_result rfe;
    rc = repro_rfecv(rng, rf_rfe_fit, &ctx, ds, &opts, &rfe, err);
    repro_forest_bins_free(bins);
    if (rc)
        return rc;
    rc = repro_fit_result_init(out, ds->d, err);
    if (!rc) {
        for (size_t j = 0; j < ds->d; j++)
            out->relevance[j] = rfe.support[j];
        out->train_score = rfe.final_score;
        double nf = (double)rfe.n_selected;
        if ((rc = repro_fit_result_add(out, "n_features", &nf, 1, 1, err)) ||
            (rc = repro_fit_result_add(out, "cv_scores", rfe.cv_scores, rfe.n_scores, 0, err)))
            repro_fit_result_clear(out);
    }
    repro_rfecv_result_clear(&rfe);
    return rc;
}

const repro_model_type repro_model_RF = {
    "RF",
    "random forest (split-count importance) with recursive feature elimination (CV)",
    rf_params,
    sizeof rf_params / sizeof rf_params[0],
    1,
    rf_cost,
    rf_fit,
    sizeof(rf_settings),
    rf_defaults,
    rf_validate,
    NULL,
};
