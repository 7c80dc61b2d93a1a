/* elasticnet_model.c - the ElasticNet baseline (ALGORITHMS.md §9): an SGD linear
 * classifier tuned by a 7x7 grid search with 3-fold CV, then RFECV (§10)
 * ranking features by squared coefficients. Output: the RFECV support. */
#include <stdlib.h>

#include "repro/linear.h"
#include "repro/model.h"
#include "repro/models.h"
#include "repro/rfecv.h"

#define GRID_FOLDS 3

static const double grid_alphas[] = {1e-4, 1e-3, 1e-2, 0.1, 1.0, 10.0, 100.0};
static const double grid_ratios[] = {0.0, 0.01, 0.1, 0.2, 0.5, 0.7, 1.0};

/* What ElasticNet's parameters set: the SGD base settings, RFECV's. */
typedef struct elasticnet_settings {
    repro_sgd_params sgd;
    repro_rfecv_opts rfe;
} elasticnet_settings;

_Static_assert(sizeof(elasticnet_settings) <= REPRO_MAX_SETTINGS, "elasticnet_settings too large");
_Static_assert(sizeof(repro_penalty) == sizeof(int), "an enum parameter is stored as int");

#define EN_PARAM(NAME, FIELD, KIND, MIN, MAX, CHOICES, HELP) \
    REPRO_PARAM(NAME, elasticnet_settings, FIELD, KIND, MIN, MAX, CHOICES, HELP)
static const repro_param_def elasticnet_params[] = {
    EN_PARAM("penalty", sgd.penalty, INT, 0, 1, "l2|elasticnet",
             "SGD penalty: l2 as published (l1_ratio then has no effect), or a real elastic net"),
    EN_PARAM("folds", rfe.folds, INT, 2, 100, NULL, "RFECV folds"),
    EN_PARAM("min_features", rfe.min_features, SIZE, 1, 1e6, NULL, "RFECV minimum number of features kept"),
};

/* SGD's own defaults; RFECV with 5 folds down to two features. */
static void elasticnet_defaults(void *settings)
{
    elasticnet_settings *s = settings;
    repro_sgd_defaults(&s->sgd);
    s->rfe.folds = 5;
    s->rfe.min_features = 2;
    s->rfe.threads = 1;
}

/* Cost estimate (about seconds on one core): 7 x 3 grid fits on all columns
 * (the l1_ratio cells repeat under L2) plus K x d RFECV fits on d/2 columns on
 * average, each linear in rows x columns; fitted to measured fit times. */
static double elasticnet_cost(size_t n, size_t d)
{
    double nd = (double)n * (double)d;
    return 6e-8 * nd * (15.0 + 2.0 * (double)d);
}

/* Grid search, then RFECV with the best settings (streams: child 0 of rng for
 * the grid, child 1 for RFECV). */
static int elasticnet_fit(const repro_dataset *ds, const repro_params *params, repro_rng *rng,
                          int threads, repro_fit_result *out, repro_error *err)
{
    elasticnet_settings s;
    repro_params_apply(params, &s);
    repro_sgd_params base = s.sgd;
    repro_rng grid_rng, rfe_rng;
    repro_rng_child(&grid_rng, rng, 0);
    repro_rng_child(&rfe_rng, rng, 1);
    if (ds->n < GRID_FOLDS)
        return repro_error_set(err, REPRO_EINVAL, "ElasticNet: needs at least %d rows",
                               GRID_FOLDS);
    repro_sgd_grid_result grid;
    int rc = repro_sgd_grid_search(&grid_rng, &base, ds, GRID_FOLDS, grid_alphas, 7, grid_ratios,
                                   7, threads, &grid, err);
    if (rc)
        return rc;
    repro_rfecv_result rfe = {0};

    repro_rfecv_opts opts = s.rfe;
    opts.threads = threads;
    rc = repro_rfecv(&rfe_rng, repro_sgd_rfecv_fit, &grid.best, ds, &opts, &rfe, err);
    if (rc)
        goto done;
    rc = repro_fit_result_init(out, ds->d, err);
    if (rc)
        goto done;
    for (size_t j = 0; j < ds->d; j++)
        out->relevance[j] = rfe.support[j];
    out->train_score = grid.train_score;
    double alpha = grid.best.alpha, ratio = grid.best.l1_ratio, nf = (double)rfe.n_selected;
    if ((rc = repro_fit_result_add(out, "alpha", &alpha, 1, 0, err)) ||
        (rc = repro_fit_result_add(out, "l1_ratio", &ratio, 1, 0, err)) ||
        (rc = repro_fit_result_add(out, "n_features", &nf, 1, 1, err)) ||
        (rc = repro_fit_result_add(out, "cv_scores", rfe.cv_scores, rfe.n_scores, 0, err)))
        repro_fit_result_clear(out);
done:
    repro_rfecv_result_clear(&rfe);
    repro_sgd_grid_result_clear(&grid);
    return rc;
}

const repro_model_type repro_model_ElasticNet = {
    "ElasticNet",
    "SGD linear classifier, grid-searched, with recursive feature elimination (CV)",
    elasticnet_params,
    sizeof elasticnet_params / sizeof elasticnet_params[0],
    1,
    elasticnet_cost,
    elasticnet_fit,
    sizeof(elasticnet_settings),
    elasticnet_defaults,
    NULL,
    NULL,    NULL,
};
