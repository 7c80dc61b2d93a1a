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

/* Output of one LP-bound computation. */
typedef struct fri_bound {
    double value;
    int ok; /* 1 optimal/feasible, 0 infeasible (dropped), -1 failed */
} fri_bound;

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
 * column cannot meet the limits) is dropped after its first LP. With `cut`
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
    return repro_fri_ws_new(ds->X, ds->y, ds->n, ds->d, j, perm, job->w, job->b, job->basis,
                            job->l1max, job->lossmax, job->legacy != 2,
                            job->legacy ? FRI_DELTA_LEGACY : FRI_DELTA, err);
}

/* Work item `it`: items [0, n_chunks) are feature chunks writing lower/upper
 * (raw, not normalised) of their features; then n_probes upper probes and
 * n_probes lower probes, each writing probe[it - n_chunks]. */
static int run_item(const fri_job *job, size_t it, fri_bound *lower, fri_bound *upper,
                    fri_bound *probe, size_t *n_lps, repro_error *err)
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
            rc = lower_bound(job, ws, j, restart, &lower[j], err);
            if (rc == REPRO_OK)
                rc = upper_bound(ws, j, restart, !job->legacy, job->w[j], &upper[j], err);
        }
    } else {
        size_t p = it - job->n_chunks, is_lo = p >= job->n_probes;
        size_t q = is_lo ? p - job->n_probes : p;
        size_t j = is_lo ? job->lo_feat[q] : job->up_feat[q];
        const size_t *perm = (is_lo ? job->lo_perm : job->up_perm) + q * ds->n;
        int weighted = normalise(fabs(job->w[j]), job->L1) > 0.0;
        if (is_lo && !weighted) {
            /* The init model ignores column j, so it stays feasible with the
             * column permuted and attains |w_j| = 0. */
            probe[p].value = 0.0;
            probe[p].ok = 1;
            return REPRO_OK;
        }
        if (!(ws = item_solver(job, j, perm, err)))
            return REPRO_ENOMEM;
        /* If the init model gives column j weight, permuting it leaves the
         * init basis primal infeasible and the probe may be infeasible: with
         * a zero objective every basis is dual feasible, so the dual simplex
         * cheaply restores feasibility or proves infeasibility. Otherwise the
         * init point stays feasible and the bound LPs start right away. */
        probe[p].ok = 1;
        if (weighted) {
            double v;
            rc = to_bound(repro_fri_ws_solve(ws, j, REPRO_FRI_FEASIBLE, REPRO_FRI_DUAL, &v, err), 0.0,
                          &probe[p]);
        }
        if (rc == REPRO_OK && probe[p].ok == 1)
            rc = is_lo ? lower_bound(job, ws, j, 0, &probe[p], err)
                       : upper_bound(ws, j, 0, !job->legacy, job->w[j], &probe[p], err);
    }
    *n_lps = repro_fri_ws_count(ws);
    repro_fri_ws_free(ws);
    return rc;
}

/* Fits the init model with C on all data: weights, L1, loss, the basis and
 * the training F1. */
static int init_model(const repro_dataset *ds, const repro_fri_lp *lp, double C,
                      repro_fri_result *res, unsigned char *basis, repro_error *err)
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

/* Checks options and data shape. */
static int check_input(const repro_dataset *ds, const repro_fri_options *opt, repro_error *err)
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

int repro_fri_fit(repro_rng *rng, const repro_dataset *ds, const repro_fri_options *opt,
                  int threads, repro_fri_result *res, repro_error *err)
{
    memset(res, 0, sizeof *res);
    int rc = check_input(ds, opt, err);
    if (rc)
        return rc;
    size_t n = ds->n, d = ds->d, np = opt->n_probes;
    if (threads < 1)
        threads = 1;
    res->d = d;
    res->classes = repro_calloc(d, sizeof *res->classes, err);
    res->bounds = repro_calloc(2 * d, sizeof *res->bounds, err);
    res->w = repro_calloc(d, sizeof *res->w, err);
    if (!res->classes || !res->bounds || !res->w) {
        repro_fri_result_clear(res);
        return REPRO_ENOMEM;
    }
    res->C = opt->C;
    double t0 = now();
    if (res->C == 0.0 && (rc = repro_fri_search_C_cv(rng, ds, opt->n_search, threads,
                                                     !opt->legacy, opt->cv, &res->C,
                                                     &res->n_lps, err))) {
        repro_fri_result_clear(res);
        return rc;
    }
    res->t_search = now() - t0;
    res->lps_search = res->n_lps;
    repro_fri_lp lp;
    memset(&lp, 0, sizeof lp);
    size_t chunk = opt->legacy ? FRI_FEATURE_CHUNK_LEGACY : FRI_FEATURE_CHUNK;
    size_t n_chunks = (d + chunk - 1) / chunk, n_items = n_chunks + 2 * np;
    unsigned char *basis = NULL;
    size_t *feat = repro_malloc(2 * np + 1, sizeof *feat, err);
    size_t *perm = repro_malloc(2 * np * n + 1, sizeof *perm, err);
    fri_bound *lower = repro_calloc(d, sizeof *lower, err);
    fri_bound *upper = repro_calloc(d, sizeof *upper, err);
    fri_bound *probe = repro_calloc(2 * np + 1, sizeof *probe, err);
    double *pv = repro_malloc(2 * np + 1, sizeof *pv, err);
    int *item_rc = repro_calloc(n_items, sizeof *item_rc, err);
    size_t *item_lps = repro_calloc(n_items, sizeof *item_lps, err);
    double *item_t = repro_calloc(n_items, sizeof *item_t, err);
    repro_error *item_err = repro_calloc(n_items, sizeof *item_err, err);
    rc = REPRO_ENOMEM;
    if (!feat || !perm || !lower || !upper || !probe || !pv || !item_rc || !item_lps || !item_err || !item_t)
        goto done;
    draw_probes(rng, np, n, d, feat, perm);
    draw_probes(rng, np, n, d, feat + np, perm + np * n);
    if ((rc = repro_fri_lp_build(ds->X, ds->y, n, d, NULL, n, 0, NULL, &lp, err)))
        goto done;
    rc = REPRO_ENOMEM;
    if (!(basis = repro_malloc((size_t)(lp.ncols + lp.nrows), 1, err)))
        goto done;
    t0 = now();
    if ((rc = init_model(ds, &lp, res->C, res, basis, err)))
        goto done;
    res->t_refit = now() - t0;
    res->lps_refit = res->n_lps - res->lps_search;
    fri_job job = {ds, basis, res->w, res->b, res->L1, (1.0 + opt->w_l1_slack) * res->L1,
                   (1.0 + opt->loss_slack) * res->loss, n_chunks, np, feat, feat + np, perm,
                   perm + np * n, opt->legacy, chunk};
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
    for (size_t it = 0; it < n_items; it++) {
        double ti = now();
        item_rc[it] = run_item(&job, it, lower, upper, probe, &item_lps[it], &item_err[it]);
        item_t[it] = now() - ti;
    }
    rc = REPRO_OK;
    for (size_t it = 0; it < n_items; it++) {
        res->n_lps += item_lps[it];
        *(it < n_chunks ? &res->t_bounds : &res->t_probes) += item_t[it];
        *(it < n_chunks ? &res->lps_bounds : &res->lps_probes) += item_lps[it];
        if (item_rc[it] && rc == REPRO_OK) {
            rc = item_rc[it];
            *err = item_err[it];
        }
    }
    if (rc)
        goto done;
    for (size_t j = 0; j < d; j++) {
        /* A failed upper bound falls back on the init model's |w_j|, a
         * feasible value; a failed lower bound on 0. */
        double up = upper[j].ok == 1 ? upper[j].value : fabs(res->w[j]);
        res->bounds[2 * j] = normalise(lower[j].value, res->L1);
        res->bounds[2 * j + 1] = normalise(up, res->L1);
    }
    res->n_up_probes = kept_probes(probe, np, res->L1, pv);
    res->n_lo_probes = kept_probes(probe + np, np, res->L1, pv + res->n_up_probes);
    repro_fri_classify(res->bounds, d, pv, res->n_up_probes, pv + res->n_up_probes, res->n_lo_probes,
                       opt->fpr, res->classes, res->thresholds);
done:
    repro_fri_lp_free(&lp);
    free(basis), free(feat), free(perm), free(lower), free(upper), free(probe), free(pv);
    free(item_rc), free(item_lps), free(item_err), free(item_t);
    if (rc)
        repro_fri_result_clear(res);
    return rc;
}
