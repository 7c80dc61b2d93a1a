/* gbdt.h - gradient-boosted decision trees for binary classification with
 * the semantics of LightGBM's default LGBMClassifier() (boosting "gbdt",
 * LightGBM 2.3.1), on the histogram bins of the forest (repro_forest_bins).
 *
 * This is the minimal model that the squamish code of the published linear
 * runs fitted by mistake (docs/FIDELITY.md §7.5: before squamish commit
 * 189ae25 its RF model got LightGBM's defaults instead of the random-forest
 * parameters); SQ offers it as `minimal_model=gbdt`.
 *
 * Training: the raw score starts at the class log-odds log(p/(1-p)) (p the
 * share of positive labels, LightGBM's boost_from_average), then each of
 * n_iter rounds fits one tree to the binary log-loss at the current scores:
 * gradient g_i = sigmoid(F_i) - y_i (labels 0/1), hessian h_i = sigmoid(F_i)
 * (1 - sigmoid(F_i)). Every row and every column is used in every round
 * (bagging off, feature fraction 1): no random draws. A tree grows leaf-wise
 * (best leaf first) to at most num_leaves leaves and max_depth (< 1: no
 * limit). A split of a leaf with sums (G, H) into (G_L, H_L), (G_R, H_R) has
 * gain G_L^2/(H_L+l2) + G_R^2/(H_R+l2) - G^2/(H+l2) and is admissible when
 * both children hold >= min_data_in_leaf rows and a hessian sum >=
 * min_sum_hessian, and the gain is > 0. Candidates are scanned per column
 * from the highest bin down (on equal gains the higher threshold wins, then
 * the lower column, then the lower leaf index), as LightGBM does. A leaf's
 * value is -G/(H+l2) * learning_rate. A round whose tree cannot split ends
 * the training (LightGBM stops there too). The class is + when the raw score
 * (initial score plus the sum of the leaf values) is > 0.
 *
 * Sums are in double precision (LightGBM 2.3.1 keeps gradients in float), so
 * a fit can differ from LightGBM's in the last bits of near-equal gains. */
#ifndef REPRO_GBDT_H
#define REPRO_GBDT_H

#include <stddef.h>

#include "repro/error.h"
#include "repro/forest.h"

/* Hyper-parameters; repro_gbdt_params_default gives LGBMClassifier()'s. */
typedef struct repro_gbdt_params {
    size_t n_iter;           /* boosting rounds (default 100) */
    double learning_rate;    /* shrinkage of the leaf values (default 0.1) */
    int num_leaves;          /* leaves per tree (default 31) */
    int max_depth;           /* leaf depth limit, root = 0; < 1: none (default -1) */
    size_t min_data_in_leaf; /* rows needed in each child (default 20) */
    double min_sum_hessian;  /* hessian sum needed in each child (default 1e-3) */
    double lambda_l2;        /* L2 penalty of the leaf values (default 0) */
} repro_gbdt_params;

/* Fills p with LightGBM's defaults listed above. */
void repro_gbdt_params_default(repro_gbdt_params *p);

/* Checks p; the message names the offending field. */
int repro_gbdt_params_check(const repro_gbdt_params *p, repro_error *err);

/* A fitted model. Trees use repro_forest_tree's layout (leaf_value is the
 * shrunk value; leaf_count the rows in the leaf); read-only for users. */
typedef struct repro_gbdt {
    size_t d;                 /* columns of the data it was fit on */
    size_t n_trees;           /* trees kept (<= n_iter: training stops early
                                 when a round cannot split) */
    repro_gbdt_params params;
    double init_score;        /* log-odds of the positive share, clamped */
    repro_forest_tree *trees;
    double *gain_importance;  /* d: total gain of the splits on each column */
    double *split_importance; /* d: splits on each column (LightGBM's default
                                 importance_type "split") */
    double train_accuracy;    /* accuracy on the rows it was fit on */
} repro_gbdt;

/* Fits on binned data with labels y[0..bins->n) in {-1,+1}; deterministic
 * (no stream: LightGBM's defaults draw nothing). The bins' own edges are
 * used. */
int repro_gbdt_fit_bins(const repro_forest_bins *bins, const int *y, const repro_gbdt_params *p,
                        repro_gbdt **out, repro_error *err);

/* Raw scores (logit scale) of the rows of a bins object with the fit's
 * columns. */
int repro_gbdt_predict_bins(const repro_gbdt *m, const repro_forest_bins *bins, double *score,
                            repro_error *err);

/* Frees a model; NULL is a no-op. */
void repro_gbdt_free(repro_gbdt *m);

/* Estimated seconds of one single-thread fit on n x d (a scheduling hint). */
double repro_gbdt_cost(size_t n, size_t d, size_t n_iter);

#endif
