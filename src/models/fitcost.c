/* fitcost.c - the estimated time of one fit and its limit (see fitcost.h). */
#include "repro/fitcost.h"

double repro_fit_cost_estimate(const repro_params *params, size_t n, size_t d, int data, int threads)
{
    return repro_params_cost_data(params, n, d, data) / (threads > 1 ? threads : 1);
}

int repro_fit_cost_check(const repro_params *params, size_t n, size_t d, int data, int threads,
                         double max_seconds, repro_error *err)
{
    const repro_model_type *t = params->type;
    double est = repro_fit_cost_estimate(params, n, d, data, threads);
    if (max_seconds <= 0 || est <= max_seconds)
        return REPRO_OK;
    return repro_error_set(err, REPRO_EINVAL,
                           "%s on %zu rows x %zu features: estimated time %.3g s with %d thread%s is over "
                           "the limit of %.0f s (wide data; raise it with --max-cost SECONDS, 0 for none)",
                           t->name, n, d, est, threads > 1 ? threads : 1, threads > 1 ? "s" : "",
                           max_seconds);
}
