/* stats.h - the small statistics SQ and Boruta need: the prediction interval
 * of ALGORITHMS.md §5, binomial tails, numpy-style percentiles and the
 * Benjamini-Hochberg procedure. */
#ifndef REPRO_STATS_H
#define REPRO_STATS_H

#include <stddef.h>

#include "repro/error.h"

/* Prediction interval of v[0..m) at false-positive rate fpr in (0, 1):
 * m == 0 gives [0, 0], m == 1 gives [v0, v0]; otherwise with mean mu,
 * population std s and q = t_{m-1}^{-1}(fpr):
 * lo = mu + q s sqrt(1 + 1/m), hi = mu - q s sqrt(1 + 1/m). */
int repro_pred_interval(const double *v, size_t m, double fpr, double *lo, double *hi,
                        repro_error *err);

/* P[Binomial(trials, 0.5) >= hits] (1 when hits == 0). */
double repro_binom_sf_half(unsigned hits, unsigned trials);

/* P[Binomial(trials, 0.5) <= hits] (1 when hits >= trials). */
double repro_binom_cdf_half(unsigned hits, unsigned trials);

/* The q-th percentile (q in [0, 100]) of v[0..m) with linear interpolation
 * between closest ranks (numpy.percentile's default). work holds m doubles
 * (sorted copy); v is not modified. m == 0 gives 0. */
double repro_percentile(const double *v, size_t m, double q, double *work);

/* Benjamini-Hochberg at level alpha (BorutaPy's _fdrcorrection): with the
 * p-values sorted ascending, reject the first k where k is the largest rank
 * with p_(k) <= k/m alpha. reject[i] is set to 1 or 0 for each p[i]. work
 * holds m size_t. */
void repro_bh_reject(const double *p, size_t m, double alpha, int *reject, size_t *work);

/* Sorts idx[0..n) by key[idx[i]] ascending, keeping the given order among
 * equal keys (insertion sort: for the short lists of features or search
 * values it serves; no global state). */
void repro_sort_index_stable(const double *key, size_t *idx, size_t n);

/* Quantile q in [0,1] of v[n] with linear interpolation (pandas' default);
 * sorts a copy. NAN when n is 0. */
double repro_quantile(const double *v, size_t n, double q);
/* The same for values already sorted ascending (no copy). */
double repro_quantile_sorted(const double *sorted, size_t n, double q);
/* Sorts v[0..n) ascending in place. */
void repro_sort_doubles(double *v, size_t n);

#endif
