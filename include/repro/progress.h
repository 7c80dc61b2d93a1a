/* progress.h - what rank 0 knows of a run while it goes, for the user.
 *
 * The scheduler fills a repro_progress after each finished job and about
 * once a second; the CLI prints it. In the tail of a run (nothing left to
 * deal) the jobs still running are listed with how long they have run, since
 * they alone decide when the run ends. */
#ifndef REPRO_PROGRESS_H
#define REPRO_PROGRESS_H

#include <stddef.h>

#include "repro/plan.h"

/* A job in flight. */
typedef struct repro_running {
    const repro_job *job;
    int rank;
    double seconds;  /* how long it has run (rank 0's clock, from being dealt) */
    double expected; /* its expected length: cost estimate x seconds per unit of
                        cost measured on the finished jobs; < 0 if unknown */
} repro_running;

/* Progress as rank 0 sees it. */
typedef struct repro_progress {
    size_t total;     /* jobs to run in this session */
    size_t done;      /* finished successfully */
    size_t failed;
    size_t skipped;   /* already done in the file (--resume) */
    double elapsed;   /* seconds since the start */
    double eta;       /* seconds left, by replaying the dealing policy (deal.h)
                         on the cost estimates of the jobs queued and in
                         flight; < 0 if unknown */
    int final;        /* the last call */
    size_t queued;    /* jobs not dealt yet */
    size_t n_running; /* jobs in flight, listed in running (longest running
                         first); valid during the callback only */
    const repro_running *running;
} repro_progress;

/* Writes the tail of the progress line into buf: when nothing is queued and
 * jobs are in flight (and not final), " | running: " and the first max_jobs
 * of them as "MODEL on DATASET H:MM:SS of ~H:MM:SS" ("+K more" for the
 * rest); else the empty string. Deterministic in p. */
void repro_progress_tail(const repro_progress *p, size_t max_jobs, char *buf, size_t size);

#endif
