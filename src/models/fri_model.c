/* fri_model.c - FRI as a registered model (ALGORITHMS.md §8). */
#include "repro/fri.h"
#include "repro/model.h"
#include "repro/models.h"

_Static_assert(sizeof(repro_fri_options) <= REPRO_MAX_SETTINGS, "FRI options too large");

#define FRI_PARAM(NAME, FIELD, KIND, MIN, MAX, HELP) \
    REPRO_PARAM(NAME, repro_fri_options, FIELD, KIND, MIN, MAX, NULL, HELP)
static const repro_param_def fri_params[] = {
    FRI_PARAM("C", C, DOUBLE, 0.0, 1e10, "L1-SVM regularisation; 0 = random search over [1e-5, 1e5]"),
    FRI_PARAM("probes", n_probes, SIZE, 0, 100000, "upper-bound probes, and as many lower-bound probes"),
    FRI_PARAM("search", n_search, SIZE, 1, 100000,
              "C values tried by the random search (3-fold CV, weighted F1)"),
    FRI_PARAM("w_l1_slack", w_l1_slack, DOUBLE, 0.0, 100.0, "relative slack on the init model's L1 norm"),
    FRI_PARAM("loss_slack", loss_slack, DOUBLE, 0.0, 100.0, "relative slack on the init model's hinge loss"),
    FRI_PARAM("fpr", fpr, DOUBLE, 1e-15, 0.5, "false-positive rate of the probe thresholds"),
    REPRO_PARAM("cv", repro_fri_options, cv, INT, 0, 1, "stratified|kfold",
                "folds of the search for C: stratified as specified, or kfold (contiguous blocks of rows, as "
                "the published code's)"),
};

/* FRI's own defaults. */
static void fri_defaults(void *settings)
{
    repro_fri_options_default(settings);
}

/* Cost estimate (about seconds on one core): about 3 LPs per search value
 * and fold, 3 per feature and 3 per probe pair, each roughly proportional to
 * n * d; scaled to measured fit times (Set 1 0.14 s, Set 8 17 s). */
static double fri_cost(size_t n, size_t d)
{
    return (150.0 + 3.0 * (double)d + 150.0) * (double)n * (double)(d + 5) * 2.2e-7;
}

/* Runs FRI and moves its outputs into the generic result. */
static int fri_fit(const repro_dataset *ds, const repro_params *params, repro_rng *rng, int threads,
                   repro_fit_result *out, repro_error *err)
{
    repro_fri_options opt;
    repro_params_apply(params, &opt);
    repro_fri_result fr;
    int rc = repro_fri_fit(rng, ds, &opt, threads, &fr, err);
    if (rc)
        return rc;
    if ((rc = repro_fit_result_init(out, ds->d, err)))
        goto done;
    for (size_t j = 0; j < ds->d; j++)
        out->relevance[j] = fr.classes[j];
    out->train_score = fr.train_f1;
    out->bounds = fr.bounds;
    fr.bounds = NULL;
    double n_lps = (double)fr.n_lps;
    if ((rc = repro_fit_result_add(out, "C", &fr.C, 1, 0, err)) ||
        (rc = repro_fit_result_add(out, "L1", &fr.L1, 1, 0, err)) ||
        (rc = repro_fit_result_add(out, "loss", &fr.loss, 1, 0, err)) ||
        (rc = repro_fit_result_add(out, "probe_thresholds", fr.thresholds, 2, 0, err)) ||
        (rc = repro_fit_result_add(out, "n_lps", &n_lps, 1, 1, err)))
        repro_fit_result_clear(out);
done:
    repro_fri_result_clear(&fr);
    return rc;
}

const repro_model_type repro_model_FRI = {
    "FRI",
    "feature relevance intervals from an L1-SVM via linear programs",
    fri_params,
    sizeof fri_params / sizeof fri_params[0],
    2,
    fri_cost,
    fri_fit,
    sizeof(repro_fri_options),
    fri_defaults,
    NULL,
};
