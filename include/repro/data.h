/* data.h - data sets: the paper's generators, standardization, CSV files. */
#ifndef REPRO_DATA_H
#define REPRO_DATA_H

#include <stddef.h>

#include "repro/error.h"
#include "repro/rng.h"

/* A binary classification data set. X is n x d, row-major; y[i] is -1 or +1.
 * truth[j] is feature j's true relevance class (2 strong, 1 weak, 0
 * irrelevant) for generated data, NULL for data read from a file. */
typedef struct repro_dataset {
    size_t n, d;
    double *X;
    int *y;
    int *truth;
} repro_dataset;

/* Allocates an n x d data set (zeroed); truth is allocated if with_truth. */
repro_dataset *repro_dataset_alloc(size_t n, size_t d, int with_truth, repro_error *err);
/* Frees a data set; NULL is a no-op. */
void repro_dataset_free(repro_dataset *ds);
/* Deep copy. */
repro_dataset *repro_dataset_copy(const repro_dataset *ds, repro_error *err);
/* New data set made of the columns cols[0..k) of ds (truth follows). */
repro_dataset *repro_dataset_columns(const repro_dataset *ds, const size_t *cols, size_t k,
                                     repro_error *err);
/* New data set made of the rows rows[0..k) of ds. */
repro_dataset *repro_dataset_rows(const repro_dataset *ds, const size_t *rows, size_t k,
                                  repro_error *err);

typedef enum { REPRO_GEN_LINEAR = 0, REPRO_GEN_NONLINEAR = 1 } repro_gen_kind;

/* Parameters of a generated data set (ALGORITHMS.md §1-2). */
typedef struct repro_gen_spec {
    repro_gen_kind kind;
    long n, strong, weak, irrelevant;
    double noise;
} repro_gen_spec;

/* Parses "linear:n=150,strong=6,weak=0,irrelevant=6[,noise=0]" or
 * "nonlinear:n=1000,strong=4,weak=10,irrelevant=6[,noise=0.1]" (noise
 * defaults: 0 linear, 0.1 nonlinear) and validates it (repro_gen_spec_check).
 * Errors name the offending key. */
int repro_gen_spec_parse(const char *text, repro_gen_spec *spec, repro_error *err);
/* Checks the generator's parameter rules; the message names the key. */
int repro_gen_spec_check(const repro_gen_spec *spec, repro_error *err);
/* Writes the canonical text form of spec into buf (always NUL-terminated). */
void repro_gen_spec_format(const repro_gen_spec *spec, char *buf, size_t size);

/* Draws a data set from the linear (§1) or non-linear (§2) generator and
 * standardizes it (§3). Draws only from rng. */
int repro_generate(repro_rng *rng, const repro_gen_spec *spec, repro_dataset **out,
                   repro_error *err);
/* The raw generators, without standardization. */
int repro_gen_linear(repro_rng *rng, const repro_gen_spec *spec, repro_dataset **out,
                     repro_error *err);
int repro_gen_nonlinear(repro_rng *rng, const repro_gen_spec *spec, repro_dataset **out,
                        repro_error *err);

/* Standardizes each column to mean 0 and population std 1 (constant -> 0). */
void repro_standardize(repro_dataset *ds);

/* Reads a CSV data set: optional header line, numeric cells, label in the last
 * column with exactly two distinct values (the smaller becomes -1). Errors name
 * the file, row and column. */
int repro_csv_read(const char *path, repro_dataset **out, repro_error *err);
/* Writes "x0,...,x{d-1},y" and one line per row (%.17g), y in {-1,1}. The
 * file is written to a temporary name and renamed, so a failure leaves none. */
int repro_csv_write(const char *path, const repro_dataset *ds, repro_error *err);

#endif
