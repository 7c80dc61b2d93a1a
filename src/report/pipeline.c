/* pipeline.c - read -> reduce -> verify in one place (see pipeline.h). */
#include "repro/pipeline.h"

/* The common path: read the set, reduce it, and hand back the tables (and a
 * sweep's per-seed tables) when the caller verifies them. */
static int read_reduce(const char *const *paths, size_t n, const char *outdir, repro_tables *ts,
                       repro_sweep *sw, repro_reduce_stats *stats, size_t *identical, repro_error *err)
{
    repro_result_set *set = NULL;
    size_t same = 0;
    int rc = repro_results_read_many_ex(paths, n, &set, &same, err);
    if (identical)
        *identical = rc ? 0 : same;
    if (rc)
        return rc;
    rc = repro_reduce_ex(set, outdir, ts, sw, stats, err);
    repro_result_set_free(set);
    return rc;
}

int repro_pipeline_reduce(const char *const *paths, size_t n, const char *outdir,
                          repro_reduce_stats *stats, size_t *identical, repro_error *err)
{
    return read_reduce(paths, n, outdir, NULL, NULL, stats, identical, err);
}

int repro_pipeline_verify(const char *const *paths, size_t n, const char *outdir, double tol,
                          repro_reduce_stats *stats, repro_verify_summary *sum, size_t *identical,
                          repro_error *err)
{
    repro_tables ts = {0};
    repro_sweep sw = {0};
    int rc = read_reduce(paths, n, outdir, &ts, &sw, stats, identical, err);
    /* nothing of the paper: REPORT.md stays the reduction's summary */
    if (!rc && !stats->summary_only)
        rc = repro_verify_write_sweep(&ts, &sw, tol, stats, outdir, sum, err);
    repro_sweep_free(&sw);
    repro_tables_clear(&ts);
    return rc;
}
