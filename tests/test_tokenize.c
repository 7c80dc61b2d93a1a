/* test_tokenize.c - the comma-list reader shared by model lists, filters,
 * seed lists and data specs: items, trimming, empty items, copies. */
#include <string.h>

#include "repro/tokenize.h"
#include "testutil.h"

/* Splits text and checks the items against want[0..n) ("|"-free strings). */
static void expect_items(const char *text, int trim, const char *const *want, size_t n)
{
    const char *at = text, *item;
    size_t len, k = 0;
    while (repro_list_next(&at, &item, &len, trim)) {
        CU_ASSERT_FATAL(k < n);
        if (len != strlen(want[k]) || strncmp(item, want[k], len))
            fprintf(stderr, "'%s' item %zu: '%.*s', expected '%s'\n", text, k, (int)len, item, want[k]);
        CU_ASSERT_EQUAL(len, strlen(want[k]));
        CU_ASSERT(strncmp(item, want[k], len) == 0);
        k++;
    }
    CU_ASSERT_EQUAL(k, n);
    CU_ASSERT_PTR_NULL(at);
    CU_ASSERT_EQUAL(repro_list_next(&at, &item, &len, trim), 0); /* stays used up */
}

static void test_items(void)
{
    const char *const a[] = {"SQ", "RF", "", "FRI"};
    expect_items(" SQ,\tRF , ,FRI\t", 1, a, 4);
    const char *const b[] = {" SQ", "\tRF ", " ", "FRI\t"};
    expect_items(" SQ,\tRF , ,FRI\t", 0, b, 4);
    const char *const c[] = {"123", "9001-9019"};
    expect_items("123,9001-9019", 0, c, 2);
    const char *const d[] = {""};
    expect_items("", 1, d, 1);
    const char *const e[] = {"a", ""};
    expect_items("a,", 0, e, 2);
    const char *const f[] = {"", ""};
    expect_items(",", 1, f, 2);
}

static void test_copy(void)
{
    char buf[4];
    repro_list_copy("abcdef", 6, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "abc");
    repro_list_copy("ab,cd", 2, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "ab");
    repro_list_copy("x", 0, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "");
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"items, trimming and empty items", test_items},
        {"copies are terminated and cut", test_copy},
        CU_TEST_INFO_NULL,
    };
    return repro_test_run("tokenize", tests);
}
