/* sched.h - running a plan over MPI ranks with dynamic load balancing.
 *
 * Rank 0 keeps the queue of jobs, most expensive first (the models'
 * cost(n, d) estimates; the policy is deal.h's), and hands the next one to
 * any rank that asks; meanwhile it computes jobs itself on a second thread,
 * so a run on one rank simply runs everything. Each rank runs its jobs
 * (job_exec.h) and writes their rows into the results file. A job whose
 * model splits into tasks (model.h's repro_model_split) is instead started
 * on rank 0, its tasks are dealt to any ranks (tasks of started jobs before
 * new jobs, at most one split job per rank in flight), and rank 0 merges
 * their outputs and writes the row; the results are the same as the whole
 * job's (docs/SCALING.md). A job whose model or data fails (or one of whose
 * tasks fails) is recorded as failed with its message; the run goes on. */
#ifndef REPRO_SCHED_H
#define REPRO_SCHED_H

#include <mpi.h>
#include <stddef.h>

#include "repro/error.h"
#include "repro/model.h"
#include "repro/plan.h"
#include "repro/progress.h"
#include "repro/results.h"

/* A job that failed (rank 0 collects them for the summary). */
typedef struct repro_failure {
    uint32_t job;
    char message[REPRO_RESULTS_MESSAGE_LEN]; /* as long as the results file's column */
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
    /* 1: run every job whole, even those of models that split into tasks
     * (model.h's repro_model_split); results are the same either way. */
    int no_split;
    /* 1: this process was started by an MPI launcher (mpirun, orted, srun),
     * as its environment said before MPI_Init (a singleton's MPI_Init sets
     * the same variables): each rank then ends within REPRO_SCHED_WATCH_MS
     * when its launcher is gone. 0: a singleton, which keeps running when the
     * shell that started it goes away. */
    int launched;
} repro_sched_options;

/* How often (milliseconds) a rank checks that its launcher is alive. */
#define REPRO_SCHED_WATCH_MS 100

/* Failed jobs whose messages a summary keeps. */
#define REPRO_SCHED_FAILURES 100

typedef struct repro_sched_summary {
    repro_progress last;  /* last.failed: rank 0's failed jobs, the first
                             REPRO_SCHED_FAILURES of them in failures */
    repro_failure failures[REPRO_SCHED_FAILURES];
    size_t split_jobs;      /* jobs run as tasks (model.h's repro_model_split) */
    size_t tasks;           /* their tasks dealt */
    size_t tasks_elsewhere; /* of those, dealt to ranks other than 0 */
    /* Rank-seconds spent on units (dealt to reported, as rank 0 sees it,
     * so a unit's messages count) and the loop's wall seconds: busy /
     * (ranks x wall) is the run's parallel efficiency on its ranks. */
    double busy_seconds;
    double wall_seconds;
    int ranks;
} repro_sched_summary;

/* Runs every job of plan (only those not done, when resuming) and writes
 * the results file. Collective over comm. A rank started by an MPI launcher
 * (opt->launched) ends itself within REPRO_SCHED_WATCH_MS when that launcher
 * is gone, so a killed mpirun does not leave ranks writing. Returns REPRO_OK even if jobs
 * failed (see summary); an error code only when the run itself could not
 * proceed (file, MPI). */
int repro_sched_run(MPI_Comm comm, const repro_plan *plan, const repro_sched_options *opt,
                    repro_sched_summary *summary, repro_error *err);

#endif
