/* reduce_write.c - writing the tables and moving a finished reduction into
 * place (see reduce.h). */
#include "repro/reduce.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "repro/fsutil.h"

/* Writes one table as TABLEDIR/NAME.tex and .csv. */
static int write_table(const repro_table *t, const char *tabledir, repro_error *err)
{
    char path[4200];
    const char *ext[2] = {"tex", "csv"};
    for (int k = 0; k < 2; k++) {
        snprintf(path, sizeof path, "%s/%s.%s", tabledir, t->name, ext[k]);
        FILE *f = fopen(path, "w");
        if (!f)
            return repro_error_set(err, REPRO_EIO, "cannot write %s: %s", path, strerror(errno));
        int rc = k ? repro_table_write_csv(t, f, err) : repro_table_write_latex(t, f, err);
        if (fclose(f) && !rc)
            rc = repro_error_set(err, REPRO_EIO, "cannot write %s: %s", path, strerror(errno));
        if (rc)
            return rc;
    }
    return REPRO_OK;
}

int repro_reduce_write_tables(const repro_tables *ts, const char *dir, repro_error *err)
{
    for (size_t i = 0; i < ts->n; i++) {
        char sub[4096];
        snprintf(sub, sizeof sub, "%s/tables/%s", dir, ts->t[i]->group);
        int rc = repro_mkdirs(sub, err);
        if (!rc)
            rc = write_table(ts->t[i], sub, err);
        if (rc)
            return rc;
    }
    return REPRO_OK;
}

/* Replaces OUTDIR/NAME by TMPDIR/NAME: the old one is first moved aside,
 * then removed once the new one is in place. */
static int move_into_place(const char *tmpdir, const char *outdir, const char *name,
                           repro_error *err)
{
    char from[4096], to[4096], old[4096];
    snprintf(from, sizeof from, "%s/%s", tmpdir, name);
    snprintf(to, sizeof to, "%s/%s", outdir, name);
    snprintf(old, sizeof old, "%s/old-%s", tmpdir, name);
    if (access(from, F_OK))
        return REPRO_OK;
    if (!access(to, F_OK) && rename(to, old))
        return repro_error_set(err, REPRO_EIO, "cannot move %s aside: %s", to, strerror(errno));
    if (rename(from, to))
        return repro_error_set(err, REPRO_EIO, "cannot move %s to %s: %s", from, to,
                               strerror(errno));
    return REPRO_OK;
}

/* Each seed's tables and figures of a sweep under DIR/seeds/SEED, as a
 * single-seed reduction of that seed writes them. */
static int write_per_seed(const repro_result_set *set, const repro_sweep *sw, const char *dir,
                          repro_reduce_stats *stats, repro_error *err)
{
    repro_result_set view = *set;
    view.rec = repro_malloc(set->n ? set->n : 1, sizeof *view.rec, err);
    if (!view.rec)
        return REPRO_ENOMEM;
    int rc = REPRO_OK;
    for (size_t s = 0; s < sw->n && !rc; s++) {
        char sub[4200];
        snprintf(sub, sizeof sub, "%s/seeds/%llu", dir, (unsigned long long)sw->seeds[s]);
        view.n = 0;
        for (size_t i = 0; i < set->n; i++)
            if (set->rec[i].seed == sw->seeds[s])
                view.rec[view.n++] = set->rec[i];
        view.seed = sw->seeds[s];
        view.n_seeds = 1;
        rc = repro_reduce_write_tables(&sw->per[s], sub, err);
        repro_reduce_stats fs = {0};
        if (!rc)
            rc = repro_reduce_figures(&view, sub, &fs, err);
        stats->figures += fs.figures;
        stats->figures_missing += fs.figures_missing;
    }
    free(view.rec);
    return rc;
}

int repro_reduce(const repro_result_set *set, const char *outdir, repro_tables *tables,
                 repro_reduce_stats *stats, repro_error *err)
{
    return repro_reduce_ex(set, outdir, tables, NULL, stats, err);
}

int repro_reduce_ex(const repro_result_set *set, const char *outdir, repro_tables *tables,
                    repro_sweep *sweep, repro_reduce_stats *stats, repro_error *err)
{
    repro_tables ts;
    repro_sweep sw = {0};
    if (sweep)
        memset(sweep, 0, sizeof *sweep);
    size_t n_seeds = repro_set_seeds(set, NULL, 0);
    int rc = repro_reduce_tables(set, &ts, stats, err);
    if (rc)
        return rc;
    repro_table *summary = NULL;
    if ((rc = repro_reduce_summary(set, &summary, err))) {
        repro_tables_clear(&ts);
        return rc;
    }
    int paper_exp = 0;
    for (size_t i = 0; i < set->n && !paper_exp; i++)
        paper_exp = repro_is_paper_experiment(set->rec[i].experiment);
    stats->summary_rows = summary ? summary->n_rows : 0;
    stats->summary_only = summary && !paper_exp;
    stats->seeds = n_seeds ? n_seeds : 1;
    if (n_seeds > 1) { /* a sweep: the main tables are across seeds */
        repro_tables_clear(&ts);
        rc = repro_sweep_tables(set, &sw, err);
        if (!rc)
            rc = repro_sweep_mean_tables(&sw, &ts, err);
        if (rc) {
            repro_sweep_free(&sw);
            repro_table_free(summary);
            return rc;
        }
        repro_tables_count(&ts, stats);
    }
    char tmpdir[4096];
    int created = access(outdir, F_OK) != 0;
    if ((rc = repro_mkdirs(outdir, err))) {
        repro_tables_clear(&ts);
        repro_sweep_free(&sw);
        repro_table_free(summary);
        return rc;
    }
    if (snprintf(tmpdir, sizeof tmpdir, "%s/.reduce-XXXXXX", outdir) >= (int)sizeof tmpdir) {
        repro_tables_clear(&ts);
        repro_sweep_free(&sw);
        repro_table_free(summary);
        return repro_error_set(err, REPRO_EINVAL, "output path too long");
    }
    if (!mkdtemp(tmpdir)) {
        repro_tables_clear(&ts);
        repro_sweep_free(&sw);
        repro_table_free(summary);
        return repro_error_set(err, REPRO_EIO, "cannot create a temporary folder in %s: %s",
                               outdir, strerror(errno));
    }
    rc = repro_reduce_write_tables(&ts, tmpdir, err);
    if (!rc && summary) {
        repro_tables one = {1, {summary}};
        rc = repro_reduce_write_tables(&one, tmpdir, err);
    }
    if (!rc && n_seeds > 1)
        rc = repro_sweep_write_stats(&sw, tmpdir, err);
    if (!rc && n_seeds > 1) {
        char figs[4200]; /* a sweep's own figures (the verdict) come later: none stale */
        snprintf(figs, sizeof figs, "%s/figures", tmpdir);
        rc = repro_mkdirs(figs, err);
        if (!rc)
            rc = write_per_seed(set, &sw, tmpdir, stats, err);
    }
    else if (!rc)
        rc = repro_reduce_figures(set, tmpdir, stats, err);
    if (!rc)
        rc = move_into_place(tmpdir, outdir, "tables", err);
    if (!rc)
        rc = move_into_place(tmpdir, outdir, "figures", err);
    if (!rc && n_seeds > 1) {
        rc = move_into_place(tmpdir, outdir, "seeds", err);
    } else if (!rc) { /* a stale sweep's seeds/ goes with the temporary folder */
        char old[4200], aside[4200];
        snprintf(old, sizeof old, "%s/seeds", outdir);
        snprintf(aside, sizeof aside, "%s/old-seeds", tmpdir);
        if (!access(old, F_OK) && rename(old, aside))
            rc = repro_error_set(err, REPRO_EIO, "cannot remove stale %s: %s", old, strerror(errno));
    }
    if (!rc && stats->summary_only) {
        char report[4096];
        snprintf(report, sizeof report, "%s/REPORT.md", outdir);
        rc = repro_reduce_summary_report(summary, stats, report, err);
    } else if (!rc) {
        char report[4096];
        snprintf(report, sizeof report, "%s/REPORT.md", outdir);
        if (unlink(report) && errno != ENOENT)
            rc = repro_error_set(err, REPRO_EIO, "cannot remove stale %s: %s", report,
                                 strerror(errno));
    }
    repro_error tmp_err;
    repro_error_clear(&tmp_err);
    repro_remove_tree(tmpdir, rc ? &tmp_err : err);
    repro_table_free(summary);
    if (rc && created)
        rmdir(outdir); /* only if still empty: a failure leaves no new folder */
    if (rc || !tables)
        repro_tables_clear(&ts);
    else
        *tables = ts;
    if (rc || !sweep)
        repro_sweep_free(&sw);
    else
        *sweep = sw;
    return rc;
}
