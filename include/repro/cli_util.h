/* cli_util.h - what every subcommand shares: exit codes, error lines for the
 * user, argument and environment parsing, the version line. Only code under
 * the CLI prints to the user or chooses exit codes. */
#ifndef REPRO_CLI_UTIL_H
#define REPRO_CLI_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "repro/error.h"

enum { REPRO_EXIT_OK = 0, REPRO_EXIT_FAIL = 1, REPRO_EXIT_USAGE = 2 };

/* Most values of one repeatable argument a command takes (job files, --set
 * settings, results files): they are kept in arrays on the stack, and one
 * more is a usage error. */
#define REPRO_CLI_MAX_ARGS 64

/* Prints "repro_mpi: MESSAGE" on stderr and maps err's code to an exit code
 * (2 for invalid input, 1 otherwise). */
int repro_cli_fail(const repro_error *err);
/* Prints "repro_mpi CMD: MESSAGE" built from a format on stderr; returns 2. */
int repro_cli_usage_error(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Takes an argument of command cmd that no option claimed as the next input
 * file in[*n] (room for max): an unknown option ("-...") or one file too many
 * is a usage error (its exit code 2 is returned), else 0. */
int repro_cli_add_input(const char *cmd, const char *arg, const char **in, size_t *n, size_t max);

/* Parses a whole non-negative integer (decimal) into *out; 0 on success. */
int repro_cli_parse_u64(const char *text, uint64_t *out);

/* Reads an environment variable as an unsigned integer: returns 1 and sets
 * *out if set and valid, 0 if unset, -1 (with err) if set but invalid. */
int repro_cli_env_u64(const char *name, uint64_t *out, repro_error *err);

/* Our version and the versions of the linked Open MPI, HDF5, GSL and CLP. */
void repro_versions(char *buf, size_t size);

#endif
