/* benchutil.h - timing helpers shared by the benchmarks. */
#ifndef REPRO_BENCHUTIL_H
#define REPRO_BENCHUTIL_H

#include <stddef.h>

/* Monotonic wall clock in seconds. */
double bench_now(void);
/* Median of v[0..n) (sorts v in place). */
double bench_median(double *v, size_t n);
/* Peak resident set size of this process in MiB (from /proc/self/status). */
double bench_peak_rss_mib(void);

#endif
