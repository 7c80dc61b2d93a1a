/* deal.h - the scheduler's dealing policy as pure functions.
 *
 * The scheduler (sched.h) keeps one queue of jobs, most expensive first by
 * the models' cost estimates, and hands the head of the queue to whichever
 * rank is free (a ready task of a split job in flight first, see sched.h). The same policy, replayed on given durations, predicts a
 * run's makespan: the scaling bench replays the measured fit times of a
 * results file for any number of ranks, and the progress line replays the
 * jobs left to estimate when the run ends. No MPI, no clock, no state. */
#ifndef REPRO_DEAL_H
#define REPRO_DEAL_H

#include <stddef.h>
#include <stdint.h>

#include "repro/error.h"

/* Sorts the job indices idx[0..n) into dealing order: cost[idx] descending,
 * ties by index ascending (a strict total order, so the result does not
 * depend on the sort). cost must be finite. In place, no allocation. */
void repro_deal_order(const double *cost, uint32_t *idx, size_t n);

/* A machine to replay dealing on: `slots` ranks, each running one job at a
 * time, sharing `cores` cores. With k jobs running each advances at
 * min(1, cores / k) seconds of work per second (processor sharing, as the
 * kernel shares oversubscribed cores); cores <= 0 means one core per slot. */
typedef struct repro_deal_machine {
    int slots;
    double cores;
} repro_deal_machine;

/* Replays the policy. Slot s starts with busy[s] seconds of work left on a
 * job in flight (busy NULL or busy[s] <= 0: idle). Then the jobs order[0..n)
 * are dealt in that order, job j taking scale * seconds[j] seconds of work,
 * each to the slot that becomes free first (the lowest slot on ties), as
 * the scheduler hands the next job to the rank that reports first. Writes
 * the makespan (seconds until the last job ends) to *makespan and, unless
 * NULL, the slot of each dealt job to slot_of[j]. Fails with REPRO_EINVAL
 * on slots < 1 or a negative or non-finite duration, REPRO_ENOMEM. */
int repro_deal_replay(const repro_deal_machine *m, const double *busy, const double *seconds,
                      const uint32_t *order, size_t n, double scale, int32_t *slot_of, double *makespan,
                      repro_error *err);

/* Seconds of work a task of a split job should have at least (by the cost
 * estimates): smaller tasks cost more in messages and replayed draws than
 * they save. */
#define REPRO_DEAL_TASK_SECONDS 0.05
/* Most tasks per stage of a split job. */
#define REPRO_DEAL_MAX_TASKS 256

/* Tasks per stage to ask a split job for (model.h's max_tasks): its cost
 * estimate / REPRO_DEAL_TASK_SECONDS, rounded up, within [1,
 * REPRO_DEAL_MAX_TASKS]. A scheduling choice only: results do not depend
 * on it. */
size_t repro_deal_max_tasks(double cost);

/* A job for repro_deal_replay_tasks: n_stages stages run one after the
 * other, stage s of n_tasks[s] tasks that may run on any slots at once;
 * seconds[] holds every task's duration, stage by stage. A job that does
 * not split is one stage of one task. */
typedef struct repro_deal_job {
    size_t n_stages;
    const size_t *n_tasks;
    const double *seconds;
} repro_deal_job;

/* Replays the policy with split jobs, as the scheduler deals them (one core
 * per slot): a free slot takes, first, the next task (longest first) of a
 * ready stage of a split job in flight (the oldest job first), else the next
 * job of order[0..n): a whole job if it has one task, else a split job is
 * started (at most `cap` in flight; none free: the slot waits) and its
 * first stage's tasks become ready. A stage's tasks become ready when the
 * previous stage's last task ends. Writes the makespan. REPRO_EINVAL on
 * slots < 1, cap < 1 or a bad duration, REPRO_ENOMEM. */
int repro_deal_replay_tasks(int slots, int cap, const repro_deal_job *jobs, const uint32_t *order, size_t n,
                            double *makespan, repro_error *err);

/* Seconds a run still needs, by the same replay: slot s has a job in flight
 * whose expected length is est[s] seconds (est[s] < 0: idle) and which has
 * run ran[s] seconds (a job past its estimate counts as ending now); the
 * jobs order[0..n) are still queued with costs cost[j], and a unit of cost
 * takes `speed` seconds (measured on the finished jobs). Returns -1 when
 * speed is unknown (<= 0 or not finite) or memory runs out. */
double repro_deal_eta(int slots, const double *est, const double *ran, const double *cost,
                      const uint32_t *order, size_t n, double speed);

#endif
