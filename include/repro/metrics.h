/* metrics.h - scores of relevance vectors against the truth (ALGORITHMS.md
 * §13) and of predicted labels against true labels. */
#ifndef REPRO_METRICS_H
#define REPRO_METRICS_H

#include <stddef.h>

typedef struct repro_prf {
    double precision, recall, f1;
} repro_prf;

/* All-relevant problem: positives are features with class > 0, in truth and
 * in pred. A 0/0 precision or recall takes the value zero_div (0 in the
 * paper's sim_scores, like scikit-learn); F1 is 0 when precision and recall
 * are both 0, else their harmonic mean. */
repro_prf repro_metrics_all_relevant(const int *truth, const int *pred, size_t d, double zero_div);

/* One relevance class: truth (truth[j] == cls) against prediction
 * (pred[j] == cls). A 0/0 precision or recall takes the value zero_div (the
 * paper's per-class tables use 1). */
repro_prf repro_metrics_class(const int *truth, const int *pred, size_t d, int cls,
                              double zero_div);

/* Fraction of equal labels. */
double repro_metrics_accuracy(const int *y, const int *pred, size_t n);

/* scikit-learn's f1_score(average="weighted") for labels -1/+1: each class's
 * F1 (0 when undefined) weighted by that class's share of y. */
double repro_metrics_f1_weighted(const int *y, const int *pred, size_t n);

#endif
