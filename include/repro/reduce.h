/* reduce.h - the paper's tables and figures from a results set, and the
 * verification of the reproduced numbers against the published ones.
 *
 * Results are read only through record.h. Tables go to
 * OUT/tables/GROUP/NAME.{tex,csv}, figures to OUT/figures/..., the report to
 * OUT/REPORT.md. Nothing here is collective: call it on one rank. */
#ifndef REPRO_REDUCE_H
#define REPRO_REDUCE_H

#include <stddef.h>
#include <stdint.h>
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

enum { REPRO_MAX_TABLES = 16, REPRO_MAX_SWEEP = 1000 };

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
    size_t seeds;                          /* seeds of the results (1, or a sweep's) */
    size_t summary_rows;                   /* rows of the generic summary (0: none) */
    int summary_only;                      /* no experiment of the paper: REPORT.md is the summary */
} repro_reduce_stats;

/* 1 if name is an experiment of the paper's job files. */
int repro_is_paper_experiment(const char *name);
/* The generic summary of the records of experiments that are not the
 * paper's (*out NULL if there are none): table summary/jobs with a row per
 * experiment x data set x model (first appearance order) holding the jobs
 * done and failed and, over the finished jobs (repeats and seeds pooled),
 * the mean (and sample sd, from two jobs on) of each stored score
 * (record.h), the training score and the fit seconds; "not applicable" where
 * no finished job has the value (e.g. per-class scores of a selector). */
int repro_reduce_summary(const repro_result_set *set, repro_table **out, repro_error *err);
/* Writes the summary as a Markdown table, cells "mean ± sd". */
int repro_reduce_summary_markdown(const repro_table *t, FILE *f, repro_error *err);
/* Writes the report of results without the paper's experiments to path
 * (through a temporary file): what the summary is, the job counts, the
 * summary table and the provenance. */
int repro_reduce_summary_report(const repro_table *t, const repro_reduce_stats *stats, const char *path,
                                repro_error *err);

/* A sweep's tables: every seed's tables (as a single-seed run of that seed
 * gives), seeds ascending. */
typedef struct repro_sweep {
    size_t n;
    uint64_t *seeds;
    repro_tables *per; /* n table sets */
} repro_sweep;

/* The distinct seeds of the records of set (ascending) into seeds (room
 * for max); returns how many there are (may exceed max). */
size_t repro_set_seeds(const repro_result_set *set, uint64_t *seeds, size_t max);
/* Each seed's tables of set. */
int repro_sweep_tables(const repro_result_set *set, repro_sweep *out, repro_error *err);
/* Reads each seed's tables back from OUTDIR/seeds/SEED/tables (an empty
 * sweep if there is no OUTDIR/seeds). */
int repro_sweep_read_dir(const char *outdir, repro_sweep *out, repro_error *err);
/* Frees a sweep's tables and empties it. */
void repro_sweep_free(repro_sweep *sw);
/* The values of one cell over the seeds (NAN-free, seed order) into v
 * (room for sw->n); returns how many. */
size_t repro_sweep_cell(const repro_sweep *sw, const char *table, const char *const *keys,
                        const char *col, double *v);
/* The across-seed tables: each cell the mean over seeds with the standard
 * deviation as its spread, shaped like the first seed's tables. */
int repro_sweep_mean_tables(const repro_sweep *sw, repro_tables *out, repro_error *err);
/* Writes DIR/tables/GROUP/NAME_seeds.csv for every table: per cell the
 * number of seeds, mean, sd and the 2.5/50/97.5 % quantiles over seeds. */
int repro_sweep_write_stats(const repro_sweep *sw, const char *dir, repro_error *err);

/* Reads one or more results files (runs done in pieces) into one set:
 * records in file order, provenance texts joined. */
int repro_results_read_many(const char *const *paths, size_t n, repro_result_set **out,
                            repro_error *err);
/* repro_results_read_many that refuses (REPRO_EINVAL, naming the first
 * such job and both files) a job finished in two files with different
 * results; a job whose rows are identical (same status, vectors, score and
 * extras) is counted once, and *identical (if not NULL) says how many. Seeds
 * stay apart: every record keeps its own seed. */
int repro_results_read_many_ex(const char *const *paths, size_t n, repro_result_set **out,
                               size_t *identical, repro_error *err);

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

/* repro_reduce that also hands back each seed's tables of a sweep in sweep
 * (if not NULL; empty for a single seed). A set of several seeds is reduced
 * per seed into outdir/seeds/SEED/{tables,figures} (each as a run of that
 * seed alone) and across seeds into outdir/tables (mean ± sd, and the
 * NAME_seeds.csv statistics). */
int repro_reduce_ex(const repro_result_set *set, const char *outdir, repro_tables *tables,
                    repro_sweep *sweep, repro_reduce_stats *stats, repro_error *err);
/* The whole reduction: tables and figures written into a temporary folder
 * inside outdir, then moved into place (outdir/tables, outdir/figures), so a
 * failure never leaves half-written output; a stale outdir/REPORT.md is
 * removed. Results with experiments that are not the paper's also get the
 * generic summary (repro_reduce_summary) as outdir/tables/summary/jobs.csv
 * and .tex; results with none of the paper's get it as outdir/REPORT.md too
 * (stats->summary_only). If tables is not NULL it receives the computed
 * tables (the paper's; never the summary). */
int repro_reduce(const repro_result_set *set, const char *outdir, repro_tables *tables,
                 repro_reduce_stats *stats, repro_error *err);

/* Result of a verification. */
/* Default allowed |ours - paper| of a score when verifying (the paper prints
 * scores to two decimals; 0.05 also absorbs the run-to-run spread of a
 * single seed). */
#define REPRO_VERIFY_TOLERANCE 0.05

typedef struct repro_verify_summary {
    size_t cells;        /* compared cells with a published value (scores and parameters) */
    size_t within;       /* of which within tolerance */
    size_t missing;      /* of which we have no value for */
    size_t runtime_cells;/* runtime cells compared as ratios (informational) */
    double runtime_ratio_median; /* median of ours/paper over those with paper > 0 */
    size_t claims, held, undetermined;
    /* the verdict of a sweep (seeds > 1): published score cells placed in
     * our across-seed distribution */
    size_t seeds;        /* seeds it rests on (0: not a sweep) */
    size_t v_cells, v_consistent, v_higher, v_lower, v_weak, v_missing;
    double claim_share[16]; /* per claim: share of the decided seeds where it holds */
    size_t claim_decided[16]; /* per claim: seeds where it could be decided */
} repro_verify_summary;

/* Fewest seeds for a 95 % band; below it only the weak ±tol comparison. */
#define REPRO_VERDICT_MIN_SEEDS 10

typedef enum {
    REPRO_VERDICT_CONSISTENT,   /* the printed value's rounding interval meets our 95 % band */
    REPRO_VERDICT_PAPER_HIGHER, /* above the band */
    REPRO_VERDICT_PAPER_LOWER,  /* below the band */
    REPRO_VERDICT_WEAK_WITHIN,  /* fewer than 10 seeds: our mean within ±tol */
    REPRO_VERDICT_WEAK_OUTSIDE, /* fewer than 10 seeds: our mean outside ±tol */
    REPRO_VERDICT_MISSING       /* no value of ours */
} repro_verdict_kind;

/* One published cell placed in our values over seeds. */
typedef struct repro_cell_verdict {
    size_t n;          /* our values (seeds) */
    double mean;
    double lo, hi;     /* the central 95 % band (2.5 and 97.5 % quantiles); NAN below 10 */
    double percentile; /* share (in %) of our values below the printed value (ties within its
                          rounding count half) */
    repro_verdict_kind verdict;
} repro_cell_verdict;

/* Judges a published value printed with two decimals (so meaning
 * [paper - 0.005, paper + 0.005]) against ours[0..n) (one value per seed). */
void repro_verdict_cell(const double *ours, size_t n, double paper, double tol,
                        repro_cell_verdict *out);

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
/* repro_verify of a sweep: ours are the across-seed tables, sw each seed's.
 * The report leads with the verdict (each published score cell in our
 * across-seed distribution, the claims' shares of seeds), then the ±tol
 * comparison of the across-seed means. sw NULL or of one seed: repro_verify. */
int repro_verify_sweep(const repro_tables *ours, const repro_sweep *sw, double tol,
                       const repro_reduce_stats *stats, FILE *report, repro_verify_summary *sum,
                       repro_error *err);
/* repro_verify_sweep writing OUTDIR/REPORT.md, and for a sweep the figure
 * OUTDIR/figures/verdict/TABLE.{pdf,png} (our band per cell, the paper's
 * value marked). */
int repro_verify_write_sweep(const repro_tables *ours, const repro_sweep *sw, double tol,
                             const repro_reduce_stats *stats, const char *outdir,
                             repro_verify_summary *sum, repro_error *err);
/* Prints the two-line summary of a reduction and verification. */
void repro_verify_print_summary(FILE *f, const repro_reduce_stats *stats,
                                const repro_verify_summary *sum, double tol);

/* After a run: reads results_path, reduces into outdir, verifies with the
 * default tolerance (0.05), writes outdir/REPORT.md and prints the summary
 * to summary (if not NULL). */
int repro_reduce_paper(const char *results_path, const char *outdir, FILE *summary,
                       repro_error *err);

#endif
