/* sq_stage.c - SQ's steps as stage functions (sq_stage.h): what
 * repro_sq_fit runs in one process and SQ's split fit runs as tasks. */
#include "repro/sq_stage.h"

#include <stdlib.h>
#include <string.h>

#include "repro/stats.h"

/* SQ's checks (sq_stage.h). */
int repro_sq_check(const repro_sq_params *p, repro_error *err)
{
    if (p->n_resampling < 1)
        return repro_error_set(err, REPRO_EINVAL, "SQ: n_resampling must be >= 1");
    if (!(p->fpr > 0.0 && p->fpr < 1.0))
        return repro_error_set(err, REPRO_EINVAL, "SQ: fpr must be in (0, 1), got %g", p->fpr);
    if (p->test != REPRO_SQ_TEST_LOWER && p->test != REPRO_SQ_TEST_TWO_SIDED)
        return repro_error_set(err, REPRO_EINVAL, "SQ: unknown test %d", (int)p->test);
    if (p->minimal_model != REPRO_SQ_MINIMAL_FOREST && p->minimal_model != REPRO_SQ_MINIMAL_GBDT)
        return repro_error_set(err, REPRO_EINVAL, "SQ: unknown minimal model %d", (int)p->minimal_model);
    if (p->mr_fit != REPRO_SQ_MR_MINIMAL && p->mr_fit != REPRO_SQ_MR_LAST_RESAMPLE)
        return repro_error_set(err, REPRO_EINVAL, "SQ: unknown mr_fit %d", (int)p->mr_fit);
    int rc = repro_forest_params_check(&p->forest, err);
    if (!rc && p->minimal_model == REPRO_SQ_MINIMAL_GBDT)
        rc = repro_gbdt_params_check(&p->gbdt, err);
    return rc;
}

/* Bins the data once for every forest of SQ. */
int repro_sq_bins(const repro_dataset *ds, const repro_sq_params *p, repro_forest_bins **bins, repro_error *err)
{
    return repro_forest_bins_build(ds->X, ds->n, ds->d, p->forest.max_bins, p->forest.min_data_in_bin, bins,
                                   err);
}

/* Allocates a result's arrays, zeroed. */
int repro_sq_result_alloc(repro_sq_result *res, size_t d, repro_error *err)
{
    memset(res, 0, sizeof *res);
    res->d = d;
    res->relevance = repro_calloc(d ? d : 1, sizeof *res->relevance, err);
    res->importance = repro_calloc(d ? d : 1, sizeof *res->importance, err);
    res->ar = repro_calloc(d ? d : 1, sizeof *res->ar, err);
    res->mr = repro_calloc(d ? d : 1, sizeof *res->mr, err);
    if (!res->relevance || !res->importance || !res->ar || !res->mr) {
        repro_sq_result_clear(res);
        return REPRO_ENOMEM;
    }
    return REPRO_OK;
}

/* Step 1: Boruta's accepted features. */
int repro_sq_boruta(repro_rng *rng, const repro_forest_bins *bins, const int *y, const repro_sq_params *p,
                    int threads, size_t *ar, size_t *n_ar, repro_error *err)
{
    repro_boruta_result br;
    *n_ar = 0;
    int rc = repro_boruta_fit(rng, bins, y, &p->boruta, threads, &br, err);
    if (rc)
        return rc;
    for (size_t j = 0; j < bins->d; j++)
        if (br.decision[j] == 1)
            ar[(*n_ar)++] = j;
    repro_boruta_result_clear(&br);
    return REPRO_OK;
}

/* Boruta's empty answer ends SQ. */
int repro_sq_need_ar(size_t n_ar, repro_error *err)
{
    if (n_ar == 0)
        return repro_error_set(err, REPRO_EFAIL,
                               "SQ: Boruta accepted no feature (after its iterations every "
                               "feature is rejected or tentative), nothing to classify");
    return REPRO_OK;
}

/* The minimal model and the resamples. */
size_t repro_sq_n_fits(const repro_sq_params *p)
{
    return p->n_resampling + 1;
}

/* Fit 0 writes 1 + d doubles, every other fit 2, except the last resample
 * with mr_fit=last_resample, which writes 2 + d. */
size_t repro_sq_fit_offset(const repro_sq_params *p, size_t f, size_t d)
{
    if (f == 0)
        return 0;
    size_t extra = p->mr_fit == REPRO_SQ_MR_LAST_RESAMPLE && f > p->n_resampling ? d : 0;
    return 1 + d + 2 * (f - 1) + extra;
}

/* One fit of the minimal model of steps 2-4 on bins (the forest with
 * `stream`, or the boosted trees, which draw nothing): its training accuracy
 * and its bins->d importances (gain, or split counts for the boosted trees,
 * LightGBM's default importance). */
static int fit_minimal(const repro_forest_bins *bins, const int *y, const repro_sq_params *p,
                       const repro_rng *stream, int threads, double *acc, double *imp, repro_error *err)
{
    int rc;
    if (p->minimal_model == REPRO_SQ_MINIMAL_GBDT) {
        repro_gbdt *g = NULL;
        if ((rc = repro_gbdt_fit_bins(bins, y, &p->gbdt, &g, err)))
            return rc;
        *acc = g->train_accuracy;
        memcpy(imp, g->split_importance, sizeof *imp * bins->d);
        repro_gbdt_free(g);
        return REPRO_OK;
    }
    repro_forest *f = NULL;
    if ((rc = repro_forest_fit_bins(bins, y, &p->forest, stream, threads, &f, err)))
        return rc;
    *acc = f->train_accuracy;
    repro_forest_importance(f, REPRO_IMPORTANCE_GAIN, imp);
    repro_forest_free(f);
    return REPRO_OK;
}

/* Steps 2-3's fits [f0, f1): the minimal model on all columns, and each
 * resample with a permuted copy of a random column appended; all with the
 * minimal model's stream (split from rng first, also for the boosted trees,
 * which leave it unused, so that later draws are the same for both), each
 * resample drawing its column and permutation from rng in turn. A resample
 * writes its accuracy and the appended column's importance, and the last one
 * with mr_fit=last_resample then its d columns' importances. */
int repro_sq_fits(const repro_forest_bins *bins, const int *y, const repro_sq_params *p, const repro_rng *rng,
                  size_t f0, size_t f1, int threads, double *out, repro_error *err)
{
    size_t n = bins->n, d = bins->d;
    repro_rng r = *rng, stream;
    repro_rng_split(&r, &stream);
    repro_forest_bins *ext = NULL;
    double *imp = repro_malloc(d + 1, sizeof *imp, err);
    size_t *perm = repro_malloc(n ? n : 1, sizeof *perm, err);
    int rc = (!imp || !perm) ? REPRO_ENOMEM : REPRO_OK;
    double *o = out;
    if (!rc && f0 == 0 && f1 > 0) {
        rc = fit_minimal(bins, y, p, &stream, threads, &o[0], o + 1, err);
        o += 1 + d;
    }
    if (!rc && f1 > 1)
        rc = repro_forest_bins_select(bins, NULL, 0, NULL, 0, 1, &ext, err);
    for (size_t fit = 1; fit < f1 && !rc; fit++) {
        size_t j = (size_t)repro_rng_bounded(&r, d);
        repro_rng_permutation(&r, perm, n);
        if (fit < f0)
            continue;
        repro_forest_bins_set_permuted(ext, d, bins, j, perm);
        rc = fit_minimal(ext, y, p, &stream, threads, &o[0], imp, err);
        if (rc)
            break;
        o[1] = imp[d];
        o += 2;
        if (p->mr_fit == REPRO_SQ_MR_LAST_RESAMPLE && fit == p->n_resampling) {
            memcpy(o, imp, d * sizeof *o);
            o += d;
        }
    }
    repro_forest_bins_free(ext);
    free(imp);
    free(perm);
    return rc;
}

/* The draws of repro_sq_fits over all fits, without fitting. */
int repro_sq_skip_fits(repro_rng *rng, size_t n, size_t d, const repro_sq_params *p, repro_error *err)
{
    repro_rng stream;
    size_t *perm = repro_malloc(n ? n : 1, sizeof *perm, err);
    if (!perm)
        return REPRO_ENOMEM;
    repro_rng_split(rng, &stream);
    for (size_t r = 0; r < p->n_resampling; r++) {
        (void)repro_rng_bounded(rng, d);
        repro_rng_permutation(rng, perm, n);
    }
    free(perm);
    return REPRO_OK;
}

/* Steps 3-5: the intervals of the resampled scores and shadow importances,
 * MR = features more important than the shadows' upper bound (in the minimal
 * model, or with mr_fit=last_resample in the last resample), W = AR \ MR. */
int repro_sq_statistics(const double *fits, const repro_sq_params *p, repro_sq_result *res, repro_error *err)
{
    size_t d = res->d, R = p->n_resampling;
    double *scores = repro_malloc(R, sizeof *scores, err);
    double *imps = repro_malloc(R, sizeof *imps, err);
    int rc = (!scores || !imps) ? REPRO_ENOMEM : REPRO_OK;
    if (!rc) {
        res->train_score = fits[0];
        memcpy(res->importance, fits + 1, d * sizeof *res->importance);
        for (size_t r = 0; r < R; r++) {
            const double *o = fits + repro_sq_fit_offset(p, r + 1, d);
            scores[r] = o[0];
            imps[r] = o[1];
        }
        rc = repro_pred_interval(scores, R, p->fpr, &res->score_lo, &res->score_hi, err);
    }
    if (!rc)
        rc = repro_pred_interval(imps, R, p->fpr, &res->shadow_lo, &res->shadow_hi, err);
    if (!rc) {
        res->n_mr = 0;
        const double *mr_imp = res->importance;
        if (p->mr_fit == REPRO_SQ_MR_LAST_RESAMPLE)
            mr_imp = fits + repro_sq_fit_offset(p, R, d) + 2;
        for (size_t j = 0; j < d; j++)
            if (mr_imp[j] > res->shadow_hi) {
                res->mr[res->n_mr++] = j;
                res->relevance[j] = 2;
            }
        for (size_t a = 0; a < res->n_ar; a++)
            if (res->relevance[res->ar[a]] == 0)
                res->relevance[res->ar[a]] = 1;
    }
    free(scores);
    free(imps);
    return rc;
}

/* Frees a test plan; safe on a zeroed struct. */
void repro_sq_tests_clear(repro_sq_tests *t)
{
    free(t->u);
    free(t->pos);
    memset(t, 0, sizeof *t);
}

/* U = features of class 1 or 2; the tests: U's positions of class 2. */
int repro_sq_tests_plan(const int *relevance, size_t d, repro_sq_tests *t, repro_error *err)
{
    memset(t, 0, sizeof *t);
    t->u = repro_malloc(d ? d : 1, sizeof *t->u, err);
    t->pos = repro_malloc(d ? d : 1, sizeof *t->pos, err);
    if (!t->u || !t->pos) {
        repro_sq_tests_clear(t);
        return REPRO_ENOMEM;
    }
    for (size_t j = 0; j < d; j++)
        if (relevance[j] > 0)
            t->u[t->nu++] = j;
    if (t->nu > 1)
        for (size_t c = 0; c < t->nu; c++)
            if (relevance[t->u[c]] == 2)
                t->pos[t->n_tests++] = c;
    return REPRO_OK;
}

/* Step 5's refits [t0, t1): the refit stream is split from rng first, then
 * each test draws its permutation from rng in turn; a test permutes its
 * feature within X_U and refits. */
int repro_sq_test_fits(const repro_forest_bins *bins, const int *y, const repro_sq_params *p, const repro_rng *rng,
                       const repro_sq_tests *t, size_t t0, size_t t1, int threads, double *score,
                       repro_error *err)
{
    size_t n = bins->n;
    if (t1 <= t0)
        return REPRO_OK;
    repro_rng r = *rng, stream;
    repro_rng_split(&r, &stream);
    size_t *perm = repro_malloc(n ? n : 1, sizeof *perm, err);
    if (!perm)
        return REPRO_ENOMEM;
    repro_forest_bins *sel = NULL;
    int rc = repro_forest_bins_select(bins, NULL, 0, t->u, t->nu, 0, &sel, err);
    for (size_t k = 0; k < t1 && !rc; k++) {
        repro_rng_permutation(&r, perm, n);
        if (k < t0)
            continue;
        size_t c = t->pos[k];
        repro_forest_bins_set_permuted(sel, c, bins, t->u[c], perm);
        repro_forest *f = NULL;
        rc = repro_forest_fit_bins(sel, y, &p->forest, &stream, threads, &f, err);
        if (rc)
            break;
        score[k - t0] = f->train_accuracy;
        repro_forest_free(f);
        repro_forest_bins_set_permuted(sel, c, bins, t->u[c], NULL);
    }
    repro_forest_bins_free(sel);
    free(perm);
    return rc;
}

/* A significant score (repro_sq_strongly) keeps a tested feature strongly
 * relevant (2), otherwise it is weakly relevant (1). */
void repro_sq_tests_apply(const repro_sq_tests *t, const double *score, const repro_sq_params *p,
                          repro_sq_result *res)
{
    for (size_t k = 0; k < t->n_tests; k++) {
        size_t j = t->u[t->pos[k]];
        res->relevance[j] = repro_sq_strongly(score[k], res->score_lo, res->score_hi, p->test) ? 2 : 1;
    }
}
