/* cli_info.c - `repro_mpi info FILE`: what a results file holds. */
#include <stdio.h>
#include <string.h>

#include "repro/cli.h"
#include "repro/cli_util.h"
#include "repro/record.h"

#define MAX_ROWS 64

int repro_cmd_info(int argc, char **argv)
{
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            printf("Usage: repro_mpi info RESULTS.h5\n\n"
                   "Prints a results file's provenance (version, command line, job files,\n"
                   "SEED, REPEATS, ranks, threads, start and end), its jobs counted by status,\n"
                   "and the fit time spent per model. Reads the file without MPI.\n");
            return REPRO_EXIT_OK;
        }
        if (argv[i][0] == '-' && argv[i][1])
            return repro_cli_usage_error("info", "unknown option '%s'", argv[i]);
        if (path)
            return repro_cli_usage_error("info", "unexpected argument '%s'", argv[i]);
        path = argv[i];
    }
    if (!path)
        return repro_cli_usage_error("info", "usage: repro_mpi info RESULTS.h5");
    repro_error err;
    repro_error_clear(&err);
    repro_result_set *set = NULL;
    if (repro_results_read(path, &set, &err))
        return repro_cli_fail(&err);
    printf("%s\n%s", path, set->provenance ? set->provenance : "");
    size_t count[3] = {0, 0, 0};
    struct { char model[32]; size_t done, failed, pending; double seconds; } rows[MAX_ROWS];
    size_t n_rows = 0;
    for (size_t i = 0; i < set->n; i++) {
        const repro_record *r = &set->rec[i];
        count[r->status]++;
        size_t k = 0;
        while (k < n_rows && strcmp(rows[k].model, r->model))
            k++;
        if (k == n_rows) {
            if (n_rows == MAX_ROWS)
                continue;
            memset(&rows[k], 0, sizeof rows[k]);
            snprintf(rows[k].model, sizeof rows[k].model, "%s", r->model);
            n_rows++;
        }
        if (r->status == REPRO_JOB_DONE) {
            rows[k].done++;
            rows[k].seconds += r->fit_seconds;
        } else if (r->status == REPRO_JOB_FAILED) {
            rows[k].failed++;
        } else {
            rows[k].pending++;
        }
    }
    printf("\njobs: %zu total, %zu done, %zu failed, %zu pending\n\n", set->n, count[REPRO_JOB_DONE],
           count[REPRO_JOB_FAILED], count[REPRO_JOB_PENDING]);
    printf("%-16s %8s %8s %8s %14s %12s\n", "model", "done", "failed", "pending", "fit seconds", "mean");
    for (size_t k = 0; k < n_rows; k++)
        printf("%-16s %8zu %8zu %8zu %14.3f %12.4f\n", rows[k].model, rows[k].done, rows[k].failed,
               rows[k].pending, rows[k].seconds, rows[k].done ? rows[k].seconds / (double)rows[k].done : 0.0);
    size_t timed = 0, tasks = 0;
    for (size_t i = 0; i < set->n; i++) {
        timed += set->rec[i].tasks.n_stages > 0;
        for (size_t s = 0; s < set->rec[i].tasks.n_stages; s++)
            tasks += set->rec[i].tasks.count[s];
    }
    if (set->has_tasks)
        printf("\ntask times (/tasks): %zu split jobs, %zu tasks\n", timed, tasks);
    else
        printf("\ntask times: not in this file (written before /tasks)\n");
    size_t shown = 0;
    for (size_t i = 0; i < set->n; i++) {
        const repro_record *r = &set->rec[i];
        if (r->status != REPRO_JOB_FAILED)
            continue;
        if (shown++ == 0)
            printf("\nfailed jobs:\n");
        if (shown > 20) {
            printf("  ... and %zu more\n", count[REPRO_JOB_FAILED] - 20);
            break;
        }
        printf("  job %zu (%s / %s / repeat %u / %s): %s\n", i, r->experiment, r->dataset, r->repeat,
               r->model, r->message ? r->message : "");
    }
    repro_result_set_free(set);
    return REPRO_EXIT_OK;
}
