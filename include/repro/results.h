/* results.h - the results file: one HDF5 file written by all ranks through
 * MPI-IO (layout documented in jobs/README.md; guarantees in
 * docs/RELIABILITY.md).
 *
 * Every dataset is created collectively at the start with its final shape
 * (one row per job), contiguous and allocated early, under the name
 * `<path>.creating`, which rank 0 renames to `path` once every rank closed
 * it: a file at `path` is always complete. Every collective step is agreed
 * across ranks, so an error on one rank (a full disk) stops all of them
 * together. After that each rank writes only the rows of the jobs it
 * finished, independently, with a checksum of the row and the job's status
 * last; there are no metadata changes until the collective close. A killed
 * run therefore leaves a readable file in which every row marked done is
 * complete. Rank 0 holds an advisory lock (`<path>.lock`) for the whole run,
 * so a second run on the same file is refused. */
#ifndef REPRO_RESULTS_H
#define REPRO_RESULTS_H

#include <mpi.h>
#include <stddef.h>
#include <stdint.h>

#include "repro/error.h"
#include "repro/plan.h"
#include "repro/record.h"

#define REPRO_RESULTS_FORMAT "repro_mpi results 3"
#define REPRO_RESULTS_EXTRAS_LEN 4096
#define REPRO_RESULTS_MESSAGE_LEN 512
#define REPRO_RESULTS_HOST_LEN 64
#define REPRO_RESULTS_TIME_LEN 32
#define REPRO_RESULTS_NOTICE_LEN 1024
/* Most bytes of the job files' text recorded as one attribute: HDF5 keeps
 * attributes in the object header, at most 64 KiB with everything else the
 * root group holds there, so 60000 leaves room for the other attributes. */
#define REPRO_RESULTS_TEXT_MAX 60000

/* Provenance recorded as attributes at creation. */
typedef struct repro_run_info {
    const char *command_line;
    const char *versions;
    int ranks;
    int threads;
    const char *start_time; /* ISO 8601 UTC */
} repro_run_info;

/* What one finished (or failed) job writes into its row. */
typedef struct repro_job_row {
    uint32_t job;
    int status;                 /* REPRO_JOB_DONE or REPRO_JOB_FAILED */
    double train_score;
    double fit_seconds;
    int32_t rank;
    char host[REPRO_RESULTS_HOST_LEN];
    char start_time[REPRO_RESULTS_TIME_LEN];
    size_t d;
    const int *relevance;       /* d values, or NULL (failed) */
    const int *truth;           /* d values, or NULL */
    const double *importance;   /* d values, or NULL */
    const double *bounds;       /* 2d values, or NULL */
    const char *extras;         /* JSON object text, or NULL */
    const char *message;        /* error message of a failed job, or NULL */
    const repro_task_times *tasks; /* a split job's task times, or NULL (none) */
} repro_job_row;

typedef struct repro_results repro_results;

/* Creates the file at path with every dataset for plan's jobs and the
 * provenance attributes; refuses (REPRO_EINVAL) if the file exists or
 * another run holds its lock. A leftover `<path>.creating` of an unfinished
 * creation is replaced (see repro_results_notice). On failure nothing is left
 * at path or under the temporary name. plan must outlive the handle.
 * Collective over comm. */
int repro_results_create(const char *path, MPI_Comm comm, const repro_plan *plan,
                         const repro_run_info *info, repro_results **out, repro_error *err);

/* Reopens an existing file to resume plan. Rank 0 first checks the whole
 * file serially with the reader's validation (repro_results_read: types,
 * shapes, values, row checksums) and against the plan; it refuses
 * (REPRO_EINVAL, one line naming the dataset) a damaged, foreign or other
 * plan's file, leaving it untouched, or a file another run holds the lock
 * of. Fills status[0..n_jobs) with each job's recorded status on every rank;
 * finished rows that fail their checksum are set to pending (see
 * repro_results_notice). If only a leftover of an unfinished creation is
 * there, it is replaced by a new file (with info). Collective. */
int repro_results_reopen(const char *path, MPI_Comm comm, const repro_plan *plan, const repro_run_info *info,
                         int8_t *status, repro_results **out, repro_error *err);

/* What opening the file repaired (a leftover replaced, damaged rows to run
 * again), as one line for the user, or NULL. Rank 0 only. */
const char *repro_results_notice(const repro_results *res);

/* Writes one job's row, status last. Independent: only the calling rank. */
int repro_results_write_row(repro_results *res, const repro_job_row *row, repro_error *err);

/* Records end_time and closes the file (also frees res). Collective. */
int repro_results_close(repro_results *res, const char *end_time, repro_error *err);

#endif
