/* paths.h - where repro_mpi finds the data it ships: the job files (jobs/NAME.ini)
 * in the source tree, or under PREFIX/share/repro_mpi once installed. */
#ifndef REPRO_PATHS_H
#define REPRO_PATHS_H

#include <stddef.h>

#include "repro/error.h"

/* Finds the data folder, the first of these that holds a jobs/ folder:
 * $REPRO_DATADIR; EXE/../share/repro_mpi next to the running binary (an
 * installed binary, wherever its prefix now is); the source tree the binary
 * was built from; the configured install folder. Writes it to buf; returns
 * REPRO_OK, or REPRO_EIO with a message naming what was tried. */
int repro_datadir(char *buf, size_t size, repro_error *err);

/* Resolves a job file argument: an existing path as given; else NAME, then
 * NAME.ini, in the data folder's jobs/ (so "smoke" finds jobs/smoke.ini).
 * Writes the path to buf; returns REPRO_OK or REPRO_EINVAL. */
int repro_jobfile_resolve(const char *arg, char *buf, size_t size, repro_error *err);

#endif
