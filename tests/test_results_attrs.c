/* test_results_attrs.c - the results reader's attribute helpers on damaged
 * attributes: an attribute stored as an array (found by fuzz/fuzz_results.c)
 * is treated as missing instead of being read into a one-element buffer,
 * while single values still read. */
#include <hdf5.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../src/runner/results_layout.h"
#include "testutil.h"

/* Writes attribute name of type t and n elements (0: scalar) on loc. */
static void put_attr(hid_t loc, const char *name, hid_t t, hsize_t n, const void *v)
{
    hid_t sp = n ? H5Screate_simple(1, &n, NULL) : H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(loc, name, t, sp, H5P_DEFAULT, H5P_DEFAULT);
    CU_ASSERT_FATAL(sp >= 0 && a >= 0);
    CU_ASSERT(H5Awrite(a, t, v) >= 0);
    H5Aclose(a);
    H5Sclose(sp);
}

static void test_array_attributes_are_missing(void)
{
    char path[] = "/tmp/test_results_attrs_XXXXXX";
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    close(fd);
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    CU_ASSERT_FATAL(f >= 0);
    hid_t s8 = repro_h5_str_type(8);
    const char strs[7][8] = {"abcdefg", "hijklmn", "opqrstu", "vwxyzab", "cdefghi", "jklmnop", "qrstuvw"};
    const int64_t nums[5] = {1, 2, 3, 4, 5};
    int64_t one = 42;
    put_attr(f, "s_array", s8, 7, strs);
    put_attr(f, "s_one", s8, 0, strs[0]);
    put_attr(f, "n_array", H5T_NATIVE_INT64, 5, nums);
    put_attr(f, "n_one", H5T_NATIVE_INT64, 0, &one);
    put_attr(f, "n_one_elem", H5T_NATIVE_INT64, 1, &one);

    char *t = repro_h5_attr_text(f, "s_array");
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    CU_ASSERT_STRING_EQUAL(t, "");
    free(t);
    t = repro_h5_attr_text(f, "s_one");
    CU_ASSERT_STRING_EQUAL(t, "abcdefg");
    free(t);

    struct {
        int64_t v, guard;
    } box = {-1, 77};
    CU_ASSERT(repro_h5_attr_num(f, "n_array", H5T_NATIVE_INT64, &box.v) != 0);
    CU_ASSERT_EQUAL(box.v, -1);
    CU_ASSERT_EQUAL(box.guard, 77);
    CU_ASSERT_EQUAL(repro_h5_attr_num(f, "n_one", H5T_NATIVE_INT64, &box.v), 0);
    CU_ASSERT_EQUAL(box.v, 42);
    box.v = -1;
    CU_ASSERT_EQUAL(repro_h5_attr_num(f, "n_one_elem", H5T_NATIVE_INT64, &box.v), 0);
    CU_ASSERT_EQUAL(box.v, 42);
    CU_ASSERT(repro_h5_attr_num(f, "absent", H5T_NATIVE_INT64, &box.v) != 0);

    H5Tclose(s8);
    H5Fclose(f);
    remove(path);
}

int main(void)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    CU_TestInfo tests[] = {
        {"attributes stored as arrays read as missing", test_array_attributes_are_missing},
        CU_TEST_INFO_NULL,
    };
    return repro_test_run("results_attrs", tests);
}
