/* squamish.h - SQ, the paper's sequential feature classification
 * (ALGORITHMS.md §7): Boruta's all-relevant set, a minimal random-forest
 * model, shadow statistics from appended permuted columns, and a
 * permutation test of each minimal-model feature that splits the relevant
 * features into strongly (2) and weakly (1) relevant. */
#ifndef REPRO_SQUAMISH_H
#define REPRO_SQUAMISH_H

#include <stddef.h>

#include "repro/boruta.h"
#include "repro/data.h"
#include "repro/error.h"
#include "repro/forest.h"
#include "repro/gbdt.h"
#include "repro/rng.h"

/* How step 5 reads the score without a feature against the score interval. */
typedef enum repro_sq_test {
    REPRO_SQ_TEST_LOWER = 0, /* strongly relevant iff score < lower bound (squamish
                                before 2020-03-31, the published linear runs) */
    REPRO_SQ_TEST_TWO_SIDED = 1 /* strongly relevant iff outside the open interval
                                   (lower, upper) (ALGORITHMS.md §7, squamish 0.4.1,
                                   0.5.0) */
} repro_sq_test;

/* The minimal model of steps 2-4 (the minimal fit, the resampled fits of the
 * statistics and the importances MR is read from). */
typedef enum repro_sq_minimal {
    REPRO_SQ_MINIMAL_FOREST = 0, /* the random forest `forest`, gain importances
                                    (ALGORITHMS.md §7) */
    REPRO_SQ_MINIMAL_GBDT = 1    /* LightGBM's default gradient-boosted trees `gbdt`,
                                    split-count importances: what squamish's RF model
                                    fitted before its commit 189ae25 (2020-03-03) */
} repro_sq_minimal;

/* Which fit's importances MR is read from (step 4). */
typedef enum repro_sq_mr_fit {
    REPRO_SQ_MR_MINIMAL = 0,       /* the minimal model's (as specified) */
    REPRO_SQ_MR_LAST_RESAMPLE = 1  /* the last resampled fit's, on its first d columns:
                                      squamish before fae0153 (2020-03-04) refitted the
                                      minimal model object in place in step 3 */
} repro_sq_mr_fit;

typedef struct repro_sq_params {
    repro_boruta_params boruta; /* step 1 (feature_fraction 0.1, perc 100) */
    repro_forest_params forest; /* minimal model and refits (feature_fraction 0.8,
                                   min_child_rows 1) */
    size_t n_resampling;        /* shadow resamples (default 50) */
    double fpr;                 /* interval false-positive rate (default 1e-6) */
    repro_sq_test test;         /* step 5's comparison (default REPRO_SQ_TEST_TWO_SIDED) */
    repro_sq_minimal minimal_model; /* steps 2-4 (default REPRO_SQ_MINIMAL_FOREST);
                                       step 5 always refits `forest` */
    repro_gbdt_params gbdt;     /* the boosted minimal model (LightGBM's defaults) */
    repro_sq_mr_fit mr_fit;     /* step 4's importances (default REPRO_SQ_MR_MINIMAL) */
} repro_sq_params;

/* The published settings: see the fields above. */
void repro_sq_params_default(repro_sq_params *p);

typedef struct repro_sq_result {
    size_t d;
    int *relevance;      /* 0 irrelevant, 1 weakly, 2 strongly relevant */
    double train_score;  /* minimal model's training accuracy */
    double *importance;  /* minimal model's importances (gain; split counts for
                            the boosted minimal model) */
    double shadow_lo, shadow_hi; /* interval of appended-column importances */
    double score_lo, score_hi;   /* interval of the resampled training scores */
    size_t *ar, n_ar;    /* Boruta's accepted features (ascending) */
    size_t *mr, n_mr;    /* minimal-model features (importance > shadow_hi) */
} repro_sq_result;

/* Runs SQ on the rows of ds (labels in {-1,+1}), drawing only from rng:
 * Boruta first, then one forest stream for the minimal model and its
 * statistics, then one for the permutation tests. Forests use up to
 * `threads` threads (results do not depend on it). Fails with REPRO_EFAIL if
 * Boruta accepts no feature. */
int repro_sq_fit(repro_rng *rng, const repro_dataset *ds, const repro_sq_params *p, int threads,
                 repro_sq_result *out, repro_error *err);

/* 1 if a score without a feature is significant against the score interval
 * [lo, hi] under `test`, i.e. the feature is strongly relevant (step 5). */
int repro_sq_strongly(double score, double lo, double hi, repro_sq_test test);

/* Frees what a result owns; safe on a zeroed struct. */
void repro_sq_result_clear(repro_sq_result *res);

#endif
