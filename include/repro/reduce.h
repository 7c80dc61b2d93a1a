/* reduce.h - the paper's tables and figures from a results set, and the
 * verification of the reproduced numbers against the published ones.
 *
 * Results are read only through record.h. Tables go to
 * OUT/tables/GROUP/NAME.{tex,csv}, figures to OUT/figures/..., the report to
 * OUT/REPORT.md. Nothing here is collective: call it on one rank. */
#ifndef REPRO_REDUCE_H
#define REPRO_REDUCE_H

#include <stddef.h>
#include <stdio.h>

#include "repro/error.h"
#include "repro/record.h"
#include "repro/table.h"

/* Experiment names in the results file. */
#define REPRO_EXP_TOY "toy_benchmarks"
#define REPRO_EXP_NL "NL_toy_benchmarks"
#define REPRO_EXP_FIG_1FF "figures_1ff"
#define REPRO_EXP_FIG_01FF "figures_01ff"
#define REPRO_EXP_THRESHOLD "featsel_threshold"

enum { REPRO_MAX_TABLES = 16 };

/* The tables of one reduction, in the paper's order. */
typedef struct repro_tables {
    size_t n;
    repro_table *t[REPRO_MAX_TABLES];
} repro_tables;

/* What a reduction found in the results. */
typedef struct repro_reduce_stats {
    size_t records, done, failed, pending; /* jobs by status */
    size_t cells, missing;                 /* table cells, of which missing ("-") */
    size_t figures, figures_missing;       /* figure files expected, of which not drawn */
    char provenance[1024];                 /* the results file's provenance text, or "" */
} repro_reduce_stats;

/* Reads one or more results files (runs done in pieces) into one set:
 * records in file order, provenance texts joined. */
int repro_results_read_many(const char *const *paths, size_t n, repro_result_set **out,
                            repro_error *err);

/* Frees the tables of a set and empties it. */
void repro_tables_clear(repro_tables *ts);
/* The table named name (e.g. "sim_scores") in ts, or NULL. */
const repro_table *repro_tables_get(const repro_tables *ts, const char *name);

/* Computes every table of the paper from the finished jobs of set (failed or
 * absent jobs leave "-" cells); fills stats' job and cell counts. */
int repro_reduce_tables(const repro_result_set *set, repro_tables *out,
                        repro_reduce_stats *stats, repro_error *err);
/* Writes each table of ts as DIR/tables/GROUP/NAME.tex and .csv. */
int repro_reduce_write_tables(const repro_tables *ts, const char *dir, repro_error *err);
/* Draws the figures of the paper (PDF and PNG) under DIR/figures from the
 * figure experiments of set; counts drawn and missing files in stats. */
int repro_reduce_figures(const repro_result_set *set, const char *dir, repro_reduce_stats *stats,
                         repro_error *err);

/* The whole reduction: tables and figures written into a temporary folder
 * inside outdir, then moved into place (outdir/tables, outdir/figures), so a
 * failure never leaves half-written output; a stale outdir/REPORT.md is
 * removed. If tables is not NULL it receives the computed tables. */
int repro_reduce(const repro_result_set *set, const char *outdir, repro_tables *tables,
                 repro_reduce_stats *stats, repro_error *err);

/* Result of a verification. */
typedef struct repro_verify_summary {
    size_t cells;        /* compared cells with a published value (scores and parameters) */
    size_t within;       /* of which within tolerance */
    size_t missing;      /* of which we have no value for */
    size_t runtime_cells;/* runtime cells compared as ratios (informational) */
    double runtime_ratio_median; /* median of ours/paper over those with paper > 0 */
    size_t claims, held, undetermined;
} repro_verify_summary;

/* Loads the published tables (embedded in the program). */
int repro_reference_tables(repro_tables *out, repro_error *err);
/* Reads our tables back from OUTDIR/tables/GROUP/NAME.csv (absent files
 * leave the table out). Fails with REPRO_EINVAL if none is found. */
int repro_tables_read_dir(const char *outdir, repro_tables *out, repro_error *err);

/* Counts the cells and missing cells of ts into stats (no job counts). */
void repro_tables_count(const repro_tables *ts, repro_reduce_stats *stats);

/* Compares ours with the published tables: every cell (scores within tol,
 * parameters exactly, runtimes as ratios) and the paper's claims. Writes the
 * Markdown report to report if not NULL (stats, if not NULL, adds the job
 * counts and missing cells of the reduction). */
int repro_verify(const repro_tables *ours, double tol, const repro_reduce_stats *stats,
                 FILE *report, repro_verify_summary *sum, repro_error *err);
/* repro_verify writing OUTDIR/REPORT.md (through a temporary file). */
int repro_verify_write(const repro_tables *ours, double tol, const repro_reduce_stats *stats,
                       const char *outdir, repro_verify_summary *sum, repro_error *err);
/* Prints the two-line summary of a reduction and verification. */
void repro_verify_print_summary(FILE *f, const repro_reduce_stats *stats,
                                const repro_verify_summary *sum, double tol);

/* After a run: reads results_path, reduces into outdir, verifies with the
 * default tolerance (0.05), writes outdir/REPORT.md and prints the summary
 * to summary (if not NULL). */
int repro_reduce_paper(const char *results_path, const char *outdir, FILE *summary,
                       repro_error *err);

#endif
