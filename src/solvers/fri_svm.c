/* fri_svm.c - FRI's init model: the L1-SVM LP and the random search for C
 * scored by stratified cross-validation (ALGORITHMS.md §8 step 1). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "repro/cv.h"
#include "repro/fri.h"
#include "repro/fri_stage.h"
#include "repro/fri_lp.h"
#include "repro/metrics.h"
#include "repro/stats.h"

#define FRI_FOLDS REPRO_FRI_FOLDS

/* The L1-SVM objective: 1 on every |w_j| part, C on every slack. */
static void svm_objective(const repro_fri_lp *lp, double C, double *obj)
{
    for (int c = 0; c < lp->ncols; c++)
        obj[c] = c < REPRO_FRI_B(lp) ? 1.0 : c == REPRO_FRI_B(lp) ? 0.0 : C;
}

/* Reads w = w+ - w- and b from a solution. */
static void svm_weights(const repro_fri_lp *lp, const double *x, double *w, double *b)
{
    for (size_t j = 0; j < lp->d; j++)
        w[j] = x[REPRO_FRI_WPOS(lp, j)] - x[REPRO_FRI_WNEG(lp, j)];
    *b = x[REPRO_FRI_B(lp)];
}

int repro_fri_l1svm(const double *X, const int *y, size_t n, size_t d, double C, double *w,
                    double *b, double *objective, repro_error *err)
{
    repro_fri_lp lp;
    int rc = repro_fri_lp_build(X, y, n, d, NULL, n, 0, NULL, &lp, err);
    if (rc)
        return rc;
    double *obj = repro_malloc((size_t)lp.ncols, sizeof *obj, err);
    repro_fri_solver *s = obj ? (svm_objective(&lp, C, obj), repro_fri_solver_new(&lp, obj, err)) : NULL;
    if (!s) {
        free(obj);
        repro_fri_lp_free(&lp);
        return REPRO_ENOMEM;
    }
    rc = repro_fri_solver_solve(s, REPRO_FRI_DUAL);
    if (rc == REPRO_FRI_LP_OPTIMAL) {
        svm_weights(&lp, repro_fri_solver_solution(s), w, b);
        *objective = repro_fri_solver_objective(s);
        rc = REPRO_OK;
    } else {
        rc = repro_error_set(err, REPRO_EFAIL, "the L1-SVM LP with C = %g %s", C,
                             rc == REPRO_FRI_LP_INFEASIBLE ? "is infeasible" : "failed in CLP");
    }
    repro_fri_solver_free(s);
    free(obj);
    repro_fri_lp_free(&lp);
    return rc;
}

/* CLP status of a non-basic column at its lower bound (ClpSimplex::Status). */
#define FRI_CLP_AT_LOWER 3

/* 1 if no slack column of the basis `status` is basic (all at zero, non-
 * basic): the duals then do not depend on C, a larger C only raises the
 * slacks' reduced costs, and the basis stays optimal for every larger C. */
static int slacks_nonbasic(const repro_fri_lp *lp, const unsigned char *status)
{
    for (size_t i = 0; i < lp->m; i++)
        if ((status[REPRO_FRI_XI(lp, i)] & 7) != FRI_CLP_AT_LOWER)
            return 0;
    return 1;
}

/* One fold of the search: fits every C (in the given order, ascending, each
 * solve warm-started from the previous optimum) on the training rows and
 * writes the weighted F1 on the test rows to score[k], NAN when the LP
 * failed. With `shortcut`, once an optimal basis has every slack non-basic
 * (slacks_nonbasic) the later, larger C's would restart from an optimal
 * basis with zero pivots and the same point: they get its score unsolved.
 * Only reads shared data, so folds may run concurrently. */
static int search_fold(const repro_dataset *ds, const int *fold, int f, const double *Cs,
                       const size_t *order, size_t n_search, int shortcut, double *score,
                       size_t *n_lps, repro_error *err)
{
    size_t n = ds->n, d = ds->d, n_train, n_test;
    size_t *train = repro_malloc(n, sizeof *train, err);
    size_t *test = repro_malloc(n, sizeof *test, err);
    int *yt = repro_malloc(n, sizeof *yt, err);
    int *pred = repro_malloc(n, sizeof *pred, err);
    double *w = repro_malloc(d ? d : 1, sizeof *w, err);
    repro_fri_lp lp;
    memset(&lp, 0, sizeof lp);
    double *obj = NULL;
    repro_fri_solver *s = NULL;
    unsigned char *status = NULL;
    int rc = REPRO_ENOMEM;
    if (!train || !test || !yt || !pred || !w)
        goto done;
    repro_cv_split(fold, n, f, train, &n_train, test, &n_test);
    rc = repro_fri_lp_build(ds->X, ds->y, n, d, train, n_train, 0, NULL, &lp, err);
    if (rc)
        goto done;
    rc = REPRO_ENOMEM;
    obj = repro_malloc((size_t)lp.ncols, sizeof *obj, err);
    status = repro_malloc((size_t)(lp.ncols + lp.nrows), 1, err);
    if (!obj || !status)
        goto done;
    svm_objective(&lp, 1.0, obj);
    if (!(s = repro_fri_solver_new(&lp, obj, err)))
        goto done;
    for (size_t t = 0; t < n_test; t++)
        yt[t] = ds->y[test[t]];
    for (size_t o = 0; o < n_search; o++) {
        size_t k = order[o];
        svm_objective(&lp, Cs[k], obj);
        repro_fri_solver_set_obj(s, obj);
        /* The first solve starts from the slack basis, dual feasible for the
         * SVM's non-negative costs; later ones only change costs. */
        int method = o == 0 ? REPRO_FRI_DUAL : REPRO_FRI_PRIMAL;
        if (repro_fri_solver_solve(s, method) != REPRO_FRI_LP_OPTIMAL) {
            score[k] = NAN;
            continue;
        }
        double b;
        svm_weights(&lp, repro_fri_solver_solution(s), w, &b);
        for (size_t t = 0; t < n_test; t++) {
            const double *x = ds->X + test[t] * d;
            double v = b;
            for (size_t j = 0; j < d; j++)
                v += w[j] * x[j];
            pred[t] = v > 0 ? 1 : -1;
        }
        score[k] = repro_metrics_f1_weighted(yt, pred, n_test);
        if (!shortcut)
            continue;
        repro_fri_solver_get_basis(s, status);
        if (slacks_nonbasic(&lp, status)) {
            for (size_t o2 = o + 1; o2 < n_search; o2++)
                score[order[o2]] = score[k];
            break;
        }
    }
    *n_lps = repro_fri_solver_count(s);
    rc = REPRO_OK;
done:
    repro_fri_solver_free(s);
    free(obj);
    free(status);
    repro_fri_lp_free(&lp);
    free(train), free(test), free(yt), free(pred), free(w);
    return rc;
}

void repro_fri_search_draw(repro_rng *rng, size_t n_search, double *Cs)
{
    for (size_t k = 0; k < n_search; k++)
        Cs[k] = pow(10.0, repro_rng_uniform(rng, -5.0, 5.0));
}

/* The order of the C values a fold solves them in: by C ascending (ties by
 * draw index), so that each warm start begins from the optimum of the
 * nearest smaller C. */
static void search_order(const double *Cs, size_t n_search, size_t *order)
{
    for (size_t k = 0; k < n_search; k++)
        order[k] = k;
    repro_sort_index_stable(Cs, order, n_search);
}

/* The search's folds by rule cv (repro_fri_options.cv): stratified, or
 * contiguous blocks of rows as the published code's search had. */
static int search_folds(const repro_dataset *ds, int cv, int *fold, repro_error *err)
{
    return cv == REPRO_FRI_CV_KFOLD ? repro_cv_kfold_folds(ds->n, FRI_FOLDS, fold, err)
                                    : repro_cv_stratified_folds(ds->y, ds->n, FRI_FOLDS, fold, err);
}

int repro_fri_search_fold(const repro_dataset *ds, const double *Cs, size_t n_search, int f, int shortcut,
                          int cv, double *score, size_t *n_lps, repro_error *err)
{
    if (n_search < 1 || f < 0 || f >= FRI_FOLDS || ds->n < FRI_FOLDS)
        return repro_error_set(err, REPRO_EINVAL, "FRI's search fold %d of %d: bad arguments", f, FRI_FOLDS);
    size_t *order = repro_malloc(n_search, sizeof *order, err);
    int *fold = repro_malloc(ds->n, sizeof *fold, err);
    int rc = REPRO_ENOMEM;
    if (order && fold && (rc = search_folds(ds, cv, fold, err)) == REPRO_OK) {
        search_order(Cs, n_search, order);
        size_t lps = 0;
        rc = search_fold(ds, fold, f, Cs, order, n_search, shortcut, score, &lps, err);
        *n_lps += lps;
    }
    free(order), free(fold);
    return rc;
}

int repro_fri_search_pick(const double *Cs, const double *score, size_t n_search, double *best_C,
                          repro_error *err)
{
    /* Mean over the folds whose LP succeeded; the first best C wins. */
    double best = -1.0;
    size_t arg = n_search;
    for (size_t k = 0; k < n_search; k++) {
        double sum = 0.0;
        int cnt = 0;
        for (int f = 0; f < FRI_FOLDS; f++)
            if (!isnan(score[(size_t)f * n_search + k])) {
                sum += score[(size_t)f * n_search + k];
                cnt++;
            }
        if (cnt && sum / cnt > best) {
            best = sum / cnt;
            arg = k;
        }
    }
    if (arg == n_search)
        return repro_error_set(err, REPRO_EFAIL, "every L1-SVM LP of FRI's search for C failed");
    *best_C = Cs[arg];
    return REPRO_OK;
}

int repro_fri_search_C(repro_rng *rng, const repro_dataset *ds, size_t n_search, int threads,
                       int shortcut, double *best_C, size_t *n_lps, repro_error *err)
{
    return repro_fri_search_C_cv(rng, ds, n_search, threads, shortcut, REPRO_FRI_CV_STRATIFIED, best_C,
                                 n_lps, err);
}

int repro_fri_search_C_cv(repro_rng *rng, const repro_dataset *ds, size_t n_search, int threads,
                          int shortcut, int cv, double *best_C, size_t *n_lps, repro_error *err)
{
    if (n_search < 1)
        return repro_error_set(err, REPRO_EINVAL, "FRI's search needs at least one C value");
    if (ds->n < FRI_FOLDS)
        return repro_error_set(err, REPRO_EINVAL, "FRI's %d-fold search needs at least %d samples, got %zu",
                               FRI_FOLDS, FRI_FOLDS, ds->n);
    double *Cs = repro_malloc(n_search, sizeof *Cs, err);
    size_t *order = repro_malloc(n_search, sizeof *order, err);
    double *score = repro_malloc(FRI_FOLDS * n_search, sizeof *score, err);
    int *fold = repro_malloc(ds->n, sizeof *fold, err);
    if (!Cs || !order || !score || !fold) {
        free(Cs), free(order), free(score), free(fold);
        return REPRO_ENOMEM;
    }
    repro_fri_search_draw(rng, n_search, Cs);
    search_order(Cs, n_search, order);
    int rc = search_folds(ds, cv, fold, err);
    int frc[FRI_FOLDS] = {0};
    size_t flps[FRI_FOLDS] = {0};
    repro_error ferr[FRI_FOLDS];
    if (rc == REPRO_OK) {
        int nt = threads < FRI_FOLDS ? threads : FRI_FOLDS;
#pragma omp parallel for num_threads(nt) schedule(static, 1)
        for (int f = 0; f < FRI_FOLDS; f++)
            frc[f] = search_fold(ds, fold, f, Cs, order, n_search, shortcut,
                                 score + (size_t)f * n_search, &flps[f], &ferr[f]);
        for (int f = 0; f < FRI_FOLDS && rc == REPRO_OK; f++) {
            if (frc[f]) {
                *err = ferr[f];
                rc = frc[f];
            }
            *n_lps += flps[f];
        }
    }
    if (rc == REPRO_OK)
        rc = repro_fri_search_pick(Cs, score, n_search, best_C, err);
    free(Cs), free(order), free(score), free(fold);
    return rc;
}
