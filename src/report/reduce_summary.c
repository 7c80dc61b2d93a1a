/* reduce_summary.c - the generic summary of results that are not the
 * paper's (see reduce.h): per experiment x data set x model, the mean and
 * standard deviation of each stored score and of the fit time. */
#include "repro/reduce.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int repro_is_paper_experiment(const char *name)
{
    static const char *const paper[] = {REPRO_EXP_TOY, REPRO_EXP_NL, REPRO_EXP_FIG_1FF, REPRO_EXP_FIG_01FF,
                                        REPRO_EXP_THRESHOLD};
    for (size_t i = 0; i < sizeof paper / sizeof paper[0]; i++)
        if (!strcmp(name, paper[i]))
            return 1;
    return 0;
}

/* The summary's value columns: the jobs counted, then each averaged value. */
static const char *const HEAD[] = {"experiment",       "dataset",       "model",          "done",
                                   "failed",           "precision",     "recall",         "f1",
                                   "weak_precision",   "weak_recall",   "strong_precision", "strong_recall",
                                   "train_score",      "fit_seconds"};
enum { N_KEYS = 3, N_VALS = 11, N_MEANS = 9 /* from precision on */ };

/* A record's averaged values, in HEAD's order from precision on. */
static void record_values(const repro_record *r, double v[N_MEANS])
{
    const repro_job_scores *s = &r->scores;
    double x[N_MEANS] = {s->precision,        s->recall,        s->f1,             s->weak_precision,
                         s->weak_recall,      s->strong_precision, s->strong_recall, r->train_score,
                         r->fit_seconds};
    memcpy(v, x, sizeof x);
}

/* A name as a table key: commas (which the tables' CSV does not quote)
 * become semicolons. */
static void key_text(char *dst, size_t size, const char *name)
{
    snprintf(dst, size, "%s", name);
    for (char *p = dst; *p; p++)
        if (*p == ',')
            *p = ';';
}

int repro_reduce_summary(const repro_result_set *set, repro_table **out, repro_error *err)
{
    *out = NULL;
    size_t any = 0;
    for (size_t i = 0; i < set->n; i++)
        any += !repro_is_paper_experiment(set->rec[i].experiment);
    if (!any)
        return REPRO_OK;
    repro_table *t = repro_table_alloc("summary", "jobs", N_KEYS, N_VALS, HEAD, err);
    if (!t)
        return REPRO_ENOMEM;
    t->decimals = 3;
    t->n_counts = 2; /* done, failed */
    /* sums per row and value: count, sum, sum of squares (in record order:
     * deterministic) */
    double *sum = NULL, *sq = NULL, *cnt = NULL;
    size_t *done = NULL, *failed = NULL;
    int rc = REPRO_OK;
    size_t cap = any;
    sum = repro_calloc(cap * N_MEANS, sizeof *sum, err);
    sq = repro_calloc(cap * N_MEANS, sizeof *sq, err);
    cnt = repro_calloc(cap * N_MEANS, sizeof *cnt, err);
    done = repro_calloc(cap, sizeof *done, err);
    failed = repro_calloc(cap, sizeof *failed, err);
    if (!sum || !sq || !cnt || !done || !failed)
        rc = REPRO_ENOMEM;
    for (size_t i = 0; i < set->n && !rc; i++) {
        const repro_record *r = &set->rec[i];
        if (repro_is_paper_experiment(r->experiment))
            continue;
        char k[N_KEYS][64];
        key_text(k[0], sizeof k[0], r->experiment);
        key_text(k[1], sizeof k[1], r->dataset);
        key_text(k[2], sizeof k[2], r->model);
        const char *keys[N_KEYS] = {k[0], k[1], k[2]};
        size_t row = repro_table_find(t, keys);
        if (row == (size_t)-1 && (row = repro_table_add_row(t, keys, err)) == (size_t)-1) {
            rc = err->code ? err->code : REPRO_ENOMEM;
            break;
        }
        if (r->status == REPRO_JOB_FAILED)
            failed[row]++;
        if (r->status != REPRO_JOB_DONE)
            continue;
        done[row]++;
        double v[N_MEANS];
        record_values(r, v);
        for (int c = 0; c < N_MEANS; c++) {
            if (isnan(v[c]))
                continue;
            sum[row * N_MEANS + c] += v[c];
            sq[row * N_MEANS + c] += v[c] * v[c];
            cnt[row * N_MEANS + c] += 1.0;
        }
    }
    for (size_t row = 0; row < t->n_rows && !rc; row++) {
        repro_table_set(t, row, 0, (double)done[row]);
        repro_table_set(t, row, 1, (double)failed[row]);
        for (int c = 0; c < N_MEANS && !rc; c++) {
            double n = cnt[row * N_MEANS + c];
            if (n == 0.0) {
                if (done[row]) /* done jobs without this value: it does not apply */
                    t->na[row * N_VALS + 2 + c] = 1;
                continue;
            }
            double mean = sum[row * N_MEANS + c] / n;
            repro_table_set(t, row, 2 + c, mean);
            if (n >= 2) {
                double var = (sq[row * N_MEANS + c] - n * mean * mean) / (n - 1);
                rc = repro_table_set_sd(t, row, 2 + c, sqrt(var > 0 ? var : 0), err);
            }
        }
    }
    free(sum);
    free(sq);
    free(cnt);
    free(done);
    free(failed);
    if (rc) {
        repro_table_free(t);
        return rc;
    }
    *out = t;
    return REPRO_OK;
}

/* Writes one cell as "mean ± sd" (or "mean", "-", "n/a"). */
static void md_cell(FILE *f, const repro_table *t, size_t row, size_t col)
{
    double v = repro_table_get(t, row, col);
    double sd = t->sd ? t->sd[row * t->n_vals + col] : NAN;
    if (t->na[row * t->n_vals + col])
        fputs("| n/a ", f);
    else if (isnan(v))
        fputs("| - ", f);
    else if (col < t->n_counts)
        fprintf(f, "| %.0f ", v);
    else if (isnan(sd))
        fprintf(f, "| %.3f ", v);
    else
        fprintf(f, "| %.3f ± %.3f ", v, sd);
}

int repro_reduce_summary_markdown(const repro_table *t, FILE *f, repro_error *err)
{
    return repro_table_write_markdown_with(t, f, md_cell, err);
}

int repro_reduce_summary_report(const repro_table *t, const repro_reduce_stats *stats, const char *path,
                                repro_error *err)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return repro_error_set(err, REPRO_EIO, "cannot write %s: %s", tmp, strerror(errno));
    fprintf(f, "# Summary of the results\n\n"
               "These results hold no experiment of the paper, so there is nothing to compare\n"
               "with the published tables. Per experiment x data set x model: the jobs done\n"
               "and failed, and the mean ± sample standard deviation over the finished jobs\n"
               "(repeats%s) of each score and of the fit time (seconds). The scores are\n"
               "those stored in the results file: all-relevant precision, recall and F1\n"
               "(class > 0, 0/0 = 0) and, for models with classes, each class's precision and\n"
               "recall (0/0 = 1); n/a where a value does not apply, - where no job finished.\n"
               "The same table: tables/summary/jobs.csv (the sd in the *_sd columns) and\n"
               "jobs.tex.\n\n",
            stats->seeds > 1 ? " and seeds, pooled" : "");
    fprintf(f, "- jobs: %zu (done %zu, failed %zu, pending %zu)\n\n", stats->records, stats->done, stats->failed,
            stats->pending);
    int rc = repro_reduce_summary_markdown(t, f, err);
    if (!rc && stats->provenance[0])
        fprintf(f, "\n## Provenance\n\n```\n%s%s```\n", stats->provenance,
                stats->provenance[strlen(stats->provenance) - 1] == '\n' ? "" : "\n");
    if (fclose(f) && !rc)
        rc = repro_error_set(err, REPRO_EIO, "cannot write %s: %s", tmp, strerror(errno));
    if (!rc && rename(tmp, path))
        rc = repro_error_set(err, REPRO_EIO, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
    if (rc)
        remove(tmp);
    return rc;
}
