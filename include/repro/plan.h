/* plan.h - job files expanded into jobs, in one canonical order:
 * experiment (file order), data set (file order), repeat 0..R-1, model
 * (listed order). A job's random streams depend only on the seed and its
 * names (rng.h), never on the rank or the order jobs are run in. */
#ifndef REPRO_PLAN_H
#define REPRO_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "repro/data.h"
#include "repro/error.h"
#include "repro/jobfile.h"
#include "repro/model.h"

#define REPRO_DEFAULT_SEED 123
#define REPRO_MAX_SEEDS 1000 /* the most seeds one sweep may hold */

/* One fit of one model on one data set in one repeat. Pointers refer into
 * the plan's job files. A sweep's jobs are the single-seed jobs of each
 * seed in turn; a job's streams depend on its own seed only, so seed S's
 * jobs of a sweep compute exactly what a run with seed S alone does. */
typedef struct repro_job {
    uint32_t id;
    const repro_experiment *exp;
    const repro_job_dataset *ds;
    const repro_params *params;
    uint32_t repeat;
    uint64_t seed; /* the master seed this job's streams derive from */
    double cost; /* the model's cost estimate with the job's parameters and data kind (repro_params_cost_data) */
} repro_job;

/* Values that override the job files (from flags or the environment). */
typedef struct repro_plan_options {
    int has_seed;
    uint64_t seed;
    const uint64_t *seeds; /* a sweep (--seeds): n_seeds >= 2 seeds, over has_seed */
    size_t n_seeds;
    int has_repeats;
    uint32_t repeats;
    const char *models; /* "A,B": keep only these models; NULL keeps all */
    const char *experiments; /* "A,B": keep only these experiments; NULL keeps all */
    const char *datasets;    /* "A,B": keep only data sets of these names; NULL keeps all */
    const char *profile;     /* a profile's name (model.h), applied under the job files' own
                                lines and the sets; NULL: none (the CLI passes the default) */
    const char *const *sets; /* "MODEL.key=value": set in every experiment running MODEL */
    size_t n_sets;
} repro_plan_options;

typedef struct repro_plan {
    size_t n_files;
    repro_jobfile **files;
    uint64_t seed;        /* the seed of a single-seed plan; a sweep's first seed */
    size_t n_seeds;       /* 1, or the seeds of a sweep (outermost in the job order) */
    uint64_t *seeds;      /* n_seeds seeds, in the listed order */
    uint32_t repeats;     /* the override, else the largest repeats of the files */
    size_t n_jobs;
    repro_job *jobs;
    size_t max_d;
    char *text;           /* every file verbatim, each after a "### FILE name" line,
                             then the options' profile ("### PROFILE name" and
                             "### PROFILE_SETTINGS" with its settings by scope),
                             settings ("### SET MODEL.key=value") and filters
                             ("### MODELS A,B", "### EXPERIMENTS A,B",
                             "### DATASETS A,B") */
    char *names;          /* the file names separated by newlines */
    uint64_t fingerprint; /* hash of text (with the filters), seed and every job */
} repro_plan;

/* Builds a plan from parsed job files; takes ownership of files[0..n) (and
 * frees them on failure). The options' profile sets each model parameter
 * that the files' own lines leave (each setting only in experiments of its
 * scope's generator); then their parameter settings are applied over both
 * (so they win). Both are recorded in the plan's text ("### PROFILE",
 * "### PROFILE_SETTINGS" and "### SET" lines) and part of the fingerprint; so are the filters (models, experiments, data sets;
 * a job is kept if it passes all three), so a filtered plan's file is never
 * resumed as an unfiltered one. Fails with REPRO_EINVAL (message with
 * file:line) on an experiment defined in two files, conflicting seeds, a
 * filter that names an unknown model, experiment or data set (one line
 * listing the valid names) or leaves no job, an unknown profile, or a
 * setting that is malformed, names a model no experiment runs, or an
 * unknown parameter or bad value. */
int repro_plan_build(repro_jobfile **files, size_t n, const repro_plan_options *opt,
                     repro_plan **out, repro_error *err);
/* Parses a seed list such as "123,9001-9019" (decimal seeds and inclusive
 * ranges, comma-separated) into a new array *out of *n seeds in the listed
 * order. Fails with REPRO_EINVAL and a message naming the list on an empty
 * list or item, a reversed range, a duplicate seed, a number over 2^64-1,
 * or more than REPRO_MAX_SEEDS seeds. */
int repro_plan_parse_seeds(const char *text, uint64_t **out, size_t *n, repro_error *err);
/* Writes a seed list compactly ("123,9001-9019") into buf. */
void repro_plan_format_seeds(const uint64_t *seeds, size_t n, char *buf, size_t size);

/* Frees a plan and its job files; NULL is a no-op. */
void repro_plan_free(repro_plan *plan);

/* Estimated wall seconds of running the plan's jobs on `ranks` ranks with
 * `threads` threads per fit, from the jobs' cost estimates (seconds on one
 * core, divided by the threads): the jobs, most expensive first, each go to
 * the rank that is free first, as the scheduler hands them out. */
double repro_plan_wall_estimate(const repro_plan *plan, int ranks, int threads);

/* Number of features of a data set of the plan. */
size_t repro_job_d(const repro_job *job);

/* Generates the job's data set from its data stream (per repeat, or once per
 * data set under the "once" policy), standardized. */
int repro_plan_job_data(const repro_plan *plan, const repro_job *job, repro_dataset **out,
                        repro_error *err);
/* Seeds rng with the job's own stream. */
void repro_plan_job_stream(const repro_plan *plan, const repro_job *job, repro_rng *rng);

#endif
