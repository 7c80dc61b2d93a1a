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

/* Orders record indices by (seed, experiment, data set, repeat, model),
 * then by position (for qsort through a file-scope pointer-free key). */
typedef struct rec_key {
    const repro_record *r;
    size_t at;
} rec_key;

static int cmp_key(const void *a, const void *b)
{
    const repro_record *x = ((const rec_key *)a)->r, *y = ((const rec_key *)b)->r;
    int c;
    if (x->seed != y->seed)
        return x->seed < y->seed ? -1 : 1;
    if ((c = strcmp(x->experiment, y->experiment)) || (c = strcmp(x->dataset, y->dataset)))
        return c;
    if (x->repeat != y->repeat)
        return x->repeat < y->repeat ? -1 : 1;
    if ((c = strcmp(x->model, y->model)))
        return c;
    size_t i = ((const rec_key *)a)->at, j = ((const rec_key *)b)->at;
    return i < j ? -1 : i > j;
}

/* Whether two rows hold the same computed result (status, vectors, score,
 * extras; not the timing, rank or host). */
static int same_result(const repro_record *a, const repro_record *b)
{
    if (a->status != b->status || a->d != b->d || a->n != b->n ||
        memcmp(&a->train_score, &b->train_score, sizeof a->train_score) ||
        !a->importance != !b->importance || !a->bounds != !b->bounds ||
        !a->extras_json != !b->extras_json)
        return 0;
    size_t d = a->d;
    return (!d || (!memcmp(a->relevance, b->relevance, d) && !memcmp(a->truth, b->truth, d))) &&
           (!a->importance || !memcmp(a->importance, b->importance, d * sizeof(double))) &&
           (!a->bounds || !memcmp(a->bounds, b->bounds, 2 * d * sizeof(double))) &&
           (!a->extras_json || !strcmp(a->extras_json, b->extras_json));
}

/* Refuses a job finished (done or failed) in two of the files, naming the
 * first; identical rows are kept once (the later ones removed and counted
 * in *identical). */
static int check_duplicates(repro_result_set *all, const size_t *file_of, const char *const *paths,
                            size_t *identical, repro_error *err)
{
    rec_key *k = repro_malloc(all->n ? all->n : 1, sizeof *k, err);
    if (!k)
        return REPRO_ENOMEM;
    size_t m = 0;
    for (size_t i = 0; i < all->n; i++)
        if (all->rec[i].status == REPRO_JOB_DONE || all->rec[i].status == REPRO_JOB_FAILED)
            k[m++] = (rec_key){&all->rec[i], i};
    qsort(k, m, sizeof *k, cmp_key);
    int rc = REPRO_OK;
    for (size_t i = 1; i < m && !rc; i++) {
        const repro_record *a = k[i - 1].r, *b = k[i].r;
        if (a->seed != b->seed || strcmp(a->experiment, b->experiment) || strcmp(a->dataset, b->dataset) ||
            a->repeat != b->repeat || strcmp(a->model, b->model))
            continue;
        if (same_result(a, b)) {
            all->rec[k[i].at].status = -1; /* removed below: counted once */
            (*identical)++;
            k[i] = k[i - 1];
            continue;
        }
        rc = repro_error_set(err, REPRO_EINVAL,
                             "job seed %llu / %s / %s / repeat %u / %s is in both %s and %s with "
                             "different results; refusing to count it twice",
                             (unsigned long long)a->seed, a->experiment, a->dataset, a->repeat, a->model,
                             paths[file_of[k[i - 1].at]], paths[file_of[k[i].at]]);
    }
    free(k);
    size_t kept = 0;
    for (size_t i = 0; i < all->n; i++) {
        if (all->rec[i].status == -1) {
            repro_record_clear(&all->rec[i]);
            continue;
        }
        if (kept != i) {
            all->rec[kept] = all->rec[i];
            memset(&all->rec[i], 0, sizeof all->rec[i]);
        }
        kept++;
    }
    all->n = kept;
    return rc;
}

int repro_results_read_many(const char *const *paths, size_t n, repro_result_set **out,
                            repro_error *err)
{
    return repro_results_read_many_ex(paths, n, out, NULL, err);
}

int repro_results_read_many_ex(const char *const *paths, size_t n, repro_result_set **out,
                               size_t *identical, repro_error *err)
{
    size_t dummy = 0;
    if (!identical)
        identical = &dummy;
    *identical = 0;
    *out = NULL;
    size_t *file_of = repro_malloc(1, sizeof *file_of, err);
    if (!file_of)
        return REPRO_ENOMEM;
    repro_result_set *all = NULL;
    for (size_t i = 0; i < n; i++) {
        repro_result_set *part = NULL;
        int rc = repro_results_read(paths[i], &part, err);
        size_t before = all ? all->n : 0;
        if (!rc) {
            size_t *f = realloc(file_of, (before + part->n + 1) * sizeof *f);
            if (!f)
                rc = repro_error_set(err, REPRO_ENOMEM, "out of memory joining results");
            else
                file_of = f;
        }
        if (!rc)
            for (size_t j = 0; j < part->n; j++)
                file_of[before + j] = i;
        if (!rc && !all) {
            all = part;
            continue;
        }
        if (!rc)
            rc = append(all, part, err);
        repro_result_set_free(part);
        if (rc) {
            repro_result_set_free(all);
            free(file_of);
            return rc;
        }
    }
    if (!all) {
        free(file_of);
        return repro_error_set(err, REPRO_EINVAL, "no results file given");
    }
    int rc = n > 1 ? check_duplicates(all, file_of, paths, identical, err) : REPRO_OK;
    free(file_of);
    if (rc) {
        repro_result_set_free(all);
        return rc;
    }
    all->n_seeds = repro_set_seeds(all, NULL, 0);
    *out = all;
    return REPRO_OK;
}
