/* forest_model.c - model "Forest": one random forest (ALGORITHMS.md §4),
 * reporting its gain importances; used by the paper's figures. */
#include <stdlib.h>

#include "repro/forest.h"
#include "repro/models.h"

_Static_assert(sizeof(repro_forest_params) <= REPRO_MAX_SETTINGS, "forest params too large");

static const repro_param_def forest_params[] = {
    REPRO_PARAM("feature_fraction", repro_forest_params, feature_fraction, DOUBLE, 1e-6, 1.0, NULL,
                "column fraction per tree"),
    REPRO_PARAM("n_trees", repro_forest_params, n_trees, SIZE, 1, 100000, NULL, "trees"),
};

/* The forest's own defaults. */
static void forest_defaults(void *settings)
{
    repro_forest_params_default(settings);
}

/* The forest's options must hold together. */
static int forest_validate(const void *settings, repro_error *err)
{
    return repro_forest_params_check(settings, err);
}

/* Relative cost: one forest. */
static double forest_cost(size_t n, size_t d)
{
    return repro_forest_cost(n, d, 1.0, 100);
}

/* Fits one forest: importance = gain importances, relevance 1 where the
 * importance is > 0, train_score = training accuracy. */
static int forest_fit(const repro_dataset *ds, const repro_params *params, repro_rng *rng,
                      int threads, repro_fit_result *out, repro_error *err)
{
    repro_forest_params p;
    repro_params_apply(params, &p);
    repro_rng stream;
    repro_rng_split(rng, &stream);
    repro_forest *f = NULL;
    int rc = repro_forest_fit(ds->X, ds->n, ds->d, ds->y, &p, &stream, threads, &f, err);
    if (rc)
        return rc;
    if ((rc = repro_fit_result_init(out, ds->d, err)))
        goto done;
    out->importance = repro_malloc(ds->d, sizeof *out->importance, err);
    if (!out->importance) {
        rc = REPRO_ENOMEM;
        repro_fit_result_clear(out);
        goto done;
    }
    repro_forest_importance(f, REPRO_IMPORTANCE_GAIN, out->importance);
    for (size_t j = 0; j < ds->d; j++)
        out->relevance[j] = out->importance[j] > 0.0;
    out->train_score = f->train_accuracy;
done:
    repro_forest_free(f);
    return rc;
}

const repro_model_type repro_model_Forest = {
    "Forest",
    "one random forest (LightGBM rf semantics), gain importances",
    forest_params,
    sizeof forest_params / sizeof forest_params[0],
    1,
    forest_cost,
    forest_fit,
    sizeof(repro_forest_params),
    forest_defaults,
    forest_validate,
    NULL,    NULL,
};
