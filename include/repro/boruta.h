/* boruta.h - Boruta all-relevant feature selection with BorutaPy semantics
 * as configured by SQ (ALGORITHMS.md §6): a random forest on the
 * not-rejected columns plus row-permuted shadow copies, hits against the
 * perc-th percentile of the shadow importances, binomial tests with the
 * two-step (Benjamini-Hochberg and Bonferroni) correction. */
#ifndef REPRO_BORUTA_H
#define REPRO_BORUTA_H

#include <stddef.h>

#include "repro/error.h"
#include "repro/forest.h"
#include "repro/rng.h"

typedef struct repro_boruta_params {
    repro_forest_params forest; /* n_trees is used only if auto_trees is 0 */
    int auto_trees;             /* 1: T = int(100 * 2m / (sqrt(2m) * max_depth)) */
    double perc;                /* shadow percentile (default 70) */
    double alpha;               /* test level (default 0.01) */
    int max_iter;               /* iterations run while i < max_iter, i from 1 (default 100) */
    int two_step;               /* BH and Bonferroni (1, default) or Bonferroni only (0) */
} repro_boruta_params;

/* Defaults: forest depth 5, 32 leaves, feature_fraction 0.1, auto trees,
 * perc 70, alpha 0.01, max_iter 100, two-step. */
void repro_boruta_params_default(repro_boruta_params *p);

typedef struct repro_boruta_result {
    size_t d;
    int *decision;      /* +1 accepted, 0 tentative, -1 rejected */
    int *hits;          /* iterations in which the feature beat the shadows */
    double *importance; /* gain importances of the last iteration (0 if rejected before it) */
    int n_iter;         /* forest fits done */
} repro_boruta_result;

/* Runs Boruta on binned data with labels y in {-1,+1}. Each iteration draws
 * a new forest stream from rng and then the shadow permutations. Forests use
 * up to `threads` threads (results do not depend on it). */
int repro_boruta_fit(repro_rng *rng, const repro_forest_bins *bins, const int *y,
                     const repro_boruta_params *p, int threads, repro_boruta_result *out,
                     repro_error *err);

/* Frees what a result owns; safe on a zeroed struct. */
void repro_boruta_result_clear(repro_boruta_result *res);

/* Estimated seconds of one Boruta run on n rows and d features on one core
 * (for scheduling; SQ's first step is this run). */
double repro_boruta_cost(size_t n, size_t d);

#endif
