/* cli_reduce.c - `repro_mpi reduce RESULTS [-o OUTDIR]`: the paper's tables
 * and figures from a results file. */
#include <stdio.h>
#include <string.h>

#include "repro/cli.h"
#include "repro/cli_util.h"
#include "repro/pipeline.h"
#include "repro/reduce.h"


/* Prints the usage of the command. */
static void usage(FILE *f)
{
    fputs("Usage: repro_mpi reduce RESULTS.h5... [-o OUTDIR]\n"
          "\n"
          "Writes every table of the paper to OUTDIR/tables/... (LaTeX and CSV) and its\n"
          "figures to OUTDIR/figures/... (PDF and PNG); several results files (a run done\n"
          "in pieces) are reduced together; a job found in two files is refused, unless\n"
          "both rows are identical (then counted once, and said). Results over several\n"
          "seeds (run --seeds, or files of different seeds) are reduced per seed into\n"
          "OUTDIR/seeds/SEED/ and across seeds into OUTDIR/tables (mean +- sd; the\n"
          "quantiles in NAME_seeds.csv), never pooled. Missing cells (failed or absent\n"
          "jobs) print '-'. Works on partly done results and says so. The output is\n"
          "built in a temporary folder and moved into place, so a failure leaves the old\n"
          "output untouched.\n"
          "Results of other job files (experiments that are not the paper's) are\n"
          "summarized per experiment x data set x model (jobs done and failed, mean +- sd\n"
          "of each stored score and of the fit time) in OUTDIR/tables/summary/jobs.csv\n"
          "and .tex; if there is no experiment of the paper at all, OUTDIR/REPORT.md is\n"
          "that summary.\n"
          "\n"
          "Options:\n"
          "  -o, --output DIR  output folder (default: output)\n"
          "  -h, --help        this help\n",
          f);
}

int repro_cmd_reduce(int argc, char **argv)
{
    const char *in[REPRO_CLI_MAX_ARGS];
    size_t n_in = 0;
    const char *outdir = "output";
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage(stdout);
            return REPRO_EXIT_OK;
        } else if (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) {
            if (++i == argc)
                return repro_cli_usage_error("reduce", "%s needs a folder", argv[i - 1]);
            outdir = argv[i];
        } else {
            int bad = repro_cli_add_input("reduce", argv[i], in, &n_in, sizeof in / sizeof in[0]);
            if (bad)
                return bad;
        }
    }
    if (!n_in)
        return repro_cli_usage_error("reduce", "no results file given (see 'repro_mpi reduce --help')");
    repro_error err;
    repro_error_clear(&err);
    size_t identical = 0;
    repro_reduce_stats st;
    int rc = repro_pipeline_reduce(in, n_in, outdir, &st, &identical, &err);
    if (identical)
        printf("%zu jobs are in two of the files with identical results: each counted once\n",
               identical);
    if (rc)
        return repro_cli_fail(&err);
    if (st.done < st.records)
        printf("partial results: %zu of %zu jobs done (%zu failed, %zu pending)\n", st.done,
               st.records, st.failed, st.pending);
    if (st.seeds > 1)
        printf("%zu seeds: each seed's tables and figures in %s/seeds/SEED, across seeds in %s/tables\n",
               st.seeds, outdir, outdir);
    if (st.summary_only) {
        printf("no experiment of the paper: a summary of %zu experiment x data set x model group%s "
               "(mean +- sd of each score and of the fit time) in %s/tables/summary/jobs.csv and %s/REPORT.md\n",
               st.summary_rows, st.summary_rows == 1 ? "" : "s", outdir, outdir);
        return REPRO_EXIT_OK;
    }
    printf("%zu table cells (%zu missing), %zu figure files (%zu missing) in %s\n", st.cells,
           st.missing, st.figures - st.figures_missing, st.figures_missing, outdir);
    if (st.summary_rows)
        printf("experiments that are not the paper's: a summary of %zu group%s in %s/tables/summary/jobs.csv\n",
               st.summary_rows, st.summary_rows == 1 ? "" : "s", outdir);
    return REPRO_EXIT_OK;
}
