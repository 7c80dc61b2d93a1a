/* boruta.c - Boruta feature selection (ALGORITHMS.md §6, boruta.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "repro/boruta.h"
#include "repro/stats.h"

/* SQ's Boruta settings (ALGORITHMS.md §6). */
void repro_boruta_params_default(repro_boruta_params *p)
{
    repro_forest_params_default(&p->forest);
    p->forest.feature_fraction = 0.1;
    p->auto_trees = 1;
    p->perc = 70.0;
    p->alpha = 0.01;
    p->max_iter = 100;
    p->two_step = 1;
}

/* Frees a Boruta result; safe on a zeroed struct. */
void repro_boruta_result_clear(repro_boruta_result *res)
{
    free(res->decision);
    free(res->hits);
    free(res->importance);
    memset(res, 0, sizeof *res);
}

/* BorutaPy's tree count for m not-rejected features. */
static size_t auto_tree_count(size_t m, int depth)
{
    double two_m = (double)m * 2.0;
    double multi = two_m / (sqrt(two_m) * (double)depth);
    size_t t = (size_t)(multi * 100.0);
    return t < 1 ? 1 : t;
}

/* Scratch buffers of one Boruta run. */
typedef struct boruta_ws {
    size_t *active, *perm, *idx;
    double *imp, *work, *p_acc, *p_rej;
    int *rej_acc, *rej_rej;
} boruta_ws;

/* Frees the scratch buffers. */
static void ws_free(boruta_ws *w)
{
    free(w->active);
    free(w->perm);
    free(w->idx);
    free(w->imp);
    free(w->work);
    free(w->p_acc);
    free(w->p_rej);
    free(w->rej_acc);
    free(w->rej_rej);
}

/* The binomial tests of iteration `iter` on the not-rejected features; only
 * tentative ones change their decision (BorutaPy's _do_tests). */
static void do_tests(repro_boruta_result *r, const repro_boruta_params *p, boruta_ws *w,
                     size_t k, int iter)
{
    for (size_t a = 0; a < k; a++) {
        int h = r->hits[w->active[a]];
        w->p_acc[a] = repro_binom_sf_half((unsigned)h, (unsigned)iter);
        w->p_rej[a] = repro_binom_cdf_half((unsigned)h, (unsigned)iter);
    }
    double bonf = p->alpha / (double)iter;
    if (p->two_step) {
        repro_bh_reject(w->p_acc, k, p->alpha, w->rej_acc, w->idx);
        repro_bh_reject(w->p_rej, k, p->alpha, w->rej_rej, w->idx);
    } else {
        for (size_t a = 0; a < k; a++)
            w->rej_acc[a] = w->rej_rej[a] = 1;
    }
    for (size_t a = 0; a < k; a++) {
        size_t j = w->active[a];
        if (r->decision[j] != 0)
            continue;
        int acc = w->rej_acc[a] && w->p_acc[a] <= bonf;
        int rej = w->rej_rej[a] && w->p_rej[a] <= bonf;
        if (acc)
            r->decision[j] = 1;
        else if (rej)
            r->decision[j] = -1;
    }
}

/* The BorutaPy loop: shadows, forest, hits, tests, until decided or max_iter. */
int repro_boruta_fit(repro_rng *rng, const repro_forest_bins *bins, const int *y,
                     const repro_boruta_params *p, int threads, repro_boruta_result *out,
                     repro_error *err)
{
    memset(out, 0, sizeof *out);
    if (!(p->perc >= 0.0 && p->perc <= 100.0))
        return repro_error_set(err, REPRO_EINVAL, "boruta: perc must be in [0, 100], got %g", p->perc);
    if (!(p->alpha > 0.0 && p->alpha < 1.0))
        return repro_error_set(err, REPRO_EINVAL, "boruta: alpha must be in (0, 1), got %g", p->alpha);
    if (p->max_iter < 1)
        return repro_error_set(err, REPRO_EINVAL, "boruta: max_iter must be >= 1");
    int rc = repro_forest_params_check(&p->forest, err);
    if (rc)
        return rc;
    size_t d = bins->d, n = bins->n;
    /* columns plus shadows: k active columns get n_sha shadows, k doubled
     * until >= 5, so k + n_sha <= 2d for k >= 5 and <= 4 + 8 below */
    size_t cap = 2 * d > 12 ? 2 * d : 12;
    boruta_ws w;
    memset(&w, 0, sizeof w);
    out->d = d;
    out->decision = repro_calloc(d, sizeof *out->decision, err);
    out->hits = repro_calloc(d, sizeof *out->hits, err);
    out->importance = repro_calloc(d, sizeof *out->importance, err);
    w.active = repro_malloc(d, sizeof *w.active, err);
    w.perm = repro_malloc(n, sizeof *w.perm, err);
    w.idx = repro_malloc(d, sizeof *w.idx, err);
    w.imp = repro_malloc(cap, sizeof *w.imp, err);
    w.work = repro_malloc(cap, sizeof *w.work, err);
    w.p_acc = repro_malloc(d, sizeof *w.p_acc, err);
    w.p_rej = repro_malloc(d, sizeof *w.p_rej, err);
    w.rej_acc = repro_malloc(d, sizeof *w.rej_acc, err);
    w.rej_rej = repro_malloc(d, sizeof *w.rej_rej, err);
    if (!out->decision || !out->hits || !out->importance || !w.active || !w.perm || !w.idx ||
        !w.imp || !w.work || !w.p_acc || !w.p_rej || !w.rej_acc || !w.rej_rej) {
        ws_free(&w);
        repro_boruta_result_clear(out);
        return REPRO_ENOMEM;
    }
    repro_forest_params fp = p->forest;
    fp.train_accuracy = 0; /* only importances are used */
    rc = REPRO_OK;
    for (int iter = 1; iter < p->max_iter; iter++) {
        size_t k = 0, tentative = 0;
        for (size_t j = 0; j < d; j++) {
            if (out->decision[j] >= 0)
                w.active[k++] = j;
            tentative += out->decision[j] == 0;
        }
        if (tentative == 0)
            break;
        size_t n_sha = k;
        while (n_sha < 5)
            n_sha *= 2;
        if (p->auto_trees)
            fp.n_trees = auto_tree_count(k, fp.max_depth);
        repro_rng forest_stream;
        repro_rng_split(rng, &forest_stream);
        repro_forest_bins *sel = NULL;
        rc = repro_forest_bins_select(bins, NULL, 0, w.active, k, n_sha, &sel, err);
        if (rc)
            break;
        for (size_t s = 0; s < n_sha; s++) {
            repro_rng_permutation(rng, w.perm, n);
            repro_forest_bins_set_permuted(sel, k + s, bins, w.active[s % k], w.perm);
        }
        repro_forest *f = NULL;
        rc = repro_forest_fit_bins(sel, y, &fp, &forest_stream, threads, &f, err);
        repro_forest_bins_free(sel);
        if (rc)
            break;
        repro_forest_importance(f, REPRO_IMPORTANCE_GAIN, w.imp);
        repro_forest_free(f);
        out->n_iter = iter;
        double thr = repro_percentile(w.imp + k, n_sha, p->perc, w.work);
        memset(out->importance, 0, sizeof *out->importance * d);
        for (size_t a = 0; a < k; a++) {
            out->importance[w.active[a]] = w.imp[a];
            if (w.imp[a] > thr)
                out->hits[w.active[a]]++;
        }
        do_tests(out, p, &w, k, iter);
    }
    ws_free(&w);
    if (rc) {
        repro_error_prefix(err, "boruta");
        repro_boruta_result_clear(out);
    }
    return rc;
}

/* About 60 iterations (many runs end at max_iter with tentative features) on
 * 2d columns with feature_fraction 0.1 and ~20 sqrt(2d) trees. */
double repro_boruta_cost(size_t n, size_t d)
{
    return 60.0 * repro_forest_cost(n, 2 * d, 0.1, (size_t)(20.0 * sqrt(2.0 * (double)d)));
}
