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

/* Mean held-out accuracy of one grid cell over the folds; the fit of fold f
 * draws from child(cell, f). Each call owns its workspace (thread-safe). */
static int cell_score(const repro_rng *cell, const repro_sgd_params *p, const repro_dataset *ds,
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
        repro_rng r;
        repro_rng_child(&r, cell, (uint64_t)f);
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

int repro_sgd_grid_search(repro_rng *rng, const repro_sgd_params *base, const repro_dataset *ds,
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

    if (threads < 1)
        threads = 1;
#pragma omp parallel for schedule(dynamic) num_threads(threads)
    for (size_t g = 0; g < n_cells; g++) {
        repro_sgd_params p = *base;
        p.alpha = alphas[g / n_ratio];
        p.l1_ratio = ratios[g % n_ratio];
        repro_rng cell;
        repro_rng_child(&cell, rng, (uint64_t)g);
        rcs[g] = cell_score(&cell, &p, ds, fold, folds, cols, &res->scores[g], &errs[g]);
    }
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
    repro_rng cell, r;
    repro_rng_child(&cell, rng, (uint64_t)best);
    repro_rng_child(&r, &cell, (uint64_t)folds);
    rc = repro_sgd_fit(&r, &res->best, ds, all, ds->n, cols, ds->d, &res->model, err);
done:
    free(fold), free(cols), free(all), free(rcs), free(errs);
    if (rc)
        repro_sgd_grid_result_clear(res);
    return rc;
}
