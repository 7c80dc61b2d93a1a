/* rfecv.h - recursive feature elimination with cross-validation
 * (ALGORITHMS.md §10, scikit-learn 0.23 RFECV with step 1), generic over any
 * model that can fit on a subset of rows and columns and rank the columns.
 *
 * For each of K stratified folds (§11): starting from all columns, fit on the
 * fold's training rows, score on its held-out rows, drop the single
 * lowest-ranked column (ties: the earliest of the remaining columns), down to
 * the minimum count. Scores are summed over folds per column count; the chosen
 * count is the best sum, ties going to fewer columns. The elimination is then
 * run on all rows down to that count; a last fit on all rows and the selected
 * columns gives the final (training) score.
 *
 * Streams: every fit draws from its own copy of rng (the published code
 * cloned one estimator with a fixed random state, so all its fits shared one
 * seed); rng is not advanced. Folds run in parallel on up to `threads`
 * threads, and the result does not depend on that number. */
#ifndef REPRO_RFECV_H
#define REPRO_RFECV_H

#include <stddef.h>

#include "repro/data.h"
#include "repro/error.h"
#include "repro/rng.h"

/* Fits the model on rows train[0..n_train) and columns cols[0..n_cols) of
 * ds, writes one ranking value per column to rank[0..n_cols) (larger = more
 * important) and, if n_test > 0, the accuracy on rows test[0..n_test) (same
 * columns) to *score. Must be safe to call from several threads at once with
 * the same ctx. Returns REPRO_OK or a code with a message in err. */
typedef int (*repro_rfe_fit_fn)(void *ctx, repro_rng *rng, const repro_dataset *ds,
                                const size_t *train, size_t n_train, const size_t *test,
                                size_t n_test, const size_t *cols, size_t n_cols, double *rank,
                                double *score, repro_error *err);

typedef struct repro_rfecv_opts {
    int folds;           /* K >= 2 */
    size_t min_features; /* >= 1; clamped to d */
    int threads;
} repro_rfecv_opts;

typedef struct repro_rfecv_result {
    size_t d;
    int *support;        /* d flags: 1 selected */
    size_t n_selected;
    size_t n_scores;     /* d - min + 1 */
    double *cv_scores;   /* mean CV score per column count, index 0 = minimum count */
    double final_score;  /* accuracy of the last fit on all rows, selected columns */
} repro_rfecv_result;

/* Runs RFECV on ds with the model (fit, ctx). Fails on bad options (folds
 * outside [2, n]) or when a fit fails. */
int repro_rfecv(const repro_rng *rng, repro_rfe_fit_fn fit, void *ctx, const repro_dataset *ds,
                const repro_rfecv_opts *opts, repro_rfecv_result *res, repro_error *err);

/* Eliminates on the given rows from all columns down to `keep` columns
 * (every fit draws from a copy of rng), writing the support. Scores each
 * step on test rows if n_test > 0 into scores[d - count] (may be NULL). */
int repro_rfe_eliminate(const repro_rng *rng, repro_rfe_fit_fn fit, void *ctx,
                        const repro_dataset *ds, const size_t *train, size_t n_train,
                        const size_t *test, size_t n_test, size_t keep, int *support,
                        double *scores, repro_error *err);

/* RFECV's stages: repro_rfecv runs exactly these, and a split fit runs
 * them as tasks anywhere for the same bits (every fit draws from its own
 * copy of rng, so no stage depends on another's draws). The folds are
 * independent; the path on all rows depends on the folds' choice only in
 * where it stops, so it may run beside them down to the minimum and its
 * first d - keep drops taken; the final fit needs the choice. */

/* REPRO_EINVAL (repro_rfecv's message) on options unusable on n x d data. */
int repro_rfecv_check(const repro_rfecv_opts *opts, size_t n, size_t d, repro_error *err);
/* The smallest column count (min_features clamped to d) and the number of
 * scores per fold, d - min + 1 (index s: the step with d - s columns). */
size_t repro_rfecv_min(const repro_rfecv_opts *opts, size_t d);
size_t repro_rfecv_n_scores(const repro_rfecv_opts *opts, size_t d);
/* Fold f's elimination down to the minimum, each step scored on the
 * fold's held-out rows into scores[0 .. n_scores). */
int repro_rfecv_fold(const repro_rng *rng, repro_rfe_fit_fn fit, void *ctx, const repro_dataset *ds,
                     const repro_rfecv_opts *opts, int f, double *scores, repro_error *err);
/* From all folds' scores (fold f's at fold_scores + f * n_scores): the mean
 * per column count into cv_scores (index 0 = min columns) and the chosen
 * count (the best sum, ties to fewer columns). */
size_t repro_rfecv_choose(const double *fold_scores, int folds, size_t n_scores, size_t min, double *cv_scores);
/* The elimination on all rows from d columns down to `stop`, unscored:
 * order[0 .. d - stop) the columns in the order they were dropped. */
int repro_rfecv_all_rows(const repro_rng *rng, repro_rfe_fit_fn fit, void *ctx, const repro_dataset *ds,
                         size_t stop, size_t *order, repro_error *err);
/* The support of `keep` columns (all but order[0 .. d - keep)) and the
 * final fit on all rows and those columns, its accuracy on all rows to
 * *score. REPRO_EINVAL if keep or order is malformed. */
int repro_rfecv_final(const repro_rng *rng, repro_rfe_fit_fn fit, void *ctx, const repro_dataset *ds,
                      const size_t *order, size_t keep, int *support, double *score, repro_error *err);

/* Frees what a result owns; safe on a zeroed struct. */
void repro_rfecv_result_clear(repro_rfecv_result *res);

#endif
