/* sched.c - the MPI protocol that deals a plan's jobs, and the tasks of
 * split jobs, to ranks (see sched.h). Running one job is job_exec.c's; the
 * order jobs are dealt in is deal.c's; how a model splits is its own
 * (model.h's repro_model_split).
 *
 * Protocol: a rank other than 0 sends a report (the unit it finished, or
 * job -1 at the start) to rank 0 with tag SCHED_TAG_REPORT, followed by the
 * task's output bytes (tag SCHED_TAG_BLOB) when the unit was a task that
 * produced some; it then receives its next unit with tag SCHED_TAG_JOB (job
 * -1: stop), followed by the stage's input bytes (tag SCHED_TAG_BLOB) for a
 * task. A unit is a whole job (stage -1) or task `task` of stage `stage` of
 * a split job. Rank 0's main thread answers these between polls, feeds a
 * compute thread of its own, runs the split jobs' cheap serial steps (begin,
 * merge, finish) and writes their rows; only the main thread calls MPI or
 * HDF5. */
#include "repro/sched.h"

#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "repro/deal.h"
#include "repro/job_exec.h"
#include "repro/mpicheck.h"
#include "repro/record.h"
#include "repro/utctime.h"

/* Message tags of the protocol. */
enum { SCHED_TAG_REPORT = 71, SCHED_TAG_JOB = 72, SCHED_TAG_BLOB = 73 };
/* A report's status when the rank could not write its row: the run stops. */
enum { STATUS_FATAL = -2 };

/* Rank 0's main loop naps this long when a round found nothing to do: short
 * against any fit, long enough not to take a core from the compute thread. */
#define SCHED_IDLE_NAP_NS 2000000L
/* At the end, rank 0 polls its compute thread's job this often until it
 * finishes (the thread cannot be interrupted inside a fit). */
#define SCHED_DRAIN_NAP_NS 10000000L
/* The progress callback runs at most this often unless a job finished; the
 * ETA (a replay of the queue, deal.h) is computed at most this often. */
#define SCHED_TICK_S 1.0

typedef struct report {
    int32_t job;    /* finished job (or the task's job), or -1 */
    int32_t status; /* REPRO_JOB_DONE, REPRO_JOB_FAILED or STATUS_FATAL */
    int32_t stage;  /* -1: a whole job; else the task's stage */
    int32_t task;
    double seconds;   /* a task's run time */
    uint64_t out_len; /* a task's output bytes, sent next */
    char message[REPRO_RESULTS_MESSAGE_LEN];
} report;

/* A unit dealt to a rank. */
typedef struct assign {
    int32_t job;   /* -1: stop */
    int32_t stage; /* -1: the whole job */
    int32_t task;
    int32_t pad;
    uint64_t in_len; /* the stage's input bytes, sent next */
} assign;

/* Seconds on a monotonic clock. */
static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Formats a message into dst, cut to size (a report or failure message is
 * as long as the results file's column; longer text is cut there anyway). */
static void put(char *dst, size_t size, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static void put(char *dst, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(dst, size, fmt, ap);
    va_end(ap);
}

/* Sleeps ns nanoseconds. */
static void nap(long ns)
{
    struct timespec t = {0, ns};
    nanosleep(&t, NULL);
}

/* Runs task `task` of stage `stage` of split job `job` on data ds (NULL:
 * generates it into *cache, kept for the next task of the same job, whose
 * id *cache_job holds): writes its output, time and, on failure, a message;
 * returns REPRO_JOB_DONE or REPRO_JOB_FAILED. */
static int run_task(const repro_plan *plan, const repro_job *job, const repro_dataset *ds, repro_dataset **cache,
                    int32_t *cache_job, int stage, int task, const unsigned char *in, size_t in_len, int threads,
                    repro_blob *out, double *seconds, char *message, size_t msize)
{
    const repro_model_type *type = job->params->type;
    repro_error err;
    repro_error_clear(&err);
    memset(out, 0, sizeof *out);
    *seconds = 0.0;
    if (!ds) {
        if (*cache_job != (int32_t)job->id) {
            repro_dataset_free(*cache);
            *cache = NULL;
            *cache_job = -1;
            if (repro_plan_job_data(plan, job, cache, &err)) {
                put(message, msize, "generating the data failed: %s", err.msg);
                return REPRO_JOB_FAILED;
            }
            *cache_job = (int32_t)job->id;
        }
        ds = *cache;
    }
    repro_rng rng;
    repro_plan_job_stream(plan, job, &rng);
    double t0 = now_s();
    int rc = type->split->run_task(ds, job->params, &rng, stage, in, in_len, (size_t)task, threads, out, &err);
    *seconds = now_s() - t0;
    if (rc) {
        free(out->data);
        memset(out, 0, sizeof *out);
        put(message, msize, "%s failed (%s) in task %d of stage %d: %s", type->name, repro_error_name(rc), task,
            stage, err.msg[0] ? err.msg : "no message");
        return REPRO_JOB_FAILED;
    }
    return REPRO_JOB_DONE;
}

/* Rank 0's compute thread and its hand-over state. */
enum { W_IDLE, W_ASSIGNED, W_RUNNING, W_FINISHED, W_QUIT };
typedef struct compute {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int state;
    uint32_t job;
    int32_t stage, task;      /* stage -1: the whole job */
    const repro_dataset *ds;  /* a task's data and input (rank 0's, read-only) */
    const unsigned char *in;
    size_t in_len;
    const repro_plan *plan;
    int threads;
    repro_job_run out;        /* a whole job's outcome */
    repro_blob tout;          /* a task's outcome */
    int tstatus;
    double tseconds;
    char tmessage[REPRO_RESULTS_MESSAGE_LEN];
} compute;

/* The compute thread: waits for a unit, runs it, marks it finished. */
static void *compute_main(void *arg)
{
    compute *w = arg;
    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (w->state != W_ASSIGNED && w->state != W_QUIT)
            pthread_cond_wait(&w->wake, &w->lock);
        if (w->state == W_QUIT)
            break;
        w->state = W_RUNNING;
        uint32_t job = w->job;
        pthread_mutex_unlock(&w->lock);
        if (w->stage < 0) {
            repro_job_exec(w->plan, &w->plan->jobs[job], w->threads, 0, &w->out);
        } else {
            int32_t none = -1;
            w->tstatus = run_task(w->plan, &w->plan->jobs[job], w->ds, NULL, &none, w->stage, w->task, w->in,
                                  w->in_len, w->threads, &w->tout, &w->tseconds, w->tmessage, sizeof w->tmessage);
        }
        pthread_mutex_lock(&w->lock);
        w->state = W_FINISHED;
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

/* A split job in flight on rank 0: its state, data and row, the current
 * stage and its tasks' outputs. */
typedef struct split_job {
    int32_t job;          /* -1: a free place */
    void *state;
    repro_job_run run;    /* the row being built, with the data */
    repro_split_stage st; /* the current stage */
    repro_blob *out;      /* its tasks' outputs */
    uint32_t *order;      /* its tasks in dealing order */
    size_t dealt, done;
    double seconds;       /* the tasks' summed run times: the row's fit_seconds */
    repro_task_times times; /* and per stage, for the row's task times */
    int failed;
    repro_error err;      /* the first failure */
} split_job;

/* Rank 0's bookkeeping. Per rank (slot): the unit in flight, its cost and
 * when it was dealt, for the progress line and its ETA. */
typedef struct master {
    const repro_plan *plan;
    const repro_sched_options *opt;
    repro_sched_summary *sum;
    repro_results *res;
    int slots;               /* ranks */
    uint32_t *order;         /* jobs to run, in dealing order */
    size_t n_order, next;
    double *cost;            /* per plan job: its cost estimate */
    int32_t *slot_job;       /* per rank: job of the unit in flight, or -1 */
    double *slot_cost;       /* per rank: that unit's cost estimate */
    double *slot_start;      /* per rank: when it was dealt */
    int *waiting;            /* per rank: asked for a unit not given yet */
    double *est, *ran;       /* per rank: workspace of the ETA */
    repro_running *running;  /* per rank: workspace of the progress line */
    split_job *sj;           /* split jobs in flight, at most n_sj */
    int n_sj;
    double timed_seconds;    /* wall seconds of the finished units (dealt to reported) */
    double timed_cost;       /* and their summed cost estimates */
    double t0, last_report, last_eta, eta;
    int fatal;
    repro_error fatal_err;
} master;

/* Allocates rank 0's per-rank and per-job arrays; 0 when out of memory. */
static int master_alloc(master *m, int slots, size_t n_jobs)
{
    size_t s = (size_t)slots;
    m->slots = slots;
    m->n_sj = slots;
    m->order = malloc((n_jobs ? n_jobs : 1) * sizeof *m->order);
    m->cost = malloc((n_jobs ? n_jobs : 1) * sizeof *m->cost);
    m->slot_job = malloc(s * sizeof *m->slot_job);
    m->slot_cost = calloc(s, sizeof *m->slot_cost);
    m->slot_start = calloc(s, sizeof *m->slot_start);
    m->waiting = calloc(s, sizeof *m->waiting);
    m->est = malloc(s * sizeof *m->est);
    m->ran = malloc(s * sizeof *m->ran);
    m->running = malloc(s * sizeof *m->running);
    m->sj = calloc(s, sizeof *m->sj);
    if (m->slot_job)
        for (size_t r = 0; r < s; r++)
            m->slot_job[r] = -1;
    if (m->sj)
        for (size_t k = 0; k < s; k++)
            m->sj[k].job = -1;
    return m->order && m->cost && m->slot_job && m->slot_cost && m->slot_start && m->waiting && m->est &&
           m->ran && m->running && m->sj;
}

/* Frees a split job's place (its row is written or abandoned). */
static void sj_free(const master *m, split_job *s)
{
    if (s->job < 0)
        return;
    if (s->state)
        m->plan->jobs[s->job].params->type->split->free(s->state);
    if (s->out)
        for (size_t t = 0; t < s->st.n_tasks; t++)
            free(s->out[t].data);
    free(s->out);
    free(s->order);
    repro_job_run_clear(&s->run);
    memset(s, 0, sizeof *s);
    s->job = -1;
}

/* Frees what master_alloc allocated (and split jobs left in flight). */
static void master_free(master *m)
{
    if (m->sj)
        for (int k = 0; k < m->n_sj; k++)
            sj_free(m, &m->sj[k]);
    free(m->order);
    free(m->cost);
    free(m->slot_job);
    free(m->slot_cost);
    free(m->slot_start);
    free(m->waiting);
    free(m->est);
    free(m->ran);
    free(m->running);
    free(m->sj);
}

/* Frees `rank`'s slot after its unit ended, timing it for the ETA. */
static void unit_end(master *m, int rank)
{
    if (m->slot_job[rank] >= 0) {
        m->timed_seconds += now_s() - m->slot_start[rank];
        m->timed_cost += m->slot_cost[rank];
    }
    m->slot_job[rank] = -1;
}

/* Counts a finished job (its row written, or a fatal write failure). */
static void job_end(master *m, int32_t job, int32_t status, const char *message)
{
    if (job < 0)
        return;
    if (status == STATUS_FATAL) {
        if (!m->fatal)
            repro_error_set(&m->fatal_err, REPRO_EIO, "%s", message);
        m->fatal = 1;
        return;
    }
    if (status == REPRO_JOB_DONE) {
        m->sum->last.done++;
    } else {
        if (m->sum->last.failed < REPRO_SCHED_FAILURES) {
            repro_failure *f = &m->sum->failures[m->sum->last.failed];
            f->job = (uint32_t)job;
            put(f->message, sizeof f->message, "%s", message);
        }
        m->sum->last.failed++;
    }
}

/* Writes a row built on rank 0 and counts its job. */
static void write_row(master *m, repro_job_run *run)
{
    repro_error werr;
    repro_error_clear(&werr);
    if (repro_results_write_row(m->res, &run->row, &werr))
        job_end(m, (int32_t)run->row.job, STATUS_FATAL, werr.msg);
    else
        job_end(m, (int32_t)run->row.job, run->row.status, run->message);
}

/* Ends a split job: its row from the fit's outcome rc (message in err; the
 * result in s->run.res), written by rank 0; frees its place. */
static void sj_close(master *m, split_job *s, int rc, const repro_error *err)
{
    repro_job_conclude(&m->plan->jobs[s->job], rc, err, s->seconds, &s->run);
    s->run.row.tasks = &s->times;
    write_row(m, &s->run);
    sj_free(m, s);
}

/* Sets up the split job's next stage, or finishes it when none is left. */
static void sj_stage(master *m, split_job *s)
{
    const repro_model_split *sp = m->plan->jobs[s->job].params->type->split;
    repro_error err;
    repro_error_clear(&err);
    if (s->out)
        for (size_t t = 0; t < s->st.n_tasks; t++)
            free(s->out[t].data);
    free(s->out);
    free(s->order);
    s->out = NULL;
    s->order = NULL;
    s->dealt = s->done = 0;
    int rc = sp->next(s->state, &s->st, &err);
    if (rc == REPRO_OK && s->st.n_tasks == 0) {
        rc = sp->finish(s->state, &s->run.res, &err);
        sj_close(m, s, rc, &err);
        return;
    }
    if (rc == REPRO_OK) {
        s->out = repro_calloc(s->st.n_tasks, sizeof *s->out, &err);
        s->order = repro_malloc(s->st.n_tasks, sizeof *s->order, &err);
        rc = s->out && s->order ? REPRO_OK : REPRO_ENOMEM;
    }
    if (rc) {
        s->st.n_tasks = 0;
        sj_close(m, s, rc, &err);
        return;
    }
    _Static_assert(REPRO_TASK_STAGES == REPRO_SPLIT_MAX_STAGES, "task times: one record per stage");
    if (s->times.n_stages < REPRO_TASK_STAGES) /* later stages count in the last */
        s->times.n_stages++;
    /* the stage's tasks most expensive first, as jobs are dealt */
    for (size_t t = 0; t < s->st.n_tasks; t++)
        s->order[t] = (uint32_t)t;
    repro_deal_order(s->st.cost, s->order, s->st.n_tasks);
}

/* Starts split job `job` in place s: its data and row on rank 0, the
 * model's prelude, its first stage (or its failed row). */
static void sj_start(master *m, split_job *s, uint32_t job)
{
    const repro_job *jb = &m->plan->jobs[job];
    memset(s, 0, sizeof *s);
    s->job = (int32_t)job;
    m->sum->split_jobs++;
    if (repro_job_prepare(m->plan, jb, 0, &s->run)) {
        write_row(m, &s->run);
        sj_free(m, s);
        return;
    }
    repro_rng rng;
    repro_plan_job_stream(m->plan, jb, &rng);
    repro_error err;
    repro_error_clear(&err);
    int rc = jb->params->type->split->begin(s->run.data, jb->params, &rng, repro_deal_max_tasks(jb->cost),
                                            &s->state, &err);
    if (rc) {
        s->state = NULL;
        sj_close(m, s, rc, &err);
        return;
    }
    sj_stage(m, s);
}

/* A task of a split job ended (out is taken over): keeps its output,
 * merges the stage when its last task is in, and ends the job on a failure
 * once its tasks in flight are back. */
static void sj_task_done(master *m, int32_t job, int32_t stage, int32_t task, int status, const char *message,
                         repro_blob *out, double seconds)
{
    split_job *s = NULL;
    for (int k = 0; k < m->n_sj && !s; k++)
        if (m->sj[k].job == job)
            s = &m->sj[k];
    if (!s || stage != s->st.id || task < 0 || (size_t)task >= s->st.n_tasks) {
        free(out->data);
        return;
    }
    s->done++;
    s->seconds += seconds;
    size_t k = s->times.n_stages - 1;
    s->times.count[k]++;
    s->times.seconds[k] += seconds;
    s->times.longest[k] = fmax(s->times.longest[k], seconds);
    s->out[task] = *out;
    memset(out, 0, sizeof *out);
    if (status != REPRO_JOB_DONE && !s->failed) {
        s->failed = 1;
        repro_error_set(&s->err, REPRO_EFAIL, "%s", message);
    }
    if (s->failed) {
        if (s->done == s->dealt) {
            /* the message already names the model and the failure */
            repro_job_conclude(&m->plan->jobs[s->job], REPRO_EFAIL, &s->err, s->seconds, &s->run);
            put(s->run.message, sizeof s->run.message, "%s", s->err.msg);
            s->run.row.tasks = &s->times;
            write_row(m, &s->run);
            sj_free(m, s);
        }
        return;
    }
    if (s->done < s->st.n_tasks)
        return;
    repro_error err;
    repro_error_clear(&err);
    int rc = m->plan->jobs[s->job].params->type->split->merge(s->state, s->out, s->st.n_tasks, &err);
    if (rc)
        sj_close(m, s, rc, &err);
    else
        sj_stage(m, s);
}

/* A unit to deal. */
typedef struct unit {
    int32_t job, stage, task;
    const unsigned char *in;
    size_t in_len;
    const repro_dataset *ds; /* rank 0's copy of a task's data */
} unit;

/* Whether splitting applies to job j. */
static int splits(const master *m, uint32_t j)
{
    return !m->opt->no_split && m->plan->jobs[j].params->type->split != NULL;
}

/* Next unit for `rank` (recorded as in flight there): first a task of a
 * split job in flight (so started jobs finish and memory stays bounded),
 * else the next job by cost, a split job being started here (at most n_sj
 * at a time). 0 when there is nothing to deal now or the run stops. */
static int next_unit(master *m, int rank, unit *u)
{
    if (m->fatal)
        return 0;
    for (;;) {
        for (int k = 0; k < m->n_sj; k++) {
            split_job *s = &m->sj[k];
            if (s->job < 0 || s->failed || s->dealt >= s->st.n_tasks)
                continue;
            uint32_t t = s->order[s->dealt++];
            *u = (unit){s->job, s->st.id, (int32_t)t, s->st.input, s->st.input_len, s->run.data};
            m->sum->tasks++;
            m->sum->tasks_elsewhere += rank != 0;
            m->slot_job[rank] = s->job;
            m->slot_cost[rank] = s->st.cost[t];
            m->slot_start[rank] = now_s();
            return 1;
        }
        if (m->next >= m->n_order)
            return 0;
        uint32_t j = m->order[m->next];
        if (!splits(m, j)) {
            m->next++;
            *u = (unit){(int32_t)j, -1, 0, NULL, 0, NULL};
            m->slot_job[rank] = (int32_t)j;
            m->slot_cost[rank] = m->cost[j];
            m->slot_start[rank] = now_s();
            return 1;
        }
        split_job *free_place = NULL;
        for (int k = 0; k < m->n_sj && !free_place; k++)
            if (m->sj[k].job < 0)
                free_place = &m->sj[k];
        if (!free_place)
            return 0;
        m->next++;
        sj_start(m, free_place, j);
        if (m->fatal)
            return 0;
    }
}

/* Whether nothing is left to deal, now or later. */
static int all_dealt(const master *m)
{
    if (m->fatal)
        return 1;
    if (m->next < m->n_order)
        return 0;
    for (int k = 0; k < m->n_sj; k++)
        if (m->sj[k].job >= 0)
            return 0;
    return 1;
}

/* Fills p's jobs in flight (longest running first, then by rank) and, at
 * most every SCHED_TICK_S, its ETA: the queue and the units in flight
 * replayed through the dealing policy at the speed measured so far. */
static void progress_state(master *m, double t, int final)
{
    repro_progress *p = &m->sum->last;
    double speed = m->timed_cost > 0 ? m->timed_seconds / m->timed_cost : -1;
    size_t k = 0;
    for (int r = 0; r < m->slots; r++) {
        int32_t j = m->slot_job[r];
        m->est[r] = j >= 0 && speed > 0 ? speed * m->slot_cost[r] : -1;
        m->ran[r] = j >= 0 ? t - m->slot_start[r] : 0;
        if (j < 0)
            continue;
        repro_running cur = {&m->plan->jobs[j], r, m->ran[r], m->est[r]};
        size_t i = k++;
        for (; i > 0 && m->running[i - 1].seconds < cur.seconds; i--)
            m->running[i] = m->running[i - 1];
        m->running[i] = cur;
    }
    p->queued = m->n_order - m->next;
    if (m->fatal)
        p->queued = 0;
    p->n_running = final ? 0 : k;
    p->running = final ? NULL : m->running;
    if (final) {
        p->eta = 0;
    } else if (m->eta < 0 || t - m->last_eta >= SCHED_TICK_S) {
        m->eta = repro_deal_eta(m->slots, m->est, m->ran, m->cost, m->order + m->next, p->queued, speed);
        m->last_eta = t;
        p->eta = m->eta;
    } else {
        p->eta = fmax(m->eta - (t - m->last_eta), 0);
    }
}

/* Calls the progress callback (forced, or at most once per SCHED_TICK_S). */
static void tick(master *m, int force, int final)
{
    double t = now_s();
    if (!m->opt->progress || (!force && t - m->last_report < SCHED_TICK_S))
        return;
    m->last_report = t;
    repro_progress *p = &m->sum->last;
    p->elapsed = t - m->t0;
    progress_state(m, t, final);
    p->final = final;
    m->opt->progress(p, m->opt->user);
    if (final) {
        p->running = NULL;
        p->n_running = 0;
    }
}

/* Sends `rank` its next unit (or, when nothing is left, the order to
 * stop); returns 1 if something was sent. */
static int serve(MPI_Comm comm, master *m, int rank, int *active, repro_error *err)
{
    unit u;
    assign a;
    memset(&a, 0, sizeof a);
    if (next_unit(m, rank, &u)) {
        a.job = u.job;
        a.stage = u.stage;
        a.task = u.task;
        a.in_len = u.stage >= 0 ? u.in_len : 0;
    } else if (all_dealt(m)) {
        a.job = -1;
        (*active)--;
    } else {
        return 0;
    }
    m->waiting[rank] = 0;
    REPRO_MPI_CHECK(MPI_Send(&a, (int)sizeof a, MPI_BYTE, rank, SCHED_TAG_JOB, comm));
    if (a.in_len)
        REPRO_MPI_CHECK(MPI_Send(u.in, (int)a.in_len, MPI_BYTE, rank, SCHED_TAG_BLOB, comm));
    return 1;
fail:
    return -1;
}

/* Rank 0: serves the other ranks and runs units on its compute thread. */
static int run_master(MPI_Comm comm, int size, master *m, repro_error *err)
{
    compute w;
    memset(&w, 0, sizeof w);
    pthread_mutex_init(&w.lock, NULL);
    pthread_cond_init(&w.wake, NULL);
    w.state = W_IDLE;
    w.plan = m->plan;
    w.threads = m->opt->threads;
    pthread_t thread;
    if (pthread_create(&thread, NULL, compute_main, &w) != 0)
        return repro_error_set(err, REPRO_ENOMEM, "cannot start the compute thread");
    int active = size - 1, busy = 0, rc = REPRO_OK;
    unsigned char *blob = NULL;
    tick(m, 1, 0);
    for (;;) {
        int progressed = 0, flag = 0;
        MPI_Status st;
        REPRO_MPI_CHECK(MPI_Iprobe(MPI_ANY_SOURCE, SCHED_TAG_REPORT, comm, &flag, &st));
        while (flag) {
            report rep;
            int src = st.MPI_SOURCE;
            REPRO_MPI_CHECK(MPI_Recv(&rep, (int)sizeof rep, MPI_BYTE, src, SCHED_TAG_REPORT, comm,
                                     MPI_STATUS_IGNORE));
            rep.message[sizeof rep.message - 1] = '\0';
            repro_blob out = {NULL, 0};
            if (rep.job >= 0 && rep.stage >= 0 && rep.out_len > 0) {
                if (!(blob = malloc((size_t)rep.out_len)))
                    goto nomem;
                REPRO_MPI_CHECK(MPI_Recv(blob, (int)rep.out_len, MPI_BYTE, src, SCHED_TAG_BLOB, comm,
                                         MPI_STATUS_IGNORE));
                out.data = blob;
                out.len = (size_t)rep.out_len;
                blob = NULL;
            }
            if (rep.job >= 0) {
                unit_end(m, src);
                if (rep.stage < 0)
                    job_end(m, rep.job, rep.status, rep.message);
                else
                    sj_task_done(m, rep.job, rep.stage, rep.task, rep.status, rep.message, &out, rep.seconds);
            }
            m->waiting[src] = 1;
            if (rep.job >= 0)
                tick(m, 1, 0);
            progressed = 1;
            REPRO_MPI_CHECK(MPI_Iprobe(MPI_ANY_SOURCE, SCHED_TAG_REPORT, comm, &flag, &st));
        }
        pthread_mutex_lock(&w.lock);
        int state = w.state;
        pthread_mutex_unlock(&w.lock);
        if (state == W_FINISHED) {
            unit_end(m, 0);
            if (w.stage < 0) {
                write_row(m, &w.out);
                repro_job_run_clear(&w.out);
            } else {
                sj_task_done(m, (int32_t)w.job, w.stage, w.task, w.tstatus, w.tmessage, &w.tout, w.tseconds);
            }
            busy = 0;
            pthread_mutex_lock(&w.lock);
            w.state = state = W_IDLE;
            pthread_mutex_unlock(&w.lock);
            tick(m, 1, 0);
            progressed = 1;
        }
        for (int r = 1; r < size; r++) {
            int sent = m->waiting[r] ? serve(comm, m, r, &active, err) : 0;
            if (sent < 0)
                goto fail;
            progressed |= sent;
        }
        unit u;
        if (state == W_IDLE && next_unit(m, 0, &u)) {
            pthread_mutex_lock(&w.lock);
            w.job = (uint32_t)u.job;
            w.stage = u.stage;
            w.task = u.task;
            w.ds = u.ds;
            w.in = u.in;
            w.in_len = u.in_len;
            w.state = W_ASSIGNED;
            pthread_cond_signal(&w.wake);
            pthread_mutex_unlock(&w.lock);
            busy = 1;
            progressed = 1;
        }
        if (active == 0 && !busy && all_dealt(m))
            break;
        tick(m, 0, 0);
        if (!progressed)
            nap(SCHED_IDLE_NAP_NS);
    }
    goto done;
nomem:
    repro_error_set(err, REPRO_ENOMEM, "out of memory for a task's output");
fail:
    rc = err->code;
done:
    pthread_mutex_lock(&w.lock);
    while (w.state == W_ASSIGNED || w.state == W_RUNNING) {
        pthread_mutex_unlock(&w.lock);
        nap(SCHED_DRAIN_NAP_NS);
        pthread_mutex_lock(&w.lock);
    }
    if (w.state == W_FINISHED) {
        repro_job_run_clear(&w.out);
        free(w.tout.data);
    }
    w.state = W_QUIT;
    pthread_cond_signal(&w.wake);
    pthread_mutex_unlock(&w.lock);
    pthread_join(thread, NULL);
    pthread_cond_destroy(&w.wake);
    pthread_mutex_destroy(&w.lock);
    return rc;
}

/* Ranks other than 0: ask, run (a whole job, written here; or a task, whose
 * output goes back to rank 0), report, until told to stop. */
static int run_worker(MPI_Comm comm, int rank, const repro_plan *plan, int threads, repro_results *res,
                      repro_error *err)
{
    report rep;
    memset(&rep, 0, sizeof rep);
    rep.job = -1;
    rep.stage = -1;
    repro_job_run lj;
    memset(&lj, 0, sizeof lj);
    repro_blob out = {NULL, 0};
    unsigned char *in = NULL;
    repro_dataset *cache = NULL;
    int32_t cache_job = -1;
    for (;;) {
        assign a;
        REPRO_MPI_CHECK(MPI_Send(&rep, (int)sizeof rep, MPI_BYTE, 0, SCHED_TAG_REPORT, comm));
        if (rep.out_len)
            REPRO_MPI_CHECK(MPI_Send(out.data, (int)rep.out_len, MPI_BYTE, 0, SCHED_TAG_BLOB, comm));
        free(out.data);
        out.data = NULL;
        out.len = 0;
        REPRO_MPI_CHECK(MPI_Recv(&a, (int)sizeof a, MPI_BYTE, 0, SCHED_TAG_JOB, comm, MPI_STATUS_IGNORE));
        if (a.job < 0)
            break;
        free(in);
        in = NULL;
        if (a.in_len) {
            if (!(in = malloc((size_t)a.in_len))) {
                repro_error_set(err, REPRO_ENOMEM, "rank %d: out of memory for a task's input", rank);
                goto fail;
            }
            REPRO_MPI_CHECK(MPI_Recv(in, (int)a.in_len, MPI_BYTE, 0, SCHED_TAG_BLOB, comm, MPI_STATUS_IGNORE));
        }
        memset(&rep, 0, sizeof rep);
        rep.job = a.job;
        rep.stage = a.stage;
        rep.task = a.task;
        if (a.stage >= 0) {
            rep.status = run_task(plan, &plan->jobs[a.job], NULL, &cache, &cache_job, a.stage, a.task, in,
                                  (size_t)a.in_len, threads, &out, &rep.seconds, rep.message, sizeof rep.message);
            rep.out_len = out.len;
            continue;
        }
        repro_job_exec(plan, &plan->jobs[a.job], threads, rank, &lj);
        rep.status = lj.row.status;
        put(rep.message, sizeof rep.message, "%s", lj.message);
        repro_error werr;
        repro_error_clear(&werr);
        if (repro_results_write_row(res, &lj.row, &werr)) {
            rep.status = STATUS_FATAL;
            put(rep.message, sizeof rep.message, "rank %d: %s", rank, werr.msg);
        }
        repro_job_run_clear(&lj);
    }
    free(in);
    repro_dataset_free(cache);
    return REPRO_OK;
fail:
    free(in);
    free(out.data);
    repro_dataset_free(cache);
    repro_job_run_clear(&lj);
    return err->code;
}

/* The launcher watch: a thread that ends this process when the process that
 * started it (mpirun or its daemon) is gone, i.e. when the parent process
 * changes. Only under an MPI launcher: a rank run directly from a shell
 * (singleton) keeps running if the shell goes away. */
typedef struct launcher_watch {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int running, stop;
    pid_t parent;
} launcher_watch;

static void *watch_main(void *arg)
{
    launcher_watch *w = arg;
    pthread_mutex_lock(&w->lock);
    while (!w->stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += REPRO_SCHED_WATCH_MS * 1000000L;
        until.tv_sec += until.tv_nsec / 1000000000L;
        until.tv_nsec %= 1000000000L;
        pthread_cond_timedwait(&w->wake, &w->lock, &until);
        if (!w->stop && getppid() != w->parent) {
            /* the one deliberate exit below the CLI: MPI cannot be shut down
             * cleanly without the launcher, and every row is either complete
             * with its status or still pending, so stopping now loses nothing */
            static const char msg[] = "repro_mpi: the MPI launcher is gone (killed?): stopping this rank\n";
            ssize_t n = write(2, msg, sizeof msg - 1);
            (void)n;
            _exit(1);
        }
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

/* Starts the watch when this rank was started by an MPI launcher. */
static void watch_start(launcher_watch *w, int launched)
{
    memset(w, 0, sizeof *w);
    if (!launched)
        return;
    w->parent = getppid();
    if (w->parent <= 1)
        return;
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->wake, NULL);
    if (pthread_create(&w->thread, NULL, watch_main, w) == 0) {
        w->running = 1;
    } else {
        pthread_cond_destroy(&w->wake);
        pthread_mutex_destroy(&w->lock);
    }
}

/* Stops the watch (if it runs). */
static void watch_stop(launcher_watch *w)
{
    if (!w->running)
        return;
    pthread_mutex_lock(&w->lock);
    w->stop = 1;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->wake);
    pthread_mutex_destroy(&w->lock);
    w->running = 0;
}

int repro_sched_run(MPI_Comm comm, const repro_plan *plan, const repro_sched_options *opt,
                    repro_sched_summary *summary, repro_error *err)
{
    int rank = 0, size = 1, rc = REPRO_OK;
    int8_t *status = NULL;
    master m;
    memset(&m, 0, sizeof m);
    launcher_watch watch;
    memset(&watch, 0, sizeof watch);
    memset(summary, 0, sizeof *summary);
    REPRO_MPI_CHECK(MPI_Comm_rank(comm, &rank));
    REPRO_MPI_CHECK(MPI_Comm_size(comm, &size));
    status = repro_calloc(plan->n_jobs, 1, err);
    int ok = status && (rank != 0 || master_alloc(&m, size, plan->n_jobs)), all_ok = 0;
    REPRO_MPI_CHECK(MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, comm));
    if (!all_ok) {
        free(status);
        master_free(&m);
        return repro_error_set(err, REPRO_ENOMEM, "out of memory for %zu jobs", plan->n_jobs);
    }
    repro_results *res = NULL;
    watch_start(&watch, opt->launched);
    rc = opt->resume ? repro_results_reopen(opt->path, comm, plan, &opt->info, status, &res, err)
                     : repro_results_create(opt->path, comm, plan, &opt->info, &res, err);
    if (rc) {
        watch_stop(&watch);
        free(status);
        master_free(&m);
        return rc;
    }
    if (rank == 0 && opt->notice && repro_results_notice(res))
        opt->notice(repro_results_notice(res), opt->user);
    int loop_rc;
    if (rank == 0) {
        m.plan = plan;
        m.opt = opt;
        m.sum = summary;
        m.t0 = m.last_report = now_s();
        m.eta = -1;
        for (size_t i = 0; i < plan->n_jobs; i++) {
            m.cost[i] = plan->jobs[i].cost;
            if (status[i] == REPRO_JOB_DONE) {
                summary->last.skipped++;
                continue;
            }
            m.order[m.n_order++] = (uint32_t)i;
        }
        summary->last.total = m.n_order;
        repro_deal_order(m.cost, m.order, m.n_order);
        m.res = res;
        loop_rc = run_master(comm, size, &m, err);
        if (!loop_rc && m.fatal) {
            *err = m.fatal_err;
            loop_rc = REPRO_EIO;
        }
        tick(&m, 1, 1);
        summary->busy_seconds = m.timed_seconds;
        summary->wall_seconds = now_s() - m.t0;
        summary->ranks = size;
    } else {
        loop_rc = run_worker(comm, rank, plan, opt->threads, res, err);
    }
    char end[REPRO_RESULTS_TIME_LEN] = "";
    repro_utc_now(end, sizeof end);
    REPRO_MPI_CHECK(MPI_Bcast(end, (int)sizeof end, MPI_CHAR, 0, comm));
    repro_error cerr;
    repro_error_clear(&cerr);
    int close_rc = repro_results_close(res, end, &cerr);
    int worst = loop_rc ? loop_rc : close_rc, any = 0;
    if (!loop_rc && close_rc)
        *err = cerr;
    REPRO_MPI_CHECK(MPI_Allreduce(&worst, &any, 1, MPI_INT, MPI_MAX, comm));
    if (any && !worst)
        repro_error_set(err, any, "the run stopped because another rank failed");
    rc = any;
    watch_stop(&watch);
    free(status);
    master_free(&m);
    return rc;
fail:
    watch_stop(&watch);
    free(status);
    master_free(&m);
    return err->code;
}
