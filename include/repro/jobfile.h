/* jobfile.h - job files: INI text naming experiments, their data sets and
 * models (format documented in jobs/README.md).
 *
 *   [experiment toy_benchmarks]
 *   generator = linear          ; linear | nonlinear
 *   data      = per_repeat      ; per_repeat (fresh data each repeat) | once
 *   repeats   = 10
 *   models    = ElasticNet, FRI, RF, SQ
 *   SQ.n_resampling = 50        ; model parameter override (optional)
 *
 *   [dataset Set 1]             ; belongs to the experiment above it
 *   n = 150
 *   strong = 6
 *   weak = 0
 *   irrelevant = 6              ; or features = strong + weak + irrelevant
 *
 * Every error message starts with "FILE:LINE: ". */
#ifndef REPRO_JOBFILE_H
#define REPRO_JOBFILE_H

#include <stddef.h>
#include <stdint.h>

#include "repro/data.h"
#include "repro/error.h"
#include "repro/model.h"

#define REPRO_NAME_MAX 64
/* Most repeats of an experiment (job files, REPEATS, --repeats): a bound that
 * keeps a plan's job count, repeats x data sets x models, far from 2^32. */
#define REPRO_MAX_REPEATS 1000000
#define REPRO_JOBFILE_MAX_MODELS 16

typedef enum { REPRO_DATA_PER_REPEAT = 0, REPRO_DATA_ONCE = 1 } repro_data_policy;

/* One data set of an experiment. */
typedef struct repro_job_dataset {
    char name[REPRO_NAME_MAX];
    repro_gen_spec spec;
    int line; /* line of its section header */
} repro_job_dataset;

/* One experiment: a generator, a data policy, repeats, models, data sets. */
typedef struct repro_experiment {
    char name[REPRO_NAME_MAX];
    int line;
    repro_gen_kind generator;
    repro_data_policy data;
    uint32_t repeats;
    int fixed_repeats;  /* 1: REPEATS / --repeats do not change repeats */
    int has_seed;
    uint64_t seed;
    size_t n_models;
    repro_params models[REPRO_JOBFILE_MAX_MODELS]; /* defaults + overrides */
    unsigned own[REPRO_JOBFILE_MAX_MODELS];        /* bit i: models[m]'s parameter i set by the
                                                      file's own line (a profile leaves it) */
    size_t n_datasets;
    repro_job_dataset *datasets;
} repro_experiment;

/* A parsed job file; keeps its text verbatim (it goes into the results file). */
typedef struct repro_jobfile {
    char *name; /* the path (or name) it was read from */
    char *text;
    size_t n_experiments;
    repro_experiment *exp;
} repro_jobfile;

/* Parses the job file text `text` called `name`. Models are looked up in
 * `registry` (a NULL-terminated array; pass repro_models). On any error
 * (syntax, unknown section or key, bad number, missing field, duplicate,
 * unknown model or model parameter) returns REPRO_EINVAL with a message
 * starting "name:line: ". */
int repro_jobfile_parse(const char *name, const char *text,
                        const repro_model_type *const *registry, repro_jobfile **out,
                        repro_error *err);

/* Reads a whole text file into a NUL-terminated allocated string (a missing
 * or unreadable file, or one with NUL bytes, is REPRO_EINVAL). */
int repro_read_text_file(const char *path, char **out, repro_error *err);

/* Frees a job file; NULL is a no-op. */
void repro_jobfile_free(repro_jobfile *jf);

#endif
