/* job_exec.c - running one job: data, fit, row (see job_exec.h). */
#include "repro/job_exec.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "repro/json.h"
#include "repro/record.h"
#include "repro/utctime.h"

/* Seconds on a monotonic clock. */
static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Writes why the job failed into out->message, cut to the results file's
 * column (a longer model message is truncated there anyway). */
static void say(repro_job_run *out, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void say(repro_job_run *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->message, sizeof out->message, fmt, ap);
    va_end(ap);
}

int repro_job_prepare(const repro_plan *plan, const repro_job *job, int rank, repro_job_run *out)
{
    repro_job_row *row = &out->row;
    memset(out, 0, sizeof *out);
    row->job = job->id;
    row->rank = rank;
    row->d = repro_job_d(job);
    row->train_score = NAN;
    row->fit_seconds = NAN;
    row->status = REPRO_JOB_FAILED;
    row->message = out->message;
    if (gethostname(row->host, sizeof row->host) != 0)
        snprintf(row->host, sizeof row->host, "unknown");
    row->host[sizeof row->host - 1] = '\0';
    repro_utc_now(row->start_time, sizeof row->start_time);

    repro_error err;
    repro_error_clear(&err);
    if (repro_plan_job_data(plan, job, &out->data, &err)) {
        say(out, "generating the data failed: %s", err.msg);
        return REPRO_EFAIL;
    }
    row->truth = out->data->truth;
    return REPRO_OK;
}

void repro_job_conclude(const repro_job *job, int rc, const repro_error *fit_err, double fit_seconds,
                        repro_job_run *out)
{
    const repro_model_type *type = job->params->type;
    repro_job_row *row = &out->row;
    repro_fit_result *res = &out->res;
    repro_error err;
    repro_error_clear(&err);
    row->fit_seconds = fit_seconds;
    if (rc) {
        say(out, "%s failed (%s): %s", type->name, repro_error_name(rc), fit_err->msg[0] ? fit_err->msg : "no message");
        return;
    }
    if (res->d != row->d || !res->relevance) {
        say(out, "%s returned %zu relevance values for %zu features", type->name, res->d, row->d);
        return;
    }
    if (repro_json_extras(res, &out->extras, &err)) {
        say(out, "%s", err.msg);
        return;
    }
    if (strlen(out->extras) >= REPRO_RESULTS_EXTRAS_LEN) {
        say(out, "%s's extras take %zu bytes as JSON, more than the %d allowed", type->name, strlen(out->extras), REPRO_RESULTS_EXTRAS_LEN - 1);
        return;
    }
    row->status = REPRO_JOB_DONE;
    row->message = NULL;
    row->relevance = res->relevance;
    row->importance = res->importance;
    row->bounds = res->bounds;
    row->train_score = res->train_score;
    row->extras = out->extras;
}

void repro_job_exec(const repro_plan *plan, const repro_job *job, int threads, int rank, repro_job_run *out)
{
    if (repro_job_prepare(plan, job, rank, out))
        return;
    repro_error err;
    repro_error_clear(&err);
    repro_rng rng;
    repro_plan_job_stream(plan, job, &rng);
    double t0 = now_s();
    int rc = job->params->type->fit(out->data, job->params, &rng, threads, &out->res, &err);
    repro_job_conclude(job, rc, &err, now_s() - t0, out);
}

void repro_job_run_clear(repro_job_run *run)
{
    repro_fit_result_clear(&run->res);
    repro_dataset_free(run->data);
    free(run->extras);
    memset(run, 0, sizeof *run);
}
