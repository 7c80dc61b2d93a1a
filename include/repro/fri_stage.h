/* fri_stage.h - FRI (fri.h) cut into the stages a scheduler can spread over
 * ranks: the C search by fold, the init model, and the independent work
 * items (a chunk of features, or one probe). repro_fri_fit runs exactly
 * these functions in one process; a staged run calls the same ones on any
 * ranks and gets the same bits, since no stage's result depends on where or
 * with how many threads it runs, nor on how items are grouped. */
#ifndef REPRO_FRI_STAGE_H
#define REPRO_FRI_STAGE_H

#include <stddef.h>

#include "repro/data.h"
#include "repro/error.h"
#include "repro/fri.h"
#include "repro/rng.h"

/* Folds of the search's cross-validation. */
#define REPRO_FRI_FOLDS 3
/* The most features one work item bounds (the earlier paths' chunk). */
#define REPRO_FRI_CHUNK_MAX 4

/* Checks options and data as repro_fri_fit does (REPRO_EINVAL). */
int repro_fri_check(const repro_dataset *ds, const repro_fri_options *opt, repro_error *err);

/* The search's first draws: n_search values 10^U(-5, 5) from rng, in order. */
void repro_fri_search_draw(repro_rng *rng, size_t n_search, double *Cs);
/* Fold f (< REPRO_FRI_FOLDS, folds by rule cv: REPRO_FRI_CV_*) of the search over Cs: writes the fold's
 * weighted F1 of every C to score[0..n_search) (NAN when its LP failed) and
 * adds its LP count to *n_lps. Only reads ds and Cs. */
int repro_fri_search_fold(const repro_dataset *ds, const double *Cs, size_t n_search, int f, int shortcut,
                          int cv, double *score, size_t *n_lps, repro_error *err);
/* The search's answer from the folds' scores (REPRO_FRI_FOLDS rows of
 * n_search): the first C with the best mean over the folds whose LP
 * succeeded; REPRO_EFAIL if every LP failed. */
int repro_fri_search_pick(const double *Cs, const double *score, size_t n_search, double *best_C,
                          repro_error *err);

/* The probes' draws (after the search's): n_probes upper-probe features,
 * their row permutations, then the same for the lower probes. */
typedef struct repro_fri_probes {
    size_t n_probes, n;
    size_t *feat; /* 2 n_probes: upper probes', then lower probes' */
    size_t *perm; /* 2 n_probes x n */
} repro_fri_probes;
int repro_fri_probes_draw(repro_rng *rng, size_t n_probes, size_t n, size_t d, repro_fri_probes *pr,
                          repro_error *err);
void repro_fri_probes_clear(repro_fri_probes *pr);

/* The init model: the L1-SVM with the chosen C on all data. */
typedef struct repro_fri_init {
    size_t d, n_basis;
    double C, b, L1, loss, train_f1;
    double *w;            /* d weights */
    unsigned char *basis; /* CLP status of its optimal basis (columns, then rows) */
    size_t n_lps;
    double seconds;       /* wall time of the fit (benchmarks) */
} repro_fri_init;
/* Fits it; REPRO_EFAIL if the LP has no optimum. */
int repro_fri_init_fit(const repro_dataset *ds, double C, repro_fri_init *init, repro_error *err);
void repro_fri_init_clear(repro_fri_init *init);

/* A bound's outcome: ok 1 optimal/feasible, 0 infeasible (a dropped probe),
 * -1 failed. value is raw (not normalised by L1). */
typedef struct repro_fri_bound {
    double value;
    int ok;
} repro_fri_bound;

/* What one work item found: a feature chunk's (lower, upper) pairs, or one
 * probe's bound in bound[0]; its LP count and wall time. */
typedef struct repro_fri_item {
    repro_fri_bound bound[2 * REPRO_FRI_CHUNK_MAX];
    size_t n_lps;
    double seconds;
} repro_fri_item;

/* Feature chunks of d features, and all work items: the chunks, then
 * n_probes upper and n_probes lower probes. */
size_t repro_fri_n_chunks(size_t d, const repro_fri_options *opt);
size_t repro_fri_n_items(size_t d, const repro_fri_options *opt);
/* Runs work item `it` from the init model and the probes' draws. Builds its
 * own solver, so its result does not depend on what else runs or where. */
int repro_fri_run_item(const repro_dataset *ds, const repro_fri_options *opt, const repro_fri_init *init,
                       const repro_fri_probes *pr, size_t it, repro_fri_item *out, repro_error *err);

/* The result from the init model and all items (in item order): bounds,
 * kept probes, thresholds, classes, counts and times. search_lps and
 * t_search are the search's (0 with a fixed C). Allocates what res owns. */
int repro_fri_assemble(size_t d, const repro_fri_options *opt, const repro_fri_init *init,
                       const repro_fri_item *items, size_t search_lps, double t_search,
                       repro_fri_result *res, repro_error *err);

#endif
