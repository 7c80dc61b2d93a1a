/* cli_export.c - `repro_mpi export RESULTS.h5`: one row per job as CSV or
 * JSON, with the scores stored in the file (checked against the relevance
 * and truth by the reader), for readers that do not speak HDF5 (pandas,
 * spreadsheets). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "repro/cli.h"
#include "repro/cli_util.h"
#include "repro/json.h"
#include "repro/metrics.h"
#include "repro/record.h"

/* One job with its scores (when it is done and its truth is known). */
typedef struct xrow {
    const repro_record *r;
    int scored;        /* all-relevant scores are valid */
    int classes;       /* per-class scores are valid (models with classes 2/1/0) */
    repro_prf all;     /* all-relevant problem, 0/0 -> 0 (as sim_scores) */
    repro_prf weak;    /* class 1, 0/0 -> 1 (as prec_rec_ARFS) */
    repro_prf strong;  /* class 2, 0/0 -> 1 */
    char *selected, *strong_f, *weak_f; /* feature lists "0 3 5" */
    char *owned;                        /* the lists' allocation, or NULL */
} xrow;

enum { K_STR, K_INT, K_NUM, K_LIST };

/* One output cell: its kind and value. */
typedef struct xcell {
    int kind;
    const char *s; /* K_STR, K_LIST */
    unsigned long long i; /* K_INT (every integer column is unsigned) */
    double x;      /* K_NUM; NaN is written as an empty field / null */
} xcell;

static void set_STR(xcell *c, const char *s) { c->kind = K_STR; c->s = s; }
static void set_INT(xcell *c, unsigned long long i) { c->kind = K_INT; c->i = i; }
static void set_NUM(xcell *c, double x) { c->kind = K_NUM; c->x = x; }
static void set_LIST(xcell *c, const char *s) { c->kind = K_LIST; c->s = s; }

static const char *status_name(int status)
{
    return status == REPRO_JOB_DONE ? "done" : status == REPRO_JOB_FAILED ? "failed" : "pending";
}

/* The columns, in output order: X(name, kind, value from x and r). A new
 * column of the results file (read by repro_results_read into the record)
 * is one line here. */
#define EXPORT_COLUMNS(X)                                                          \
    X("seed", INT, (unsigned long long)r->seed)                                    \
    X("experiment", STR, r->experiment)                                            \
    X("dataset", STR, r->dataset)                                                  \
    X("repeat", INT, (unsigned long long)r->repeat)                                \
    X("model", STR, r->model)                                                      \
    X("status", STR, status_name(r->status))                                       \
    X("n", INT, (unsigned long long)r->n)                                      \
    X("d", INT, (unsigned long long)r->d)                                      \
    X("fit_seconds", NUM, r->status == REPRO_JOB_PENDING ? NAN : r->fit_seconds)   \
    X("train_score", NUM, r->status == REPRO_JOB_DONE ? r->train_score : NAN)      \
    X("precision", NUM, x->scored ? x->all.precision : NAN)                        \
    X("recall", NUM, x->scored ? x->all.recall : NAN)                              \
    X("f1", NUM, x->scored ? x->all.f1 : NAN)                                      \
    X("weak_precision", NUM, x->classes ? x->weak.precision : NAN)                 \
    X("weak_recall", NUM, x->classes ? x->weak.recall : NAN)                       \
    X("strong_precision", NUM, x->classes ? x->strong.precision : NAN)             \
    X("strong_recall", NUM, x->classes ? x->strong.recall : NAN)                   \
    X("selected", LIST, x->selected)                                               \
    X("strong", LIST, x->strong_f)                                                 \
    X("weak", LIST, x->weak_f)                                                     \
    X("message", STR, r->message ? r->message : "")

#define X_NAME(name, kind, value) name,
static const char *const col_names[] = {EXPORT_COLUMNS(X_NAME)};
#define N_COLS (sizeof col_names / sizeof col_names[0])

/* Fills cell c of row x. */
static void get_cell(size_t c, const xrow *x, xcell *out)
{
    const repro_record *r = x->r;
    size_t k = 0;
#define X_GET(name, kind, value)                                                   \
    if (c == k++) {                                                                \
        set_##kind(out, (value));                                                  \
        return;                                                                    \
    }
    EXPORT_COLUMNS(X_GET)
#undef X_GET
    set_STR(out, "");
}

/* Appends " j" (or "j" first) to a feature list (room for 21 bytes per
 * feature is reserved). */
static void list_add(char *list, size_t j)
{
    size_t len = strlen(list);
    sprintf(list + len, "%s%zu", len ? " " : "", j);
}

/* Frees what score_row allocated. */
static void row_clear(xrow *x)
{
    free(x->owned);
    x->owned = NULL;
}

/* One record's stored scores and its feature lists (allocated: free with
 * row_clear). */
static int score_row(const repro_record *r, xrow *x, repro_error *err)
{
    static char empty[1] = "";
    memset(x, 0, sizeof *x);
    x->r = r;
    x->selected = x->strong_f = x->weak_f = empty;
    if (r->status != REPRO_JOB_DONE || !r->relevance || !r->d)
        return REPRO_OK;
    size_t room = 21 * r->d + 1;
    char *lists = repro_calloc(3 * room, 1, err);
    if (!lists)
        return REPRO_ENOMEM;
    x->owned = x->selected = lists;
    x->strong_f = lists + room;
    x->weak_f = lists + 2 * room;
    const repro_job_scores *sc = &r->scores;
    int classes = !isnan(sc->weak_precision); /* stored only for models with classes */
    for (size_t j = 0; j < r->d; j++) {
        if (r->relevance[j] > 0)
            list_add(x->selected, j);
        if (classes && r->relevance[j] == 2)
            list_add(x->strong_f, j);
        if (classes && r->relevance[j] == 1)
            list_add(x->weak_f, j);
    }
    x->scored = !isnan(sc->precision);
    x->all = (repro_prf){sc->precision, sc->recall, sc->f1};
    x->classes = x->scored && classes;
    x->weak = (repro_prf){sc->weak_precision, sc->weak_recall, NAN};
    x->strong = (repro_prf){sc->strong_precision, sc->strong_recall, NAN};
    return REPRO_OK;
}

/* Writes a CSV field, quoted when it holds a separator, quote or newline. */
static void csv_field(FILE *out, const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

/* Writes a finite number with the fewest digits that read back to it. */
static void write_number(FILE *out, double v)
{
    char buf[40];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    fputs(buf, out);
}

static void write_cell(FILE *out, const xcell *c, int json)
{
    switch (c->kind) {
    case K_INT:
        fprintf(out, "%llu", c->i);
        break;
    case K_NUM:
        if (isfinite(c->x))
            write_number(out, c->x);
        else if (json)
            fputs("null", out);
        break;
    case K_LIST:
        if (json) {
            fputc('[', out);
            for (const char *p = c->s; *p; p++)
                fputc(*p == ' ' ? ',' : *p, out);
            fputc(']', out);
        } else {
            fputs(c->s, out);
        }
        break;
    default:
        if (json)
            repro_json_string(out, c->s);
        else
            csv_field(out, c->s);
    }
}

/* Writes every job of set as CSV (header line first) or as a JSON array of
 * objects, one per line. */
static int export_set(FILE *out, const repro_result_set *set, int json, repro_error *err)
{
    if (json) {
        fputs("[", out);
    } else {
        for (size_t c = 0; c < N_COLS; c++)
            fprintf(out, "%s%s", c ? "," : "", col_names[c]);
        fputc('\n', out);
    }
    for (size_t i = 0; i < set->n; i++) {
        xrow x;
        int rc = score_row(&set->rec[i], &x, err);
        if (rc)
            return rc;
        if (json)
            fputs(i ? ",\n{" : "\n{", out);
        for (size_t c = 0; c < N_COLS; c++) {
            xcell cell;
            get_cell(c, &x, &cell);
            if (json)
                fprintf(out, "%s\"%s\":", c ? "," : "", col_names[c]);
            else if (c)
                fputc(',', out);
            write_cell(out, &cell, json);
        }
        row_clear(&x);
        fputs(json ? "}" : "\n", out);
    }
    if (json)
        fputs("\n]\n", out);
    return REPRO_OK;
}

static void export_help(FILE *out)
{
    fprintf(out,
            "Usage: repro_mpi export RESULTS.h5 [--format csv|json] [-o FILE]\n"
            "\n"
            "Writes one row per job of a results file: experiment, dataset, repeat, model,\n"
            "status (done, failed, pending), n, d, fit_seconds, train_score, the\n"
            "all-relevant precision, recall and f1, the per-class weak_/strong_precision\n"
            "and _recall (models with classes 2/1/0 only), the selected, strong and weak\n"
            "features (0-based column numbers) and a failed job's message. The scores are\n"
            "those stored in the file (computed by the run from the relevance and truth as\n"
            "the tables compute them, and checked again on reading); a value that does\n"
            "not apply is an empty field (CSV) or null (JSON).\n"
            "Columns: docs/RESULTS_FILE.md.\n"
            "\n"
            "Options:\n"
            "  --format csv|json  output format (default csv; JSON: an array of objects)\n"
            "  -o, --output FILE  output file (default: standard output)\n"
            "  -h, --help         this help\n");
}

int repro_cmd_export(int argc, char **argv)
{
    const char *path = NULL, *outpath = NULL;
    int json = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            export_help(stdout);
            return REPRO_EXIT_OK;
        } else if (!strcmp(a, "--format")) {
            if (i + 1 >= argc)
                return repro_cli_usage_error("export", "--format needs csv or json");
            a = argv[++i];
            if (strcmp(a, "csv") && strcmp(a, "json"))
                return repro_cli_usage_error("export", "--format '%s': expected csv or json", a);
            json = !strcmp(a, "json");
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (i + 1 >= argc)
                return repro_cli_usage_error("export", "%s needs a file name", a);
            outpath = argv[++i];
        } else if (a[0] == '-' && a[1]) {
            return repro_cli_usage_error("export", "unknown option '%s' (see 'repro_mpi export --help')",
                                         a);
        } else if (!path) {
            path = a;
        } else {
            return repro_cli_usage_error("export", "unexpected argument '%s'", a);
        }
    }
    if (!path)
        return repro_cli_usage_error("export", "usage: repro_mpi export RESULTS.h5 [--format csv|json] [-o FILE]");
    repro_error err;
    repro_error_clear(&err);
    repro_result_set *set = NULL;
    if (repro_results_read(path, &set, &err))
        return repro_cli_fail(&err);
    FILE *out = stdout;
    if (outpath && !(out = fopen(outpath, "w"))) {
        repro_result_set_free(set);
        return repro_cli_usage_error("export", "cannot write %s", outpath);
    }
    int rc = export_set(out, set, json, &err);
    repro_result_set_free(set);
    int werr = ferror(out);
    if (out != stdout)
        werr |= fclose(out) != 0;
    else
        werr |= fflush(out) != 0;
    if (rc || werr) {
        if (outpath)
            unlink(outpath);
        if (!rc)
            repro_error_set(&err, REPRO_EIO, "cannot write %s", outpath ? outpath : "standard output");
        return repro_cli_fail(&err);
    }
    return REPRO_EXIT_OK;
}
