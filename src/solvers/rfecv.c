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

int repro_rfe_eliminate(const repro_rng *rng, repro_rfe_fit_fn fit, void *ctx,
                        const repro_dataset *ds, const size_t *train, size_t n_train,
                        const size_t *test, size_t n_test, size_t keep, int *support,
                        double *scores, repro_error *err)
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
        support[cols[worst]] = 0;
        memmove(cols + worst, cols + worst + 1, (count - worst - 1) * sizeof *cols);
        count--;
    }
    free(cols), free(rank);
    return rc;
}

/* The final fit on all rows and the selected columns, scored on all rows. */
static int final_fit(const repro_rng *rng, repro_rfe_fit_fn fit, void *ctx, const repro_dataset *ds,
                     const size_t *all, const int *support, size_t n_sel, double *score,
                     repro_error *err)
{
    size_t *cols = repro_malloc(n_sel, sizeof *cols, err);
    double *rank = repro_malloc(n_sel, sizeof *rank, err);
    if (!cols || !rank) {
        free(cols), free(rank);
        return REPRO_ENOMEM;
    }
    size_t k = 0;
    for (size_t j = 0; j < ds->d; j++)
        if (support[j])
            cols[k++] = j;
    repro_rng r = *rng;
    int rc = fit(ctx, &r, ds, all, ds->n, all, ds->n, cols, k, rank, score, err);
    free(cols), free(rank);
    return rc;
}

int repro_rfecv(const repro_rng *rng, repro_rfe_fit_fn fit, void *ctx, const repro_dataset *ds,
                const repro_rfecv_opts *opts, repro_rfecv_result *res, repro_error *err)
{
    memset(res, 0, sizeof *res);
    const size_t n = ds->n, d = ds->d;
    const int K = opts->folds;
    if (d == 0)
        return repro_error_set(err, REPRO_EINVAL, "RFECV: no features");
    if (opts->min_features < 1)
        return repro_error_set(err, REPRO_EINVAL, "RFECV: min_features must be >= 1");
    if (K < 2 || (size_t)K > n)
        return repro_error_set(err, REPRO_EINVAL, "RFECV: cannot use %d folds on %zu rows", K, n);
    const size_t min = opts->min_features < d ? opts->min_features : d;
    const size_t n_scores = d - min + 1;
    int *fold = repro_malloc(n, sizeof *fold, err);
    size_t *all = repro_malloc(n, sizeof *all, err);
    double *fs = repro_calloc((size_t)K * n_scores, sizeof *fs, err); /* per fold, per step */
    int *rcs = repro_calloc((size_t)K, sizeof *rcs, err);
    repro_error *errs = repro_calloc((size_t)K, sizeof *errs, err);
    res->support = repro_calloc(d, sizeof *res->support, err);
    res->cv_scores = repro_calloc(n_scores, sizeof *res->cv_scores, err);
    int rc = REPRO_OK;
    if (!fold || !all || !fs || !rcs || !errs || !res->support || !res->cv_scores) {
        rc = REPRO_ENOMEM;
        goto done;
    }
    res->d = d;
    res->n_scores = n_scores;
    for (size_t i = 0; i < n; i++)
        all[i] = i;
    rc = repro_cv_stratified_folds(ds->y, n, K, fold, err);
    if (rc)
        goto done;

    int threads = opts->threads < 1 ? 1 : opts->threads;
#pragma omp parallel for schedule(dynamic) num_threads(threads)
    for (int f = 0; f < K; f++) {
        size_t *train = repro_malloc(n, sizeof *train, &errs[f]);
        size_t *test = repro_malloc(n, sizeof *test, &errs[f]);
        int *sup = repro_malloc(d, sizeof *sup, &errs[f]);
        if (!train || !test || !sup) {
            rcs[f] = REPRO_ENOMEM;
        } else {
            size_t n_train, n_test;
            repro_cv_split(fold, n, f, train, &n_train, test, &n_test);
            rcs[f] = repro_rfe_eliminate(rng, fit, ctx, ds, train, n_train, test, n_test, min, sup,
                                         fs + (size_t)f * n_scores, &errs[f]);
        }
        free(train), free(test), free(sup);
    }
    for (int f = 0; f < K; f++)
        if (rcs[f]) {
            rc = rcs[f];
            *err = errs[f];
            goto done;
        }
    /* Sum over folds in fold order; step s has d - s columns. */
    size_t best = 0; /* index into cv_scores (count = min + index) */
    double best_sum = 0.0;
    for (size_t c = 0; c < n_scores; c++) {
        size_t s = n_scores - 1 - c;
        double sum = 0.0;
        for (int f = 0; f < K; f++)
            sum += fs[(size_t)f * n_scores + s];
        res->cv_scores[c] = sum / K;
        if (c == 0 || sum > best_sum) {
            best = c;
            best_sum = sum;
        }
    }
    size_t keep = min + best;
    rc = repro_rfe_eliminate(rng, fit, ctx, ds, all, n, NULL, 0, keep, res->support, NULL, err);
    if (rc)
        goto done;
    res->n_selected = keep;
    rc = final_fit(rng, fit, ctx, ds, all, res->support, keep, &res->final_score, err);
done:
    free(fold), free(all), free(fs), free(rcs), free(errs);
    if (rc)
        repro_rfecv_result_clear(res);
    return rc;
}
