/* fri.c - feature relevance intervals (ALGORITHMS.md §8 steps 2-5): relevance
 * bounds of every feature, probes on permuted columns, thresholds, classes.
 *
 * Parallel work is a fixed list of items (a chunk of features, or one probe),
 * each solved by its own working-set solver (fri_ws.h) warm-started from the
 * init model's basis. The items and the order of the LPs inside each do not
 * depend on the thread count, so neither does any result. */
#include "repro/fri.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "repro/fri_lp.h"
#include "repro/fri_stage.h"
#include "repro/fri_ws.h"
#include "repro/metrics.h"
#include "repro/stats.h"

/* Features per work item. The current path gives each feature its own
 * solver (its working set then grows only for that feature's LPs, and stays
 * small); the earlier paths share one solver between 4 features, each LP
 * warm-started from the previous optimum. */
#define FRI_FEATURE_CHUNK 1
#define FRI_FEATURE_CHUNK_LEGACY 4
/* Margin band of the working sets (fri_ws.h): samples within FRI_DELTA of
 * the margin start in the working set, those below 1 - FRI_DELTA start
 * aggregated. On non-separable data a narrow band keeps the LPs small; the
 * few extra working-set rounds cost less than the rows they save. */
#define FRI_DELTA 0.2
#define FRI_DELTA_LEGACY 0.5
/* Grow band of the working sets (repro_fri_ws_set_grow_band): the current
 * path moves only the samples on the wrong side of the margin into R when a
 * round's optimum violates them; the earlier paths used FRI_DELTA*. */
#define FRI_GROW_BAND 0.0
/* Shrink band of the working sets (repro_fri_ws_set_shrink_band): on the
 * non-linear sets a bound LP's working set grew to 400-600 of 1000 samples
 * of which about 30 end on the margin; leaving out or aggregating the
 * samples more than 0.1 from it at each round keeps the LPs at about half
 * that size, and a simplex iteration costs about in proportion. Used only
 * when the init model has a loss (on separable data, Set 8, it cost more
 * rounds than it saved); the earlier paths only grow. */
#define FRI_SHRINK_BAND 0.1
/* Normalised bounds at or below this are zero (§8 step 3). */
#define FRI_ZERO 1e-11

void repro_fri_options_default(repro_fri_options *opt)
{
    opt->C = 0.0;
    opt->n_search = 50;
    opt->n_probes = 50;
    opt->w_l1_slack = 0.1;
    opt->loss_slack = 0.1;
    opt->fpr = 1e-4;
    opt->cv = REPRO_FRI_CV_STRATIFIED;
    opt->legacy = 0;
}

void repro_fri_result_clear(repro_fri_result *res)
{
    if (!res)
        return;
    free(res->classes);
    free(res->bounds);
    free(res->w);
    memset(res, 0, sizeof *res);
}

void repro_fri_classify(const double *bounds, size_t d, const double *up_probes, size_t m_up,
                        const double *lo_probes, size_t m_lo, double fpr, int *classes,
                        double thresholds[2])
{
    double lo, up_hi, lo_hi;
    repro_pred_interval(up_probes, m_up, fpr, &lo, &up_hi, NULL);
    repro_pred_interval(lo_probes, m_lo, fpr, &lo, &lo_hi, NULL);
    thresholds[0] = up_hi;
    thresholds[1] = lo_hi;
    for (size_t j = 0; j < d; j++) {
        int weakly = bounds[2 * j + 1] > up_hi;
        int strongly = bounds[2 * j] > lo_hi;
        classes[j] = weakly && strongly ? 2 : weakly ? 1 : 0;
    }
}

/* What every work item needs: the data, the init model, its basis and the
 * limits, the probes' draws. Read-only during the parallel phase. */
typedef struct fri_job {
    const repro_dataset *ds;
    const unsigned char *basis;
    const double *w;         /* init weights */
    double b;                /* init intercept */
    double L1, l1max, lossmax;
    size_t n_chunks, n_probes;
    const size_t *up_feat, *lo_feat; /* probe features */
    const size_t *up_perm, *lo_perm; /* n_probes x n row permutations */
    int legacy;                      /* 1, 2: the earlier paths (fri.h) */
    size_t chunk;                    /* features per work item */
} fri_job;

/* Output of one LP-bound computation (fri_stage.h). */
typedef repro_fri_bound fri_bound;

_Static_assert(FRI_FEATURE_CHUNK <= REPRO_FRI_CHUNK_MAX && FRI_FEATURE_CHUNK_LEGACY <= REPRO_FRI_CHUNK_MAX,
               "a work item's features must fit in repro_fri_item");

/* Monotonic wall clock in seconds (phase timings only). */
static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Normalises a bound by L1 and zeroes values at or below FRI_ZERO. */
static double normalise(double v, double L1)
{
    double x = L1 > 0 ? v / L1 : 0.0;
    return x <= FRI_ZERO ? 0.0 : x;
}

/* Maps a working-set outcome to a bound (ok: 1 optimal, 0 infeasible,
 * -1 failed); returns REPRO_ENOMEM when the working set could not grow. */
static int to_bound(int rc, double v, fri_bound *b)
{
    if (rc == REPRO_FRI_WS_NOMEM)
        return REPRO_ENOMEM;
    b->value = rc == REPRO_FRI_LP_OPTIMAL ? v : 0.0;
    b->ok = rc == REPRO_FRI_LP_OPTIMAL ? 1 : rc == REPRO_FRI_LP_INFEASIBLE ? 0 : -1;
    return REPRO_OK;
}

/* Upper bound of feature j: the larger of the two one-sided maxima,
 * skipping failed sides; an infeasible problem (a probe whose permuted
 * column cannot meet the limits) is dropped after its first LP. With
 * `restart`, each side starts from the init basis. With `cut`
 * (the current path), the side of the init weight's sign w0 goes first and
 * the other side runs the dual simplex with the first side's optimum as a
 * cutoff: it stops as soon as it is proved not to exceed it, which leaves
 * the larger side, hence the bound, the same. */
static int upper_bound(repro_fri_ws *ws, size_t j, int restart, int cut, double w0, fri_bound *r,
                       repro_error *err)
{
    r->value = 0.0;
    r->ok = 0;
    int failed = 0;
    int first = cut && w0 < 0 ? REPRO_FRI_UPPER_NEG : REPRO_FRI_UPPER_POS;
    for (int side_no = 0; side_no < 2; side_no++) {
        int kind = side_no == 0 ? first : -first;
        fri_bound side;
        if (restart)
            repro_fri_ws_restart(ws);
        int cutting = cut && side_no == 1 && r->ok == 1;
        if (cutting)
            repro_fri_ws_set_cutoff(ws, -r->value);
        int rc = repro_fri_ws_solve(ws, j, kind, cutting ? REPRO_FRI_DUAL : REPRO_FRI_PRIMAL,
                                    &side.value, err);
        if (cutting) {
            repro_fri_ws_set_cutoff(ws, DBL_MAX);
            if (rc == REPRO_FRI_LP_INFEASIBLE)
                break; /* stopped at the cutoff: the first side is the larger */
        }
        if (to_bound(rc, side.value, &side))
            return REPRO_ENOMEM;
        if (side.ok == 1) {
            if (!r->ok || side.value > r->value)
                r->value = side.value;
            r->ok = 1;
        } else if (side.ok < 0) {
            failed = 1;
        } else {
            break; /* infeasible: the other side has the same constraints */
        }
    }
    if (!r->ok && failed)
        r->ok = -1;
    return REPRO_OK;
}

/* Lower bound of feature j (min |w_j|). If the init model gives the
 * feature no weight, that feasible point already attains 0. */
static int lower_bound(const fri_job *job, repro_fri_ws *ws, size_t j, int restart, fri_bound *r,
                       repro_error *err)
{
    r->value = 0.0;
    r->ok = 1;
    if (normalise(fabs(job->w[j]), job->L1) == 0.0)
        return REPRO_OK;
    /* The current path: if the init model without feature j still meets the
     * loss limit, that point attains 0 too (fri_ws.h). */
    if (!job->legacy && repro_fri_drop_feasible(job->ds->X, job->ds->y, job->ds->n, job->ds->d,
                                                job->w, job->b, j, job->lossmax))
        return REPRO_OK;
    double v = 0.0;
    if (restart)
        repro_fri_ws_restart(ws);
    int rc = repro_fri_ws_solve(ws, j, REPRO_FRI_LOWER, REPRO_FRI_PRIMAL, &v, err);
    return to_bound(rc, v, r);
}

/* A working-set solver for the data (probe column j permuted by perm, if
 * perm) warm-started from the init basis. */
static repro_fri_ws *item_solver(const fri_job *job, size_t j, const size_t *perm, repro_error *err)
{
    const repro_dataset *ds = job->ds;
    repro_fri_ws *ws = repro_fri_ws_new(ds->X, ds->y, ds->n, ds->d, j, perm, job->w, job->b,
                                        job->basis, job->l1max, job->lossmax, job->legacy != 2,
                                        job->legacy ? FRI_DELTA_LEGACY : FRI_DELTA, err);
    if (ws && !job->legacy) {
        repro_fri_ws_set_grow_band(ws, FRI_GROW_BAND);
        if (job->lossmax > 0.0)
            repro_fri_ws_set_shrink_band(ws, FRI_SHRINK_BAND);
    }
    return ws;
}

/* Work item `it`: items [0, n_chunks) are feature chunks writing the lower
 * and upper bounds (raw, not normalised) of their k-th feature to out[2k]
 * and out[2k + 1]; then n_probes upper probes and n_probes lower probes,
 * each writing out[0]. */
static int run_item(const fri_job *job, size_t it, fri_bound *out, size_t *n_lps, repro_error *err)
{
    const repro_dataset *ds = job->ds;
    repro_fri_ws *ws = NULL;
    int rc = REPRO_OK;
    if (it < job->n_chunks) {
        if (!(ws = item_solver(job, 0, NULL, err)))
            return REPRO_ENOMEM;
        /* The current path starts every bound LP from the init basis: the
         * previous LP's optimum (another feature's, or the other side's
         * extreme) is farther from the next optimum than the init model. */
        int restart = !job->legacy;
        size_t j0 = it * job->chunk, j1 = j0 + job->chunk;
        for (size_t j = j0; j < j1 && j < ds->d && rc == REPRO_OK; j++) {
            rc = lower_bound(job, ws, j, restart, &out[2 * (j - j0)], err);
            if (rc == REPRO_OK)
                rc = upper_bound(ws, j, restart, !job->legacy, job->w[j], &out[2 * (j - j0) + 1], err);
        }
    } else {
        size_t p = it - job->n_chunks, is_lo = p >= job->n_probes;
        fri_bound *probe = out;
        size_t q = is_lo ? p - job->n_probes : p;
        size_t j = is_lo ? job->lo_feat[q] : job->up_feat[q];
        const size_t *perm = (is_lo ? job->lo_perm : job->up_perm) + q * ds->n;
        int weighted = normalise(fabs(job->w[j]), job->L1) > 0.0;
        if (is_lo && (!weighted || (!job->legacy &&
                                    repro_fri_drop_feasible(ds->X, ds->y, ds->n, ds->d, job->w,
                                                            job->b, j, job->lossmax)))) {
            /* The init model ignores column j (or still meets the limits
             * without it), so that point stays feasible with the column
             * permuted and attains |w_j| = 0. */
            probe[0].value = 0.0;
            probe[0].ok = 1;
            return REPRO_OK;
        }
        if (!(ws = item_solver(job, j, perm, err)))
            return REPRO_ENOMEM;
        /* If the init model gives column j weight, permuting it leaves the
         * init basis primal infeasible and the probe may be infeasible: with
         * a zero objective every basis is dual feasible, so the dual simplex
         * cheaply restores feasibility or proves infeasibility. Otherwise the
         * init point stays feasible and the bound LPs start right away. */
        probe[0].ok = 1;
        if (weighted) {
            double v;
            rc = to_bound(repro_fri_ws_solve(ws, j, REPRO_FRI_FEASIBLE, REPRO_FRI_DUAL, &v, err), 0.0,
                          &probe[0]);
        }
        /* On non-separable data the current path starts both sides of an
         * upper probe from the init basis, as for a feature (the feasibility
         * solve still leaves its working set): on NL 4 the second side's dual
         * simplex took about 600 iterations from the first side's optimum,
         * 400 from the init basis. */
        int restart = !job->legacy && job->lossmax > 0.0;
        if (rc == REPRO_OK && probe[0].ok == 1)
            rc = is_lo ? lower_bound(job, ws, j, 0, &probe[0], err)
                       : upper_bound(ws, j, restart, !job->legacy, job->w[j], &probe[0], err);
    }
    *n_lps = repro_fri_ws_count(ws);
    repro_fri_ws_free(ws);
    return rc;
}

/* Fits the init model with C on all data: weights, L1, loss, the basis and
 * the training F1. */
static int init_model(const repro_dataset *ds, const repro_fri_lp *lp, double C,
                      repro_fri_init *res, unsigned char *basis, repro_error *err)
{
    double *obj = repro_malloc((size_t)lp->ncols, sizeof *obj, err);
    int *pred = repro_malloc(ds->n, sizeof *pred, err);
    repro_fri_solver *s = NULL;
    int rc = REPRO_ENOMEM;
    if (!obj || !pred)
        goto done;
    for (int c = 0; c < lp->ncols; c++)
        obj[c] = c < REPRO_FRI_B(lp) ? 1.0 : c == REPRO_FRI_B(lp) ? 0.0 : C;
    if (!(s = repro_fri_solver_new(lp, obj, err)))
        goto done;
    int st = repro_fri_solver_solve(s, REPRO_FRI_DUAL);
    res->n_lps += repro_fri_solver_count(s);
    if (st != REPRO_FRI_LP_OPTIMAL) {
        rc = repro_error_set(err, REPRO_EFAIL, "the init L1-SVM LP (C = %g) %s", C,
                             st == REPRO_FRI_LP_INFEASIBLE ? "is infeasible" : "failed in CLP");
        goto done;
    }
    const double *x = repro_fri_solver_solution(s);
    res->L1 = res->loss = 0.0;
    for (size_t j = 0; j < ds->d; j++) {
        res->w[j] = x[REPRO_FRI_WPOS(lp, j)] - x[REPRO_FRI_WNEG(lp, j)];
        res->L1 += x[REPRO_FRI_WPOS(lp, j)] + x[REPRO_FRI_WNEG(lp, j)];
    }
    res->b = x[REPRO_FRI_B(lp)];
    for (size_t i = 0; i < ds->n; i++)
        res->loss += x[REPRO_FRI_XI(lp, i)];
    for (size_t i = 0; i < ds->n; i++) {
        double v = res->b;
        for (size_t j = 0; j < ds->d; j++)
            v += res->w[j] * ds->X[i * ds->d + j];
        pred[i] = v > 0 ? 1 : -1;
    }
    res->train_f1 = repro_metrics_f1_weighted(ds->y, pred, ds->n);
    repro_fri_solver_get_basis(s, basis);
    rc = REPRO_OK;
done:
    repro_fri_solver_free(s);
    free(obj);
    free(pred);
    return rc;
}

int repro_fri_check(const repro_dataset *ds, const repro_fri_options *opt, repro_error *err)
{
    if (ds->n < 2 || ds->d < 1)
        return repro_error_set(err, REPRO_EINVAL, "FRI needs at least 2 samples and 1 feature, got %zu x %zu",
                               ds->n, ds->d);
    if (!(opt->C >= 0) || !isfinite(opt->C))
        return repro_error_set(err, REPRO_EINVAL, "FRI's C must be >= 0 (0 = search), got %g", opt->C);
    if (!(opt->fpr > 0 && opt->fpr < 1))
        return repro_error_set(err, REPRO_EINVAL, "FRI's fpr must be in (0, 1), got %g", opt->fpr);
    if (opt->cv != REPRO_FRI_CV_STRATIFIED && opt->cv != REPRO_FRI_CV_KFOLD)
        return repro_error_set(err, REPRO_EINVAL, "FRI's cv must be 0 (stratified) or 1 (kfold), got %d", opt->cv);
    if (opt->legacy < 0 || opt->legacy > 2)
        return repro_error_set(err, REPRO_EINVAL, "FRI's legacy must be 0, 1 or 2, got %d", opt->legacy);
    if (!(opt->w_l1_slack >= 0) || !(opt->loss_slack >= 0))
        return repro_error_set(err, REPRO_EINVAL, "FRI's slacks must be >= 0");
    for (size_t i = 0; i < ds->n; i++)
        if (ds->y[i] != 1 && ds->y[i] != -1)
            return repro_error_set(err, REPRO_EINVAL, "FRI needs labels -1/+1, row %zu has %d", i, ds->y[i]);
    return REPRO_OK;
}

/* Draws the probes' features and row permutations: all features first,
 * then the permutations in probe order. */
static void draw_probes(repro_rng *rng, size_t n_probes, size_t n, size_t d, size_t *feat,
                        size_t *perm)
{
    repro_rng_sample_replace(rng, feat, n_probes, d);
    for (size_t p = 0; p < n_probes; p++)
        repro_rng_permutation(rng, perm + p * n, n);
}

/* Collects the kept (feasible) normalised probe values into out. */
static size_t kept_probes(const fri_bound *b, size_t m, double L1, double *out)
{
    size_t k = 0;
    for (size_t p = 0; p < m; p++)
        if (b[p].ok == 1)
            out[k++] = normalise(b[p].value, L1);
    return k;
}

int repro_fri_probes_draw(repro_rng *rng, size_t n_probes, size_t n, size_t d, repro_fri_probes *pr,
                          repro_error *err)
{
    memset(pr, 0, sizeof *pr);
    pr->feat = repro_malloc(2 * n_probes + 1, sizeof *pr->feat, err);
    pr->perm = repro_malloc(2 * n_probes * n + 1, sizeof *pr->perm, err);
    if (!pr->feat || !pr->perm) {
        repro_fri_probes_clear(pr);
        return REPRO_ENOMEM;
    }
    pr->n_probes = n_probes;
    pr->n = n;
    draw_probes(rng, n_probes, n, d, pr->feat, pr->perm);
    draw_probes(rng, n_probes, n, d, pr->feat + n_probes, pr->perm + n_probes * n);
    return REPRO_OK;
}

void repro_fri_probes_clear(repro_fri_probes *pr)
{
    free(pr->feat);
    free(pr->perm);
    memset(pr, 0, sizeof *pr);
}

int repro_fri_init_fit(const repro_dataset *ds, double C, repro_fri_init *init, repro_error *err)
{
    memset(init, 0, sizeof *init);
    repro_fri_lp lp;
    memset(&lp, 0, sizeof lp);
    int rc = repro_fri_lp_build(ds->X, ds->y, ds->n, ds->d, NULL, ds->n, 0, NULL, &lp, err);
    if (rc)
        return rc;
    double t0 = now();
    init->d = ds->d;
    init->C = C;
    init->n_basis = (size_t)(lp.ncols + lp.nrows);
    init->w = repro_calloc(ds->d, sizeof *init->w, err);
    init->basis = repro_malloc(init->n_basis, 1, err);
    rc = init->w && init->basis ? init_model(ds, &lp, C, init, init->basis, err) : REPRO_ENOMEM;
    init->seconds = now() - t0;
    repro_fri_lp_free(&lp);
    if (rc)
        repro_fri_init_clear(init);
    return rc;
}

void repro_fri_init_clear(repro_fri_init *init)
{
    free(init->w);
    free(init->basis);
    memset(init, 0, sizeof *init);
}

size_t repro_fri_n_chunks(size_t d, const repro_fri_options *opt)
{
    size_t chunk = opt->legacy ? FRI_FEATURE_CHUNK_LEGACY : FRI_FEATURE_CHUNK;
    return (d + chunk - 1) / chunk;
}

size_t repro_fri_n_items(size_t d, const repro_fri_options *opt)
{
    return repro_fri_n_chunks(d, opt) + 2 * opt->n_probes;
}

int repro_fri_run_item(const repro_dataset *ds, const repro_fri_options *opt, const repro_fri_init *init,
                       const repro_fri_probes *pr, size_t it, repro_fri_item *out, repro_error *err)
{
    size_t n = ds->n, np = opt->n_probes;
    memset(out, 0, sizeof *out);
    if (it >= repro_fri_n_items(ds->d, opt) || pr->n_probes != np || pr->n != n || init->d != ds->d)
        return repro_error_set(err, REPRO_EINVAL, "FRI work item %zu does not match its data", it);
    fri_job job = {ds, init->basis, init->w, init->b, init->L1, (1.0 + opt->w_l1_slack) * init->L1,
                   (1.0 + opt->loss_slack) * init->loss, repro_fri_n_chunks(ds->d, opt), np, pr->feat,
                   pr->feat + np, pr->perm, pr->perm + np * n, opt->legacy,
                   opt->legacy ? FRI_FEATURE_CHUNK_LEGACY : FRI_FEATURE_CHUNK};
    double t0 = now();
    int rc = run_item(&job, it, out->bound, &out->n_lps, err);
    out->seconds = now() - t0;
    return rc;
}

int repro_fri_assemble(size_t d, const repro_fri_options *opt, const repro_fri_init *init,
                       const repro_fri_item *items, size_t search_lps, double t_search,
                       repro_fri_result *res, repro_error *err)
{
    memset(res, 0, sizeof *res);
    size_t np = opt->n_probes, chunk = opt->legacy ? FRI_FEATURE_CHUNK_LEGACY : FRI_FEATURE_CHUNK;
    size_t n_chunks = repro_fri_n_chunks(d, opt), n_items = n_chunks + 2 * np;
    res->d = d;
    res->classes = repro_calloc(d, sizeof *res->classes, err);
    res->bounds = repro_calloc(2 * d, sizeof *res->bounds, err);
    res->w = repro_calloc(d, sizeof *res->w, err);
    double *pv = repro_malloc(2 * np + 1, sizeof *pv, err);
    fri_bound *probe = repro_calloc(2 * np + 1, sizeof *probe, err);
    if (!res->classes || !res->bounds || !res->w || !pv || !probe) {
        free(pv), free(probe);
        repro_fri_result_clear(res);
        return REPRO_ENOMEM;
    }
    memcpy(res->w, init->w, d * sizeof *res->w);
    res->C = init->C;
    res->b = init->b;
    res->L1 = init->L1;
    res->loss = init->loss;
    res->train_f1 = init->train_f1;
    res->t_search = t_search;
    res->lps_search = search_lps;
    res->t_refit = init->seconds;
    res->lps_refit = init->n_lps;
    res->n_lps = search_lps + init->n_lps;
    for (size_t it = 0; it < n_items; it++) {
        res->n_lps += items[it].n_lps;
        *(it < n_chunks ? &res->t_bounds : &res->t_probes) += items[it].seconds;
        *(it < n_chunks ? &res->lps_bounds : &res->lps_probes) += items[it].n_lps;
        if (it >= n_chunks)
            probe[it - n_chunks] = items[it].bound[0];
    }
    for (size_t j = 0; j < d; j++) {
        /* A failed upper bound falls back on the init model's |w_j|, a
         * feasible value; a failed lower bound on 0. */
        const fri_bound *lu = &items[j / chunk].bound[2 * (j % chunk)];
        double up = lu[1].ok == 1 ? lu[1].value : fabs(res->w[j]);
        res->bounds[2 * j] = normalise(lu[0].value, res->L1);
        res->bounds[2 * j + 1] = normalise(up, res->L1);
    }
    res->n_up_probes = kept_probes(probe, np, res->L1, pv);
    res->n_lo_probes = kept_probes(probe + np, np, res->L1, pv + res->n_up_probes);
    repro_fri_classify(res->bounds, d, pv, res->n_up_probes, pv + res->n_up_probes, res->n_lo_probes,
                       opt->fpr, res->classes, res->thresholds);
    free(pv), free(probe);
    return REPRO_OK;
}

/* The stages of fri_stage.h in one process: the search (folds on threads),
 * the probes' draws, the init model, the work items on threads, the
 * assembly. */
int repro_fri_fit(repro_rng *rng, const repro_dataset *ds, const repro_fri_options *opt,
                  int threads, repro_fri_result *res, repro_error *err)
{
    memset(res, 0, sizeof *res);
    int rc = repro_fri_check(ds, opt, err);
    if (rc)
        return rc;
    size_t d = ds->d, search_lps = 0;
    if (threads < 1)
        threads = 1;
    double C = opt->C, t0 = now();
    if (C == 0.0 && (rc = repro_fri_search_C_cv(rng, ds, opt->n_search, threads, !opt->legacy, opt->cv, &C,
                                             &search_lps, err)))
        return rc;
    double t_search = now() - t0;
    size_t n_items = repro_fri_n_items(d, opt);
    repro_fri_probes pr;
    repro_fri_init init;
    memset(&init, 0, sizeof init);
    repro_fri_item *items = repro_calloc(n_items, sizeof *items, err);
    int *item_rc = repro_calloc(n_items, sizeof *item_rc, err);
    repro_error *item_err = repro_calloc(n_items, sizeof *item_err, err);
    if ((rc = repro_fri_probes_draw(rng, opt->n_probes, ds->n, d, &pr, err)))
        goto done;
    rc = REPRO_ENOMEM;
    if (!items || !item_rc || !item_err)
        goto done;
    if ((rc = repro_fri_init_fit(ds, C, &init, err)))
        goto done;
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
    for (size_t it = 0; it < n_items; it++)
        item_rc[it] = repro_fri_run_item(ds, opt, &init, &pr, it, &items[it], &item_err[it]);
    rc = REPRO_OK;
    for (size_t it = 0; it < n_items && rc == REPRO_OK; it++)
        if (item_rc[it]) {
            rc = item_rc[it];
            *err = item_err[it];
        }
    if (rc == REPRO_OK)
        rc = repro_fri_assemble(d, opt, &init, items, search_lps, t_search, res, err);
done:
    repro_fri_probes_clear(&pr);
    repro_fri_init_clear(&init);
    free(items), free(item_rc), free(item_err);
    return rc;
}
