/* results.h - the results file: one HDF5 file written by all ranks through
 * MPI-IO (layout documented in jobs/README.md).
 *
 * Every dataset is created collectively at the start with its final shape
 * (one row per job), contiguous and allocated early, and the metadata is
 * flushed once. After that each rank writes only the rows of the jobs it
 * finished, independently, the job's status last; there are no metadata
 * changes until the collective close. A killed run therefore leaves a
 * readable file in which every row marked done is complete. */
#ifndef REPRO_RESULTS_H
#define REPRO_RESULTS_H

#include <mpi.h>
#include <stddef.h>
#include <stdint.h>

#include "repro/error.h"
#include "repro/plan.h"

#define REPRO_RESULTS_FORMAT "repro_mpi results 1"
#define REPRO_RESULTS_EXTRAS_LEN 4096
#define REPRO_RESULTS_MESSAGE_LEN 512
#define REPRO_RESULTS_HOST_LEN 64
#define REPRO_RESULTS_TIME_LEN 32

/* Turns a failed MPI call into REPRO_EMPI with file:line and MPI's message;
 * needs `repro_error *err` in scope and jumps to the label `fail`. */
#define REPRO_MPI_CHECK(call)                                                         \
    do {                                                                            \
        int mpi_rc_ = (call);                                                       \
        if (mpi_rc_ != MPI_SUCCESS) {                                               \
            repro_mpi_error(err, mpi_rc_, __FILE__, __LINE__, #call);               \
            goto fail;                                                              \
        }                                                                           \
    } while (0)

/* Records an MPI failure (used by REPRO_MPI_CHECK). Returns REPRO_EMPI. */
int repro_mpi_error(repro_error *err, int mpi_rc, const char *file, int line, const char *call);

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
} repro_job_row;

typedef struct repro_results repro_results;

/* Creates the file at path with every dataset for plan's jobs and the
 * provenance attributes; refuses (REPRO_EINVAL) if the file exists.
 * Collective over comm. */
int repro_results_create(const char *path, MPI_Comm comm, const repro_plan *plan,
                         const repro_run_info *info, repro_results **out, repro_error *err);

/* Reopens an existing file to resume plan: refuses (REPRO_EINVAL) a file of
 * another plan (job files, seed, repeats or models) or a foreign file, and
 * fills status[0..n_jobs) with each job's recorded status. Collective. */
int repro_results_reopen(const char *path, MPI_Comm comm, const repro_plan *plan,
                         int8_t *status, repro_results **out, repro_error *err);

/* Writes one job's row, status last. Independent: only the calling rank. */
int repro_results_write_row(repro_results *res, const repro_job_row *row, repro_error *err);

/* Records end_time and closes the file (also frees res). Collective. */
int repro_results_close(repro_results *res, const char *end_time, repro_error *err);

/* Current UTC time as "YYYY-MM-DDTHH:MM:SSZ". */
void repro_utc_now(char *buf, size_t size);

#endif
