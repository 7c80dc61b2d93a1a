/* sched.c - dynamic load balancing of a plan over MPI ranks (see sched.h).
 *
 * Protocol: a rank other than 0 sends a report (the job it finished, or -1
 * at the start) to rank 0 and receives the next job id, or -1 to stop. Rank
 * 0's main thread answers these between polls and feeds a compute thread of
 * its own; only the main thread calls MPI or HDF5. */
#include "repro/sched.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "repro/json.h"
#include "repro/mpicheck.h"
#include "repro/record.h"
#include "repro/utctime.h"

enum { TAG_REPORT = 71, TAG_JOB = 72 };
enum { STATUS_FATAL = -2 };

typedef struct report {
    int32_t job;    /* finished job, or -1 */
    int32_t status; /* REPRO_JOB_DONE, REPRO_JOB_FAILED or STATUS_FATAL */
    char message[256];
} report;

/* Seconds on a monotonic clock. */
static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

void repro_sched_exec(const repro_plan *plan, const repro_job *job, int threads, int rank,
                      repro_job_row *row, repro_fit_result *res, repro_dataset **data,
                      char **extras, char *message, size_t message_size)
{
    const repro_model_type *type = job->params->type;
    memset(row, 0, sizeof *row);
    memset(res, 0, sizeof *res);
    *data = NULL;
    *extras = NULL;
    message[0] = '\0';
    row->job = job->id;
    row->rank = rank;
    row->d = repro_job_d(job);
    row->train_score = NAN;
    row->fit_seconds = NAN;
    row->status = REPRO_JOB_FAILED;
    row->message = message;
    if (gethostname(row->host, sizeof row->host) != 0)
        snprintf(row->host, sizeof row->host, "unknown");
    row->host[sizeof row->host - 1] = '\0';
    repro_utc_now(row->start_time, sizeof row->start_time);

    repro_error err;
    repro_error_clear(&err);
    if (repro_plan_job_data(plan, job, data, &err)) {
        snprintf(message, message_size, "generating the data failed: %s", err.msg);
        return;
    }
    row->truth = (*data)->truth;
    repro_rng rng;
    repro_plan_job_stream(plan, job, &rng);
    double t0 = now_s();
    int rc = type->fit(*data, job->params, &rng, threads, res, &err);
    row->fit_seconds = now_s() - t0;
    if (rc) {
        snprintf(message, message_size, "%s failed (%s): %s", type->name, repro_error_name(rc),
                 err.msg[0] ? err.msg : "no message");
        return;
    }
    if (res->d != row->d || !res->relevance) {
        snprintf(message, message_size, "%s returned %zu relevance values for %zu features", type->name,
                 res->d, row->d);
        return;
    }
    if (repro_json_extras(res, extras, &err)) {
        snprintf(message, message_size, "%s", err.msg);
        return;
    }
    if (strlen(*extras) >= REPRO_RESULTS_EXTRAS_LEN) {
        snprintf(message, message_size, "%s's extras take %zu bytes as JSON, more than the %d allowed",
                 type->name, strlen(*extras), REPRO_RESULTS_EXTRAS_LEN - 1);
        return;
    }
    row->status = REPRO_JOB_DONE;
    row->message = NULL;
    row->relevance = res->relevance;
    row->importance = res->importance;
    row->bounds = res->bounds;
    row->train_score = res->train_score;
    row->extras = *extras;
}

/* One job run here, with everything it owns. */
typedef struct local_job {
    repro_job_row row;
    repro_fit_result res;
    repro_dataset *data;
    char *extras;
    char message[256];
} local_job;

static void local_job_clear(local_job *lj)
{
    repro_fit_result_clear(&lj->res);
    repro_dataset_free(lj->data);
    free(lj->extras);
    lj->data = NULL;
    lj->extras = NULL;
}

/* Rank 0's compute thread and its hand-over state. */
enum { W_IDLE, W_ASSIGNED, W_RUNNING, W_FINISHED, W_QUIT };
typedef struct compute {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int state;
    uint32_t job;
    const repro_plan *plan;
    int threads;
    local_job out;
} compute;

/* The compute thread: waits for a job, runs it, marks it finished. */
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
        local_job *lj = &w->out;
        repro_sched_exec(w->plan, &w->plan->jobs[job], w->threads, 0, &lj->row, &lj->res, &lj->data,
                         &lj->extras, lj->message, sizeof lj->message);
        pthread_mutex_lock(&w->lock);
        w->state = W_FINISHED;
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

/* Rank 0's bookkeeping. */
typedef struct master {
    const repro_plan *plan;
    const repro_sched_options *opt;
    repro_sched_summary *sum;
    uint32_t *order;
    size_t n_order, next;
    double total_cost, done_cost, t0, last_report;
    int fatal;
    repro_error fatal_err;
} master;

/* Counts a finished job (from any rank) and reports progress. */
static void account(master *m, int32_t job, int32_t status, const char *message)
{
    if (job < 0)
        return;
    if (status == STATUS_FATAL) {
        if (!m->fatal)
            repro_error_set(&m->fatal_err, REPRO_EIO, "%s", message);
        m->fatal = 1;
        return;
    }
    m->done_cost += m->plan->jobs[job].cost;
    if (status == REPRO_JOB_DONE) {
        m->sum->last.done++;
    } else {
        if (m->sum->last.failed < REPRO_SCHED_FAILURES) {
            repro_failure *f = &m->sum->failures[m->sum->last.failed];
            f->job = (uint32_t)job;
            snprintf(f->message, sizeof f->message, "%s", message);
        }
        m->sum->last.failed++;
    }
}

/* Calls the progress callback (forced, or at most once a second). */
static void tick(master *m, int force, int final)
{
    double t = now_s();
    if (!m->opt->progress || (!force && t - m->last_report < 1.0))
        return;
    m->last_report = t;
    repro_progress *p = &m->sum->last;
    p->elapsed = t - m->t0;
    p->eta = m->done_cost > 0 ? p->elapsed * (m->total_cost - m->done_cost) / m->done_cost : -1;
    p->final = final;
    m->opt->progress(p, m->opt->user);
}

/* Next job for anyone, or -1 when the queue is empty or the run stops. */
static int32_t next_job(master *m)
{
    if (m->fatal || m->next >= m->n_order)
        return -1;
    return (int32_t)m->order[m->next++];
}

static const repro_plan *sort_plan;
/* Most expensive first; ties in plan order. */
static int by_cost(const void *a, const void *b)
{
    const repro_job *x = &sort_plan->jobs[*(const uint32_t *)a], *y = &sort_plan->jobs[*(const uint32_t *)b];
    if (x->cost != y->cost)
        return x->cost > y->cost ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* Rank 0: serves the other ranks and runs jobs on its compute thread. */
static int run_master(MPI_Comm comm, int size, master *m, repro_results *res, repro_error *err)
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
    tick(m, 1, 0);
    for (;;) {
        int progressed = 0, flag = 0;
        MPI_Status st;
        REPRO_MPI_CHECK(MPI_Iprobe(MPI_ANY_SOURCE, TAG_REPORT, comm, &flag, &st));
        while (flag) {
            report rep;
            REPRO_MPI_CHECK(MPI_Recv(&rep, (int)sizeof rep, MPI_BYTE, st.MPI_SOURCE, TAG_REPORT, comm,
                                     MPI_STATUS_IGNORE));
            rep.message[sizeof rep.message - 1] = '\0';
            account(m, rep.job, rep.status, rep.message);
            int32_t job = next_job(m);
            if (job < 0)
                active--;
            REPRO_MPI_CHECK(MPI_Send(&job, 1, MPI_INT32_T, st.MPI_SOURCE, TAG_JOB, comm));
            if (rep.job >= 0)
                tick(m, 1, 0);
            progressed = 1;
            REPRO_MPI_CHECK(MPI_Iprobe(MPI_ANY_SOURCE, TAG_REPORT, comm, &flag, &st));
        }
        pthread_mutex_lock(&w.lock);
        int state = w.state;
        pthread_mutex_unlock(&w.lock);
        if (state == W_FINISHED) {
            local_job *lj = &w.out;
            repro_error werr;
            repro_error_clear(&werr);
            if (repro_results_write_row(res, &lj->row, &werr))
                account(m, (int32_t)lj->row.job, STATUS_FATAL, werr.msg);
            else
                account(m, (int32_t)lj->row.job, lj->row.status, lj->message);
            local_job_clear(lj);
            busy = 0;
            pthread_mutex_lock(&w.lock);
            w.state = state = W_IDLE;
            pthread_mutex_unlock(&w.lock);
            tick(m, 1, 0);
            progressed = 1;
        }
        if (state == W_IDLE) {
            int32_t job = next_job(m);
            if (job >= 0) {
                pthread_mutex_lock(&w.lock);
                w.job = (uint32_t)job;
                w.state = W_ASSIGNED;
                pthread_cond_signal(&w.wake);
                pthread_mutex_unlock(&w.lock);
                busy = 1;
                progressed = 1;
            }
        }
        if (active == 0 && !busy && (m->fatal || m->next >= m->n_order))
            break;
        tick(m, 0, 0);
        if (!progressed) {
            struct timespec nap = {0, 2000000};
            nanosleep(&nap, NULL);
        }
    }
    goto done;
fail:
    rc = err->code;
done:
    pthread_mutex_lock(&w.lock);
    while (w.state == W_ASSIGNED || w.state == W_RUNNING) {
        pthread_mutex_unlock(&w.lock);
        struct timespec nap = {0, 10000000};
        nanosleep(&nap, NULL);
        pthread_mutex_lock(&w.lock);
    }
    if (w.state == W_FINISHED)
        local_job_clear(&w.out);
    w.state = W_QUIT;
    pthread_cond_signal(&w.wake);
    pthread_mutex_unlock(&w.lock);
    pthread_join(thread, NULL);
    pthread_cond_destroy(&w.wake);
    pthread_mutex_destroy(&w.lock);
    return rc;
}

/* Ranks other than 0: ask, run, write, report, until told to stop. */
static int run_worker(MPI_Comm comm, int rank, const repro_plan *plan, int threads, repro_results *res,
                      repro_error *err)
{
    report rep;
    memset(&rep, 0, sizeof rep);
    rep.job = -1;
    local_job lj;
    memset(&lj, 0, sizeof lj);
    for (;;) {
        int32_t job = -1;
        REPRO_MPI_CHECK(MPI_Send(&rep, (int)sizeof rep, MPI_BYTE, 0, TAG_REPORT, comm));
        REPRO_MPI_CHECK(MPI_Recv(&job, 1, MPI_INT32_T, 0, TAG_JOB, comm, MPI_STATUS_IGNORE));
        if (job < 0)
            break;
        repro_sched_exec(plan, &plan->jobs[job], threads, rank, &lj.row, &lj.res, &lj.data, &lj.extras,
                         lj.message, sizeof lj.message);
        memset(&rep, 0, sizeof rep);
        rep.job = job;
        rep.status = lj.row.status;
        snprintf(rep.message, sizeof rep.message, "%s", lj.message);
        repro_error werr;
        repro_error_clear(&werr);
        if (repro_results_write_row(res, &lj.row, &werr)) {
            rep.status = STATUS_FATAL;
            snprintf(rep.message, sizeof rep.message, "rank %d: %.200s", rank, werr.msg);
        }
        local_job_clear(&lj);
    }
    return REPRO_OK;
fail:
    local_job_clear(&lj);
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
static void watch_start(launcher_watch *w)
{
    memset(w, 0, sizeof *w);
    if (!getenv("OMPI_COMM_WORLD_SIZE") && !getenv("PMI_RANK") && !getenv("PMIX_RANK"))
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
    uint32_t *order = NULL;
    launcher_watch watch;
    memset(&watch, 0, sizeof watch);
    memset(summary, 0, sizeof *summary);
    REPRO_MPI_CHECK(MPI_Comm_rank(comm, &rank));
    REPRO_MPI_CHECK(MPI_Comm_size(comm, &size));
    status = repro_calloc(plan->n_jobs, 1, err);
    order = repro_malloc(plan->n_jobs, sizeof *order, err);
    int ok = status && order, all_ok = 0;
    REPRO_MPI_CHECK(MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, comm));
    if (!all_ok) {
        free(status);
        free(order);
        return repro_error_set(err, REPRO_ENOMEM, "out of memory for %zu jobs", plan->n_jobs);
    }
    repro_results *res = NULL;
    watch_start(&watch);
    rc = opt->resume ? repro_results_reopen(opt->path, comm, plan, &opt->info, status, &res, err)
                     : repro_results_create(opt->path, comm, plan, &opt->info, &res, err);
    if (rc) {
        watch_stop(&watch);
        free(status);
        free(order);
        return rc;
    }
    if (rank == 0 && opt->notice && repro_results_notice(res))
        opt->notice(repro_results_notice(res), opt->user);
    int loop_rc;
    if (rank == 0) {
        master m;
        memset(&m, 0, sizeof m);
        m.plan = plan;
        m.opt = opt;
        m.sum = summary;
        m.order = order;
        m.t0 = m.last_report = now_s();
        for (size_t i = 0; i < plan->n_jobs; i++) {
            if (status[i] == REPRO_JOB_DONE) {
                summary->last.skipped++;
                continue;
            }
            order[m.n_order++] = (uint32_t)i;
            m.total_cost += plan->jobs[i].cost;
        }
        summary->last.total = m.n_order;
        sort_plan = plan;
        qsort(order, m.n_order, sizeof *order, by_cost);
        loop_rc = run_master(comm, size, &m, res, err);
        if (!loop_rc && m.fatal) {
            *err = m.fatal_err;
            loop_rc = REPRO_EIO;
        }
        tick(&m, 1, 1);
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
    free(order);
    return rc;
fail:
    watch_stop(&watch);
    free(status);
    free(order);
    return err->code;
}
