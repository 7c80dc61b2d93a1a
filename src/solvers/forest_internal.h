/* forest_internal.h - internal to the forest (forest.c, forest_screen.c,
 * forest_predict.c): packed histogram bins, the screening of split
 * candidates (forest_screen.c) and the descent of a binned row. */
#ifndef REPRO_FOREST_INTERNAL_H
#define REPRO_FOREST_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "repro/forest.h"

#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__) && !defined(REPRO_NO_AVX2)
#include <immintrin.h>
#define HAVE_AVX2_PATH 1
#endif

/* A histogram bin: rows in the low, positive rows in the high 16 bits. */
typedef uint32_t repro_hbin;
#define REPRO_HBIN_SHIFT 16
#define REPRO_HBIN_CNT(h) ((uint32_t)((h) & 0xffffu))
#define REPRO_HBIN_POS(h) ((uint32_t)((h) >> REPRO_HBIN_SHIFT))

/* Columns screened together by one repro_forest_screen_cols call (their
 * independent work overlaps in the processor). */
#define REPRO_SCREEN_COLS 2

/* Leaf reached in tree tr by row i of column-major bins with n rows. */
static inline int repro_forest_leaf_of_bins(const repro_forest_tree *tr, const uint8_t *bin, size_t n,
                                            size_t i)
{
    if (tr->n_leaves <= 1)
        return 0;
    int node = 0;
    while (node >= 0) {
        int f = tr->split_feature[node];
        node = bin[(size_t)f * n + i] <= tr->split_bin[node] ? tr->left[node] : tr->right[node];
    }
    return ~node;
}

/* Whether the forest runs its AVX2 code: the processor has AVX2 and
 * REPRO_FOREST_PLAIN is unset or 0 in the environment (the AVX2 paths compute
 * exactly what the plain ones do; the variable lets tests check that). */
int repro_forest_have_avx2(void);

/* Screens ncol (<= REPRO_SCREEN_COLS) columns of a leaf of N rows and P
 * positives: column q has histogram hb[q] and candidate splits after bins
 * 0..len[q]-1 whose children have cmin..cmax rows. Stores the packed prefix
 * sums in scan[q] (where tested) and sets bit k of pass[q] (zeroed by the
 * caller) for each candidate that may beat, or tie with, the best
 * num^2/(n_L n_R) = bnn/bden found so far and is near the column's largest;
 * any[q] tells whether one did. A candidate is ruled out only when its exact
 * value is below the best's or the column's largest, by margins far above
 * every rounding, so offering the rest in bin order finds exactly the split a
 * plain sequential scan would. */
void repro_forest_screen_cols(const repro_hbin *const *hb, const int *len, int ncol, uint32_t cmin,
                              uint32_t cmax, double N, double P, double bnn, double bden,
                              uint32_t (*scan)[REPRO_FOREST_MAX_BINS], uint64_t (*pass)[4], int *any);

#endif
