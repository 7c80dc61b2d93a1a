/* linear.h - a linear classifier trained by stochastic gradient descent with
 * scikit-learn 0.23 SGDClassifier defaults (ALGORITHMS.md §9), and the grid
 * search over its regularization that the ElasticNet baseline uses.
 *
 * The learner (plain SGD, hinge loss, "optimal" learning rate):
 *   typw = sqrt(1 / sqrt(alpha)); eta0 = typw / max(1, dloss(-typw, 1));
 *   t0 = 1 / (eta0 alpha); eta at step t (t = 1, 2, ...) = 1 / (alpha (t0 + t - 1)).
 * Rows are visited in an order that every epoch permutes further by one
 * swap sequence drawn once per fit (the library shuffles with the same seed
 * every epoch). Per sample: p = w.x + b; update =
 * -eta dloss(p, y); w *= max(0, 1 - (1 - l1_ratio) eta alpha) (kept as a
 * separate scale factor, folded back below 1e-9); w += update x; b += update;
 * with the elastic-net penalty the cumulative truncated-gradient L1 step
 * (Tsuruoka et al. 2009) follows. With the L2 penalty l1_ratio is treated as 0,
 * as the library does. An epoch's summed hinge loss that is not below
 * best_loss - tol * n for n_iter_no_change epochs in a row stops training. */
#ifndef REPRO_LINEAR_H
#define REPRO_LINEAR_H

#include <stddef.h>

#include "repro/data.h"
#include "repro/error.h"
#include "repro/rng.h"

typedef enum { REPRO_PENALTY_L2 = 0, REPRO_PENALTY_ELASTICNET = 1 } repro_penalty;

/* Settings of one SGD fit. */
typedef struct repro_sgd_params {
    double alpha;         /* regularization strength (> 0) */
    double l1_ratio;      /* in [0, 1]; used only with REPRO_PENALTY_ELASTICNET */
    repro_penalty penalty;
    int max_epochs;       /* 100 */
    double tol;           /* 1e-3; a negative value disables early stopping */
    int n_iter_no_change; /* 5 */
} repro_sgd_params;

/* A fitted linear classifier: predicts +1 when w.x + b > 0, else -1. */
typedef struct repro_linear_model {
    size_t d;
    double *w;
    double b;
    int epochs; /* epochs run */
} repro_linear_model;

/* Fills p with the library defaults (alpha 1e-4, l1_ratio 0, L2, 100
 * epochs, tol 1e-3, 5 epochs without change). */
void repro_sgd_defaults(repro_sgd_params *p);

/* The "optimal" schedule's offset t0 = 1 / (eta0 alpha) for the hinge loss. */
double repro_sgd_t0(double alpha);
/* The learning rate at step t >= 1: 1 / (alpha (t0 + t - 1)). */
double repro_sgd_eta(double alpha, double t0, double t);

/* Fits a classifier on the rows rows[0..n_rows) and columns cols[0..n_cols)
 * of ds (model->w gets n_cols weights in the order of cols). The rows are
 * shuffled every epoch by the same swap sequence drawn from rng. Allocates model->w (free with
 * repro_linear_model_clear). Fails on bad settings or no rows. */
int repro_sgd_fit(repro_rng *rng, const repro_sgd_params *p, const repro_dataset *ds,
                  const size_t *rows, size_t n_rows, const size_t *cols, size_t n_cols,
                  repro_linear_model *model, repro_error *err);

/* Accuracy of model on the rows and columns given (as in the fit). */
double repro_linear_accuracy(const repro_linear_model *model, const repro_dataset *ds,
                             const size_t *rows, size_t n_rows, const size_t *cols,
                             size_t n_cols);

/* Frees the weights; safe on a zeroed struct. */
void repro_linear_model_clear(repro_linear_model *model);

/* Result of a grid search. */
typedef struct repro_sgd_grid_result {
    repro_sgd_params best;   /* the chosen settings */
    double best_score;       /* its mean CV accuracy */
    double *scores;          /* mean CV accuracy per cell, alpha-major (n_alpha x n_ratio) */
    repro_linear_model model; /* the best settings refitted on all rows */
    double train_score;      /* that model's accuracy on all rows */
} repro_sgd_grid_result;

/* Grid search with stratified K-fold CV (accuracy) over alphas x ratios
 * (alpha outer, l1_ratio inner), all columns, then a refit of the best cell
 * on all rows; the first best cell wins ties. base gives the other settings.
 * Every fit (each cell, each fold, the refit) draws from its own copy of rng,
 * as the published code's estimator clones all shared one fixed seed; so
 * under the L2 penalty the cells of one alpha are identical and the first
 * (smallest l1_ratio) is chosen. rng is not advanced; results do not depend
 * on `threads`. */
int repro_sgd_grid_search(const repro_rng *rng, const repro_sgd_params *base, const repro_dataset *ds,
                          int folds, const double *alphas, size_t n_alpha, const double *ratios,
                          size_t n_ratio, int threads, repro_sgd_grid_result *res,
                          repro_error *err);

/* Frees what a grid result owns; safe on a zeroed struct. */
void repro_sgd_grid_result_clear(repro_sgd_grid_result *res);

/* repro_rfecv callback (ctx: const repro_sgd_params *): fits SGD on the train
 * rows and the columns cols, ranks each column by its squared weight and
 * scores accuracy on the test rows (when there are any). */
int repro_sgd_rfecv_fit(void *ctx, repro_rng *rng, const repro_dataset *ds, const size_t *train,
                        size_t n_train, const size_t *test, size_t n_test, const size_t *cols,
                        size_t n_cols, double *rank, double *score, repro_error *err);

#endif
