/* cli_util.c - helpers shared by the subcommands (see cli_util.h). */
#include "repro/cli_util.h"

#include <errno.h>
#include <gsl/gsl_version.h>
#include <hdf5.h>
#include <mpi.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <coin/Clp_C_Interface.h>

void repro_versions(char *buf, size_t size)
{
    char mpi[MPI_MAX_LIBRARY_VERSION_STRING] = "";
    int len = 0;
    MPI_Get_library_version(mpi, &len);
    char *nl = strpbrk(mpi, ",\n");
    if (nl)
        *nl = '\0';
    unsigned maj = 0, min = 0, rel = 0;
    H5get_libversion(&maj, &min, &rel);
    snprintf(buf, size, "repro_mpi %s (%s; HDF5 %u.%u.%u parallel; GSL %s; CLP %s)", REPRO_VERSION,
             mpi, maj, min, rel, gsl_version, Clp_Version());
}

int repro_cli_fail(const repro_error *err)
{
    fprintf(stderr, "repro_mpi: %s\n", err->msg[0] ? err->msg : repro_error_name(err->code));
    return err->code == REPRO_EINVAL ? REPRO_EXIT_USAGE : REPRO_EXIT_FAIL;
}

int repro_cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "repro_mpi %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    return REPRO_EXIT_USAGE;
}

int repro_cli_add_input(const char *cmd, const char *arg, const char **in, size_t *n, size_t max)
{
    if (arg[0] == '-')
        return repro_cli_usage_error(cmd, "unknown option '%s'", arg);
    if (*n == max)
        return repro_cli_usage_error(cmd, "at most %zu results files", max);
    in[(*n)++] = arg;
    return 0;
}

int repro_cli_parse_u64(const char *text, uint64_t *out)
{
    if (!text || !*text || *text == '-' || *text == '+')
        return -1;
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

int repro_cli_env_u64(const char *name, uint64_t *out, repro_error *err)
{
    const char *v = getenv(name);
    if (!v || !*v)
        return 0;
    if (repro_cli_parse_u64(v, out)) {
        repro_error_set(err, REPRO_EINVAL, "environment variable %s='%s' is not a whole number", name, v);
        return -1;
    }
    return 1;
}
