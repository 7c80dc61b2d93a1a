/* reduce_paper.c - reduce, verify and summarize after a run (see reduce.h). */
#include "repro/reduce.h"

#include "repro/pipeline.h"

/* Reads, reduces, verifies with the default tolerance and prints the
 * summary: what the paper command does once its run is over. */
int repro_reduce_paper(const char *results_path, const char *outdir, FILE *summary,
                       repro_error *err)
{
    repro_reduce_stats stats;
    repro_verify_summary sum;
    int rc = repro_pipeline_verify(&results_path, 1, outdir, REPRO_VERIFY_TOLERANCE, &stats, &sum, NULL, err);
    if (!rc && summary) {
        repro_verify_print_summary(summary, &stats, &sum, REPRO_VERIFY_TOLERANCE);
        fprintf(summary, "tables and figures in %s, report in %s/REPORT.md\n", outdir, outdir);
    }
    return rc;
}
