/* fri_lp.c - FRI's LP matrix and a thin CLP wrapper (see fri_lp.h). */
#include "repro/fri_lp.h"

#include <coin/Clp_C_Interface.h>
#include <float.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(sizeof(CoinBigIndex) == sizeof(int), "CLP built with 64-bit indices");

struct repro_fri_solver {
    Clp_Simplex *clp;
    int ncols, nrows;
    size_t count;
};

/* Column-major fill of the margin rows, the two limit rows and the bounds. */
int repro_fri_lp_build(const double *X, const int *y, size_t n, size_t d, const size_t *rows,
                       size_t m, size_t perm_col, const size_t *perm, repro_fri_lp *lp,
                       repro_error *err)
{
    return repro_fri_lp_build_agg(X, y, n, d, rows, m, perm_col, perm, NULL, lp, err);
}

/* As repro_fri_lp_build, with agg's terms in the loss row. */
int repro_fri_lp_build_agg(const double *X, const int *y, size_t n, size_t d, const size_t *rows,
                           size_t m, size_t perm_col, const size_t *perm, const double *agg,
                           repro_fri_lp *lp, repro_error *err)
{
    memset(lp, 0, sizeof *lp);
    if (!rows)
        m = n;
    size_t ncols = 2 * d + 1 + m, nrows = m + 2;
    size_t nnz_max = 2 * d * (m + 2) + m + 1 + 2 * m;
    if (ncols >= INT_MAX / 2 || nnz_max >= INT_MAX / 2)
        return repro_error_set(err, REPRO_EINVAL, "FRI problem of %zu samples x %zu features is too large",
                               m, d);
    lp->m = m;
    lp->d = d;
    lp->ncols = (int)ncols;
    lp->nrows = (int)nrows;
    lp->start = repro_malloc(ncols + 1, sizeof *lp->start, err);
    lp->index = repro_malloc(nnz_max, sizeof *lp->index, err);
    lp->value = repro_malloc(nnz_max, sizeof *lp->value, err);
    lp->collb = repro_malloc(ncols, sizeof *lp->collb, err);
    lp->colub = repro_malloc(ncols, sizeof *lp->colub, err);
    lp->rowlb = repro_malloc(nrows, sizeof *lp->rowlb, err);
    lp->rowub = repro_malloc(nrows, sizeof *lp->rowub, err);
    if (!lp->start || !lp->index || !lp->value || !lp->collb || !lp->colub || !lp->rowlb ||
        !lp->rowub) {
        repro_fri_lp_free(lp);
        return REPRO_ENOMEM;
    }
    int nz = 0;
    /* w+ columns (sign +1) then w- columns (sign -1). */
    for (int sign = 1; sign >= -1; sign -= 2)
        for (size_t j = 0; j < d; j++) {
            lp->start[sign > 0 ? j : d + j] = nz;
            for (size_t i = 0; i < m; i++) {
                size_t r = rows ? rows[i] : i;
                size_t src = (perm && j == perm_col) ? perm[r] : r;
                double x = X[src * d + j];
                if (x == 0.0)
                    continue;
                lp->index[nz] = (int)i;
                lp->value[nz++] = sign * y[r] * x;
            }
            lp->index[nz] = (int)m;
            lp->value[nz++] = 1.0;
            if (agg && agg[j] != 0.0) {
                lp->index[nz] = (int)(m + 1);
                lp->value[nz++] = -sign * agg[j];
            }
        }
    lp->start[2 * d] = nz;
    for (size_t i = 0; i < m; i++) {
        lp->index[nz] = (int)i;
        lp->value[nz++] = y[rows ? rows[i] : i];
    }
    if (agg && agg[d] != 0.0) {
        lp->index[nz] = (int)(m + 1);
        lp->value[nz++] = -agg[d];
    }
    for (size_t i = 0; i < m; i++) {
        lp->start[2 * d + 1 + i] = nz;
        lp->index[nz] = (int)i;
        lp->value[nz++] = 1.0;
        lp->index[nz] = (int)(m + 1);
        lp->value[nz++] = 1.0;
    }
    lp->start[ncols] = nz;
    for (size_t c = 0; c < ncols; c++) {
        lp->collb[c] = 0.0;
        lp->colub[c] = DBL_MAX;
    }
    lp->collb[2 * d] = -DBL_MAX;
    for (size_t i = 0; i < m; i++) {
        lp->rowlb[i] = 1.0;
        lp->rowub[i] = DBL_MAX;
    }
    lp->rowlb[m] = lp->rowlb[m + 1] = -DBL_MAX;
    lp->rowub[m] = lp->rowub[m + 1] = DBL_MAX;
    return REPRO_OK;
}

void repro_fri_lp_free(repro_fri_lp *lp)
{
    if (!lp)
        return;
    free(lp->start);
    free(lp->index);
    free(lp->value);
    free(lp->collb);
    free(lp->colub);
    free(lp->rowlb);
    free(lp->rowub);
    memset(lp, 0, sizeof *lp);
}

/* A CLP model with lp loaded and its log silenced. */
repro_fri_solver *repro_fri_solver_new(const repro_fri_lp *lp, const double *obj, repro_error *err)
{
    repro_fri_solver *s = repro_calloc(1, sizeof *s, err);
    if (!s)
        return NULL;
    s->clp = Clp_newModel();
    if (!s->clp) {
        free(s);
        repro_error_set(err, REPRO_ENOMEM, "cannot create a CLP model");
        return NULL;
    }
    Clp_setLogLevel(s->clp, 0);
    /* The data are standardized; CLP's scaling only costs iterations here. */
    Clp_scaling(s->clp, 0);
    Clp_loadProblem(s->clp, lp->ncols, lp->nrows, lp->start, lp->index, lp->value, lp->collb,
                    lp->colub, obj, lp->rowlb, lp->rowub);
    s->ncols = lp->ncols;
    s->nrows = lp->nrows;
    return s;
}

void repro_fri_solver_free(repro_fri_solver *s)
{
    if (!s)
        return;
    Clp_deleteModel(s->clp);
    free(s);
}

void repro_fri_solver_set_obj(repro_fri_solver *s, const double *obj)
{
    Clp_chgObjCoefficients(s->clp, obj);
}

void repro_fri_solver_set_limits(repro_fri_solver *s, double l1max, double lossmax)
{
    double *ub = Clp_rowUpper(s->clp);
    ub[s->nrows - 2] = l1max;
    ub[s->nrows - 1] = lossmax;
}

void repro_fri_solver_set_cutoff(repro_fri_solver *s, double limit)
{
    Clp_setDualObjectiveLimit(s->clp, limit);
}

void repro_fri_solver_set_basis(repro_fri_solver *s, const unsigned char *status)
{
    Clp_copyinStatus(s->clp, status);
}

void repro_fri_solver_get_basis(repro_fri_solver *s, unsigned char *status)
{
    memcpy(status, Clp_statusArray(s->clp), (size_t)(s->ncols + s->nrows));
}

/* Maps CLP's status after a solve to ours. */
static int outcome(Clp_Simplex *clp)
{
    int st = Clp_status(clp);
    if (st == 0 && !Clp_isAbandoned(clp))
        return REPRO_FRI_LP_OPTIMAL;
    if (st == 1)
        return REPRO_FRI_LP_INFEASIBLE;
    return REPRO_FRI_LP_FAILED;
}

/* One simplex solve from the current basis, with one retry from scratch
 * on failure. */
int repro_fri_solver_solve(repro_fri_solver *s, int method)
{
    s->count++;
    if (method == REPRO_FRI_DUAL)
        Clp_dual(s->clp, 0);
    else
        Clp_primal(s->clp, 0);
    int rc = outcome(s->clp);
    if (rc != REPRO_FRI_LP_FAILED)
        return rc;
    /* Numerical trouble: restart from scratch with CLP's default method. */
    s->count++;
    Clp_copyinStatus(s->clp, NULL);
    Clp_initialSolve(s->clp);
    return outcome(s->clp);
}

double repro_fri_solver_objective(repro_fri_solver *s)
{
    return Clp_objectiveValue(s->clp);
}

const double *repro_fri_solver_solution(repro_fri_solver *s)
{
    return Clp_getColSolution(s->clp);
}

size_t repro_fri_solver_count(const repro_fri_solver *s)
{
    return s->count;
}
