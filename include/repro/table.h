/* table.h - a small numeric table with text key columns: what the reduction
 * computes, writes as LaTeX (booktabs, multirow) and CSV, and what the
 * verification reads back and compares with the published values. */
#ifndef REPRO_TABLE_H
#define REPRO_TABLE_H

#include <stddef.h>
#include <stdio.h>

#include "repro/error.h"

/* A cell's value is NAN when missing; na[] tells a "not applicable" cell
 * (e.g. the weakly-relevant scores of a set without weakly relevant
 * features) from a missing one (no finished job contributed). */
typedef struct repro_table {
    char group[48];     /* output sub folder, e.g. "toy_benchmarks" */
    char name[48];      /* file stem, e.g. "sim_scores" */
    size_t n_keys;      /* leading text columns (e.g. "metric","set") */
    size_t n_vals;      /* numeric columns */
    size_t n_rows;
    char **head;        /* n_keys + n_vals column names */
    char **key;         /* n_rows * n_keys texts */
    double *v;          /* n_rows * n_vals values */
    unsigned char *na;  /* n_rows * n_vals: 1 = not applicable */
    int decimals;       /* digits printed in LaTeX (CSV prints 4, or 0 if decimals is 0) */
    double *sd;         /* NULL, or n_rows * n_vals spreads (NAN: none): printed as
                           "v ± sd" in LaTeX and as COL_sd columns after the values in CSV */
    size_t n_counts;    /* leading value columns that hold counts: printed as whole
                           numbers in every format (0: none) */
} repro_table;

/* Allocates a table with the given columns and no rows; heads are copied.
 * Returns NULL (err filled) on failure. */
repro_table *repro_table_alloc(const char *group, const char *name, size_t n_keys,
                               size_t n_vals, const char *const *head, repro_error *err);
/* Frees a table; NULL is a no-op. */
void repro_table_free(repro_table *t);
/* Appends a row with its keys (n_keys strings) and all values missing;
 * returns its index, or (size_t)-1 with err filled. */
size_t repro_table_add_row(repro_table *t, const char *const *keys, repro_error *err);
/* Value of a cell, by row index and value column index. */
double repro_table_get(const repro_table *t, size_t row, size_t col);
/* Sets a cell. */
void repro_table_set(repro_table *t, size_t row, size_t col, double v);
/* Sets the spread of a cell (allocates t->sd, all NAN, on first use; call
 * once every row is added). Returns REPRO_ENOMEM (err filled) on failure. */
int repro_table_set_sd(repro_table *t, size_t row, size_t col, double sd, repro_error *err);
/* Index of the value column named name, or (size_t)-1. */
size_t repro_table_col(const repro_table *t, const char *name);
/* Index of the first row whose keys equal keys (n_keys strings; a NULL
 * entry matches anything), or (size_t)-1. */
size_t repro_table_find(const repro_table *t, const char *const *keys);
/* Number of missing cells (NAN and not "not applicable"). */
size_t repro_table_missing(const repro_table *t);

/* Writes the table as CSV (header line, empty field for a missing cell). */
int repro_table_write_csv(const repro_table *t, FILE *f, repro_error *err);
/* Writes the table as a LaTeX tabular with booktabs rules; consecutive equal
 * first keys of a two-key table are merged with multirow, and value columns
 * named A_B are given a two-level header. Missing cells print "-". */
int repro_table_write_latex(const repro_table *t, FILE *f, repro_error *err);
/* Writes the table as a Markdown table (for the report). */
int repro_table_write_markdown(const repro_table *t, FILE *f, repro_error *err);
/* Writes one value cell of a Markdown table ("| text "). */
typedef void (*repro_table_md_cell)(FILE *f, const repro_table *t, size_t row, size_t col);
/* repro_table_write_markdown with the value cells written by cell. */
int repro_table_write_markdown_with(const repro_table *t, FILE *f, repro_table_md_cell cell,
                                    repro_error *err);

/* Parses CSV text (as written by repro_table_write_csv or published) with
 * n_keys leading text columns; empty fields are missing. Fails with
 * REPRO_EINVAL naming `what` on malformed text. */
int repro_table_parse_csv(const char *text, const char *group, const char *name, size_t n_keys,
                          const char *what, repro_table **out, repro_error *err);

#endif
