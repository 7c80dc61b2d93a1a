/* results.c - the parallel results file writer (see results.h). */
#include "repro/results.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "repro/fsutil.h"
#include "repro/mpicheck.h"
#include "repro/record.h"
#include "results_layout.h"

/* Bytes that hold any sweep's SEEDS attribute (at most REPRO_MAX_SEEDS
 * seeds of up to 20 digits and a comma each). */
#define SEEDS_TEXT_MAX (REPRO_MAX_SEEDS * 21 + 1)

struct repro_results {
    hid_t file;
    hid_t dset[REPRO_N_COLS];
    hid_t tasks[REPRO_N_TASKS_DSETS]; /* /tasks, or -1 (a file without task times) */
    size_t n_jobs, max_d;
    const repro_plan *plan;
    char *path;
    int lock_fd;                          /* rank 0: the run's lock (-1 elsewhere) */
    char notice[REPRO_RESULTS_NOTICE_LEN]; /* rank 0: what opening had to repair */
};

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

/* One element of column c's padding value, in memory form. */
static void fill_elem(int c, void *out)
{
    memset(out, 0, repro_col_elem(c));
    if (c == COL_RELEVANCE || c == COL_TRUTH)
        *(int8_t *)out = -1;
    else if (c == COL_RANK)
        *(int32_t *)out = -1;
    else if (repro_cols[c].type == RT_F64)
        *(double *)out = NAN;
}

/* Creates one column dataset: contiguous, allocated early, with its padding
 * value recorded as the fill value. HDF5 does not write the fill itself
 * (fill_col does, with errors agreed across ranks: HDF5's own parallel fill
 * leaves the other ranks in a barrier when the writing rank fails).
 * Collective. */
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
    REPRO_H5_CHECK(H5Pset_fill_time(dcpl, H5D_FILL_TIME_NEVER));
    unsigned char pad[8] = {0}, zero[8] = {0};
    if (def->type != RT_STR) { /* the padding as the fill value, where it is not 0 */
        fill_elem(c, pad);
        if (memcmp(pad, zero, sizeof pad))
            REPRO_H5_CHECK(H5Pset_fill_value(dcpl, repro_col_mem_type(def), pad));
    }
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

/* Rank 0 writes column c's padding value into every row (in blocks of at
 * most 4 MiB), so that its disk space is really taken now and a row written
 * later never meets a full disk. Independent. */
static int fill_col(repro_results *r, int c, repro_error *err)
{
    const repro_col_def *def = &repro_cols[c];
    size_t row = repro_col_row_bytes(c, r->max_d), elem = repro_col_elem(c);
    size_t per = row >= (4u << 20) ? 1 : (4u << 20) / row;
    if (per > r->n_jobs)
        per = r->n_jobs;
    int rc = REPRO_OK;
    hid_t mt = -1, fs = -1, ms = -1;
    char *buf = repro_malloc(per, row, err);
    if (!buf)
        return REPRO_ENOMEM;
    for (size_t k = 0; k < per * row / elem; k++)
        fill_elem(c, buf + k * elem);
    REPRO_H5_CHECK(mt = repro_col_mem_type(def));
    REPRO_H5_CHECK(fs = H5Dget_space(r->dset[c]));
    for (size_t at = 0; at < r->n_jobs; at += per) {
        size_t n = r->n_jobs - at < per ? r->n_jobs - at : per;
        hsize_t start[3] = {at, 0, 0}, cnt[3] = {n, r->max_d, 2};
        REPRO_H5_CHECK(H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, cnt, NULL));
        REPRO_H5_CHECK(ms = H5Screate_simple(def->ndims, cnt, NULL));
        REPRO_H5_CHECK(H5Dwrite(r->dset[c], mt, ms, fs, H5P_DEFAULT, buf));
        H5Sclose(ms);
        ms = -1;
    }
    goto done;
fail:
    rc = err->code;
done:
    repro_h5_release((hid_t[]){ms, fs}, 2);
    repro_col_type_close(def, mt);
    free(buf);
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

/* The plan's value of column c (id, seed, names, repeat, n, d) for one job, in
 * the column's memory form (strings zero-padded to their width). */
static void plan_cell(const repro_plan *plan, size_t i, int c, void *out)
{
    const repro_job *j = &plan->jobs[i];
    const repro_col_def *def = &repro_cols[c];
    if (c == COL_SEED) {
        memcpy(out, &j->seed, sizeof j->seed);
    } else if (def->type == RT_STR) {
        const char *v = c == COL_EXPERIMENT ? j->exp->name : c == COL_DATASET ? j->ds->name : j->params->type->name;
        memset(out, 0, def->strlen);
        snprintf(out, def->strlen, "%s", v);
    } else {
        uint32_t u = c == COL_ID ? j->id : c == COL_REPEAT ? j->repeat
                   : c == COL_N  ? (uint32_t)j->ds->spec.n : (uint32_t)repro_job_d(j);
        memcpy(out, &u, sizeof u);
    }
}

/* 1 for the columns the plan fills at creation. */
static int is_plan_col(int c)
{
    return c >= COL_ID && c <= COL_D;
}

/* Rank 0 writes the plan's columns (id, seed, names, repeat, n, d) before the
 * single metadata flush. */
static int write_plan_cols(repro_results *r, const repro_plan *plan, repro_error *err)
{
    size_t n = plan->n_jobs;
    char *buf = repro_calloc(n, REPRO_NAME_MAX > 8 ? REPRO_NAME_MAX : 8, err);
    int rc = !buf ? REPRO_ENOMEM : REPRO_OK;
    for (int c = 0; !rc && c < REPRO_N_COLS; c++) {
        if (!is_plan_col(c))
            continue;
        size_t w = repro_col_elem(c);
        for (size_t i = 0; i < n; i++)
            plan_cell(plan, i, c, buf + i * w);
        rc = write_col_all(r, c, buf, err);
    }
    free(buf);
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

/* Agrees on success across ranks after a step: every rank returns the worst
 * code, and every rank gets the message of the first rank that failed (so
 * rank 0 can name the cause, e.g. a full disk on another rank). Collective. */
static int agree(MPI_Comm comm, int rc, repro_error *err)
{
    int rank = 0, size = 1, worst = rc, first = 0, mine;
    if (MPI_Comm_rank(comm, &rank) != MPI_SUCCESS || MPI_Comm_size(comm, &size) != MPI_SUCCESS)
        return repro_error_set(err, REPRO_EMPI, "MPI_Comm_rank failed while agreeing on an error");
    mine = rc ? rank : size;
    if (MPI_Allreduce(&rc, &worst, 1, MPI_INT, MPI_MAX, comm) != MPI_SUCCESS ||
        MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, comm) != MPI_SUCCESS)
        return repro_error_set(err, REPRO_EMPI, "MPI_Allreduce failed while agreeing on an error");
    if (!worst)
        return REPRO_OK;
    char msg[REPRO_ERRMSG_MAX];
    snprintf(msg, sizeof msg, "%s", rc ? err->msg : "");
    if (MPI_Bcast(msg, (int)sizeof msg, MPI_CHAR, first, comm) != MPI_SUCCESS)
        return repro_error_set(err, REPRO_EMPI, "MPI_Bcast failed while agreeing on an error");
    if (rank != first) {
        int code = rc ? rc : worst;
        if (first == 0 || rank != 0)
            repro_error_set(err, code, "%s", msg);
        else
            repro_error_set(err, code, "rank %d: %s", first, msg);
    }
    return worst;
}

/* Closes the datasets and the file. Collective when the file is parallel;
 * returns nonzero if a close failed. */
static int results_close_ids(repro_results *r)
{
    int bad = 0;
    for (int c = 0; c < REPRO_N_COLS; c++) {
        if (r->dset[c] >= 0 && H5Dclose(r->dset[c]) < 0)
            bad = 1;
        r->dset[c] = -1;
    }
    for (int k = 0; k < REPRO_N_TASKS_DSETS; k++) {
        if (r->tasks[k] >= 0 && H5Dclose(r->tasks[k]) < 0)
            bad = 1;
        r->tasks[k] = -1;
    }
    if (r->file >= 0 && H5Fclose(r->file) < 0)
        bad = 1;
    r->file = -1;
    return bad;
}

/* Closes what is open (collective when the file is), releases the lock and
 * frees r. */
static void results_free(repro_results *r)
{
    if (!r)
        return;
    results_close_ids(r);
    repro_lock_release(r->path, r->lock_fd);
    free(r->path);
    free(r);
}

static repro_results *results_alloc(const char *path, const repro_plan *plan, repro_error *err)
{
    repro_results *r = repro_calloc(1, sizeof *r, err);
    if (!r)
        return NULL;
    r->file = -1;
    r->lock_fd = -1;
    for (int c = 0; c < REPRO_N_COLS; c++)
        r->dset[c] = -1;
    for (int k = 0; k < REPRO_N_TASKS_DSETS; k++)
        r->tasks[k] = -1;
    r->n_jobs = plan->n_jobs;
    r->max_d = plan->max_d;
    r->plan = plan;
    if (!(r->path = strdup(path))) {
        free(r);
        repro_error_set(err, REPRO_ENOMEM, "out of memory");
        return NULL;
    }
    return r;
}

const char *repro_results_notice(const repro_results *r)
{
    return r && r->notice[0] ? r->notice : NULL;
}

/* The name a file is created under before it becomes the results file. */
static void creating_name(const char *path, char *buf, size_t size)
{
    snprintf(buf, size, "%s.creating", path);
}

/* Rank 0: takes the run's lock and looks at what is on disk: *exists for the
 * results file; a leftover of an unfinished creation is removed (and said in
 * r->notice). Other ranks do nothing; the caller agrees on rc. */
static int take_and_look(repro_results *r, int rank, int *exists, repro_error *err)
{
    *exists = 0;
    if (rank != 0)
        return REPRO_OK;
    char tmp[4200];
    creating_name(r->path, tmp, sizeof tmp);
    if (strlen(r->path) > 4000)
        return repro_error_set(err, REPRO_EINVAL, "path too long: %s", r->path);
    int rc = repro_lock_take(r->path, &r->lock_fd, err);
    if (rc)
        return rc;
    *exists = access(r->path, F_OK) == 0;
    if (access(tmp, F_OK) == 0) {
        if (unlink(tmp) != 0)
            return repro_error_set(err, REPRO_EIO, "cannot remove %s, left by a creation that did not finish: %s",
                                   tmp, strerror(errno));
        snprintf(r->notice, sizeof r->notice, "removed %.900s.creating, left by a creation that did not finish",
                 r->path);
    }
    return REPRO_OK;
}

/* Opens the finished file for writing rows (every rank) and opens every
 * dataset. Collective. */
static int open_rw(repro_results *r, MPI_Comm comm, repro_error *err)
{
    int rc = REPRO_OK;
    hid_t fapl = -1;
    REPRO_H5_CHECK(fapl = mpio_fapl(comm));
    REPRO_H5_CHECK(r->file = H5Fopen(r->path, H5F_ACC_RDWR, fapl));
    for (int c = 0; c < REPRO_N_COLS; c++)
        REPRO_H5_CHECK(r->dset[c] = H5Dopen2(r->file, repro_cols[c].path, H5P_DEFAULT));
    repro_tasks_open(r->file, r->n_jobs, r->tasks);
    goto done;
fail:
    rc = err->code ? err->code : REPRO_EHDF5;
done:
    if (fapl >= 0)
        H5Pclose(fapl);
    return rc;
}

/* Creates the file's datasets and attributes under r->file, every step
 * agreed across ranks. Collective. */
static int create_contents(repro_results *r, MPI_Comm comm, int rank, const repro_run_info *info,
                           repro_error *err)
{
    const repro_plan *plan = r->plan;
    int rc = REPRO_OK;
    hid_t g = H5Gcreate2(r->file, "/jobs", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g < 0)
        rc = repro_h5_error(err, __FILE__, __LINE__, "H5Gcreate2(/jobs)");
    if ((rc = agree(comm, rc, err)))
        return rc;
    H5Gclose(g);
    for (int c = 0; c < REPRO_N_COLS; c++)
        if ((rc = agree(comm, create_col(r, c, err), err)))
            return rc;
    if ((rc = agree(comm, repro_tasks_create(r->file, r->n_jobs, r->tasks, err), err)))
        return rc;
    uint32_t repeats = plan->repeats, n_jobs = (uint32_t)plan->n_jobs, max_d = (uint32_t)plan->max_d;
    int32_t ranks = info->ranks, threads = info->threads;
    hid_t f = r->file;
    if ((rc = agree(comm, attr_str(f, "format", REPRO_RESULTS_FORMAT, 0, err), err)) ||
        (rc = agree(comm, attr_num(f, "SEED", H5T_STD_U64LE, H5T_NATIVE_UINT64, &plan->seed, err), err)) ||
        (rc = agree(comm, attr_num(f, "REPEATS", H5T_STD_U32LE, H5T_NATIVE_UINT32, &repeats, err), err)) ||
        (rc = agree(comm, attr_num(f, "n_jobs", H5T_STD_U32LE, H5T_NATIVE_UINT32, &n_jobs, err), err)) ||
        (rc = agree(comm, attr_num(f, "max_d", H5T_STD_U32LE, H5T_NATIVE_UINT32, &max_d, err), err)) ||
        (rc = agree(comm, attr_num(f, "plan_fingerprint", H5T_STD_U64LE, H5T_NATIVE_UINT64, &plan->fingerprint, err),
                    err)) ||
        (rc = agree(comm, attr_str(f, "job_file_names", plan->names, 0, err), err)) ||
        (rc = agree(comm, attr_str(f, "job_files", plan->text, 0, err), err)) ||
        (rc = agree(comm, attr_str(f, "version", info->versions, 0, err), err)) ||
        (rc = agree(comm, attr_str(f, "command_line", info->command_line, 0, err), err)) ||
        (rc = agree(comm, attr_num(f, "ranks", H5T_STD_I32LE, H5T_NATIVE_INT32, &ranks, err), err)) ||
        (rc = agree(comm, attr_num(f, "threads", H5T_STD_I32LE, H5T_NATIVE_INT32, &threads, err), err)) ||
        (rc = agree(comm, attr_str(f, "start_time", info->start_time, REPRO_RESULTS_TIME_LEN, err), err)) ||
        (rc = agree(comm, attr_str(f, "end_time", "", REPRO_RESULTS_TIME_LEN, err), err)))
        return rc;
    if (plan->n_seeds > 1) { /* a sweep: the seed list as given */
        char list[SEEDS_TEXT_MAX];
        repro_plan_format_seeds(plan->seeds, plan->n_seeds, list, sizeof list);
        if ((rc = agree(comm, attr_str(f, "SEEDS", list, 0, err), err)))
            return rc;
    }
    for (int c = 0; c < REPRO_N_COLS; c++)
        if (!is_plan_col(c) && (rc = agree(comm, rank == 0 ? fill_col(r, c, err) : REPRO_OK, err)))
            return rc;
    if ((rc = agree(comm, rank == 0 ? repro_tasks_fill(r->tasks, r->n_jobs, err) : REPRO_OK, err)))
        return rc;
    rc = rank == 0 ? write_plan_cols(r, plan, err) : REPRO_OK;
    if ((rc = agree(comm, rc, err)))
        return rc;
    if (H5Fflush(r->file, H5F_SCOPE_GLOBAL) < 0)
        rc = repro_h5_error(err, __FILE__, __LINE__, "H5Fflush");
    return agree(comm, rc, err);
}

/* Rank 0, after a failed creation: HDF5's MPI-IO driver reports a short
 * write without the system's reason, so ask the system: append 64 KiB to the
 * unfinished file and, if that fails too, put errno's text (e.g. "No space
 * left on device") at the head of the message. */
static void name_the_cause(const char *path, const char *tmp, repro_error *err)
{
    static const char zeros[65536];
    int fd = open(tmp, O_WRONLY | O_APPEND | O_CLOEXEC);
    if (fd < 0)
        return;
    ssize_t n = write(fd, zeros, sizeof zeros);
    int e = errno;
    close(fd);
    if (n == (ssize_t)sizeof zeros)
        return;
    char msg[REPRO_ERRMSG_MAX];
    snprintf(msg, sizeof msg, "%s", err->msg);
    repro_error_set(err, REPRO_EIO, "cannot create %s: %s (%s)", path, strerror(n < 0 ? e : ENOSPC), msg);
}

/* Rank 0, before creating: checks that the file system has room for the
 * whole file (its datasets plus the recorded text and a margin for HDF5's
 * metadata) by reserving that much under the temporary name, which HDF5
 * then truncates and fills. A full disk is thus reported before any
 * collective HDF5 call; the fill that follows takes the space for real. */
static int reserve_space(const repro_results *r, const char *tmp, const repro_run_info *info, repro_error *err)
{
    off_t need = 64 << 10;
    for (int c = 0; c < REPRO_N_COLS; c++)
        need += (off_t)(r->n_jobs * repro_col_row_bytes(c, r->max_d));
    need += (off_t)(r->n_jobs * repro_tasks_row_bytes());
    need += (off_t)(strlen(r->plan->text) + strlen(r->plan->names) + strlen(info->command_line) +
                    strlen(info->versions));
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return repro_error_set(err, REPRO_EINVAL, "cannot create %s: %s", r->path, strerror(errno));
    int e = posix_fallocate(fd, 0, need);
    close(fd);
    if (e == 0)
        return REPRO_OK;
    unlink(tmp);
    if (e == EINVAL || e == EOPNOTSUPP)
        return REPRO_OK; /* no reservation here; the fill still checks */
    return repro_error_set(err, REPRO_EIO, "cannot create %s: %s (it needs about %lld bytes)", r->path, strerror(e),
                           (long long)need);
}

/* Creates the results file under its temporary name and renames it once
 * complete (rank 0, after every rank closed it), then opens it for rows.
 * Collective. */
static int create_file(repro_results *r, MPI_Comm comm, int rank, const repro_run_info *info, repro_error *err)
{
    char tmp[4200];
    creating_name(r->path, tmp, sizeof tmp);
    int rc = REPRO_OK;
    hid_t fapl = mpio_fapl(comm);
    if (fapl < 0)
        rc = repro_h5_error(err, __FILE__, __LINE__, "H5Pset_fapl_mpio");
    if (!rc && rank == 0)
        rc = reserve_space(r, tmp, info, err);
    if ((rc = agree(comm, rc, err))) {
        if (fapl >= 0)
            H5Pclose(fapl);
        return rc;
    }
    r->file = H5Fcreate(tmp, H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
    H5Pclose(fapl);
    if (r->file < 0) {
        repro_h5_error(err, __FILE__, __LINE__, "H5Fcreate");
        rc = repro_error_set(err, REPRO_EINVAL, "cannot create %s (directory missing or not writable?): %s", tmp,
                             err->msg);
    }
    if ((rc = agree(comm, rc, err)))
        return rc;
    rc = create_contents(r, comm, rank, info, err);
    if (rc) {
        /* give the space back first, so the collective close can write
         * HDF5's metadata and finish (a file left open crashes at exit) */
        if (rank == 0 && (rc == REPRO_EHDF5 || rc == REPRO_EIO))
            name_the_cause(r->path, tmp, err);
        if (rank == 0 && truncate(tmp, 0) != 0) {
            /* the close may then fail too; the first cause stays in err */
        }
        if (MPI_Barrier(comm) != MPI_SUCCESS)
            return repro_error_set(err, REPRO_EMPI, "MPI_Barrier failed after a failed creation");
    }
    int bad = results_close_ids(r); /* every rank, also after an agreed failure */
    if (!rc && bad)
        rc = repro_error_set(err, REPRO_EIO, "closing %s failed (full disk?)", tmp);
    if (!rc && rank == 0 && rename(tmp, r->path) != 0)
        rc = repro_error_set(err, REPRO_EIO, "cannot rename %s to %s: %s", tmp, r->path, strerror(errno));
    rc = agree(comm, rc, err);
    if (rc && rank == 0)
        unlink(tmp); /* nothing that blocks a retry */
    if (rc)
        return rc;
    return agree(comm, open_rw(r, comm, err), err);
}

int repro_results_create(const char *path, MPI_Comm comm, const repro_plan *plan,
                         const repro_run_info *info, repro_results **out, repro_error *err)
{
    *out = NULL;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    int rank = 0, exists = 0, rc = REPRO_OK;
    repro_results *r = NULL;
    REPRO_MPI_CHECK(MPI_Comm_rank(comm, &rank));
    if (strlen(plan->text) > REPRO_RESULTS_TEXT_MAX)
        return repro_error_set(err, REPRO_EINVAL, "the job files are too large to record (%zu bytes, at most %d)",
                               strlen(plan->text), REPRO_RESULTS_TEXT_MAX);
    r = results_alloc(path, plan, err);
    if ((rc = agree(comm, r ? REPRO_OK : REPRO_ENOMEM, err)))
        goto fail;
    if ((rc = agree(comm, take_and_look(r, rank, &exists, err), err)))
        goto fail;
    REPRO_MPI_CHECK(MPI_Bcast(&exists, 1, MPI_INT, 0, comm));
    if (exists) {
        rc = repro_error_set(err, REPRO_EINVAL, "%s already exists: use --resume to continue it, or remove it", path);
        goto fail;
    }
    if ((rc = create_file(r, comm, rank, info, err)))
        goto fail;
    *out = r;
    return REPRO_OK;
fail:
    if (!rc)
        rc = err->code ? err->code : REPRO_EHDF5;
    results_free(r);
    return rc;
}

/* The lines of a plan's text that start with "### <head> ", their values
 * joined by sep, into buf ("" if none). */
static void text_heads(const char *text, const char *head, const char *sep, char *buf, size_t size)
{
    size_t at = 0, hl = strlen(head);
    buf[0] = '\0';
    for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
        if (strncmp(l, "### ", 4) || strncmp(l + 4, head, hl) || l[4 + hl] != ' ')
            continue;
        const char *v = l + 5 + hl;
        int len = (int)strcspn(v, "\n");
        if (at < size)
            at += (size_t)snprintf(buf + at, size - at, "%s%.*s", at ? sep : "", len, v);
    }
}

/* Whether a line of a plan's text opens a section ("### FILE", "### SET", ...). */
static int section_line(const char *l)
{
    static const char *const heads[] = {"### FILE ", "### PROFILE ", "### PROFILE_SETTINGS ", "### SET ",
                                        "### MODELS ", "### EXPERIMENTS ", "### DATASETS "};
    for (size_t k = 0; k < sizeof heads / sizeof heads[0]; k++)
        if (!strncmp(l, heads[k], strlen(heads[k])))
            return 1;
    return 0;
}

/* The text of job file `name` in a plan's text: *at and *len, or 0 if the
 * text has no such file. */
static int file_section(const char *text, const char *name, const char **at, size_t *len)
{
    size_t nl = strlen(name);
    for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
        if (strncmp(l, "### FILE ", 9) || strncmp(l + 9, name, nl) || l[9 + nl] != '\n')
            continue;
        const char *b = l + 10 + nl, *e = b;
        while (*e && !section_line(e)) {
            const char *nx = strchr(e, '\n');
            e = nx ? nx + 1 : e + strlen(e);
        }
        *at = b;
        *len = (size_t)(e - b);
        return 1;
    }
    return 0;
}

/* Appends one difference to a list of them ("; " between). */
static void add_diff(char *buf, size_t size, const char *fmt, ...)
{
    size_t at = strlen(buf);
    if (at + 4 >= size)
        return;
    if (at)
        at += (size_t)snprintf(buf + at, size - at, "; ");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + at, size - at, fmt, ap);
    va_end(ap);
}

/* Says what differs between the plan a file records (its seeds, REPEATS,
 * job file names and texts, profile, settings and filters) and the plan of
 * this run, into buf; "" if those agree (then the jobs themselves differ). */
static void plan_differences(const repro_results_data *data, const char *file_seeds, const char *file_names,
                             const char *file_text, const repro_plan *plan, char *buf, size_t size)
{
    buf[0] = '\0';
    char now[SEEDS_TEXT_MAX] = "";
    if (plan->n_seeds > 1)
        repro_plan_format_seeds(plan->seeds, plan->n_seeds, now, sizeof now);
    if (strcmp(file_seeds, now))
        add_diff(buf, size, "it holds the seeds %.200s, not %.200s", file_seeds[0] ? file_seeds : "(one seed)",
                 now[0] ? now : "(one seed)");
    else if (!now[0] && data->seed != plan->seed)
        add_diff(buf, size, "it holds SEED=%llu, not SEED=%llu", (unsigned long long)data->seed,
                 (unsigned long long)plan->seed);
    if (data->repeats != plan->repeats)
        add_diff(buf, size, "REPEATS=%u in the file, %u now", data->repeats, plan->repeats);
    if (strcmp(file_names, plan->names)) {
        char a[256], b[256];
        snprintf(a, sizeof a, "%s", file_names);
        snprintf(b, sizeof b, "%s", plan->names);
        for (char *p = a; *p; p++)
            *p = *p == '\n' ? ',' : *p;
        for (char *p = b; *p; p++)
            *p = *p == '\n' ? ',' : *p;
        add_diff(buf, size, "job files %s in the file, %s now", a, b);
    } else {
        for (size_t f = 0; f < plan->n_files; f++) {
            const char *x = NULL, *y = NULL;
            size_t xl = 0, yl = 0;
            const char *name = plan->files[f]->name;
            if (!file_section(file_text, name, &x, &xl) || !file_section(plan->text, name, &y, &yl) || xl != yl ||
                memcmp(x, y, xl))
                add_diff(buf, size, "job file %s has changed since the file was made", name);
        }
    }
    static const char *const heads[] = {"PROFILE", "PROFILE_SETTINGS", "SET", "MODELS", "EXPERIMENTS", "DATASETS"};
    static const char *const what[] = {"--profile", "the profile's settings", "--set", "--models", "--experiments",
                                       "--datasets"};
    for (size_t k = 0; k < sizeof heads / sizeof heads[0]; k++) {
        char a[512], b[512];
        text_heads(file_text, heads[k], " ", a, sizeof a);
        text_heads(plan->text, heads[k], " ", b, sizeof b);
        if (strcmp(a, b))
            add_diff(buf, size, "%s %.200s in the file, %.200s now", what[k], a[0] ? a : "(not given)",
                     b[0] ? b : "(not given)");
    }
}

/* Rank 0: reads and checks the whole file serially with the reader's own
 * validation (types, shapes, values, checksums), then compares it with the
 * plan; fills status, with damaged finished rows set back to pending (said
 * in r->notice). A file of another plan is refused with one line saying what
 * differs and how to start afresh. */
static int check_file(repro_results *r, int8_t *status, repro_error *err)
{
    const repro_plan *plan = r->plan;
    const char *path = r->path;
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (file < 0)
        return repro_error_set(err, REPRO_EINVAL, "--resume: cannot open %s as an HDF5 file", path);
    repro_results_data data;
    int rc = repro_results_load(file, path, &data, err);
    uint64_t fp = 0;
    if (!rc && repro_h5_attr_num(file, "plan_fingerprint", H5T_NATIVE_UINT64, &fp))
        rc = repro_error_set(err, REPRO_EINVAL, "%s: attribute plan_fingerprint missing or unreadable", path);
    char *seeds = rc ? NULL : repro_h5_attr_text(file, "SEEDS");
    char *names = rc ? NULL : repro_h5_attr_text(file, "job_file_names");
    char *text = rc ? NULL : repro_h5_attr_text(file, "job_files");
    if (!rc && (!seeds || !names || !text))
        rc = repro_error_set(err, REPRO_ENOMEM, "out of memory");
    H5Fclose(file);
    if (rc) {
        free(seeds);
        free(names);
        free(text);
        repro_error_prefix(err, "--resume");
        return rc;
    }
    char now[SEEDS_TEXT_MAX] = "";
    if (plan->n_seeds > 1)
        repro_plan_format_seeds(plan->seeds, plan->n_seeds, now, sizeof now);
    if (strcmp(seeds, now) || data.seed != plan->seed || data.repeats != plan->repeats ||
        data.n_jobs != plan->n_jobs || fp != plan->fingerprint || data.max_d != plan->max_d) {
        char diff[1024];
        plan_differences(&data, seeds, names, text, plan, diff, sizeof diff);
        rc = repro_error_set(err, REPRO_EINVAL,
                             "--resume: %s belongs to another plan (%s); to start afresh, remove it or name "
                             "another file with -o, and run without --resume",
                             path, diff[0] ? diff : "the same job files and options give other jobs: made by "
                                                    "another version of the program?");
        goto done;
    }
    char want[REPRO_NAME_MAX > 8 ? REPRO_NAME_MAX : 8];
    for (size_t i = 0; i < plan->n_jobs && !rc; i++) {
        for (int c = 0; c < REPRO_N_COLS && !rc; c++) {
            if (!is_plan_col(c))
                continue;
            size_t w = repro_col_elem(c);
            plan_cell(plan, i, c, want);
            if (memcmp(want, (char *)data.col[c] + i * w, w) != 0)
                rc = repro_error_set(err, REPRO_EINVAL,
                                     "--resume: %s: dataset %s: job %zu does not hold the plan's value; "
                                     "refusing a damaged file", path, repro_cols[c].path, i);
        }
        status[i] = data.damaged[i] ? REPRO_JOB_PENDING : ((int8_t *)data.col[COL_STATUS])[i];
    }
    if (!rc && data.n_damaged)
        snprintf(r->notice, sizeof r->notice,
                 "%zu finished row%s of %.800s do%s not match %s checksum (first: job %zu): computing %s again",
                 data.n_damaged, data.n_damaged == 1 ? "" : "s", path, data.n_damaged == 1 ? "es" : "",
                 data.n_damaged == 1 ? "its" : "their", data.first_damaged, data.n_damaged == 1 ? "it" : "them");
done:
    free(seeds);
    free(names);
    free(text);
    repro_results_data_free(&data);
    return rc;
}

int repro_results_reopen(const char *path, MPI_Comm comm, const repro_plan *plan, const repro_run_info *info,
                         int8_t *status, repro_results **out, repro_error *err)
{
    *out = NULL;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    int rc = REPRO_OK, rank = 0, exists = 0, leftover = 0;
    repro_results *r = NULL;
    REPRO_MPI_CHECK(MPI_Comm_rank(comm, &rank));
    r = results_alloc(path, plan, err);
    if ((rc = agree(comm, r ? REPRO_OK : REPRO_ENOMEM, err)))
        goto fail;
    if ((rc = agree(comm, take_and_look(r, rank, &exists, err), err)))
        goto fail;
    leftover = r->notice[0] != '\0';
    int what[2] = {exists, leftover};
    REPRO_MPI_CHECK(MPI_Bcast(what, 2, MPI_INT, 0, comm));
    if (!what[0] && what[1]) {
        /* only an unfinished creation was there: start the file afresh */
        memset(status, 0, plan->n_jobs);
        if ((rc = create_file(r, comm, rank, info, err)))
            goto fail;
        *out = r;
        return REPRO_OK;
    }
    if (!what[0]) {
        rc = repro_error_set(err, REPRO_EINVAL, "--resume: %s does not exist", path);
        goto fail;
    }
    /* check serially first, so a refused file is left untouched */
    rc = rank == 0 ? check_file(r, status, err) : REPRO_OK;
    if ((rc = agree(comm, rc, err)))
        goto fail;
    REPRO_MPI_CHECK(MPI_Bcast(status, (int)plan->n_jobs, MPI_INT8_T, 0, comm));
    if ((rc = agree(comm, open_rw(r, comm, err), err)))
        goto fail;
    *out = r;
    return REPRO_OK;
fail:
    if (!rc)
        rc = err->code ? err->code : REPRO_EHDF5;
    results_free(r);
    return rc;
}

/* Writes one whole row of column c from buf (every element of the row).
 * Independent. */
static int write_row_col(repro_results *r, int c, uint32_t job, const void *buf, repro_error *err)
{
    const repro_col_def *def = &repro_cols[c];
    int rc = REPRO_OK;
    hid_t mt = -1, fs = -1, ms = -1;
    hsize_t start[3] = {job, 0, 0}, cnt[3] = {1, r->max_d, 2};
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

/* Fills a string cell (zero-padded, truncated to the column's width). */
static void str_cell(char *cell, int c, const char *s)
{
    memset(cell, 0, repro_cols[c].strlen);
    snprintf(cell, repro_cols[c].strlen, "%s", s ? s : "");
}

int repro_results_write_row(repro_results *r, const repro_job_row *row, repro_error *err)
{
    if (row->job >= r->n_jobs || row->d > r->max_d)
        return repro_error_set(err, REPRO_EINVAL, "job row %u out of range", row->job);
    size_t d = row->d, max_d = r->max_d, total = 0, off[REPRO_N_COLS];
    for (int c = 0; c < REPRO_N_COLS; c++) {
        off[c] = total;
        total += (repro_col_row_bytes(c, max_d) + 7) / 8 * 8;
    }
    char *mem = repro_calloc(total, 1, err);
    if (!mem)
        return REPRO_ENOMEM;
    void *cell[REPRO_N_COLS];
    for (int c = 0; c < REPRO_N_COLS; c++)
        cell[c] = mem + off[c];
    /* the whole row as it will be in the file, padding included */
    for (int c = 0; c < REPRO_N_COLS; c++)
        if (is_plan_col(c))
            plan_cell(r->plan, row->job, c, cell[c]);
    int8_t *rel = cell[COL_RELEVANCE], *tru = cell[COL_TRUTH];
    double *imp = cell[COL_IMPORTANCE], *bnd = cell[COL_BOUNDS];
    for (size_t j = 0; j < max_d; j++) {
        rel[j] = j < d && row->relevance ? (int8_t)row->relevance[j] : -1;
        tru[j] = j < d && row->truth ? (int8_t)row->truth[j] : -1;
        imp[j] = j < d && row->importance ? row->importance[j] : NAN;
        bnd[2 * j] = j < d && row->bounds ? row->bounds[2 * j] : NAN;
        bnd[2 * j + 1] = j < d && row->bounds ? row->bounds[2 * j + 1] : NAN;
    }
    *(int8_t *)cell[COL_STATUS] = (int8_t)row->status;
    repro_job_scores sc;
    repro_job_scores_none(&sc);
    if (row->status == REPRO_JOB_DONE && row->relevance && row->truth) {
        int classes = r->plan->jobs[row->job].params->type->max_class == 2;
        if (repro_job_scores_compute(tru, rel, d, classes, &sc, err)) {
            free(mem);
            return REPRO_ENOMEM;
        }
    }
    const double scores[7] = {sc.precision,      sc.recall,      sc.f1, sc.weak_precision, sc.weak_recall,
                              sc.strong_precision, sc.strong_recall};
    for (int k = 0; k < 7; k++)
        memcpy(cell[COL_PRECISION + k], &scores[k], sizeof(double));
    memcpy(cell[COL_TRAIN_SCORE], &row->train_score, sizeof(double));
    memcpy(cell[COL_FIT_SECONDS], &row->fit_seconds, sizeof(double));
    memcpy(cell[COL_RANK], &row->rank, sizeof(int32_t));
    *(int8_t *)cell[COL_HAS_IMPORTANCE] = row->importance != NULL;
    *(int8_t *)cell[COL_HAS_BOUNDS] = row->bounds != NULL;
    str_cell(cell[COL_HOST], COL_HOST, row->host);
    str_cell(cell[COL_START_TIME], COL_START_TIME, row->start_time);
    str_cell(cell[COL_EXTRAS], COL_EXTRAS, row->extras);
    str_cell(cell[COL_MESSAGE], COL_MESSAGE, row->message);
    uint64_t sum = repro_row_checksum((const void *const *)cell, max_d);
    memcpy(cell[COL_CHECKSUM], &sum, sizeof sum);
    int rc = REPRO_OK;
    for (int c = 0; c < REPRO_N_COLS && !rc; c++)
        if (!is_plan_col(c) && c != COL_STATUS)
            rc = write_row_col(r, c, row->job, cell[c], err);
    if (!rc)
        rc = repro_tasks_write_row(r->tasks, row->job, row->tasks, err);
    if (!rc) /* last: a row is only marked finished once everything else is written */
        rc = write_row_col(r, COL_STATUS, row->job, cell[COL_STATUS], err);
    free(mem);
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
    if (results_close_ids(r) && !rc)
        rc = repro_error_set(err, REPRO_EHDF5, "%s:%d: closing the results file failed", __FILE__, __LINE__);
    repro_lock_release(r->path, r->lock_fd);
    free(r->path);
    free(r);
    return rc;
}
