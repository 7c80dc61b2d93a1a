/* results_layout.h - the datasets of a results file, shared by the parallel
 * writer (results.c) and the serial reader (results_read.c) so the layout
 * lives in one place. Private to src/. */
#ifndef REPRO_RESULTS_LAYOUT_H
#define REPRO_RESULTS_LAYOUT_H

#include <hdf5.h>
#include <stddef.h>
#include <stdint.h>

#include "repro/error.h"
#include "repro/record.h"
#include "repro/results.h"

/* Turns a failed HDF5 call (negative return) into REPRO_EHDF5 with file:line
 * and the cause HDF5 recorded (e.g. "No space left on device"); needs
 * `repro_error *err` in scope and jumps to the label `fail`. */
#define REPRO_H5_CHECK(call)                                                          \
    do {                                                                            \
        if ((call) < 0) {                                                           \
            repro_h5_error(err, __FILE__, __LINE__, #call);                         \
            goto fail;                                                              \
        }                                                                           \
    } while (0)

/* Records a failed HDF5 call with the innermost message of HDF5's error stack
 * (the system's reason where there is one). Returns REPRO_EHDF5. */
int repro_h5_error(repro_error *err, const char *file, int line, const char *call);

enum { RT_U32, RT_I32, RT_I8, RT_F64, RT_STR, RT_U64, RT_STATUS /* int8 enum pending/done/failed */ };

enum {
    COL_ID, COL_SEED, COL_EXPERIMENT, COL_DATASET, COL_MODEL, COL_REPEAT, COL_N, COL_D, COL_STATUS,
    COL_TRAIN_SCORE, COL_FIT_SECONDS, COL_PRECISION, COL_RECALL, COL_F1, COL_WEAK_PRECISION, COL_WEAK_RECALL,
    COL_STRONG_PRECISION, COL_STRONG_RECALL, COL_RANK, COL_HOST, COL_START_TIME, COL_HAS_IMPORTANCE,
    COL_HAS_BOUNDS, COL_EXTRAS, COL_MESSAGE, COL_RELEVANCE, COL_TRUTH, COL_IMPORTANCE, COL_BOUNDS,
    COL_CHECKSUM, REPRO_N_COLS
};

typedef struct repro_col_def {
    const char *path;
    int type;
    size_t strlen; /* fixed string length incl. the NUL (RT_STR) */
    int ndims;     /* 1: [n_jobs], 2: [n_jobs, max_d], 3: [n_jobs, max_d, 2] */
    const char *doc;
} repro_col_def;

extern const repro_col_def repro_cols[REPRO_N_COLS];

/* Bytes of one element of column c in memory (and in the file). */
size_t repro_col_elem(int c);
/* Bytes of one job's row of column c for a file of max_d features. */
size_t repro_col_row_bytes(int c, size_t max_d);
/* The checksum of one job's row: CRC-64 over the row's bytes of every column
 * but /jobs/checksum, in table order (a new column is covered by adding its
 * row to repro_cols). cell[c] points to the row's repro_col_row_bytes(c)
 * bytes in memory form; cell[COL_CHECKSUM] is ignored. */
uint64_t repro_row_checksum(const void *const cell[REPRO_N_COLS], size_t max_d);

/* A results file read whole into memory and checked (see
 * repro_results_load): the shared validation of `info`, `reduce` and
 * `--resume`. */
typedef struct repro_results_data {
    uint64_t seed;
    uint32_t repeats, n_jobs, max_d;
    void *col[REPRO_N_COLS]; /* every column, memory form */
    uint8_t *damaged;        /* per job: 1 if a finished row fails its checksum */
    size_t n_damaged;
    size_t first_damaged;
} repro_results_data;

/* Reads every dataset of an open results file and checks it as the reader
 * must: the format and the attributes SEED, REPEATS, n_jobs, max_d; each
 * dataset's type and shape; every row's status and d; and every finished
 * row's checksum and stored scores (those of its relevance and truth, see
 * repro_job_scores_compute; rows failing either are marked in damaged[], not
 * an error).
 * A foreign or malformed file gives REPRO_EINVAL with one line naming the
 * path and the dataset or attribute. Not collective (serial reads). */
int repro_results_load(hid_t file, const char *path, repro_results_data *out, repro_error *err);
/* Frees what repro_results_load allocated; safe on a zeroed struct. */
void repro_results_data_free(repro_results_data *d);
/* Largest max_d a file may declare (features per job). */
#define REPRO_RESULTS_MAX_D 100000000u

/* The HDF5 file type of a column (a new string or enum type for RT_STR and
 * RT_STATUS, to be closed with repro_col_type_close; the predefined type
 * otherwise). */
hid_t repro_col_file_type(const repro_col_def *c);
/* The memory type of a column (same rule). */
hid_t repro_col_mem_type(const repro_col_def *c);
/* Closes a type returned above if it was created (strings, the enum). */
void repro_col_type_close(const repro_col_def *c, hid_t t);
/* A new fixed-length NUL-terminated string type of len bytes (close with
 * H5Tclose), or a negative id. */
hid_t repro_h5_str_type(size_t len);
/* Reads a string attribute of any fixed length into an allocated string
 * ("" if absent or not such a string; NULL only when out of memory). */
char *repro_h5_attr_text(hid_t loc, const char *name);
/* Reads a scalar numeric attribute as mem_type; nonzero if missing. */
int repro_h5_attr_num(hid_t loc, const char *name, hid_t mem_type, void *v);

/* The task times of split jobs (record.h's repro_task_times), in group
 * /tasks: three datasets of n_jobs x REPRO_TASK_STAGES, outside the job
 * table and its checksum (timing only, like fit_seconds; absent from files
 * written before they were added). results_tasks.c. */
enum { TASKS_COUNT, TASKS_SECONDS, TASKS_LONGEST, REPRO_N_TASKS_DSETS };
/* Bytes the task times take per job in the file. */
size_t repro_tasks_row_bytes(void);
/* Creates the group and its datasets, zero-filled by rank 0 (a job without
 * tasks records count 0), into dset[]. Every step agreed across ranks by the
 * caller: returns this rank's code. create is collective; fill is rank 0's. */
int repro_tasks_create(hid_t file, size_t n_jobs, hid_t dset[REPRO_N_TASKS_DSETS], repro_error *err);
int repro_tasks_fill(hid_t dset[REPRO_N_TASKS_DSETS], size_t n_jobs, repro_error *err);
/* Opens the datasets if the file has them with the expected shape (else
 * leaves dset[] at -1: task times are then not recorded). Collective. */
void repro_tasks_open(hid_t file, size_t n_jobs, hid_t dset[REPRO_N_TASKS_DSETS]);
/* Writes job's row of task times (NULL: none, zeros). Independent. */
int repro_tasks_write_row(hid_t dset[REPRO_N_TASKS_DSETS], uint32_t job, const repro_task_times *t,
                          repro_error *err);
/* Reads the task times of n_jobs records, if the file has them (*has 1;
 * else 0 and the records keep none); a malformed /tasks is REPRO_EINVAL
 * naming the dataset. Serial. */
int repro_tasks_read(hid_t file, const char *path, size_t n_jobs, repro_record *rec, int *has, repro_error *err);

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
