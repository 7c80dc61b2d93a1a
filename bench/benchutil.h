/* benchutil.h - timing helpers shared by the benchmarks. */
#ifndef REPRO_BENCHUTIL_H
#define REPRO_BENCHUTIL_H

#include <stddef.h>
#include <stdint.h>

#include "repro/data.h"

/* Monotonic wall clock in seconds. */
double bench_now(void);
/* CPU seconds of this process (less sensitive than wall time to other load
 * on a shared machine; for single-threaded fits). */
double bench_cpu_now(void);
/* Mean of the values v[0..n) that are not exactly 0 (the paper's per-class
 * quirk); NAN when none is, as the reduction leaves such a cell missing. */
double bench_mean_nonzero(const double *v, int n);
/* Median of v[0..n) (sorts v in place). */
double bench_median(double *v, size_t n);
/* Peak resident set size of this process in MiB (from /proc/self/status). */
double bench_peak_rss_mib(void);
/* A standardized linear data set (noise 0) drawn from the stream seeded
 * (seed, 1); exits the benchmark on failure. */
repro_dataset *bench_linear_data(long n, long strong, long weak, long irr, uint64_t seed);

/* The published value of table `name` (e.g. "sim_scores", "prec_rec_ARFS")
 * in the row keyed key1 (and key2 for two-key tables, else NULL) and value
 * column col, from the paper's tables built into the program (PAPER.md's
 * reference/); -1 when there is no such cell. */
double bench_published(const char *name, const char *key1, const char *key2, const char *col);
/* The spec of linear toy set k (1-8) from the published sim_params table
 * (noise 0); 0 on success, -1 (message printed) if it is missing or bad. */
int bench_toy_spec(int k, repro_gen_spec *spec);

#endif
