/* reduce.c - the paper's tables from the finished jobs of a results set
 * (PAPER.md, experiments 1 and 2; see reduce.h). */
#include "repro/reduce.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "repro/metrics.h"
#include "repro/reference.h"

static const char *const MODELS[] = {"ElasticNet", "FRI", "RF", "SQ"};
enum { N_MODELS = 4 };
static const char *const AR_MODELS[] = {"FRI", "SQ"};

/* The data sets of the paper: name, n, strong, weak, irrelevant. */
typedef struct preset {
    const char *name;
    int n, strong, weak, irrelevant;
} preset;

static const preset TOY_SETS[] = {
    {"Set 1", 150, 6, 0, 6},   {"Set 2", 150, 0, 6, 6},   {"Set 3", 150, 3, 4, 3},
    {"Set 4", 256, 6, 6, 6},   {"Set 5", 512, 1, 2, 11},  {"Set 6", 200, 1, 20, 0},
    {"Set 7", 200, 1, 20, 20}, {"Set 8", 2000, 10, 10, 50}, {NULL, 0, 0, 0, 0}};
static const preset NL_SETS[] = {{"NL 1", 1000, 10, 0, 10},
                                 {"NL 2", 1000, 4, 10, 6},
                                 {"NL 3", 1000, 10, 10, 30},
                                 {"NL 4", 1000, 10, 10, 60},
                                 {NULL, 0, 0, 0, 0}};

/* Scores of one finished job against its truth. */
typedef struct job_scores {
    repro_prf all;          /* all-relevant problem, 0/0 -> 0 */
    repro_prf weak, strong; /* per class, 0/0 -> 1 */
} job_scores;

/* Scores one record from its relevance and truth, with the computation the
 * run stored in the file (repro_job_scores_compute; the reader checked that
 * the stored scores are these). */
static int score_record(const repro_record *r, job_scores *s, repro_error *err)
{
    repro_job_scores sc;
    int rc = repro_job_scores_compute(r->truth, r->relevance, r->d, 1, &sc, err);
    if (rc)
        return rc;
    s->all = (repro_prf){sc.precision, sc.recall, sc.f1};
    s->weak = (repro_prf){sc.weak_precision, sc.weak_recall, NAN}; /* F1 per class: not used */
    s->strong = (repro_prf){sc.strong_precision, sc.strong_recall, NAN};
    return REPRO_OK;
}

/* True if r is a finished job of experiment exp with usable vectors. */
static int usable(const repro_record *r, const char *exp)
{
    return strcmp(r->experiment, exp) == 0 && r->status == REPRO_JOB_DONE && r->relevance &&
           r->truth && r->d > 0;
}

/* Running sums of one table: sum, sum of squares and count per cell. */
typedef struct acc {
    double *sum, *sq;
    size_t *cnt;
} acc;

/* Allocates zeroed sums for a rows x cols table. */
static int acc_init(acc *a, size_t rows, size_t cols, repro_error *err)
{
    size_t n = rows * cols > 0 ? rows * cols : 1;
    a->sum = repro_calloc(n, sizeof *a->sum, err);
    a->sq = repro_calloc(n, sizeof *a->sq, err);
    a->cnt = repro_calloc(n, sizeof *a->cnt, err);
    return a->sum && a->sq && a->cnt ? REPRO_OK : REPRO_ENOMEM;
}

/* Frees the sums. */
static void acc_free(acc *a)
{
    free(a->sum);
    free(a->sq);
    free(a->cnt);
}

/* Adds v to cell `cell` of a, unless skip_zero and v is exactly 0. */
static void acc_add(acc *a, size_t cell, double v, int skip_zero)
{
    if (skip_zero && v == 0.0)
        return;
    a->sum[cell] += v;
    a->sq[cell] += v * v;
    a->cnt[cell]++;
}

/* Writes the means of the sums into table t (cells without values stay
 * missing). */
static void acc_to_table(const acc *a, repro_table *t)
{
    for (size_t i = 0; i < t->n_rows * t->n_vals; i++)
        t->v[i] = a->cnt[i] ? a->sum[i] / (double)a->cnt[i] : NAN;
}

/* acc_to_table with the spread over the repeats: each cell's sample
 * standard deviation where it has two values or more. */
static int acc_to_table_sd(const acc *a, repro_table *t, repro_error *err)
{
    acc_to_table(a, t);
    for (size_t i = 0; i < t->n_rows * t->n_vals; i++) {
        if (a->cnt[i] < 2)
            continue;
        double n = (double)a->cnt[i], mean = a->sum[i] / n;
        double var = (a->sq[i] - n * mean * mean) / (n - 1);
        int rc = repro_table_set_sd(t, i / t->n_vals, i % t->n_vals, sqrt(var > 0 ? var : 0), err);
        if (rc)
            return rc;
    }
    return REPRO_OK;
}

/* Index of name in a NULL-terminated preset list or in a list of n names. */
static size_t name_index(const char *const *names, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return (size_t)-1;
}

/* The data-set rows of an experiment: the paper's sets in order, then any
 * other set found in the records, in order of appearance. */
typedef struct set_list {
    size_t n;
    const char **name;
    const preset **pre; /* NULL for a set that is not the paper's */
} set_list;

/* Builds the row list of experiment exp. */
static int set_list_build(const repro_result_set *set, const char *exp, const preset *presets,
                          set_list *sl, repro_error *err)
{
    size_t np = 0;
    while (presets[np].name)
        np++;
    sl->n = 0;
    sl->name = repro_malloc(np + set->n + 1, sizeof *sl->name, err);
    sl->pre = repro_malloc(np + set->n + 1, sizeof *sl->pre, err);
    if (!sl->name || !sl->pre)
        return REPRO_ENOMEM;
    for (size_t i = 0; i < np; i++) {
        sl->name[sl->n] = presets[i].name;
        sl->pre[sl->n++] = &presets[i];
    }
    for (size_t i = 0; i < set->n; i++) {
        const repro_record *r = &set->rec[i];
        if (strcmp(r->experiment, exp) == 0 && name_index(sl->name, sl->n, r->dataset) == (size_t)-1) {
            sl->name[sl->n] = r->dataset;
            sl->pre[sl->n++] = NULL;
        }
    }
    return REPRO_OK;
}

/* Frees a row list. */
static void set_list_free(set_list *sl)
{
    free(sl->name);
    free(sl->pre);
}

/* Makes a table whose rows are, for each metric of metrics (or once if
 * metrics is NULL), the sets of sl. */
static repro_table *rows_table(const char *group, const char *name, const char *const *head,
                               size_t n_keys, size_t n_vals, const char *const *metrics,
                               size_t n_metrics, const set_list *sl, repro_error *err)
{
    repro_table *t = repro_table_alloc(group, name, n_keys, n_vals, head, err);
    if (!t)
        return NULL;
    for (size_t m = 0; m < (metrics ? n_metrics : 1); m++)
        for (size_t s = 0; s < sl->n; s++) {
            const char *keys[2] = {metrics ? metrics[m] : sl->name[s], sl->name[s]};
            if (repro_table_add_row(t, keys, err) == (size_t)-1) {
                repro_table_free(t);
                return NULL;
            }
        }
    return t;
}

/* Adds a table to the set (taking ownership); frees it if the set is full. */
static int push(repro_tables *ts, repro_table *t, repro_error *err)
{
    if (!t)
        return err->code ? err->code : REPRO_ENOMEM;
    if (ts->n == REPRO_MAX_TABLES) {
        repro_table_free(t);
        return repro_error_set(err, REPRO_EFAIL, "too many tables");
    }
    ts->t[ts->n++] = t;
    return REPRO_OK;
}

/* The data-set parameter table (sim_params or presets), from the first
 * record of each set: n and the class counts of its truth. A set without a
 * record prints "-". */
static repro_table *params_table(const repro_result_set *set, const char *exp, const set_list *sl,
                                 int nl, repro_error *err)
{
    static const char *const toy_head[] = {"set", "n", "strong", "weak", "irrelevant"};
    static const char *const nl_head[] = {"set", "n", "features", "strong", "weak"};
    repro_table *t = rows_table(nl ? "NL_toy_benchmarks" : "toy_benchmarks",
                                nl ? "presets" : "sim_params", nl ? nl_head : toy_head, 1, 4,
                                NULL, 0, sl, err);
    if (!t)
        return NULL;
    t->decimals = 0;
    for (size_t s = 0; s < sl->n; s++) {
        double cnt[3] = {NAN, NAN, NAN}; /* irrelevant, weak, strong */
        double n = NAN;
        for (size_t i = 0; i < set->n; i++) {
            const repro_record *r = &set->rec[i];
            if (strcmp(r->experiment, exp) || strcmp(r->dataset, sl->name[s]) || !r->truth || !r->d)
                continue;
            n = r->n ? (double)r->n : NAN;
            cnt[0] = cnt[1] = cnt[2] = 0;
            for (size_t j = 0; j < r->d; j++)
                if (r->truth[j] >= 0 && r->truth[j] <= 2)
                    cnt[r->truth[j]] += 1;
            break;
        }
        repro_table_set(t, s, 0, n);
        if (nl) {
            repro_table_set(t, s, 1, cnt[0] + cnt[1] + cnt[2]);
            repro_table_set(t, s, 2, cnt[2]);
            repro_table_set(t, s, 3, cnt[1]);
        } else {
            repro_table_set(t, s, 1, cnt[2]);
            repro_table_set(t, s, 2, cnt[1]);
            repro_table_set(t, s, 3, cnt[0]);
        }
    }
    return t;
}

/* sim_scores, sim_accuracy and runtime: per set and model, the mean of the
 * all-relevant F1, the training score and the fit time. */
static int toy_tables(const repro_result_set *set, const set_list *sl, repro_tables *ts,
                      repro_error *err)
{
    static const char *const head[] = {"set", "ElasticNet", "FRI", "RF", "SQ"};
    static const char *const names[] = {"sim_scores", "sim_accuracy", "runtime"};
    acc a[3] = {{0}};
    int rc = REPRO_OK;
    for (int k = 0; k < 3 && !rc; k++)
        rc = acc_init(&a[k], sl->n, N_MODELS, err);
    for (size_t i = 0; i < set->n && !rc; i++) {
        const repro_record *r = &set->rec[i];
        size_t s = name_index(sl->name, sl->n, r->dataset);
        size_t m = name_index(MODELS, N_MODELS, r->model);
        if (!usable(r, REPRO_EXP_TOY) || s == (size_t)-1 || m == (size_t)-1)
            continue;
        job_scores js;
        if ((rc = score_record(r, &js, err)))
            break;
        double v[3] = {js.all.f1, r->train_score, r->fit_seconds};
        for (int k = 0; k < 3; k++)
            acc_add(&a[k], s * N_MODELS + m, v[k], 0);
    }
    for (int k = 0; k < 3 && !rc; k++) {
        repro_table *t = rows_table("toy_benchmarks", names[k], head, 1, N_MODELS, NULL, 0, sl, err);
        if (t && (rc = acc_to_table_sd(&a[k], t, err))) {
            repro_table_free(t);
            break;
        }
        rc = push(ts, t, err);
    }
    for (int k = 0; k < 3; k++)
        acc_free(&a[k]);
    return rc;
}

/* Means of columns 0..ncols-1 of t over the rows row0, row0 + step, ...
 * (nrows of them), skipping missing cells; stored in out[col]. */
static void column_means(const repro_table *t, size_t row0, size_t step, size_t nrows, double *out,
                         size_t ncols)
{
    for (size_t c = 0; c < ncols; c++) {
        double sum = 0;
        size_t n = 0;
        for (size_t i = 0; i < nrows; i++) {
            double v = repro_table_get(t, row0 + i * step, c);
            if (!isnan(v)) {
                sum += v;
                n++;
            }
        }
        out[c] = n ? sum / (double)n : NAN;
    }
}

/* prec_rec_ARFS and its mean: per set, for FRI and SQ, the mean per-class
 * precision and recall, 0/0 counting as 1 and a per-job score of exactly 0
 * left out of the mean. */
static int arfs_tables(const repro_result_set *set, const set_list *sl, repro_tables *ts,
                       repro_error *err)
{
    static const char *const head[] = {"metric",       "set",       "FRI_weakly",
                                       "SQ_weakly",    "FRI_strongly", "SQ_strongly"};
    static const char *const metrics[] = {"precision", "recall"};
    acc a;
    int rc = acc_init(&a, 2 * sl->n, 4, err);
    for (size_t i = 0; i < set->n && !rc; i++) {
        const repro_record *r = &set->rec[i];
        size_t s = name_index(sl->name, sl->n, r->dataset);
        size_t m = name_index(AR_MODELS, 2, r->model);
        if (!usable(r, REPRO_EXP_TOY) || s == (size_t)-1 || m == (size_t)-1)
            continue;
        job_scores js;
        if ((rc = score_record(r, &js, err)))
            break;
        acc_add(&a, s * 4 + m, js.weak.precision, 1);
        acc_add(&a, s * 4 + 2 + m, js.strong.precision, 1);
        acc_add(&a, (sl->n + s) * 4 + m, js.weak.recall, 1);
        acc_add(&a, (sl->n + s) * 4 + 2 + m, js.strong.recall, 1);
    }
    repro_table *t = NULL;
    if (!rc) {
        t = rows_table("prec_recall_arfs", "prec_rec_ARFS", head, 2, 4, metrics, 2, sl, err);
        if (t && (rc = acc_to_table_sd(&a, t, err))) {
            repro_table_free(t);
            t = NULL;
        } else {
            rc = push(ts, t, err);
        }
    }
    acc_free(&a);
    if (rc)
        return rc;
    static const char *const mhead[] = {"metric", "FRI_weakly", "SQ_weakly", "FRI_strongly",
                                        "SQ_strongly"};
    repro_table *mt = repro_table_alloc("prec_recall_arfs", "prec_rec_ARFS_mean", 1, 4, mhead, err);
    for (size_t k = 0; k < 2 && mt; k++) {
        const char *key[1] = {metrics[k]};
        if (repro_table_add_row(mt, key, err) == (size_t)-1) {
            repro_table_free(mt);
            mt = NULL;
            break;
        }
        column_means(t, k * sl->n, 1, sl->n, mt->v + k * 4, 4);
    }
    return push(ts, mt, err);
}

/* per_dataset, mean_stats, accuracy_per_fclass and its mean for the
 * non-linear sets. */
static int nl_tables(const repro_result_set *set, const set_list *sl, repro_tables *ts,
                     repro_error *err)
{
    static const char *const metrics[] = {"precision", "recall", "f1", "accuracy"};
    static const char *const head[] = {"metric", "set", "ElasticNet", "FRI", "RF", "SQ"};
    static const char *const mhead[] = {"model", "precision", "recall", "f1", "accuracy"};
    static const char *const chead[] = {"set", "model", "weakly_precision", "weakly_recall",
                                        "strongly_precision", "strongly_recall"};
    static const char *const cmhead[] = {"model", "weakly_precision", "weakly_recall",
                                         "strongly_precision", "strongly_recall"};
    acc per = {0}, mean = {0}, cls = {0};
    int rc = acc_init(&per, 4 * sl->n, N_MODELS, err);
    if (!rc)
        rc = acc_init(&mean, N_MODELS, 4, err);
    if (!rc)
        rc = acc_init(&cls, 2 * sl->n, 4, err);
    /* a set has a class when the truth of any of its records has it */
    unsigned char *has = rc ? NULL : repro_calloc(2 * sl->n + 1, 1, err);
    if (!rc && !has)
        rc = REPRO_ENOMEM;
    for (size_t i = 0; i < set->n && !rc; i++) {
        const repro_record *r = &set->rec[i];
        size_t s = name_index(sl->name, sl->n, r->dataset);
        if (s == (size_t)-1 || strcmp(r->experiment, REPRO_EXP_NL) || !r->truth)
            continue;
        for (size_t j = 0; j < r->d; j++) {
            has[2 * s] |= r->truth[j] == 1;
            has[2 * s + 1] |= r->truth[j] == 2;
        }
        size_t m = name_index(MODELS, N_MODELS, r->model);
        if (!usable(r, REPRO_EXP_NL) || m == (size_t)-1)
            continue;
        job_scores js;
        if ((rc = score_record(r, &js, err)))
            break;
        double v[4] = {js.all.precision, js.all.recall, js.all.f1, r->train_score};
        for (size_t k = 0; k < 4; k++) {
            acc_add(&per, (k * sl->n + s) * N_MODELS + m, v[k], 0);
            acc_add(&mean, m * 4 + k, v[k], 0);
        }
        size_t am = name_index(AR_MODELS, 2, r->model);
        if (am != (size_t)-1) {
            double c[4] = {js.weak.precision, js.weak.recall, js.strong.precision, js.strong.recall};
            for (size_t k = 0; k < 4; k++)
                acc_add(&cls, (s * 2 + am) * 4 + k, c[k], 0);
        }
    }
    repro_table *t = NULL;
    if (!rc) {
        t = rows_table("NL_toy_benchmarks", "per_dataset", head, 2, N_MODELS, metrics, 4, sl, err);
        if (t && (rc = acc_to_table_sd(&per, t, err)))
            repro_table_free(t);
        else
            rc = push(ts, t, err);
    }
    if (!rc) {
        t = repro_table_alloc("NL_toy_benchmarks", "mean_stats", 1, 4, mhead, err);
        for (size_t m = 0; m < N_MODELS && t; m++)
            if (repro_table_add_row(t, &MODELS[m], err) == (size_t)-1) {
                repro_table_free(t);
                t = NULL;
            }
        if (t && (rc = acc_to_table_sd(&mean, t, err)))
            repro_table_free(t);
        else
            rc = push(ts, t, err);
    }
    repro_table *ct = NULL;
    if (!rc) {
        ct = repro_table_alloc("NL_toy_benchmarks", "accuracy_per_fclass", 2, 4, chead, err);
        for (size_t s = 0; s < sl->n && ct; s++)
            for (size_t m = 0; m < 2 && ct; m++) {
                const char *keys[2] = {sl->name[s], AR_MODELS[m]};
                if (repro_table_add_row(ct, keys, err) == (size_t)-1) {
                    repro_table_free(ct);
                    ct = NULL;
                }
            }
        if (ct && (rc = acc_to_table_sd(&cls, ct, err))) {
            repro_table_free(ct);
            ct = NULL;
        }
        if (ct) {
            /* a class the set does not have is "not applicable"; without any
             * record of the set its presence comes from the paper's preset */
            for (size_t s = 0; s < sl->n; s++) {
                int any = has[2 * s] || has[2 * s + 1];
                int hw = any ? has[2 * s] : (sl->pre[s] && sl->pre[s]->weak > 0);
                int hs = any ? has[2 * s + 1] : (sl->pre[s] && sl->pre[s]->strong > 0);
                for (size_t m = 0; m < 2; m++)
                    for (size_t k = 0; k < 4; k++)
                        if ((k < 2 && !hw) || (k >= 2 && !hs)) {
                            ct->v[(s * 2 + m) * 4 + k] = NAN;
                            ct->na[(s * 2 + m) * 4 + k] = 1;
                            if (ct->sd)
                                ct->sd[(s * 2 + m) * 4 + k] = NAN;
                        }
            }
        }
        if (!rc)
            rc = push(ts, ct, err);
    }
    if (!rc) {
        t = repro_table_alloc("NL_toy_benchmarks", "accuracy_per_fclass_mean", 1, 4, cmhead, err);
        for (size_t m = 0; m < 2 && t; m++) {
            if (repro_table_add_row(t, &AR_MODELS[m], err) == (size_t)-1) {
                repro_table_free(t);
                t = NULL;
                break;
            }
            double means[4];
            column_means(ct, m, 2, sl->n, means, 4);
            for (size_t k = 0; k < 4; k++)
                repro_table_set(t, m, k, means[k]);
        }
        rc = push(ts, t, err);
    }
    free(has);
    acc_free(&per);
    acc_free(&mean);
    acc_free(&cls);
    return rc;
}

void repro_tables_clear(repro_tables *ts)
{
    for (size_t i = 0; i < ts->n; i++)
        repro_table_free(ts->t[i]);
    ts->n = 0;
}

const repro_table *repro_tables_get(const repro_tables *ts, const char *name)
{
    for (size_t i = 0; i < ts->n; i++)
        if (strcmp(ts->t[i]->name, name) == 0)
            return ts->t[i];
    return NULL;
}

int repro_reduce_tables(const repro_result_set *set, repro_tables *out,
                        repro_reduce_stats *stats, repro_error *err)
{
    memset(out, 0, sizeof *out);
    memset(stats, 0, sizeof *stats);
    for (size_t i = 0; i < set->n; i++) {
        int st = set->rec[i].status;
        stats->records++;
        stats->done += st == REPRO_JOB_DONE;
        stats->failed += st == REPRO_JOB_FAILED;
        stats->pending += st != REPRO_JOB_DONE && st != REPRO_JOB_FAILED;
    }
    set_list toy = {0}, nl = {0};
    int rc = set_list_build(set, REPRO_EXP_TOY, TOY_SETS, &toy, err);
    if (!rc)
        rc = set_list_build(set, REPRO_EXP_NL, NL_SETS, &nl, err);
    if (!rc)
        rc = push(out, params_table(set, REPRO_EXP_TOY, &toy, 0, err), err);
    if (!rc)
        rc = toy_tables(set, &toy, out, err);
    if (!rc)
        rc = arfs_tables(set, &toy, out, err);
    if (!rc)
        rc = nl_tables(set, &nl, out, err);
    if (!rc)
        rc = push(out, params_table(set, REPRO_EXP_NL, &nl, 1, err), err);
    set_list_free(&toy);
    set_list_free(&nl);
    for (size_t i = 0; i < out->n && !rc; i++) { /* what we build is the registry's */
        const repro_table_def *d = repro_table_def_find(out->t[i]->name);
        if (!d || strcmp(d->group, out->t[i]->group) || d->n_keys != out->t[i]->n_keys)
            rc = repro_error_set(err, REPRO_EFAIL, "table %s/%s is not in the table registry",
                                 out->t[i]->group, out->t[i]->name);
    }
    if (rc) {
        repro_tables_clear(out);
        return rc;
    }
    repro_tables_count(out, stats);
    if (set->provenance)
        snprintf(stats->provenance, sizeof stats->provenance, "%s", set->provenance);
    return REPRO_OK;
}

void repro_tables_count(const repro_tables *ts, repro_reduce_stats *stats)
{
    stats->cells = stats->missing = 0;
    for (size_t i = 0; i < ts->n; i++) {
        stats->cells += ts->t[i]->n_rows * ts->t[i]->n_vals;
        stats->missing += repro_table_missing(ts->t[i]);
    }
}
