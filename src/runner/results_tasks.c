/* results_tasks.c - the measured task times of split jobs in the results
 * file (group /tasks, see results_layout.h and docs/RESULTS_FILE.md). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "results_layout.h"

static const char *const tasks_path[REPRO_N_TASKS_DSETS] = {"/tasks/count", "/tasks/seconds", "/tasks/longest"};
static const char *const tasks_doc[REPRO_N_TASKS_DSETS] = {
    "per job and stage (in the order run): tasks of a split job that ran (0: no such stage, or a whole job)",
    "per job and stage: the summed run time of its tasks, seconds (over the stages: the job's fit_seconds)",
    "per job and stage: the longest run time of one of its tasks, seconds"};

/* The memory type of dataset k. */
static hid_t tasks_mem_type(int k)
{
    return k == TASKS_COUNT ? H5T_NATIVE_UINT32 : H5T_NATIVE_DOUBLE;
}

size_t repro_tasks_row_bytes(void)
{
    return REPRO_TASK_STAGES * (sizeof(uint32_t) + 2 * sizeof(double));
}

int repro_tasks_create(hid_t file, size_t n_jobs, hid_t dset[REPRO_N_TASKS_DSETS], repro_error *err)
{
    int rc = REPRO_OK;
    hid_t g = -1, sp = -1, dcpl = -1, as = -1, at = -1, a = -1;
    hsize_t dims[2] = {n_jobs, REPRO_TASK_STAGES};
    REPRO_H5_CHECK(g = H5Gcreate2(file, "/tasks", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
    REPRO_H5_CHECK(sp = H5Screate_simple(2, dims, NULL));
    REPRO_H5_CHECK(dcpl = H5Pcreate(H5P_DATASET_CREATE));
    REPRO_H5_CHECK(H5Pset_layout(dcpl, H5D_CONTIGUOUS));
    REPRO_H5_CHECK(H5Pset_alloc_time(dcpl, H5D_ALLOC_TIME_EARLY));
    REPRO_H5_CHECK(H5Pset_fill_time(dcpl, H5D_FILL_TIME_NEVER));
    REPRO_H5_CHECK(as = H5Screate(H5S_SCALAR));
    for (int k = 0; k < REPRO_N_TASKS_DSETS; k++) {
        hid_t ft = k == TASKS_COUNT ? H5T_STD_U32LE : H5T_IEEE_F64LE;
        REPRO_H5_CHECK(dset[k] = H5Dcreate2(file, tasks_path[k], ft, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT));
        REPRO_H5_CHECK(at = repro_h5_str_type(strlen(tasks_doc[k]) + 1));
        REPRO_H5_CHECK(a = H5Acreate2(dset[k], "description", at, as, H5P_DEFAULT, H5P_DEFAULT));
        REPRO_H5_CHECK(H5Awrite(a, at, tasks_doc[k]));
        H5Aclose(a);
        H5Tclose(at);
        a = at = -1;
    }
    goto done;
fail:
    rc = err->code;
done:
    repro_h5_release((hid_t[]){a, at, as, dcpl, sp, g}, 6);
    return rc;
}

int repro_tasks_fill(hid_t dset[REPRO_N_TASKS_DSETS], size_t n_jobs, repro_error *err)
{
    int rc = REPRO_OK;
    /* zeros are 0 as uint32 and as IEEE double alike */
    void *zeros = repro_calloc(n_jobs ? n_jobs : 1, REPRO_TASK_STAGES * sizeof(double), err);
    if (!zeros)
        return REPRO_ENOMEM;
    for (int k = 0; k < REPRO_N_TASKS_DSETS && n_jobs; k++)
        REPRO_H5_CHECK(H5Dwrite(dset[k], tasks_mem_type(k), H5S_ALL, H5S_ALL, H5P_DEFAULT, zeros));
    goto done;
fail:
    rc = err->code;
done:
    free(zeros);
    return rc;
}

/* Whether dataset d is n_jobs x REPRO_TASK_STAGES of numbers of class cls. */
static int tasks_shape_ok(hid_t d, size_t n_jobs, H5T_class_t cls)
{
    hid_t sp = H5Dget_space(d), t = H5Dget_type(d);
    hsize_t dims[2] = {0, 0};
    int ok = sp >= 0 && t >= 0 && H5Sget_simple_extent_ndims(sp) == 2 && H5Sget_simple_extent_dims(sp, dims, NULL) == 2 &&
             dims[0] == n_jobs && dims[1] == REPRO_TASK_STAGES && H5Tget_class(t) == cls;
    repro_h5_release((hid_t[]){t, sp}, 2);
    return ok;
}

void repro_tasks_open(hid_t file, size_t n_jobs, hid_t dset[REPRO_N_TASKS_DSETS])
{
    for (int k = 0; k < REPRO_N_TASKS_DSETS; k++)
        dset[k] = -1;
    if (H5Lexists(file, "/tasks", H5P_DEFAULT) <= 0)
        return;
    int ok = 1;
    for (int k = 0; k < REPRO_N_TASKS_DSETS; k++) {
        if (H5Lexists(file, tasks_path[k], H5P_DEFAULT) <= 0 ||
            (dset[k] = H5Dopen2(file, tasks_path[k], H5P_DEFAULT)) < 0 ||
            !tasks_shape_ok(dset[k], n_jobs, k == TASKS_COUNT ? H5T_INTEGER : H5T_FLOAT))
            ok = 0;
    }
    if (!ok)
        for (int k = 0; k < REPRO_N_TASKS_DSETS; k++) {
            if (dset[k] >= 0)
                H5Dclose(dset[k]);
            dset[k] = -1;
        }
}

int repro_tasks_write_row(hid_t dset[REPRO_N_TASKS_DSETS], uint32_t job, const repro_task_times *t,
                          repro_error *err)
{
    if (dset[0] < 0)
        return REPRO_OK;
    uint32_t count[REPRO_TASK_STAGES] = {0};
    double sum[REPRO_TASK_STAGES] = {0}, longest[REPRO_TASK_STAGES] = {0};
    for (size_t s = 0; t && s < t->n_stages && s < REPRO_TASK_STAGES; s++) {
        count[s] = t->count[s];
        sum[s] = t->seconds[s];
        longest[s] = t->longest[s];
    }
    const void *buf[REPRO_N_TASKS_DSETS] = {count, sum, longest};
    int rc = REPRO_OK;
    hid_t fs = -1, ms = -1;
    hsize_t start[2] = {job, 0}, cnt[2] = {1, REPRO_TASK_STAGES};
    REPRO_H5_CHECK(ms = H5Screate_simple(2, cnt, NULL));
    for (int k = 0; k < REPRO_N_TASKS_DSETS; k++) {
        REPRO_H5_CHECK(fs = H5Dget_space(dset[k]));
        REPRO_H5_CHECK(H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, cnt, NULL));
        REPRO_H5_CHECK(H5Dwrite(dset[k], tasks_mem_type(k), ms, fs, H5P_DEFAULT, buf[k]));
        H5Sclose(fs);
        fs = -1;
    }
    goto done;
fail:
    rc = err->code;
done:
    repro_h5_release((hid_t[]){ms, fs}, 2);
    return rc;
}

int repro_tasks_read(hid_t file, const char *path, size_t n_jobs, repro_record *rec, int *has, repro_error *err)
{
    *has = 0;
    if (H5Lexists(file, "/tasks", H5P_DEFAULT) <= 0)
        return REPRO_OK;
    int rc = REPRO_OK;
    size_t cells = (n_jobs ? n_jobs : 1) * REPRO_TASK_STAGES;
    uint32_t *count = repro_malloc(cells, sizeof *count, err);
    double *sum = repro_malloc(cells, sizeof *sum, err), *longest = repro_malloc(cells, sizeof *longest, err);
    void *buf[REPRO_N_TASKS_DSETS] = {count, sum, longest};
    if (!count || !sum || !longest) {
        rc = REPRO_ENOMEM;
        goto done;
    }
    for (int k = 0; k < REPRO_N_TASKS_DSETS && !rc; k++) {
        hid_t d = H5Lexists(file, tasks_path[k], H5P_DEFAULT) > 0 ? H5Dopen2(file, tasks_path[k], H5P_DEFAULT) : -1;
        if (d < 0 || !tasks_shape_ok(d, n_jobs, k == TASKS_COUNT ? H5T_INTEGER : H5T_FLOAT))
            rc = repro_error_set(err, REPRO_EINVAL, "%s: dataset %s missing or not %zu x %d numbers", path,
                                 tasks_path[k], n_jobs, REPRO_TASK_STAGES);
        else if (n_jobs && H5Dread(d, tasks_mem_type(k), H5S_ALL, H5S_ALL, H5P_DEFAULT, buf[k]) < 0)
            rc = repro_error_set(err, REPRO_EINVAL, "%s: dataset %s unreadable", path, tasks_path[k]);
        if (d >= 0)
            H5Dclose(d);
    }
    for (size_t i = 0; i < n_jobs && !rc; i++) {
        repro_task_times *t = &rec[i].tasks;
        memset(t, 0, sizeof *t);
        for (size_t s = 0; s < REPRO_TASK_STAGES; s++) {
            size_t at = i * REPRO_TASK_STAGES + s;
            double x = sum[at], m = longest[at];
            int stage = count[at] > 0;
            if (!(x >= 0 && m >= 0 && isfinite(x) && isfinite(m) && m <= x * (1 + 1e-12)) ||
                (!stage && (x != 0 || m != 0)) || (stage && s > t->n_stages)) {
                rc = repro_error_set(err, REPRO_EINVAL,
                                     "%s: /tasks: job %zu, stage %zu: %u tasks, %g s, longest %g s is not a "
                                     "valid record of task times", path, i, s, count[at], x, m);
                break;
            }
            if (!stage)
                continue;
            t->count[s] = count[at];
            t->seconds[s] = x;
            t->longest[s] = m;
            t->n_stages = s + 1;
        }
    }
    if (!rc)
        *has = 1;
done:
    free(count);
    free(sum);
    free(longest);
    return rc;
}
