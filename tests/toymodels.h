/* toymodels.h - two small models for the runner's tests, defined in the tests
 * (so the runner is tested whatever models are registered):
 *   Corr  - permutation test of each feature's correlation with the label;
 *           classes, importances, bounds and extras; OpenMP over features
 *           with one child stream per feature, so results do not depend on
 *           the thread count; `perms` sets the work.
 *   Fail  - the same, but gives up (REPRO_EFAIL) on more than `max_d`
 *           features: a data set that makes the solver fail.
 * And a job file over them shared by the job file and plan tests. */
#ifndef REPRO_TOYMODELS_H
#define REPRO_TOYMODELS_H

#include "repro/jobfile.h"
#include "repro/model.h"

/* The two models, and both as a NULL-terminated registry. */
extern const repro_model_type model_corr, model_fail;
extern const repro_model_type *const toy_models[];

/* Two experiments (lin: data sets A and B, 3 repeats, Corr and Fail with
 * Corr.perms = 7; nl: data set N, 2 repeats, Corr). */
extern const char *const good_file;

/* Parses text as job file `name` with toy_models; asserts success. */
repro_jobfile *parse_ok(const char *name, const char *text);

/* One experiment of 8 jobs (data sets narrow, 4 features, and wide, 7; 2
 * repeats; Corr, and Fail with max_d 5, which fails on wide). */
extern const char *const run_file;

/* `repro_mpi run JOBFILE -o OUT [EXTRA]` with toy_models, in this process;
 * returns the exit code. */
int run_cli(const char *jobfile, const char *out, const char *extra);

#endif
