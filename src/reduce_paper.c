/* reduce_paper.c - reduce, verify and summarize after a run (see reduce.h). */
#include "repro/reduce.h"

/* TEMPORARY until the results module is merged: weak so the program links
 * without it and reports that reading is unavailable. */
#pragma weak repro_results_read

int repro_reduce_paper(const char *results_path, const char *outdir, FILE *summary,
                       repro_error *err)
{
    repro_result_set *set = NULL;
    int rc = repro_results_read ? repro_results_read(results_path, &set, err) : repro_error_set(err, REPRO_EFAIL, "this build cannot read results files");
    if (rc)
        return rc;
    repro_tables ts = {0};
    repro_reduce_stats stats;
    rc = repro_reduce(set, outdir, &ts, &stats, err);
    repro_result_set_free(set);
    repro_verify_summary sum;
    if (!rc)
        rc = repro_verify_write(&ts, 0.05, &stats, outdir, &sum, err);
    if (!rc && summary) {
        repro_verify_print_summary(summary, &stats, &sum, 0.05);
        fprintf(summary, "tables and figures in %s, report in %s/REPORT.md\n", outdir, outdir);
    }
    repro_tables_clear(&ts);
    return rc;
}
