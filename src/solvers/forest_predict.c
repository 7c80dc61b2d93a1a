/* forest_predict.c - using a fitted forest: scores, accuracy, importances,
 * tree summaries and a byte serialization for equality checks (forest.h). */
#include <stdlib.h>
#include <string.h>

#include "forest_internal.h"
#include "repro/forest.h"

/* Leaf reached by raw row x. */
static inline int leaf_of_row(const repro_forest_tree *tr, const double *x)
{
    if (tr->n_leaves <= 1)
        return 0;
    int node = 0;
    while (node >= 0)
        node = x[tr->split_feature[node]] <= tr->threshold[node] ? tr->left[node] : tr->right[node];
    return ~node;
}

/* Raw scores of binned rows (training-set predictions without thresholds). */
int repro_forest_predict_bins(const repro_forest *forest, const repro_forest_bins *bins,
                              double *score, repro_error *err)
{
    if (bins->d != forest->d)
        return repro_error_set(err, REPRO_EINVAL, "forest predict: %zu columns, the forest has %zu",
                               bins->d, forest->d);
    size_t n = bins->n;
    for (size_t i = 0; i < n; i++)
        score[i] = 0.0;
    /* tree by tree (the tree stays in cache); each row still sums its leaf
     * values in tree order */
    for (size_t t = 0; t < forest->n_trees; t++) {
        const repro_forest_tree *tr = &forest->trees[t];
        for (size_t i = 0; i < n; i++)
            score[i] += tr->leaf_value[repro_forest_leaf_of_bins(tr, bins->bin, n, i)];
    }
    for (size_t i = 0; i < n; i++)
        score[i] = forest->base_score + score[i] / (double)forest->n_trees;
    return REPRO_OK;
}

/* Raw scores of raw rows, following the stored thresholds. */
int repro_forest_predict(const repro_forest *forest, const double *X, size_t n, size_t d,
                         double *score, repro_error *err)
{
    if (d != forest->d)
        return repro_error_set(err, REPRO_EINVAL, "forest predict: %zu columns, the forest has %zu",
                               d, forest->d);
    for (size_t i = 0; i < n; i++) {
        double sum = 0.0;
        for (size_t t = 0; t < forest->n_trees; t++) {
            const repro_forest_tree *tr = &forest->trees[t];
            sum += tr->leaf_value[leaf_of_row(tr, X + i * d)];
        }
        score[i] = forest->base_score + sum / (double)forest->n_trees;
    }
    return REPRO_OK;
}

/* Accuracy of sign(score) against labels in {-1,+1}. */
double repro_forest_score_accuracy(const double *score, const int *y, size_t n)
{
    if (n == 0)
        return 0.0;
    size_t ok = 0;
    for (size_t i = 0; i < n; i++)
        ok += (score[i] > 0.0 ? 1 : -1) == y[i];
    return (double)ok / (double)n;
}

/* Accuracy of the forest on binned rows. */
int repro_forest_accuracy_bins(const repro_forest *forest, const repro_forest_bins *bins,
                               const int *y, double *accuracy, repro_error *err)
{
    double *score = repro_malloc(bins->n ? bins->n : 1, sizeof *score, err);
    if (!score)
        return REPRO_ENOMEM;
    int rc = repro_forest_predict_bins(forest, bins, score, err);
    if (!rc)
        *accuracy = repro_forest_score_accuracy(score, y, bins->n);
    free(score);
    return rc;
}

/* Copies gain or split importances. */
void repro_forest_importance(const repro_forest *forest, repro_importance_kind kind, double *out)
{
    const double *src =
        kind == REPRO_IMPORTANCE_SPLIT ? forest->split_importance : forest->gain_importance;
    memcpy(out, src, sizeof *out * forest->d);
}

/* Leaves, depth and smallest leaf of one tree, for checks. */
void repro_forest_tree_info_get(const repro_forest *forest, size_t t, repro_forest_tree_info *info)
{
    const repro_forest_tree *tr = &forest->trees[t];
    info->n_leaves = tr->n_leaves;
    info->max_depth = 0;
    info->min_leaf_count = tr->n_leaves > 0 ? tr->leaf_count[0] : 0;
    info->total_count = 0;
    for (int l = 0; l < tr->n_leaves; l++) {
        if (tr->leaf_depth[l] > info->max_depth)
            info->max_depth = tr->leaf_depth[l];
        if (tr->leaf_count[l] < info->min_leaf_count)
            info->min_leaf_count = tr->leaf_count[l];
        info->total_count += tr->leaf_count[l];
    }
}

/* Appends len bytes to a growing buffer (capacity checked by the caller). */
static void put(unsigned char *buf, size_t *pos, const void *src, size_t len)
{
    if (buf)
        memcpy(buf + *pos, src, len);
    *pos += len;
}

/* Writes (or, with buf NULL, measures) the serialization. */
static size_t serialize_into(const repro_forest *f, unsigned char *buf)
{
    size_t pos = 0;
    uint64_t hdr[4] = {f->d, f->n_trees, f->params.n_trees, f->params.min_child_rows};
    int ip[4] = {f->params.max_depth, f->params.num_leaves, f->params.max_bins,
                 f->params.min_data_in_bin};
    double dp[5] = {f->params.feature_fraction, f->params.bagging_fraction, f->p0, f->base_score,
                    f->train_accuracy};
    put(buf, &pos, hdr, sizeof hdr);
    put(buf, &pos, ip, sizeof ip);
    put(buf, &pos, dp, sizeof dp);
    for (size_t t = 0; t < f->n_trees; t++) {
        const repro_forest_tree *tr = &f->trees[t];
        size_t L = (size_t)tr->n_leaves, I = L ? L - 1 : 0;
        put(buf, &pos, &tr->n_leaves, sizeof tr->n_leaves);
        put(buf, &pos, tr->split_feature, I * sizeof(int));
        put(buf, &pos, tr->split_bin, I * sizeof(int));
        put(buf, &pos, tr->left, I * sizeof(int));
        put(buf, &pos, tr->right, I * sizeof(int));
        put(buf, &pos, tr->threshold, I * sizeof(double));
        put(buf, &pos, tr->split_gain, I * sizeof(double));
        put(buf, &pos, tr->leaf_value, L * sizeof(double));
        put(buf, &pos, tr->leaf_count, L * sizeof(int));
        put(buf, &pos, tr->leaf_depth, L * sizeof(int));
    }
    put(buf, &pos, f->gain_importance, f->d * sizeof(double));
    put(buf, &pos, f->split_importance, f->d * sizeof(double));
    return pos;
}

/* Every number of the model as bytes, for equality checks. */
int repro_forest_serialize(const repro_forest *forest, unsigned char **buf, size_t *len,
                           repro_error *err)
{
    size_t need = serialize_into(forest, NULL);
    *buf = repro_malloc(need, 1, err);
    if (!*buf)
        return REPRO_ENOMEM;
    *len = serialize_into(forest, *buf);
    return REPRO_OK;
}
