/* forest.c - growing the trees of a random forest with LightGBM "rf"
 * semantics on binned columns (ALGORITHMS.md §4, forest.h).
 *
 * Labels are 0/1 and the hessian is constant, so a histogram bin needs only
 * the row count and the positive count; both are packed into one uint32
 * (count in the low, positives in the high 16 bits, hence at most 65535
 * bagged rows per tree) so that adding a row is one addition, and children's
 * histograms are exact integer differences (LightGBM's subtraction trick).
 * Every column gets 256 entries in a histogram slot; a slot is cleared
 * column by column just before a build writes it (slots are reused without
 * clearing). A split's gain
 * G_L^2/H_L + G_R^2/H_R - G^2/H equals num^2 / (n_L n_R n h) with the integer
 * num = pos_L n_R - pos_R n_L, so "gain > 0" is the exact test num != 0.
 *
 * Speed without changing any result: the root's histogram is the whole
 * data's (built once per fit) minus the rows left out of the bag; after a
 * split, the smaller child's histogram is built and subtracted from the
 * parent's, block of columns by block, and both children are scanned while
 * the block is in the cache. A column's candidates are screened in bulk:
 * bounds over 16-bin blocks (from block sums of the prefix counts) rule out
 * whole blocks, the remaining candidates are tested lane by lane, with a
 * relative safety margin far above the rounding, and of those only the ones
 * near the column's largest approximate gain are compared, exactly and in
 * order, as a plain sequential scan would. The training accuracy sums the
 * leaf values recorded while growing, tree by tree as prediction does. The
 * golden fingerprints (tests/e2e_forest_golden.sh) check that models stay
 * byte-identical. */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "forest_internal.h"
#include "repro/forest.h"

typedef repro_hbin HT; /* packed histogram bin */
#define COL_BLOCK 8 /* columns built, subtracted and scanned together */
#define COL_HIST(c) ((size_t)(c) * REPRO_FOREST_MAX_BINS) /* column c's entries in a slot */
#define MAX_BAG 65535u
#define CNT(h) REPRO_HBIN_CNT(h)
#define POS(h) REPRO_HBIN_POS(h)

/* LightGBM-rf defaults used throughout the paper (see forest.h). */
void repro_forest_params_default(repro_forest_params *p)
{
    p->n_trees = 100;
    p->max_depth = 5;
    p->num_leaves = 32;
    p->min_child_rows = 20;
    p->feature_fraction = 1.0;
    p->bagging_fraction = 0.632;
    p->max_bins = 255;
    p->min_data_in_bin = 3;
    p->train_accuracy = 1;
    p->random_ties = 0;
}

/* Validates params so fits fail early with a message naming the field. */
int repro_forest_params_check(const repro_forest_params *p, repro_error *err)
{
    if (p->n_trees < 1)
        return repro_error_set(err, REPRO_EINVAL, "forest: n_trees must be >= 1");
    if (p->max_depth < 1)
        return repro_error_set(err, REPRO_EINVAL, "forest: max_depth must be >= 1, got %d",
                               p->max_depth);
    if (p->num_leaves < 2 || p->num_leaves > 65536)
        return repro_error_set(err, REPRO_EINVAL, "forest: num_leaves must be in [2, 65536], got %d",
                               p->num_leaves);
    if (p->min_child_rows < 1)
        return repro_error_set(err, REPRO_EINVAL, "forest: min_child_rows must be >= 1");
    if (!(p->feature_fraction > 0.0 && p->feature_fraction <= 1.0))
        return repro_error_set(err, REPRO_EINVAL, "forest: feature_fraction must be in (0, 1], got %g",
                               p->feature_fraction);
    if (!(p->bagging_fraction > 0.0 && p->bagging_fraction <= 1.0))
        return repro_error_set(err, REPRO_EINVAL, "forest: bagging_fraction must be in (0, 1], got %g",
                               p->bagging_fraction);
    if (p->max_bins < 2 || p->max_bins > REPRO_FOREST_MAX_BINS)
        return repro_error_set(err, REPRO_EINVAL, "forest: max_bins must be in [2, %d], got %d",
                               REPRO_FOREST_MAX_BINS, p->max_bins);
    if (p->min_data_in_bin < 1)
        return repro_error_set(err, REPRO_EINVAL, "forest: min_data_in_bin must be >= 1");
    return REPRO_OK;
}

/* Node storage of all trees: one block per array, tree t at offset t*L. */
typedef struct forest_storage {
    int *split_feature, *split_bin, *left, *right, *leaf_count, *leaf_depth;
    double *threshold, *split_gain, *leaf_value;
} forest_storage;

/* Read-only inputs shared by the threads of one fit. */
typedef struct fit_shared {
    const repro_forest_bins *bins;
    const repro_forest_params *p;
    const repro_rng *stream;
    const HT *w;
    const int *valid;     /* columns with more than one bin */
    const HT *full;       /* histograms of all rows, d x REPRO_FOREST_MAX_BINS, or NULL */
    const HT *wneg;       /* negated packed weights (with full) */
    size_t n_valid;
    size_t bag_n, feat_n; /* rows and columns per tree */
    double p0, h;
} fit_shared;

/* A leaf being grown. */
typedef struct leaf_state {
    size_t begin, end; /* its rows are rows[begin..end) */
    int depth;
    int parent;        /* internal node pointing to it (-1 for the root) */
    int is_right;
    int slot;          /* histogram slot, or -1 if it cannot be split */
    uint32_t cnt, pos;
    double best;       /* best num^2/(n_L n_R) (0: no admissible split) */
    int best_feat, best_bin;
} leaf_state;

/* Per-thread scratch space, allocated once per fit and thread. */
typedef struct workspace {
    uint32_t *rows, *tmp;
    uint32_t *oob;     /* rows left out of the bag */
    int *feats;
    uint32_t *prio;    /* tie-break rank of each selected column (lower wins) */
    int *nb;           /* bins of each selected column (by position); column c's histogram
                          starts at entry c * REPRO_FOREST_MAX_BINS of a slot */
    size_t *pick;      /* scratch for drawing columns */
    HT *pool;    /* num_leaves histogram slots of hist_size entries */
    size_t hist_size;
    leaf_state *leaves;
} workspace;

/* Frees a workspace's buffers. */
static void ws_free(workspace *ws)
{
    free(ws->rows);
    free(ws->tmp);
    free(ws->oob);
    free(ws->feats);
    free(ws->prio);
    free(ws->nb);
    free(ws->pick);
    free(ws->pool);
    free(ws->leaves);
}

/* Allocates a workspace big enough for any tree of this fit; 0 on failure. */
static int ws_alloc(workspace *ws, const fit_shared *s)
{
    const repro_forest_bins *b = s->bins;
    size_t L = (size_t)s->p->num_leaves;
    size_t d = b->d;
    memset(ws, 0, sizeof *ws);
    /* a slot holds feat_n columns of REPRO_FOREST_MAX_BINS entries */
    ws->hist_size = REPRO_FOREST_MAX_BINS * (s->feat_n ? s->feat_n : 1);
    ws->rows = malloc(sizeof *ws->rows * (s->bag_n ? s->bag_n : 1));
    ws->tmp = malloc(sizeof *ws->tmp * (s->bag_n ? s->bag_n : 1));
    ws->oob = malloc(sizeof *ws->oob * (b->n ? b->n : 1));
    ws->feats = malloc(sizeof *ws->feats * (d ? d : 1));
    ws->prio = malloc(sizeof *ws->prio * (d ? d : 1));
    ws->nb = malloc(sizeof *ws->nb * (d ? d : 1));
    ws->pick = malloc(sizeof *ws->pick * (d ? d : 1));
    ws->pool = calloc(ws->hist_size * L, sizeof *ws->pool);
    ws->leaves = malloc(sizeof *ws->leaves * L);
    if (!ws->rows || !ws->tmp || !ws->oob || !ws->feats || !ws->prio || !ws->nb || !ws->pick || !ws->pool ||
        !ws->leaves) {
        ws_free(ws);
        return 0;
    }
    return 1;
}

/* Histogram slot `slot`. */
static inline HT *slot_hist(const workspace *ws, int slot)
{
    return ws->pool + (size_t)slot * ws->hist_size;
}

/* Adds w[i] of rows i in rows[0..m) into the histograms of the tree's
 * columns c_lo..c_hi-1 in hist (subtracts them when w holds the negated
 * weights: packed arithmetic modulo 2^32 is exact while every field stays
 * non-negative). */
static void add_rows(const fit_shared *s, const workspace *ws, size_t c_lo, size_t c_hi,
                     const uint32_t *rows, size_t m, const HT *w, HT *hist)
{
    const repro_forest_bins *b = s->bins;
    size_t c = c_lo;
    /* four columns per pass over the rows */
    for (; c + 4 <= c_hi; c += 4) {
        const uint8_t *c0 = b->bin + (size_t)ws->feats[c] * b->n;
        const uint8_t *c1 = b->bin + (size_t)ws->feats[c + 1] * b->n;
        const uint8_t *c2 = b->bin + (size_t)ws->feats[c + 2] * b->n;
        const uint8_t *c3 = b->bin + (size_t)ws->feats[c + 3] * b->n;
        HT *h0 = hist + COL_HIST(c), *h1 = hist + COL_HIST(c + 1);
        HT *h2 = hist + COL_HIST(c + 2), *h3 = hist + COL_HIST(c + 3);
        for (size_t k = 0; k < m; k++) {
            uint32_t i = rows[k];
            HT wi = w[i];
            h0[c0[i]] += wi;
            h1[c1[i]] += wi;
            h2[c2[i]] += wi;
            h3[c3[i]] += wi;
        }
    }
    for (; c < c_hi; c++) {
        const uint8_t *col = b->bin + (size_t)ws->feats[c] * b->n;
        HT *h = hist + COL_HIST(c);
        for (size_t k = 0; k < m; k++) {
            uint32_t i = rows[k];
            h[col[i]] += w[i];
        }
    }
}

/* The root's histogram on the tree's columns c_lo..c_hi-1 as the whole
 * data's minus the n_oob rows left out of the bag, when these are fewer than
 * the bagged ones. */
static void root_cols_from_full(const fit_shared *s, const workspace *ws, size_t c_lo,
                                size_t c_hi, const leaf_state *root, size_t n_oob)
{
    HT *hist = slot_hist(ws, root->slot);
    for (size_t c = c_lo; c < c_hi; c++)
        memcpy(hist + COL_HIST(c), s->full + COL_HIST(ws->feats[c]), sizeof *hist * (size_t)ws->nb[c]);
    add_rows(s, ws, c_lo, c_hi, ws->oob, n_oob, s->wneg, hist);
}

/* Histogram of the rows of leaf lf over the tree's columns c_lo..c_hi-1,
 * into its slot (cleared first: slots are reused without clearing, and a
 * column's entries past its bin count are never read). */
static void build_cols(const fit_shared *s, const workspace *ws, size_t c_lo, size_t c_hi,
                       const leaf_state *lf)
{
    HT *hist = slot_hist(ws, lf->slot);
    for (size_t c = c_lo; c < c_hi; c++)
        memset(hist + COL_HIST(c), 0, sizeof *hist * (size_t)ws->nb[c]);
    add_rows(s, ws, c_lo, c_hi, ws->rows + lf->begin, lf->end - lf->begin, s->w, hist);
}

#ifdef HAVE_AVX2_PATH
/* p[0..nb) -= q[0..nb), eight bins per step. */
__attribute__((target("avx2"))) static void sub_avx2(HT *p, const HT *q, int nb)
{
    int b = 0;
    for (; b + 8 <= nb; b += 8)
        _mm256_storeu_si256((__m256i *)(p + b),
                            _mm256_sub_epi32(_mm256_loadu_si256((const __m256i *)(p + b)),
                                             _mm256_loadu_si256((const __m256i *)(q + b))));
    for (; b < nb; b++)
        p[b] -= q[b];
}
#endif

/* parent -= small on columns c_lo..c_hi-1: the larger child's histogram
 * (integer differences, exact). */
static void subtract_cols(const workspace *ws, size_t c_lo, size_t c_hi, int parent, int small)
{
    HT *hp = slot_hist(ws, parent);
    const HT *hs = slot_hist(ws, small);
    for (size_t c = c_lo; c < c_hi; c++) {
        HT *restrict p = hp + COL_HIST(c);
        const HT *restrict q = hs + COL_HIST(c);
        int nb = ws->nb[c];
#ifdef HAVE_AVX2_PATH
        if (repro_forest_have_avx2()) {
            sub_avx2(p, q, nb);
            continue;
        }
#endif
        for (int b = 0; b < nb; b++)
            p[b] -= q[b];
    }
}

/* The running best candidate of a leaf's split search. */
typedef struct best_state {
    double nn, den;  /* best num^2 and n_L n_R (nn = 0: none with gain > 0) */
    uint32_t prio;
} best_state;

/* Offers candidate (column position c, bin bn, num^2 = nn, n_L n_R = den) to
 * the search: it wins by a larger num^2/(n_L n_R), compared by
 * cross-multiplication, or on an exact tie by a lower column rank. */
static inline void offer(const workspace *ws, leaf_state *lf, best_state *bs, size_t c, int f,
                         int bn, double nn, double den)
{
    double lhs = nn * bs->den, rhs = bs->nn * den;
    if (lhs > rhs || (lhs == rhs && lf->best_feat >= 0 && ws->prio[c] < bs->prio)) {
        bs->nn = nn;
        bs->den = den;
        bs->prio = ws->prio[c];
        lf->best_feat = f;
        lf->best_bin = bn;
    }
}

/* Starts the search for the best admissible split of a leaf from its
 * histogram (scan_begin, scan_cols over all columns in order, scan_end): the
 * largest num^2/(n_L n_R), first column and lowest bin on ties. The columns'
 * candidates are screened in bulk by repro_forest_screen_cols(), and only
 * those that may win are offered, in bin order.
 * Every comparison that can change the result is made exactly as in a plain
 * sequential scan over the non-empty bins (an empty bin repeats the previous
 * candidate, which can never win a second time). */
static void scan_begin(leaf_state *lf, best_state *bs)
{
    bs->nn = 0.0;
    bs->den = 1.0;
    bs->prio = UINT32_MAX;
    lf->best = 0.0;
    lf->best_feat = -1;
    lf->best_bin = -1;
}

/* Offers leaf lf's split candidates on columns c_lo..c_hi-1 (see
 * scan_begin); columns must be scanned in order. */
static void scan_cols(const fit_shared *s, const workspace *ws, size_t c_lo, size_t c_hi,
                      leaf_state *lf, best_state *bsp)
{
    const int64_t m = (int64_t)s->p->min_child_rows;
    const int64_t N = lf->cnt, P = lf->pos;
    best_state bs = *bsp;
    const HT *hist = slot_hist(ws, lf->slot);
    if (N < 2 * m)
        return;
    /* REPRO_SCREEN_COLS columns at a time, all screened against the best
     * before them (never higher than the best before each: still exact) */
    for (size_t c = c_lo; c < c_hi; c += REPRO_SCREEN_COLS) {
        int ncol = c + REPRO_SCREEN_COLS <= c_hi ? REPRO_SCREEN_COLS : (int)(c_hi - c);
        uint32_t scan[REPRO_SCREEN_COLS][REPRO_FOREST_MAX_BINS];
        uint64_t pass[REPRO_SCREEN_COLS][4];
        int any[REPRO_SCREEN_COLS];
        const HT *hb[REPRO_SCREEN_COLS];
        int len[REPRO_SCREEN_COLS];
        for (int q = 0; q < ncol; q++) {
            hb[q] = hist + COL_HIST(c + (size_t)q);
            len[q] = ws->nb[c + (size_t)q] - 1;
        }
        memset(pass, 0, sizeof pass);
        /* splits after bins 0..nb-2 with m rows in each child */
        repro_forest_screen_cols(hb, len, ncol, (uint32_t)m, (uint32_t)(N - m), (double)N, (double)P,
                                 bs.nn, bs.den, scan, pass, any);
        for (int q = 0; q < ncol; q++) {
            if (!any[q])
                continue;
            size_t cq = c + (size_t)q;
            int f = ws->feats[cq];
            /* the candidates that passed, in bin order (an empty bin repeats
             * the previous candidate: offering it again changes nothing) */
            for (int wd = 0; wd < 4; wd++)
                for (uint64_t pb = pass[q][wd]; pb; pb &= pb - 1) {
                    int bn = wd * 64 + __builtin_ctzll(pb);
                    /* num = pl n_R - (P - pl) n_L = pl N - P n_L */
                    int64_t cl = CNT(scan[q][bn]), pl = POS(scan[q][bn]);
                    int64_t num = pl * N - P * cl;
                    offer(ws, lf, &bs, cq, f, bn, (double)num * (double)num,
                          (double)cl * (double)(N - cl));
                }
        }
    }
    *bsp = bs;
}

/* Completes the search of leaf lf: its best num^2/(n_L n_R). */
static void scan_end(leaf_state *lf, const best_state *bs)
{
    if (lf->best_feat >= 0)
        lf->best = bs->nn / bs->den;
}

/* Whether a leaf may still be split (depth and size limits). */
static int splittable(const fit_shared *s, const leaf_state *lf)
{
    return lf->depth < s->p->max_depth && (size_t)lf->cnt >= 2 * s->p->min_child_rows;
}

/* repro_rng_u32, inlined for the bagging loop (one draw per row): the same
 * PCG32 step and output function (rng.c), so the bags are unchanged. */
static inline uint32_t bag_u32(repro_rng *rng)
{
    uint64_t old = rng->state;
    rng->state = old * 6364136223846793005ULL + rng->inc;
    uint32_t xorshifted = (uint32_t)(((old >> 18u) ^ old) >> 27u);
    uint32_t rot = (uint32_t)(old >> 59u);
    return (xorshifted >> rot) | (xorshifted << ((-rot) & 31u));
}

/* Records the leaf of every row of the data in tree `tree` (just grown from
 * ws): bagged rows from the leaves' row ranges, the rows left out of the bag
 * (oob[0..n_oob)) by descending the tree as prediction does. */
static void record_leaves(const fit_shared *s, const workspace *ws, const repro_forest_tree *tree,
                          size_t n_oob, uint16_t *leaf_of)
{
    const repro_forest_bins *b = s->bins;
    for (int l = 0; l < tree->n_leaves; l++)
        for (size_t k = ws->leaves[l].begin; k < ws->leaves[l].end; k++)
            leaf_of[ws->rows[k]] = (uint16_t)l;
    for (size_t k = 0; k < n_oob; k++)
        leaf_of[ws->oob[k]] = (uint16_t)repro_forest_leaf_of_bins(tree, b->bin, b->n, ws->oob[k]);
}

/* Grows tree t into its storage slots; with leaf_of non-NULL, also records
 * the leaf of each row of the data (leaf_of[0..n)). */
static void grow_tree(const fit_shared *s, workspace *ws, size_t t, repro_forest_tree *tree,
                      uint16_t *leaf_of)
{
    const repro_forest_bins *b = s->bins;
    const size_t n = b->n;
    const int L = s->p->num_leaves;
    repro_rng rng;
    repro_rng_child(&rng, s->stream, t);

    /* bag: sequential selection sampling of exactly bag_n rows (sorted) */
    size_t got = 0, n_oob = 0;
    if (s->bag_n == n) {
        for (size_t i = 0; i < n; i++)
            ws->rows[i] = (uint32_t)i;
        got = n;
    } else {
        /* row i is taken with probability (needed)/(left), compared exactly
         * in integers with a 32-bit uniform */
        size_t i = 0;
        for (; i < n && got < s->bag_n; i++) {
            uint64_t u = bag_u32(&rng);
            size_t take = u * (uint64_t)(n - i) < ((uint64_t)(s->bag_n - got) << 32);
            ws->rows[got] = (uint32_t)i; /* got < bag_n here */
            ws->oob[n_oob] = (uint32_t)i;
            got += take;
            n_oob += 1 - take;
        }
        for (; i < n; i++)
            ws->oob[n_oob++] = (uint32_t)i;
    }
    /* columns: partial Fisher-Yates over the valid ones, then sorted */
    size_t nf = s->feat_n;
    for (size_t k = 0; k < s->n_valid; k++)
        ws->pick[k] = (size_t)s->valid[k];
    if (nf < s->n_valid) {
        for (size_t k = 0; k < nf; k++) {
            size_t j = k + (size_t)repro_rng_bounded(&rng, s->n_valid - k);
            size_t tmp = ws->pick[k];
            ws->pick[k] = ws->pick[j];
            ws->pick[j] = tmp;
        }
        /* insertion sort of the chosen few */
        for (size_t k = 1; k < nf; k++) {
            size_t v = ws->pick[k], q = k;
            while (q > 0 && ws->pick[q - 1] > v) {
                ws->pick[q] = ws->pick[q - 1];
                q--;
            }
            ws->pick[q] = v;
        }
    }
    for (size_t c = 0; c < nf; c++) {
        ws->feats[c] = (int)ws->pick[c];
        ws->prio[c] = s->p->random_ties ? repro_rng_u32(&rng) : (uint32_t)c;
        ws->nb[c] = b->n_bins[ws->feats[c]];
    }

    /* root */
    leaf_state *lv = ws->leaves;
    leaf_state *root = &lv[0];
    memset(root, 0, sizeof *root);
    root->begin = 0;
    root->end = got;
    root->depth = 0;
    root->parent = -1;
    root->cnt = (uint32_t)got;
    for (size_t k = 0; k < got; k++)
        root->pos += POS(s->w[ws->rows[k]]);
    root->slot = -1;
    root->best = 0.0;
    root->best_feat = -1;
    if (splittable(s, root) && nf > 0) {
        root->slot = 0;
        best_state bs;
        scan_begin(root, &bs);
        for (size_t c = 0; c < nf; c += COL_BLOCK) {
            size_t ce = c + COL_BLOCK < nf ? c + COL_BLOCK : nf;
            if (s->full)
                root_cols_from_full(s, ws, c, ce, root, n_oob);
            else
                build_cols(s, ws, c, ce, root);
            scan_cols(s, ws, c, ce, root, &bs);
        }
        scan_end(root, &bs);
    }

    int n_leaves = 1;
    while (n_leaves < L) {
        int pick = -1;
        for (int l = 0; l < n_leaves; l++)
            if (lv[l].best_feat >= 0 && (pick < 0 || lv[l].best > lv[pick].best))
                pick = l;
        if (pick < 0)
            break;
        leaf_state *lf = &lv[pick];
        int node = n_leaves - 1;
        int f = lf->best_feat, bn = lf->best_bin;
        /* stable partition of the leaf's rows */
        const uint8_t *col = b->bin + (size_t)f * n;
        size_t wl = lf->begin, nr = 0;
        {
            uint32_t *rows = ws->rows, *tmp = ws->tmp;
            const size_t end = lf->end;
            const uint8_t cut = (uint8_t)bn;
            for (size_t k = lf->begin; k < end; k++) {
                uint32_t i = rows[k];
                size_t le = col[i] <= cut;
                rows[wl] = i; /* wl <= k: never overwrites an unread row */
                tmp[nr] = i;
                wl += le;
                nr += 1 - le;
            }
        }
        memcpy(ws->rows + wl, ws->tmp, sizeof *ws->tmp * nr);
        /* the node */
        tree->split_feature[node] = f;
        tree->split_bin[node] = bn;
        tree->threshold[node] = b->upper[(size_t)f * REPRO_FOREST_MAX_BINS + (size_t)bn];
        tree->split_gain[node] = s->h > 0 ? lf->best / ((double)lf->cnt * s->h) : 0.0;
        tree->left[node] = ~pick;
        tree->right[node] = ~n_leaves;
        if (lf->parent >= 0) {
            if (lf->is_right)
                tree->right[lf->parent] = node;
            else
                tree->left[lf->parent] = node;
        }
        /* children: left keeps the leaf id, right is leaf n_leaves */
        leaf_state *rt = &lv[n_leaves];
        int pslot = lf->slot;
        const HT *phist = slot_hist(ws, pslot);
        *rt = *lf;
        rt->begin = wl;
        rt->end = lf->end;
        rt->depth = lf->depth + 1;
        rt->parent = node;
        rt->is_right = 1;
        lf->end = wl;
        lf->depth++;
        lf->parent = node;
        lf->is_right = 0;
        /* counts from the histogram of the split column */
        {
            size_t c = 0;
            while (ws->feats[c] != f)
                c++;
            const HT *h = phist + COL_HIST(c);
            uint32_t cl = 0, pl = 0;
            for (int q = 0; q <= bn; q++) {
                cl += CNT(h[q]);
                pl += POS(h[q]);
            }
            rt->cnt = lf->cnt - cl;
            rt->pos = lf->pos - pl;
            lf->cnt = cl;
            lf->pos = pl;
        }
        int need_l = splittable(s, lf), need_r = splittable(s, rt);
        lf->slot = rt->slot = -1;
        lf->best_feat = rt->best_feat = -1;
        lf->best = rt->best = 0.0;
        if (need_l || need_r) {
            /* smaller child from its rows, larger = parent - smaller. Slot
             * n_leaves is unused so far: leaves 0..k-1 only ever hold slots
             * 0..k-1, and the parent's slot passes to the larger child. */
            leaf_state *small = lf->cnt <= rt->cnt ? lf : rt;
            leaf_state *large = small == lf ? rt : lf;
            int sslot = n_leaves;
            small->slot = sslot;
            large->slot = pslot;
            /* column block by column block, so that each block's histograms
             * stay in the cache from building to scanning */
            best_state bl, br;
            if (need_l)
                scan_begin(lf, &bl);
            if (need_r)
                scan_begin(rt, &br);
            for (size_t c = 0; c < nf; c += COL_BLOCK) {
                size_t ce = c + COL_BLOCK < nf ? c + COL_BLOCK : nf;
                build_cols(s, ws, c, ce, small);
                subtract_cols(ws, c, ce, pslot, sslot);
                if (need_l)
                    scan_cols(s, ws, c, ce, lf, &bl);
                if (need_r)
                    scan_cols(s, ws, c, ce, rt, &br);
            }
            if (need_l)
                scan_end(lf, &bl);
            else
                lf->slot = -1;
            if (need_r)
                scan_end(rt, &br);
            else
                rt->slot = -1;
        }
        n_leaves++;
    }
    tree->n_leaves = n_leaves;
    for (int l = 0; l < n_leaves; l++) {
        double cnt = lv[l].cnt;
        double G = cnt * s->p0 - lv[l].pos, H = cnt * s->h;
        tree->leaf_value[l] = H > 0 ? -G / H : 0.0;
        tree->leaf_count[l] = (int)lv[l].cnt;
        tree->leaf_depth[l] = lv[l].depth;
    }
    if (leaf_of)
        record_leaves(s, ws, tree, n_oob, leaf_of);
}

/* Allocates a forest with node storage for n_trees trees of L leaves. */
static repro_forest *forest_alloc(size_t d, const repro_forest_params *p, repro_error *err)
{
    size_t T = p->n_trees, L = (size_t)p->num_leaves;
    repro_forest *f = repro_calloc(1, sizeof *f, err);
    forest_storage *st = repro_calloc(1, sizeof *st, err);
    if (!f || !st) {
        free(f);
        free(st);
        return NULL;
    }
    f->storage_ = st;
    f->d = d;
    f->n_trees = T;
    f->params = *p;
    f->trees = calloc(T, sizeof *f->trees);
    f->gain_importance = calloc(d, sizeof *f->gain_importance);
    f->split_importance = calloc(d, sizeof *f->split_importance);
    st->split_feature = calloc(T * L, sizeof(int));
    st->split_bin = calloc(T * L, sizeof(int));
    st->left = calloc(T * L, sizeof(int));
    st->right = calloc(T * L, sizeof(int));
    st->leaf_count = calloc(T * L, sizeof(int));
    st->leaf_depth = calloc(T * L, sizeof(int));
    st->threshold = calloc(T * L, sizeof(double));
    st->split_gain = calloc(T * L, sizeof(double));
    st->leaf_value = calloc(T * L, sizeof(double));
    if (!f->trees || !f->gain_importance || !f->split_importance || !st->split_feature ||
        !st->split_bin || !st->left || !st->right || !st->leaf_count || !st->leaf_depth ||
        !st->threshold || !st->split_gain || !st->leaf_value) {
        repro_forest_free(f);
        repro_error_set(err, REPRO_ENOMEM, "forest: out of memory");
        return NULL;
    }
    for (size_t t = 0; t < T; t++) {
        repro_forest_tree *tr = &f->trees[t];
        tr->split_feature = st->split_feature + t * L;
        tr->split_bin = st->split_bin + t * L;
        tr->left = st->left + t * L;
        tr->right = st->right + t * L;
        tr->leaf_count = st->leaf_count + t * L;
        tr->leaf_depth = st->leaf_depth + t * L;
        tr->threshold = st->threshold + t * L;
        tr->split_gain = st->split_gain + t * L;
        tr->leaf_value = st->leaf_value + t * L;
    }
    return f;
}

/* Frees a forest and its node storage; NULL is a no-op. */
void repro_forest_free(repro_forest *forest)
{
    if (!forest)
        return;
    forest_storage *st = forest->storage_;
    if (st) {
        free(st->split_feature);
        free(st->split_bin);
        free(st->left);
        free(st->right);
        free(st->leaf_count);
        free(st->leaf_depth);
        free(st->threshold);
        free(st->split_gain);
        free(st->leaf_value);
        free(st);
    }
    free(forest->trees);
    free(forest->gain_importance);
    free(forest->split_importance);
    free(forest);
}

/* Grows all trees (in parallel over trees), then importances in tree order
 * and the training accuracy, so the result is independent of threads. */
int repro_forest_fit_bins(const repro_forest_bins *bins, const int *y,
                          const repro_forest_params *params, const repro_rng *stream,
                          int threads, repro_forest **out, repro_error *err)
{
    *out = NULL;
    int rc = repro_forest_params_check(params, err);
    if (rc)
        return rc;
    size_t n = bins->n, d = bins->d;
    if (n == 0 || d == 0)
        return repro_error_set(err, REPRO_EINVAL, "forest: empty data (n=%zu, d=%zu)", n, d);
    size_t bag_n = params->bagging_fraction >= 1.0 ? n : (size_t)(params->bagging_fraction * (double)n);
    if (bag_n > MAX_BAG)
        return repro_error_set(err, REPRO_EINVAL,
                               "forest: %zu bagged rows per tree, at most %u are supported "
                               "(lower bagging_fraction or subsample the rows)",
                               bag_n, MAX_BAG);
    size_t npos = 0;
    for (size_t i = 0; i < n; i++) {
        if (y[i] != 1 && y[i] != -1)
            return repro_error_set(err, REPRO_EINVAL, "forest: label %d of row %zu is not -1 or +1",
                                   y[i], i);
        npos += y[i] == 1;
    }
    HT *w = repro_malloc(n, sizeof *w, err);
    int *valid = repro_malloc(d, sizeof *valid, err);
    repro_forest *f = forest_alloc(d, params, err);
    if (!w || !valid || !f) {
        free(w);
        free(valid);
        repro_forest_free(f);
        return REPRO_ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
        w[i] = (HT)(1u | ((HT)(y[i] == 1) << REPRO_HBIN_SHIFT));
    fit_shared s;
    memset(&s, 0, sizeof s);
    s.bins = bins;
    s.p = params;
    s.stream = stream;
    s.w = w;
    s.valid = valid;
    for (size_t j = 0; j < d; j++)
        if (bins->n_bins[j] > 1)
            valid[s.n_valid++] = (int)j;
    s.bag_n = bag_n;
    if (s.bag_n < 1)
        s.bag_n = 1;
    s.feat_n = (size_t)((double)s.n_valid * params->feature_fraction + 0.5);
    if (s.feat_n < 1)
        s.feat_n = 1;
    if (s.feat_n > s.n_valid)
        s.feat_n = s.n_valid;
    /* the roots from the whole data's histograms when that saves additions */
    HT *full = NULL, *wneg = NULL;
    size_t n_oob = n - s.bag_n;
    double saved = (double)params->n_trees * (double)s.feat_n * ((double)s.bag_n - (double)n_oob);
    if (n_oob < s.bag_n && saved > (double)n * (double)s.n_valid) {
        full = calloc(COL_HIST(d), sizeof *full);
        wneg = malloc(sizeof *wneg * n);
        if (full && wneg) {
            for (size_t i = 0; i < n; i++)
                wneg[i] = 0u - w[i];
            for (size_t k = 0; k < s.n_valid; k++) {
                size_t j = (size_t)valid[k];
                const uint8_t *col = bins->bin + j * n;
                HT *h = full + COL_HIST(j);
                for (size_t i = 0; i < n; i++)
                    h[col[i]] += w[i];
            }
        } else {
            free(full);
            free(wneg);
            full = wneg = NULL; /* fine: the roots are then built from their rows */
        }
    }
    s.full = full;
    s.wneg = wneg;
    s.p0 = (double)npos / (double)n;
    s.h = s.p0 * (1.0 - s.p0);
    double pc = s.p0 < 1e-15 ? 1e-15 : (s.p0 > 1.0 - 1e-15 ? 1.0 - 1e-15 : s.p0);
    f->p0 = s.p0;
    f->base_score = log(pc / (1.0 - pc));

    long T = (long)params->n_trees;
    int nthreads = threads < 1 ? 1 : threads;
    if (nthreads > T)
        nthreads = (int)T;
    int failed = 0;
    /* the leaf of every row in every tree, for the training accuracy (for
     * very large fits, a prediction pass afterwards instead) */
    uint16_t *leaf_of = NULL;
    int record = params->train_accuracy && n * (size_t)T <= ((size_t)1 << 26);
    if (record) {
        leaf_of = malloc(sizeof *leaf_of * n * (size_t)T);
        if (!leaf_of) {
            free(w);
            free(valid);
            free(full);
            free(wneg);
            repro_forest_free(f);
            return repro_error_set(err, REPRO_ENOMEM, "forest: out of memory");
        }
    }
#pragma omp parallel num_threads(nthreads)
    {
        workspace ws;
        int ok = ws_alloc(&ws, &s);
        if (!ok) {
#pragma omp atomic write
            failed = 1;
        }
#pragma omp for schedule(dynamic, 1)
        for (long t = 0; t < T; t++)
            if (ok)
                grow_tree(&s, &ws, (size_t)t, &f->trees[t], leaf_of ? leaf_of + (size_t)t * n : NULL);
        if (ok)
            ws_free(&ws);
    }
    free(w);
    free(valid);
    free(full);
    free(wneg);
    if (failed) {
        free(leaf_of);
        repro_forest_free(f);
        return repro_error_set(err, REPRO_ENOMEM, "forest: out of memory for tree workspaces");
    }
    /* importances in tree order: independent of the thread schedule */
    for (size_t t = 0; t < f->n_trees; t++) {
        const repro_forest_tree *tr = &f->trees[t];
        for (int k = 0; k + 1 < tr->n_leaves; k++) {
            f->gain_importance[tr->split_feature[k]] += tr->split_gain[k];
            f->split_importance[tr->split_feature[k]] += 1.0;
        }
    }
    f->train_accuracy = NAN;
    if (leaf_of) {
        /* the scores repro_forest_predict_bins computes (same sums, same
         * order), from the recorded leaves */
        double *score = repro_malloc(n, sizeof *score, err);
        if (!score) {
            free(leaf_of);
            repro_forest_free(f);
            return REPRO_ENOMEM;
        }
        for (size_t i = 0; i < n; i++)
            score[i] = 0.0;
        for (size_t t = 0; t < f->n_trees; t++) {
            const double *lv = f->trees[t].leaf_value;
            const uint16_t *lo = leaf_of + t * n;
            for (size_t i = 0; i < n; i++)
                score[i] += lv[lo[i]];
        }
        for (size_t i = 0; i < n; i++)
            score[i] = f->base_score + score[i] / (double)f->n_trees;
        f->train_accuracy = repro_forest_score_accuracy(score, y, n);
        free(score);
        free(leaf_of);
    } else if (params->train_accuracy) {
        rc = repro_forest_accuracy_bins(f, bins, y, &f->train_accuracy, err);
        if (rc) {
            repro_forest_free(f);
            return rc;
        }
    }
    *out = f;
    return REPRO_OK;
}

/* Convenience fit on raw X: bins once, fits, frees the bins. */
int repro_forest_fit(const double *X, size_t n, size_t d, const int *y,
                     const repro_forest_params *params, const repro_rng *stream, int threads,
                     repro_forest **out, repro_error *err)
{
    *out = NULL;
    int rc = repro_forest_params_check(params, err);
    if (rc)
        return rc;
    repro_forest_bins *bins = NULL;
    rc = repro_forest_bins_build(X, n, d, params->max_bins, params->min_data_in_bin, &bins, err);
    if (rc)
        return rc;
    rc = repro_forest_fit_bins(bins, y, params, stream, threads, out, err);
    repro_forest_bins_free(bins);
    return rc;
}

/* Scheduling estimate in seconds on one core: proportional to the bagged
 * rows times the columns of each tree (fitted to bench_forest's fits). */
double repro_forest_cost(size_t n, size_t d, double feature_fraction, size_t n_trees)
{
    double cols = feature_fraction * (double)d + 1.0;
    return (double)n_trees * 4e-9 * 0.632 * (double)n * cols;
}
