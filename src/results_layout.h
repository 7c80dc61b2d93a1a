/* results_layout.h - the datasets of a results file, shared by the parallel
 * writer (results.c) and the serial reader (results_read.c) so the layout
 * lives in one place. Private to src/. */
#ifndef REPRO_RESULTS_LAYOUT_H
#define REPRO_RESULTS_LAYOUT_H

#include <hdf5.h>
#include <stddef.h>

#include "repro/error.h"
#include "repro/results.h"

/* Turns a failed HDF5 call (negative return) into REPRO_EHDF5 with file:line;
 * needs `repro_error *err` in scope and jumps to the label `fail`. */
#define REPRO_H5_CHECK(call)                                                          \
    do {                                                                            \
        if ((call) < 0) {                                                           \
            repro_error_set(err, REPRO_EHDF5, "%s:%d: HDF5 call failed: %s", __FILE__, \
                            __LINE__, #call);                                       \
            goto fail;                                                              \
        }                                                                           \
    } while (0)

enum { RT_U32, RT_I32, RT_I8, RT_F64, RT_STR };

enum {
    COL_ID, COL_EXPERIMENT, COL_DATASET, COL_MODEL, COL_REPEAT, COL_N, COL_D, COL_STATUS,
    COL_TRAIN_SCORE, COL_FIT_SECONDS, COL_RANK, COL_HOST, COL_START_TIME, COL_HAS_IMPORTANCE,
    COL_HAS_BOUNDS, COL_EXTRAS, COL_MESSAGE, COL_RELEVANCE, COL_TRUTH, COL_IMPORTANCE, COL_BOUNDS,
    REPRO_N_COLS
};

/* A sweep's extra column (uint64, one per job); absent from single-seed files. */
#define REPRO_SEED_COL "/jobs/seed"

typedef struct repro_col_def {
    const char *path;
    int type;
    size_t strlen; /* fixed string length incl. the NUL (RT_STR) */
    int ndims;     /* 1: [n_jobs], 2: [n_jobs, max_d], 3: [n_jobs, max_d, 2] */
    const char *doc;
} repro_col_def;

extern const repro_col_def repro_cols[REPRO_N_COLS];

/* The HDF5 file type of a column (a new string type for RT_STR, to be closed
 * with H5Tclose; the predefined type otherwise). */
hid_t repro_col_file_type(const repro_col_def *c);
/* The memory type of a column (same rule). */
hid_t repro_col_mem_type(const repro_col_def *c);
/* Closes a type returned above if it was created (strings). */
void repro_col_type_close(const repro_col_def *c, hid_t t);
/* A new fixed-length NUL-terminated string type of len bytes (close with
 * H5Tclose), or a negative id. */
hid_t repro_h5_str_type(size_t len);
/* Reads a string attribute of any fixed length into an allocated string
 * ("" if absent or not such a string; NULL only when out of memory). */
char *repro_h5_attr_text(hid_t loc, const char *name);
/* Reads a scalar numeric attribute as mem_type; nonzero if missing. */
int repro_h5_attr_num(hid_t loc, const char *name, hid_t mem_type, void *v);

/* Releases the open identifiers (>= 0) among ids[0..n), in order: objects
 * this process created or opened (types, spaces, attributes, property lists,
 * groups, datasets read serially), never predefined types or the file. */
static inline void repro_h5_release(const hid_t *ids, int n)
{
    for (int i = 0; i < n; i++)
        if (ids[i] >= 0)
            H5Idec_ref(ids[i]);
}

#endif
