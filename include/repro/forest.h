/* forest.h - random forest for binary classification with LightGBM "rf"
 * boosting semantics (ALGORITHMS.md §4), used by SQ, Boruta and the RF
 * baseline.
 *
 * Each tree is grown on a bag of floor(bagging_fraction * n) rows drawn
 * without replacement and a per-tree subset of round(feature_fraction * d')
 * columns (d' = columns with more than one bin; at least 1). Targets are the
 * logistic-loss gradients at the base score p0 = mean label (labels 0/1):
 * g_i = p0 - y_i with constant hessian h = p0 (1 - p0). A split's gain is
 * G_L^2/H_L + G_R^2/H_R - G^2/H; growth is best-first up to num_leaves leaves
 * and max_depth, each child needs min_child_rows bagged rows and the gain must
 * be > 0. A leaf's value is -G/H. The raw score of a row is
 * logit(p0) + mean over trees of its leaf values; the class is its sign.
 *
 * Split candidates come from per-column histograms over pre-binned uint8
 * columns (repro_forest_bins). Binning a data set once and reusing the bins
 * for many fits (column subsets, row subsets, appended permuted copies) is
 * the intended use: a permuted copy of a column has the same bin edges, so
 * its bins are the permuted bins.
 *
 * Randomness: tree t draws only from repro_rng_child(stream, t), so a forest
 * is a pure function of (bins, y, params, stream), whatever the thread count. */
#ifndef REPRO_FOREST_H
#define REPRO_FOREST_H

#include <stddef.h>
#include <stdint.h>

#include "repro/error.h"
#include "repro/rng.h"

/* Forest hyper-parameters. Fill with repro_forest_params_default. */
typedef struct repro_forest_params {
    size_t n_trees;          /* number of trees (default 100) */
    int max_depth;           /* leaf depth limit, root = 0 (default 5) */
    int num_leaves;          /* leaves per tree (default 32) */
    size_t min_child_rows;   /* bagged rows needed in each child (default 20) */
    double feature_fraction; /* columns per tree, (0, 1] (default 1.0) */
    double bagging_fraction; /* rows per tree, (0, 1] (default 0.632) */
    int max_bins;            /* histogram bins per column, 2..256 (default 255) */
    int min_data_in_bin;     /* rows per bin when binning (default 3) */
    int train_accuracy;      /* 1: compute train_accuracy in the fit (default 1) */
    int random_ties;         /* 0: equal gains go to the lower column index, as in
                                LightGBM (default); 1: to a random per-tree column
                                order (an experiment knob) */
} repro_forest_params;

/* Fills p with the defaults listed above. */
void repro_forest_params_default(repro_forest_params *p);

/* Checks p; the message names the offending field. */
int repro_forest_params_check(const repro_forest_params *p, repro_error *err);

/* A binned data set: column j's bin indices are bin[j*n .. j*n+n); a value x
 * of column j falls into the first bin b with x <= upper[j*REPRO_FOREST_MAX_BINS
 * + b] (the last bin's upper edge is +inf). Read-only for users. */
#define REPRO_FOREST_MAX_BINS 256
typedef struct repro_forest_bins {
    size_t n, d;
    uint8_t *bin;    /* d columns of n bin indices */
    int *n_bins;     /* bins used by each column (1 for a constant column) */
    double *upper;   /* d blocks of REPRO_FOREST_MAX_BINS upper edges */
} repro_forest_bins;

/* Bins the columns of X (n x d, row-major) with quantile edges (LightGBM's
 * greedy bin finder: at most max_bins bins of at least min_data_in_bin rows,
 * edges halfway between neighbouring distinct values). */
int repro_forest_bins_build(const double *X, size_t n, size_t d, int max_bins,
                            int min_data_in_bin, repro_forest_bins **out, repro_error *err);

/* A new bins object made of rows rows[0..n_rows) (all rows if rows is NULL)
 * and columns cols[0..n_cols) (all columns if cols is NULL) of src, followed by
 * `extra` further columns (d = n_cols + extra) that the caller fills with
 * repro_forest_bins_set_permuted before fitting. Edges are kept, so the
 * result bins rows exactly as src did. */
int repro_forest_bins_select(const repro_forest_bins *src, const size_t *rows, size_t n_rows,
                             const size_t *cols, size_t n_cols, size_t extra,
                             repro_forest_bins **out, repro_error *err);

/* Sets column dst_col of dst to column src_col of src with its rows permuted
 * or selected: dst[i] = src[perm[i]] for i < dst->n (perm NULL: a plain copy,
 * then dst and src must have the same n), edges copied. They may be the same
 * object if dst_col != src_col. */
void repro_forest_bins_set_permuted(repro_forest_bins *dst, size_t dst_col,
                                    const repro_forest_bins *src, size_t src_col,
                                    const size_t *perm);

/* Frees a bins object; NULL is a no-op. */
void repro_forest_bins_free(repro_forest_bins *bins);

/* One tree. Internal nodes 0..n_leaves-2 (node 0 is the root when
 * n_leaves > 1); a row goes left when its bin in column split_feature is
 * <= split_bin (equivalently its raw value is <= threshold). A child c >= 0 is
 * an internal node, c < 0 is leaf ~c. */
typedef struct repro_forest_tree {
    int n_leaves;
    int *split_feature;
    int *split_bin;
    double *threshold;
    double *split_gain;
    int *left, *right;
    double *leaf_value; /* -G/H of the leaf's bagged rows */
    int *leaf_count;    /* bagged rows in the leaf */
    int *leaf_depth;    /* root = 0 */
} repro_forest_tree;

/* A fitted forest. Read-only for users. */
typedef struct repro_forest {
    size_t d;                  /* columns of the data it was fit on */
    size_t n_trees;
    repro_forest_params params;
    double p0;                 /* mean 0/1 label */
    double base_score;         /* logit(p0), clamped */
    repro_forest_tree *trees;
    double *gain_importance;   /* d: total gain of splits on each column */
    double *split_importance;  /* d: number of splits on each column */
    double train_accuracy;     /* accuracy on the rows it was fit on (NAN if not computed) */
    void *storage_;            /* owned node storage */
} repro_forest;

/* Fits a forest on binned data with labels y[0..bins->n) in {-1,+1}, using up
 * to `threads` OpenMP threads over trees (results identical for any thread
 * count). The bins' own edges are used (params.max_bins/min_data_in_bin only
 * matter when binning). A tree's bag may hold at most 65535 rows (about
 * 103,000 rows at the default bagging fraction); more is REPRO_EINVAL. */
int repro_forest_fit_bins(const repro_forest_bins *bins, const int *y,
                          const repro_forest_params *params, const repro_rng *stream,
                          int threads, repro_forest **out, repro_error *err);

/* Bins X (n x d, row-major) with params' binning settings and fits. */
int repro_forest_fit(const double *X, size_t n, size_t d, const int *y,
                     const repro_forest_params *params, const repro_rng *stream, int threads,
                     repro_forest **out, repro_error *err);

/* Frees a forest; NULL is a no-op. */
void repro_forest_free(repro_forest *forest);

/* Raw scores (logit scale) of the n rows of X (n x d row-major, d must equal
 * forest->d). */
int repro_forest_predict(const repro_forest *forest, const double *X, size_t n, size_t d,
                         double *score, repro_error *err);

/* Raw scores of the rows of a bins object (same columns as the fit data). */
int repro_forest_predict_bins(const repro_forest *forest, const repro_forest_bins *bins,
                              double *score, repro_error *err);

/* Fraction of rows whose predicted class sign(score) (score > 0 -> +1) equals
 * y[i] in {-1,+1}. */
double repro_forest_score_accuracy(const double *score, const int *y, size_t n);

/* Accuracy of the forest on binned rows with labels y. */
int repro_forest_accuracy_bins(const repro_forest *forest, const repro_forest_bins *bins,
                               const int *y, double *accuracy, repro_error *err);

/* Importance kinds. */
typedef enum { REPRO_IMPORTANCE_GAIN = 0, REPRO_IMPORTANCE_SPLIT = 1 } repro_importance_kind;

/* Copies the forest's importances of the given kind into out[0..d). */
void repro_forest_importance(const repro_forest *forest, repro_importance_kind kind, double *out);

/* Summary of one tree for inspection: leaves, maximal leaf depth and the
 * smallest leaf (bagged rows). */
typedef struct repro_forest_tree_info {
    int n_leaves;
    int max_depth;
    int min_leaf_count;
    int total_count; /* bagged rows in the tree */
} repro_forest_tree_info;

/* Fills info for tree t (t < forest->n_trees). */
void repro_forest_tree_info_get(const repro_forest *forest, size_t t, repro_forest_tree_info *info);

/* Serializes every number of the model (params, base score, all node arrays,
 * importances) into a malloc'ed buffer, little-endian host layout, so two
 * forests are identical iff their buffers are. */
int repro_forest_serialize(const repro_forest *forest, unsigned char **buf, size_t *len,
                           repro_error *err);

/* Estimated seconds of one single-thread fit of n_trees trees on n x d
 * (a scheduling hint, from measurements of this implementation). */
double repro_forest_cost(size_t n, size_t d, double feature_fraction, size_t n_trees);

#endif
