/* test_stats.c - prediction interval, binomial tails, percentile, BH. */
#include <gsl/gsl_errno.h>
#include <math.h>

#include "repro/stats.h"
#include "testutil.h"

/* §5 interval: m = 0 and m = 1 edge cases and t-table quantiles. */
static void test_pred_interval(void)
{
    repro_error err;
    double lo = -1, hi = -1;
    REPRO_ASSERT_OK(repro_pred_interval(NULL, 0, 1e-6, &lo, &hi, &err), &err);
    CU_ASSERT_DOUBLE_EQUAL(lo, 0.0, 0.0);
    CU_ASSERT_DOUBLE_EQUAL(hi, 0.0, 0.0);
    double one = 0.7;
    REPRO_ASSERT_OK(repro_pred_interval(&one, 1, 1e-6, &lo, &hi, &err), &err);
    CU_ASSERT_DOUBLE_EQUAL(lo, 0.7, 0.0);
    CU_ASSERT_DOUBLE_EQUAL(hi, 0.7, 0.0);
    /* v = {-1, 1}: mean 0, population std 1, df 1; the one-sided 95% t value
     * with 1 df is 6.3138 (standard t table), so the half width is
     * 6.3138 * sqrt(1.5). */
    double v2[2] = {-1.0, 1.0};
    REPRO_ASSERT_OK(repro_pred_interval(v2, 2, 0.05, &lo, &hi, &err), &err);
    CU_ASSERT_DOUBLE_EQUAL(hi, 6.3138 * sqrt(1.5), 1e-3);
    CU_ASSERT_DOUBLE_EQUAL(lo, -6.3138 * sqrt(1.5), 1e-3);
    /* v = 1..10: mean 5.5, population std sqrt(8.25); df 9 two-sided 95%
     * t value 2.2622 (standard t table). */
    double v10[10];
    for (int i = 0; i < 10; i++)
        v10[i] = i + 1;
    REPRO_ASSERT_OK(repro_pred_interval(v10, 10, 0.025, &lo, &hi, &err), &err);
    double half = 2.2622 * sqrt(8.25) * sqrt(1.1);
    CU_ASSERT_DOUBLE_EQUAL(lo, 5.5 - half, 1e-3);
    CU_ASSERT_DOUBLE_EQUAL(hi, 5.5 + half, 1e-3);
    /* tiny fpr widens the interval; df 4 one-sided 99.5% is 4.6041 */
    double v5[5] = {1, 2, 3, 4, 5};
    REPRO_ASSERT_OK(repro_pred_interval(v5, 5, 0.005, &lo, &hi, &err), &err);
    CU_ASSERT_DOUBLE_EQUAL(hi, 3.0 + 4.6041 * sqrt(2.0) * sqrt(1.2), 1e-3);
    REPRO_ASSERT_OK(repro_pred_interval(v5, 5, 1e-6, &lo, &hi, &err), &err);
    CU_ASSERT(hi > 3.0 + 4.6041 * sqrt(2.0) * sqrt(1.2));
    CU_ASSERT_EQUAL(repro_pred_interval(v5, 5, 0.0, &lo, &hi, &err), REPRO_EINVAL);
    CU_ASSERT_EQUAL(repro_pred_interval(v5, 5, 1.5, &lo, &hi, &err), REPRO_EINVAL);
}

/* Binomial(n, 1/2) tails by counting subsets: P[X >= 8 | n=10] =
 * (C(10,8)+C(10,9)+C(10,10))/2^10 = 56/1024. */
static void test_binomial(void)
{
    CU_ASSERT_DOUBLE_EQUAL(repro_binom_sf_half(8, 10), 56.0 / 1024.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(repro_binom_cdf_half(2, 10), 56.0 / 1024.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(repro_binom_sf_half(0, 5), 1.0, 0.0);
    CU_ASSERT_DOUBLE_EQUAL(repro_binom_cdf_half(5, 5), 1.0, 0.0);
    CU_ASSERT_DOUBLE_EQUAL(repro_binom_cdf_half(0, 20), ldexp(1.0, -20), 1e-18);
    CU_ASSERT_DOUBLE_EQUAL(repro_binom_sf_half(20, 20), ldexp(1.0, -20), 1e-18);
    /* P[X >= 1 | n=1] = 1/2, P[X <= 5 | n=10] = 638/1024 */
    CU_ASSERT_DOUBLE_EQUAL(repro_binom_sf_half(1, 1), 0.5, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(repro_binom_cdf_half(5, 10), 638.0 / 1024.0, 1e-12);
}

/* numpy.percentile values computed by hand from its linear rule. */
static void test_percentile(void)
{
    double w[8];
    double a[4] = {4, 1, 3, 2};
    CU_ASSERT_DOUBLE_EQUAL(repro_percentile(a, 4, 70, w), 3.1, 1e-12); /* rank 2.1 */
    CU_ASSERT_DOUBLE_EQUAL(a[0], 4.0, 0.0);                            /* input untouched */
    double b[5] = {15, 20, 35, 40, 50};
    CU_ASSERT_DOUBLE_EQUAL(repro_percentile(b, 5, 40, w), 29.0, 1e-12); /* rank 1.6 */
    CU_ASSERT_DOUBLE_EQUAL(repro_percentile(b, 5, 0, w), 15.0, 0.0);
    CU_ASSERT_DOUBLE_EQUAL(repro_percentile(b, 5, 100, w), 50.0, 0.0);
    CU_ASSERT_DOUBLE_EQUAL(repro_percentile(b, 1, 70, w), 15.0, 0.0);
    CU_ASSERT_DOUBLE_EQUAL(repro_percentile(b, 0, 70, w), 0.0, 0.0);
}

/* BH step-up: a p-value above its own line is still rejected when a larger
 * one passes. */
static void test_bh(void)
{
    size_t w[4];
    int rej[4];
    double p1[3] = {0.03, 0.02, 0.5}; /* lines 0.0167, 0.0333, 0.05 at alpha 0.05 */
    repro_bh_reject(p1, 3, 0.05, rej, w);
    CU_ASSERT(rej[0] == 1 && rej[1] == 1 && rej[2] == 0);
    double p2[4] = {0.01, 0.04, 0.03, 0.005};
    repro_bh_reject(p2, 4, 0.05, rej, w);
    CU_ASSERT(rej[0] && rej[1] && rej[2] && rej[3]);
    double p3[3] = {0.2, 0.3, 0.9};
    repro_bh_reject(p3, 3, 0.05, rej, w);
    CU_ASSERT(!rej[0] && !rej[1] && !rej[2]);
    repro_bh_reject(p3, 0, 0.05, rej, w); /* no p-values: nothing happens */
}

int main(void)
{
    gsl_set_error_handler_off();
    CU_TestInfo tests[] = {
        {"prediction interval", test_pred_interval},
        {"binomial tails", test_binomial},
        {"percentile", test_percentile},
        {"Benjamini-Hochberg", test_bh},
        CU_TEST_INFO_NULL,
    };
    return repro_test_run("stats", tests);
}
