/* linear_grid.c - grid search with stratified K-fold CV for the SGD linear
 * classifier (see linear.h). */
#include "repro/cv.h"
#include "repro/linear.h"

#include <stdlib.h>
#include <string.h>

void repro_sgd_grid_result_clear(repro_sgd_grid_result *res)
{
    if (!res)
        return;
    free(res->scores);
    repro_linear_model_clear(&res->model);
    memset(res, 0, sizeof *res);
}

/* Mean held-out accuracy of one grid cell over the folds; every fit draws
 * from its own copy of `stream`. Each call owns its workspace (thread-safe). */
static int cell_score(const repro_rng *stream, const repro_sgd_params *p, const repro_dataset *ds,
                      const int *fold, int folds, const size_t *cols, double *score,
                      repro_error *err)
{
    size_t *train = repro_malloc(ds->n, sizeof *train, err);
    size_t *test = repro_malloc(ds->n, sizeof *test, err);
    if (!train || !test) {
        free(train), free(test);
        return REPRO_ENOMEM;
    }
    double sum = 0.0;
    int rc = REPRO_OK;
    for (int f = 0; f < folds && !rc; f++) {
        size_t n_train, n_test;
        repro_cv_split(fold, ds->n, f, train, &n_train, test, &n_test);
        repro_rng r = *stream;
        repro_linear_model m;
        rc = repro_sgd_fit(&r, p, ds, train, n_train, cols, ds->d, &m, err);
        if (!rc)
            sum += repro_linear_accuracy(&m, ds, test, n_test, cols, ds->d);
        repro_linear_model_clear(&m);
    }
    free(train), free(test);
    *score = sum / folds;
    return rc;
}

int repro_sgd_grid_search(const repro_rng *rng, const repro_sgd_params *base, const repro_dataset *ds,
                          int folds, const double *alphas, size_t n_alpha, const double *ratios,
                          size_t n_ratio, int threads, repro_sgd_grid_result *res,
                          repro_error *err)
{
    memset(res, 0, sizeof *res);
    if (n_alpha == 0 || n_ratio == 0)
        return repro_error_set(err, REPRO_EINVAL, "grid search: empty grid");
    const size_t n_cells = n_alpha * n_ratio;
    int *fold = repro_malloc(ds->n, sizeof *fold, err);
    size_t *cols = repro_malloc(ds->d, sizeof *cols, err);
    size_t *all = repro_malloc(ds->n, sizeof *all, err);
    int *rcs = repro_calloc(n_cells, sizeof *rcs, err);
    repro_error *errs = repro_calloc(n_cells, sizeof *errs, err);
    res->scores = repro_calloc(n_cells, sizeof *res->scores, err);
    int rc = REPRO_OK;
    if (!fold || !cols || !all || !rcs || !errs || !res->scores) {
        rc = REPRO_ENOMEM;
        goto done;
    }
    for (size_t j = 0; j < ds->d; j++)
        cols[j] = j;
    for (size_t i = 0; i < ds->n; i++)
        all[i] = i;
    rc = repro_cv_stratified_folds(ds->y, ds->n, folds, fold, err);
    if (rc)
        goto done;

    /* Under the L2 penalty l1_ratio is ignored and all fits share one
     * stream, so the cells of one alpha are identical: fit the first only. */
    const size_t n_fit = base->penalty == REPRO_PENALTY_L2 ? 1 : n_ratio;
    if (threads < 1)
        threads = 1;
#pragma omp parallel for schedule(dynamic) num_threads(threads)
    for (size_t g = 0; g < n_alpha * n_fit; g++) {
        size_t cell = (g / n_fit) * n_ratio + g % n_fit;
        repro_sgd_params p = *base;
        p.alpha = alphas[cell / n_ratio];
        p.l1_ratio = ratios[cell % n_ratio];
        rcs[cell] = cell_score(rng, &p, ds, fold, folds, cols, &res->scores[cell], &errs[cell]);
    }
    for (size_t g = 0; g < n_cells; g++)
        if (g % n_ratio >= n_fit)
            res->scores[g] = res->scores[g - g % n_ratio];
    size_t best = 0;
    for (size_t g = 0; g < n_cells; g++) {
        if (rcs[g]) {
            rc = rcs[g];
            *err = errs[g];
            goto done;
        }
        if (res->scores[g] > res->scores[best])
            best = g;
    }
    res->best = *base;
    res->best.alpha = alphas[best / n_ratio];
    res->best.l1_ratio = ratios[best % n_ratio];
    res->best_score = res->scores[best];
    repro_rng r = *rng;
    rc = repro_sgd_fit(&r, &res->best, ds, all, ds->n, cols, ds->d, &res->model, err);
    if (!rc)
        res->train_score = repro_linear_accuracy(&res->model, ds, all, ds->n, cols, ds->d);
done:
    free(fold), free(cols), free(all), free(rcs), free(errs);
    if (rc)
        repro_sgd_grid_result_clear(res);
    return rc;
}
