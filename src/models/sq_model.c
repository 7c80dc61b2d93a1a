/* sq_model.c - model "SQ": the paper's sequential feature classification
 * (ALGORITHMS.md §7) behind the generic model interface. */
#include <math.h>
#include <stdlib.h>

#include "repro/models.h"
#include "repro/squamish.h"

static const repro_param_def sq_params[] = {
    {"n_resampling", 50, 1, 100000, 1, NULL, "shadow resamples for the statistics"},
    {"fpr", 1e-6, 1e-300, 0.5, 0, NULL, "false-positive rate of the prediction intervals"},
    {"n_trees", 100, 1, 100000, 1, NULL, "trees of the minimal model and its refits"},
    {"feature_fraction", 0.8, 1e-6, 1.0, 0, NULL, "column fraction per tree of the minimal model"},
    {"boruta_feature_fraction", 0.1, 1e-6, 1.0, 0, NULL, "column fraction per tree in Boruta"},
    {"perc", 100, 0, 100, 0, NULL, "Boruta's shadow percentile"},
    {"alpha", 0.01, 1e-12, 0.5, 0, NULL, "Boruta's test level"},
    {"max_iter", 100, 2, 100000, 1, NULL, "Boruta's iteration limit"},
    {"min_child_rows", 1, 1, 1e9, 1, NULL, "bagged rows needed in each child (minimal model, refits)"},
    {"boruta_min_child_rows", 20, 1, 1e9, 1, NULL, "bagged rows needed in each child in Boruta"},
    {"ties", 0, 0, 1, 1, "index|random", "equal split gains: lower column (LightGBM) or random"},
};

/* Relative cost (seconds, single thread) of SQ: about 60 Boruta iterations
 * on 2d columns with feature_fraction 0.1 and 20 sqrt(2d) trees, plus about
 * 52 + d/2 forests on d+1 columns. */
static double sq_cost(size_t n, size_t d)
{
    double boruta = 60.0 * repro_forest_cost(n, 2 * d, 0.1, (size_t)(20.0 * sqrt(2.0 * (double)d)));
    return boruta + (52.0 + 0.5 * (double)d) * repro_forest_cost(n, d + 1, 0.8, 100);
}

/* Copies the model parameters into SQ's settings. */
static void sq_settings(const repro_params *params, repro_sq_params *p)
{
    repro_sq_params_default(p);
    p->n_resampling = (size_t)repro_params_get(params, "n_resampling");
    p->fpr = repro_params_get(params, "fpr");
    p->forest.n_trees = (size_t)repro_params_get(params, "n_trees");
    p->forest.feature_fraction = repro_params_get(params, "feature_fraction");
    p->boruta.forest.feature_fraction = repro_params_get(params, "boruta_feature_fraction");
    p->boruta.perc = repro_params_get(params, "perc");
    p->boruta.alpha = repro_params_get(params, "alpha");
    p->boruta.max_iter = (int)repro_params_get(params, "max_iter");
    p->forest.min_child_rows = (size_t)repro_params_get(params, "min_child_rows");
    p->boruta.forest.min_child_rows = (size_t)repro_params_get(params, "boruta_min_child_rows");
    p->forest.random_ties = (int)repro_params_get(params, "ties");
    p->boruta.forest.random_ties = p->forest.random_ties;
}

/* Copies a list of feature indices into an integral extra. */
static int add_index_list(repro_fit_result *out, const char *name, const size_t *idx, size_t k,
                          repro_error *err)
{
    double *v = repro_malloc(k ? k : 1, sizeof *v, err);
    if (!v)
        return REPRO_ENOMEM;
    for (size_t i = 0; i < k; i++)
        v[i] = (double)idx[i];
    int rc = repro_fit_result_add(out, name, v, k, 1, err);
    free(v);
    return rc;
}

/* Fits SQ; classes 0/1/2, minimal model's accuracy and importances, extras
 * shadow_bounds, score_bounds, AR and MR. */
static int sq_fit(const repro_dataset *ds, const repro_params *params, repro_rng *rng,
                  int threads, repro_fit_result *out, repro_error *err)
{
    repro_sq_params p;
    repro_sq_result r;
    sq_settings(params, &p);
    int rc = repro_sq_fit(rng, ds, &p, threads, &r, err);
    if (rc)
        return rc;
    if ((rc = repro_fit_result_init(out, ds->d, err)))
        goto done;
    for (size_t j = 0; j < ds->d; j++)
        out->relevance[j] = r.relevance[j];
    out->train_score = r.train_score;
    out->importance = r.importance;
    r.importance = NULL;
    double sb[2] = {r.shadow_lo, r.shadow_hi}, cb[2] = {r.score_lo, r.score_hi};
    if ((rc = repro_fit_result_add(out, "shadow_bounds", sb, 2, 0, err)) ||
        (rc = repro_fit_result_add(out, "score_bounds", cb, 2, 0, err)) ||
        (rc = add_index_list(out, "AR", r.ar, r.n_ar, err)) ||
        (rc = add_index_list(out, "MR", r.mr, r.n_mr, err)))
        repro_fit_result_clear(out);
done:
    repro_sq_result_clear(&r);
    return rc;
}

const repro_model_type repro_model_SQ = {
    "SQ",
    "sequential feature classification: Boruta, minimal random forest, shadow statistics",
    sq_params,
    sizeof sq_params / sizeof sq_params[0],
    2,
    sq_cost,
    sq_fit,
};
