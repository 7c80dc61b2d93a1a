/* rfecv.c - recursive feature elimination with cross-validation (see
 * rfecv.h). */
#include "repro/rfecv.h"

#include <stdlib.h>
#include <string.h>

#include "repro/cv.h"

void repro_rfecv_result_clear(repro_rfecv_result *res)
{
    if (!res)
        return;
    free(res->support);
    free(res->cv_scores);
    memset(res, 0, sizeof *res);
}

/* The elimination path (rfecv.h): fits from all columns down to `stop`,
 * dropping the lowest-ranked column after each fit; order[k] (if not NULL)
 * is the k-th column dropped. */
static int rfe_path(const repro_rng *rng, repro_rfe_fit_fn fit, void *ctx, const repro_dataset *ds,
                    const size_t *train, size_t n_train, const size_t *test, size_t n_test, size_t keep,
                    int *support, size_t *order, double *scores, repro_error *err)
{
    const size_t d = ds->d;
    size_t *cols = repro_malloc(d, sizeof *cols, err);
    double *rank = repro_malloc(d, sizeof *rank, err);
    if (!cols || !rank) {
        free(cols), free(rank);
        return REPRO_ENOMEM;
    }
    for (size_t j = 0; j < d; j++) {
        cols[j] = j;
        if (support)
            support[j] = 1;
    }
    size_t count = d;
    int rc = REPRO_OK;
    while (!rc) {
        if (count <= keep && n_test == 0)
            break; /* the last fit only serves a score */
        repro_rng r = *rng;
        double score = 0.0;
        rc = fit(ctx, &r, ds, train, n_train, test, n_test, cols, count, rank, &score, err);
        if (rc)
            break;
        if (scores && n_test > 0)
            scores[d - count] = score;
        if (count <= keep)
            break;
        size_t worst = 0;
        for (size_t j = 1; j < count; j++)
            if (rank[j] < rank[worst])
                worst = j;
        if (support)
            support[cols[worst]] = 0;
        if (order)
            order[d - count] = cols[worst];
        memmove(cols + worst, cols + worst + 1, (count - worst - 1) * sizeof *cols);
        count--;
    }
    free(cols), free(rank);
    return rc;
}

int repro_rfe_eliminate(const repro_rng *rng, repro_rfe_fit_fn fit, void *ctx,
                        const repro_dataset *ds, const size_t *train, size_t n_train,
                        const size_t *test, size_t n_test, size_t keep, int *support,
                        double *scores, repro_error *err)
{
    return rfe_path(rng, fit, ctx, ds, train, n_train, test, n_test, keep, support, NULL, scores, err);
}

/* RFECV's options against n x d data (rfecv.h). */
int repro_rfecv_check(const repro_rfecv_opts *opts, size_t n, size_t d, repro_error *err)
{
    if (d == 0)
        return repro_error_set(err, REPRO_EINVAL, "RFECV: no features");
    if (opts->min_features < 1)
        return repro_error_set(err, REPRO_EINVAL, "RFECV: min_features must be >= 1");
    if (opts->folds < 2 || (size_t)opts->folds > n)
        return repro_error_set(err, REPRO_EINVAL, "RFECV: cannot use %d folds on %zu rows", opts->folds, n);
    return REPRO_OK;
}

/* The smallest column count, min_features clamped to d. */
size_t repro_rfecv_min(const repro_rfecv_opts *opts, size_t d)
{
    return opts->min_features < d ? opts->min_features : d;
}

/* One score per column count from d down to the minimum. */
size_t repro_rfecv_n_scores(const repro_rfecv_opts *opts, size_t d)
{
    return d - repro_rfecv_min(opts, d) + 1;
}

/* Fold f: the stratified folds (no draws), then the path on the fold's
 * training rows, scored on its held-out rows. */
int repro_rfecv_fold(const repro_rng *rng, repro_rfe_fit_fn fit, void *ctx, const repro_dataset *ds,
                     const repro_rfecv_opts *opts, int f, double *scores, repro_error *err)
{
    const size_t n = ds->n;
    if (f < 0 || f >= opts->folds)
        return repro_error_set(err, REPRO_EINVAL, "RFECV: no fold %d of %d", f, opts->folds);
    int *fold = repro_malloc(n, sizeof *fold, err);
    size_t *train = repro_malloc(n, sizeof *train, err);
    size_t *test = repro_malloc(n, sizeof *test, err);
    int rc = (!fold || !train || !test) ? REPRO_ENOMEM : REPRO_OK;
    if (!rc)
        rc = repro_cv_stratified_folds(ds->y, n, opts->folds, fold, err);
    if (!rc) {
        size_t n_train, n_test;
        repro_cv_split(fold, n, f, train, &n_train, test, &n_test);
        rc = rfe_path(rng, fit, ctx, ds, train, n_train, test, n_test, repro_rfecv_min(opts, ds->d), NULL, NULL,
                      scores, err);
    }
    free(fold), free(train), free(test);
    return rc;
}

/* Mean over folds (summed in fold order) per column count; the best sum,
 * ties to fewer columns. */
size_t repro_rfecv_choose(const double *fold_scores, int folds, size_t n_scores, size_t min, double *cv_scores)
{
    size_t best = 0; /* index into cv_scores (count = min + index) */
    double best_sum = 0.0;
    for (size_t c = 0; c < n_scores; c++) {
        size_t s = n_scores - 1 - c; /* step s has d - s columns */
        double sum = 0.0;
        for (int f = 0; f < folds; f++)
            sum += fold_scores[(size_t)f * n_scores + s];
        cv_scores[c] = sum / folds;
        if (c == 0 || sum > best_sum) {
            best = c;
            best_sum = sum;
        }
    }
    return min + best;
}

/* The path on all rows, unscored, recording the order of the drops. */
int repro_rfecv_all_rows(const repro_rng *rng, repro_rfe_fit_fn fit, void *ctx, const repro_dataset *ds,
                         size_t stop, size_t *order, repro_error *err)
{
    size_t *all = repro_malloc(ds->n, sizeof *all, err);
    if (!all)
        return REPRO_ENOMEM;
    for (size_t i = 0; i < ds->n; i++)
        all[i] = i;
    int rc = rfe_path(rng, fit, ctx, ds, all, ds->n, NULL, 0, stop, NULL, order, NULL, err);
    free(all);
    return rc;
}

/* Support = all columns but the first d - keep dropped; then the final fit
 * on all rows and those columns (ascending), scored on all rows. */
int repro_rfecv_final(const repro_rng *rng, repro_rfe_fit_fn fit, void *ctx, const repro_dataset *ds,
                      const size_t *order, size_t keep, int *support, double *score, repro_error *err)
{
    const size_t d = ds->d;
    if (keep < 1 || keep > d)
        return repro_error_set(err, REPRO_EINVAL, "RFECV: cannot keep %zu of %zu columns", keep, d);
    for (size_t j = 0; j < d; j++)
        support[j] = 1;
    for (size_t k = 0; k < d - keep; k++) {
        if (order[k] >= d || !support[order[k]])
            return repro_error_set(err, REPRO_EINVAL, "RFECV: a malformed elimination order");
        support[order[k]] = 0;
    }
    size_t *all = repro_malloc(ds->n, sizeof *all, err);
    size_t *cols = repro_malloc(keep, sizeof *cols, err);
    double *rank = repro_malloc(keep, sizeof *rank, err);
    int rc = (!all || !cols || !rank) ? REPRO_ENOMEM : REPRO_OK;
    if (!rc) {
        for (size_t i = 0; i < ds->n; i++)
            all[i] = i;
        size_t k = 0;
        for (size_t j = 0; j < d; j++)
            if (support[j])
                cols[k++] = j;
        repro_rng r = *rng;
        rc = fit(ctx, &r, ds, all, ds->n, all, ds->n, cols, k, rank, score, err);
    }
    free(all), free(cols), free(rank);
    return rc;
}

int repro_rfecv(const repro_rng *rng, repro_rfe_fit_fn fit, void *ctx, const repro_dataset *ds,
                const repro_rfecv_opts *opts, repro_rfecv_result *res, repro_error *err)
{
    memset(res, 0, sizeof *res);
    int rc = repro_rfecv_check(opts, ds->n, ds->d, err);
    if (rc)
        return rc;
    const size_t d = ds->d;
    const int K = opts->folds;
    const size_t n_scores = repro_rfecv_n_scores(opts, d);
    double *fs = repro_calloc((size_t)K * n_scores, sizeof *fs, err); /* per fold, per step */
    int *rcs = repro_calloc((size_t)K, sizeof *rcs, err);
    repro_error *errs = repro_calloc((size_t)K, sizeof *errs, err);
    size_t *order = repro_malloc(d, sizeof *order, err);
    res->support = repro_calloc(d, sizeof *res->support, err);
    res->cv_scores = repro_calloc(n_scores, sizeof *res->cv_scores, err);
    if (!fs || !rcs || !errs || !order || !res->support || !res->cv_scores) {
        rc = REPRO_ENOMEM;
        goto done;
    }
    res->d = d;
    res->n_scores = n_scores;

    int threads = opts->threads < 1 ? 1 : opts->threads;
#pragma omp parallel for schedule(dynamic) num_threads(threads)
    for (int f = 0; f < K; f++)
        rcs[f] = repro_rfecv_fold(rng, fit, ctx, ds, opts, f, fs + (size_t)f * n_scores, &errs[f]);
    for (int f = 0; f < K; f++)
        if (rcs[f]) {
            rc = rcs[f];
            *err = errs[f];
            goto done;
        }
    size_t keep = repro_rfecv_choose(fs, K, n_scores, repro_rfecv_min(opts, d), res->cv_scores);
    rc = repro_rfecv_all_rows(rng, fit, ctx, ds, keep, order, err);
    if (rc)
        goto done;
    res->n_selected = keep;
    rc = repro_rfecv_final(rng, fit, ctx, ds, order, keep, res->support, &res->final_score, err);
done:
    free(fs), free(rcs), free(errs), free(order);
    if (rc)
        repro_rfecv_result_clear(res);
    return rc;
}
