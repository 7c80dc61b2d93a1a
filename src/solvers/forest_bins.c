/* forest_bins.c - quantile binning of columns into uint8 histograms bins,
 * built once per data set and reused by many forest fits (see forest.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "repro/forest.h"

/* Allocates an empty bins object of n rows and d columns. */
static repro_forest_bins *bins_alloc(size_t n, size_t d, repro_error *err)
{
    repro_forest_bins *b = repro_calloc(1, sizeof *b, err);
    if (!b)
        return NULL;
    b->n = n;
    b->d = d;
    b->bin = repro_calloc(n * d > 0 ? n * d : 1, 1, err);
    b->n_bins = repro_calloc(d ? d : 1, sizeof *b->n_bins, err);
    b->upper = repro_calloc(d ? d * REPRO_FOREST_MAX_BINS : 1, sizeof *b->upper, err);
    if (!b->bin || !b->n_bins || !b->upper) {
        repro_forest_bins_free(b);
        return NULL;
    }
    return b;
}

/* Frees a bins object; NULL is a no-op. */
void repro_forest_bins_free(repro_forest_bins *bins)
{
    if (!bins)
        return;
    free(bins->bin);
    free(bins->n_bins);
    free(bins->upper);
    free(bins);
}

/* An unsigned key with the order of the double x (negative values flipped). */
static uint64_t order_key(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return (u >> 63) ? ~u : (u | ((uint64_t)1 << 63));
}

/* The double of an order_key. */
static double key_value(uint64_t k)
{
    uint64_t u = (k >> 63) ? (k & ~((uint64_t)1 << 63)) : ~k;
    double x;
    memcpy(&x, &u, sizeof x);
    return x;
}

/* Sorts key[0..n) ascending, carrying idx[] along (LSD radix sort, 8 bits
 * per pass, passes whose byte is the same in every key skipped); tk and ti
 * are scratch of n entries. */
static void radix_sort(uint64_t *key, uint32_t *idx, uint64_t *tk, uint32_t *ti, size_t n)
{
    for (int shift = 0; shift < 64; shift += 8) {
        size_t count[256] = {0};
        for (size_t i = 0; i < n; i++)
            count[(key[i] >> shift) & 255]++;
        if (count[(key[0] >> shift) & 255] == n)
            continue;
        size_t pos = 0;
        for (int v = 0; v < 256; v++) {
            size_t c = count[v];
            count[v] = pos;
            pos += c;
        }
        for (size_t i = 0; i < n; i++) {
            size_t to = count[(key[i] >> shift) & 255]++;
            tk[to] = key[i];
            ti[to] = idx[i];
        }
        memcpy(key, tk, sizeof *key * n);
        memcpy(idx, ti, sizeof *idx * n);
    }
}

/* LightGBM's GreedyFindBin: upper edges for the sorted distinct values
 * vals[0..nd) with counts cnt[], at most max_bins bins. Returns the number of
 * bins; upper[last] = +inf. */
static int greedy_find_bin(const double *vals, const size_t *cnt, size_t nd, size_t total,
                           int max_bins, int min_data_in_bin, double *upper)
{
    int nb = 0;
    if (nd <= (size_t)max_bins) {
        size_t cur = 0;
        for (size_t i = 0; i + 1 < nd; i++) {
            cur += cnt[i];
            if (cur >= (size_t)min_data_in_bin) {
                upper[nb++] = 0.5 * (vals[i] + vals[i + 1]);
                cur = 0;
            }
        }
        upper[nb++] = INFINITY;
        return nb;
    }
    double mean_size = (double)total / max_bins;
    if (mean_size < min_data_in_bin)
        mean_size = min_data_in_bin;
    /* values at least as frequent as a bin get a bin of their own */
    int rest_bins = max_bins;
    double rest_cnt = (double)total;
    unsigned char *big = calloc(nd, 1);
    double *lower = malloc(sizeof *lower * (size_t)(max_bins + 1));
    double *up = malloc(sizeof *up * (size_t)(max_bins + 1));
    if (!big || !lower || !up) {
        free(big);
        free(lower);
        free(up);
        return -1;
    }
    for (size_t i = 0; i < nd; i++)
        if ((double)cnt[i] >= mean_size) {
            big[i] = 1;
            rest_bins--;
            rest_cnt -= (double)cnt[i];
        }
    mean_size = rest_bins > 0 ? rest_cnt / rest_bins : mean_size;
    int bc = 0;
    double cur = 0;
    lower[0] = vals[0];
    for (size_t i = 0; i + 1 < nd; i++) {
        if (!big[i])
            rest_cnt -= (double)cnt[i];
        cur += (double)cnt[i];
        if (big[i] || cur >= mean_size ||
            (big[i + 1] && cur >= (mean_size * 0.5 > 1.0 ? mean_size * 0.5 : 1.0))) {
            up[bc] = vals[i];
            bc++;
            lower[bc] = vals[i + 1];
            if (bc >= max_bins - 1)
                break;
            cur = 0;
            if (!big[i]) {
                rest_bins--;
                if (rest_bins > 0)
                    mean_size = rest_cnt / rest_bins;
            }
        }
    }
    bc++;
    for (int i = 0; i + 1 < bc; i++)
        upper[nb++] = 0.5 * (up[i] + lower[i + 1]);
    upper[nb++] = INFINITY;
    free(big);
    free(lower);
    free(up);
    return nb;
}

/* Bins every column once per data set (radix sort, greedy edges, then each
 * row's bin, the first b with x <= upper[b], in one pass over the sorted
 * values). */
int repro_forest_bins_build(const double *X, size_t n, size_t d, int max_bins,
                            int min_data_in_bin, repro_forest_bins **out, repro_error *err)
{
    *out = NULL;
    if (n == 0 || d == 0)
        return repro_error_set(err, REPRO_EINVAL, "forest bins: empty data (n=%zu, d=%zu)", n, d);
    if (max_bins < 2 || max_bins > REPRO_FOREST_MAX_BINS)
        return repro_error_set(err, REPRO_EINVAL, "forest bins: max_bins must be in [2, %d], got %d",
                               REPRO_FOREST_MAX_BINS, max_bins);
    if (min_data_in_bin < 1)
        return repro_error_set(err, REPRO_EINVAL, "forest bins: min_data_in_bin must be >= 1");
    if (n > UINT32_MAX)
        return repro_error_set(err, REPRO_EINVAL, "forest bins: too many rows (%zu)", n);
    int rc = REPRO_OK;
    repro_forest_bins *b = bins_alloc(n, d, err);
    double *vals = repro_malloc(n, sizeof *vals, err);
    size_t *cnt = repro_malloc(n, sizeof *cnt, err);
    uint64_t *key = repro_malloc(2 * n, sizeof *key, err);
    uint32_t *idx = repro_malloc(2 * n, sizeof *idx, err);
    if (!b || !vals || !cnt || !key || !idx) {
        rc = REPRO_ENOMEM;
        goto done;
    }
    for (size_t j = 0; j < d; j++) {
        for (size_t i = 0; i < n; i++) {
            key[i] = order_key(X[i * d + j]);
            idx[i] = (uint32_t)i;
        }
        radix_sort(key, idx, key + n, idx + n, n);
        size_t nd = 0;
        for (size_t i = 0; i < n; i++) {
            double v = key_value(key[i]);
            if (nd > 0 && v == vals[nd - 1]) {
                cnt[nd - 1]++;
            } else {
                vals[nd] = v;
                cnt[nd++] = 1;
            }
        }
        double *upper = b->upper + j * REPRO_FOREST_MAX_BINS;
        int nb = greedy_find_bin(vals, cnt, nd, n, max_bins, min_data_in_bin, upper);
        if (nb < 0) {
            rc = repro_error_set(err, REPRO_ENOMEM, "forest bins: out of memory");
            goto done;
        }
        b->n_bins[j] = nb;
        uint8_t *col = b->bin + j * n;
        int bin = 0;
        for (size_t i = 0; i < n; i++) {
            double v = key_value(key[i]);
            while (bin + 1 < nb && !(v <= upper[bin]))
                bin++;
            col[idx[i]] = (uint8_t)bin;
        }
    }
    *out = b;
    b = NULL;
done:
    repro_forest_bins_free(b);
    free(vals);
    free(cnt);
    free(key);
    free(idx);
    return rc;
}

/* Copies a row/column subset (keeping edges) with room for extra columns. */
int repro_forest_bins_select(const repro_forest_bins *src, const size_t *rows, size_t n_rows,
                             const size_t *cols, size_t n_cols, size_t extra,
                             repro_forest_bins **out, repro_error *err)
{
    *out = NULL;
    size_t n = rows ? n_rows : src->n;
    size_t k = cols ? n_cols : src->d;
    if (n == 0 || k + extra == 0)
        return repro_error_set(err, REPRO_EINVAL, "forest bins: empty selection");
    for (size_t i = 0; rows && i < n; i++)
        if (rows[i] >= src->n)
            return repro_error_set(err, REPRO_EINVAL, "forest bins: row %zu out of range", rows[i]);
    for (size_t c = 0; cols && c < k; c++)
        if (cols[c] >= src->d)
            return repro_error_set(err, REPRO_EINVAL, "forest bins: column %zu out of range",
                                   cols[c]);
    repro_forest_bins *b = bins_alloc(n, k + extra, err);
    if (!b)
        return REPRO_ENOMEM;
    for (size_t c = 0; c < k; c++)
        repro_forest_bins_set_permuted(b, c, src, cols ? cols[c] : c, rows);
    for (size_t c = k; c < k + extra; c++) {
        b->n_bins[c] = 1;
        b->upper[c * REPRO_FOREST_MAX_BINS] = INFINITY;
    }
    *out = b;
    return REPRO_OK;
}

/* Fills a column with a row-selected copy of another: same edges, bins
 * dst[i] = src[perm[i]]. */
void repro_forest_bins_set_permuted(repro_forest_bins *dst, size_t dst_col,
                                    const repro_forest_bins *src, size_t src_col,
                                    const size_t *perm)
{
    size_t n = dst->n;
    const uint8_t *s = src->bin + src_col * src->n;
    uint8_t *t = dst->bin + dst_col * n;
    if (perm)
        for (size_t i = 0; i < n; i++)
            t[i] = s[perm[i]];
    else
        memmove(t, s, n);
    dst->n_bins[dst_col] = src->n_bins[src_col];
    memmove(dst->upper + dst_col * REPRO_FOREST_MAX_BINS, src->upper + src_col * REPRO_FOREST_MAX_BINS,
            sizeof(double) * REPRO_FOREST_MAX_BINS);
}
