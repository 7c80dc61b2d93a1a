/* table.c - numeric tables with text keys and their LaTeX/CSV/Markdown forms
 * (see table.h). */
#include "repro/table.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Copies a string into fresh memory (NULL with err on failure). */
static char *dup_text(const char *s, repro_error *err)
{
    size_t n = strlen(s) + 1;
    char *c = repro_malloc(n, 1, err);
    if (c)
        memcpy(c, s, n);
    return c;
}

repro_table *repro_table_alloc(const char *group, const char *name, size_t n_keys,
                               size_t n_vals, const char *const *head, repro_error *err)
{
    repro_table *t = repro_calloc(1, sizeof *t, err);
    if (!t)
        return NULL;
    snprintf(t->group, sizeof t->group, "%s", group);
    snprintf(t->name, sizeof t->name, "%s", name);
    t->n_keys = n_keys;
    t->n_vals = n_vals;
    t->decimals = 2;
    t->head = repro_calloc(n_keys + n_vals, sizeof *t->head, err);
    if (!t->head) {
        free(t);
        return NULL;
    }
    for (size_t i = 0; i < n_keys + n_vals; i++)
        if (!(t->head[i] = dup_text(head[i], err))) {
            repro_table_free(t);
            return NULL;
        }
    return t;
}

void repro_table_free(repro_table *t)
{
    if (!t)
        return;
    if (t->head)
        for (size_t i = 0; i < t->n_keys + t->n_vals; i++)
            free(t->head[i]);
    if (t->key)
        for (size_t i = 0; i < t->n_rows * t->n_keys; i++)
            free(t->key[i]);
    free(t->head);
    free(t->key);
    free(t->v);
    free(t->na);
    free(t->sd);
    free(t);
}

int repro_table_set_sd(repro_table *t, size_t row, size_t col, double sd, repro_error *err)
{
    size_t n = t->n_rows * t->n_vals;
    if (!t->sd) {
        if (!(t->sd = repro_malloc(n ? n : 1, sizeof *t->sd, err)))
            return REPRO_ENOMEM;
        for (size_t i = 0; i < n; i++)
            t->sd[i] = NAN;
    }
    t->sd[row * t->n_vals + col] = sd;
    return REPRO_OK;
}

size_t repro_table_add_row(repro_table *t, const char *const *keys, repro_error *err)
{
    size_t r = t->n_rows, nk = t->n_keys, nv = t->n_vals;
    if (t->sd) {
        repro_error_set(err, REPRO_EFAIL, "table %s: rows added after spreads", t->name);
        return (size_t)-1;
    }
    char **key = realloc(t->key, (r + 1) * (nk ? nk : 1) * sizeof *key);
    if (!key)
        goto nomem;
    t->key = key;
    double *v = realloc(t->v, (r + 1) * (nv ? nv : 1) * sizeof *v);
    if (!v)
        goto nomem;
    t->v = v;
    unsigned char *na = realloc(t->na, (r + 1) * (nv ? nv : 1));
    if (!na)
        goto nomem;
    t->na = na;
    for (size_t k = 0; k < nk; k++)
        t->key[r * nk + k] = NULL;
    for (size_t k = 0; k < nk; k++)
        if (!(t->key[r * nk + k] = dup_text(keys[k], err))) {
            for (size_t j = 0; j < k; j++)
                free(t->key[r * nk + j]);
            return (size_t)-1;
        }
    for (size_t c = 0; c < nv; c++) {
        t->v[r * nv + c] = NAN;
        t->na[r * nv + c] = 0;
    }
    t->n_rows = r + 1;
    return r;
nomem:
    repro_error_set(err, REPRO_ENOMEM, "out of memory growing table %s", t->name);
    return (size_t)-1;
}

double repro_table_get(const repro_table *t, size_t row, size_t col)
{
    return t->v[row * t->n_vals + col];
}

void repro_table_set(repro_table *t, size_t row, size_t col, double v)
{
    t->v[row * t->n_vals + col] = v;
}

size_t repro_table_col(const repro_table *t, const char *name)
{
    for (size_t c = 0; c < t->n_vals; c++)
        if (strcmp(t->head[t->n_keys + c], name) == 0)
            return c;
    return (size_t)-1;
}

size_t repro_table_find(const repro_table *t, const char *const *keys)
{
    for (size_t r = 0; r < t->n_rows; r++) {
        size_t k = 0;
        while (k < t->n_keys && (!keys[k] || strcmp(keys[k], t->key[r * t->n_keys + k]) == 0))
            k++;
        if (k == t->n_keys)
            return r;
    }
    return (size_t)-1;
}

size_t repro_table_missing(const repro_table *t)
{
    size_t m = 0;
    for (size_t i = 0; i < t->n_rows * t->n_vals; i++)
        m += isnan(t->v[i]) && !t->na[i];
    return m;
}

/* Digits a CSV value of column col gets: 4, or 0 for counts and for a
 * table of whole numbers (decimals 0). */
static int csv_decimals(const repro_table *t, size_t col)
{
    return t->decimals && col >= t->n_counts ? 4 : 0;
}

/* Digits a LaTeX or Markdown value of column col gets. */
static int print_decimals(const repro_table *t, size_t col)
{
    return col < t->n_counts ? 0 : t->decimals;
}

int repro_table_write_csv(const repro_table *t, FILE *f, repro_error *err)
{
    size_t nc = t->n_keys + t->n_vals;
    for (size_t c = 0; c < nc; c++)
        fprintf(f, "%s%s", c ? "," : "", t->head[c]);
    for (size_t c = 0; t->sd && c < t->n_vals; c++)
        fprintf(f, ",%s_sd", t->head[t->n_keys + c]);
    fputc('\n', f);
    for (size_t r = 0; r < t->n_rows; r++) {
        for (size_t k = 0; k < t->n_keys; k++)
            fprintf(f, "%s%s", k ? "," : "", t->key[r * t->n_keys + k]);
        for (size_t c = 0; c < t->n_vals; c++) {
            double v = repro_table_get(t, r, c);
            fputs(t->n_keys + c ? "," : "", f);
            if (!isnan(v))
                fprintf(f, "%.*f", csv_decimals(t, c), v);
        }
        for (size_t c = 0; t->sd && c < t->n_vals; c++) {
            double v = t->sd[r * t->n_vals + c];
            fputc(',', f);
            if (!isnan(v))
                fprintf(f, "%.*f", csv_decimals(t, c), v);
        }
        fputc('\n', f);
    }
    if (ferror(f))
        return repro_error_set(err, REPRO_EIO, "writing %s.csv failed", t->name);
    return REPRO_OK;
}

/* Writes text with LaTeX's special characters escaped. */
static void latex_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (strchr("_&%$#{}", *s))
            fputc('\\', f);
        fputc(*s, f);
    }
}

/* Length of the part of a column name before its first '_' (or the whole
 * length when there is none). */
static size_t prefix_len(const char *s)
{
    const char *u = strchr(s, '_');
    return u ? (size_t)(u - s) : strlen(s);
}

/* Number of runs of equal consecutive column-name parts (prefix or suffix)
 * among the value columns; 0 if some name has no '_'. */
static size_t header_runs(const repro_table *t, int suffix)
{
    size_t runs = 0;
    const char *prev = NULL;
    size_t prev_len = 0;
    for (size_t c = 0; c < t->n_vals; c++) {
        const char *h = t->head[t->n_keys + c];
        const char *u = strchr(h, '_');
        if (!u)
            return 0;
        const char *part = suffix ? u + 1 : h;
        size_t len = suffix ? strlen(u + 1) : (size_t)(u - h);
        if (!prev || len != prev_len || strncmp(prev, part, len) != 0)
            runs++;
        prev = part;
        prev_len = len;
    }
    return runs;
}

/* Writes the column-header lines of a LaTeX table: one line, or two when
 * the value columns are named GROUP_SUB or SUB_GROUP with groups in runs. */
static void latex_header(const repro_table *t, FILE *f)
{
    size_t pr = header_runs(t, 0), sr = header_runs(t, 1);
    int mode = 0; /* 0 single line, 1 group is the prefix, 2 group is the suffix */
    if (pr && pr < t->n_vals)
        mode = 1;
    else if (sr && sr < t->n_vals)
        mode = 2;
    if (mode == 0) {
        for (size_t c = 0; c < t->n_keys + t->n_vals; c++) {
            fputs(c ? " & " : "", f);
            latex_text(f, t->head[c]);
        }
        fputs(" \\\\\n", f);
        return;
    }
    /* top line: groups spanning their columns */
    for (size_t k = 0; k < t->n_keys; k++)
        fputs(k ? " &" : "", f);
    size_t c = 0;
    char rules[512] = "";
    while (c < t->n_vals) {
        const char *h = t->head[t->n_keys + c];
        const char *u = strchr(h, '_');
        const char *g = mode == 1 ? h : u + 1;
        size_t glen = mode == 1 ? prefix_len(h) : strlen(u + 1);
        size_t span = 1;
        while (c + span < t->n_vals) {
            const char *h2 = t->head[t->n_keys + c + span];
            const char *u2 = strchr(h2, '_');
            const char *g2 = mode == 1 ? h2 : u2 + 1;
            size_t g2len = mode == 1 ? prefix_len(h2) : strlen(u2 + 1);
            if (g2len != glen || strncmp(g, g2, glen) != 0)
                break;
            span++;
        }
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)glen, g);
        fputs(t->n_keys + c ? " & " : "", f);
        fprintf(f, "\\multicolumn{%zu}{c}{", span);
        latex_text(f, name);
        fputs("}", f);
        size_t used = strlen(rules);
        snprintf(rules + used, sizeof rules - used, "%s\\cmidrule(lr){%zu-%zu}", used ? " " : "",
                 t->n_keys + c + 1, t->n_keys + c + span);
        c += span;
    }
    fprintf(f, " \\\\\n%s\n", rules);
    for (size_t k = 0; k < t->n_keys; k++) {
        fputs(k ? " & " : "", f);
        latex_text(f, t->head[k]);
    }
    for (c = 0; c < t->n_vals; c++) {
        const char *h = t->head[t->n_keys + c];
        const char *u = strchr(h, '_');
        char name[64];
        if (mode == 1)
            snprintf(name, sizeof name, "%s", u + 1);
        else
            snprintf(name, sizeof name, "%.*s", (int)(u - h), h);
        fputs(t->n_keys + c ? " & " : "", f);
        latex_text(f, name);
    }
    fputs(" \\\\\n", f);
}

int repro_table_write_latex(const repro_table *t, FILE *f, repro_error *err)
{
    fprintf(f, "%% %s/%s, written by repro_mpi reduce (needs booktabs and multirow)\n", t->group,
            t->name);
    fputs("\\begin{tabular}{", f);
    for (size_t k = 0; k < t->n_keys; k++)
        fputc('l', f);
    for (size_t c = 0; c < t->n_vals; c++)
        fputc('r', f);
    fputs("}\n\\toprule\n", f);
    latex_header(t, f);
    fputs("\\midrule\n", f);
    for (size_t r = 0; r < t->n_rows; r++) {
        const char *const *key = (const char *const *)t->key + r * t->n_keys;
        if (t->n_keys >= 2) {
            int first = r == 0 || strcmp(key[0], t->key[(r - 1) * t->n_keys]) != 0;
            if (first) {
                size_t span = 1;
                while (r + span < t->n_rows && strcmp(key[0], t->key[(r + span) * t->n_keys]) == 0)
                    span++;
                if (r > 0)
                    fputs("\\midrule\n", f);
                if (span > 1) {
                    fprintf(f, "\\multirow{%zu}{*}{", span);
                    latex_text(f, key[0]);
                    fputs("}", f);
                } else {
                    latex_text(f, key[0]);
                }
            }
        }
        for (size_t k = t->n_keys >= 2 ? 1 : 0; k < t->n_keys; k++) {
            fputs(k ? " & " : "", f);
            latex_text(f, key[k]);
        }
        for (size_t c = 0; c < t->n_vals; c++) {
            double v = repro_table_get(t, r, c);
            fputs(t->n_keys + c ? " & " : "", f);
            double sd = t->sd ? t->sd[r * t->n_vals + c] : NAN;
            if (isnan(v))
                fputs("-", f);
            else if (!isnan(sd))
                fprintf(f, "%.*f $\\pm$ %.*f", print_decimals(t, c), v, print_decimals(t, c), sd);
            else
                fprintf(f, "%.*f", print_decimals(t, c), v);
        }
        fputs(" \\\\\n", f);
    }
    fputs("\\bottomrule\n\\end{tabular}\n", f);
    if (ferror(f))
        return repro_error_set(err, REPRO_EIO, "writing %s.tex failed", t->name);
    return REPRO_OK;
}

/* A value cell with the table's decimals, "-" if missing. */
static void md_value(FILE *f, const repro_table *t, size_t row, size_t col)
{
    double v = repro_table_get(t, row, col);
    if (isnan(v))
        fputs("| - ", f);
    else
        fprintf(f, "| %.*f ", print_decimals(t, col), v);
}

int repro_table_write_markdown(const repro_table *t, FILE *f, repro_error *err)
{
    return repro_table_write_markdown_with(t, f, md_value, err);
}

int repro_table_write_markdown_with(const repro_table *t, FILE *f, repro_table_md_cell cell,
                                    repro_error *err)
{
    size_t nc = t->n_keys + t->n_vals;
    for (size_t c = 0; c < nc; c++)
        fprintf(f, "| %s ", t->head[c]);
    fputs("|\n", f);
    for (size_t c = 0; c < nc; c++)
        fputs(c < t->n_keys ? "|---" : "|---:", f);
    fputs("|\n", f);
    for (size_t r = 0; r < t->n_rows; r++) {
        for (size_t k = 0; k < t->n_keys; k++)
            fprintf(f, "| %s ", t->key[r * t->n_keys + k]);
        for (size_t c = 0; c < t->n_vals; c++)
            cell(f, t, r, c);
        fputs("|\n", f);
    }
    if (ferror(f))
        return repro_error_set(err, REPRO_EIO, "writing the report failed");
    return REPRO_OK;
}

/* Splits one CSV line (no quoting: our tables never quote) at commas into
 * at most max fields, in place; returns the field count. */
static size_t split_line(char *line, char **field, size_t max)
{
    size_t n = 0;
    char *p = line;
    for (;;) {
        if (n < max)
            field[n] = p;
        n++;
        char *c = strchr(p, ',');
        if (!c)
            break;
        *c = '\0';
        p = c + 1;
    }
    return n;
}

int repro_table_parse_csv(const char *text, const char *group, const char *name, size_t n_keys,
                          const char *what, repro_table **out, repro_error *err)
{
    *out = NULL;
    size_t len = strlen(text);
    char *buf = repro_malloc(len + 1, 1, err);
    if (!buf)
        return REPRO_ENOMEM;
    memcpy(buf, text, len + 1);
    enum { MAXF = 64 };
    char *field[MAXF];
    repro_table *t = NULL;
    int rc = REPRO_OK;
    size_t line_no = 0;
    char *save = NULL;
    for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        line_no++;
        size_t l = strlen(line);
        if (l && line[l - 1] == '\r')
            line[--l] = '\0';
        if (!l)
            continue;
        size_t nf = split_line(line, field, MAXF);
        if (nf > MAXF || nf <= n_keys) {
            rc = repro_error_set(err, REPRO_EINVAL, "%s: line %zu: expected more than %zu fields",
                                 what, line_no, n_keys);
            break;
        }
        if (!t) {
            if (!(t = repro_table_alloc(group, name, n_keys, nf - n_keys,
                                        (const char *const *)field, err))) {
                rc = err->code;
                break;
            }
            continue;
        }
        if (nf != n_keys + t->n_vals) {
            rc = repro_error_set(err, REPRO_EINVAL, "%s: line %zu has %zu fields, the header %zu",
                                 what, line_no, nf, n_keys + t->n_vals);
            break;
        }
        size_t r = repro_table_add_row(t, (const char *const *)field, err);
        if (r == (size_t)-1) {
            rc = err->code;
            break;
        }
        for (size_t c = 0; c < t->n_vals; c++) {
            const char *s = field[n_keys + c];
            if (!*s)
                continue;
            char *end = NULL;
            double v = strtod(s, &end);
            if (*end) {
                rc = repro_error_set(err, REPRO_EINVAL, "%s: line %zu: '%s' is not a number", what,
                                     line_no, s);
                break;
            }
            repro_table_set(t, r, c, v);
        }
        if (rc)
            break;
    }
    free(buf);
    if (!rc && !t)
        rc = repro_error_set(err, REPRO_EINVAL, "%s: empty table", what);
    if (rc) {
        repro_table_free(t);
        return rc;
    }
    *out = t;
    return REPRO_OK;
}
