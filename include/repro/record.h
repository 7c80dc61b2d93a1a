/* record.h - the jobs of a results file as the reduction sees them.
 *
 * `results` (the HDF5 layer) fills a repro_result_set from a file; `reduce`
 * turns one into tables, figures and the verification report. Tests can also
 * build a set in memory. */
#ifndef REPRO_RECORD_H
#define REPRO_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "repro/error.h"

typedef enum {
    REPRO_JOB_PENDING = 0, /* not (yet) run, or interrupted */
    REPRO_JOB_DONE = 1,
    REPRO_JOB_FAILED = 2
} repro_job_status;

/* The scores of one finished job against its truth, as stored in the
 * results file: the all-relevant problem (positives: class > 0; 0/0 -> 0,
 * as the paper's sim_scores) and, for models with classes (max_class 2),
 * each class's precision and recall (0/0 -> 1, as prec_rec_ARFS). NaN where
 * a score does not apply (a job not done; the classes of a selector). */
typedef struct repro_job_scores {
    double precision, recall, f1;
    double weak_precision, weak_recall;
    double strong_precision, strong_recall;
} repro_job_scores;

/* Scores the predicted classes pred[0..d) against truth[0..d); the per-class
 * scores only if with_classes (else NaN). Every score NaN if d is 0. The one
 * computation of the writer, the reader's check and the reduction.
 * Returns REPRO_ENOMEM (all NaN) when out of memory. */
int repro_job_scores_compute(const int8_t *truth, const int8_t *pred, size_t d, int with_classes,
                             repro_job_scores *out, repro_error *err);
/* Sets every score to NaN. */
void repro_job_scores_none(repro_job_scores *out);

/* Most stages of a split job whose task times a results file records (as
 * model.h's REPRO_SPLIT_MAX_STAGES). */
#define REPRO_TASK_STAGES 8

/* The measured run times of a split job's tasks, stage by stage in the order
 * the stages ran: count[s] tasks that reported, their summed and their
 * longest run time (seconds). n_stages 0: a whole job, or nothing recorded.
 * Stages past REPRO_TASK_STAGES count in the last one. */
typedef struct repro_task_times {
    size_t n_stages;
    uint32_t count[REPRO_TASK_STAGES];
    double seconds[REPRO_TASK_STAGES];
    double longest[REPRO_TASK_STAGES];
} repro_task_times;

/* One job (experiment x dataset x repeat x model). Arrays have d entries
 * (bounds 2*d) and are owned by the record; importance/bounds may be NULL. */
typedef struct repro_record {
    char experiment[64];
    char dataset[64];
    char model[32];
    uint32_t repeat;
    uint64_t seed;           /* the job's master seed (the set's seed unless a sweep) */
    int status;              /* repro_job_status */
    double train_score;
    double fit_seconds;
    size_t n;                /* rows of the job's data set (0 if unknown) */
    size_t d;
    int8_t *relevance;       /* predicted classes, -1 where unknown */
    int8_t *truth;           /* true classes (generated data) */
    double *importance;      /* NULL if the model reports none */
    double *bounds;          /* NULL if none; lo/hi pairs */
    char *extras_json;       /* the model's extras as one JSON object, or NULL */
    char *message;           /* error message of a failed job, or NULL */
    repro_job_scores scores; /* as stored in the file (NaN where none); a set
                                built in memory may leave them zero */
    repro_task_times tasks;  /* a split job's measured task times (n_stages 0: none) */
} repro_record;

typedef struct repro_result_set {
    size_t n;
    repro_record *rec;
    uint64_t seed;           /* the seed, or a sweep's first seed */
    size_t n_seeds;          /* 1, or the number of seeds of a sweep */
    uint32_t repeats;
    char *provenance;        /* free text: versions, command line, times; may be NULL */
    char *job_files;         /* the job files' text as recorded (`job_files`), or NULL */
    int has_tasks;           /* 1: the file records split jobs' task times (/tasks) */
} repro_result_set;

/* Allocates a set of n zeroed records. */
repro_result_set *repro_result_set_alloc(size_t n, repro_error *err);
/* Frees a set and everything its records own; NULL is a no-op. */
void repro_result_set_free(repro_result_set *set);
/* Allocates the arrays of one record for d features (relevance and truth
 * filled with -1; importance and bounds only if asked). */
/* Frees what a record owns (its arrays and strings) and zeroes it. */
void repro_record_clear(repro_record *r);
int repro_record_init(repro_record *r, size_t d, int with_importance, int with_bounds,
                      repro_error *err);

/* Reads every job of a results file (implemented by the results module).
 * Not collective: opens the file with the serial driver. Fails with
 * REPRO_EINVAL and a clear message on a missing, truncated or foreign file. */
int repro_results_read(const char *path, repro_result_set **out, repro_error *err);

#endif
