/* reduce_seeds.c - a sweep's tables: each seed's own tables and the
 * across-seed mean, spread and quantiles of every cell (see reduce.h). */
#include "repro/reduce.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repro/fsutil.h"
#include "repro/stats.h"

/* Orders seeds ascending (for qsort). */
static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

size_t repro_set_seeds(const repro_result_set *set, uint64_t *seeds, size_t max)
{
    uint64_t *all = malloc((set->n ? set->n : 1) * sizeof *all);
    if (!all) { /* no room to sort: the slow count */
        size_t n = 0;
        for (size_t i = 0; i < set->n; i++) {
            size_t j = 0;
            while (j < i && set->rec[j].seed != set->rec[i].seed)
                j++;
            n += j == i;
        }
        return n;
    }
    for (size_t i = 0; i < set->n; i++)
        all[i] = set->rec[i].seed;
    qsort(all, set->n, sizeof *all, cmp_u64);
    size_t n = 0;
    for (size_t i = 0; i < set->n; i++)
        if (i == 0 || all[i] != all[i - 1]) {
            if (n < max)
                seeds[n] = all[i];
            n++;
        }
    free(all);
    return n;
}

void repro_sweep_free(repro_sweep *sw)
{
    for (size_t i = 0; sw->per && i < sw->n; i++)
        repro_tables_clear(&sw->per[i]);
    free(sw->per);
    free(sw->seeds);
    memset(sw, 0, sizeof *sw);
}

/* Room for n seeds' tables. */
static int sweep_alloc(repro_sweep *sw, size_t n, repro_error *err)
{
    memset(sw, 0, sizeof *sw);
    sw->seeds = repro_calloc(n ? n : 1, sizeof *sw->seeds, err);
    sw->per = repro_calloc(n ? n : 1, sizeof *sw->per, err);
    if (!sw->seeds || !sw->per) {
        free(sw->seeds);
        free(sw->per);
        memset(sw, 0, sizeof *sw);
        return REPRO_ENOMEM;
    }
    return REPRO_OK;
}

int repro_sweep_tables(const repro_result_set *set, repro_sweep *out, repro_error *err)
{
    size_t n = repro_set_seeds(set, NULL, 0);
    int rc = sweep_alloc(out, n, err);
    if (rc)
        return rc;
    repro_set_seeds(set, out->seeds, n);
    /* a view of one seed's records: shallow copies, owning nothing */
    repro_result_set view = *set;
    view.rec = repro_malloc(set->n ? set->n : 1, sizeof *view.rec, err);
    if (!view.rec) {
        repro_sweep_free(out);
        return REPRO_ENOMEM;
    }
    for (size_t s = 0; s < n && !rc; s++) {
        view.n = 0;
        for (size_t i = 0; i < set->n; i++)
            if (set->rec[i].seed == out->seeds[s])
                view.rec[view.n++] = set->rec[i];
        view.seed = out->seeds[s];
        view.n_seeds = 1;
        repro_reduce_stats st;
        rc = repro_reduce_tables(&view, &out->per[s], &st, err);
        out->n = s + 1;
    }
    free(view.rec);
    if (rc)
        repro_sweep_free(out);
    return rc;
}


int repro_sweep_read_dir(const char *outdir, repro_sweep *out, repro_error *err)
{
    memset(out, 0, sizeof *out);
    char path[4096];
    snprintf(path, sizeof path, "%s/seeds", outdir);
    DIR *d = opendir(path);
    if (!d)
        return REPRO_OK;
    uint64_t seeds[REPRO_MAX_SWEEP];
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        char *end = NULL;
        if (e->d_name[0] < '0' || e->d_name[0] > '9')
            continue;
        errno = 0;
        unsigned long long v = strtoull(e->d_name, &end, 10);
        if (errno || *end)
            continue;
        if (n == REPRO_MAX_SWEEP) {
            closedir(d);
            return repro_error_set(err, REPRO_EINVAL, "%s: more than %d seeds", path, REPRO_MAX_SWEEP);
        }
        seeds[n++] = v;
    }
    closedir(d);
    qsort(seeds, n, sizeof *seeds, cmp_u64);
    int rc = sweep_alloc(out, n, err);
    for (size_t s = 0; s < n && !rc; s++) {
        snprintf(path, sizeof path, "%s/seeds/%llu", outdir, (unsigned long long)seeds[s]);
        out->seeds[s] = seeds[s];
        rc = repro_tables_read_dir(path, &out->per[s], err);
        out->n = s + 1;
    }
    if (rc)
        repro_sweep_free(out);
    return rc;
}

size_t repro_sweep_cell(const repro_sweep *sw, const char *table, const char *const *keys,
                        const char *col, double *v)
{
    size_t m = 0;
    for (size_t s = 0; s < sw->n; s++) {
        const repro_table *t = repro_tables_get(&sw->per[s], table);
        if (!t)
            continue;
        size_t r = repro_table_find(t, keys), c = repro_table_col(t, col);
        if (r == (size_t)-1 || c == (size_t)-1)
            continue;
        double x = repro_table_get(t, r, c);
        if (!isnan(x))
            v[m++] = x;
    }
    return m;
}

/* Mean and sample standard deviation of v[0..m) (sd NAN below 2 values). */
static void mean_sd(const double *v, size_t m, double *mean, double *sd)
{
    double s = 0, q = 0;
    for (size_t i = 0; i < m; i++)
        s += v[i];
    *mean = m ? s / (double)m : NAN;
    for (size_t i = 0; i < m; i++)
        q += (v[i] - *mean) * (v[i] - *mean);
    *sd = m >= 2 ? sqrt(q / (double)(m - 1)) : NAN;
}

int repro_sweep_mean_tables(const repro_sweep *sw, repro_tables *out, repro_error *err)
{
    memset(out, 0, sizeof *out);
    if (!sw->n)
        return REPRO_OK;
    double *v = repro_malloc(sw->n, sizeof *v, err);
    if (!v)
        return REPRO_ENOMEM;
    int rc = REPRO_OK;
    const repro_tables *first = &sw->per[0];
    for (size_t i = 0; i < first->n && !rc; i++) {
        const repro_table *f = first->t[i];
        repro_table *t = repro_table_alloc(f->group, f->name, f->n_keys, f->n_vals,
                                           (const char *const *)f->head, err);
        if (!t) {
            rc = err->code ? err->code : REPRO_ENOMEM;
            break;
        }
        t->decimals = f->decimals;
        out->t[out->n++] = t;
        for (size_t r = 0; r < f->n_rows && !rc; r++)
            if (repro_table_add_row(t, (const char *const *)f->key + r * f->n_keys, err) == (size_t)-1)
                rc = err->code ? err->code : REPRO_ENOMEM;
        for (size_t r = 0; r < f->n_rows && !rc; r++)
            for (size_t c = 0; c < f->n_vals && !rc; c++) {
                size_t m = repro_sweep_cell(sw, f->name, (const char *const *)f->key + r * f->n_keys,
                                            f->head[f->n_keys + c], v);
                double mean, sd;
                mean_sd(v, m, &mean, &sd);
                repro_table_set(t, r, c, mean);
                t->na[r * f->n_vals + c] = f->na[r * f->n_vals + c];
                if (f->decimals && !isnan(sd))
                    rc = repro_table_set_sd(t, r, c, sd, err);
            }
    }
    free(v);
    if (rc)
        repro_tables_clear(out);
    return rc;
}

/* Writes one table's NAME_seeds.csv. */
static int write_stats(const repro_sweep *sw, const repro_table *f, const char *path, double *v,
                       repro_error *err)
{
    FILE *o = fopen(path, "w");
    if (!o)
        return repro_error_set(err, REPRO_EIO, "cannot write %s: %s", path, strerror(errno));
    for (size_t k = 0; k < f->n_keys; k++)
        fprintf(o, "%s,", f->head[k]);
    fputs("column,seeds,mean,sd,q2.5,q50,q97.5\n", o);
    for (size_t r = 0; r < f->n_rows; r++)
        for (size_t c = 0; c < f->n_vals; c++) {
            const char *const *keys = (const char *const *)f->key + r * f->n_keys;
            size_t m = repro_sweep_cell(sw, f->name, keys, f->head[f->n_keys + c], v);
            for (size_t k = 0; k < f->n_keys; k++)
                fprintf(o, "%s,", keys[k]);
            fprintf(o, "%s,%zu", f->head[f->n_keys + c], m);
            double mean, sd;
            mean_sd(v, m, &mean, &sd);
            double q[3] = {repro_quantile(v, m, 0.025), repro_quantile(v, m, 0.5),
                           repro_quantile(v, m, 0.975)};
            double all[5] = {mean, sd, q[0], q[1], q[2]};
            for (int k = 0; k < 5; k++) {
                fputc(',', o);
                if (!isnan(all[k]))
                    fprintf(o, "%.6f", all[k]);
            }
            fputc('\n', o);
        }
    int bad = ferror(o);
    if (fclose(o) || bad)
        return repro_error_set(err, REPRO_EIO, "cannot write %s", path);
    return REPRO_OK;
}

int repro_sweep_write_stats(const repro_sweep *sw, const char *dir, repro_error *err)
{
    if (!sw->n)
        return REPRO_OK;
    double *v = repro_malloc(sw->n, sizeof *v, err);
    if (!v)
        return REPRO_ENOMEM;
    int rc = REPRO_OK;
    const repro_tables *first = &sw->per[0];
    for (size_t i = 0; i < first->n && !rc; i++) {
        char sub[4096], path[4200];
        snprintf(sub, sizeof sub, "%s/tables/%s", dir, first->t[i]->group);
        snprintf(path, sizeof path, "%s/%s_seeds.csv", sub, first->t[i]->name);
        rc = repro_mkdirs(sub, err);
        if (!rc)
            rc = write_stats(sw, first->t[i], path, v, err);
    }
    free(v);
    return rc;
}
