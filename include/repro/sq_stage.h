/* sq_stage.h - SQ (squamish.h) cut into the steps a scheduler can spread
 * over ranks: Boruta (sequential, one piece), the fits of steps 2-3 (the
 * minimal model and the shadow resamples, forests or boosted trees,
 * independent of each other)
 * and the refits of step 5's permutation tests (independent of each other).
 * repro_sq_fit runs exactly these functions in one process; a staged run
 * calls the same ones on any ranks and gets the same bits: a range of fits
 * replays the draws of the fits before it from the stream it is given, and
 * no fit's result depends on where, with how many threads, or in which
 * group it runs. */
#ifndef REPRO_SQ_STAGE_H
#define REPRO_SQ_STAGE_H

#include <stddef.h>

#include "repro/data.h"
#include "repro/error.h"
#include "repro/forest.h"
#include "repro/rng.h"
#include "repro/squamish.h"

/* Checks SQ's own settings, its forests' and the boosted minimal model's
 * (REPRO_EINVAL), as repro_sq_fit. */
int repro_sq_check(const repro_sq_params *p, repro_error *err);

/* Bins ds's columns with the minimal model's binning settings. */
int repro_sq_bins(const repro_dataset *ds, const repro_sq_params *p, repro_forest_bins **bins, repro_error *err);

/* Step 1: Boruta from rng (left past its draws); writes the accepted
 * features ascending to ar (room for bins->d) and their number to *n_ar. */
int repro_sq_boruta(repro_rng *rng, const repro_forest_bins *bins, const int *y, const repro_sq_params *p,
                    int threads, size_t *ar, size_t *n_ar, repro_error *err);
/* REPRO_EFAIL (SQ's message) when Boruta accepted no feature, else REPRO_OK. */
int repro_sq_need_ar(size_t n_ar, repro_error *err);

/* The fits of steps 2-3 (the forest or, with minimal_model=gbdt, the boosted
 * trees): fit 0 the minimal model, fit 1 + r the r-th shadow resample
 * (n_resampling + 1 fits). Fit f's output starts at
 * repro_sq_fit_offset(p, f, d) of a buffer of repro_sq_fit_offset(p, n_fits, d)
 * doubles: the training accuracy, then the importances (d of them for the
 * minimal model, the appended column's for a resample, followed for the last
 * resample with mr_fit=last_resample by its d columns'). */
size_t repro_sq_n_fits(const repro_sq_params *p);
size_t repro_sq_fit_offset(const repro_sq_params *p, size_t f, size_t d);
/* Runs fits [f0, f1) from the stream after Boruta (rng, not advanced: the
 * draws of the fits before f0 are replayed) and writes their outputs to
 * out[0 .. offset(f1) - offset(f0)). */
int repro_sq_fits(const repro_forest_bins *bins, const int *y, const repro_sq_params *p, const repro_rng *rng,
                  size_t f0, size_t f1, int threads, double *out, repro_error *err);
/* Advances rng past the draws of all fits of steps 2-3 on n rows, d columns. */
int repro_sq_skip_fits(repro_rng *rng, size_t n, size_t d, const repro_sq_params *p, repro_error *err);

/* Steps 3-5 from all fits' outputs and Boruta's accepted set (already in
 * res->ar): importance, training score, both intervals, MR (relevance 2)
 * and W = AR \ MR (relevance 1). res's arrays are allocated for d. */
int repro_sq_statistics(const double *fits, const repro_sq_params *p, repro_sq_result *res, repro_error *err);

/* Step 5's permutation tests: U (the relevant features, ascending) and the
 * positions in U of the features tested (those of MR, in order); none
 * when U has at most one feature. */
typedef struct repro_sq_tests {
    size_t nu, n_tests;
    size_t *u;   /* nu feature indices */
    size_t *pos; /* n_tests positions in u */
} repro_sq_tests;
int repro_sq_tests_plan(const int *relevance, size_t d, repro_sq_tests *t, repro_error *err);
void repro_sq_tests_clear(repro_sq_tests *t);
/* Runs tests [t0, t1) from the stream after steps 2-3 (rng, not advanced;
 * earlier tests' draws are replayed): each test's training accuracy with
 * its feature permuted among U, to score[0 .. t1 - t0). */
int repro_sq_test_fits(const repro_forest_bins *bins, const int *y, const repro_sq_params *p, const repro_rng *rng,
                       const repro_sq_tests *t, size_t t0, size_t t1, int threads, double *score,
                       repro_error *err);
/* Step 5's decision from all tests' scores: tested features become 2
 * (strongly) or 1 (weakly) relevant in res->relevance. */
void repro_sq_tests_apply(const repro_sq_tests *t, const double *score, const repro_sq_params *p,
                          repro_sq_result *res);

/* Allocates a result's arrays for d features (zeroed). */
int repro_sq_result_alloc(repro_sq_result *res, size_t d, repro_error *err);

#endif
