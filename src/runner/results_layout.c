/* results_layout.c - the column table of the results file, and the small
 * HDF5 type and attribute helpers the writer and the reader share. */
#include "results_layout.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repro/record.h"

const repro_col_def repro_cols[REPRO_N_COLS] = {
    [COL_ID] = {"/jobs/id", RT_U32, 0, 1, "job number in the plan's canonical order"},
    [COL_SEED] = {"/jobs/seed", RT_U64, 0, 1, "the job's master seed (one of SEEDS in a sweep)"},
    [COL_EXPERIMENT] = {"/jobs/experiment", RT_STR, REPRO_NAME_MAX, 1, "experiment name"},
    [COL_DATASET] = {"/jobs/dataset", RT_STR, REPRO_NAME_MAX, 1, "data set name"},
    [COL_MODEL] = {"/jobs/model", RT_STR, 32, 1, "model name"},
    [COL_REPEAT] = {"/jobs/repeat", RT_U32, 0, 1, "repeat, 0..REPEATS-1"},
    [COL_N] = {"/jobs/n", RT_U32, 0, 1, "rows of the data set"},
    [COL_D] = {"/jobs/d", RT_U32, 0, 1, "features of the data set"},
    [COL_STATUS] = {"/jobs/status", RT_STATUS, 0, 1, "enum: pending (0), done (1), failed (2)"},
    [COL_TRAIN_SCORE] = {"/jobs/train_score", RT_F64, 0, 1, "the model's training score (NaN if none)"},
    [COL_FIT_SECONDS] = {"/jobs/fit_seconds", RT_F64, 0, 1, "wall time of the fit in seconds"},
    [COL_PRECISION] = {"/jobs/precision", RT_F64, 0, 1,
                       "all-relevant precision (class > 0) against the truth, 0/0 = 0 (NaN if not done)"},
    [COL_RECALL] = {"/jobs/recall", RT_F64, 0, 1, "all-relevant recall, 0/0 = 0 (NaN if not done)"},
    [COL_F1] = {"/jobs/f1", RT_F64, 0, 1, "all-relevant F1 (NaN if not done)"},
    [COL_WEAK_PRECISION] = {"/jobs/weak_precision", RT_F64, 0, 1,
                            "precision of class 1 (weak), 0/0 = 1 (NaN: not done, or a model without classes)"},
    [COL_WEAK_RECALL] = {"/jobs/weak_recall", RT_F64, 0, 1, "recall of class 1 (weak), 0/0 = 1 (NaN as above)"},
    [COL_STRONG_PRECISION] = {"/jobs/strong_precision", RT_F64, 0, 1,
                              "precision of class 2 (strong), 0/0 = 1 (NaN as above)"},
    [COL_STRONG_RECALL] = {"/jobs/strong_recall", RT_F64, 0, 1, "recall of class 2 (strong), 0/0 = 1 (NaN as above)"},
    [COL_RANK] = {"/jobs/rank", RT_I32, 0, 1, "MPI rank that ran the job (-1 if not run)"},
    [COL_HOST] = {"/jobs/host", RT_STR, REPRO_RESULTS_HOST_LEN, 1, "host that ran the job"},
    [COL_START_TIME] = {"/jobs/start_time", RT_STR, REPRO_RESULTS_TIME_LEN, 1, "UTC start of the job"},
    [COL_HAS_IMPORTANCE] = {"/jobs/has_importance", RT_I8, 0, 1, "1 if /importance holds the row"},
    [COL_HAS_BOUNDS] = {"/jobs/has_bounds", RT_I8, 0, 1, "1 if /bounds holds the row"},
    [COL_EXTRAS] = {"/jobs/extras", RT_STR, REPRO_RESULTS_EXTRAS_LEN, 1, "the model's extras as one JSON object"},
    [COL_MESSAGE] = {"/jobs/message", RT_STR, REPRO_RESULTS_MESSAGE_LEN, 1, "error message of a failed job"},
    [COL_RELEVANCE] = {"/relevance", RT_I8, 0, 2, "predicted class per feature, -1 padding"},
    [COL_TRUTH] = {"/truth", RT_I8, 0, 2, "true class per feature, -1 padding"},
    [COL_IMPORTANCE] = {"/importance", RT_F64, 0, 2, "importance per feature, NaN padding"},
    [COL_BOUNDS] = {"/bounds", RT_F64, 0, 3, "relevance bounds [lo, hi] per feature, NaN padding"},
    [COL_CHECKSUM] = {"/jobs/checksum", RT_U64, 0, 1,
                      "CRC-64 of the row in every other column, written with a finished row (0 pending)"},
};

hid_t repro_h5_str_type(size_t len)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0)
        return t;
    if (H5Tset_size(t, len) < 0 || H5Tset_strpad(t, H5T_STR_NULLTERM) < 0) {
        H5Tclose(t);
        return -1;
    }
    return t;
}

/* The status enum over an 8-bit integer base type (pending 0, done 1,
 * failed 2), or a negative id. */
static hid_t status_type(hid_t base)
{
    hid_t t = H5Tenum_create(base);
    if (t < 0)
        return t;
    static const char *const names[] = {"pending", "done", "failed"};
    for (int8_t v = 0; v < 3; v++)
        if (H5Tenum_insert(t, names[v], &v) < 0) {
            H5Tclose(t);
            return -1;
        }
    return t;
}

hid_t repro_col_file_type(const repro_col_def *c)
{
    switch (c->type) {
    case RT_STATUS: return status_type(H5T_STD_I8LE);
    case RT_U32: return H5T_STD_U32LE;
    case RT_I32: return H5T_STD_I32LE;
    case RT_I8: return H5T_STD_I8LE;
    case RT_F64: return H5T_IEEE_F64LE;
    case RT_U64: return H5T_STD_U64LE;
    default: return repro_h5_str_type(c->strlen);
    }
}

hid_t repro_col_mem_type(const repro_col_def *c)
{
    switch (c->type) {
    case RT_STATUS: return status_type(H5T_NATIVE_INT8);
    case RT_U32: return H5T_NATIVE_UINT32;
    case RT_I32: return H5T_NATIVE_INT32;
    case RT_I8: return H5T_NATIVE_INT8;
    case RT_F64: return H5T_NATIVE_DOUBLE;
    case RT_U64: return H5T_NATIVE_UINT64;
    default: return repro_h5_str_type(c->strlen);
    }
}

void repro_col_type_close(const repro_col_def *c, hid_t t)
{
    if ((c->type == RT_STR || c->type == RT_STATUS) && t >= 0)
        H5Tclose(t);
}

/* Whether attribute a holds exactly one element (a scalar or a 1-element
 * array): the readers below read one element, so an array attribute in a
 * damaged file must not reach H5Aread. */
static int attr_single(hid_t a)
{
    hid_t sp = H5Aget_space(a);
    hssize_t n = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    if (sp >= 0)
        H5Sclose(sp);
    return n == 1;
}

char *repro_h5_attr_text(hid_t loc, const char *name)
{
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT), t = -1;
    char *s = NULL;
    if (a >= 0 && attr_single(a) && (t = H5Aget_type(a)) >= 0 && H5Tget_class(t) == H5T_STRING &&
        !H5Tis_variable_str(t)) {
        size_t len = H5Tget_size(t);
        s = calloc(len + 1, 1);
        if (s && H5Aread(a, t, s) < 0)
            s[0] = '\0';
    }
    repro_h5_release((hid_t[]){t, a}, 2);
    return s ? s : strdup("");
}

int repro_h5_attr_num(hid_t loc, const char *name, hid_t mem_type, void *v)
{
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    int bad = a < 0 || !attr_single(a) || H5Aread(a, mem_type, v) < 0;
    if (a >= 0)
        H5Aclose(a);
    return bad;
}

/* The innermost entry of HDF5's error stack: its description and minor
 * message, which carry the system's reason (errno text) when there is one. */
typedef struct h5_cause {
    char desc[256];
    char minor[128];
} h5_cause;

static herr_t h5_cause_walk(unsigned n, const H5E_error2_t *e, void *data)
{
    (void)n;
    h5_cause *c = data;
    if (e->desc && e->desc[0])
        snprintf(c->desc, sizeof c->desc, "%s", e->desc);
    if (H5Eget_msg(e->min_num, NULL, c->minor, sizeof c->minor) < 0)
        c->minor[0] = '\0';
    return 0;
}

int repro_h5_error(repro_error *err, const char *file, int line, const char *call)
{
    h5_cause c = {"", ""};
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, h5_cause_walk, &c);
    return repro_error_set(err, REPRO_EHDF5, "%s:%d: HDF5 call failed: %s%s%s%s%s%s", file, line, call,
                           c.desc[0] || c.minor[0] ? ": " : "", c.desc, c.desc[0] && c.minor[0] ? " (" : "",
                           c.minor, c.desc[0] && c.minor[0] ? ")" : "");
}

size_t repro_col_elem(int c)
{
    switch (repro_cols[c].type) {
    case RT_I8:
    case RT_STATUS: return 1;
    case RT_U32:
    case RT_I32: return 4;
    case RT_F64:
    case RT_U64: return 8;
    default: return repro_cols[c].strlen;
    }
}

size_t repro_col_row_bytes(int c, size_t max_d)
{
    int nd = repro_cols[c].ndims;
    return repro_col_elem(c) * (nd > 1 ? max_d : 1) * (nd > 2 ? 2 : 1);
}

/* CRC-64 (ECMA-182 polynomial, reflected, as in xz) continued over n bytes. */
static uint64_t crc64_update(const uint64_t table[256], uint64_t crc, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
    return crc;
}

uint64_t repro_row_checksum(const void *const cell[REPRO_N_COLS], size_t max_d)
{
    uint64_t table[256];
    for (unsigned b = 0; b < 256; b++) {
        uint64_t r = b;
        for (int k = 0; k < 8; k++)
            r = (r & 1) ? (r >> 1) ^ UINT64_C(0xC96C5795D7870F42) : r >> 1;
        table[b] = r;
    }
    uint64_t crc = ~UINT64_C(0);
    for (int c = 0; c < REPRO_N_COLS; c++)
        if (c != COL_CHECKSUM)
            crc = crc64_update(table, crc, cell[c], repro_col_row_bytes(c, max_d));
    crc = ~crc;
    return crc ? crc : 1; /* 0 is the mark of a row without one */
}

/* Names an HDF5 type for messages ("integer", "float", "string[32]"...). */
static void type_name(hid_t t, char *buf, size_t size)
{
    H5T_class_t cls = H5Tget_class(t);
    size_t sz = H5Tget_size(t);
    if (cls == H5T_STRING)
        snprintf(buf, size, "%s string[%zu]", H5Tis_variable_str(t) > 0 ? "variable" : "fixed", sz);
    else if (cls == H5T_INTEGER)
        snprintf(buf, size, "%s %zu-byte integer", H5Tget_sign(t) == H5T_SGN_NONE ? "unsigned" : "signed", sz);
    else if (cls == H5T_FLOAT)
        snprintf(buf, size, "%zu-byte float", sz);
    else if (cls == H5T_ENUM)
        snprintf(buf, size, "%zu-byte enum of %d members", sz, H5Tget_nmembers(t));
    else
        snprintf(buf, size, "type class %d", (int)cls);
}

/* The expected type of a column, for messages. */
static void want_name(const repro_col_def *d, char *buf, size_t size)
{
    switch (d->type) {
    case RT_U32: snprintf(buf, size, "unsigned 4-byte integer"); break;
    case RT_I32: snprintf(buf, size, "signed 4-byte integer"); break;
    case RT_I8: snprintf(buf, size, "signed 1-byte integer"); break;
    case RT_U64: snprintf(buf, size, "unsigned 8-byte integer"); break;
    case RT_F64: snprintf(buf, size, "8-byte float"); break;
    case RT_STATUS: snprintf(buf, size, "1-byte enum {pending 0, done 1, failed 2}"); break;
    default: snprintf(buf, size, "fixed string[%zu]", d->strlen); break;
    }
}

/* 1 if the file type t is exactly what column d stores. */
static int type_ok(const repro_col_def *d, hid_t t)
{
    H5T_class_t cls = H5Tget_class(t);
    size_t sz = H5Tget_size(t);
    switch (d->type) {
    case RT_STR: return cls == H5T_STRING && H5Tis_variable_str(t) == 0 && sz == d->strlen;
    case RT_STATUS: {
        if (cls != H5T_ENUM || sz != 1 || H5Tget_nmembers(t) != 3)
            return 0;
        hid_t want = status_type(H5T_STD_I8LE);
        int same = want >= 0 && H5Tequal(t, want) > 0;
        if (want >= 0)
            H5Tclose(want);
        return same;
    }
    case RT_F64: return cls == H5T_FLOAT && sz == 8;
    default:
        return cls == H5T_INTEGER && sz == repro_col_elem((int)(d - repro_cols)) &&
               (H5Tget_sign(t) == H5T_SGN_NONE) == (d->type == RT_U32 || d->type == RT_U64);
    }
}

/* Reads column c whole after checking its type and shape ([n_jobs],
 * [n_jobs, max_d] or [n_jobs, max_d, 2]); *buf is allocated. */
static int load_col(hid_t file, const char *path, int c, size_t n_jobs, size_t max_d, void **buf,
                    repro_error *err)
{
    const repro_col_def *def = &repro_cols[c];
    hid_t d = -1, s = -1, t = -1, mt = -1;
    int rc = REPRO_OK;
    *buf = NULL;
    hsize_t dims[3] = {0, 0, 0}, want[3] = {n_jobs, max_d, 2};
    char have_t[64], want_t[64];
    if (H5Lexists(file, def->path, H5P_DEFAULT) <= 0 || (d = H5Dopen2(file, def->path, H5P_DEFAULT)) < 0) {
        rc = repro_error_set(err, REPRO_EINVAL, "%s: dataset %s is missing", path, def->path);
        goto done;
    }
    if ((t = H5Dget_type(d)) < 0 || !type_ok(def, t)) {
        if (t >= 0)
            type_name(t, have_t, sizeof have_t);
        else
            snprintf(have_t, sizeof have_t, "unreadable type");
        want_name(def, want_t, sizeof want_t);
        rc = repro_error_set(err, REPRO_EINVAL, "%s: dataset %s is of type %s, expected %s", path, def->path,
                             have_t, want_t);
        goto done;
    }
    int nd = (s = H5Dget_space(d)) < 0 ? -1 : H5Sget_simple_extent_ndims(s);
    if (nd != def->ndims || H5Sget_simple_extent_dims(s, dims, NULL) < 0 || dims[0] != want[0] ||
        (nd > 1 && dims[1] != want[1]) || (nd > 2 && dims[2] != want[2])) {
        char shape[96] = "", expect[96];
        for (int k = 0; k < nd && k < 3; k++)
            snprintf(shape + strlen(shape), sizeof shape - strlen(shape), "%s%llu", k ? " x " : "",
                     (unsigned long long)dims[k]);
        snprintf(expect, sizeof expect, "%zu%s", n_jobs,
                 def->ndims == 1 ? "" : def->ndims == 2 ? " x max_d" : " x max_d x 2");
        rc = repro_error_set(err, REPRO_EINVAL,
                             "%s: dataset %s has shape [%s], expected [%s] (n_jobs=%zu, max_d=%zu)", path,
                             def->path, nd < 0 ? "?" : shape, expect, n_jobs, max_d);
        goto done;
    }
    size_t bytes = n_jobs * repro_col_row_bytes(c, max_d);
    *buf = repro_calloc(bytes ? bytes : 1, 1, err);
    if (!*buf) {
        rc = REPRO_ENOMEM;
        goto done;
    }
    mt = repro_col_mem_type(def);
    if (mt < 0 || (bytes && H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, *buf) < 0)) {
        rc = repro_error_set(err, REPRO_EINVAL, "%s: cannot read dataset %s (truncated file?)", path,
                             def->path);
        free(*buf);
        *buf = NULL;
    }
done:
    repro_col_type_close(def, mt);
    repro_h5_release((hid_t[]){t, s, d}, 3);
    return rc;
}

/* 1 if two stored scores are the same (NaN equals NaN). */
static int same_score(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

/* Whether job i's stored scores are those of its relevance and truth: a
 * finished job's all-relevant scores, and its per-class ones unless all four
 * are NaN (a model without classes); NaN throughout for a failed job.
 * *ok is set; nonzero only when out of memory. */
static int scores_ok(const repro_results_data *o, size_t i, int *ok, repro_error *err)
{
    const double *st[7];
    for (int k = 0; k < 7; k++)
        st[k] = (const double *)o->col[COL_PRECISION + k] + i;
    repro_job_scores want;
    int done = ((int8_t *)o->col[COL_STATUS])[i] == REPRO_JOB_DONE;
    size_t d = done ? ((uint32_t *)o->col[COL_D])[i] : 0;
    int classes = !(isnan(*st[3]) && isnan(*st[4]) && isnan(*st[5]) && isnan(*st[6]));
    int rc = repro_job_scores_compute((int8_t *)o->col[COL_TRUTH] + i * o->max_d,
                                      (int8_t *)o->col[COL_RELEVANCE] + i * o->max_d, d, classes, &want, err);
    const double w[7] = {want.precision, want.recall, want.f1, want.weak_precision, want.weak_recall,
                         want.strong_precision, want.strong_recall};
    *ok = 1;
    for (int k = 0; k < 7; k++)
        *ok = *ok && same_score(*st[k], w[k]);
    return rc;
}

void repro_results_data_free(repro_results_data *d)
{
    if (!d)
        return;
    for (int c = 0; c < REPRO_N_COLS; c++)
        free(d->col[c]);
    free(d->damaged);
    memset(d, 0, sizeof *d);
}

/* Checks the root attributes and reads the ones that size the file. */
static int load_attrs(hid_t file, const char *path, repro_results_data *o, repro_error *err)
{
    char *format = repro_h5_attr_text(file, "format");
    if (!format)
        return repro_error_set(err, REPRO_ENOMEM, "out of memory");
    int rc = REPRO_OK;
    if (strcmp(format, REPRO_RESULTS_FORMAT) != 0) {
        if (!strncmp(format, "repro_mpi results ", 18))
            rc = repro_error_set(err, REPRO_EINVAL,
                                 "%s: a results file of another format ('%s'; this version reads '%s'): run it "
                                 "again with this version, or read it with the version that wrote it", path,
                                 format, REPRO_RESULTS_FORMAT);
        else
            rc = repro_error_set(err, REPRO_EINVAL, "%s: not a repro_mpi results file (attribute format '%s')",
                                 path, format);
        free(format);
        return rc;
    }
    free(format);
    static const char *const names[] = {"SEED", "REPEATS", "n_jobs", "max_d"};
    void *dst[] = {&o->seed, &o->repeats, &o->n_jobs, &o->max_d};
    for (int k = 0; k < 4; k++) {
        hid_t a = H5Aopen(file, names[k], H5P_DEFAULT), t = a < 0 ? -1 : H5Aget_type(a), s = -1;
        int ok = t >= 0 && H5Tget_class(t) == H5T_INTEGER && H5Tget_sign(t) == H5T_SGN_NONE &&
                 H5Tget_size(t) == (k ? 4u : 8u) && (s = H5Aget_space(a)) >= 0 &&
                 H5Sget_simple_extent_npoints(s) == 1 &&
                 H5Aread(a, k ? H5T_NATIVE_UINT32 : H5T_NATIVE_UINT64, dst[k]) >= 0;
        repro_h5_release((hid_t[]){s, t, a}, 3);
        if (!ok)
            return repro_error_set(err, REPRO_EINVAL, "%s: attribute %s is missing or not an unsigned %d-byte scalar",
                                   path, names[k], k ? 4 : 8);
    }
    if (o->n_jobs == 0)
        return repro_error_set(err, REPRO_EINVAL, "%s: attribute n_jobs is 0", path);
    if (o->max_d == 0 || o->max_d > REPRO_RESULTS_MAX_D)
        return repro_error_set(err, REPRO_EINVAL, "%s: attribute max_d is %u (from 1 to %u)", path, o->max_d,
                               REPRO_RESULTS_MAX_D);
    return REPRO_OK;
}

int repro_results_load(hid_t file, const char *path, repro_results_data *o, repro_error *err)
{
    memset(o, 0, sizeof *o);
    int rc = load_attrs(file, path, o, err);
    for (int c = 0; c < REPRO_N_COLS && !rc; c++)
        rc = load_col(file, path, c, o->n_jobs, o->max_d, &o->col[c], err);
    if (!rc && !(o->damaged = repro_calloc(o->n_jobs, 1, err)))
        rc = REPRO_ENOMEM;
    size_t max_d = o->max_d;
    for (size_t i = 0; i < o->n_jobs && !rc; i++) {
        int8_t st = ((int8_t *)o->col[COL_STATUS])[i];
        uint32_t id = ((uint32_t *)o->col[COL_ID])[i], d = ((uint32_t *)o->col[COL_D])[i];
        if (st != REPRO_JOB_PENDING && st != REPRO_JOB_DONE && st != REPRO_JOB_FAILED) {
            rc = repro_error_set(err, REPRO_EINVAL, "%s: dataset /jobs/status: job %zu has status %d (0, 1 or 2)",
                                 path, i, st);
        } else if (id != i) {
            rc = repro_error_set(err, REPRO_EINVAL, "%s: dataset /jobs/id: row %zu holds %u", path, i, id);
        } else if (d > max_d) {
            rc = repro_error_set(err, REPRO_EINVAL, "%s: dataset /jobs/d: job %zu has d=%u, more than max_d=%zu",
                                 path, i, d, max_d);
        } else if (st != REPRO_JOB_PENDING) {
            const void *cell[REPRO_N_COLS];
            for (int c = 0; c < REPRO_N_COLS; c++)
                cell[c] = (const char *)o->col[c] + i * repro_col_row_bytes(c, max_d);
            int8_t hi = ((int8_t *)o->col[COL_HAS_IMPORTANCE])[i], hb = ((int8_t *)o->col[COL_HAS_BOUNDS])[i];
            int scored = 0;
            if ((rc = scores_ok(o, i, &scored, err)))
                break;
            if (((uint64_t *)o->col[COL_CHECKSUM])[i] != repro_row_checksum(cell, max_d) || hi < 0 || hi > 1 ||
                hb < 0 || hb > 1 || !scored) {
                if (!o->n_damaged++)
                    o->first_damaged = i;
                o->damaged[i] = 1;
            }
        }
    }
    if (rc)
        repro_results_data_free(o);
    return rc;
}
