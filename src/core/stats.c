/* stats.c - prediction interval, binomial tails, percentiles, BH (stats.h). */
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "repro/stats.h"

/* The §5 prediction interval (t quantile from GSL). */
int repro_pred_interval(const double *v, size_t m, double fpr, double *lo, double *hi,
                        repro_error *err)
{
    if (!(fpr > 0.0 && fpr < 1.0))
        return repro_error_set(err, REPRO_EINVAL, "prediction interval: fpr must be in (0, 1), got %g",
                               fpr);
    if (m == 0) {
        *lo = *hi = 0.0;
        return REPRO_OK;
    }
    if (m == 1) {
        *lo = *hi = v[0];
        return REPRO_OK;
    }
    double mu = 0.0, ss = 0.0;
    for (size_t i = 0; i < m; i++)
        mu += v[i];
    mu /= (double)m;
    for (size_t i = 0; i < m; i++)
        ss += (v[i] - mu) * (v[i] - mu);
    double s = sqrt(ss / (double)m);
    double q = gsl_cdf_tdist_Pinv(fpr, (double)(m - 1));
    double half = q * s * sqrt(1.0 + 1.0 / (double)m);
    *lo = mu + half;
    *hi = mu - half;
    return REPRO_OK;
}

/* Upper binomial tail P[X >= hits] with p = 1/2 (Boruta's acceptance test). */
double repro_binom_sf_half(unsigned hits, unsigned trials)
{
    if (hits == 0)
        return 1.0;
    if (hits > trials)
        return 0.0;
    return gsl_cdf_binomial_Q(hits - 1, 0.5, trials);
}

/* Lower binomial tail P[X <= hits] with p = 1/2 (Boruta's rejection test). */
double repro_binom_cdf_half(unsigned hits, unsigned trials)
{
    if (hits >= trials)
        return 1.0;
    return gsl_cdf_binomial_P(hits, 0.5, trials);
}

/* qsort comparator for doubles (ascending). */
static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void repro_sort_doubles(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
}

double repro_quantile_sorted(const double *s, size_t n, double q)
{
    if (n == 0)
        return NAN;
    double pos = q * (double)(n - 1);
    size_t i = (size_t)floor(pos);
    double frac = pos - (double)i;
    return i + 1 < n ? s[i] + frac * (s[i + 1] - s[i]) : s[n - 1];
}

double repro_quantile(const double *v, size_t n, double q)
{
    if (n == 0)
        return NAN;
    double *s = malloc(n * sizeof *s);
    if (!s)
        return NAN;
    memcpy(s, v, n * sizeof *s);
    repro_sort_doubles(s, n);
    double r = repro_quantile_sorted(s, n, q);
    free(s);
    return r;
}

/* numpy-style percentile with linear interpolation. */
double repro_percentile(const double *v, size_t m, double q, double *work)
{
    if (m == 0)
        return 0.0;
    memcpy(work, v, sizeof *work * m);
    repro_sort_doubles(work, m);
    return repro_quantile_sorted(work, m, q / 100.0);
}

void repro_sort_index_stable(const double *key, size_t *idx, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        size_t v = idx[i], k = i;
        while (k > 0 && key[idx[k - 1]] > key[v]) {
            idx[k] = idx[k - 1];
            k--;
        }
        idx[k] = v;
    }
}

/* Benjamini-Hochberg step-up rejections (index-stable sort of the p-values). */
void repro_bh_reject(const double *p, size_t m, double alpha, int *reject, size_t *work)
{
    for (size_t i = 0; i < m; i++) {
        work[i] = i;
        reject[i] = 0;
    }
    repro_sort_index_stable(p, work, m);
    size_t kmax = 0; /* number rejected */
    for (size_t k = 0; k < m; k++)
        if (p[work[k]] <= (double)(k + 1) / (double)m * alpha)
            kmax = k + 1;
    for (size_t k = 0; k < kmax; k++)
        reject[work[k]] = 1;
}
