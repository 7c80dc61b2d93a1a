/* test_verify.c - the verification against the published tables on
 * hand-made cases: the paper's own numbers (all within, all claims held),
 * cells moved in and out of tolerance, a failing claim, a missing table,
 * and the verify command's exit codes. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "repro/cli.h"
#include "repro/fsutil.h"
#include "repro/reduce.h"
#include "testutil.h"

/* The published tables as a modifiable copy. */
static void published(repro_tables *ts)
{
    repro_error err;
    REPRO_ASSERT_OK(repro_reference_tables(ts, &err), &err);
    CU_ASSERT_EQUAL_FATAL(ts->n, 11);
}

/* Sets cell (k0[, k1], col) of table name. */
static void set_cell(repro_tables *ts, const char *name, const char *k0, const char *k1,
                     const char *col, double v)
{
    repro_table *t = NULL;
    for (size_t i = 0; i < ts->n; i++)
        if (!strcmp(ts->t[i]->name, name))
            t = ts->t[i];
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    const char *keys[2] = {k0, k1};
    size_t r = repro_table_find(t, keys), c = repro_table_col(t, col);
    CU_ASSERT_FATAL(r != (size_t)-1 && c != (size_t)-1);
    repro_table_set(t, r, c, v);
}

/* Runs the verification with a report in memory; returns the report. */
static char *verify(const repro_tables *ts, double tol, repro_verify_summary *sum)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    repro_error err;
    REPRO_ASSERT_OK(repro_verify(ts, tol, NULL, f, sum, &err), &err);
    fclose(f);
    return buf;
}

static void test_reference_loaded(void)
{
    repro_tables ts;
    published(&ts);
    const repro_table *t = repro_tables_get(&ts, "sim_scores");
    const char *k[1] = {"Set 1"};
    CU_ASSERT_DOUBLE_EQUAL(repro_table_get(t, repro_table_find(t, k), repro_table_col(t, "SQ")),
                           0.98, 1e-12);
    t = repro_tables_get(&ts, "accuracy_per_fclass");
    CU_ASSERT_EQUAL(t->n_rows, 8);
    CU_ASSERT_TRUE(isnan(repro_table_get(t, 0, 0))); /* NL 1 has no weak feature */
    repro_tables_clear(&ts);
}

static void test_paper_against_itself(void)
{
    repro_tables ts;
    published(&ts);
    repro_verify_summary sum;
    char *rep = verify(&ts, 0.05, &sum);
    /* scores: 32+32+32+2*8*4... counted from the CSVs: every non-empty cell
     * except the 32 runtime cells */
    CU_ASSERT_EQUAL(sum.cells, 32 + 32 + 32 + 64 + 8 + 64 + 16 + 28 + 8 + 16);
    CU_ASSERT_EQUAL(sum.within, sum.cells);
    CU_ASSERT_EQUAL(sum.missing, 0);
    CU_ASSERT_EQUAL(sum.runtime_cells, 32);
    CU_ASSERT_DOUBLE_EQUAL(sum.runtime_ratio_median, 1.0, 1e-12);
    CU_ASSERT_EQUAL(sum.claims, 9);
    CU_ASSERT_EQUAL(sum.held, 9);
    CU_ASSERT_PTR_NOT_NULL(strstr(rep, "- claims held: 9 / 9 (undetermined: 0)"));
    free(rep);
    repro_tables_clear(&ts);
}

static void test_tolerance_and_failing_claim(void)
{
    repro_tables ts;
    published(&ts);
    set_cell(&ts, "sim_scores", "Set 3", NULL, "FRI", 0.94);  /* -0.06: out, breaks claim 1 */
    set_cell(&ts, "sim_scores", "Set 1", NULL, "SQ", 0.9449); /* prints 0.94, -0.04: within */
    set_cell(&ts, "mean_stats", "SQ", NULL, "f1", 0.81);      /* -0.05: on the edge, within */
    repro_verify_summary sum;
    char *rep = verify(&ts, 0.05, &sum);
    CU_ASSERT_EQUAL(sum.within, sum.cells - 1);
    CU_ASSERT_EQUAL(sum.held, 8);
    CU_ASSERT_PTR_NOT_NULL(strstr(rep, "| Set 3 / FRI | 0.94 | 1.00 | -0.06 | NO |"));
    CU_ASSERT_PTR_NOT_NULL(strstr(rep, "| Set 1 / SQ | 0.94 | 0.98 | -0.04 | yes |"));
    CU_ASSERT_PTR_NOT_NULL(strstr(rep, "| NOT held | lowest FRI F1 0.940 (Set 3) |"));
    free(rep);
    /* a tighter tolerance puts the 0.04 and 0.05 deltas out too */
    rep = verify(&ts, 0.03, &sum);
    CU_ASSERT_EQUAL(sum.within, sum.cells - 3);
    free(rep);
    /* SQ below ElasticNet and RF on Set 2 breaks claim 2 */
    set_cell(&ts, "sim_scores", "Set 2", NULL, "SQ", 0.20);
    rep = verify(&ts, 0.05, &sum);
    CU_ASSERT_EQUAL(sum.held, 7);
    CU_ASSERT_PTR_NOT_NULL(strstr(rep, "SQ - max(ElasticNet, RF) = -0.550 (Set 2)"));
    free(rep);
    repro_tables_clear(&ts);
}

static void test_claims_on_printed_numbers(void)
{
    repro_tables ts;
    published(&ts);
    /* 0.986 prints as 0.99: FRI's claim (>= 0.99) holds; 0.984 prints 0.98 */
    set_cell(&ts, "sim_scores", "Set 5", NULL, "FRI", 0.986);
    repro_verify_summary sum;
    char *rep = verify(&ts, 0.05, &sum);
    CU_ASSERT_EQUAL(sum.held, 9);
    free(rep);
    set_cell(&ts, "sim_scores", "Set 5", NULL, "FRI", 0.984);
    rep = verify(&ts, 0.05, &sum);
    CU_ASSERT_EQUAL(sum.held, 8);
    CU_ASSERT_PTR_NOT_NULL(strstr(rep, "lowest FRI F1 0.980 (Set 5)"));
    free(rep);
    repro_tables_clear(&ts);
}

static void test_missing_table_and_cells(void)
{
    repro_tables ts;
    published(&ts);
    /* drop mean_stats: its 16 cells are missing, claims 5-7 undetermined */
    for (size_t i = 0; i < ts.n; i++)
        if (!strcmp(ts.t[i]->name, "mean_stats")) {
            repro_table_free(ts.t[i]);
            ts.t[i] = ts.t[--ts.n];
        }
    set_cell(&ts, "prec_rec_ARFS_mean", "precision", NULL, "SQ_weakly", NAN);
    repro_verify_summary sum;
    char *rep = verify(&ts, 0.05, &sum);
    CU_ASSERT_EQUAL(sum.missing, 17);
    CU_ASSERT_EQUAL(sum.within, sum.cells - 17);
    CU_ASSERT_EQUAL(sum.undetermined, 4);
    CU_ASSERT_EQUAL(sum.held, 5);
    CU_ASSERT_PTR_NOT_NULL(strstr(rep, "| precision / SQ_weakly | - | 0.98 |  | MISSING |"));
    CU_ASSERT_PTR_NOT_NULL(strstr(rep, "Ours: table missing."));
    free(rep);
    /* Set 8 without FRI: claim 1 undetermined; a failing Set 7 decides it */
    set_cell(&ts, "sim_scores", "Set 8", NULL, "FRI", NAN);
    rep = verify(&ts, 0.05, &sum);
    CU_ASSERT_EQUAL(sum.undetermined, 5);
    CU_ASSERT_PTR_NOT_NULL(strstr(rep, "| undetermined | lowest FRI F1 1.000 (Set 1); 1 of 8 sets without numbers (Set 8) |"));
    free(rep);
    set_cell(&ts, "sim_scores", "Set 7", NULL, "FRI", 0.5);
    rep = verify(&ts, 0.05, &sum);
    CU_ASSERT_EQUAL(sum.undetermined, 4);
    CU_ASSERT_PTR_NOT_NULL(strstr(rep, "| NOT held | lowest FRI F1 0.500 (Set 7); 1 of 8 sets without numbers (Set 8) |"));
    free(rep);
    repro_tables_clear(&ts);
}

/* Runs `verify` with the given arguments; returns its exit code. */
static int run_verify(const char *a1, const char *a2, const char *a3, const char *a4)
{
    char *argv[6] = {"verify", (char *)a1, (char *)a2, (char *)a3, (char *)a4, NULL};
    int argc = 1;
    while (argv[argc])
        argc++;
    fflush(stdout);
    return repro_cmd_verify(argc, argv);
}

static void test_verify_command(void)
{
    char dir[64];
    snprintf(dir, sizeof dir, "/tmp/repro_test_verify_XXXXXX");
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    repro_error err;
    /* a folder without tables is bad input */
    CU_ASSERT_EQUAL(run_verify(dir, NULL, NULL, NULL), 2);
    repro_tables ts;
    published(&ts);
    REPRO_ASSERT_OK(repro_reduce_write_tables(&ts, dir, &err), &err);
    CU_ASSERT_EQUAL(run_verify(dir, "--strict", NULL, NULL), 0);
    char path[128], *text = NULL;
    snprintf(path, sizeof path, "%s/REPORT.md", dir);
    REPRO_ASSERT_OK(repro_read_file(path, &text, NULL, &err), &err);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "- claims held: 9 / 9"));
    free(text);
    /* one cell out of tolerance: exit 1 only with --strict */
    set_cell(&ts, "per_dataset", "f1", "NL 4", "SQ", 0.5);
    REPRO_ASSERT_OK(repro_reduce_write_tables(&ts, dir, &err), &err);
    CU_ASSERT_EQUAL(run_verify(dir, NULL, NULL, NULL), 0);
    CU_ASSERT_EQUAL(run_verify(dir, "--strict", NULL, NULL), 1);
    CU_ASSERT_EQUAL(run_verify(dir, "--strict", "--tolerance", "0.3"), 0);
    CU_ASSERT_EQUAL(run_verify(dir, "--tolerance", "x", NULL), 2);
    CU_ASSERT_EQUAL(run_verify("/nonexistent/folder", NULL, NULL, NULL), 2);
    repro_tables_clear(&ts);
    REPRO_ASSERT_OK(repro_remove_tree(dir, &err), &err);
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"published tables embedded", test_reference_loaded},
        {"the paper against itself", test_paper_against_itself},
        {"tolerance and a failing claim", test_tolerance_and_failing_claim},
        {"claims on printed numbers", test_claims_on_printed_numbers},
        {"missing table and cells", test_missing_table_and_cells},
        {"verify command exit codes", test_verify_command},
        CU_TEST_INFO_NULL,
    };
    return repro_test_run("verify", tests);
}
