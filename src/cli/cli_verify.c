/* cli_verify.c - `repro_mpi verify OUTDIR|RESULTS`: compares the reproduced
 * tables with the published ones and writes OUTDIR/REPORT.md. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "repro/cli.h"
#include "repro/cli_util.h"
#include "repro/pipeline.h"
#include "repro/reduce.h"


/* Prints the usage of the command. */
/* Whether an output folder holds the summary of jobs that are not the paper's
 * (written by reduce when no experiment of the paper is present). */
static int has_summary(const char *outdir)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/tables/summary/jobs.csv", outdir);
    struct stat sb;
    return stat(path, &sb) == 0;
}

static void usage(FILE *f)
{
    fputs("Usage: repro_mpi verify OUTDIR [--tolerance X] [--strict]\n"
          "       repro_mpi verify RESULTS.h5... [-o OUTDIR] [--tolerance X] [--strict]\n"
          "\n"
          "Compares every reproduced table cell with the paper's (scores within the\n"
          "tolerance, data-set parameters exactly, runtimes as ratios for information)\n"
          "and checks the paper's claims. Given a results file, reduces it first (tables\n"
          "and figures into OUTDIR). Writes OUTDIR/REPORT.md and prints a summary.\n"
          "For a sweep over seeds (run --seeds), the report leads with the verdict: each\n"
          "published score placed in our distribution over the seeds (consistent when\n"
          "it meets our central 95 % band, needing at least 10 seeds; else paper higher\n"
          "or lower), and each claim's share of seeds where it holds.\n"
          "\n"
          "Options:\n"
          "  -o, --output DIR   output folder when given a results file (default: output)\n"
          "  --tolerance X      allowed |ours - paper| for scores (default 0.05)\n"
          "  --strict           exit 1 if a cell is out of tolerance or missing, or a claim\n"
          "                     does not hold\n"
          "  -h, --help         this help\n",
          f);
}

int repro_cmd_verify(int argc, char **argv)
{
    const char *in[REPRO_CLI_MAX_ARGS];
    size_t n_in = 0;
    const char *outdir = NULL;
    double tol = REPRO_VERIFY_TOLERANCE;
    int strict = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage(stdout);
            return REPRO_EXIT_OK;
        } else if (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) {
            if (++i == argc)
                return repro_cli_usage_error("verify", "%s needs a folder", argv[i - 1]);
            outdir = argv[i];
        } else if (!strcmp(argv[i], "--tolerance")) {
            char *end = NULL;
            if (++i == argc)
                return repro_cli_usage_error("verify", "--tolerance needs a number");
            errno = 0;
            tol = strtod(argv[i], &end);
            if (errno || *end || end == argv[i] || !(tol >= 0 && tol <= 1))
                return repro_cli_usage_error("verify", "--tolerance '%s' is not a number in [0, 1]",
                                             argv[i]);
        } else if (!strcmp(argv[i], "--strict")) {
            strict = 1;
        } else {
            int bad = repro_cli_add_input("verify", argv[i], in, &n_in, sizeof in / sizeof in[0]);
            if (bad)
                return bad;
        }
    }
    if (!n_in)
        return repro_cli_usage_error("verify", "no output folder or results file given (see 'repro_mpi verify --help')");
    repro_error err;
    repro_error_clear(&err);
    struct stat st;
    if (stat(in[0], &st))
        return repro_cli_usage_error("verify", "cannot open %s: %s", in[0], strerror(errno));
    repro_reduce_stats rs;
    repro_verify_summary sum;
    int rc;
    if (S_ISDIR(st.st_mode)) {
        if (n_in > 1)
            return repro_cli_usage_error("verify", "one output folder only");
        if (outdir && strcmp(outdir, in[0]))
            return repro_cli_usage_error("verify", "-o is for a results file; the report goes to %s",
                                         in[0]);
        outdir = in[0];
        /* an output folder: its tables are already reduced */
        repro_tables ts = {0};
        repro_sweep sw = {0};
        rc = repro_tables_read_dir(in[0], &ts, &err);
        if (!rc)
            rc = repro_sweep_read_dir(in[0], &sw, &err);
        if (!rc) {
            memset(&rs, 0, sizeof rs);
            repro_tables_count(&ts, &rs);
            rs.summary_only = rs.missing == rs.cells && has_summary(in[0]);
            if (!rs.summary_only)
                rc = repro_verify_write_sweep(&ts, &sw, tol, &rs, outdir, &sum, &err);
        }
        repro_tables_clear(&ts);
        repro_sweep_free(&sw);
    } else {
        if (!outdir)
            outdir = "output";
        size_t identical = 0;
        rc = repro_pipeline_verify(in, n_in, outdir, tol, &rs, &sum, &identical, &err);
        if (identical)
            printf("%zu jobs are in two of the files with identical results: each counted once\n",
                   identical);
    }
    if (rc)
        return repro_cli_fail(&err);
    if (rs.summary_only) {
        printf("no experiment of the paper to verify: %s/REPORT.md is the summary of the jobs "
               "(%s/tables/summary/jobs.csv)\n", outdir, outdir);
        return REPRO_EXIT_OK;
    }
    repro_verify_print_summary(stdout, &rs, &sum, tol);
    printf("report: %s/REPORT.md\n", outdir);
    if (strict && sum.seeds >= REPRO_VERDICT_MIN_SEEDS)
        return sum.v_consistent < sum.v_cells ? REPRO_EXIT_FAIL : REPRO_EXIT_OK;
    if (strict && (sum.within < sum.cells || sum.held < sum.claims))
        return REPRO_EXIT_FAIL;
    return REPRO_EXIT_OK;
}
