/* reduce_read.c - one result set from several results files (see reduce.h). */
#include "repro/reduce.h"

#include <stdlib.h>
#include <string.h>

/* Moves the records of part to the end of *all (parts's records are left
 * owning nothing) and appends its provenance. */
static int append(repro_result_set *all, repro_result_set *part, repro_error *err)
{
    repro_record *rec = realloc(all->rec, (all->n + part->n + 1) * sizeof *rec);
    if (!rec)
        return repro_error_set(err, REPRO_ENOMEM, "out of memory joining results");
    all->rec = rec;
    memcpy(all->rec + all->n, part->rec, part->n * sizeof *rec);
    all->n += part->n;
    memset(part->rec, 0, part->n * sizeof *rec);
    size_t a = all->provenance ? strlen(all->provenance) : 0;
    size_t b = part->provenance ? strlen(part->provenance) : 0;
    if (b) {
        char *p = realloc(all->provenance, a + b + 2);
        if (!p)
            return repro_error_set(err, REPRO_ENOMEM, "out of memory joining results");
        if (a && p[a - 1] != '\n')
            p[a++] = '\n';
        memcpy(p + a, part->provenance, b + 1);
        all->provenance = p;
    }
    return REPRO_OK;
}

int repro_results_read_many(const char *const *paths, size_t n, repro_result_set **out,
                            repro_error *err)
{
    *out = NULL;
    repro_result_set *all = NULL;
    for (size_t i = 0; i < n; i++) {
        repro_result_set *part = NULL;
        int rc = repro_results_read(paths[i], &part, err);
        if (!rc && !all) {
            all = part;
            continue;
        }
        if (!rc)
            rc = append(all, part, err);
        repro_result_set_free(part);
        if (rc) {
            repro_result_set_free(all);
            return rc;
        }
    }
    if (!all)
        return repro_error_set(err, REPRO_EINVAL, "no results file given");
    *out = all;
    return REPRO_OK;
}
