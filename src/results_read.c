/* results_read.c - reading a results file serially (record.h). */
#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repro/record.h"
#include "results_layout.h"

/* Reads a whole column after checking its shape; *buf is allocated. */
static int read_col(hid_t file, const char *path, int c, size_t n_jobs, size_t max_d, void **buf,
                    repro_error *err)
{
    const repro_col_def *def = &repro_cols[c];
    hid_t d = -1, s = -1, mt = -1;
    int rc = REPRO_OK;
    *buf = NULL;
    hsize_t dims[3] = {0, 0, 0}, want[3] = {n_jobs, max_d, 2};
    d = H5Dopen2(file, def->path, H5P_DEFAULT);
    if (d < 0 || (s = H5Dget_space(d)) < 0 || H5Sget_simple_extent_ndims(s) != def->ndims ||
        H5Sget_simple_extent_dims(s, dims, NULL) < 0 || dims[0] != want[0] ||
        (def->ndims > 1 && dims[1] != want[1]) || (def->ndims > 2 && dims[2] != want[2])) {
        rc = repro_error_set(err, REPRO_EINVAL, "%s: dataset %s missing or of the wrong shape", path,
                             def->path);
        goto done;
    }
    size_t elem = def->type == RT_STR ? def->strlen : def->type == RT_F64 ? 8 : def->type == RT_I8 ? 1 : 4;
    size_t count = n_jobs * (def->ndims > 1 ? max_d : 1) * (def->ndims > 2 ? 2 : 1);
    *buf = repro_calloc(count ? count : 1, elem, err);
    if (!*buf) {
        rc = REPRO_ENOMEM;
        goto done;
    }
    mt = repro_col_mem_type(def);
    if (mt < 0 || (count && H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, *buf) < 0)) {
        rc = repro_error_set(err, REPRO_EINVAL, "%s: cannot read dataset %s (truncated file?)", path,
                             def->path);
        free(*buf);
        *buf = NULL;
    }
done:
    repro_col_type_close(def, mt);
    repro_h5_release((hid_t[]){s, d}, 2);
    return rc;
}

/* Reads a sweep's /jobs/seed column into *out (NULL in a single-seed file). */
static int read_seed_col(hid_t file, const char *path, size_t n_jobs, uint64_t **out, repro_error *err)
{
    *out = NULL;
    if (H5Lexists(file, REPRO_SEED_COL, H5P_DEFAULT) <= 0)
        return REPRO_OK;
    hid_t d = -1, s = -1;
    hsize_t dims[1] = {0};
    int rc = REPRO_OK;
    d = H5Dopen2(file, REPRO_SEED_COL, H5P_DEFAULT);
    if (d < 0 || (s = H5Dget_space(d)) < 0 || H5Sget_simple_extent_ndims(s) != 1 ||
        H5Sget_simple_extent_dims(s, dims, NULL) < 0 || dims[0] != n_jobs) {
        rc = repro_error_set(err, REPRO_EINVAL, "%s: dataset %s of the wrong shape", path, REPRO_SEED_COL);
        goto done;
    }
    if (!(*out = repro_malloc(n_jobs ? n_jobs : 1, sizeof **out, err))) {
        rc = REPRO_ENOMEM;
        goto done;
    }
    if (n_jobs && H5Dread(d, H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, *out) < 0) {
        rc = repro_error_set(err, REPRO_EINVAL, "%s: cannot read dataset %s", path, REPRO_SEED_COL);
        free(*out);
        *out = NULL;
    }
done:
    repro_h5_release((hid_t[]){s, d}, 2);
    return rc;
}

/* Copies a fixed-width cell into a NUL-terminated field or new string. */
static void cell(char *dst, size_t size, const char *col, size_t width, size_t i)
{
    snprintf(dst, size, "%.*s", (int)width, col + i * width);
}

int repro_results_read(const char *path, repro_result_set **out, repro_error *err)
{
    *out = NULL;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    htri_t is = H5Fis_hdf5(path);
    if (is <= 0)
        return repro_error_set(err, REPRO_EINVAL, "%s: missing, unreadable, truncated or not an HDF5 file",
                               path);
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (file < 0)
        return repro_error_set(err, REPRO_EINVAL, "%s: cannot open (truncated or not an HDF5 file)", path);
    int rc = REPRO_OK;
    void *col[REPRO_N_COLS] = {0};
    repro_result_set *set = NULL;
    char *format = repro_h5_attr_text(file, "format");
    uint64_t seed = 0;
    uint32_t repeats = 0, n_jobs = 0, max_d = 0;
    if (strcmp(format, REPRO_RESULTS_FORMAT) != 0 || repro_h5_attr_num(file, "SEED", H5T_NATIVE_UINT64, &seed) ||
        repro_h5_attr_num(file, "REPEATS", H5T_NATIVE_UINT32, &repeats) ||
        repro_h5_attr_num(file, "n_jobs", H5T_NATIVE_UINT32, &n_jobs) ||
        repro_h5_attr_num(file, "max_d", H5T_NATIVE_UINT32, &max_d)) {
        rc = repro_error_set(err, REPRO_EINVAL, "%s: not a repro_mpi results file (format '%s')", path,
                             format);
        goto done;
    }
    for (int c = 0; c < REPRO_N_COLS && !rc; c++)
        rc = read_col(file, path, c, n_jobs, max_d, &col[c], err);
    if (rc)
        goto done;
    if (!(set = repro_result_set_alloc(n_jobs, err))) {
        rc = REPRO_ENOMEM;
        goto done;
    }
    set->seed = seed;
    set->n_seeds = 1;
    set->repeats = repeats;
    uint64_t *seedcol = NULL;
    if ((rc = read_seed_col(file, path, n_jobs, &seedcol, err)))
        goto done;
    for (size_t i = 0; i < n_jobs && !rc; i++) {
        repro_record *r = &set->rec[i];
        cell(r->experiment, sizeof r->experiment, col[COL_EXPERIMENT], repro_cols[COL_EXPERIMENT].strlen, i);
        cell(r->dataset, sizeof r->dataset, col[COL_DATASET], repro_cols[COL_DATASET].strlen, i);
        cell(r->model, sizeof r->model, col[COL_MODEL], repro_cols[COL_MODEL].strlen, i);
        r->repeat = ((uint32_t *)col[COL_REPEAT])[i];
        r->seed = seedcol ? seedcol[i] : seed;
        r->status = ((int8_t *)col[COL_STATUS])[i];
        r->train_score = ((double *)col[COL_TRAIN_SCORE])[i];
        r->fit_seconds = ((double *)col[COL_FIT_SECONDS])[i];
        r->n = ((uint32_t *)col[COL_N])[i];
        size_t d = ((uint32_t *)col[COL_D])[i];
        if (d > max_d || (r->status != REPRO_JOB_PENDING && r->status != REPRO_JOB_DONE &&
                          r->status != REPRO_JOB_FAILED)) {
            rc = repro_error_set(err, REPRO_EINVAL, "%s: job %zu is corrupt (d=%zu, status=%d)", path, i,
                                 d, r->status);
            break;
        }
        int imp = ((int8_t *)col[COL_HAS_IMPORTANCE])[i] == 1, bnd = ((int8_t *)col[COL_HAS_BOUNDS])[i] == 1;
        if ((rc = repro_record_init(r, d, imp, bnd, err)))
            break;
        memcpy(r->relevance, (int8_t *)col[COL_RELEVANCE] + i * max_d, d);
        memcpy(r->truth, (int8_t *)col[COL_TRUTH] + i * max_d, d);
        if (imp)
            memcpy(r->importance, (double *)col[COL_IMPORTANCE] + i * max_d, d * sizeof(double));
        if (bnd)
            memcpy(r->bounds, (double *)col[COL_BOUNDS] + i * max_d * 2, 2 * d * sizeof(double));
        for (int c = COL_EXTRAS; c <= COL_MESSAGE; c++) {
            size_t w = repro_cols[c].strlen;
            const char *s = (const char *)col[c] + i * w;
            size_t len = strnlen(s, w);
            if (!len)
                continue;
            char *copy = repro_malloc(len + 1, 1, err);
            if (!copy) {
                rc = REPRO_ENOMEM;
                break;
            }
            memcpy(copy, s, len);
            copy[len] = '\0';
            if (c == COL_EXTRAS)
                r->extras_json = copy;
            else
                r->message = copy;
        }
    }
    free(seedcol);
    if (!rc) {
        static const char *const keys[] = {"version", "command_line", "job_file_names", "start_time",
                                           "end_time"};
        char *vals[5];
        size_t len = 256;
        for (int k = 0; k < 5; k++) {
            vals[k] = repro_h5_attr_text(file, keys[k]);
            len += strlen(keys[k]) + strlen(vals[k]) + 8;
        }
        int32_t ranks = 0, threads = 0;
        repro_h5_attr_num(file, "ranks", H5T_NATIVE_INT32, &ranks);
        repro_h5_attr_num(file, "threads", H5T_NATIVE_INT32, &threads);
        char *seeds = repro_h5_attr_text(file, "SEEDS");
        char seedline[160];
        uint64_t *list = NULL;
        size_t n_list = 0;
        repro_error perr;
        if (seeds && seeds[0] && !repro_plan_parse_seeds(seeds, &list, &n_list, &perr))
            set->n_seeds = n_list;
        free(list);
        if (seeds && seeds[0])
            snprintf(seedline, sizeof seedline, "SEEDS=%.120s (%zu seeds)", seeds, set->n_seeds);
        else
            snprintf(seedline, sizeof seedline, "SEED=%llu", (unsigned long long)seed);
        free(seeds);
        set->provenance = malloc(len + sizeof seedline);
        if (set->provenance) {
            for (char *p = vals[2]; *p; p++)
                if (*p == '\n')
                    *p = ' ';
            snprintf(set->provenance, len + sizeof seedline,
                     "version: %s\ncommand line: %s\njob files: %s\n%s REPEATS=%u, %u jobs, "
                     "%d ranks x %d threads\nstarted: %s\nended: %s\n",
                     vals[0], vals[1], vals[2], seedline, repeats, n_jobs, ranks, threads,
                     vals[3], vals[4][0] ? vals[4] : "(not finished)");
        }
        for (int k = 0; k < 5; k++)
            free(vals[k]);
        if (!set->provenance)
            rc = repro_error_set(err, REPRO_ENOMEM, "out of memory");
    }
done:
    for (int c = 0; c < REPRO_N_COLS; c++)
        free(col[c]);
    free(format);
    H5Fclose(file);
    if (rc) {
        repro_result_set_free(set);
        return rc;
    }
    *out = set;
    return REPRO_OK;
}
