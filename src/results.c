/* results.c - the parallel results file writer (see results.h). */
#include "repro/results.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "repro/record.h"
#include "results_layout.h"

struct repro_results {
    hid_t file;
    hid_t dset[REPRO_N_COLS];
    size_t n_jobs, max_d;
};

int repro_mpi_error(repro_error *err, int mpi_rc, const char *file, int line, const char *call)
{
    char msg[MPI_MAX_ERROR_STRING] = "";
    int len = 0;
    MPI_Error_string(mpi_rc, msg, &len);
    return repro_error_set(err, REPRO_EMPI, "%s:%d: MPI call failed: %s: %s", file, line, call, msg);
}

void repro_utc_now(char *buf, size_t size)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Writes a scalar fixed-length string attribute (at least `len` bytes
 * wide, so it can be rewritten later). Collective when the file is parallel. */
static int attr_str(hid_t loc, const char *name, const char *value, size_t len, repro_error *err)
{
    int rc = REPRO_OK;
    hid_t t = -1, s = -1, a = -1;
    size_t need = strlen(value) + 1;
    if (len < need)
        len = need;
    char *buf = repro_calloc(len, 1, err);
    if (!buf)
        return REPRO_ENOMEM;
    memcpy(buf, value, need);
    REPRO_H5_CHECK(t = repro_h5_str_type(len));
    REPRO_H5_CHECK(s = H5Screate(H5S_SCALAR));
    REPRO_H5_CHECK(a = H5Acreate2(loc, name, t, s, H5P_DEFAULT, H5P_DEFAULT));
    REPRO_H5_CHECK(H5Awrite(a, t, buf));
    goto done;
fail:
    rc = err->code;
done:
    repro_h5_release((hid_t[]){a, s, t}, 3);
    free(buf);
    return rc;
}

/* Writes a scalar numeric attribute. Collective when the file is parallel. */
static int attr_num(hid_t loc, const char *name, hid_t file_type, hid_t mem_type, const void *v,
                    repro_error *err)
{
    int rc = REPRO_OK;
    hid_t s = -1, a = -1;
    REPRO_H5_CHECK(s = H5Screate(H5S_SCALAR));
    REPRO_H5_CHECK(a = H5Acreate2(loc, name, file_type, s, H5P_DEFAULT, H5P_DEFAULT));
    REPRO_H5_CHECK(H5Awrite(a, mem_type, v));
    goto done;
fail:
    rc = err->code;
done:
    repro_h5_release((hid_t[]){a, s}, 2);
    return rc;
}

/* Creates one column dataset: contiguous, allocated early, filled with its
 * padding value. Collective. */
static int create_col(repro_results *r, int c, repro_error *err)
{
    const repro_col_def *def = &repro_cols[c];
    int rc = REPRO_OK;
    hid_t ft = -1, sp = -1, dcpl = -1;
    hsize_t dims[3] = {r->n_jobs, r->max_d, 2};
    REPRO_H5_CHECK(ft = repro_col_file_type(def));
    REPRO_H5_CHECK(sp = H5Screate_simple(def->ndims, dims, NULL));
    REPRO_H5_CHECK(dcpl = H5Pcreate(H5P_DATASET_CREATE));
    REPRO_H5_CHECK(H5Pset_layout(dcpl, H5D_CONTIGUOUS));
    REPRO_H5_CHECK(H5Pset_alloc_time(dcpl, H5D_ALLOC_TIME_EARLY));
    REPRO_H5_CHECK(H5Pset_fill_time(dcpl, H5D_FILL_TIME_ALLOC));
    int8_t m1 = -1;
    int32_t m1i = -1;
    double nan = NAN;
    if (c == COL_RELEVANCE || c == COL_TRUTH)
        REPRO_H5_CHECK(H5Pset_fill_value(dcpl, H5T_NATIVE_INT8, &m1));
    else if (c == COL_RANK)
        REPRO_H5_CHECK(H5Pset_fill_value(dcpl, H5T_NATIVE_INT32, &m1i));
    else if (def->type == RT_F64)
        REPRO_H5_CHECK(H5Pset_fill_value(dcpl, H5T_NATIVE_DOUBLE, &nan));
    REPRO_H5_CHECK(r->dset[c] = H5Dcreate2(r->file, def->path, ft, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT));
    rc = attr_str(r->dset[c], "description", def->doc, 0, err);
    goto done;
fail:
    rc = err->code;
done:
    repro_h5_release((hid_t[]){dcpl, sp}, 2);
    repro_col_type_close(def, ft);
    return rc;
}

/* Writes a whole 1-D column from rank 0's buffer (independent). */
static int write_col_all(repro_results *r, int c, const void *buf, repro_error *err)
{
    const repro_col_def *def = &repro_cols[c];
    int rc = REPRO_OK;
    hid_t mt = -1;
    REPRO_H5_CHECK(mt = repro_col_mem_type(def));
    REPRO_H5_CHECK(H5Dwrite(r->dset[c], mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf));
    goto done;
fail:
    rc = err->code;
done:
    repro_col_type_close(def, mt);
    return rc;
}

/* Rank 0 writes the plan's columns (id, names, repeat, n, d) before the
 * single metadata flush. */
static int write_plan_cols(repro_results *r, const repro_plan *plan, repro_error *err)
{
    size_t n = plan->n_jobs;
    uint32_t *u = repro_malloc(n, sizeof *u, err);
    char *s = repro_calloc(n, REPRO_NAME_MAX, err);
    int rc = (!u || !s) ? REPRO_ENOMEM : REPRO_OK;
    for (int c = COL_ID; !rc && c <= COL_D; c++) {
        const repro_col_def *def = &repro_cols[c];
        if (def->type == RT_STR) {
            memset(s, 0, n * REPRO_NAME_MAX);
            for (size_t i = 0; i < n; i++) {
                const repro_job *j = &plan->jobs[i];
                const char *v = c == COL_EXPERIMENT ? j->exp->name
                              : c == COL_DATASET    ? j->ds->name
                                                    : j->params->type->name;
                snprintf(s + i * def->strlen, def->strlen, "%s", v);
            }
            rc = write_col_all(r, c, s, err);
        } else {
            for (size_t i = 0; i < n; i++) {
                const repro_job *j = &plan->jobs[i];
                u[i] = c == COL_ID ? j->id : c == COL_REPEAT ? j->repeat
                     : c == COL_N  ? (uint32_t)j->ds->spec.n : (uint32_t)repro_job_d(j);
            }
            rc = write_col_all(r, c, u, err);
        }
    }
    free(u);
    free(s);
    return rc;
}

/* A sweep's additions: the SEEDS attribute (the list as given) and the
 * /jobs/seed column, written by rank 0. Collective (the creation). */
static int write_sweep(repro_results *r, const repro_plan *plan, int rank, repro_error *err)
{
    int rc = REPRO_OK;
    hid_t sp = -1, d = -1, dcpl = -1;
    char list[4096];
    repro_plan_format_seeds(plan->seeds, plan->n_seeds, list, sizeof list);
    if ((rc = attr_str(r->file, "SEEDS", list, 0, err)))
        return rc;
    hsize_t dims[1] = {plan->n_jobs};
    uint64_t *v = NULL;
    REPRO_H5_CHECK(sp = H5Screate_simple(1, dims, NULL));
    REPRO_H5_CHECK(dcpl = H5Pcreate(H5P_DATASET_CREATE));
    REPRO_H5_CHECK(H5Pset_layout(dcpl, H5D_CONTIGUOUS));
    REPRO_H5_CHECK(H5Pset_alloc_time(dcpl, H5D_ALLOC_TIME_EARLY));
    REPRO_H5_CHECK(d = H5Dcreate2(r->file, REPRO_SEED_COL, H5T_STD_U64LE, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT));
    if ((rc = attr_str(d, "description", "the master seed of the job (a sweep over SEEDS)", 0, err)))
        goto done;
    if (rank == 0) {
        if (!(v = repro_malloc(plan->n_jobs, sizeof *v, err))) {
            rc = REPRO_ENOMEM;
            goto done;
        }
        for (size_t i = 0; i < plan->n_jobs; i++)
            v[i] = plan->jobs[i].seed;
        REPRO_H5_CHECK(H5Dwrite(d, H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, v));
    }
    goto done;
fail:
    rc = err->code;
done:
    free(v);
    repro_h5_release((hid_t[]){d, dcpl, sp}, 3);
    return rc;
}

/* Opens (or creates) the parallel file access property list. */
static hid_t mpio_fapl(MPI_Comm comm)
{
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    if (fapl < 0)
        return fapl;
    if (H5Pset_fapl_mpio(fapl, comm, MPI_INFO_NULL) < 0) {
        H5Pclose(fapl);
        return -1;
    }
    return fapl;
}

/* Agrees on an error across ranks: every rank returns the worst code, and
 * ranks that did not fail get a message saying another rank did. Collective. */
static int agree(MPI_Comm comm, int rc, repro_error *err)
{
    int worst = rc;
    if (MPI_Allreduce(&rc, &worst, 1, MPI_INT, MPI_MAX, comm) != MPI_SUCCESS)
        return repro_error_set(err, REPRO_EMPI, "MPI_Allreduce failed while agreeing on an error");
    if (worst && !rc)
        repro_error_set(err, worst, "another rank failed to set up the results file");
    return worst;
}

static void results_free(repro_results *r)
{
    if (!r)
        return;
    for (int c = 0; c < REPRO_N_COLS; c++)
        if (r->dset[c] >= 0)
            H5Dclose(r->dset[c]);
    if (r->file >= 0)
        H5Fclose(r->file);
    free(r);
}

static repro_results *results_alloc(const repro_plan *plan, repro_error *err)
{
    repro_results *r = repro_calloc(1, sizeof *r, err);
    if (!r)
        return NULL;
    r->file = -1;
    for (int c = 0; c < REPRO_N_COLS; c++)
        r->dset[c] = -1;
    r->n_jobs = plan->n_jobs;
    r->max_d = plan->max_d;
    return r;
}

int repro_results_create(const char *path, MPI_Comm comm, const repro_plan *plan,
                         const repro_run_info *info, repro_results **out, repro_error *err)
{
    *out = NULL;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    int rank = 0, exists = 0, rc = REPRO_OK;
    hid_t fapl = -1, g = -1;
    repro_results *r = NULL;
    REPRO_MPI_CHECK(MPI_Comm_rank(comm, &rank));
    if (rank == 0)
        exists = access(path, F_OK) == 0;
    REPRO_MPI_CHECK(MPI_Bcast(&exists, 1, MPI_INT, 0, comm));
    if (exists)
        return repro_error_set(err, REPRO_EINVAL,
                               "%s already exists: use --resume to continue it, or remove it", path);
    if (strlen(plan->text) > 60000)
        return repro_error_set(err, REPRO_EINVAL, "the job files are too large to record (%zu bytes, at most 60000)",
                               strlen(plan->text));
    if (!(r = results_alloc(plan, err)))
        return REPRO_ENOMEM;
    REPRO_H5_CHECK(fapl = mpio_fapl(comm));
    r->file = H5Fcreate(path, H5F_ACC_EXCL, H5P_DEFAULT, fapl);
    if (r->file < 0) {
        repro_error_set(err, REPRO_EINVAL, "cannot create %s (directory missing or not writable?)", path);
        goto fail;
    }
    REPRO_H5_CHECK(g = H5Gcreate2(r->file, "/jobs", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
    for (int c = 0; c < REPRO_N_COLS; c++)
        if ((rc = create_col(r, c, err)))
            goto fail;
    uint32_t repeats = plan->repeats, n_jobs = (uint32_t)plan->n_jobs, max_d = (uint32_t)plan->max_d;
    int32_t ranks = info->ranks, threads = info->threads;
    if ((rc = attr_str(r->file, "format", REPRO_RESULTS_FORMAT, 0, err)) ||
        (rc = attr_num(r->file, "SEED", H5T_STD_U64LE, H5T_NATIVE_UINT64, &plan->seed, err)) ||
        (rc = attr_num(r->file, "REPEATS", H5T_STD_U32LE, H5T_NATIVE_UINT32, &repeats, err)) ||
        (rc = attr_num(r->file, "n_jobs", H5T_STD_U32LE, H5T_NATIVE_UINT32, &n_jobs, err)) ||
        (rc = attr_num(r->file, "max_d", H5T_STD_U32LE, H5T_NATIVE_UINT32, &max_d, err)) ||
        (rc = attr_num(r->file, "plan_fingerprint", H5T_STD_U64LE, H5T_NATIVE_UINT64, &plan->fingerprint, err)) ||
        (rc = attr_str(r->file, "job_file_names", plan->names, 0, err)) ||
        (rc = attr_str(r->file, "job_files", plan->text, 0, err)) ||
        (rc = attr_str(r->file, "version", info->versions, 0, err)) ||
        (rc = attr_str(r->file, "command_line", info->command_line, 0, err)) ||
        (rc = attr_num(r->file, "ranks", H5T_STD_I32LE, H5T_NATIVE_INT32, &ranks, err)) ||
        (rc = attr_num(r->file, "threads", H5T_STD_I32LE, H5T_NATIVE_INT32, &threads, err)) ||
        (rc = attr_str(r->file, "start_time", info->start_time, REPRO_RESULTS_TIME_LEN, err)) ||
        (rc = attr_str(r->file, "end_time", "", REPRO_RESULTS_TIME_LEN, err)))
        goto fail;
    if (plan->n_seeds > 1 && (rc = write_sweep(r, plan, rank, err)))
        goto fail;
    rc = rank == 0 ? write_plan_cols(r, plan, err) : REPRO_OK;
    if ((rc = agree(comm, rc, err)))
        goto fail;
    REPRO_H5_CHECK(H5Fflush(r->file, H5F_SCOPE_GLOBAL));
    H5Gclose(g);
    H5Pclose(fapl);
    *out = r;
    return REPRO_OK;
fail:
    if (!rc)
        rc = err->code ? err->code : REPRO_EHDF5;
    if (g >= 0)
        H5Gclose(g);
    if (fapl >= 0)
        H5Pclose(fapl);
    results_free(r);
    return rc;
}

/* Reads a scalar numeric attribute. */
static int read_attr(hid_t loc, const char *name, hid_t mem_type, void *v, repro_error *err)
{
    if (repro_h5_attr_num(loc, name, mem_type, v))
        return repro_error_set(err, REPRO_EINVAL, "attribute '%s' missing or unreadable", name);
    return REPRO_OK;
}

/* Checks that an open results file belongs to plan. */
static int check_plan(hid_t file, const char *path, const repro_plan *plan, repro_error *err)
{
    int rc = REPRO_OK;
    char *format = repro_h5_attr_text(file, "format");
    if (!format)
        return repro_error_set(err, REPRO_ENOMEM, "out of memory");
    int same = strcmp(format, REPRO_RESULTS_FORMAT) == 0;
    free(format);
    if (!same)
        return repro_error_set(err, REPRO_EINVAL, "--resume: %s is not a repro_mpi results file", path);
    uint64_t fp = 0, seed = 0;
    uint32_t repeats = 0, n_jobs = 0;
    if ((rc = read_attr(file, "plan_fingerprint", H5T_NATIVE_UINT64, &fp, err)) ||
        (rc = read_attr(file, "SEED", H5T_NATIVE_UINT64, &seed, err)) ||
        (rc = read_attr(file, "REPEATS", H5T_NATIVE_UINT32, &repeats, err)) ||
        (rc = read_attr(file, "n_jobs", H5T_NATIVE_UINT32, &n_jobs, err))) {
        repro_error_prefix(err, "--resume: %s", path);
        rc = REPRO_EINVAL;
        return rc;
    }
    char *seeds = repro_h5_attr_text(file, "SEEDS"), now[4096] = "";
    if (!seeds)
        return repro_error_set(err, REPRO_ENOMEM, "out of memory");
    if (plan->n_seeds > 1)
        repro_plan_format_seeds(plan->seeds, plan->n_seeds, now, sizeof now);
    if (strcmp(seeds, now)) {
        rc = repro_error_set(err, REPRO_EINVAL,
                             "--resume: %s holds the seeds %s, not %s; refusing to mix them", path,
                             seeds[0] ? seeds : "(one seed)", now[0] ? now : "(one seed)");
        free(seeds);
        return rc;
    }
    free(seeds);
    if (seed != plan->seed || repeats != plan->repeats || n_jobs != plan->n_jobs || fp != plan->fingerprint) {
        rc = repro_error_set(err, REPRO_EINVAL,
                             "--resume: %s belongs to another plan (file: SEED=%llu REPEATS=%u, %u jobs; "
                             "now: SEED=%llu REPEATS=%u, %zu jobs%s); refusing to mix them",
                             path, (unsigned long long)seed, repeats, n_jobs,
                             (unsigned long long)plan->seed, plan->repeats, plan->n_jobs,
                             seed == plan->seed && repeats == plan->repeats && n_jobs == plan->n_jobs
                                 ? "; the job files or models differ" : "");
        return rc;
    }
    return REPRO_OK;
}

int repro_results_reopen(const char *path, MPI_Comm comm, const repro_plan *plan,
                         int8_t *status, repro_results **out, repro_error *err)
{
    *out = NULL;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    int rc = REPRO_OK;
    hid_t fapl = -1;
    int rank = 0, exists = 0;
    repro_results *r = NULL;
    REPRO_MPI_CHECK(MPI_Comm_rank(comm, &rank));
    if (rank == 0)
        exists = access(path, F_OK) == 0;
    REPRO_MPI_CHECK(MPI_Bcast(&exists, 1, MPI_INT, 0, comm));
    if (!exists)
        return repro_error_set(err, REPRO_EINVAL, "--resume: %s does not exist", path);
    r = results_alloc(plan, err);
    if (!r)
        return REPRO_ENOMEM;
    REPRO_H5_CHECK(fapl = mpio_fapl(comm));
    /* check read-only first, so a refused file is left untouched */
    r->file = H5Fopen(path, H5F_ACC_RDONLY, fapl);
    if (r->file < 0) {
        rc = repro_error_set(err, REPRO_EINVAL, "--resume: cannot open %s as an HDF5 file", path);
        goto fail;
    }
    if ((rc = check_plan(r->file, path, plan, err)))
        goto fail;
    H5Fclose(r->file);
    r->file = H5Fopen(path, H5F_ACC_RDWR, fapl);
    if (r->file < 0) {
        rc = repro_error_set(err, REPRO_EIO, "--resume: cannot open %s for writing", path);
        goto fail;
    }
    for (int c = 0; c < REPRO_N_COLS; c++)
        if ((r->dset[c] = H5Dopen2(r->file, repro_cols[c].path, H5P_DEFAULT)) < 0) {
            rc = repro_error_set(err, REPRO_EINVAL, "--resume: %s lacks the dataset %s", path,
                                 repro_cols[c].path);
            goto fail;
        }
    REPRO_H5_CHECK(H5Dread(r->dset[COL_STATUS], H5T_NATIVE_INT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, status));
    H5Pclose(fapl);
    *out = r;
    return REPRO_OK;
fail:
    if (!rc)
        rc = err->code ? err->code : REPRO_EHDF5;
    if (fapl >= 0)
        H5Pclose(fapl);
    results_free(r);
    return rc;
}

/* Writes `count` consecutive elements of row `job` (from column 0, and for
 * 3-D columns the full last dimension). Independent. */
static int write_part(repro_results *r, int c, uint32_t job, size_t count, const void *buf,
                      repro_error *err)
{
    const repro_col_def *def = &repro_cols[c];
    int rc = REPRO_OK;
    hid_t mt = -1, fs = -1, ms = -1;
    hsize_t start[3] = {job, 0, 0}, cnt[3] = {1, count, 2};
    REPRO_H5_CHECK(mt = repro_col_mem_type(def));
    REPRO_H5_CHECK(fs = H5Dget_space(r->dset[c]));
    REPRO_H5_CHECK(H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, cnt, NULL));
    REPRO_H5_CHECK(ms = H5Screate_simple(def->ndims, cnt, NULL));
    REPRO_H5_CHECK(H5Dwrite(r->dset[c], mt, ms, fs, H5P_DEFAULT, buf));
    goto done;
fail:
    rc = err->code;
done:
    repro_h5_release((hid_t[]){ms, fs}, 2);
    repro_col_type_close(def, mt);
    return rc;
}

/* Writes a string cell, truncated to the column's width. */
static int write_str(repro_results *r, int c, uint32_t job, const char *s, repro_error *err)
{
    size_t len = repro_cols[c].strlen;
    char *buf = repro_calloc(len, 1, err);
    if (!buf)
        return REPRO_ENOMEM;
    snprintf(buf, len, "%s", s ? s : "");
    int rc = write_part(r, c, job, 1, buf, err);
    free(buf);
    return rc;
}

int repro_results_write_row(repro_results *r, const repro_job_row *row, repro_error *err)
{
    if (row->job >= r->n_jobs || row->d > r->max_d)
        return repro_error_set(err, REPRO_EINVAL, "job row %u out of range", row->job);
    int rc = REPRO_OK;
    size_t d = row->d;
    int8_t *cls = repro_malloc(d ? d : 1, 1, err);
    if (!cls)
        return REPRO_ENOMEM;
    int8_t has_imp = row->importance != NULL, has_bounds = row->bounds != NULL;
    int8_t status = (int8_t)row->status;
    if (row->relevance && d) {
        for (size_t j = 0; j < d; j++)
            cls[j] = (int8_t)row->relevance[j];
        rc = write_part(r, COL_RELEVANCE, row->job, d, cls, err);
    }
    if (!rc && row->truth && d) {
        for (size_t j = 0; j < d; j++)
            cls[j] = (int8_t)row->truth[j];
        rc = write_part(r, COL_TRUTH, row->job, d, cls, err);
    }
    free(cls);
    if (!rc && row->importance && d)
        rc = write_part(r, COL_IMPORTANCE, row->job, d, row->importance, err);
    if (!rc && row->bounds && d)
        rc = write_part(r, COL_BOUNDS, row->job, d, row->bounds, err);
    if (!rc)
        rc = write_part(r, COL_TRAIN_SCORE, row->job, 1, &row->train_score, err);
    if (!rc)
        rc = write_part(r, COL_FIT_SECONDS, row->job, 1, &row->fit_seconds, err);
    if (!rc)
        rc = write_part(r, COL_RANK, row->job, 1, &row->rank, err);
    if (!rc)
        rc = write_part(r, COL_HAS_IMPORTANCE, row->job, 1, &has_imp, err);
    if (!rc)
        rc = write_part(r, COL_HAS_BOUNDS, row->job, 1, &has_bounds, err);
    if (!rc)
        rc = write_str(r, COL_HOST, row->job, row->host, err);
    if (!rc)
        rc = write_str(r, COL_START_TIME, row->job, row->start_time, err);
    if (!rc)
        rc = write_str(r, COL_EXTRAS, row->job, row->extras, err);
    if (!rc)
        rc = write_str(r, COL_MESSAGE, row->job, row->message, err);
    if (!rc) /* last: a row is only marked finished once everything else is written */
        rc = write_part(r, COL_STATUS, row->job, 1, &status, err);
    return rc;
}

int repro_results_close(repro_results *r, const char *end_time, repro_error *err)
{
    if (!r)
        return REPRO_OK;
    int rc = REPRO_OK;
    hid_t a = -1, t = -1;
    char buf[REPRO_RESULTS_TIME_LEN] = "";
    snprintf(buf, sizeof buf, "%s", end_time);
    REPRO_H5_CHECK(a = H5Aopen(r->file, "end_time", H5P_DEFAULT));
    REPRO_H5_CHECK(t = H5Aget_type(a));
    REPRO_H5_CHECK(H5Awrite(a, t, buf));
    goto done;
fail:
    rc = err->code;
done:
    repro_h5_release((hid_t[]){t, a}, 2);
    for (int c = 0; c < REPRO_N_COLS; c++)
        if (r->dset[c] >= 0 && H5Dclose(r->dset[c]) < 0 && !rc)
            rc = repro_error_set(err, REPRO_EHDF5, "%s:%d: closing %s failed", __FILE__, __LINE__,
                                 repro_cols[c].path);
    if (H5Fclose(r->file) < 0 && !rc)
        rc = repro_error_set(err, REPRO_EHDF5, "%s:%d: closing the results file failed", __FILE__,
                             __LINE__);
    free(r);
    return rc;
}
