/* boruta_model.c - model "Boruta": the all-relevant selection SQ starts
 * from (ALGORITHMS.md §6); used by the paper's figures. */
#include <math.h>
#include <stdlib.h>

#include "repro/boruta.h"
#include "repro/models.h"

static const repro_param_def boruta_params[] = {
    {"feature_fraction", 0.1, 1e-6, 1.0, 0, NULL, "column fraction per tree"},
    {"perc", 70, 0, 100, 0, NULL, "shadow percentile"},
    {"alpha", 0.01, 1e-12, 0.5, 0, NULL, "test level"},
    {"max_iter", 100, 2, 100000, 1, NULL, "iteration limit"},
};

/* Relative cost: about 60 iterations (many runs end at max_iter with
 * tentative features) on 2d columns with ~20 sqrt(2d) trees. */
static double boruta_cost(size_t n, size_t d)
{
    return 60.0 * repro_forest_cost(n, 2 * d, 0.1, (size_t)(20.0 * sqrt(2.0 * (double)d)));
}

/* Runs Boruta: relevance 1 for accepted features, importance = the last
 * iteration's gain importances, train_score = NaN (no model of its own),
 * extras: iterations, hits. */
static int boruta_fit(const repro_dataset *ds, const repro_params *params, repro_rng *rng,
                      int threads, repro_fit_result *out, repro_error *err)
{
    repro_boruta_params p;
    repro_boruta_params_default(&p);
    p.forest.feature_fraction = repro_params_get(params, "feature_fraction");
    p.perc = repro_params_get(params, "perc");
    p.alpha = repro_params_get(params, "alpha");
    p.max_iter = (int)repro_params_get(params, "max_iter");
    repro_forest_bins *bins = NULL;
    int rc = repro_forest_bins_build(ds->X, ds->n, ds->d, p.forest.max_bins,
                                     p.forest.min_data_in_bin, &bins, err);
    if (rc)
        return rc;
    repro_boruta_result r;
    rc = repro_boruta_fit(rng, bins, ds->y, &p, threads, &r, err);
    repro_forest_bins_free(bins);
    if (rc)
        return rc;
    double *hits = NULL;
    if ((rc = repro_fit_result_init(out, ds->d, err)))
        goto done;
    for (size_t j = 0; j < ds->d; j++)
        out->relevance[j] = r.decision[j] == 1;
    out->train_score = NAN;
    out->importance = r.importance;
    r.importance = NULL;
    double iters = r.n_iter;
    hits = repro_malloc(ds->d, sizeof *hits, err);
    if (!hits)
        rc = REPRO_ENOMEM;
    for (size_t j = 0; hits && j < ds->d; j++)
        hits[j] = r.hits[j];
    if (!rc && !(rc = repro_fit_result_add(out, "iterations", &iters, 1, 1, err)))
        rc = repro_fit_result_add(out, "hits", hits, ds->d, 1, err);
    if (rc)
        repro_fit_result_clear(out);
done:
    free(hits);
    repro_boruta_result_clear(&r);
    return rc;
}

const repro_model_type repro_model_Boruta = {
    "Boruta",
    "Boruta all-relevant selection (BorutaPy semantics as configured by SQ)",
    boruta_params,
    sizeof boruta_params / sizeof boruta_params[0],
    1,
    boruta_cost,
    boruta_fit,
};
