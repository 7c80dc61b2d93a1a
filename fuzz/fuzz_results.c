/* fuzz_results.c - libFuzzer target: the results file reader (its public
 * API, repro_results_read) on damaged copies of a valid results file whose
 * HDF5 structure stays valid. The seed file (FUZZ_RESULTS_SEED, made at run
 * time by `repro_mpi run smoke`, see scripts/fuzz) is damaged in one of four
 * ways chosen by the input's first byte:
 *   0: bytes overwritten inside the stored values of its datasets;
 *   1: a dataset removed;
 *   2: a dataset made again with another length and/or element type, its
 *      values taken from the input;
 *   3: an attribute made again with another type and value from the input.
 * Damaged HDF5 metadata (object headers, B-trees, heaps) is left out: HDF5
 * 1.10 reads past its buffers while decoding such files (found here in
 * H5Aopen and H5C_protect, see fuzz/README.md), before the reader sees any of
 * their content. A refusal leaves no set and says why; an accepted file gives
 * records whose arrays have their stated lengths. HDF5 is not instrumented. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hdf5.h>

#include "repro/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ITEMS 256

typedef struct {
    uint64_t addr, size; /* a stretch of stored values in the file */
} extent;

static char path[512];
static unsigned char *seed;
static size_t seed_size;
static char dsets[MAX_ITEMS][128];        /* dataset paths */
static size_t n_dsets;
static char attrs[MAX_ITEMS][2][128];     /* (object path, attribute name) */
static size_t n_attrs;
static extent raw[4 * MAX_ITEMS];
static size_t n_raw;
static uint64_t raw_total;

/* Stops the target on a failure of its own set-up (not a finding). */
static void setup_fail(const char *what)
{
    fprintf(stderr, "fuzz_results: %s\n", what);
    abort();
}

/* Collects an attribute of the object being visited (H5Aiterate2 callback). */
static herr_t collect_attr(hid_t obj, const char *name, const H5A_info_t *info, void *op)
{
    (void)obj, (void)info;
    if (n_attrs < MAX_ITEMS && strlen(name) < 128) {
        snprintf(attrs[n_attrs][0], 128, "%s", (const char *)op);
        snprintf(attrs[n_attrs][1], 128, "%s", name);
        n_attrs++;
    }
    return 0;
}

/* Records where a dataset's values are stored: one extent when contiguous,
 * one per chunk when chunked. */
static void collect_extents(hid_t d)
{
    haddr_t a = H5Dget_offset(d);
    if (a != HADDR_UNDEF) {
        hsize_t s = H5Dget_storage_size(d);
        if (s > 0 && n_raw < sizeof raw / sizeof raw[0])
            raw[n_raw++] = (extent){a, s};
        return;
    }
    hsize_t nchunks = 0;
    hid_t sp = H5Dget_space(d);
    if (sp >= 0 && H5Dget_num_chunks(d, sp, &nchunks) >= 0) {
        for (hsize_t c = 0; c < nchunks && n_raw < sizeof raw / sizeof raw[0]; c++) {
            hsize_t off[H5S_MAX_RANK];
            unsigned mask;
            haddr_t ca;
            hsize_t cs;
            if (H5Dget_chunk_info(d, sp, c, off, &mask, &ca, &cs) >= 0 && ca != HADDR_UNDEF && cs > 0)
                raw[n_raw++] = (extent){ca, cs};
        }
    }
    if (sp >= 0)
        H5Sclose(sp);
}

/* Visits every link of the seed file: datasets (their attributes and stored
 * values) and groups (their attributes). */
static herr_t collect_link(hid_t g, const char *name, const H5L_info_t *info, void *op)
{
    (void)info, (void)op;
    char full[128];
    if (snprintf(full, sizeof full, "/%s", name) >= (int)sizeof full)
        return 0;
    hsize_t idx = 0;
    hid_t d = H5Dopen2(g, name, H5P_DEFAULT);
    if (d < 0) { /* a group: its attributes */
        hid_t sub = H5Gopen2(g, name, H5P_DEFAULT);
        if (sub >= 0) {
            H5Aiterate2(sub, H5_INDEX_NAME, H5_ITER_INC, &idx, collect_attr, full);
            H5Gclose(sub);
        }
        return 0;
    }
    if (n_dsets < MAX_ITEMS)
        snprintf(dsets[n_dsets++], 128, "%s", full);
    collect_extents(d);
    H5Aiterate2(d, H5_INDEX_NAME, H5_ITER_INC, &idx, collect_attr, full);
    H5Dclose(d);
    return 0;
}

/* Loads the seed file and lists its datasets, attributes and stored values. */
static void init(void)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/fuzz_results_%ld.h5", dir && *dir ? dir : "/tmp", (long)getpid());
    const char *sp = getenv("FUZZ_RESULTS_SEED");
    if (!sp || !*sp)
        setup_fail("FUZZ_RESULTS_SEED must name a valid results file (scripts/fuzz makes one)");
    FILE *f = fopen(sp, "rb");
    if (!f || fseek(f, 0, SEEK_END) != 0)
        setup_fail("cannot read FUZZ_RESULTS_SEED");
    long n = ftell(f);
    rewind(f);
    seed = malloc(n > 0 ? (size_t)n : 1);
    if (n <= 0 || !seed || fread(seed, 1, (size_t)n, f) != (size_t)n)
        setup_fail("cannot read FUZZ_RESULTS_SEED");
    fclose(f);
    seed_size = (size_t)n;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    hid_t file = H5Fopen(sp, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (file < 0)
        setup_fail("FUZZ_RESULTS_SEED is not an HDF5 file");
    hid_t root = H5Gopen2(file, "/", H5P_DEFAULT);
    hsize_t idx = 0;
    H5Aiterate2(root, H5_INDEX_NAME, H5_ITER_INC, &idx, collect_attr, "/");
    H5Gclose(root);
    H5Lvisit(file, H5_INDEX_NAME, H5_ITER_INC, collect_link, NULL);
    H5Fclose(file);
    for (size_t i = 0; i < n_raw; i++)
        if (raw[i].addr + raw[i].size <= seed_size)
            raw_total += raw[i].size;
        else
            raw[i].size = 0;
    if (n_dsets == 0 || raw_total == 0)
        setup_fail("FUZZ_RESULTS_SEED has no datasets with stored values");
}

/* Writes the seed with patches (offset:4, length:1, bytes) placed inside the
 * stored values only. */
static void write_patched(const uint8_t *p, size_t n)
{
    unsigned char *buf = malloc(seed_size);
    if (!buf)
        setup_fail("out of memory");
    memcpy(buf, seed, seed_size);
    while (n >= 5) {
        uint64_t off = ((uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24) % raw_total;
        size_t len = p[4];
        p += 5, n -= 5;
        if (len > n)
            len = n;
        for (size_t k = 0; k < len; k++) {
            uint64_t o = (off + k) % raw_total;
            for (size_t e = 0; e < n_raw; e++) {
                if (o < raw[e].size) {
                    buf[raw[e].addr + o] = p[k];
                    break;
                }
                o -= raw[e].size;
            }
        }
        p += len, n -= len;
    }
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(buf, 1, seed_size, f) != seed_size || fclose(f) != 0)
        setup_fail("cannot write the scratch file");
    free(buf);
}

/* An element type chosen by c: the given one, int32, int64, double or an
 * 8-byte string. The caller closes it. */
static hid_t pick_type(uint8_t c, hid_t same)
{
    switch (c % 5) {
    case 0: return H5Tcopy(same);
    case 1: return H5Tcopy(H5T_NATIVE_INT32);
    case 2: return H5Tcopy(H5T_NATIVE_INT64);
    case 3: return H5Tcopy(H5T_NATIVE_DOUBLE);
    default: {
        hid_t t = H5Tcopy(H5T_C_S1);
        H5Tset_size(t, 8);
        return t;
    }
    }
}

/* Fills n bytes from the input's payload, cyclically (zeros if it is empty). */
static void fill(unsigned char *dst, size_t n, const uint8_t *p, size_t np)
{
    for (size_t i = 0; i < n; i++)
        dst[i] = np ? p[i % np] : 0;
}

/* Applies one structural change through HDF5 to the scratch copy of the seed. */
static void write_restructured(uint8_t op, const uint8_t *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(seed, 1, seed_size, f) != seed_size || fclose(f) != 0)
        setup_fail("cannot write the scratch file");
    if (n < 4)
        return;
    hid_t file = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    if (file < 0)
        setup_fail("the scratch copy of the seed does not open");
    if (op == 1) {
        H5Ldelete(file, dsets[p[0] % n_dsets], H5P_DEFAULT);
    } else if (op == 2) {
        const char *name = dsets[p[0] % n_dsets];
        hid_t d = H5Dopen2(file, name, H5P_DEFAULT);
        hid_t sp = d >= 0 ? H5Dget_space(d) : -1, t0 = d >= 0 ? H5Dget_type(d) : -1;
        int rank = sp >= 0 ? H5Sget_simple_extent_ndims(sp) : -1;
        hsize_t dims[H5S_MAX_RANK];
        if (rank >= 0 && rank <= H5S_MAX_RANK && H5Sget_simple_extent_dims(sp, dims, NULL) >= 0) {
            if (rank == 0)
                rank = 1, dims[0] = 1;
            dims[0] = (hsize_t)(p[1] | p[2] << 8) % 4096; /* another length, 0 included */
            hid_t t = pick_type(p[3], t0);
            size_t count = 1;
            for (int i = 0; i < rank; i++)
                count *= (size_t)dims[i];
            size_t bytes = count * H5Tget_size(t);
            if (bytes <= (size_t)1 << 22) {
                unsigned char *vals = malloc(bytes ? bytes : 1);
                if (!vals)
                    setup_fail("out of memory");
                fill(vals, bytes, p + 4, n - 4);
                H5Dclose(d), d = -1;
                H5Ldelete(file, name, H5P_DEFAULT);
                hid_t nsp = H5Screate_simple(rank, dims, NULL);
                hid_t nd = H5Dcreate2(file, name, t, nsp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
                if (nd >= 0 && count)
                    H5Dwrite(nd, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, vals);
                if (nd >= 0)
                    H5Dclose(nd);
                H5Sclose(nsp);
                free(vals);
            }
            H5Tclose(t);
        }
        if (t0 >= 0)
            H5Tclose(t0);
        if (sp >= 0)
            H5Sclose(sp);
        if (d >= 0)
            H5Dclose(d);
    } else if (n_attrs > 0) {
        const char *obj = attrs[p[0] % n_attrs][0], *name = attrs[p[0] % n_attrs][1];
        hid_t o = H5Oopen(file, obj, H5P_DEFAULT);
        if (o >= 0) {
            H5Adelete(o, name);
            hid_t t = pick_type(p[1], H5T_NATIVE_INT64);
            if (p[1] % 5 == 0 && n > 4) { /* a string of the payload's length */
                H5Tclose(t);
                t = H5Tcopy(H5T_C_S1);
                H5Tset_size(t, n - 4 < 256 ? n - 4 : 256);
            }
            hsize_t len = p[2] % 9; /* 0: a scalar */
            hid_t asp = len ? H5Screate_simple(1, &len, NULL) : H5Screate(H5S_SCALAR);
            size_t bytes = (len ? (size_t)len : 1) * H5Tget_size(t);
            unsigned char *vals = malloc(bytes);
            if (!vals)
                setup_fail("out of memory");
            fill(vals, bytes, p + 4, n - 4);
            hid_t a = H5Acreate2(o, name, t, asp, H5P_DEFAULT, H5P_DEFAULT);
            if (a >= 0) {
                H5Awrite(a, t, vals);
                H5Aclose(a);
            }
            free(vals);
            H5Sclose(asp);
            H5Tclose(t);
            H5Oclose(o);
        }
    }
    H5Fclose(file);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!seed)
        init();
    if (size == 0)
        return -1; /* nothing to apply: not worth keeping */
    uint8_t op = data[0] % 4;
    if (op == 0)
        write_patched(data + 1, size - 1);
    else
        write_restructured(op, data + 1, size - 1);
    repro_result_set *set = NULL;
    repro_error err;
    repro_error_clear(&err);
    if (repro_results_read(path, &set, &err) == REPRO_OK) {
        if (!set)
            abort();
        for (size_t i = 0; i < set->n; i++) {
            const repro_record *r = &set->rec[i];
            /* touch every value the reader says is there (ASan checks the lengths) */
            volatile int sum = 0;
            for (size_t j = 0; j < r->d; j++) {
                sum += r->relevance[j] + r->truth[j];
                if (r->importance)
                    sum += r->importance[j] > 0;
                if (r->bounds)
                    sum += r->bounds[2 * j] < r->bounds[2 * j + 1];
            }
            (void)sum;
        }
        repro_result_set_free(set);
    } else if (set || !err.msg[0]) {
        abort();
    }
    remove(path);
    return 0;
}
