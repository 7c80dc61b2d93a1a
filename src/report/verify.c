/* verify.c - comparison of the reproduced tables with the published ones,
 * cell by cell and claim by claim (PAPER.md, "What reproduced means"; see
 * reduce.h). */
#include "repro/reduce.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "repro/fsutil.h"
#include "repro/plot.h"
#include "repro/stats.h"
#include "repro/reference.h"

/* The table registry (reference.h) under short names. */
#define DEFS repro_table_defs
#define N_DEFS repro_n_table_defs
typedef repro_cmp_kind cmp_kind;
#define CMP_SCORE REPRO_CMP_SCORE
#define CMP_EXACT REPRO_CMP_EXACT
#define CMP_RATIO REPRO_CMP_RATIO

int repro_reference_tables(repro_tables *out, repro_error *err)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < N_DEFS; i++) {
        char path[128];
        snprintf(path, sizeof path, "%s/%s.csv", DEFS[i].group, DEFS[i].name);
        const char *text = repro_reference_csv(path);
        if (!text) {
            repro_tables_clear(out);
            return repro_error_set(err, REPRO_EFAIL, "published table %s is not built in", path);
        }
        char what[160];
        snprintf(what, sizeof what, "published %s", path);
        repro_table *t = NULL;
        int rc = repro_table_parse_csv(text, DEFS[i].group, DEFS[i].name, DEFS[i].n_keys, what, &t,
                                       err);
        if (rc) {
            repro_tables_clear(out);
            return rc;
        }
        t->decimals = DEFS[i].kind == CMP_EXACT ? 0 : DEFS[i].kind == CMP_RATIO ? 0 : 2;
        out->t[out->n++] = t;
    }
    return REPRO_OK;
}

int repro_tables_read_dir(const char *outdir, repro_tables *out, repro_error *err)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < N_DEFS; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/tables/%s/%s.csv", outdir, DEFS[i].group, DEFS[i].name);
        if (access(path, F_OK))
            continue;
        char *text = NULL;
        repro_table *t = NULL;
        int rc = repro_read_file(path, &text, NULL, err);
        if (!rc)
            rc = repro_table_parse_csv(text, DEFS[i].group, DEFS[i].name, DEFS[i].n_keys, path, &t,
                                       err);
        free(text);
        if (rc) {
            repro_tables_clear(out);
            return rc;
        }
        t->decimals = DEFS[i].kind == CMP_EXACT ? 0 : 2;
        out->t[out->n++] = t;
    }
    if (out->n == 0)
        return repro_error_set(err, REPRO_EINVAL, "no tables under %s/tables (run 'reduce' first)",
                               outdir);
    return REPRO_OK;
}

/* Rounds to the paper's two printed decimals. */
static double round2(double v)
{
    return round(v * 100.0) / 100.0;
}

/* A value of table name at (keys, column) as printed (two decimals), NAN
 * if absent: the claims are judged on the printed tables, like the paper's. */
static double cell(const repro_tables *ts, const char *name, const char *k0, const char *k1,
                   const char *col)
{
    const repro_table *t = repro_tables_get(ts, name);
    if (!t)
        return NAN;
    const char *keys[2] = {k0, k1};
    size_t r = repro_table_find(t, keys), c = repro_table_col(t, col);
    if (r == (size_t)-1 || c == (size_t)-1)
        return NAN;
    return round2(repro_table_get(t, r, c));
}

/* One checked claim: status 1 held, 0 not held, -1 undetermined (missing
 * numbers), with the numbers that decided it. */
typedef struct claim_result {
    int status;
    char text[256];
} claim_result;

/* Ends a per-set claim: a violation decides it (not held) even with sets
 * missing; otherwise missing sets leave it undetermined. */
static void per_set_verdict(claim_result *c, int violated, int n_missing, const char *missing,
                            int n_sets)
{
    if (violated)
        c->status = 0;
    else
        c->status = n_missing ? -1 : 1;
    if (n_missing) {
        size_t used = strlen(c->text);
        snprintf(c->text + used, sizeof c->text - used, "; %d of %d sets without numbers (%s%s)",
                 n_missing, n_sets, missing, n_missing > 1 ? ", ..." : "");
    }
}

/* The smallest value(ts, "Set s") over the linear sets 1..8: its set in *at
 * (0 if every value is missing); sets whose value is NAN are counted in
 * *n_missing, the first named in missing[16]. */
static double min_over_sets(const repro_tables *ts,
                            double (*value)(const repro_tables *, const char *), int *at,
                            int *n_missing, char missing[16])
{
    double lowest = INFINITY;
    *at = *n_missing = 0;
    missing[0] = '\0';
    for (int s = 1; s <= 8; s++) {
        char set[16];
        snprintf(set, sizeof set, "Set %d", s);
        double v = value(ts, set);
        if (isnan(v)) {
            if (!(*n_missing)++)
                snprintf(missing, 16, "%s", set);
            continue;
        }
        if (v < lowest) {
            lowest = v;
            *at = s;
        }
    }
    return lowest;
}

/* FRI's F1 on a linear set. */
static double fri_f1(const repro_tables *ts, const char *set)
{
    return cell(ts, "sim_scores", set, NULL, "FRI");
}

/* SQ's F1 minus the better of ElasticNet's and RF's on a linear set (NAN if
 * one is missing). */
static double sq_margin(const repro_tables *ts, const char *set)
{
    double sq = cell(ts, "sim_scores", set, NULL, "SQ");
    double en = cell(ts, "sim_scores", set, NULL, "ElasticNet");
    double rf = cell(ts, "sim_scores", set, NULL, "RF");
    return isnan(sq) || isnan(en) || isnan(rf) ? NAN : sq - fmax(en, rf);
}

/* A claim on every linear set: the smallest value(ts, set) is at least bar
 * (at_least) or above it; the text is fmt with that value and its set, or
 * `none` when no set has a value. */
static claim_result claim_min_over_sets(const repro_tables *ts,
                                        double (*value)(const repro_tables *, const char *),
                                        double bar, int at_least, const char *fmt, const char *none)
{
    claim_result c = {1, ""};
    int at, n_missing;
    char missing[16];
    double lowest = min_over_sets(ts, value, &at, &n_missing, missing);
    if (at)
        snprintf(c.text, sizeof c.text, fmt, lowest, at);
    else
        snprintf(c.text, sizeof c.text, "%s", none);
    int holds = at_least ? lowest >= bar : lowest > bar;
    per_set_verdict(&c, at && !holds, n_missing, missing, 8);
    return c;
}

/* Linear sets: FRI's F1 >= 0.99 on every set. */
static claim_result claim_fri_f1(const repro_tables *ts)
{
    return claim_min_over_sets(ts, fri_f1, 0.99, 1, "lowest FRI F1 %.3f (Set %d)", "no FRI F1");
}

/* Linear sets: SQ's F1 beats ElasticNet's and RF's on every set. */
static claim_result claim_sq_beats_baselines(const repro_tables *ts)
{
    return claim_min_over_sets(ts, sq_margin, 0.0, 0,
                               "smallest margin SQ - max(ElasticNet, RF) = %+.3f (Set %d)",
                               "no set with all three F1 scores");
}

/* A single value compared with a bound (ge: >=, else <=). */
static claim_result claim_bound(const repro_tables *ts, const char *table, const char *row,
                                const char *col, const char *label, int ge, double bound)
{
    claim_result c = {-1, ""};
    double v = cell(ts, table, row, NULL, col);
    if (isnan(v)) {
        snprintf(c.text, sizeof c.text, "%s missing", label);
        return c;
    }
    c.status = ge ? v >= bound : v <= bound;
    snprintf(c.text, sizeof c.text, "%s = %.3f (%s %.2f)", label, v, ge ? ">=" : "<=", bound);
    return c;
}

/* Non-linear sets: SQ's mean_stats column col against the other models:
 * all_others: highest of the four (>= each), else beats ElasticNet and RF.
 * A model already ahead of SQ decides it even with others missing. */
static claim_result claim_sq_top(const repro_tables *ts, const char *col, int all_others)
{
    static const char *const models[] = {"ElasticNet", "FRI", "RF"};
    claim_result c = {1, ""};
    double sq = cell(ts, "mean_stats", "SQ", NULL, col);
    if (isnan(sq)) {
        snprintf(c.text, sizeof c.text, "%s of SQ missing", col);
        c.status = -1;
        return c;
    }
    double best = -INFINITY;
    const char *best_m = NULL, *missing = NULL;
    for (int m = 0; m < 3; m++) {
        if (!all_others && m == 1)
            continue;
        double v = cell(ts, "mean_stats", models[m], NULL, col);
        if (isnan(v)) {
            missing = missing ? missing : models[m];
            continue;
        }
        if (v > best) {
            best = v;
            best_m = models[m];
        }
    }
    int beaten = best_m && (all_others ? sq < best : sq <= best);
    if (best_m)
        snprintf(c.text, sizeof c.text, "SQ %.3f vs best other %.3f (%s)%s%s%s", sq, best, best_m,
                 missing ? "; " : "", missing ? missing : "", missing ? " missing" : "");
    else
        snprintf(c.text, sizeof c.text, "SQ %.3f; no other model's %s", sq, col);
    c.status = beaten ? 0 : missing ? -1 : 1;
    return c;
}

/* The claims of the paper's text that the verification checks. */
static claim_result claim_sq_weak_precision(const repro_tables *ts)
{
    return claim_bound(ts, "prec_rec_ARFS_mean", "precision", "SQ_weakly", "SQ weakly precision", 1, 0.9);
}

static claim_result claim_sq_strong_recall(const repro_tables *ts)
{
    return claim_bound(ts, "prec_rec_ARFS_mean", "recall", "SQ_strongly", "SQ strongly recall", 1, 0.9);
}

static claim_result claim_nl_recall(const repro_tables *ts)
{
    return claim_sq_top(ts, "recall", 1);
}

static claim_result claim_nl_accuracy(const repro_tables *ts)
{
    return claim_sq_top(ts, "accuracy", 1);
}

static claim_result claim_nl_f1(const repro_tables *ts)
{
    return claim_sq_top(ts, "f1", 0);
}

static claim_result claim_nl_fri_strong(const repro_tables *ts)
{
    return claim_bound(ts, "accuracy_per_fclass_mean", "FRI", "strongly_recall", "FRI strongly recall", 0, 0.3);
}

static claim_result claim_nl_sq_strong(const repro_tables *ts)
{
    return claim_bound(ts, "accuracy_per_fclass_mean", "SQ", "strongly_recall", "SQ strongly recall", 1, 0.7);
}

/* One claim: its text and the check that judges it on a set of tables. */
typedef struct claim_def {
    const char *text;
    claim_result (*check)(const repro_tables *ts);
} claim_def;

static const claim_def CLAIMS[] = {
    {"linear: FRI all-relevant F1 >= 0.99 on every set (sim_scores)", claim_fri_f1},
    {"linear: SQ F1 > ElasticNet and RF on every set (sim_scores)", claim_sq_beats_baselines},
    {"linear: SQ mean weakly-relevant precision >= 0.9 (prec_rec_ARFS_mean)", claim_sq_weak_precision},
    {"linear: SQ mean strongly-relevant recall >= 0.9 (prec_rec_ARFS_mean)", claim_sq_strong_recall},
    {"non-linear: SQ mean recall highest of the four (mean_stats)", claim_nl_recall},
    {"non-linear: SQ mean training score highest of the four (mean_stats)", claim_nl_accuracy},
    {"non-linear: SQ mean F1 > ElasticNet and RF (mean_stats)", claim_nl_f1},
    {"non-linear: FRI mean strongly-relevant recall <= 0.3 (accuracy_per_fclass_mean)", claim_nl_fri_strong},
    {"non-linear: SQ mean strongly-relevant recall >= 0.7 (accuracy_per_fclass_mean)", claim_nl_sq_strong},
};
enum { N_CLAIMS = sizeof CLAIMS / sizeof CLAIMS[0] };

/* Checks claim i on a table set. */
static claim_result check_claim(const repro_tables *ts, int i)
{
    return CLAIMS[i].check(ts);
}

/* Name of a claim status. */
static const char *status_name(int s)
{
    return s == 1 ? "held" : s == 0 ? "NOT held" : "undetermined";
}

/* Compares one published table with ours, adding to sum and, if report is
 * not NULL, writing the per-cell comparison. ratios collects runtime
 * ratios (capacity *nratio_cap). */
static int compare_table(const repro_table *ref, const repro_table *ours, cmp_kind kind, double tol,
                         FILE *report, repro_verify_summary *sum, double *ratios, size_t *nratio)
{
    if (report) {
        fprintf(report, "\n### %s/%s\n\n", ref->group, ref->name);
        if (ours) {
            size_t miss = repro_table_missing(ours);
            if (miss)
                fprintf(report, "Ours (%zu cells missing: failed or absent jobs):\n\n", miss);
            else
                fputs("Ours:\n\n", report);
            repro_table_write_markdown(ours, report, NULL);
            fputs("\n", report);
        } else {
            fputs("Ours: table missing.\n\n", report);
        }
        if (kind == CMP_RATIO)
            fputs("| cell | ours | paper | ours/paper |\n|---|---:|---:|---:|\n", report);
        else
            fputs("| cell | ours | paper | delta | within |\n|---|---:|---:|---:|---|\n", report);
    }
    for (size_t r = 0; r < ref->n_rows; r++) {
        const char *const *keys = (const char *const *)ref->key + r * ref->n_keys;
        size_t orow = ours ? repro_table_find(ours, keys) : (size_t)-1;
        for (size_t c = 0; c < ref->n_vals; c++) {
            const char *col = ref->head[ref->n_keys + c];
            double paper = repro_table_get(ref, r, c);
            size_t ocol = ours ? repro_table_col(ours, col) : (size_t)-1;
            double mine = orow != (size_t)-1 && ocol != (size_t)-1 ? repro_table_get(ours, orow, ocol)
                                                                   : NAN;
            if (isnan(paper) && isnan(mine))
                continue;
            char name[160];
            if (ref->n_keys == 2)
                snprintf(name, sizeof name, "%s / %s / %s", keys[0], keys[1], col);
            else
                snprintf(name, sizeof name, "%s / %s", keys[0], col);
            char ms[32], ps[32];
            snprintf(ms, sizeof ms, isnan(mine) ? "-" : kind == CMP_EXACT ? "%.0f" : "%.2f", mine);
            snprintf(ps, sizeof ps, isnan(paper) ? "-" : kind == CMP_SCORE ? "%.2f" : "%.0f", paper);
            if (kind == CMP_RATIO) {
                if (isnan(paper))
                    continue;
                sum->runtime_cells++;
                char rs[32] = "n/a";
                if (!isnan(mine) && paper > 0) {
                    if (*nratio < 256)
                        ratios[(*nratio)++] = mine / paper;
                    snprintf(rs, sizeof rs, "%.3g", mine / paper);
                } else if (!isnan(mine)) {
                    snprintf(rs, sizeof rs, "n/a (paper 0)");
                }
                if (report)
                    fprintf(report, "| %s | %s | %s | %s |\n", name, ms, ps, rs);
                continue;
            }
            if (isnan(paper)) {
                if (report)
                    fprintf(report, "| %s | %s | - | | no published value |\n", name, ms);
                continue;
            }
            sum->cells++;
            const char *verdict;
            char ds[32] = "";
            if (isnan(mine)) {
                sum->missing++;
                verdict = "MISSING";
            } else {
                double delta = kind == CMP_EXACT ? mine - paper : round2(mine) - paper;
                int ok = kind == CMP_EXACT ? fabs(delta) < 0.5 : fabs(delta) <= tol + 1e-9;
                sum->within += ok;
                verdict = ok ? "yes" : "NO";
                snprintf(ds, sizeof ds, "%+.2f", delta);
            }
            if (report)
                fprintf(report, "| %s | %s | %s | %s | %s |\n", name, ms, ps, ds, verdict);
        }
    }
    return REPRO_OK;
}

void repro_verdict_cell(const double *ours, size_t n, double paper, double tol,
                        repro_cell_verdict *out)
{
    const double eps = 1e-9; /* the printed value's decimal is not exact in binary */
    double plo = paper - 0.005 - eps, phi = paper + 0.005 + eps;
    memset(out, 0, sizeof *out);
    out->n = n;
    out->lo = out->hi = out->mean = out->percentile = NAN;
    if (!n) {
        out->verdict = REPRO_VERDICT_MISSING;
        return;
    }
    double sum = 0, below = 0;
    for (size_t i = 0; i < n; i++) {
        sum += ours[i];
        below += ours[i] < plo ? 1.0 : ours[i] <= phi ? 0.5 : 0.0;
    }
    out->mean = sum / (double)n;
    out->percentile = 100.0 * below / (double)n;
    if (n < REPRO_VERDICT_MIN_SEEDS) {
        out->verdict = fabs(round2(out->mean) - paper) <= tol + eps ? REPRO_VERDICT_WEAK_WITHIN
                                                                     : REPRO_VERDICT_WEAK_OUTSIDE;
        return;
    }
    out->lo = repro_quantile(ours, n, 0.025);
    out->hi = repro_quantile(ours, n, 0.975);
    out->verdict = plo > out->hi   ? REPRO_VERDICT_PAPER_HIGHER
                 : phi < out->lo   ? REPRO_VERDICT_PAPER_LOWER
                                   : REPRO_VERDICT_CONSISTENT;
}

/* Name of a verdict. */
static const char *verdict_name(repro_verdict_kind v)
{
    switch (v) {
    case REPRO_VERDICT_CONSISTENT: return "consistent";
    case REPRO_VERDICT_PAPER_HIGHER: return "paper higher";
    case REPRO_VERDICT_PAPER_LOWER: return "paper lower";
    case REPRO_VERDICT_WEAK_WITHIN: return "within ±tol (weak)";
    case REPRO_VERDICT_WEAK_OUTSIDE: return "outside ±tol (weak)";
    default: return "missing";
    }
}

/* The model a cell is about: its column (or the column's prefix before
 * '_'), else one of its keys, else "-". */
static const char *cell_model(const repro_table *t, size_t row, const char *col)
{
    static const char *const models[] = {"ElasticNet", "FRI", "RF", "SQ"};
    for (int m = 0; m < 4; m++) {
        size_t len = strlen(models[m]);
        if (!strncmp(col, models[m], len) && (col[len] == '\0' || col[len] == '_'))
            return models[m];
    }
    for (size_t k = 0; k < t->n_keys; k++)
        for (int m = 0; m < 4; m++)
            if (!strcmp(t->key[row * t->n_keys + k], models[m]))
                return models[m];
    return "-";
}

/* The verdict section of a sweep's report: counts, the cells outside
 * grouped by table and model, the claims' shares, then every cell. */
static int sweep_verdict(const repro_tables *ref, const repro_sweep *sw, double tol, FILE *report,
                         repro_verify_summary *sum, repro_error *err)
{
    double *v = repro_malloc(sw->n ? sw->n : 1, sizeof *v, err);
    char *cells = NULL, *outside = NULL;
    size_t cells_len = 0, outside_len = 0;
    FILE *cf = report ? open_memstream(&cells, &cells_len) : NULL;
    FILE *of = report ? open_memstream(&outside, &outside_len) : NULL;
    if (!v || (report && (!cf || !of))) {
        free(v);
        if (cf)
            fclose(cf);
        if (of)
            fclose(of);
        free(cells);
        free(outside);
        return repro_error_set(err, REPRO_ENOMEM, "out of memory writing the verdict");
    }
    sum->seeds = sw->n;
    if (cf)
        fputs("| table | cell | paper | our mean | our 95 % band | percentile | verdict |\n"
              "|---|---|---:|---:|---|---:|---|\n", cf);
    for (size_t i = 0; i < N_DEFS; i++) {
        if (DEFS[i].kind != CMP_SCORE)
            continue;
        const repro_table *rt = repro_tables_get(ref, DEFS[i].name);
        const char *last_model = NULL;
        int table_named = 0;
        /* outside cells, model by model */
        static const char *const order[] = {"ElasticNet", "FRI", "RF", "SQ", "-"};
        for (int pass = 0; pass < 6; pass++) {
            for (size_t r = 0; rt && r < rt->n_rows; r++) {
                const char *const *keys = (const char *const *)rt->key + r * rt->n_keys;
                for (size_t c = 0; c < rt->n_vals; c++) {
                    const char *col = rt->head[rt->n_keys + c];
                    double paper = repro_table_get(rt, r, c);
                    if (isnan(paper))
                        continue;
                    const char *model = cell_model(rt, r, col);
                    if (pass < 5 && strcmp(model, order[pass]))
                        continue;
                    size_t m = repro_sweep_cell(sw, DEFS[i].name, keys, col, v);
                    repro_cell_verdict cv;
                    repro_verdict_cell(v, m, paper, tol, &cv);
                    char name[160];
                    if (rt->n_keys == 2)
                        snprintf(name, sizeof name, "%s / %s / %s", keys[0], keys[1], col);
                    else
                        snprintf(name, sizeof name, "%s / %s", keys[0], col);
                    if (pass == 5) { /* the full list, in table order */
                        sum->v_cells++;
                        sum->v_consistent += cv.verdict == REPRO_VERDICT_CONSISTENT;
                        sum->v_higher += cv.verdict == REPRO_VERDICT_PAPER_HIGHER;
                        sum->v_lower += cv.verdict == REPRO_VERDICT_PAPER_LOWER;
                        sum->v_weak += cv.verdict == REPRO_VERDICT_WEAK_WITHIN ||
                                       cv.verdict == REPRO_VERDICT_WEAK_OUTSIDE;
                        sum->v_missing += cv.verdict == REPRO_VERDICT_MISSING;
                        if (cf) {
                            char band[64] = "-", mean[32] = "-", pct[32] = "-";
                            if (!isnan(cv.lo))
                                snprintf(band, sizeof band, "[%.3f, %.3f]", cv.lo, cv.hi);
                            if (!isnan(cv.mean)) {
                                snprintf(mean, sizeof mean, "%.3f", cv.mean);
                                snprintf(pct, sizeof pct, "%.0f %%", cv.percentile);
                            }
                            fprintf(cf, "| %s | %s | %.2f | %s | %s | %s | %s |\n", DEFS[i].name, name,
                                    paper, mean, band, pct, verdict_name(cv.verdict));
                        }
                        continue;
                    }
                    if (!of || (cv.verdict != REPRO_VERDICT_PAPER_HIGHER &&
                                cv.verdict != REPRO_VERDICT_PAPER_LOWER))
                        continue;
                    if (!table_named) {
                        fprintf(of, "- **%s/%s**\n", DEFS[i].group, DEFS[i].name);
                        table_named = 1;
                    }
                    if (last_model != order[pass]) {
                        fprintf(of, "  - %s:", model);
                        last_model = order[pass];
                    } else {
                        fputc(';', of);
                    }
                    fprintf(of, " %s %s (paper %.2f, ours [%.2f, %.2f], %.0f %%)", name,
                            cv.verdict == REPRO_VERDICT_PAPER_HIGHER ? "paper higher" : "paper lower",
                            paper, cv.lo, cv.hi, cv.percentile);
                }
            }
            if (of && pass < 5 && last_model == order[pass])
                fputc('\n', of);
        }
    }
    for (int c = 0; c < N_CLAIMS; c++) {
        size_t held = 0, known = 0;
        for (size_t s = 0; s < sw->n; s++) {
            claim_result cr = check_claim(&sw->per[s], c);
            known += cr.status != -1;
            held += cr.status == 1;
        }
        sum->claim_share[c] = known ? (double)held / (double)known : NAN;
        sum->claim_decided[c] = known;
    }
    int rc = REPRO_OK;
    if (cf && fclose(cf))
        rc = REPRO_ENOMEM;
    if (of && fclose(of))
        rc = REPRO_ENOMEM;
    if (report && !rc) {
        fprintf(report, "## Verdict over %zu seeds\n\n", sw->n);
        if (sw->n < REPRO_VERDICT_MIN_SEEDS)
            fprintf(report, "**Weak:** fewer than %d seeds give no 95 %% band; each cell is only "
                            "compared as our across-seed mean within ±%.3g of the paper.\n\n",
                    REPRO_VERDICT_MIN_SEEDS, tol);
        else
            fprintf(report, "Each published score (printed with two decimals, so meaning ±0.005) "
                            "is placed in our distribution over the %zu seeds: *consistent* when it "
                            "meets our central 95 %% band (2.5 to 97.5 %% quantiles of the "
                            "per-seed values), else *paper higher* or *paper lower*.\n\n",
                    sw->n);
        fprintf(report, "- cells consistent: %zu / %zu published score cells with our values "
                        "(paper higher: %zu, paper lower: %zu, weak comparison only: %zu)\n",
                sum->v_consistent, sum->v_cells - sum->v_missing, sum->v_higher, sum->v_lower,
                sum->v_weak);
        if (sum->v_missing)
            fprintf(report, "- published score cells without our values (models or jobs not run): "
                            "%zu of %zu\n",
                    sum->v_missing, sum->v_cells);
        if (outside_len)
            fprintf(report, "\nCells outside our band, by table and model:\n\n%s\nWhat was checked for each and why it differs: docs/FIDELITY.md, \"7. The cells outside the band\".\n", outside);
        fputs("\nClaims, judged on each seed's tables (share of the seeds where the claim holds, "
              "among those where the numbers decide it):\n\n"
              "| # | claim | holds in | undetermined seeds |\n|---|---|---:|---:|\n", report);
        for (int c = 0; c < N_CLAIMS; c++) {
            if (isnan(sum->claim_share[c]))
                fprintf(report, "| %d | %s | - | %zu |\n", c + 1, CLAIMS[c].text, sw->n);
            else
                fprintf(report, "| %d | %s | %.0f %% of %zu | %zu |\n", c + 1, CLAIMS[c].text,
                        100.0 * sum->claim_share[c], sum->claim_decided[c],
                        sw->n - sum->claim_decided[c]);
        }
        fprintf(report, "\n### Every published score cell in our distribution\n\n%s\n", cells);
    }
    free(v);
    free(cells);
    free(outside);
    if (rc)
        return repro_error_set(err, REPRO_ENOMEM, "out of memory writing the verdict");
    return REPRO_OK;
}

int repro_verify(const repro_tables *ours, double tol, const repro_reduce_stats *stats,
                 FILE *report, repro_verify_summary *sum, repro_error *err)
{
    return repro_verify_sweep(ours, NULL, tol, stats, report, sum, err);
}

int repro_verify_sweep(const repro_tables *ours, const repro_sweep *sw, double tol,
                       const repro_reduce_stats *stats, FILE *report, repro_verify_summary *sum,
                       repro_error *err)
{
    memset(sum, 0, sizeof *sum);
    if (sw && sw->n < 2)
        sw = NULL;
    repro_tables ref;
    int rc = repro_reference_tables(&ref, err);
    if (rc)
        return rc;
    double ratios[256];
    size_t nratio = 0;
    claim_result ours_c[N_CLAIMS], paper_c[N_CLAIMS];
    for (int i = 0; i < N_CLAIMS; i++) {
        ours_c[i] = check_claim(ours, i);
        paper_c[i] = check_claim(&ref, i);
        sum->claims++;
        sum->held += ours_c[i].status == 1;
        sum->undetermined += ours_c[i].status == -1;
    }
    /* compare once, the tables' section into memory: the report's summary
     * at its top needs the counts */
    char *tables = NULL;
    size_t tables_len = 0;
    FILE *tout = NULL;
    if (report && !(tout = open_memstream(&tables, &tables_len))) {
        repro_tables_clear(&ref);
        return repro_error_set(err, REPRO_ENOMEM, "out of memory writing the report");
    }
    repro_verify_summary s = *sum;
    s.cells = s.within = s.missing = s.runtime_cells = 0;
    nratio = 0;
    for (size_t i = 0; i < N_DEFS; i++) {
        const repro_table *rt = repro_tables_get(&ref, DEFS[i].name);
        compare_table(rt, repro_tables_get(ours, DEFS[i].name), DEFS[i].kind, tol, tout, &s, ratios,
                      &nratio);
    }
    s.runtime_ratio_median = nratio ? repro_quantile(ratios, nratio, 0.5) : NAN;
    *sum = s;
    if (tout && fclose(tout) != 0) {
        free(tables);
        repro_tables_clear(&ref);
        return repro_error_set(err, REPRO_ENOMEM, "out of memory writing the report");
    }
    char *verdict = NULL;
    size_t verdict_len = 0;
    if (sw) {
        FILE *vf = report ? open_memstream(&verdict, &verdict_len) : NULL;
        if (report && !vf) {
            free(tables);
            repro_tables_clear(&ref);
            return repro_error_set(err, REPRO_ENOMEM, "out of memory writing the report");
        }
        repro_verify_summary vs = *sum;
        rc = sweep_verdict(&ref, sw, tol, vf, &vs, err);
        if (vf && fclose(vf) && !rc)
            rc = repro_error_set(err, REPRO_ENOMEM, "out of memory writing the report");
        if (rc) {
            free(verdict);
            free(tables);
            repro_tables_clear(&ref);
            return rc;
        }
        *sum = vs;
    }
    if (report) {
        fprintf(report, "# Reproduction report\n\n");
        if (verdict) {
            fwrite(verdict, 1, verdict_len, report);
            fprintf(report, "\n## The ±%.3g comparison of the across-seed means\n\n", tol);
        }
        fprintf(report, "Reproduced tables of Pfannschmidt & Hammer (2020) against the published "
                     "values (docs/EXPERIMENTS.md). Scores are compared at the paper's two printed "
                     "decimals (delta = ours rounded - paper) with tolerance %.3g, and claims are "
                     "judged on the numbers as printed (two decimals); data-set "
                     "parameters exactly; runtimes as ratios only (informational: our timings "
                     "are from a shared machine and noisy).\n\n## Summary\n\n",
                tol);
        if (stats && stats->records)
            fprintf(report, "- jobs in the results: %zu (done %zu, failed %zu, pending %zu)%s\n",
                    stats->records, stats->done, stats->failed, stats->pending,
                    stats->done < stats->records ? " - PARTIAL RESULTS" : "");
        if (stats) {
            fprintf(report, "- table cells: %zu, of which missing (\"-\"): %zu\n", stats->cells,
                    stats->missing);
            if (stats->figures)
                fprintf(report, "- figure files: %zu drawn, %zu missing (no finished jobs)\n",
                        stats->figures - stats->figures_missing, stats->figures_missing);
        }
        fprintf(report, "- cells within tolerance: %zu / %zu (missing: %zu)\n", sum->within,
                sum->cells, sum->missing);
        fprintf(report, "- claims held: %zu / %zu (undetermined: %zu)\n", sum->held, sum->claims,
                sum->undetermined);
        if (sum->runtime_cells)
            fprintf(report, "- runtime: median ratio ours/paper %.3g over %zu cells with a "
                         "non-zero published time\n",
                    sum->runtime_ratio_median, sum->runtime_cells);
        if (stats && stats->provenance[0])
            fprintf(report, "\n## Provenance\n\n```\n%s%s```\n", stats->provenance,
                    stats->provenance[strlen(stats->provenance) - 1] == '\n' ? "" : "\n");
        fprintf(report, "\n## Claims\n\n| # | claim | ours | numbers | paper's own numbers |\n"
                     "|---|---|---|---|---|\n");
        for (int i = 0; i < N_CLAIMS; i++)
            fprintf(report, "| %d | %s | %s | %s | %s: %s |\n", i + 1, CLAIMS[i].text,
                    status_name(ours_c[i].status), ours_c[i].text,
                    status_name(paper_c[i].status), paper_c[i].text);
        fprintf(report, "\n## Tables\n");
        fwrite(tables, 1, tables_len, report);
    }
    free(tables);
    free(verdict);
    repro_tables_clear(&ref);
    if (report && ferror(report))
        return repro_error_set(err, REPRO_EIO, "writing the report failed");
    return REPRO_OK;
}

int repro_verify_write(const repro_tables *ours, double tol, const repro_reduce_stats *stats,
                       const char *outdir, repro_verify_summary *sum, repro_error *err)
{
    return repro_verify_write_sweep(ours, NULL, tol, stats, outdir, sum, err);
}

/* The verdict figures of a sweep: per published score table, each cell's
 * band over the seeds with the paper's value (cells in the report's order). */
static int verdict_figures(const repro_sweep *sw, const char *outdir, repro_error *err)
{
    repro_tables ref;
    int rc = repro_reference_tables(&ref, err);
    if (rc)
        return rc;
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/figures/verdict", outdir);
    rc = repro_mkdirs(dir, err);
    double *v = repro_malloc(sw->n, sizeof *v, err);
    for (size_t i = 0; i < N_DEFS && !rc; i++) {
        const repro_table *rt = repro_tables_get(&ref, DEFS[i].name);
        if (DEFS[i].kind != CMP_SCORE || !rt)
            continue;
        size_t cap = rt->n_rows * rt->n_vals + 1, m = 0;
        double *lo = repro_malloc(4 * cap, sizeof *lo, err);
        if (!lo || !v) {
            free(lo);
            rc = REPRO_ENOMEM;
            break;
        }
        double *hi = lo + cap, *mean = hi + cap, *paper = mean + cap;
        for (size_t r = 0; r < rt->n_rows; r++)
            for (size_t c = 0; c < rt->n_vals; c++) {
                double p = repro_table_get(rt, r, c);
                if (isnan(p))
                    continue;
                size_t k = repro_sweep_cell(sw, DEFS[i].name, (const char *const *)rt->key + r * rt->n_keys,
                                            rt->head[rt->n_keys + c], v);
                repro_cell_verdict cv;
                repro_verdict_cell(v, k, p, REPRO_VERIFY_TOLERANCE, &cv);
                lo[m] = cv.lo;
                hi[m] = cv.hi;
                mean[m] = cv.mean;
                paper[m++] = p;
            }
        char stem[4400], title[160];
        snprintf(stem, sizeof stem, "%s/%s", dir, DEFS[i].name);
        snprintf(title, sizeof title, "%s/%s over %zu seeds", DEFS[i].group, DEFS[i].name, sw->n);
        rc = repro_plot_bands(stem, title, "published cell (in REPORT.md's order)", m, lo, hi, mean, paper,
                              err);
        free(lo);
    }
    free(v);
    repro_tables_clear(&ref);
    return rc;
}

int repro_verify_write_sweep(const repro_tables *ours, const repro_sweep *sw, double tol,
                             const repro_reduce_stats *stats, const char *outdir,
                             repro_verify_summary *sum, repro_error *err)
{
    char tmp[4096], path[4096];
    snprintf(path, sizeof path, "%s/REPORT.md", outdir);
    snprintf(tmp, sizeof tmp, "%s/.REPORT.md.tmp", outdir);
    int rc = repro_mkdirs(outdir, err);
    if (rc)
        return rc;
    FILE *f = fopen(tmp, "w");
    if (!f)
        return repro_error_set(err, REPRO_EIO, "cannot write %s: %s", tmp, strerror(errno));
    rc = repro_verify_sweep(ours, sw, tol, stats, f, sum, err);
    if (!rc && sw && sw->n >= REPRO_VERDICT_MIN_SEEDS)
        rc = verdict_figures(sw, outdir, err);
    if (fclose(f) && !rc)
        rc = repro_error_set(err, REPRO_EIO, "cannot write %s", tmp);
    if (!rc && rename(tmp, path))
        rc = repro_error_set(err, REPRO_EIO, "cannot move %s to %s: %s", tmp, path,
                             strerror(errno));
    if (rc)
        unlink(tmp);
    return rc;
}

void repro_verify_print_summary(FILE *f, const repro_reduce_stats *stats,
                                const repro_verify_summary *sum, double tol)
{
    if (stats && stats->missing)
        fprintf(f, "%zu of %zu table cells missing (failed or absent jobs)\n", stats->missing,
                stats->cells);
    if (stats && stats->done < stats->records)
        fprintf(f, "partial results: %zu of %zu jobs done (%zu failed, %zu pending)\n", stats->done,
                stats->records, stats->failed, stats->pending);
    if (sum->seeds >= REPRO_VERDICT_MIN_SEEDS)
        fprintf(f, "verdict over %zu seeds: %zu / %zu published cells consistent (paper higher %zu, "
                   "paper lower %zu; %zu more without our values)\n",
                sum->seeds, sum->v_consistent, sum->v_cells - sum->v_missing, sum->v_higher,
                sum->v_lower, sum->v_missing);
    else if (sum->seeds)
        fprintf(f, "%zu seeds: too few for a 95 %% band (weak comparison only, at least %d needed)\n",
                sum->seeds, REPRO_VERDICT_MIN_SEEDS);
    fprintf(f, "cells within tolerance %.3g: %zu / %zu (%zu missing)\n", tol, sum->within,
            sum->cells, sum->missing);
    fprintf(f, "claims held: %zu / %zu (%zu undetermined)\n", sum->held, sum->claims,
            sum->undetermined);
}
