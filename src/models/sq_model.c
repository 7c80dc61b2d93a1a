/* sq_model.c - model "SQ": the paper's sequential feature classification
 * (ALGORITHMS.md §7) behind the generic model interface. */
#include <stdlib.h>

#include "repro/models.h"
#include "repro/squamish.h"

_Static_assert(sizeof(repro_sq_params) <= REPRO_MAX_SETTINGS, "SQ params too large");
/* "test" is an enum written as an int parameter */
_Static_assert(sizeof(repro_sq_test) == sizeof(int), "repro_sq_test must have the size of an int");
_Static_assert(sizeof(repro_sq_minimal) == sizeof(int), "repro_sq_minimal must have the size of an int");
_Static_assert(sizeof(repro_sq_mr_fit) == sizeof(int), "repro_sq_mr_fit must have the size of an int");

#define SQ_PARAM(NAME, FIELD, KIND, MIN, MAX, CHOICES, HELP) \
    REPRO_PARAM(NAME, repro_sq_params, FIELD, KIND, MIN, MAX, CHOICES, HELP)
static const repro_param_def sq_params[] = {
    SQ_PARAM("n_resampling", n_resampling, SIZE, 1, 100000, NULL, "shadow resamples for the statistics"),
    SQ_PARAM("fpr", fpr, DOUBLE, 1e-300, 0.5, NULL, "false-positive rate of the prediction intervals"),
    SQ_PARAM("n_trees", forest.n_trees, SIZE, 1, 100000, NULL,
             "trees of the minimal forest and of step 5's refits"),
    SQ_PARAM("feature_fraction", forest.feature_fraction, DOUBLE, 1e-6, 1.0, NULL,
             "column fraction per tree of the minimal forest and of step 5's refits"),
    SQ_PARAM("num_leaves", forest.num_leaves, INT, 2, 65536, NULL,
             "leaves per tree of the minimal forest and of step 5's refits"),
    SQ_PARAM("max_depth", forest.max_depth, INT, 1, 65536, NULL,
             "leaf depth limit of the minimal forest and of step 5's refits"),
    SQ_PARAM("boruta_feature_fraction", boruta.forest.feature_fraction, DOUBLE, 1e-6, 1.0, NULL,
             "column fraction per tree in Boruta"),
    SQ_PARAM("perc", boruta.perc, DOUBLE, 0, 100, NULL, "Boruta's shadow percentile"),
    SQ_PARAM("alpha", boruta.alpha, DOUBLE, 1e-12, 0.5, NULL, "Boruta's test level"),
    SQ_PARAM("max_iter", boruta.max_iter, INT, 2, 100000, NULL, "Boruta's iteration limit"),
    SQ_PARAM("min_child_rows", forest.min_child_rows, SIZE, 1, 1e9, NULL,
             "bagged rows needed in each child (minimal model, refits)"),
    SQ_PARAM("boruta_min_child_rows", boruta.forest.min_child_rows, SIZE, 1, 1e9, NULL,
             "bagged rows needed in each child in Boruta"),
    /* also Boruta's: sq_settings copies it there */
    SQ_PARAM("ties", forest.random_ties, INT, 0, 1, "index|random",
             "equal split gains: lower column (LightGBM) or random"),
    SQ_PARAM("test", test, INT, REPRO_SQ_TEST_LOWER, REPRO_SQ_TEST_TWO_SIDED, "lower|two_sided",
             "step 5: strongly relevant if the score without the feature is below the interval "
             "(squamish of the published runs) or outside it (as specified)"),
    SQ_PARAM("minimal_model", minimal_model, INT, REPRO_SQ_MINIMAL_FOREST, REPRO_SQ_MINIMAL_GBDT,
             "forest|gbdt",
             "steps 2-4: the random forest (as specified) or LightGBM's default gradient-boosted "
             "trees with split counts (squamish before 189ae25, the published linear runs); step 5 "
             "refits the forest either way"),
    SQ_PARAM("mr_fit", mr_fit, INT, REPRO_SQ_MR_MINIMAL, REPRO_SQ_MR_LAST_RESAMPLE,
             "minimal|last_resample",
             "step 4 reads the minimal model's importances (as specified) or the last resampled "
             "fit's (squamish before fae0153)"),
};

/* SQ's own defaults. */
static void sq_defaults(void *settings)
{
    repro_sq_params_default(settings);
}

/* Both forests' options must hold together. */
static int sq_validate(const void *settings, repro_error *err)
{
    const repro_sq_params *p = settings;
    int rc = repro_forest_params_check(&p->forest, err);
    return rc ? rc : repro_forest_params_check(&p->boruta.forest, err);
}

/* Relative cost (seconds, single thread) of SQ: its Boruta step (see
 * repro_boruta_cost), plus about 52 + d/2 forests on d+1 columns. */
static double sq_cost(size_t n, size_t d)
{
    double boruta = repro_boruta_cost(n, d);
    return boruta + (52.0 + 0.5 * (double)d) * repro_forest_cost(n, d + 1, 0.8, 100);
}

/* SQ's settings from the model parameters; the tie rule is one setting for
 * both of SQ's forests. */
static void sq_settings(const repro_params *params, repro_sq_params *p)
{
    repro_params_apply(params, p);
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
    sizeof(repro_sq_params),
    sq_defaults,
    sq_validate,
    NULL,
};
