/* pipeline.h - results files to tables, figures and the verification report:
 * read -> reduce -> verify, composed once for `reduce`, `verify` and the end
 * of `paper`. */
#ifndef REPRO_PIPELINE_H
#define REPRO_PIPELINE_H

#include <stddef.h>

#include "repro/error.h"
#include "repro/reduce.h"

/* Reads the results files paths[0..n) as one set and reduces it into outdir
 * (tables and figures; a sweep per seed and across seeds). *identical (if
 * not NULL) gets the number of jobs found in two files with identical
 * results, also when a later step fails; stats the counts of the reduction. */
int repro_pipeline_reduce(const char *const *paths, size_t n, const char *outdir,
                          repro_reduce_stats *stats, size_t *identical, repro_error *err);

/* repro_pipeline_reduce, then verification of the reduced tables against
 * the paper's with tolerance tol: writes outdir/REPORT.md (and a sweep's
 * verdict figures) and fills sum. */
int repro_pipeline_verify(const char *const *paths, size_t n, const char *outdir, double tol,
                          repro_reduce_stats *stats, repro_verify_summary *sum, size_t *identical,
                          repro_error *err);

#endif
