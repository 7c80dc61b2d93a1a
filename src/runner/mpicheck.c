/* mpicheck.c - MPI failures as error codes with a message (see mpicheck.h). */
#include "repro/mpicheck.h"

/* Fills err with the failed call, its place and MPI's own text for the code;
 * local (MPI_Error_string needs no other rank). */
int repro_mpi_error(repro_error *err, int mpi_rc, const char *file, int line, const char *call)
{
    char msg[MPI_MAX_ERROR_STRING] = "";
    int len = 0;
    MPI_Error_string(mpi_rc, msg, &len);
    return repro_error_set(err, REPRO_EMPI, "%s:%d: MPI call failed: %s: %s", file, line, call, msg);
}
