/* csv.c - reading users' data sets and writing generated ones as CSV. */
#include "repro/data.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads one line of any length into *buf (grown as needed); returns its
 * length without the newline, or -1 at end of file. */
static long read_line(FILE *f, char **buf, size_t *cap)
{
    size_t len = 0;
    int ch;
    while ((ch = fgetc(f)) != EOF && ch != '\n') {
        if (len + 2 > *cap) {
            size_t nc = *cap ? *cap * 2 : 256;
            char *nb = realloc(*buf, nc);
            if (!nb)
                return -2;
            *buf = nb;
            *cap = nc;
        }
        (*buf)[len++] = (char)ch;
    }
    if (ch == EOF && len == 0)
        return -1;
    if (len && (*buf)[len - 1] == '\r')
        len--;
    if (!*buf) {
        *buf = malloc(1);
        if (!*buf)
            return -2;
        *cap = 1;
    }
    (*buf)[len] = '\0';
    return (long)len;
}

/* Splits a line at commas in place; returns the number of fields (cells
 * point into line). */
static size_t split_cells(char *line, char ***cells, size_t *cap)
{
    size_t count = 0;
    char *p = line;
    for (;;) {
        if (count == *cap) {
            size_t nc = *cap ? *cap * 2 : 64;
            char **nb = realloc(*cells, nc * sizeof *nb);
            if (!nb)
                return (size_t)-1;
            *cells = nb;
            *cap = nc;
        }
        (*cells)[count++] = p;
        char *comma = strchr(p, ',');
        if (!comma)
            break;
        *comma = '\0';
        p = comma + 1;
    }
    return count;
}

/* Parses a numeric cell (surrounding blanks allowed); 0 on success. */
static int parse_cell(const char *cell, double *out)
{
    while (*cell == ' ' || *cell == '\t')
        cell++;
    char *end = NULL;
    errno = 0;
    double v = strtod(cell, &end);
    if (end == cell)
        return -1;
    while (*end == ' ' || *end == '\t')
        end++;
    if (*end)
        return -1;
    *out = v;
    return 0;
}

int repro_csv_read(const char *path, repro_dataset **out, repro_error *err)
{
    *out = NULL;
    FILE *f = fopen(path, "r");
    if (!f)
        return repro_error_set(err, REPRO_EINVAL, "%s: cannot open: %s", path, strerror(errno));
    char *line = NULL, **cells = NULL;
    size_t line_cap = 0, cells_cap = 0, cols = 0, rows = 0, vcap = 0;
    double *vals = NULL;
    int rc = REPRO_OK;
    long lineno = 0, len;
    while ((len = read_line(f, &line, &line_cap)) >= -1) {
        if (len == -1)
            break;
        lineno++;
        if (lineno == 1 && len >= 3 && !memcmp(line, "\xEF\xBB\xBF", 3)) {
            /* a UTF-8 byte-order mark, else the first row would pass for a header */
            memmove(line, line + 3, (size_t)len - 2);
            len -= 3;
        }
        if (len == 0)
            continue; /* blank line */
        size_t nc = split_cells(line, &cells, &cells_cap);
        if (nc == (size_t)-1) {
            rc = repro_error_set(err, REPRO_ENOMEM, "%s: out of memory", path);
            goto done;
        }
        if (cols == 0 && rows == 0) {
            double tmp;
            int numeric = 1;
            for (size_t c = 0; c < nc && numeric; c++)
                numeric = parse_cell(cells[c], &tmp) == 0;
            if (nc < 2) {
                rc = repro_error_set(err, REPRO_EINVAL,
                                     "%s:%ld: need at least 2 columns (features, then the label)", path, lineno);
                goto done;
            }
            cols = nc;
            if (!numeric)
                continue; /* header */
        }
        if (nc != cols) {
            rc = repro_error_set(err, REPRO_EINVAL, "%s:%ld: %zu columns, expected %zu like the first row",
                                 path, lineno, nc, cols);
            goto done;
        }
        if ((rows + 1) * cols > vcap) {
            size_t ncap = vcap ? vcap * 2 : cols * 256;
            while (ncap < (rows + 1) * cols)
                ncap *= 2;
            double *nv = realloc(vals, ncap * sizeof *nv);
            if (!nv) {
                rc = repro_error_set(err, REPRO_ENOMEM, "%s: out of memory", path);
                goto done;
            }
            vals = nv;
            vcap = ncap;
        }
        for (size_t c = 0; c < nc; c++) {
            double v;
            if (parse_cell(cells[c], &v)) {
                rc = repro_error_set(err, REPRO_EINVAL, "%s:%ld: column %zu: '%s' is not a number", path,
                                     lineno, c + 1, cells[c]);
                goto done;
            }
            if (!isfinite(v)) {
                rc = repro_error_set(err, REPRO_EINVAL, "%s:%ld: column %zu: '%s' is not finite", path,
                                     lineno, c + 1, cells[c]);
                goto done;
            }
            vals[rows * cols + c] = v;
        }
        rows++;
    }
    if (len == -2) {
        rc = repro_error_set(err, REPRO_ENOMEM, "%s: out of memory", path);
        goto done;
    }
    if (rows == 0) {
        rc = repro_error_set(err, REPRO_EINVAL, "%s: no data rows", path);
        goto done;
    }
    double lo = vals[cols - 1], hi = lo;
    for (size_t i = 0; i < rows; i++) {
        double v = vals[i * cols + cols - 1];
        if (v != lo && v != hi) {
            if (lo != hi) {
                rc = repro_error_set(err, REPRO_EINVAL,
                                     "%s: data row %zu: column %zu: a third label value %g (need exactly two)",
                                     path, i + 1, cols, v);
                goto done;
            }
            if (v < lo)
                lo = v;
            else
                hi = v;
        }
    }
    if (lo == hi) {
        rc = repro_error_set(err, REPRO_EINVAL, "%s: column %zu: only one label value (%g); need two classes",
                             path, cols, lo);
        goto done;
    }
    repro_dataset *ds = repro_dataset_alloc(rows, cols - 1, 0, err);
    if (!ds) {
        rc = REPRO_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < rows; i++) {
        memcpy(ds->X + i * (cols - 1), vals + i * cols, (cols - 1) * sizeof *vals);
        ds->y[i] = vals[i * cols + cols - 1] == lo ? -1 : 1;
    }
    *out = ds;
done:
    free(line);
    free(cells);
    free(vals);
    fclose(f);
    return rc;
}

int repro_csv_write(const char *path, const repro_dataset *ds, repro_error *err)
{
    size_t tlen = strlen(path) + 16;
    char *tmp = repro_malloc(tlen, 1, err);
    if (!tmp)
        return REPRO_ENOMEM;
    snprintf(tmp, tlen, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        /* a missing or unwritable folder is the user's input, not an I/O fault */
        int e = errno;
        int bad_input = e == ENOENT || e == ENOTDIR || e == EACCES || e == EISDIR || e == EROFS ||
                        e == ENAMETOOLONG;
        int rc = repro_error_set(err, bad_input ? REPRO_EINVAL : REPRO_EIO, "%s: cannot write: %s", path,
                                 strerror(e));
        free(tmp);
        return rc;
    }
    for (size_t j = 0; j < ds->d; j++)
        fprintf(f, "x%zu,", j);
    fprintf(f, "y\n");
    for (size_t i = 0; i < ds->n; i++) {
        for (size_t j = 0; j < ds->d; j++)
            fprintf(f, "%.17g,", ds->X[i * ds->d + j]);
        fprintf(f, "%d\n", ds->y[i]);
    }
    int bad = ferror(f);
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, path) != 0) {
        int rc = repro_error_set(err, REPRO_EIO, "%s: write failed: %s", path, strerror(errno));
        remove(tmp);
        free(tmp);
        return rc;
    }
    free(tmp);
    return REPRO_OK;
}
