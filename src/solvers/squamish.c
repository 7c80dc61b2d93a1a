/* squamish.c - SQ feature classification (ALGORITHMS.md §7, squamish.h). */
#include <stdlib.h>
#include <string.h>

#include "repro/squamish.h"
#include "repro/sq_stage.h"

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

/* SQ steps 1-6 in one process: the stage functions of sq_stage.h in order. */
int repro_sq_fit(repro_rng *rng, const repro_dataset *ds, const repro_sq_params *p, int threads,
                 repro_sq_result *out, repro_error *err)
{
    memset(out, 0, sizeof *out);
    int rc = repro_sq_check(p, err);
    if (rc)
        return rc;
    size_t d = ds->d;
    repro_forest_bins *bins = NULL;
    if ((rc = repro_sq_bins(ds, p, &bins, err)))
        return rc;
    if ((rc = repro_sq_result_alloc(out, d, err))) {
        repro_forest_bins_free(bins);
        return rc;
    }
    double *fits = NULL, *score = NULL;
    repro_sq_tests t;
    memset(&t, 0, sizeof t);
    /* 1. all-relevant set */
    rc = repro_sq_boruta(rng, bins, ds->y, p, threads, out->ar, &out->n_ar, err);
    if (!rc)
        rc = repro_sq_need_ar(out->n_ar, err);
    /* 2. minimal model; 3. statistics */
    size_t n_fits = repro_sq_n_fits(p);
    if (!rc && !(fits = repro_malloc(repro_sq_fit_offset(p, n_fits, d), sizeof *fits, err)))
        rc = REPRO_ENOMEM;
    if (!rc)
        rc = repro_sq_fits(bins, ds->y, p, rng, 0, n_fits, threads, fits, err);
    if (!rc)
        rc = repro_sq_skip_fits(rng, ds->n, d, p, err);
    if (!rc) {
        /* 4. minimal relevant set; 5. W = AR \ MR, U = MR u W */
        rc = repro_sq_statistics(fits, p, out, err);
    }
    if (!rc)
        rc = repro_sq_tests_plan(out->relevance, d, &t, err);
    if (!rc && !(score = repro_malloc(t.n_tests ? t.n_tests : 1, sizeof *score, err)))
        rc = REPRO_ENOMEM;
    if (!rc)
        rc = repro_sq_test_fits(bins, ds->y, p, rng, &t, 0, t.n_tests, threads, score, err);
    if (!rc)
        repro_sq_tests_apply(&t, score, p, out);
    repro_sq_tests_clear(&t);
    free(fits);
    free(score);
    repro_forest_bins_free(bins);
    if (rc)
        repro_sq_result_clear(out);
    return rc;
}
