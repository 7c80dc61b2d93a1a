/* results_layout.c - the column table of the results file, and the small
 * HDF5 type and attribute helpers the writer and the reader share. */
#include "results_layout.h"

#include <stdlib.h>
#include <string.h>

const repro_col_def repro_cols[REPRO_N_COLS] = {
    [COL_ID] = {"/jobs/id", RT_U32, 0, 1, "job number in the plan's canonical order"},
    [COL_EXPERIMENT] = {"/jobs/experiment", RT_STR, REPRO_NAME_MAX, 1, "experiment name"},
    [COL_DATASET] = {"/jobs/dataset", RT_STR, REPRO_NAME_MAX, 1, "data set name"},
    [COL_MODEL] = {"/jobs/model", RT_STR, 32, 1, "model name"},
    [COL_REPEAT] = {"/jobs/repeat", RT_U32, 0, 1, "repeat, 0..REPEATS-1"},
    [COL_N] = {"/jobs/n", RT_U32, 0, 1, "rows of the data set"},
    [COL_D] = {"/jobs/d", RT_U32, 0, 1, "features of the data set"},
    [COL_STATUS] = {"/jobs/status", RT_I8, 0, 1, "0 pending, 1 done, 2 failed"},
    [COL_TRAIN_SCORE] = {"/jobs/train_score", RT_F64, 0, 1, "the model's training score (NaN if none)"},
    [COL_FIT_SECONDS] = {"/jobs/fit_seconds", RT_F64, 0, 1, "wall time of the fit in seconds"},
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

hid_t repro_col_file_type(const repro_col_def *c)
{
    switch (c->type) {
    case RT_U32: return H5T_STD_U32LE;
    case RT_I32: return H5T_STD_I32LE;
    case RT_I8: return H5T_STD_I8LE;
    case RT_F64: return H5T_IEEE_F64LE;
    default: return repro_h5_str_type(c->strlen);
    }
}

hid_t repro_col_mem_type(const repro_col_def *c)
{
    switch (c->type) {
    case RT_U32: return H5T_NATIVE_UINT32;
    case RT_I32: return H5T_NATIVE_INT32;
    case RT_I8: return H5T_NATIVE_INT8;
    case RT_F64: return H5T_NATIVE_DOUBLE;
    default: return repro_h5_str_type(c->strlen);
    }
}

void repro_col_type_close(const repro_col_def *c, hid_t t)
{
    if (c->type == RT_STR && t >= 0)
        H5Tclose(t);
}

char *repro_h5_attr_text(hid_t loc, const char *name)
{
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT), t = -1;
    char *s = NULL;
    if (a >= 0 && (t = H5Aget_type(a)) >= 0 && H5Tget_class(t) == H5T_STRING && !H5Tis_variable_str(t)) {
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
    int bad = a < 0 || H5Aread(a, mem_type, v) < 0;
    if (a >= 0)
        H5Aclose(a);
    return bad;
}
