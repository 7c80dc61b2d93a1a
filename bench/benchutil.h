/* benchutil.h - timing helpers shared by the benchmarks. */
#ifndef REPRO_BENCHUTIL_H
#define REPRO_BENCHUTIL_H

#include <stddef.h>
#include <stdint.h>

#include "repro/data.h"

/* Monotonic wall clock in seconds. */
double bench_now(void);
/* Median of v[0..n) (sorts v in place). */
double bench_median(double *v, size_t n);
/* Peak resident set size of this process in MiB (from /proc/self/status). */
double bench_peak_rss_mib(void);
/* A standardized linear data set (noise 0) drawn from the stream seeded
 * (seed, 1); exits the benchmark on failure. */
repro_dataset *bench_linear_data(long n, long strong, long weak, long irr, uint64_t seed);

#endif
