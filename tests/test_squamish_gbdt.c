/* test_squamish_gbdt.c - SQ with the boosted minimal model of the squamish
 * code behind the published linear runs (minimal_model = gbdt: LightGBM's
 * default gradient-boosted trees, split-count importances) and with step 4
 * reading the last resampled fit (mr_fit = last_resample). */
#include <math.h>
#include <string.h>

#include "repro/squamish.h"
#include "testutil.h"

/* Three exact copies of one latent column (x0, x1 = 2 x0 + 1, x2 = -x0 / 2)
 * that separates the classes, and three columns unrelated to the label. */
static repro_dataset *copies_data(void)
{
    const size_t n = 120, d = 6;
    repro_dataset *ds = repro_dataset_alloc(n, d, 1, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
    for (size_t i = 0; i < n; i++) {
        double z = ((double)i - 59.5) / 30.0;
        double *row = ds->X + i * d;
        row[0] = z;
        row[1] = 2.0 * z + 1.0;
        row[2] = -0.5 * z;
        row[3] = (double)((i * 37) % 101) / 101.0;
        row[4] = (double)((i * 53 + 11) % 97) / 97.0;
        row[5] = sin(0.9 * (double)(i * i % 113));
        ds->y[i] = z > 0.0 ? 1 : -1;
    }
    for (size_t j = 0; j < d; j++)
        ds->truth[j] = j < 3 ? 1 : 0;
    return ds;
}

/* Fits SQ with parameters p and seed `seed`. */
static void fit(const repro_dataset *ds, const repro_sq_params *p, uint64_t seed, repro_sq_result *r)
{
    repro_rng rng;
    repro_error err;
    repro_rng_seed(&rng, seed, 31);
    REPRO_ASSERT_OK(repro_sq_fit(&rng, ds, p, 1, r, &err), &err);
}

/* The defaults are the specification's; the boosted minimal model never
 * splits x1, the copy of x0 in the same order (bit-equal histograms, equal
 * gains go to the lower column), so x1 cannot enter MR (x2, the reversed
 * copy, sums its bins in the other order and may win ties by rounding); the importances are split counts;
 * Boruta's set does not depend on the minimal model; a fit is deterministic. */
static void test_boosted_minimal_model(void)
{
    repro_dataset *ds = copies_data();
    repro_sq_params p;
    repro_sq_params_default(&p);
    CU_ASSERT_EQUAL(p.minimal_model, REPRO_SQ_MINIMAL_FOREST);
    CU_ASSERT_EQUAL(p.mr_fit, REPRO_SQ_MR_MINIMAL);
    CU_ASSERT_EQUAL(p.gbdt.n_iter, 100);
    CU_ASSERT_EQUAL(p.gbdt.num_leaves, 31);
    p.n_resampling = 20;
    repro_sq_params g = p;
    g.minimal_model = REPRO_SQ_MINIMAL_GBDT;
    repro_sq_result rf, rg, rg2;
    fit(ds, &p, 3, &rf);
    fit(ds, &g, 3, &rg);
    fit(ds, &g, 3, &rg2);
    CU_ASSERT_EQUAL(rf.n_ar, rg.n_ar);
    if (rf.n_ar == rg.n_ar)
        CU_ASSERT(memcmp(rf.ar, rg.ar, sizeof *rf.ar * rf.n_ar) == 0);
    CU_ASSERT(rg.train_score == 1.0);
    CU_ASSERT(rg.importance[0] >= 1.0);
    CU_ASSERT(rg.importance[1] == 0.0);
    for (size_t j = 0; j < ds->d; j++)
        CU_ASSERT(rg.importance[j] == floor(rg.importance[j]));
    for (size_t k = 0; k < rg.n_mr; k++)
        CU_ASSERT(rg.mr[k] != 1);
    /* the separable copy keeps every resampled fit exact: interval (1, 1) */
    CU_ASSERT(rg.score_lo == 1.0 && rg.score_hi == 1.0);
    CU_ASSERT(rg.shadow_lo == rg2.shadow_lo && rg.shadow_hi == rg2.shadow_hi);
    CU_ASSERT_EQUAL(rg.n_mr, rg2.n_mr);
    for (size_t j = 0; j < ds->d; j++)
        CU_ASSERT_EQUAL(rg.relevance[j], rg2.relevance[j]);
    repro_sq_result_clear(&rf);
    repro_sq_result_clear(&rg);
    repro_sq_result_clear(&rg2);
    repro_dataset_free(ds);
}

/* mr_fit = last_resample changes only which importances MR is read from:
 * the statistics and AR are those of the default. Unknown values fail. */
static void test_mr_fit(void)
{
    repro_dataset *ds = copies_data();
    repro_sq_params p;
    repro_sq_params_default(&p);
    p.n_resampling = 10;
    p.minimal_model = REPRO_SQ_MINIMAL_GBDT;
    repro_sq_params q = p;
    q.mr_fit = REPRO_SQ_MR_LAST_RESAMPLE;
    repro_sq_result a, b;
    fit(ds, &p, 5, &a);
    fit(ds, &q, 5, &b);
    CU_ASSERT(a.shadow_hi == b.shadow_hi && a.score_lo == b.score_lo);
    CU_ASSERT(a.train_score == b.train_score);
    CU_ASSERT(memcmp(a.importance, b.importance, sizeof *a.importance * ds->d) == 0);
    CU_ASSERT_EQUAL(a.n_ar, b.n_ar);
    /* in the last resampled fit, too, x1 gets no split */
    for (size_t k = 0; k < b.n_mr; k++)
        CU_ASSERT(b.mr[k] != 1);
    repro_sq_result_clear(&a);
    repro_sq_result_clear(&b);
    repro_sq_result r;
    repro_error err;
    repro_rng rng;
    repro_rng_seed(&rng, 1, 31);
    q.mr_fit = (repro_sq_mr_fit)4;
    CU_ASSERT_EQUAL(repro_sq_fit(&rng, ds, &q, 1, &r, &err), REPRO_EINVAL);
    CU_ASSERT(strstr(err.msg, "mr_fit") != NULL);
    q = p;
    q.minimal_model = (repro_sq_minimal)9;
    CU_ASSERT_EQUAL(repro_sq_fit(&rng, ds, &q, 1, &r, &err), REPRO_EINVAL);
    CU_ASSERT(strstr(err.msg, "minimal model") != NULL);
    q = p;
    q.gbdt.learning_rate = 0.0;
    CU_ASSERT_EQUAL(repro_sq_fit(&rng, ds, &q, 1, &r, &err), REPRO_EINVAL);
    repro_dataset_free(ds);
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"boosted minimal model: copies, split counts, determinism", test_boosted_minimal_model},
        {"MR from the last resampled fit; bad settings", test_mr_fit},
        CU_TEST_INFO_NULL,
    };
    return repro_test_run("squamish_gbdt", tests);
}
