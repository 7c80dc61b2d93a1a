/* fitcost.h - the estimated time of one fit, and the limit `fit` puts on it
 * so that wide data (many features) are refused up front instead of running
 * for hours. The estimate is the model's own cost function (seconds on one
 * core, as used to schedule jobs), divided by the threads. */
#ifndef REPRO_FITCOST_H
#define REPRO_FITCOST_H

#include <stddef.h>

#include "repro/error.h"
#include "repro/model.h"

/* The default limit of `repro_mpi fit --max-cost`, in estimated seconds. */
#define REPRO_FIT_MAX_COST_DEFAULT 300

/* Estimated seconds of one fit of params' model with these parameters on n
 * rows x d features of kind `data` (a repro_gen_kind, or
 * REPRO_PROFILE_DATA_OTHER) with `threads` threads (repro_params_cost_data). */
double repro_fit_cost_estimate(const repro_params *params, size_t n, size_t d, int data, int threads);

/* REPRO_EINVAL with a one-line message (the estimate, the limit and how to
 * raise it) when the estimate is over max_seconds; max_seconds 0: no limit. */
int repro_fit_cost_check(const repro_params *params, size_t n, size_t d, int data, int threads,
                         double max_seconds, repro_error *err);

#endif
