/* squamish.c - SQ feature classification (ALGORITHMS.md §7, squamish.h). */
#include <stdlib.h>
#include <string.h>

#include "repro/squamish.h"
#include "repro/stats.h"

/* The published SQ settings (ALGORITHMS.md §7) as the published runs used
 * them: Boruta's percentile 100 and one row per child in SQ's own forests
 * (docs/FIDELITY.md); Boruta's forests keep 20 rows per child. */
void repro_sq_params_default(repro_sq_params *p)
{
    repro_boruta_params_default(&p->boruta);
    p->boruta.perc = 100.0;
    repro_forest_params_default(&p->forest);
    p->forest.min_child_rows = 1;
    p->forest.feature_fraction = 0.8;
    p->n_resampling = 50;
    p->fpr = 1e-6;
    p->test = REPRO_SQ_TEST_TWO_SIDED;
    p->minimal_model = REPRO_SQ_MINIMAL_FOREST;
    repro_gbdt_params_default(&p->gbdt);
    p->mr_fit = REPRO_SQ_MR_MINIMAL;
}

/* Step 5's decision (squamish.h): REPRO_SQ_TEST_TWO_SIDED is the
 * specification's open-interval test (squamish since 2020-03-31), under which
 * an empty interval (lo == hi) makes every score significant;
 * REPRO_SQ_TEST_LOWER counts only a score below the lower bound, as the
 * squamish code of the published linear runs (2020-03-03) did. */
int repro_sq_strongly(double score, double lo, double hi, repro_sq_test test)
{
    if (test == REPRO_SQ_TEST_TWO_SIDED)
        return !(score > lo && score < hi);
    return score < lo;
}

/* Frees an SQ result; safe on a zeroed struct. */
void repro_sq_result_clear(repro_sq_result *res)
{
    free(res->relevance);
    free(res->importance);
    free(res->ar);
    free(res->mr);
    memset(res, 0, sizeof *res);
}

/* One fit of the minimal model of steps 2-4 on bins (the forest with
 * `stream`, or the boosted trees, which draw nothing): its training accuracy
 * and its bins->d importances (gain, or split counts for the boosted trees,
 * LightGBM's default importance). */
static int fit_minimal(const repro_forest_bins *bins, const int *y, const repro_sq_params *p,
                       const repro_rng *stream, int threads, double *acc, double *imp,
                       repro_error *err)
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

/* Step 3: n_resampling fits with a permuted copy of a random column appended,
 * all with the minimal model's stream; fills the two intervals, and `last`
 * (d entries, unless NULL) with the last fit's importances of the d columns. */
static int shadow_statistics(repro_rng *rng, const repro_forest_bins *bins, const int *y,
                             const repro_sq_params *p, const repro_rng *stream, int threads,
                             repro_sq_result *out, double *last, repro_error *err)
{
    size_t n = bins->n, d = bins->d, R = p->n_resampling;
    repro_forest_bins *ext = NULL;
    double *scores = repro_malloc(R ? R : 1, sizeof *scores, err);
    double *imps = repro_malloc(R ? R : 1, sizeof *imps, err);
    double *imp = repro_malloc(d + 1, sizeof *imp, err);
    size_t *perm = repro_malloc(n, sizeof *perm, err);
    int rc = (!scores || !imps || !imp || !perm) ? REPRO_ENOMEM : REPRO_OK;
    if (!rc)
        rc = repro_forest_bins_select(bins, NULL, 0, NULL, 0, 1, &ext, err);
    for (size_t r = 0; r < R && !rc; r++) {
        size_t j = (size_t)repro_rng_bounded(rng, d);
        repro_rng_permutation(rng, perm, n);
        repro_forest_bins_set_permuted(ext, d, bins, j, perm);
        rc = fit_minimal(ext, y, p, stream, threads, &scores[r], imp, err);
        if (rc)
            break;
        imps[r] = imp[d];
        if (last && r + 1 == R)
            memcpy(last, imp, sizeof *last * d);
    }
    if (!rc)
        rc = repro_pred_interval(scores, R, p->fpr, &out->score_lo, &out->score_hi, err);
    if (!rc)
        rc = repro_pred_interval(imps, R, p->fpr, &out->shadow_lo, &out->shadow_hi, err);
    repro_forest_bins_free(ext);
    free(scores);
    free(imps);
    free(imp);
    free(perm);
    return rc;
}

/* Step 5: permute each minimal-model feature within X_U and refit; a
 * significant score (repro_sq_strongly) makes it strongly relevant (class 2),
 * otherwise weakly (1). `cls` holds 1 for W and 2 for MR on entry. */
static int permutation_tests(repro_rng *rng, const repro_forest_bins *bins, const int *y,
                             const repro_sq_params *p, int threads, const repro_sq_result *res,
                             int *cls, repro_error *err)
{
    size_t n = bins->n, d = bins->d, nu = 0;
    size_t *u = repro_malloc(d, sizeof *u, err);
    size_t *perm = repro_malloc(n, sizeof *perm, err);
    if (!u || !perm) {
        free(u);
        free(perm);
        return REPRO_ENOMEM;
    }
    for (size_t j = 0; j < d; j++)
        if (cls[j] > 0)
            u[nu++] = j;
    int rc = REPRO_OK;
    if (nu > 1) {
        repro_rng stream;
        repro_rng_split(rng, &stream);
        repro_forest_bins *sel = NULL;
        rc = repro_forest_bins_select(bins, NULL, 0, u, nu, 0, &sel, err);
        for (size_t c = 0; c < nu && !rc; c++) {
            if (cls[u[c]] != 2)
                continue;
            repro_rng_permutation(rng, perm, n);
            repro_forest_bins_set_permuted(sel, c, bins, u[c], perm);
            repro_forest *f = NULL;
            rc = repro_forest_fit_bins(sel, y, &p->forest, &stream, threads, &f, err);
            if (rc)
                break;
            double s = f->train_accuracy;
            repro_forest_free(f);
            repro_forest_bins_set_permuted(sel, c, bins, u[c], NULL);
            cls[u[c]] = repro_sq_strongly(s, res->score_lo, res->score_hi, p->test) ? 2 : 1;
        }
        repro_forest_bins_free(sel);
    }
    free(u);
    free(perm);
    return rc;
}

/* SQ steps 1-6: Boruta, minimal model, statistics, MR, permutation tests. */
int repro_sq_fit(repro_rng *rng, const repro_dataset *ds, const repro_sq_params *p, int threads,
                 repro_sq_result *out, repro_error *err)
{
    memset(out, 0, sizeof *out);
    if (p->n_resampling < 1)
        return repro_error_set(err, REPRO_EINVAL, "SQ: n_resampling must be >= 1");
    if (!(p->fpr > 0.0 && p->fpr < 1.0))
        return repro_error_set(err, REPRO_EINVAL, "SQ: fpr must be in (0, 1), got %g", p->fpr);
    if (p->test != REPRO_SQ_TEST_LOWER && p->test != REPRO_SQ_TEST_TWO_SIDED)
        return repro_error_set(err, REPRO_EINVAL, "SQ: unknown test %d", (int)p->test);
    if (p->minimal_model != REPRO_SQ_MINIMAL_FOREST && p->minimal_model != REPRO_SQ_MINIMAL_GBDT)
        return repro_error_set(err, REPRO_EINVAL, "SQ: unknown minimal model %d",
                               (int)p->minimal_model);
    if (p->mr_fit != REPRO_SQ_MR_MINIMAL && p->mr_fit != REPRO_SQ_MR_LAST_RESAMPLE)
        return repro_error_set(err, REPRO_EINVAL, "SQ: unknown mr_fit %d", (int)p->mr_fit);
    int rc = repro_forest_params_check(&p->forest, err);
    if (!rc && p->minimal_model == REPRO_SQ_MINIMAL_GBDT)
        rc = repro_gbdt_params_check(&p->gbdt, err);
    if (rc)
        return rc;
    size_t d = ds->d;
    repro_forest_bins *bins = NULL;
    rc = repro_forest_bins_build(ds->X, ds->n, d, p->forest.max_bins, p->forest.min_data_in_bin,
                                 &bins, err);
    if (rc)
        return rc;
    out->d = d;
    out->relevance = repro_calloc(d, sizeof *out->relevance, err);
    out->importance = repro_calloc(d, sizeof *out->importance, err);
    out->ar = repro_calloc(d, sizeof *out->ar, err);
    out->mr = repro_calloc(d, sizeof *out->mr, err);
    if (!out->relevance || !out->importance || !out->ar || !out->mr) {
        repro_forest_bins_free(bins);
        repro_sq_result_clear(out);
        return REPRO_ENOMEM;
    }
    /* 1. all-relevant set */
    repro_boruta_result br;
    rc = repro_boruta_fit(rng, bins, ds->y, &p->boruta, threads, &br, err);
    if (!rc) {
        for (size_t j = 0; j < d; j++)
            if (br.decision[j] == 1)
                out->ar[out->n_ar++] = j;
        repro_boruta_result_clear(&br);
        if (out->n_ar == 0)
            rc = repro_error_set(err, REPRO_EFAIL,
                                 "SQ: Boruta accepted no feature (after its iterations every "
                                 "feature is rejected or tentative), nothing to classify");
    }
    /* 2. minimal model (the stream is split for the forest; the boosted
     * trees leave it unused, so later draws are the same for both) */
    repro_rng stream;
    double *last = NULL;
    if (!rc) {
        repro_rng_split(rng, &stream);
        rc = fit_minimal(bins, ds->y, p, &stream, threads, &out->train_score, out->importance, err);
    }
    if (!rc && p->mr_fit == REPRO_SQ_MR_LAST_RESAMPLE) {
        last = repro_malloc(d, sizeof *last, err);
        if (!last)
            rc = REPRO_ENOMEM;
    }
    /* 3. statistics */
    if (!rc)
        rc = shadow_statistics(rng, bins, ds->y, p, &stream, threads, out, last, err);
    if (!rc) {
        /* 4. minimal relevant set; 5. W = AR \ MR, U = MR u W */
        const double *mr_imp = last ? last : out->importance;
        for (size_t j = 0; j < d; j++)
            if (mr_imp[j] > out->shadow_hi) {
                out->mr[out->n_mr++] = j;
                out->relevance[j] = 2;
            }
        for (size_t a = 0; a < out->n_ar; a++)
            if (out->relevance[out->ar[a]] == 0)
                out->relevance[out->ar[a]] = 1;
        rc = permutation_tests(rng, bins, ds->y, p, threads, out, out->relevance, err);
    }
    free(last);
    repro_forest_bins_free(bins);
    if (rc)
        repro_sq_result_clear(out);
    return rc;
}
