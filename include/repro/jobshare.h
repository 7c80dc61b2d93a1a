/* jobshare.h - the job files of a run, read once by rank 0 and broadcast, so
 * every rank parses the same bytes. */
#ifndef REPRO_JOBSHARE_H
#define REPRO_JOBSHARE_H

#include <mpi.h>

#include "repro/error.h"

/* A job file's name and text (read from disk, or built in). */
typedef struct repro_job_source {
    const char *name;
    const char *text;
} repro_job_source;

/* Collective. Rank 0 reads the n job files names[0..n) (each a path or a
 * shipped job's name, see repro_jobfile_resolve) and every rank receives
 * their names and texts into src[0..n), pointing into one buffer returned in
 * *blob (free with free() once the texts are parsed). On failure the code is
 * the same on all ranks (rank 0's message names the file; the others say
 * that rank 0 could not read the job files) and nothing is left allocated. */
int repro_jobfiles_share(MPI_Comm comm, int rank, const char *const *names, int n,
                         repro_job_source *src, char **blob, repro_error *err);

#endif
