/* cli.h - the command line: the dispatcher and its subcommands (their shared
 * helpers are in cli_util.h). */
#ifndef REPRO_CLI_H
#define REPRO_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "repro/error.h"

typedef struct repro_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv); /* argv[0] is the command name */
} repro_command;

/* Entry point: dispatches to a subcommand; returns the exit code. */
int repro_cli_main(int argc, char **argv);

/* Subcommands (one file each: src/cli/cli_NAME.c). */
int repro_cmd_gen(int argc, char **argv);
int repro_cmd_fit(int argc, char **argv);
int repro_cmd_jobs(int argc, char **argv);
int repro_cmd_run(int argc, char **argv);
int repro_cmd_paper(int argc, char **argv);
int repro_cmd_info(int argc, char **argv);
int repro_cmd_reduce(int argc, char **argv);
int repro_cmd_verify(int argc, char **argv);
int repro_cmd_export(int argc, char **argv);

struct repro_model_type;
/* `run` with models looked up in registry (a NULL-terminated array) instead
 * of repro_models: for programs that bring their own models. Collective:
 * starts MPI if it is not started yet (and then finalizes it). */
int repro_cli_run_with(int argc, char **argv, const struct repro_model_type *const *registry);

#endif
