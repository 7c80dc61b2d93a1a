/* metrics.c - relevance and label scores (see metrics.h). */
#include "repro/metrics.h"

static repro_prf prf_from_counts(size_t tp, size_t fp, size_t fn, double zero_div)
{
    repro_prf r;
    r.precision = (tp + fp) ? (double)tp / (double)(tp + fp) : zero_div;
    r.recall = (tp + fn) ? (double)tp / (double)(tp + fn) : zero_div;
    double s = r.precision + r.recall;
    r.f1 = s > 0 ? 2.0 * r.precision * r.recall / s : 0.0;
    return r;
}

repro_prf repro_metrics_all_relevant(const int *truth, const int *pred, size_t d, double zero_div)
{
    size_t tp = 0, fp = 0, fn = 0;
    for (size_t j = 0; j < d; j++) {
        int t = truth[j] > 0, p = pred[j] > 0;
        tp += t && p;
        fp += !t && p;
        fn += t && !p;
    }
    return prf_from_counts(tp, fp, fn, zero_div);
}

repro_prf repro_metrics_class(const int *truth, const int *pred, size_t d, int cls,
                              double zero_div)
{
    size_t tp = 0, fp = 0, fn = 0;
    for (size_t j = 0; j < d; j++) {
        int t = truth[j] == cls, p = pred[j] == cls;
        tp += t && p;
        fp += !t && p;
        fn += t && !p;
    }
    return prf_from_counts(tp, fp, fn, zero_div);
}

double repro_metrics_accuracy(const int *y, const int *pred, size_t n)
{
    if (n == 0)
        return 0.0;
    size_t ok = 0;
    for (size_t i = 0; i < n; i++)
        ok += y[i] == pred[i];
    return (double)ok / (double)n;
}

double repro_metrics_f1_weighted(const int *y, const int *pred, size_t n)
{
    if (n == 0)
        return 0.0;
    double total = 0.0;
    for (int cls = -1; cls <= 1; cls += 2) {
        size_t tp = 0, fp = 0, fn = 0, support = 0;
        for (size_t i = 0; i < n; i++) {
            int t = y[i] == cls, p = pred[i] == cls;
            tp += t && p;
            fp += !t && p;
            fn += t && !p;
            support += t;
        }
        repro_prf r = prf_from_counts(tp, fp, fn, 0.0);
        total += r.f1 * (double)support;
    }
    return total / (double)n;
}
