/* job_exec.h - running one job of a plan here: its data, its fit, its row.
 *
 * The scheduler (sched.h) decides which rank runs which job; this module is
 * what a rank does with a job it was given. No MPI: a job's result depends
 * only on the plan and the job (its streams derive from its identity), never
 * on the rank that runs it. */
#ifndef REPRO_JOB_EXEC_H
#define REPRO_JOB_EXEC_H

#include <stddef.h>

#include "repro/data.h"
#include "repro/model.h"
#include "repro/plan.h"
#include "repro/results.h"

/* One job run here, with everything its row points into. */
typedef struct repro_job_run {
    repro_job_row row;  /* what goes into the results file */
    repro_fit_result res;
    repro_dataset *data;
    char *extras;       /* the model's extras as JSON */
    char message[REPRO_RESULTS_MESSAGE_LEN]; /* why it failed, as long as the file's column */
} repro_job_run;

/* Runs job here on `rank`: generates its data, fits its model with `threads`
 * threads, and fills *out (whose row points into *out; free what it owns
 * with repro_job_run_clear in every case). Never fails itself: a failure of
 * the data or the model becomes a failed row with a message. */
void repro_job_exec(const repro_plan *plan, const repro_job *job, int threads, int rank, repro_job_run *out);

/* The two halves of repro_job_exec around the fit, for a fit run
 * elsewhere (a split job, whose tasks run on many ranks): prepare fills the
 * row's identity and start time and generates the data into out->data
 * (nonzero: out is then a failed row); conclude turns the fit's outcome (rc,
 * its message in err, the result in out->res, its time) into the row. */
int repro_job_prepare(const repro_plan *plan, const repro_job *job, int rank, repro_job_run *out);
void repro_job_conclude(const repro_job *job, int rc, const repro_error *err, double fit_seconds,
                        repro_job_run *out);

/* Frees what a run owns and zeroes it (a zeroed run is a no-op). */
void repro_job_run_clear(repro_job_run *run);

#endif
