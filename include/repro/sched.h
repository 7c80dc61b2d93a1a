/* sched.h - running a plan over MPI ranks with dynamic load balancing.
 *
 * Rank 0 keeps the queue of jobs, most expensive first (the models'
 * cost(n, d) estimates), and hands the next one to any rank that asks;
 * meanwhile it computes jobs itself on a second thread, so a run on one rank
 * simply runs everything. Each rank writes the rows of the jobs it finished
 * into the results file. A job whose model or data fails is recorded as
 * failed with its message; the run goes on. */
#ifndef REPRO_SCHED_H
#define REPRO_SCHED_H

#include <mpi.h>
#include <stddef.h>

#include "repro/error.h"
#include "repro/model.h"
#include "repro/plan.h"
#include "repro/results.h"

/* Progress as rank 0 sees it. */
typedef struct repro_progress {
    size_t total;     /* jobs to run in this session */
    size_t done;      /* finished successfully */
    size_t failed;
    size_t skipped;   /* already done in the file (--resume) */
    double elapsed;   /* seconds since the start */
    double eta;       /* seconds, estimated from the costs; < 0 if unknown */
    int final;        /* the last call */
} repro_progress;

/* A job that failed (rank 0 collects them for the summary). */
typedef struct repro_failure {
    uint32_t job;
    char message[256];
} repro_failure;

typedef struct repro_sched_options {
    int threads;          /* OpenMP threads per fit */
    int resume;
    const char *path;     /* the results file */
    repro_run_info info;  /* provenance for a new file */
    /* Called on rank 0 after each finished job and about once a second. */
    void (*progress)(const repro_progress *p, void *user);
    void *user;
    /* Called on rank 0 with a line about what opening the results file
     * repaired (a leftover replaced, damaged rows to compute again); may be
     * NULL. */
    void (*notice)(const char *line, void *user);
} repro_sched_options;

/* How often (milliseconds) a rank checks that its launcher is alive. */
#define REPRO_SCHED_WATCH_MS 100

/* Failed jobs whose messages a summary keeps. */
#define REPRO_SCHED_FAILURES 100

typedef struct repro_sched_summary {
    repro_progress last;  /* last.failed: rank 0's failed jobs, the first
                             REPRO_SCHED_FAILURES of them in failures */
    repro_failure failures[REPRO_SCHED_FAILURES];
} repro_sched_summary;

/* Runs every job of plan (only those not done, when resuming) and writes
 * the results file. Collective over comm. A rank started by an MPI launcher
 * (mpirun, orted) ends itself within REPRO_SCHED_WATCH_MS when that launcher
 * is gone, so a killed mpirun does not leave ranks writing. Returns REPRO_OK even if jobs
 * failed (see summary); an error code only when the run itself could not
 * proceed (file, MPI). */
int repro_sched_run(MPI_Comm comm, const repro_plan *plan, const repro_sched_options *opt,
                    repro_sched_summary *summary, repro_error *err);

/* Runs one job here: generates its data, fits its model with `threads`
 * threads, and fills row (owning the arrays in *res and *extras, which the
 * caller frees in every case, with repro_fit_result_clear / free). Never
 * fails itself: a failure of the data or the model becomes a failed row with
 * a message. */
void repro_sched_exec(const repro_plan *plan, const repro_job *job, int threads, int rank,
                      repro_job_row *row, repro_fit_result *res, repro_dataset **data,
                      char **extras, char *message, size_t message_size);

#endif
