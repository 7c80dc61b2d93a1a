/* test_squamish_split.c - SQ's strongly/weakly split (ALGORITHMS.md §7 step
 * 5): the comparison of the score without a feature with the score interval,
 * two-sided as specified (the default), one-sided as in the squamish code of
 * the published linear runs, including the empty interval (lo == hi) that
 * resampled scores all equal to 1.0 give. */
#include <math.h>
#include <string.h>

#include "repro/squamish.h"
#include "repro/stats.h"
#include "testutil.h"

/* Hand cases of the decision: below, inside, on and above the interval. */
static void test_decision(void)
{
    const repro_sq_test L = REPRO_SQ_TEST_LOWER, T = REPRO_SQ_TEST_TWO_SIDED;
    /* empty interval (1, 1), score 1: a loss under neither reading of "lower",
     * but outside the (empty) open interval */
    CU_ASSERT_EQUAL(repro_sq_strongly(1.0, 1.0, 1.0, L), 0);
    CU_ASSERT_EQUAL(repro_sq_strongly(1.0, 1.0, 1.0, T), 1);
    /* below the lower bound: strongly relevant under both */
    CU_ASSERT_EQUAL(repro_sq_strongly(0.9, 0.95, 0.99, L), 1);
    CU_ASSERT_EQUAL(repro_sq_strongly(0.9, 0.95, 0.99, T), 1);
    CU_ASSERT_EQUAL(repro_sq_strongly(0.99999, 1.0, 1.0, L), 1);
    /* inside: weakly relevant under both */
    CU_ASSERT_EQUAL(repro_sq_strongly(0.97, 0.95, 0.99, L), 0);
    CU_ASSERT_EQUAL(repro_sq_strongly(0.97, 0.95, 0.99, T), 0);
    /* exactly on the lower bound: not below it; on the open interval's edge */
    CU_ASSERT_EQUAL(repro_sq_strongly(0.95, 0.95, 0.99, L), 0);
    CU_ASSERT_EQUAL(repro_sq_strongly(0.95, 0.95, 0.99, T), 1);
    /* above the upper bound (a better score without the feature) */
    CU_ASSERT_EQUAL(repro_sq_strongly(1.0, 0.95, 0.99, L), 0);
    CU_ASSERT_EQUAL(repro_sq_strongly(1.0, 0.95, 0.99, T), 1);
}

/* 50 resampled scores all exactly 1.0 give the interval (1, 1) whatever fpr:
 * population deviation 0. */
static void test_zero_variance_interval(void)
{
    double v[50], lo = -1.0, hi = -1.0;
    for (int i = 0; i < 50; i++)
        v[i] = 1.0;
    repro_error err;
    REPRO_ASSERT_OK(repro_pred_interval(v, 50, 1e-4, &lo, &hi, &err), &err);
    CU_ASSERT(lo == 1.0 && hi == 1.0);
    REPRO_ASSERT_OK(repro_pred_interval(v, 50, 1e-6, &lo, &hi, &err), &err);
    CU_ASSERT(lo == 1.0 && hi == 1.0);
}

/* Three exact copies of one latent column (each alone separates the classes)
 * and three columns unrelated to the label, 120 rows. With one row per child
 * every forest fits the training data exactly: all resampled scores are 1,
 * the interval is (1, 1), and permuting one copy among the others leaves the
 * score at 1. So every feature of MR is strongly relevant under the default
 * two-sided test, and none under the one-sided (published runs') test. */
static repro_dataset *copies_data(void)
{
    const size_t n = 120, d = 6;
    repro_dataset *ds = repro_dataset_alloc(n, d, 1, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
    for (size_t i = 0; i < n; i++) {
        double z = ((double)i - 59.5) / 30.0; /* latent, label = its sign */
        double *row = ds->X + i * d;
        row[0] = z;
        row[1] = 2.0 * z + 1.0;
        row[2] = -0.5 * z; /* an exact copy, reversed */
        /* deterministic columns unrelated to the label: residues of i */
        row[3] = (double)((i * 37) % 101) / 101.0;
        row[4] = (double)((i * 53 + 11) % 97) / 97.0;
        row[5] = sin(0.9 * (double)(i * i % 113));
        ds->y[i] = z > 0.0 ? 1 : -1;
    }
    for (size_t j = 0; j < d; j++)
        ds->truth[j] = j < 3 ? 1 : 0;
    return ds;
}

static void test_copies_known_answer(void)
{
    repro_dataset *ds = copies_data();
    repro_sq_params p;
    repro_sq_params_default(&p);
    CU_ASSERT_EQUAL(p.test, REPRO_SQ_TEST_TWO_SIDED);
    p.n_resampling = 20;
    for (uint64_t seed = 1; seed <= 2; seed++) {
        repro_sq_result r[2];
        repro_error err;
        for (int t = 0; t < 2; t++) {
            repro_sq_params q = p;
            q.test = t ? p.test : REPRO_SQ_TEST_LOWER;
            repro_rng rng;
            repro_rng_seed(&rng, seed, 31);
            REPRO_ASSERT_OK(repro_sq_fit(&rng, ds, &q, 1, &r[t], &err), &err);
        }
        /* the same fits up to step 5 */
        CU_ASSERT(r[0].score_lo == 1.0 && r[0].score_hi == 1.0);
        CU_ASSERT(r[1].score_lo == 1.0 && r[1].score_hi == 1.0);
        CU_ASSERT(r[0].train_score == 1.0);
        CU_ASSERT_EQUAL(r[0].n_mr, r[1].n_mr);
        CU_ASSERT(r[0].n_mr >= 1);
        int mr_copies = 0;
        for (size_t k = 0; k < r[0].n_mr; k++)
            mr_copies += r[0].mr[k] < 3;
        CU_ASSERT(mr_copies >= 1);
        for (size_t j = 0; j < ds->d; j++) {
            int in_mr = 0;
            for (size_t k = 0; k < r[0].n_mr; k++)
                in_mr |= r[0].mr[k] == j;
            /* one-sided test: nothing strongly relevant, MR weakly */
            CU_ASSERT(r[0].relevance[j] != 2);
            if (in_mr)
                CU_ASSERT_EQUAL(r[0].relevance[j], 1);
            /* two-sided (default): all of MR strongly relevant (|MR u W| > 1) */
            if (in_mr)
                CU_ASSERT_EQUAL(r[1].relevance[j], 2);
            /* the rest is identical */
            if (!in_mr)
                CU_ASSERT_EQUAL(r[0].relevance[j], r[1].relevance[j]);
        }
        repro_sq_result_clear(&r[0]);
        repro_sq_result_clear(&r[1]);
    }
    /* an unknown test is refused */
    repro_sq_params bad = p;
    bad.test = (repro_sq_test)7;
    repro_sq_result r;
    repro_error err;
    repro_rng rng;
    repro_rng_seed(&rng, 1, 31);
    CU_ASSERT_EQUAL(repro_sq_fit(&rng, ds, &bad, 1, &r, &err), REPRO_EINVAL);
    CU_ASSERT(strstr(err.msg, "unknown test") != NULL);
    repro_dataset_free(ds);
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"decision: one-sided and two-sided, on the bounds", test_decision},
        {"all resampled scores equal: interval (1, 1)", test_zero_variance_interval},
        {"exact copies: strongly (two-sided) / weakly (one-sided)", test_copies_known_answer},
        CU_TEST_INFO_NULL,
    };
    return repro_test_run("squamish_split", tests);
}
