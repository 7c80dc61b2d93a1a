/* rf_model.c - the RF baseline (ALGORITHMS.md §12): a random forest (§4) with
 * split-count importance inside RFECV (§10). Output: the RFECV support;
 * training score: the final reduced forest's accuracy on the training rows. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
    int threads; /* per forest */
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
        rc = repro_forest_fit_bins(tr, ytr, &ctx->params, rng, ctx->threads, &forest, err);
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

/* RF's settings from its parameters. */
static void rf_settings_of(const repro_params *params, rf_settings *s)
{
    repro_params_apply(params, s);
}

/* RFECV's result as RF's: the support, the final score, the chosen count
 * and the mean CV score per count. */
static int rf_result(const repro_rfecv_result *rfe, size_t d, repro_fit_result *out, repro_error *err)
{
    int rc = repro_fit_result_init(out, d, err);
    if (!rc) {
        for (size_t j = 0; j < d; j++)
            out->relevance[j] = rfe->support[j];
        out->train_score = rfe->final_score;
        double nf = (double)rfe->n_selected;
        if ((rc = repro_fit_result_add(out, "n_features", &nf, 1, 1, err)) ||
            (rc = repro_fit_result_add(out, "cv_scores", rfe->cv_scores, rfe->n_scores, 0, err)))
            repro_fit_result_clear(out);
    }
    return rc;
}

/* Bins the data once, then RFECV with the forest; every forest draws from a
 * copy of rng (the published forest had a fixed random seed). */
static int rf_fit(const repro_dataset *ds, const repro_params *params, repro_rng *rng,
                  int threads, repro_fit_result *out, repro_error *err)
{
    rf_settings s;
    rf_settings_of(params, &s);
    rf_ctx ctx = {NULL, s.forest, s.importance, 1};
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
    rc = rf_result(&rfe, ds->d, out, err);
    repro_rfecv_result_clear(&rfe);
    return rc;
}

/* ---- Split into tasks (model.h's repro_model_split, rfecv.h's stages).
 * Stage PATHS: one task per fold (its elimination path, scored on its
 * held-out rows) and one task for the path on all rows down to the
 * minimum (it does not depend on the folds but where it stops; the drops
 * past the chosen count are the price of running it beside them). Stage
 * FINAL: one task, the final fit on the chosen columns. Every fit draws
 * from a copy of the job's stream, so no task replays anything. */

enum { RF_STAGE_PATHS, RF_STAGE_FINAL, RF_STAGE_DONE };

typedef struct rf_split {
    rf_settings s;
    size_t n, d, min, n_scores;
    int stage;
    repro_rfecv_result rfe; /* support, cv_scores, n_selected, final_score */
    size_t *order;          /* the drops on all rows, d - min */
    double *fold_scores;    /* folds x n_scores */
    repro_blob input;       /* FINAL's input */
    double *cost;           /* folds + 1 */
} rf_split;

/* Estimated seconds on one core of one path of elimination steps on `rows`
 * rows from d columns down to min (fits on (d + min) / 2 columns on average,
 * with rf_cost's calibration), and of the final fit on `cols` columns. */
static double rf_path_cost(const rf_settings *s, size_t rows, size_t d, size_t min)
{
    size_t mean = (d + min) / 2 > 0 ? (d + min) / 2 : 1;
    return 1.5 * (double)(d - min + 1) * repro_forest_cost(rows, mean, 1.0, s->forest.n_trees);
}
static double rf_final_cost(const rf_settings *s, size_t rows, size_t cols)
{
    return 1.5 * repro_forest_cost(rows, cols ? cols : 1, 1.0, s->forest.n_trees);
}

/* Rows in a fold's training part (about (K - 1) / K of them). */
static size_t rf_fold_rows(size_t n, int folds)
{
    return n - n / (size_t)folds;
}

/* Fills cost[0 .. folds] for stage PATHS. The path on all rows measured
 * 1.4 to 1.5 times its estimate against the folds' on every data set of
 * the paper (bench_scaling --stages): it is counted 1.5 times. */
static void rf_paths_cost(const rf_settings *s, size_t n, size_t d, double *cost)
{
    size_t min = repro_rfecv_min(&s->rfe, d);
    for (int f = 0; f < s->rfe.folds; f++)
        cost[f] = rf_path_cost(s, rf_fold_rows(n, s->rfe.folds), d, min);
    cost[s->rfe.folds] = 1.5 * rf_path_cost(s, n, d, min);
}

/* Frees a split state. */
static void rf_split_free(void *state)
{
    rf_split *s = state;
    if (!s)
        return;
    repro_rfecv_result_clear(&s->rfe);
    free(s->order);
    free(s->fold_scores);
    free(s->input.data);
    free(s->cost);
    free(s);
}

/* Checks the options against the data and allocates the job's state; no
 * work runs before the first stage. */
static int rf_split_begin(const repro_dataset *ds, const repro_params *params, repro_rng *rng, size_t max_tasks,
                          void **state, repro_error *err)
{
    (void)rng, (void)max_tasks;
    *state = NULL;
    rf_split *s = repro_calloc(1, sizeof *s, err);
    if (!s)
        return REPRO_ENOMEM;
    rf_settings_of(params, &s->s);
    int rc = rf_validate(&s->s, err);
    if (!rc)
        rc = repro_rfecv_check(&s->s.rfe, ds->n, ds->d, err);
    if (rc) {
        rf_split_free(s);
        return rc;
    }
    s->n = ds->n;
    s->d = ds->d;
    s->min = repro_rfecv_min(&s->s.rfe, ds->d);
    s->n_scores = repro_rfecv_n_scores(&s->s.rfe, ds->d);
    size_t K = (size_t)s->s.rfe.folds;
    s->order = repro_malloc(s->d, sizeof *s->order, err);
    s->fold_scores = repro_malloc(K * s->n_scores, sizeof *s->fold_scores, err);
    s->cost = repro_malloc(K + 1, sizeof *s->cost, err);
    s->rfe.support = repro_calloc(s->d, sizeof *s->rfe.support, err);
    s->rfe.cv_scores = repro_calloc(s->n_scores, sizeof *s->rfe.cv_scores, err);
    if (!s->order || !s->fold_scores || !s->cost || !s->rfe.support || !s->rfe.cv_scores) {
        rf_split_free(s);
        return REPRO_ENOMEM;
    }
    s->rfe.d = s->d;
    s->rfe.n_scores = s->n_scores;
    s->stage = RF_STAGE_PATHS;
    *state = s;
    return REPRO_OK;
}

/* The stage to run next, its tasks' cost estimates and its input. */
static int rf_split_next(void *state, repro_split_stage *st, repro_error *err)
{
    (void)err;
    rf_split *s = state;
    memset(st, 0, sizeof *st);
    st->id = s->stage;
    st->cost = s->cost;
    if (s->stage == RF_STAGE_PATHS) {
        st->n_tasks = (size_t)s->s.rfe.folds + 1;
        rf_paths_cost(&s->s, s->n, s->d, s->cost);
    } else if (s->stage == RF_STAGE_FINAL) {
        st->n_tasks = 1;
        s->cost[0] = rf_final_cost(&s->s, s->n, s->rfe.n_selected);
        st->input = s->input.data;
        st->input_len = s->input.len;
    }
    return REPRO_OK;
}

/* The stages and their cost estimates; the final fit is counted on half
 * the columns, since the chosen count is known only after the folds. */
static int rf_split_shape(size_t n, size_t d, const repro_params *params, size_t max_tasks, repro_split_shape *out,
                          repro_error *err)
{
    (void)max_tasks;
    rf_settings s;
    rf_settings_of(params, &s);
    memset(out, 0, sizeof *out);
    if (d == 0 || s.rfe.folds < 2)
        return repro_error_set(err, REPRO_EINVAL, "RF: no shape for %zu features and %d folds", d, s.rfe.folds);
    size_t K = (size_t)s.rfe.folds;
    out->n_stages = 2;
    out->stage_tasks[0] = K + 1;
    out->stage_tasks[1] = 1;
    if (!(out->cost = repro_malloc(K + 2, sizeof *out->cost, err)))
        return REPRO_ENOMEM;
    rf_paths_cost(&s, n, d, out->cost);
    out->cost[K + 1] = rf_final_cost(&s, n, (d + 1) / 2);
    return REPRO_OK;
}

/* One task: a fold's path (output: its n_scores scores), the path on all
 * rows (output: the d - min drops, as uint64), or the final fit (input: the
 * chosen count and its d - keep drops as uint64; output: its score). */
static int rf_split_task(const repro_dataset *ds, const repro_params *params, const repro_rng *job_rng, int stage,
                         const unsigned char *input, size_t input_len, size_t task, int threads, repro_blob *output,
                         repro_error *err)
{
    memset(output, 0, sizeof *output);
    rf_settings s;
    rf_settings_of(params, &s);
    int rc = rf_validate(&s, err);
    if (!rc)
        rc = repro_rfecv_check(&s.rfe, ds->n, ds->d, err);
    if (rc)
        return rc;
    const size_t d = ds->d, K = (size_t)s.rfe.folds, min = repro_rfecv_min(&s.rfe, d);
    size_t *order = NULL;
    uint64_t keep = 0;
    if (stage == RF_STAGE_PATHS) {
        if (task > K || input_len != 0)
            return repro_error_set(err, REPRO_EINVAL, "RF: a malformed paths task");
    } else if (stage == RF_STAGE_FINAL) {
        if (task != 0 || input_len < sizeof keep)
            return repro_error_set(err, REPRO_EINVAL, "RF: a malformed final task");
        memcpy(&keep, input, sizeof keep);
        if (keep < min || keep > d || input_len != (1 + d - (size_t)keep) * sizeof keep)
            return repro_error_set(err, REPRO_EINVAL, "RF: a malformed final task");
        if (!(order = repro_malloc(d, sizeof *order, err)))
            return REPRO_ENOMEM;
        for (size_t k = 0; k < d - (size_t)keep; k++) {
            uint64_t v;
            memcpy(&v, input + (1 + k) * sizeof v, sizeof v);
            order[k] = v < d ? (size_t)v : d; /* out of range: rejected by repro_rfecv_final */
        }
    } else {
        return repro_error_set(err, REPRO_EINVAL, "RF has no stage %d", stage);
    }
    rf_ctx ctx = {NULL, s.forest, s.importance, threads < 1 ? 1 : threads};
    repro_forest_bins *bins = NULL;
    rc = repro_forest_bins_build(ds->X, ds->n, d, ctx.params.max_bins, ctx.params.min_data_in_bin, &bins, err);
    ctx.bins = bins;
    if (!rc && stage == RF_STAGE_PATHS && task < K) {
        output->len = repro_rfecv_n_scores(&s.rfe, d) * sizeof(double);
        if (!(output->data = repro_malloc(output->len, 1, err)))
            rc = REPRO_ENOMEM;
        if (!rc)
            rc = repro_rfecv_fold(job_rng, rf_rfe_fit, &ctx, ds, &s.rfe, (int)task, (double *)(void *)output->data,
                                  err);
    } else if (!rc && stage == RF_STAGE_PATHS) {
        if (!(order = repro_malloc(d, sizeof *order, err)))
            rc = REPRO_ENOMEM;
        if (!rc)
            rc = repro_rfecv_all_rows(job_rng, rf_rfe_fit, &ctx, ds, min, order, err);
        output->len = (d - min) * sizeof(uint64_t);
        if (!rc && !(output->data = repro_malloc(output->len ? output->len : 1, 1, err)))
            rc = REPRO_ENOMEM;
        for (size_t k = 0; !rc && k < d - min; k++) {
            uint64_t v = order[k];
            memcpy(output->data + k * sizeof v, &v, sizeof v);
        }
    } else if (!rc) {
        int *support = repro_malloc(d, sizeof *support, err);
        double score = 0.0;
        rc = support ? repro_rfecv_final(job_rng, rf_rfe_fit, &ctx, ds, order, (size_t)keep, support, &score, err)
                     : REPRO_ENOMEM;
        free(support);
        output->len = sizeof score;
        if (!rc && !(output->data = repro_malloc(output->len, 1, err)))
            rc = REPRO_ENOMEM;
        if (!rc)
            memcpy(output->data, &score, sizeof score);
    }
    repro_forest_bins_free(bins);
    free(order);
    if (rc) {
        free(output->data);
        memset(output, 0, sizeof *output);
    }
    return rc;
}

/* Merges the paths: the folds' scores choose the count, the first d - keep
 * drops on all rows give the support and FINAL's input. */
static int merge_paths(rf_split *s, const repro_blob *outputs, size_t n_tasks, repro_error *err)
{
    size_t K = (size_t)s->s.rfe.folds, n_drops = s->d - s->min;
    if (n_tasks != K + 1)
        return repro_error_set(err, REPRO_EINVAL, "RF: %zu paths outputs for %zu tasks", n_tasks, K + 1);
    for (size_t f = 0; f < K; f++) {
        if (outputs[f].len != s->n_scores * sizeof(double))
            return repro_error_set(err, REPRO_EINVAL, "RF: a malformed fold output");
        memcpy(s->fold_scores + f * s->n_scores, outputs[f].data, outputs[f].len);
    }
    if (outputs[K].len != n_drops * sizeof(uint64_t))
        return repro_error_set(err, REPRO_EINVAL, "RF: a malformed elimination order");
    for (size_t k = 0; k < n_drops; k++) {
        uint64_t v;
        memcpy(&v, outputs[K].data + k * sizeof v, sizeof v);
        if (v >= s->d)
            return repro_error_set(err, REPRO_EINVAL, "RF: a malformed elimination order");
        s->order[k] = (size_t)v;
    }
    size_t keep = repro_rfecv_choose(s->fold_scores, s->s.rfe.folds, s->n_scores, s->min, s->rfe.cv_scores);
    s->rfe.n_selected = keep;
    free(s->input.data);
    s->input.len = (1 + s->d - keep) * sizeof(uint64_t);
    if (!(s->input.data = repro_malloc(s->input.len, 1, err)))
        return REPRO_ENOMEM;
    for (size_t k = 0; k <= s->d - keep; k++) {
        uint64_t v = k == 0 ? keep : s->order[k - 1];
        memcpy(s->input.data + k * sizeof v, &v, sizeof v);
    }
    for (size_t j = 0; j < s->d; j++)
        s->rfe.support[j] = 1;
    for (size_t k = 0; k < s->d - keep; k++) {
        if (!s->rfe.support[s->order[k]])
            return repro_error_set(err, REPRO_EINVAL, "RF: a malformed elimination order");
        s->rfe.support[s->order[k]] = 0;
    }
    s->stage = RF_STAGE_FINAL;
    return REPRO_OK;
}

/* Takes a stage's outputs (in task order) and moves to the next stage. */
static int rf_split_merge(void *state, const repro_blob *outputs, size_t n_tasks, repro_error *err)
{
    rf_split *s = state;
    if (s->stage == RF_STAGE_PATHS)
        return merge_paths(s, outputs, n_tasks, err);
    if (s->stage == RF_STAGE_FINAL) {
        if (n_tasks != 1 || outputs[0].len != sizeof s->rfe.final_score)
            return repro_error_set(err, REPRO_EINVAL, "RF: a malformed final output");
        memcpy(&s->rfe.final_score, outputs[0].data, sizeof s->rfe.final_score);
        s->stage = RF_STAGE_DONE;
        return REPRO_OK;
    }
    return repro_error_set(err, REPRO_EINVAL, "RF: nothing to merge");
}

/* The result, as rf_fit makes it. */
static int rf_split_finish(void *state, repro_fit_result *out, repro_error *err)
{
    rf_split *s = state;
    if (s->stage != RF_STAGE_DONE)
        return repro_error_set(err, REPRO_EINVAL, "RF: finishing a split fit before its last stage");
    return rf_result(&s->rfe, s->d, out, err);
}

static const repro_model_split rf_split_fns = {
    rf_split_begin, rf_split_next, rf_split_task, rf_split_merge, rf_split_finish, rf_split_free, rf_split_shape,
};

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
    &rf_split_fns,
    NULL,
};
