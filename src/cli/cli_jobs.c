/* cli_jobs.c - `repro_mpi jobs`: where the shipped job files are. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repro/cli.h"
#include "repro/cli_util.h"
#include "repro/paths.h"

#define JOBS_MAX 256

static void jobs_help(FILE *out)
{
    fprintf(out,
            "Usage: repro_mpi jobs [--dir]\n"
            "\n"
            "Lists the job files shipped with repro_mpi (full paths, one a line, sorted).\n"
            "'repro_mpi run NAME' also accepts a shipped job by name (e.g. 'smoke').\n"
            "The data folder is $REPRO_DATADIR, else ../share/repro_mpi next to the\n"
            "binary, else the source tree, else the configured install folder.\n"
            "\n"
            "Options:\n"
            "  --dir    print only the data folder\n");
}

/* qsort comparator for an array of C strings. */
static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collects the *.ini names in dir into names (malloc'd copies); returns the
 * count, or -1 (with err) if the folder cannot be read. */
static int list_ini(const char *dir, char **names, int max, repro_error *err)
{
    DIR *d = opendir(dir);
    if (!d) {
        repro_error_set(err, REPRO_EIO, "cannot read %s", dir);
        return -1;
    }
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < max) {
        size_t len = strlen(e->d_name);
        if (len > 4 && strcmp(e->d_name + len - 4, ".ini") == 0) {
            names[n] = malloc(len + 1);
            if (!names[n])
                break;
            memcpy(names[n++], e->d_name, len + 1);
        }
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof names[0], cmp_names);
    return n;
}

int repro_cmd_jobs(int argc, char **argv)
{
    int dir_only = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            jobs_help(stdout);
            return REPRO_EXIT_OK;
        } else if (!strcmp(argv[i], "--dir")) {
            dir_only = 1;
        } else {
            return repro_cli_usage_error("jobs", "unexpected argument '%s' (see 'repro_mpi jobs --help')",
                                         argv[i]);
        }
    }
    repro_error err;
    repro_error_clear(&err);
    char data[4096], jobs[4200];
    if (repro_datadir(data, sizeof data, &err) != REPRO_OK)
        return repro_cli_fail(&err);
    if (dir_only) {
        printf("%s\n", data);
        return REPRO_EXIT_OK;
    }
    snprintf(jobs, sizeof jobs, "%s/jobs", data);
    char *names[JOBS_MAX];
    int n = list_ini(jobs, names, JOBS_MAX, &err);
    if (n < 0)
        return repro_cli_fail(&err);
    for (int i = 0; i < n; i++) {
        printf("%s/%s\n", jobs, names[i]);
        free(names[i]);
    }
    if (n == 0) {
        repro_error_set(&err, REPRO_EIO, "no job files in %s", jobs);
        return repro_cli_fail(&err);
    }
    return REPRO_EXIT_OK;
}
