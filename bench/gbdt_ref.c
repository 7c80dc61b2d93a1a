/* gbdt_ref.c - the boosted trees' fit as it was before the histogram and
 * split-search changes (src/solvers/gbdt.c at d6c95eb), kept verbatim for
 * bench_gbdt: the reference its timings and bit checks compare against.
 * A model it returns is freed with repro_gbdt_free. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gbdt_ref.h"

#define GB_EPS 1e-15
#define GB_BINS REPRO_FOREST_MAX_BINS

/* One histogram bin. */
typedef struct hbin {
    double g, h;
    size_t cnt;
} hbin;

/* A leaf being grown, with its best admissible split (feat < 0: none). */
typedef struct gleaf {
    size_t begin, end; /* its rows are rows[begin..end) */
    int depth, parent, is_right, slot;
    double G, H;       /* sums of its rows' gradients and hessians */
    double gain;       /* best split's gain over the leaf's own */
    int feat, bin;
    double GL, HL, GR, HR;
    size_t cl;
} gleaf;

/* Scratch of one fit. */
typedef struct gb_work {
    const repro_forest_bins *b;
    const repro_gbdt_params *p;
    const int *valid; /* columns with more than one bin, ascending */
    size_t nv;
    const double *g, *h;
    size_t *rows, *tmp;
    hbin *pool;     /* num_leaves slots of nv * GB_BINS bins */
    uint64_t *mask; /* per slot and column, 4 words: its non-empty bins */
    gleaf *lv;
} gb_work;

/* Slot s's histograms. */
static hbin *slot_of(const gb_work *w, int s)
{
    return w->pool + (size_t)s * w->nv * GB_BINS;
}

/* Slot s's bitmaps of non-empty bins: 4 words per column. */
static uint64_t *mask_of(const gb_work *w, int s)
{
    return w->mask + (size_t)s * w->nv * 4;
}

/* Histogram of leaf lf's rows over all valid columns into its slot. The
 * slot's bitmaps say which bins hold something: those are cleared first, and
 * every bin left empty has zero sums, so all work is proportional to the
 * non-empty bins. */
static void build_hist(const gb_work *w, const gleaf *lf)
{
    size_t n = w->b->n;
    hbin *hs = slot_of(w, lf->slot);
    uint64_t *ms = mask_of(w, lf->slot);
    for (size_t c = 0; c < w->nv; c++) {
        int f = w->valid[c];
        hbin *hc = hs + c * GB_BINS;
        uint64_t *mc = ms + c * 4;
        for (int wd = 0; wd < 4; wd++) {
            for (uint64_t bits = mc[wd]; bits; bits &= bits - 1) {
                hbin *e = &hc[wd * 64 + __builtin_ctzll(bits)];
                e->g = e->h = 0.0;
                e->cnt = 0;
            }
            mc[wd] = 0;
        }
        const uint8_t *col = w->b->bin + (size_t)f * n;
        for (size_t k = lf->begin; k < lf->end; k++) {
            size_t i = w->rows[k];
            unsigned bn = col[i];
            hbin *e = &hc[bn];
            e->g += w->g[i];
            e->h += w->h[i];
            e->cnt++;
            mc[bn >> 6] |= (uint64_t)1 << (bn & 63);
        }
    }
}

/* Histogram of slot `par` minus slot `small`, in place in `par` (only the
 * small slot's non-empty bins change). */
static void subtract_hist(const gb_work *w, int par, int small)
{
    hbin *hp = slot_of(w, par);
    const hbin *hq = slot_of(w, small);
    uint64_t *mp = mask_of(w, par);
    const uint64_t *mq = mask_of(w, small);
    for (size_t c = 0; c < w->nv; c++)
        for (int wd = 0; wd < 4; wd++)
            for (uint64_t bits = mq[c * 4 + (size_t)wd]; bits; bits &= bits - 1) {
                int k = wd * 64 + __builtin_ctzll(bits);
                hbin *e = &hp[c * GB_BINS + (size_t)k];
                const hbin *q = &hq[c * GB_BINS + (size_t)k];
                e->cnt -= q->cnt;
                if (e->cnt) {
                    e->g -= q->g;
                    e->h -= q->h;
                } else {
                    /* an empty bin's sums are exactly 0 (no rounding residue) */
                    e->g = e->h = 0.0;
                    mp[c * 4 + (size_t)wd] &= ~((uint64_t)1 << (k & 63));
                }
            }
}

/* G^2/(H + l2): a leaf's share of the objective's decrease. */
static inline double leaf_gain(double G, double H, double l2)
{
    return G * G / (H + l2);
}

/* Whether leaf lf may have an admissible split at all: rows and hessian for
 * two children, and below the depth limit (else no histogram is needed). */
static int splittable(const gb_work *w, const gleaf *lf)
{
    const repro_gbdt_params *p = w->p;
    return lf->end - lf->begin >= 2 * p->min_data_in_leaf && lf->H >= 2.0 * p->min_sum_hessian &&
           !(p->max_depth > 0 && lf->depth >= p->max_depth);
}

/* Best admissible split of leaf lf from its histogram: per column, bins
 * scanned from the highest down (strictly better gains replace, so the
 * higher threshold wins ties), columns in ascending order (the lower column
 * wins ties). */
static void find_split(const gb_work *w, gleaf *lf)
{
    const repro_gbdt_params *p = w->p;
    lf->feat = -1;
    lf->gain = 0.0;
    size_t N = lf->end - lf->begin, m = p->min_data_in_leaf;
    double msh = p->min_sum_hessian, l2 = p->lambda_l2;
    if (N < 2 * m || (p->max_depth > 0 && lf->depth >= p->max_depth))
        return;
    double shift = leaf_gain(lf->G, lf->H, l2);
    const hbin *hs = slot_of(w, lf->slot);
    const uint64_t *ms = mask_of(w, lf->slot);
    double best = 0.0;
    for (size_t c = 0; c < w->nv; c++) {
        int f = w->valid[c];
        const hbin *hc = hs + c * GB_BINS;
        int nb = w->b->n_bins[f];
        double rg = 0.0, rh = GB_EPS, cbest = -INFINITY;
        size_t rc = 0;
        int cbin = -1;
        double cGL = 0, cHL = 0, cGR = 0, cHR = 0;
        size_t ccl = 0;
        const uint64_t *mc = ms + c * 4;
        /* the non-empty bins from the highest down (an empty bin repeats the
         * candidate above it, which only a strictly better gain replaces:
         * skipping it is exact) */
        for (int wd = (nb - 1) >> 6; wd >= 0; wd--) {
            for (uint64_t bits = mc[wd]; bits;) {
                int t = wd * 64 + 63 - __builtin_clzll(bits);
                bits &= ~((uint64_t)1 << (t & 63));
                if (t < 1)
                    goto column_done;
                rg += hc[t].g;
                rh += hc[t].h;
                rc += hc[t].cnt;
                if (rc < m || rh < msh)
                    continue;
                size_t lc = N - rc;
                if (lc < m)
                    goto column_done;
                double lh = lf->H - rh;
                if (lh < msh)
                    goto column_done;
                double lg = lf->G - rg;
                double gain = leaf_gain(lg, lh, l2) + leaf_gain(rg, rh, l2);
                if (gain <= shift)
                    continue;
                if (gain > cbest) {
                    cbest = gain;
                    cbin = t - 1;
                    cGL = lg;
                    cHL = lh;
                    cGR = rg;
                    cHR = rh;
                    ccl = lc;
                }
            }
        }
    column_done:
        if (cbin >= 0 && (lf->feat < 0 || cbest - shift > best)) {
            best = cbest - shift;
            lf->feat = f;
            lf->bin = cbin;
            lf->GL = cGL;
            lf->HL = cHL;
            lf->GR = cGR;
            lf->HR = cHR;
            lf->cl = ccl;
        }
    }
    lf->gain = best;
}

/* Grows one tree on the current gradients into tr (arrays sized for
 * num_leaves); returns its number of leaves. Leaf values are shrunk. */
static int grow_tree(gb_work *w, repro_forest_tree *tr)
{
    const repro_forest_bins *b = w->b;
    const repro_gbdt_params *p = w->p;
    size_t n = b->n;
    int L = p->num_leaves;
    gleaf *lv = w->lv;
    for (size_t i = 0; i < n; i++)
        w->rows[i] = i;
    gleaf *root = &lv[0];
    memset(root, 0, sizeof *root);
    root->begin = 0;
    root->end = n;
    root->parent = -1;
    root->slot = 0;
    for (size_t i = 0; i < n; i++) {
        root->G += w->g[i];
        root->H += w->h[i];
    }
    root->feat = -1;
    if (w->nv > 0) {
        build_hist(w, root);
        find_split(w, root);
    }
    int nl = 1;
    while (nl < L) {
        int pick = -1;
        for (int l = 0; l < nl; l++)
            if (lv[l].feat >= 0 &&
                (pick < 0 || lv[l].gain > lv[pick].gain ||
                 (lv[l].gain == lv[pick].gain && lv[l].feat < lv[pick].feat)))
                pick = l;
        if (pick < 0)
            break;
        gleaf *lf = &lv[pick];
        int node = nl - 1, f = lf->feat, bn = lf->bin;
        const uint8_t *col = b->bin + (size_t)f * n;
        size_t wl = lf->begin, nr = 0;
        for (size_t k = lf->begin; k < lf->end; k++) {
            size_t i = w->rows[k];
            if (col[i] <= bn)
                w->rows[wl++] = i;
            else
                w->tmp[nr++] = i;
        }
        memcpy(w->rows + wl, w->tmp, sizeof *w->tmp * nr);
        tr->split_feature[node] = f;
        tr->split_bin[node] = bn;
        tr->threshold[node] = b->upper[(size_t)f * REPRO_FOREST_MAX_BINS + (size_t)bn];
        tr->split_gain[node] = lf->gain;
        tr->left[node] = ~pick;
        tr->right[node] = ~nl;
        if (lf->parent >= 0) {
            if (lf->is_right)
                tr->right[lf->parent] = node;
            else
                tr->left[lf->parent] = node;
        }
        gleaf *rt = &lv[nl];
        *rt = *lf;
        rt->begin = wl;
        rt->depth = lf->depth + 1;
        rt->parent = node;
        rt->is_right = 1;
        rt->G = lf->GR;
        rt->H = lf->HR;
        lf->end = wl;
        lf->depth++;
        lf->parent = node;
        lf->is_right = 0;
        lf->G = lf->GL;
        lf->H = lf->HL;
        /* smaller child built, larger = parent - smaller (slot nl is free:
         * leaves 0..k-1 only ever use slots 0..k-1) */
        int pslot = lf->slot;
        gleaf *small = (lf->end - lf->begin) <= (rt->end - rt->begin) ? lf : rt;
        gleaf *large = small == lf ? rt : lf;
        small->slot = nl;
        large->slot = pslot;
        int need_l = splittable(w, lf), need_r = splittable(w, rt);
        if (need_l || need_r)
            build_hist(w, small);
        if (splittable(w, large))
            subtract_hist(w, pslot, nl);
        lf->feat = rt->feat = -1;
        lf->gain = rt->gain = 0.0;
        if (need_l)
            find_split(w, lf);
        if (need_r)
            find_split(w, rt);
        nl++;
    }
    tr->n_leaves = nl;
    for (int l = 0; l < nl; l++) {
        tr->leaf_value[l] = -lv[l].G / (lv[l].H + p->lambda_l2) * p->learning_rate;
        tr->leaf_count[l] = (int)(lv[l].end - lv[l].begin);
        tr->leaf_depth[l] = lv[l].depth;
    }
    return nl;
}

/* Frees one tree's arrays. */
static void tree_free(repro_forest_tree *tr)
{
    free(tr->split_feature);
    free(tr->split_bin);
    free(tr->threshold);
    free(tr->split_gain);
    free(tr->left);
    free(tr->right);
    free(tr->leaf_value);
    free(tr->leaf_count);
    free(tr->leaf_depth);
}

/* Allocates one tree's arrays for L leaves; 0 on failure. */
static int tree_alloc(repro_forest_tree *tr, int L)
{
    size_t l = (size_t)L;
    memset(tr, 0, sizeof *tr);
    tr->split_feature = calloc(l, sizeof(int));
    tr->split_bin = calloc(l, sizeof(int));
    tr->threshold = calloc(l, sizeof(double));
    tr->split_gain = calloc(l, sizeof(double));
    tr->left = calloc(l, sizeof(int));
    tr->right = calloc(l, sizeof(int));
    tr->leaf_value = calloc(l, sizeof(double));
    tr->leaf_count = calloc(l, sizeof(int));
    tr->leaf_depth = calloc(l, sizeof(int));
    return tr->split_feature && tr->split_bin && tr->threshold && tr->split_gain && tr->left &&
           tr->right && tr->leaf_value && tr->leaf_count && tr->leaf_depth;
}

/* Boosting rounds (gbdt.h); the training scores are updated leaf by leaf in
 * the order prediction sums them (initial score, then tree by tree). */
int bench_gbdt_ref_fit_bins(const repro_forest_bins *bins, const int *y, const repro_gbdt_params *p,
                        repro_gbdt **out, repro_error *err)
{
    *out = NULL;
    int rc = repro_gbdt_params_check(p, err);
    if (rc)
        return rc;
    size_t n = bins->n, d = bins->d, npos = 0;
    if (n == 0 || d == 0)
        return repro_error_set(err, REPRO_EINVAL, "gbdt: empty data (n=%zu, d=%zu)", n, d);
    for (size_t i = 0; i < n; i++) {
        if (y[i] != 1 && y[i] != -1)
            return repro_error_set(err, REPRO_EINVAL, "gbdt: label %d of row %zu is not -1 or +1",
                                   y[i], i);
        npos += y[i] == 1;
    }
    gb_work w;
    memset(&w, 0, sizeof w);
    w.b = bins;
    w.p = p;
    int *valid = malloc(sizeof *valid * d);
    double *g = malloc(sizeof *g * n), *h = malloc(sizeof *h * n), *F = malloc(sizeof *F * n);
    w.rows = malloc(sizeof *w.rows * n);
    w.tmp = malloc(sizeof *w.tmp * n);
    w.lv = malloc(sizeof *w.lv * (size_t)p->num_leaves);
    repro_gbdt *m = calloc(1, sizeof *m);
    if (m) {
        m->trees = calloc(p->n_iter, sizeof *m->trees);
        m->gain_importance = calloc(d, sizeof *m->gain_importance);
        m->split_importance = calloc(d, sizeof *m->split_importance);
        m->params = *p;
    }
    rc = (!valid || !g || !h || !F || !w.rows || !w.tmp || !w.lv || !m || !m->trees ||
          !m->gain_importance || !m->split_importance)
             ? REPRO_ENOMEM
             : REPRO_OK;
    if (!rc) {
        for (size_t j = 0; j < d; j++)
            if (bins->n_bins[j] > 1)
                valid[w.nv++] = (int)j;
        w.valid = valid;
        w.pool = calloc((size_t)p->num_leaves * (w.nv ? w.nv : 1) * GB_BINS, sizeof *w.pool);
        w.mask = calloc((size_t)p->num_leaves * (w.nv ? w.nv : 1) * 4, sizeof *w.mask);
        if (!w.pool || !w.mask)
            rc = REPRO_ENOMEM;
    }
    if (!rc) {
        m->d = d;
        double pavg = (double)npos / (double)n;
        if (pavg < GB_EPS)
            pavg = GB_EPS;
        if (pavg > 1.0 - GB_EPS)
            pavg = 1.0 - GB_EPS;
        m->init_score = log(pavg / (1.0 - pavg));
        for (size_t i = 0; i < n; i++)
            F[i] = m->init_score;
        w.g = g;
        w.h = h;
        for (size_t t = 0; t < p->n_iter && !rc; t++) {
            for (size_t i = 0; i < n; i++) {
                double pr = 1.0 / (1.0 + exp(-F[i]));
                g[i] = pr - (y[i] == 1 ? 1.0 : 0.0);
                h[i] = pr * (1.0 - pr);
            }
            repro_forest_tree *tr = &m->trees[t];
            if (!tree_alloc(tr, p->num_leaves)) {
                rc = REPRO_ENOMEM;
                break;
            }
            if (grow_tree(&w, tr) < 2) {
                tree_free(tr);
                memset(tr, 0, sizeof *tr);
                break; /* no admissible split: training ends */
            }
            m->n_trees = t + 1;
            for (int l = 0; l < tr->n_leaves; l++)
                for (size_t k = w.lv[l].begin; k < w.lv[l].end; k++)
                    F[w.rows[k]] += tr->leaf_value[l];
            for (int k = 0; k + 1 < tr->n_leaves; k++) {
                m->gain_importance[tr->split_feature[k]] += tr->split_gain[k];
                m->split_importance[tr->split_feature[k]] += 1.0;
            }
        }
    }
    if (!rc)
        m->train_accuracy = repro_forest_score_accuracy(F, y, n);
    free(valid);
    free(g);
    free(h);
    free(F);
    free(w.rows);
    free(w.tmp);
    free(w.lv);
    free(w.pool);
    free(w.mask);
    if (rc) {
        repro_gbdt_free(m);
        return repro_error_set(err, rc, "gbdt: out of memory");
    }
    *out = m;
    return REPRO_OK;
}

