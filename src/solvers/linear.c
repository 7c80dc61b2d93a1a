/* linear.c - plain SGD for a hinge-loss linear classifier (see linear.h). */
#include "repro/linear.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define HINGE_THRESHOLD 1.0
#define MAX_DLOSS 1e12
#define MIN_WSCALE 1e-9

void repro_sgd_defaults(repro_sgd_params *p)
{
    p->alpha = 1e-4;
    p->l1_ratio = 0.0;
    p->penalty = REPRO_PENALTY_L2;
    p->max_epochs = 100;
    p->tol = 1e-3;
    p->n_iter_no_change = 5;
}

/* Hinge loss max(0, 1 - p y). */
static double hinge_loss(double p, double y)
{
    double z = p * y;
    return z <= HINGE_THRESHOLD ? HINGE_THRESHOLD - z : 0.0;
}

/* Derivative of the hinge loss with respect to p. */
static double hinge_dloss(double p, double y)
{
    return p * y <= HINGE_THRESHOLD ? -y : 0.0;
}

double repro_sgd_t0(double alpha)
{
    double typw = sqrt(1.0 / sqrt(alpha));
    double eta0 = typw / fmax(1.0, hinge_dloss(-typw, 1.0));
    return 1.0 / (eta0 * alpha);
}

double repro_sgd_eta(double alpha, double t0, double t)
{
    return 1.0 / (alpha * (t0 + t - 1.0));
}

void repro_linear_model_clear(repro_linear_model *model)
{
    if (!model)
        return;
    free(model->w);
    memset(model, 0, sizeof *model);
}

/* Dot product of a and b[0..d) with four partial sums (a fixed order, so
 * the result is reproducible) combined at the end. */
static double dot4(const double *a, const double *b, size_t d)
{
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    size_t j = 0;
    for (; j + 4 <= d; j += 4) {
        s0 += a[j] * b[j];
        s1 += a[j + 1] * b[j + 1];
        s2 += a[j + 2] * b[j + 2];
        s3 += a[j + 3] * b[j + 3];
    }
    for (; j < d; j++)
        s0 += a[j] * b[j];
    return (s0 + s1) + (s2 + s3);
}

/* Weights stored as wscale * v so the L2 shrinkage is O(1) per step. */
typedef struct wvec {
    double *v;
    double wscale;
    size_t d;
} wvec;

/* Folds the scale factor back into the stored weights. */
static void wvec_reset_scale(wvec *w)
{
    for (size_t j = 0; j < w->d; j++)
        w->v[j] *= w->wscale;
    w->wscale = 1.0;
}

/* Truncated-gradient L1 step for every feature (dense data): moves each
 * weight towards zero by the penalty it has not yet received, never across. */
static void l1_penalty(wvec *w, double *q, double u)
{
    double s = w->wscale;
    for (size_t j = 0; j < w->d; j++) {
        double z = w->v[j];
        if (s * z > 0.0)
            w->v[j] = fmax(0.0, z - (u + q[j]) / s);
        else if (s * z < 0.0)
            w->v[j] = fmin(0.0, z + (u - q[j]) / s);
        q[j] += s * (w->v[j] - z);
    }
}

/* Checks the settings of one fit. */
static int check_params(const repro_sgd_params *p, repro_error *err)
{
    if (!(p->alpha > 0.0) || !isfinite(p->alpha))
        return repro_error_set(err, REPRO_EINVAL, "SGD: alpha must be > 0 (got %g)", p->alpha);
    if (!(p->l1_ratio >= 0.0 && p->l1_ratio <= 1.0))
        return repro_error_set(err, REPRO_EINVAL, "SGD: l1_ratio must be in [0, 1] (got %g)",
                               p->l1_ratio);
    if (p->max_epochs < 1 || p->n_iter_no_change < 1)
        return repro_error_set(err, REPRO_EINVAL,
                               "SGD: max_epochs and n_iter_no_change must be >= 1");
    return REPRO_OK;
}

int repro_sgd_fit(repro_rng *rng, const repro_sgd_params *p, const repro_dataset *ds,
                  const size_t *rows, size_t n_rows, const size_t *cols, size_t n_cols,
                  repro_linear_model *model, repro_error *err)
{
    memset(model, 0, sizeof *model);
    int rc = check_params(p, err);
    if (rc)
        return rc;
    if (n_rows == 0 || n_cols == 0)
        return repro_error_set(err, REPRO_EINVAL, "SGD: no rows or no columns to fit on");
    const size_t d = n_cols;
    double *X = repro_malloc(n_rows * d, sizeof *X, err);
    double *yv = repro_malloc(n_rows, sizeof *yv, err);
    size_t *order = repro_malloc(n_rows, sizeof *order, err);
    double *v = repro_calloc(d, sizeof *v, err);
    double *q = p->penalty == REPRO_PENALTY_ELASTICNET ? repro_calloc(d, sizeof *q, err) : NULL;
    if (!X || !yv || !order || !v || (p->penalty == REPRO_PENALTY_ELASTICNET && !q)) {
        free(X), free(yv), free(order), free(v), free(q);
        return REPRO_ENOMEM;
    }
    for (size_t i = 0; i < n_rows; i++) {
        const double *src = ds->X + rows[i] * ds->d;
        for (size_t j = 0; j < d; j++)
            X[i * d + j] = src[cols[j]];
        yv[i] = ds->y[rows[i]] > 0 ? 1.0 : -1.0;
        order[i] = i;
    }

    const double alpha = p->alpha;
    const double l1_ratio = p->penalty == REPRO_PENALTY_ELASTICNET ? p->l1_ratio : 0.0;
    const double t0 = repro_sgd_t0(alpha);
    wvec w = {v, 1.0, d};
    double b = 0.0, t = 1.0, u = 0.0;
    double best_loss = INFINITY;
    int no_improvement = 0, epoch;
    /* As the library's data set does, every epoch applies the same swap
     * sequence (drawn from one state) to the previous epoch's order. */
    const repro_rng epoch_stream = *rng;
    for (epoch = 0; epoch < p->max_epochs; epoch++) {
        double sumloss = 0.0;
        *rng = epoch_stream;
        repro_rng_shuffle(rng, order, n_rows);
        for (size_t k = 0; k < n_rows; k++) {
            const double *x = X + order[k] * d;
            const double y = yv[order[k]];
            double pred = dot4(w.v, x, d) * w.wscale + b;
            double eta = repro_sgd_eta(alpha, t0, t);
            sumloss += hinge_loss(pred, y);
            double dl = hinge_dloss(pred, y);
            if (dl < -MAX_DLOSS)
                dl = -MAX_DLOSS;
            else if (dl > MAX_DLOSS)
                dl = MAX_DLOSS;
            double update = -eta * dl;
            w.wscale *= fmax(0.0, 1.0 - (1.0 - l1_ratio) * eta * alpha);
            if (w.wscale < MIN_WSCALE)
                wvec_reset_scale(&w);
            if (update != 0.0) {
                double c = update / w.wscale;
                for (size_t j = 0; j < d; j++)
                    w.v[j] += x[j] * c;
                b += update;
            }
            if (q) {
                u += l1_ratio * eta * alpha;
                l1_penalty(&w, q, u);
            }
            t += 1.0;
        }
        if (!isfinite(b) || !isfinite(w.wscale)) {
            free(X), free(yv), free(order), free(v), free(q);
            return repro_error_set(err, REPRO_EFAIL, "SGD: weights overflowed in epoch %d",
                                   epoch + 1);
        }
        if (p->tol >= 0.0 && sumloss > best_loss - p->tol * (double)n_rows)
            no_improvement++;
        else
            no_improvement = 0;
        if (sumloss < best_loss)
            best_loss = sumloss;
        if (no_improvement >= p->n_iter_no_change) {
            epoch++;
            break;
        }
    }
    wvec_reset_scale(&w);
    free(X), free(yv), free(order), free(q);
    model->d = d;
    model->w = v;
    model->b = b;
    model->epochs = epoch;
    return REPRO_OK;
}

double repro_linear_accuracy(const repro_linear_model *model, const repro_dataset *ds,
                             const size_t *rows, size_t n_rows, const size_t *cols,
                             size_t n_cols)
{
    if (n_rows == 0)
        return 0.0;
    size_t hits = 0;
    for (size_t i = 0; i < n_rows; i++) {
        const double *x = ds->X + rows[i] * ds->d;
        double s = model->b;
        for (size_t j = 0; j < n_cols; j++)
            s += model->w[j] * x[cols[j]];
        int pred = s > 0.0 ? 1 : -1;
        hits += pred == (ds->y[rows[i]] > 0 ? 1 : -1);
    }
    return (double)hits / (double)n_rows;
}

/* RFECV callback (see linear.h): SGD fit, rank = squared weight. */
int repro_sgd_rfecv_fit(void *ctx, repro_rng *rng, const repro_dataset *ds, const size_t *train,
                       size_t n_train, const size_t *test, size_t n_test, const size_t *cols,
                       size_t n_cols, double *rank, double *score, repro_error *err)
{
    const repro_sgd_params *p = ctx;
    repro_linear_model m;
    int rc = repro_sgd_fit(rng, p, ds, train, n_train, cols, n_cols, &m, err);
    if (rc)
        return rc;
    for (size_t j = 0; j < n_cols; j++)
        rank[j] = m.w[j] * m.w[j];
    if (n_test > 0)
        *score = repro_linear_accuracy(&m, ds, test, n_test, cols, n_cols);
    repro_linear_model_clear(&m);
    return REPRO_OK;
}
