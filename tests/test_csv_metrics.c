/* test_csv_metrics.c - CSV round trip and errors; metric known answers. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "repro/data.h"
#include "repro/metrics.h"
#include "testutil.h"

static char tmpdir[64];

static const char *write_file(const char *name, const char *text)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

static void test_csv_round_trip(void)
{
    repro_dataset *ds = repro_test_data("linear:n=20,strong=2,weak=1,irrelevant=1", 9);
    char path[128];
    snprintf(path, sizeof path, "%s/rt.csv", tmpdir);
    repro_error err;
    REPRO_ASSERT_OK(repro_csv_write(path, ds, &err), &err);
    repro_dataset *back = NULL;
    REPRO_ASSERT_OK(repro_csv_read(path, &back, &err), &err);
    CU_ASSERT_EQUAL(back->n, ds->n);
    CU_ASSERT_EQUAL(back->d, ds->d);
    CU_ASSERT(memcmp(back->X, ds->X, ds->n * ds->d * sizeof *ds->X) == 0); /* %.17g is exact */
    CU_ASSERT(memcmp(back->y, ds->y, ds->n * sizeof *ds->y) == 0);
    CU_ASSERT_PTR_NULL(back->truth);
    repro_dataset_free(back);
    repro_dataset_free(ds);
}

static void test_csv_no_header_and_label_mapping(void)
{
    repro_dataset *ds = NULL;
    repro_error err;
    REPRO_ASSERT_OK(repro_csv_read(write_file("nh.csv", "1,2,7\r\n3,4,3\n\n5,6,7\n"), &ds, &err), &err);
    CU_ASSERT_EQUAL(ds->n, 3);
    CU_ASSERT_EQUAL(ds->d, 2);
    CU_ASSERT_EQUAL(ds->y[0], 1); /* larger label -> +1 */
    CU_ASSERT_EQUAL(ds->y[1], -1);
    CU_ASSERT_EQUAL(ds->X[5], 6.0);
    repro_dataset_free(ds);
}

static void expect_csv_error(const char *name, const char *text, const char *needle)
{
    static repro_dataset sentinel; /* a failed read must set *out to NULL */
    repro_dataset *ds = &sentinel;
    repro_error err;
    repro_error_clear(&err);
    int rc = repro_csv_read(write_file(name, text), &ds, &err);
    CU_ASSERT_EQUAL(rc, REPRO_EINVAL);
    CU_ASSERT_PTR_NULL(ds);
    if (!strstr(err.msg, needle))
        fprintf(stderr, "%s: message '%s' lacks '%s'\n", name, err.msg, needle);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, needle));
}

static void test_csv_errors(void)
{
    expect_csv_error("ragged.csv", "a,b,y\n1,2,0\n1,2\n", "ragged.csv:3: 2 columns, expected 3");
    expect_csv_error("text.csv", "a,b,y\n1,2,0\n1,x,1\n", "text.csv:3: column 2: 'x' is not a number");
    expect_csv_error("nan.csv", "1,2,0\n1,nan,1\n", "nan.csv:2: column 2: 'nan' is not finite");
    expect_csv_error("inf.csv", "1,2,0\n1,2,inf\n", "inf.csv:2: column 3");
    expect_csv_error("one.csv", "a,y\n1,0\n2,0\n", "only one label value");
    expect_csv_error("three.csv", "1,0\n2,1\n3,2\n", "third label value 2");
    expect_csv_error("empty.csv", "", "no data rows");
    expect_csv_error("header.csv", "a,b,y\n", "no data rows");
    expect_csv_error("narrow.csv", "1\n2\n", "at least 2 columns");
    repro_dataset *ds = NULL;
    repro_error err;
    CU_ASSERT_EQUAL(repro_csv_read("/nonexistent/x.csv", &ds, &err), REPRO_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "/nonexistent/x.csv"));
}

static void test_csv_write_failure_leaves_nothing(void)
{
    repro_dataset *ds = repro_test_data("linear:n=5,strong=1,weak=0,irrelevant=1", 1);
    repro_error err;
    /* a missing folder is bad input (exit 2), not an I/O failure */
    CU_ASSERT_EQUAL(repro_csv_write("/nonexistent/dir/x.csv", ds, &err), REPRO_EINVAL);
    CU_ASSERT(access("/nonexistent/dir/x.csv", F_OK) != 0);
    repro_dataset_free(ds);
}

static void test_all_relevant_metrics(void)
{
    /* truth relevant {0,1,2,3}; predicted {1,2,4}: tp 2, fp 1, fn 2. */
    int truth[6] = {2, 2, 1, 1, 0, 0};
    int pred[6] = {0, 1, 2, 0, 1, 0};
    repro_prf m = repro_metrics_all_relevant(truth, pred, 6, 0.0);
    CU_ASSERT_DOUBLE_EQUAL(m.precision, 2.0 / 3.0, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(m.recall, 0.5, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(m.f1, 2 * (2.0 / 3) * 0.5 / (2.0 / 3 + 0.5), 1e-15); /* 4/7 */
    /* Nothing predicted: precision 0/0 -> zero_div, F1 0. */
    int none[6] = {0};
    m = repro_metrics_all_relevant(truth, none, 6, 0.0);
    CU_ASSERT_EQUAL(m.precision, 0.0);
    CU_ASSERT_EQUAL(m.recall, 0.0);
    CU_ASSERT_EQUAL(m.f1, 0.0);
}

static void test_class_metrics_zero_division(void)
{
    int truth[5] = {2, 2, 0, 0, 0};
    int pred[5] = {2, 1, 1, 0, 0};
    /* strong: tp 1, fp 0, fn 1 */
    repro_prf s = repro_metrics_class(truth, pred, 5, 2, 1.0);
    CU_ASSERT_DOUBLE_EQUAL(s.precision, 1.0, 0);
    CU_ASSERT_DOUBLE_EQUAL(s.recall, 0.5, 0);
    /* weak: no true weak features, two predicted: precision 0/2 = 0, recall
     * 0/0 -> 1 under the paper's quirk. */
    repro_prf w = repro_metrics_class(truth, pred, 5, 1, 1.0);
    CU_ASSERT_DOUBLE_EQUAL(w.precision, 0.0, 0);
    CU_ASSERT_DOUBLE_EQUAL(w.recall, 1.0, 0);
    /* neither truth nor prediction has the class: both 0/0 -> 1 */
    int z[5] = {0};
    repro_prf e = repro_metrics_class(z, z, 5, 1, 1.0);
    CU_ASSERT_DOUBLE_EQUAL(e.precision, 1.0, 0);
    CU_ASSERT_DOUBLE_EQUAL(e.recall, 1.0, 0);
    CU_ASSERT_DOUBLE_EQUAL(e.f1, 1.0, 0);
}

static void test_accuracy_and_weighted_f1(void)
{
    int y[6] = {1, 1, 1, 1, -1, -1};
    int p[6] = {1, 1, 1, -1, -1, 1};
    CU_ASSERT_DOUBLE_EQUAL(repro_metrics_accuracy(y, p, 6), 4.0 / 6.0, 1e-15);
    /* class +1: tp 3 fp 1 fn 1 -> F1 0.75, support 4;
     * class -1: tp 1 fp 1 fn 1 -> F1 0.5, support 2; weighted = (3 + 1)/6. */
    CU_ASSERT_DOUBLE_EQUAL(repro_metrics_f1_weighted(y, p, 6), 4.0 / 6.0, 1e-15);
    int all_pos[6] = {1, 1, 1, 1, 1, 1};
    /* class +1: tp 4 fp 2 -> P 2/3, R 1, F1 0.8; class -1: F1 0 -> 0.8*4/6. */
    CU_ASSERT_DOUBLE_EQUAL(repro_metrics_f1_weighted(y, all_pos, 6), 0.8 * 4.0 / 6.0, 1e-15);
}

static int setup(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/repro_test_csv_XXXXXX");
    return mkdtemp(tmpdir) ? 0 : 1;
}

int main(void)
{
    if (setup())
        return 2;
    CU_TestInfo tests[] = {
        {"CSV write/read round trip is exact", test_csv_round_trip},
        {"CSV without header; labels mapped to -1/+1", test_csv_no_header_and_label_mapping},
        {"CSV errors name file, row and column", test_csv_errors},
        {"CSV write failure leaves no file", test_csv_write_failure_leaves_nothing},
        {"all-relevant precision/recall/F1", test_all_relevant_metrics},
        {"per-class metrics with 0/0 -> 1", test_class_metrics_zero_division},
        {"accuracy and weighted F1", test_accuracy_and_weighted_f1},
        CU_TEST_INFO_NULL,
    };
    int rc = repro_test_run("csv_metrics", tests);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    if (system(cmd) != 0)
        rc = rc ? rc : 1;
    return rc;
}
