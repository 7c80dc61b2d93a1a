/* reduce_paper.c - reduce, verify and summarize after a run (see reduce.h). */
#include "repro/reduce.h"

/* Reads, reduces, verifies with the default tolerance and prints the
 * summary: what the paper command does once its run is over. */
int repro_reduce_paper(const char *results_path, const char *outdir, FILE *summary,
                       repro_error *err)
{
    repro_result_set *set = NULL;
    int rc = repro_results_read_many(&results_path, 1, &set, err);
    if (rc)
        return rc;
    repro_tables ts = {0};
    repro_sweep sw = {0};
    repro_reduce_stats stats;
    rc = repro_reduce_ex(set, outdir, &ts, &sw, &stats, err);
    repro_result_set_free(set);
    repro_verify_summary sum;
    if (!rc)
        rc = repro_verify_write_sweep(&ts, &sw, REPRO_VERIFY_TOLERANCE, &stats, outdir, &sum, err);
    repro_sweep_free(&sw);
    if (!rc && summary) {
        repro_verify_print_summary(summary, &stats, &sum, REPRO_VERIFY_TOLERANCE);
        fprintf(summary, "tables and figures in %s, report in %s/REPORT.md\n", outdir, outdir);
    }
    repro_tables_clear(&ts);
    return rc;
}
