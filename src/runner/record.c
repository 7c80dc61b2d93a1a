/* record.c - in-memory job records (see record.h). */
#include "repro/record.h"

#include <stdlib.h>
#include <string.h>

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
