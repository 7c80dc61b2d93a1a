/* h5damage.c - damages a results file through the HDF5 API, for the
 * end-to-end fault tests (tests/e2e_results_faults.sh): each command makes
 * one of the faults a disk, a crash or a careless edit can leave, in a file
 * that stays a valid HDF5 file, so that only repro_mpi's own checks can
 * notice it.
 *
 *   h5damage FILE rows DATASET N        1-D dataset replaced by N rows (same
 *                                       type; old values kept, new rows 0)
 *   h5damage FILE set DATASET ROW VALUE element ROW of a 1-D integer dataset
 *                                       (or 1-byte enum: the raw value, even
 *                                       one that names no member)
 *   h5damage FILE attr NAME VALUE       unsigned 4-byte attribute set
 *   h5damage FILE text NAME VALUE       string attribute rewritten as VALUE
 *   h5damage FILE shape DATASET D0 D1   replaced by a D0 x D1 dataset (same type)
 *   h5damage FILE ints DATASET          replaced by 4-byte integers (same shape)
 *   h5damage FILE flip DATASET INDEX BIT  one bit of element INDEX (row-major)
 *   h5damage FILE unlink PATH           a dataset or group removed (e.g. /tasks,
 *                                       as in a file of an older layout)
 *
 * Exit 0 when done, 1 on any HDF5 failure (with a message). */
#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Stops with a message when an HDF5 call failed. */
#define CHECK(call)                                                                   \
    do {                                                                            \
        if ((call) < 0) {                                                           \
            fprintf(stderr, "h5damage: %s failed (line %d)\n", #call, __LINE__);    \
            exit(1);                                                                \
        }                                                                           \
    } while (0)

/* Reads a whole dataset as raw bytes of its own type; *bytes gets the size. */
static unsigned char *read_all(hid_t d, hid_t t, hsize_t *n, size_t *bytes)
{
    hid_t s;
    CHECK(s = H5Dget_space(d));
    hssize_t pts = H5Sget_simple_extent_npoints(s);
    CHECK(pts);
    *n = (hsize_t)pts;
    *bytes = (size_t)pts * H5Tget_size(t);
    unsigned char *buf = calloc(*bytes ? *bytes : 1, 1);
    if (!buf)
        exit(1);
    if (pts)
        CHECK(H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf));
    H5Sclose(s);
    return buf;
}

/* Replaces dataset name by a new one of type t and the given shape, holding
 * the first `bytes` bytes of buf (zero beyond). */
static void replace(hid_t f, const char *name, hid_t t, int nd, const hsize_t *dims, const void *buf,
                    size_t bytes)
{
    size_t count = 1;
    for (int k = 0; k < nd; k++)
        count *= (size_t)dims[k];
    size_t need = count * H5Tget_size(t);
    unsigned char *data = calloc(need ? need : 1, 1);
    if (!data)
        exit(1);
    memcpy(data, buf, bytes < need ? bytes : need);
    CHECK(H5Ldelete(f, name, H5P_DEFAULT));
    hid_t s, d;
    CHECK(s = H5Screate_simple(nd, dims, NULL));
    CHECK(d = H5Dcreate2(f, name, t, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
    if (count)
        CHECK(H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, data));
    H5Dclose(d);
    H5Sclose(s);
    free(data);
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: h5damage FILE rows|set|attr|text|shape|ints|flip|unlink ...\n");
        return 2;
    }
    const char *cmd = argv[2], *name = argv[3];
    hid_t f;
    CHECK(f = H5Fopen(argv[1], H5F_ACC_RDWR, H5P_DEFAULT));
    if (!strcmp(cmd, "attr") && argc == 5) {
        unsigned v = (unsigned)strtoul(argv[4], NULL, 10);
        hid_t a;
        CHECK(a = H5Aopen(f, name, H5P_DEFAULT));
        CHECK(H5Awrite(a, H5T_NATIVE_UINT, &v));
        H5Aclose(a);
        CHECK(H5Fclose(f));
        return 0;
    }
    if (!strcmp(cmd, "unlink") && argc == 4) {
        CHECK(H5Ldelete(f, name, H5P_DEFAULT));
        CHECK(H5Fclose(f));
        return 0;
    }
    if (!strcmp(cmd, "text") && argc == 5) {
        hid_t t, s;
        CHECK(H5Adelete(f, name));
        CHECK(t = H5Tcopy(H5T_C_S1));
        CHECK(H5Tset_size(t, strlen(argv[4]) + 1));
        CHECK(s = H5Screate(H5S_SCALAR));
        hid_t a;
        CHECK(a = H5Acreate2(f, name, t, s, H5P_DEFAULT, H5P_DEFAULT));
        CHECK(H5Awrite(a, t, argv[4]));
        H5Aclose(a);
        H5Sclose(s);
        H5Tclose(t);
        CHECK(H5Fclose(f));
        return 0;
    }
    hid_t d, t;
    CHECK(d = H5Dopen2(f, name, H5P_DEFAULT));
    CHECK(t = H5Dget_type(d));
    hsize_t n;
    size_t bytes;
    unsigned char *buf = read_all(d, t, &n, &bytes);
    if (!strcmp(cmd, "rows") && argc == 5) {
        hsize_t dims[1] = {strtoull(argv[4], NULL, 10)};
        H5Dclose(d);
        replace(f, name, t, 1, dims, buf, bytes);
    } else if (!strcmp(cmd, "set") && argc == 6 && H5Tget_class(t) == H5T_ENUM) {
        size_t row = strtoull(argv[4], NULL, 10);
        if (row >= n || H5Tget_size(t) != 1) {
            fprintf(stderr, "h5damage: row %zu out of range, or not a 1-byte enum\n", row);
            return 1;
        }
        buf[row] = (unsigned char)(signed char)strtol(argv[5], NULL, 10);
        CHECK(H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf));
        H5Dclose(d);
    } else if (!strcmp(cmd, "set") && argc == 6) {
        size_t row = strtoull(argv[4], NULL, 10);
        long long v = strtoll(argv[5], NULL, 10);
        H5Dclose(d);
        long long *vals = calloc(n ? n : 1, sizeof *vals);
        hid_t d2;
        CHECK(d2 = H5Dopen2(f, name, H5P_DEFAULT));
        CHECK(H5Dread(d2, H5T_NATIVE_LLONG, H5S_ALL, H5S_ALL, H5P_DEFAULT, vals));
        if (row >= n) {
            fprintf(stderr, "h5damage: row %zu out of range\n", row);
            return 1;
        }
        vals[row] = v;
        CHECK(H5Dwrite(d2, H5T_NATIVE_LLONG, H5S_ALL, H5S_ALL, H5P_DEFAULT, vals));
        H5Dclose(d2);
        free(vals);
    } else if (!strcmp(cmd, "shape") && argc == 6) {
        hsize_t dims[2] = {strtoull(argv[4], NULL, 10), strtoull(argv[5], NULL, 10)};
        H5Dclose(d);
        replace(f, name, t, 2, dims, buf, bytes);
    } else if (!strcmp(cmd, "ints") && argc == 4) {
        hid_t s;
        hsize_t dims[3];
        CHECK(s = H5Dget_space(d));
        int nd = H5Sget_simple_extent_dims(s, dims, NULL);
        CHECK(nd);
        H5Sclose(s);
        H5Dclose(d);
        int *zeros = calloc(n ? n : 1, sizeof *zeros);
        replace(f, name, H5T_STD_I32LE, nd, dims, zeros, n * sizeof *zeros);
        free(zeros);
    } else if (!strcmp(cmd, "flip") && argc == 6) {
        size_t index = strtoull(argv[4], NULL, 10), bit = strtoull(argv[5], NULL, 10);
        size_t size = H5Tget_size(t);
        if (index >= n || bit >= 8 * size) {
            fprintf(stderr, "h5damage: element %zu bit %zu out of range\n", index, bit);
            return 1;
        }
        /* the file's byte order is little-endian for every numeric column */
        buf[index * size + bit / 8] ^= (unsigned char)(1u << (bit % 8));
        CHECK(H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf));
        H5Dclose(d);
    } else {
        fprintf(stderr, "h5damage: bad command or arguments\n");
        return 2;
    }
    free(buf);
    H5Tclose(t);
    CHECK(H5Fclose(f));
    return 0;
}
