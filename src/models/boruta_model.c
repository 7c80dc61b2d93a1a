/* boruta_model.c - model "Boruta": the all-relevant selection SQ starts
 * from (ALGORITHMS.md §6); used by the paper's figures. */
#include <math.h>
#include <stdlib.h>

#include "repro/boruta.h"
#include "repro/models.h"

_Static_assert(sizeof(repro_boruta_params) <= REPRO_MAX_SETTINGS, "Boruta params too large");

#define BORUTA_PARAM(NAME, FIELD, KIND, MIN, MAX, HELP) \
    REPRO_PARAM(NAME, repro_boruta_params, FIELD, KIND, MIN, MAX, NULL, HELP)
static const repro_param_def boruta_params[] = {
    BORUTA_PARAM("feature_fraction", forest.feature_fraction, DOUBLE, 1e-6, 1.0, "column fraction per tree"),
    BORUTA_PARAM("perc", perc, DOUBLE, 0, 100, "shadow percentile"),
    BORUTA_PARAM("alpha", alpha, DOUBLE, 1e-12, 0.5, "test level"),
    BORUTA_PARAM("max_iter", max_iter, INT, 2, 100000, "iteration limit"),
};

/* Boruta's own defaults. */
static void boruta_defaults(void *settings)
{
    repro_boruta_params_default(settings);
}

/* The forest's options must hold together. */
static int boruta_validate(const void *settings, repro_error *err)
{
    const repro_boruta_params *p = settings;
    return repro_forest_params_check(&p->forest, err);
}

/* Runs Boruta: relevance 1 for accepted features, importance = the last
 * iteration's gain importances, train_score = NaN (no model of its own),
 * extras: iterations, hits. */
static int boruta_fit(const repro_dataset *ds, const repro_params *params, repro_rng *rng,
                      int threads, repro_fit_result *out, repro_error *err)
{
    repro_boruta_params p;
    repro_params_apply(params, &p);
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
    repro_boruta_cost,
    boruta_fit,
    sizeof(repro_boruta_params),
    boruta_defaults,
    boruta_validate,
    NULL,    NULL,
};
