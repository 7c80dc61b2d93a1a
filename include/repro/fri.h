/* fri.h - feature relevance intervals (ALGORITHMS.md §8): an L1-SVM picks a
 * model, then two LPs per feature bound how much weight the feature can carry
 * among all near-optimal models; probes on permuted columns give the
 * thresholds that sort features into classes 2 (strongly relevant), 1 (weakly
 * relevant) and 0 (irrelevant). */
#ifndef REPRO_FRI_H
#define REPRO_FRI_H

#include <stddef.h>

#include "repro/data.h"
#include "repro/error.h"
#include "repro/rng.h"

/* Folds of the search for C (repro_fri_options.cv). */
enum { REPRO_FRI_CV_STRATIFIED = 0, REPRO_FRI_CV_KFOLD = 1 };

typedef struct repro_fri_options {
    double C;           /* > 0: fixed regularisation; 0: random search */
    size_t n_search;    /* C values drawn by the search (50) */
    size_t n_probes;    /* upper-bound probes, and again lower-bound probes (50) */
    double w_l1_slack;  /* L1 limit = (1 + w_l1_slack) * L1 of the init model (0.1) */
    double loss_slack;  /* loss limit = (1 + loss_slack) * loss of the init model (0.1) */
    double fpr;         /* false-positive rate of the probe thresholds (1e-4) */
    int cv;             /* folds of the C search: REPRO_FRI_CV_STRATIFIED (as specified)
                         * or REPRO_FRI_CV_KFOLD (contiguous, as the published code's) */
    int legacy;         /* earlier LP paths, for benchmarks and tests: 1 the previous
                         * (aggregated violators, 4 features per solver, wide
                         * working sets), 2 the first (no aggregation); 0 */
} repro_fri_options;

/* The published defaults above (C = 0: search). */
void repro_fri_options_default(repro_fri_options *opt);

typedef struct repro_fri_result {
    size_t d;
    int *classes;          /* d relevance classes 0/1/2 */
    double *bounds;        /* 2d: (lower_j, upper_j), normalised by L1 */
    double *w;             /* d weights of the init model */
    double b;              /* its intercept */
    double C, L1, loss;    /* chosen C; ||w||_1 and sum of slacks of the init model */
    double train_f1;       /* weighted F1 of the init model on the training data */
    double thresholds[2];  /* upper-probe threshold, lower-probe threshold */
    size_t n_up_probes;    /* probes kept (feasible) */
    size_t n_lo_probes;
    size_t n_lps;          /* LP solves, retries included */
    /* Where the time went (wall seconds, summed over work items, so CPU-like
     * on one thread) and the LP solves of each phase: C search, refit of the
     * init model, the 3d bound LPs, the probe LPs. For benchmarks only. */
    double t_search, t_refit, t_bounds, t_probes;
    size_t lps_search, lps_refit, lps_bounds, lps_probes;
} repro_fri_result;

/* Runs FRI on ds with up to `threads` threads; results do not depend on the
 * thread count. Draws only on the calling thread, in this order: the
 * n_search C values (only when opt->C == 0, before the search's solves),
 * then the upper-probe features, their row permutations, the lower-probe
 * features and their permutations. Fails with
 * REPRO_EINVAL on bad options or fewer than 3 samples per search, REPRO_EFAIL
 * if the init model cannot be solved. */
int repro_fri_fit(repro_rng *rng, const repro_dataset *ds, const repro_fri_options *opt,
                  int threads, repro_fri_result *res, repro_error *err);
/* Frees what res owns and zeroes it; safe on a zeroed struct. */
void repro_fri_result_clear(repro_fri_result *res);

/* The L1-SVM  min ||w||_1 + C sum xi  s.t. y_i (w.x_i + b) >= 1 - xi_i,
 * xi >= 0  on all rows of X (n x d): writes w (d values), b and the optimal
 * objective. REPRO_EFAIL if CLP does not reach an optimum. */
int repro_fri_l1svm(const double *X, const int *y, size_t n, size_t d, double C, double *w,
                    double *b, double *objective, repro_error *err);

/* Random search for C: n_search values 10^U(-5, 5) drawn from rng in order,
 * each scored by the mean weighted F1 of 3-fold stratified CV (§11); the
 * first best wins. Folds may run on up to `threads` threads. Adds the LP
 * count to *n_lps. With `shortcut`, a fold stops solving once an optimal
 * basis has no slack basic (that optimum is then optimal for every larger
 * C, so the larger C's share its score); 0 solves every C (the earlier
 * paths). */
int repro_fri_search_C(repro_rng *rng, const repro_dataset *ds, size_t n_search, int threads,
                       int shortcut, double *best_C, size_t *n_lps, repro_error *err);
/* The same search with the folds chosen by cv: REPRO_FRI_CV_STRATIFIED
 * (as repro_fri_search_C) or REPRO_FRI_CV_KFOLD, 3 contiguous blocks of
 * rows (repro_cv_kfold_folds), as scikit-learn gave the published code,
 * whose init model is not a scikit-learn classifier. */
int repro_fri_search_C_cv(repro_rng *rng, const repro_dataset *ds, size_t n_search, int threads,
                          int shortcut, int cv, double *best_C, size_t *n_lps, repro_error *err);

/* Classes from normalised bounds (2d values) and the probes' normalised
 * bounds: weakly = upper_j > the upper end of the prediction interval
 * (§5, fpr) of up_probes; strongly = lower_j > that of lo_probes; class 2 if
 * both, 1 if only weakly, else 0. Writes the two thresholds. */
void repro_fri_classify(const double *bounds, size_t d, const double *up_probes, size_t m_up,
                        const double *lo_probes, size_t m_lo, double fpr, int *classes,
                        double thresholds[2]);

#endif
