/* record.c - in-memory job records (see record.h). */
#include "repro/record.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "repro/metrics.h"

repro_result_set *repro_result_set_alloc(size_t n, repro_error *err)
{
    repro_result_set *s = repro_calloc(1, sizeof *s, err);
    if (!s)
        return NULL;
    s->rec = repro_calloc(n ? n : 1, sizeof *s->rec, err);
    if (!s->rec) {
        free(s);
        return NULL;
    }
    s->n = n;
    return s;
}

void repro_record_clear(repro_record *r)
{
    free(r->relevance);
    free(r->truth);
    free(r->importance);
    free(r->bounds);
    free(r->extras_json);
    free(r->message);
    memset(r, 0, sizeof *r);
}

void repro_result_set_free(repro_result_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->n; i++)
        repro_record_clear(&set->rec[i]);
    free(set->rec);
    free(set->provenance);
    free(set->job_files);
    free(set);
}

int repro_record_init(repro_record *r, size_t d, int with_importance, int with_bounds,
                      repro_error *err)
{
    r->d = d;
    r->relevance = repro_malloc(d, sizeof *r->relevance, err);
    r->truth = repro_malloc(d, sizeof *r->truth, err);
    if (!r->relevance || !r->truth)
        return REPRO_ENOMEM;
    memset(r->relevance, -1, d);
    memset(r->truth, -1, d);
    if (with_importance && !(r->importance = repro_calloc(d, sizeof *r->importance, err)))
        return REPRO_ENOMEM;
    if (with_bounds && !(r->bounds = repro_calloc(2 * d, sizeof *r->bounds, err)))
        return REPRO_ENOMEM;
    return REPRO_OK;
}

void repro_job_scores_none(repro_job_scores *out)
{
    out->precision = out->recall = out->f1 = NAN;
    out->weak_precision = out->weak_recall = NAN;
    out->strong_precision = out->strong_recall = NAN;
}

int repro_job_scores_compute(const int8_t *truth, const int8_t *pred, size_t d, int with_classes,
                             repro_job_scores *out, repro_error *err)
{
    repro_job_scores_none(out);
    if (d == 0)
        return REPRO_OK;
    int *t = repro_malloc(d, sizeof *t, err), *p = repro_malloc(d, sizeof *p, err);
    if (!t || !p) {
        free(t);
        free(p);
        return REPRO_ENOMEM;
    }
    for (size_t j = 0; j < d; j++) {
        t[j] = truth[j];
        p[j] = pred[j];
    }
    repro_prf all = repro_metrics_all_relevant(t, p, d, 0.0);
    out->precision = all.precision;
    out->recall = all.recall;
    out->f1 = all.f1;
    if (with_classes) {
        repro_prf weak = repro_metrics_class(t, p, d, 1, 1.0), strong = repro_metrics_class(t, p, d, 2, 1.0);
        out->weak_precision = weak.precision;
        out->weak_recall = weak.recall;
        out->strong_precision = strong.precision;
        out->strong_recall = strong.recall;
    }
    free(t);
    free(p);
    return REPRO_OK;
}
