/* cli.c - subcommand dispatch, help and version. */
#include "repro/cli.h"

#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <string.h>

#include "repro/cli_util.h"
#include "repro/model.h"

static const repro_command commands[] = {
    {"gen", "write a generated, standardized data set as CSV", repro_cmd_gen},
    {"fit", "fit one model on one data set and print its relevance classes", repro_cmd_fit},
    {"run", "run job files over MPI ranks into one HDF5 results file (--dry-run: the plan)", repro_cmd_run},
    {"paper", "run the whole paper (the default without arguments)", repro_cmd_paper},
    {"info", "summarize a results file: provenance, job counts, time per model", repro_cmd_info},
    {"reduce", "write the paper's tables and figures (other job files: a summary)", repro_cmd_reduce},
    {"verify", "compare reproduced tables with the paper's and write REPORT.md", repro_cmd_verify},
    {"export", "write a results file's jobs and their scores as CSV or JSON", repro_cmd_export},
    {"jobs", "list the shipped job files", repro_cmd_jobs},
};

static void print_help(FILE *out)
{
    char models[256];
    repro_model_names(models, sizeof models);
    fprintf(out,
            "Usage: repro_mpi [COMMAND] [ARGS...]\n"
            "       (no COMMAND: run the whole paper, as 'repro_mpi paper')\n"
            "\n"
            "Reproduces the experiments of Pfannschmidt & Hammer (2020), \"Sequential\n"
            "Feature Classification in the Context of Redundancies\".\n"
            "\n"
            "Commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(out,
            "\n"
            "Run 'repro_mpi COMMAND --help' for a command's options.\n"
            "Models: %s\n"
            "Options:\n"
            "  -h, --help     this help\n"
            "  -V, --version  our version and the linked library versions\n",
            models[0] ? models : "(none)");
}

int repro_cli_main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    if (argc < 2) {
        char *paper[] = {"paper", NULL};
        return repro_cmd_paper(1, paper);
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        print_help(stdout);
        return REPRO_EXIT_OK;
    }
    if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
        char v[512];
        repro_versions(v, sizeof v);
        printf("%s\n", v);
        return REPRO_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(cmd, commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "repro_mpi: unknown command '%s' (try 'repro_mpi --help')\n", cmd);
    return REPRO_EXIT_USAGE;
}
