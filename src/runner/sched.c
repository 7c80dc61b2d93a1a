/* sched.c - the MPI protocol that deals a plan's jobs to ranks (see
 * sched.h). Running one job is job_exec.c's; the order jobs are dealt in is
 * deal.c's.
 *
 * Protocol: a rank other than 0 sends a report (the job it finished, or -1
 * at the start) to rank 0 with tag SCHED_TAG_REPORT and receives the next
 * job id, or -1 to stop, with tag SCHED_TAG_JOB. Rank 0's main thread
 * answers these between polls and feeds a compute thread of its own; only
 * the main thread calls MPI or HDF5. */
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
enum { SCHED_TAG_REPORT = 71, SCHED_TAG_JOB = 72 };
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
    int32_t job;    /* finished job, or -1 */
    int32_t status; /* REPRO_JOB_DONE, REPRO_JOB_FAILED or STATUS_FATAL */
    char message[REPRO_RESULTS_MESSAGE_LEN];
} report;

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

/* Rank 0's compute thread and its hand-over state. */
enum { W_IDLE, W_ASSIGNED, W_RUNNING, W_FINISHED, W_QUIT };
typedef struct compute {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int state;
    uint32_t job;
    const repro_plan *plan;
    int threads;
    repro_job_run out;
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
        repro_job_exec(w->plan, &w->plan->jobs[job], w->threads, 0, &w->out);
        pthread_mutex_lock(&w->lock);
        w->state = W_FINISHED;
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

/* Rank 0's bookkeeping. Per rank (slot): the job in flight and when it was
 * dealt, for the progress line and its ETA. */
typedef struct master {
    const repro_plan *plan;
    const repro_sched_options *opt;
    repro_sched_summary *sum;
    int slots;               /* ranks */
    uint32_t *order;         /* jobs to run, in dealing order */
    size_t n_order, next;
    double *cost;            /* per plan job: its cost estimate */
    int32_t *slot_job;       /* per rank: job in flight, or -1 */
    double *slot_start;      /* per rank: when it was dealt */
    double *est, *ran;       /* per rank: workspace of the ETA */
    repro_running *running;  /* per rank: workspace of the progress line */
    double timed_seconds;    /* wall seconds of the finished jobs (dealt to reported) */
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
    m->order = malloc((n_jobs ? n_jobs : 1) * sizeof *m->order);
    m->cost = malloc((n_jobs ? n_jobs : 1) * sizeof *m->cost);
    m->slot_job = malloc(s * sizeof *m->slot_job);
    m->slot_start = calloc(s, sizeof *m->slot_start);
    m->est = malloc(s * sizeof *m->est);
    m->ran = malloc(s * sizeof *m->ran);
    m->running = malloc(s * sizeof *m->running);
    if (m->slot_job)
        for (size_t r = 0; r < s; r++)
            m->slot_job[r] = -1;
    return m->order && m->cost && m->slot_job && m->slot_start && m->est && m->ran && m->running;
}

/* Frees what master_alloc allocated. */
static void master_free(master *m)
{
    free(m->order);
    free(m->cost);
    free(m->slot_job);
    free(m->slot_start);
    free(m->est);
    free(m->ran);
    free(m->running);
}

/* Counts a job finished on `rank` and frees its slot. */
static void account(master *m, int rank, int32_t job, int32_t status, const char *message)
{
    if (job < 0)
        return;
    if (m->slot_job[rank] == job) {
        m->timed_seconds += now_s() - m->slot_start[rank];
        m->timed_cost += m->cost[job];
    }
    m->slot_job[rank] = -1;
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

/* Next job for `rank` (recorded as in flight there), or -1 when the queue
 * is empty or the run stops. */
static int32_t next_job(master *m, int rank)
{
    if (m->fatal || m->next >= m->n_order)
        return -1;
    int32_t job = (int32_t)m->order[m->next++];
    m->slot_job[rank] = job;
    m->slot_start[rank] = now_s();
    return job;
}

/* Fills p's jobs in flight (longest running first, then by rank) and, at
 * most every SCHED_TICK_S, its ETA: the queue and the jobs in flight
 * replayed through the dealing policy at the speed measured so far. */
static void progress_state(master *m, double t, int final)
{
    repro_progress *p = &m->sum->last;
    double speed = m->timed_cost > 0 ? m->timed_seconds / m->timed_cost : -1;
    size_t k = 0;
    for (int r = 0; r < m->slots; r++) {
        int32_t j = m->slot_job[r];
        m->est[r] = j >= 0 && speed > 0 ? speed * m->cost[j] : -1;
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
        REPRO_MPI_CHECK(MPI_Iprobe(MPI_ANY_SOURCE, SCHED_TAG_REPORT, comm, &flag, &st));
        while (flag) {
            report rep;
            REPRO_MPI_CHECK(MPI_Recv(&rep, (int)sizeof rep, MPI_BYTE, st.MPI_SOURCE, SCHED_TAG_REPORT, comm,
                                     MPI_STATUS_IGNORE));
            rep.message[sizeof rep.message - 1] = '\0';
            account(m, st.MPI_SOURCE, rep.job, rep.status, rep.message);
            int32_t job = next_job(m, st.MPI_SOURCE);
            if (job < 0)
                active--;
            REPRO_MPI_CHECK(MPI_Send(&job, 1, MPI_INT32_T, st.MPI_SOURCE, SCHED_TAG_JOB, comm));
            if (rep.job >= 0)
                tick(m, 1, 0);
            progressed = 1;
            REPRO_MPI_CHECK(MPI_Iprobe(MPI_ANY_SOURCE, SCHED_TAG_REPORT, comm, &flag, &st));
        }
        pthread_mutex_lock(&w.lock);
        int state = w.state;
        pthread_mutex_unlock(&w.lock);
        if (state == W_FINISHED) {
            repro_job_run *lj = &w.out;
            repro_error werr;
            repro_error_clear(&werr);
            if (repro_results_write_row(res, &lj->row, &werr))
                account(m, 0, (int32_t)lj->row.job, STATUS_FATAL, werr.msg);
            else
                account(m, 0, (int32_t)lj->row.job, lj->row.status, lj->message);
            repro_job_run_clear(lj);
            busy = 0;
            pthread_mutex_lock(&w.lock);
            w.state = state = W_IDLE;
            pthread_mutex_unlock(&w.lock);
            tick(m, 1, 0);
            progressed = 1;
        }
        if (state == W_IDLE) {
            int32_t job = next_job(m, 0);
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
        if (!progressed)
            nap(SCHED_IDLE_NAP_NS);
    }
    goto done;
fail:
    rc = err->code;
done:
    pthread_mutex_lock(&w.lock);
    while (w.state == W_ASSIGNED || w.state == W_RUNNING) {
        pthread_mutex_unlock(&w.lock);
        nap(SCHED_DRAIN_NAP_NS);
        pthread_mutex_lock(&w.lock);
    }
    if (w.state == W_FINISHED)
        repro_job_run_clear(&w.out);
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
    repro_job_run lj;
    memset(&lj, 0, sizeof lj);
    for (;;) {
        int32_t job = -1;
        REPRO_MPI_CHECK(MPI_Send(&rep, (int)sizeof rep, MPI_BYTE, 0, SCHED_TAG_REPORT, comm));
        REPRO_MPI_CHECK(MPI_Recv(&job, 1, MPI_INT32_T, 0, SCHED_TAG_JOB, comm, MPI_STATUS_IGNORE));
        if (job < 0)
            break;
        repro_job_exec(plan, &plan->jobs[job], threads, rank, &lj);
        memset(&rep, 0, sizeof rep);
        rep.job = job;
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
    return REPRO_OK;
fail:
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
    watch_start(&watch);
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
    master_free(&m);
    return rc;
fail:
    watch_stop(&watch);
    free(status);
    master_free(&m);
    return err->code;
}
