/* fri_ws.c - relevance-bound LPs on a growing working set of samples (see
 * fri_ws.h). */
#include "repro/fri_ws.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Samples with a margin below 1 + delta join the working set (delta is a
 * parameter of repro_fri_ws_new). */
/* A left-out margin counts as violated below 1 - FRI_WS_TOL (CLP's primal
 * feasibility tolerance). */
#define FRI_WS_TOL 1e-7
/* An aggregated margin counts as exceeded above 1 + FRI_WS_TOL_V: tighter,
 * since the small negative slacks of many aggregated samples add up in the
 * loss row. */
#define FRI_WS_TOL_V 1e-9

/* With aggregation, samples with a margin below 1 - delta under the init
 * model (and, for a probe, on the permuted data) start aggregated. */
/* Times a sample may leave R again (shrink, within one solver's life): a
 * finite number keeps every solve's rounds finite, since R can then only
 * grow once each sample has used them. */
#define FRI_WS_MAX_DROPS 4

/* pos[] of a sample left out (margin assumed >= 1, slack 0) and of an
 * aggregated one (margin assumed <= 1, slack 1 - margin in the loss row). */
enum { WS_OUT = -1, WS_AGG = -2 };

/* CLP status codes (ClpSimplex::Status). */
enum { CLP_BASIC = 1, CLP_AT_LOWER = 3 };

struct repro_fri_ws {
    const double *X;
    const int *y;
    size_t n, d, perm_col;
    const size_t *perm;
    double l1max, lossmax;
    size_t *R;      /* working rows, increasing */
    size_t nR;
    int *pos;       /* pos[i] = position of sample i in R, or WS_OUT / WS_AGG */
    int aggregate;  /* 1: margin violators may be aggregated into the loss row */
    double delta;   /* margin band around 1 of the initial R */
    double band;    /* margin band around 1 of the samples moved into R by grow */
    size_t nV;      /* aggregated samples */
    double *agg;    /* d + 1 sums over them: y_i x_i, y_i */
    repro_fri_lp lp;
    repro_fri_solver *s;
    double *obj;    /* objective of the current LP (sized for all n rows) */
    unsigned char *status; /* scratch basis, sized for all n rows */
    unsigned char *init;   /* the init basis on the full problem */
    double *margin; /* scratch margins */
    size_t count;   /* solves of solvers already freed */
    double cutoff;  /* dual objective limit of the solves (DBL_MAX: none) */
    double shrink;  /* shrink band (0: R only grows) */
    unsigned char *drops; /* times each sample left R by shrinking */
    int nomem;      /* a restart could not reload: the next solve fails */
    int *pos0;      /* pos[] of the initial R (restart with shrinking) */
};

/* Feature k of sample i, with the probe's permutation applied. */
static double feature(const repro_fri_ws *ws, size_t i, size_t k)
{
    size_t src = (ws->perm && k == ws->perm_col) ? ws->perm[i] : i;
    return ws->X[src * ws->d + k];
}

/* Margins y_i (w.x_i + b) of every sample. */
static void margins(const repro_fri_ws *ws, const double *w, double b, double *out)
{
    for (size_t i = 0; i < ws->n; i++) {
        double v = b;
        for (size_t k = 0; k < ws->d; k++)
            v += w[k] * feature(ws, i, k);
        out[i] = ws->y[i] * v;
    }
}

/* Builds the LP over R and a solver for it carrying the basis in
 * ws->status (laid out for the new R). */
static int load(repro_fri_ws *ws, repro_error *err)
{
    repro_fri_solver_free(ws->s);
    ws->s = NULL;
    repro_fri_lp_free(&ws->lp);
    size_t d = ws->d;
    ws->nV = 0;
    if (ws->aggregate) {
        memset(ws->agg, 0, (d + 1) * sizeof *ws->agg);
        for (size_t i = 0; i < ws->n; i++) {
            if (ws->pos[i] != WS_AGG)
                continue;
            ws->nV++;
            for (size_t k = 0; k < d; k++)
                ws->agg[k] += ws->y[i] * feature(ws, i, k);
            ws->agg[d] += ws->y[i];
        }
    }
    int rc = repro_fri_lp_build_agg(ws->X, ws->y, ws->n, d, ws->R, ws->nR, ws->perm_col, ws->perm,
                                    ws->nV ? ws->agg : NULL, &ws->lp, err);
    if (rc)
        return rc;
    memset(ws->obj, 0, (size_t)ws->lp.ncols * sizeof *ws->obj);
    ws->s = repro_fri_solver_new(&ws->lp, ws->obj, err);
    if (!ws->s)
        return REPRO_ENOMEM;
    repro_fri_solver_set_limits(ws->s, ws->l1max, ws->lossmax - (double)ws->nV);
    repro_fri_solver_set_cutoff(ws->s, ws->cutoff);
    /* A degenerate init basis (a left-out row whose zero slack was basic)
     * would leave the wrong number of basics: then start from scratch. */
    size_t basics = 0, total = (size_t)(ws->lp.ncols + ws->lp.nrows);
    for (size_t k = 0; k < total; k++)
        basics += (ws->status[k] & 7) == CLP_BASIC;
    if (basics == (size_t)ws->lp.nrows)
        repro_fri_solver_set_basis(ws->s, ws->status);
    return REPRO_OK;
}

/* The init basis restricted to R, into ws->status: a left-out sample's
 * margin exceeds 1, so its row was basic and its slack at zero; dropping
 * both keeps the basis square; so does dropping an aggregated sample's row
 * (at its bound) and slack (basic). R only grows, so this holds for every R. */
static void init_status(repro_fri_ws *ws)
{
    size_t c0 = 2 * ws->d + 1, ncols = c0 + ws->n, nc = c0 + ws->nR;
    memcpy(ws->status, ws->init, c0);
    for (size_t p = 0; p < ws->nR; p++) {
        ws->status[c0 + p] = ws->init[c0 + ws->R[p]];
        ws->status[nc + p] = ws->init[ncols + ws->R[p]];
    }
    ws->status[nc + ws->nR] = ws->init[ncols + ws->n];
    ws->status[nc + ws->nR + 1] = ws->init[ncols + ws->n + 1];
}

void repro_fri_ws_restart(repro_fri_ws *ws)
{
    /* With shrinking, R follows the previous solution: go back to the
     * initial R (around the init model's margins, consistent with its
     * basis) and let each sample leave R again as often as at first. */
    if (ws->shrink > 0.0 && memcmp(ws->pos, ws->pos0, ws->n * sizeof *ws->pos)) {
        memcpy(ws->pos, ws->pos0, ws->n * sizeof *ws->pos);
        memset(ws->drops, 0, ws->n);
        size_t nR = 0;
        for (size_t i = 0; i < ws->n; i++)
            if (ws->pos[i] >= 0)
                ws->R[nR++] = i;
        ws->nR = nR;
        ws->count += repro_fri_solver_count(ws->s);
        init_status(ws);
        ws->nomem = load(ws, NULL) != REPRO_OK;
        return;
    }
    if (ws->shrink > 0.0)
        memset(ws->drops, 0, ws->n);
    init_status(ws);
    size_t basics = 0, total = (size_t)(ws->lp.ncols + ws->lp.nrows);
    for (size_t k = 0; k < total; k++)
        basics += (ws->status[k] & 7) == CLP_BASIC;
    if (basics == (size_t)ws->lp.nrows)
        repro_fri_solver_set_basis(ws->s, ws->status);
}

repro_fri_ws *repro_fri_ws_new(const double *X, const int *y, size_t n, size_t d, size_t perm_col,
                               const size_t *perm, const double *w0, double b0,
                               const unsigned char *basis, double l1max, double lossmax,
                               int aggregate, double delta, repro_error *err)
{
    repro_fri_ws *ws = repro_calloc(1, sizeof *ws, err);
    if (!ws)
        return NULL;
    ws->delta = delta;
    ws->band = delta;
    ws->cutoff = DBL_MAX;
    ws->aggregate = aggregate;
    ws->X = X, ws->y = y, ws->n = n, ws->d = d, ws->perm_col = perm_col, ws->perm = perm;
    ws->l1max = l1max, ws->lossmax = lossmax;
    size_t ncols = 2 * d + 1 + n, nrows = n + 2;
    ws->R = repro_malloc(n, sizeof *ws->R, err);
    ws->pos = repro_malloc(n, sizeof *ws->pos, err);
    ws->obj = repro_malloc(ncols, sizeof *ws->obj, err);
    ws->status = repro_malloc(ncols + nrows, 1, err);
    ws->margin = repro_malloc(n, sizeof *ws->margin, err);
    ws->agg = repro_malloc(d + 1, sizeof *ws->agg, err);
    ws->init = repro_malloc(ncols + nrows, 1, err);
    ws->drops = repro_calloc(n, 1, err);
    ws->pos0 = repro_malloc(n, sizeof *ws->pos0, err);
    if (!ws->R || !ws->pos || !ws->obj || !ws->status || !ws->margin || !ws->agg || !ws->init ||
        !ws->drops || !ws->pos0) {
        repro_fri_ws_free(ws);
        return NULL;
    }
    /* R: near the margin on the original data (so the init basis, which is
     * for the original data, has every left-out row basic) or, for a probe,
     * on the permuted data. */
    ws->perm = NULL;
    margins(ws, w0, b0, ws->margin);
    ws->perm = perm;
    double *pm = ws->obj; /* scratch, n <= ncols */
    margins(ws, w0, b0, pm);
    size_t c0 = 2 * d + 1;
    for (size_t i = 0; i < n; i++) {
        ws->pos[i] = WS_OUT;
        /* Aggregated only if the init basis has the slack basic and the
         * margin row at its bound, so that dropping both keeps it square. */
        if (aggregate && ws->margin[i] < 1.0 - ws->delta && pm[i] < 1.0 - ws->delta &&
            (basis[c0 + i] & 7) == CLP_BASIC && (basis[ncols + i] & 7) != CLP_BASIC) {
            ws->pos[i] = WS_AGG;
        } else if (ws->margin[i] < 1.0 + ws->delta || pm[i] < 1.0 + ws->delta) {
            ws->pos[i] = (int)ws->nR;
            ws->R[ws->nR++] = i;
        }
    }
    memcpy(ws->init, basis, ncols + nrows);
    memcpy(ws->pos0, ws->pos, n * sizeof *ws->pos0);
    init_status(ws);
    if (load(ws, err)) {
        repro_fri_ws_free(ws);
        return NULL;
    }
    return ws;
}

void repro_fri_ws_free(repro_fri_ws *ws)
{
    if (!ws)
        return;
    repro_fri_solver_free(ws->s);
    repro_fri_lp_free(&ws->lp);
    free(ws->R), free(ws->pos), free(ws->obj), free(ws->status), free(ws->margin), free(ws->agg);
    free(ws->init);
    free(ws->drops);
    free(ws->pos0);
    free(ws);
}

/* If a left-out margin is violated (below 1) or an aggregated one is
 * exceeded (above 1), moves the left-out samples with margin below
 * 1 + ws->band and the aggregated ones above 1 - ws->band into R
 * and reloads with the current basis extended: a left-out sample brings a
 * basic row and a zero slack, an aggregated one its row at its bound and a
 * basic slack (the same point and duals, so the basis stays dual feasible).
 * With a shrink band, samples of R far from the margin at this point leave
 * it at the same time: those above 1 + shrink with their row basic and zero
 * slack non-basic are left out, those below 1 - shrink with their slack
 * basic and row at its bound are aggregated; dropping such a row with its
 * slack keeps the basis square, the point and the duals, and the next
 * round's check covers them again. Returns 1 if R changed, 0 if the
 * solution is feasible for all samples, or -1 on allocation failure. */
static int grow(repro_fri_ws *ws, const double *x, repro_error *err)
{
    const repro_fri_lp *lp = &ws->lp;
    double *w = ws->obj; /* scratch: the objective is rebuilt on reload */
    size_t d = ws->d;
    for (size_t k = 0; k < d; k++)
        w[k] = x[REPRO_FRI_WPOS(lp, k)] - x[REPRO_FRI_WNEG(lp, k)];
    margins(ws, w, x[REPRO_FRI_B(lp)], ws->margin);
    int violated = 0;
    for (size_t i = 0; i < ws->n && !violated; i++)
        violated = (ws->pos[i] == WS_OUT && ws->margin[i] < 1.0 - FRI_WS_TOL) ||
                   (ws->pos[i] == WS_AGG && ws->margin[i] > 1.0 + FRI_WS_TOL_V);
    if (!violated)
        return 0;
    unsigned char *old = repro_malloc((size_t)(lp->ncols + lp->nrows), 1, err);
    if (!old)
        return -1;
    repro_fri_solver_get_basis(ws->s, old);
    size_t old_nR = ws->nR, old_nc = 2 * d + 1 + old_nR;
    /* New R: the old rows that stay plus the new ones, in sample order. */
    size_t nR = 0, c0 = 2 * d + 1;
    for (size_t i = 0; i < ws->n; i++) {
        int q = ws->pos[i];
        if (q >= 0 && ws->shrink > 0.0 && ws->drops[i] < FRI_WS_MAX_DROPS) {
            unsigned char xs = old[c0 + (size_t)q] & 7, rs = old[old_nc + (size_t)q] & 7;
            int out = ws->margin[i] > 1.0 + ws->shrink && rs == CLP_BASIC && xs == CLP_AT_LOWER;
            int agg = ws->aggregate && ws->margin[i] < 1.0 - ws->shrink && xs == CLP_BASIC &&
                      rs != CLP_BASIC;
            if (out || agg) {
                ws->pos[i] = out ? WS_OUT : WS_AGG;
                ws->drops[i]++;
                continue;
            }
        }
        if (q >= 0 || (q == WS_OUT && ws->margin[i] < 1.0 + ws->band) ||
            (q == WS_AGG && ws->margin[i] > 1.0 - ws->band))
            ws->R[nR++] = i;
    }
    size_t nc = c0 + nR;
    memcpy(ws->status, old, c0);
    for (size_t p = 0; p < nR; p++) {
        int q = ws->pos[ws->R[p]];
        ws->status[c0 + p] = q >= 0 ? old[c0 + (size_t)q] : q == WS_OUT ? CLP_AT_LOWER : CLP_BASIC;
        ws->status[nc + p] = q >= 0 ? old[old_nc + (size_t)q] : q == WS_OUT ? CLP_BASIC : CLP_AT_LOWER;
    }
    ws->status[nc + nR] = old[old_nc + old_nR];
    ws->status[nc + nR + 1] = old[old_nc + old_nR + 1];
    for (size_t p = 0; p < nR; p++)
        ws->pos[ws->R[p]] = (int)p;
    ws->nR = nR;
    ws->count += repro_fri_solver_count(ws->s);
    free(old);
    return load(ws, err) ? -1 : 1;
}

int repro_fri_ws_solve(repro_fri_ws *ws, size_t j, int kind, int first_method, double *value,
                       repro_error *err)
{
    int method = first_method;
    if (ws->nomem) {
        repro_error_set(err, REPRO_ENOMEM, "out of memory reloading an FRI working set");
        return REPRO_FRI_WS_NOMEM;
    }
    for (;;) {
        const repro_fri_lp *lp = &ws->lp;
        int cp = REPRO_FRI_WPOS(lp, j), cn = REPRO_FRI_WNEG(lp, j);
        memset(ws->obj, 0, (size_t)lp->ncols * sizeof *ws->obj);
        if (kind == REPRO_FRI_LOWER) {
            ws->obj[cp] = ws->obj[cn] = 1.0;
        } else if (kind != REPRO_FRI_FEASIBLE) {
            ws->obj[cp] = -kind;
            ws->obj[cn] = kind;
        }
        repro_fri_solver_set_obj(ws->s, ws->obj);
        int rc = repro_fri_solver_solve(ws->s, method);
        if (rc != REPRO_FRI_LP_OPTIMAL)
            return rc; /* an infeasible relaxation proves infeasibility */
        double v = repro_fri_solver_objective(ws->s);
        if (v > ws->cutoff) {
            /* relaxed minimum above the cutoff: so is the full one */
            *value = kind == REPRO_FRI_LOWER ? v : -v;
            return REPRO_FRI_LP_OPTIMAL;
        }
        int g = grow(ws, repro_fri_solver_solution(ws->s), err);
        if (g < 0)
            return REPRO_FRI_WS_NOMEM;
        if (g == 0) {
            *value = kind == REPRO_FRI_LOWER ? v : kind == REPRO_FRI_FEASIBLE ? 0.0 : -v;
            return REPRO_FRI_LP_OPTIMAL;
        }
        /* Same objective, more rows: the basis stays dual feasible. */
        method = REPRO_FRI_DUAL;
    }
}

void repro_fri_ws_set_grow_band(repro_fri_ws *ws, double band)
{
    ws->band = band;
}

void repro_fri_ws_set_shrink_band(repro_fri_ws *ws, double band)
{
    ws->shrink = band;
}

void repro_fri_ws_set_cutoff(repro_fri_ws *ws, double cutoff)
{
    ws->cutoff = cutoff;
    if (ws->s)
        repro_fri_solver_set_cutoff(ws->s, cutoff);
}

int repro_fri_drop_feasible(const double *X, const int *y, size_t n, size_t d, const double *w,
                            double b, size_t j, double lossmax)
{
    double loss = 0.0;
    for (size_t i = 0; i < n; i++) {
        const double *x = X + i * d;
        double v = b;
        for (size_t k = 0; k < d; k++)
            if (k != j)
                v += w[k] * x[k];
        double h = 1.0 - y[i] * v;
        if (h > 0.0)
            loss += h;
    }
    return loss <= lossmax - 1e-9 * (1.0 + fabs(lossmax));
}

size_t repro_fri_ws_count(const repro_fri_ws *ws)
{
    return ws->count + (ws->s ? repro_fri_solver_count(ws->s) : 0);
}

size_t repro_fri_ws_rows(const repro_fri_ws *ws)
{
    return ws->nR;
}
