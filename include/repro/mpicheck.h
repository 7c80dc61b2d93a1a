/* mpicheck.h - checking MPI calls: a failed call becomes REPRO_EMPI with
 * file:line, the call and MPI's message (communicators must return errors,
 * MPI_ERRORS_RETURN, for the check to see them). */
#ifndef REPRO_MPICHECK_H
#define REPRO_MPICHECK_H

#include <mpi.h>

#include "repro/error.h"

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

#endif
