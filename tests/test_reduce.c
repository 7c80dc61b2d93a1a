/* test_reduce.c - the tables of the reduction on small result sets built in
 * memory, with hand-computed expected values (see the comments by each
 * record) and golden LaTeX/CSV text. */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "repro/fsutil.h"
#include "repro/reduce.h"
#include "testutil.h"

/* Fills record r: experiment, data set, model, repeat, status, truth and
 * prediction (d entries), score and time. */
static void put(repro_record *r, const char *exp, const char *ds, const char *model,
                unsigned rep, int status, size_t d, const int *truth, const int *pred,
                double score, double secs)
{
    repro_error err;
    REPRO_ASSERT_OK(repro_record_init(r, d, 0, 0, &err), &err);
    snprintf(r->experiment, sizeof r->experiment, "%s", exp);
    snprintf(r->dataset, sizeof r->dataset, "%s", ds);
    snprintf(r->model, sizeof r->model, "%s", model);
    r->repeat = rep;
    r->status = status;
    r->train_score = score;
    r->fit_seconds = secs;
    r->n = 50 * d; /* rows of the fixture's data sets */
    for (size_t j = 0; j < d; j++) {
        r->truth[j] = (int8_t)truth[j];
        r->relevance[j] = (int8_t)(status == REPRO_JOB_DONE ? pred[j] : -1);
    }
}

/* The fixture: see the expected values in the tests below.
 * toy "Set 1", truth [2,1,1,0]:
 *   SQ  r0 pred [2,1,0,0]: all-relevant P 1 R 2/3 F1 0.8; weakly P 1 R 0.5;
 *       strongly P 1 R 1; score 0.9, 1 s
 *   SQ  r1 pred [1,0,0,2]: all-relevant P .5 R 1/3 F1 0.4; weakly P 0 R 0 and
 *       strongly P 0 R 0 (all left out as zeros); score 0.7, 3 s
 *   FRI r0 pred [2,2,2,0]: F1 1; weakly P 0/0 -> 1, R 0 (left out);
 *       strongly P 1/3 R 1; score 1, 0.5 s
 *   FRI r1 failed; ElasticNet r0 pred [1,0,0,0]: F1 0.5, score 0.6, 0.25 s
 * NL "NL 1", truth [2,2,0] (no weak feature):
 *   SQ r0 pred [2,0,0]: P 1 R .5 F1 2/3; strongly P 1 R .5; score .8
 *   SQ r1 pred [0,0,1]: P 0 R 0 F1 0; strongly P 0/0 -> 1, R 0 (kept); score .6
 * NL "NL 2", truth [2,1,0]:
 *   FRI r0 pred [1,1,0]: P 1 R 1 F1 1; weakly P .5 R 1; strongly P 1 R 0; score .75 */
static repro_result_set *fixture(void)
{
    repro_error err;
    repro_result_set *s = repro_result_set_alloc(9, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    const int t1[] = {2, 1, 1, 0};
    put(&s->rec[0], "toy_benchmarks", "Set 1", "SQ", 0, REPRO_JOB_DONE, 4, t1,
        (const int[]){2, 1, 0, 0}, 0.9, 1.0);
    put(&s->rec[1], "toy_benchmarks", "Set 1", "SQ", 1, REPRO_JOB_DONE, 4, t1,
        (const int[]){1, 0, 0, 2}, 0.7, 3.0);
    put(&s->rec[2], "toy_benchmarks", "Set 1", "FRI", 0, REPRO_JOB_DONE, 4, t1,
        (const int[]){2, 2, 2, 0}, 1.0, 0.5);
    put(&s->rec[3], "toy_benchmarks", "Set 1", "FRI", 1, REPRO_JOB_FAILED, 4, t1, NULL, 0, 0);
    put(&s->rec[4], "toy_benchmarks", "Set 1", "ElasticNet", 0, REPRO_JOB_DONE, 4, t1,
        (const int[]){1, 0, 0, 0}, 0.6, 0.25);
    const int n1[] = {2, 2, 0}, n2[] = {2, 1, 0};
    put(&s->rec[5], "NL_toy_benchmarks", "NL 1", "SQ", 0, REPRO_JOB_DONE, 3, n1,
        (const int[]){2, 0, 0}, 0.8, 1);
    put(&s->rec[6], "NL_toy_benchmarks", "NL 1", "SQ", 1, REPRO_JOB_DONE, 3, n1,
        (const int[]){0, 0, 1}, 0.6, 1);
    put(&s->rec[7], "NL_toy_benchmarks", "NL 2", "FRI", 0, REPRO_JOB_DONE, 3, n2,
        (const int[]){1, 1, 0}, 0.75, 1);
    put(&s->rec[8], "NL_toy_benchmarks", "NL 2", "SQ", 0, REPRO_JOB_PENDING, 3, n2, NULL, 0, 0);
    return s;
}

/* A table rendered as CSV (latex 0) or LaTeX (latex 1) text; caller frees. */
static char *render(const repro_table *t, int latex)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    repro_error err;
    if (latex)
        REPRO_ASSERT_OK(repro_table_write_latex(t, f, &err), &err);
    else
        REPRO_ASSERT_OK(repro_table_write_csv(t, f, &err), &err);
    fclose(f);
    return buf;
}

/* Asserts that a rendered table equals the expected text, showing both if not. */
static void expect_text(const repro_table *t, int latex, const char *want)
{
    char *got = render(t, latex);
    if (strcmp(got, want))
        fprintf(stderr, "\n--- %s (%s) got:\n%s--- want:\n%s", t->name, latex ? "tex" : "csv", got,
                want);
    CU_ASSERT_STRING_EQUAL(got, want);
    free(got);
}

/* The fixture reduced (aborts the test on failure). */
static void reduce_fixture(repro_tables *ts, repro_reduce_stats *st)
{
    repro_error err;
    repro_result_set *s = fixture();
    REPRO_ASSERT_OK(repro_reduce_tables(s, ts, st, &err), &err);
    repro_result_set_free(s);
}

static void test_job_counts(void)
{
    repro_tables ts;
    repro_reduce_stats st;
    reduce_fixture(&ts, &st);
    CU_ASSERT_EQUAL(st.records, 9);
    CU_ASSERT_EQUAL(st.done, 7);
    CU_ASSERT_EQUAL(st.failed, 1);
    CU_ASSERT_EQUAL(st.pending, 1);
    CU_ASSERT_EQUAL(ts.n, 11);
    CU_ASSERT_TRUE(st.missing > 0 && st.missing < st.cells);
    /* the report says the results are partial and counts the jobs */
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    repro_verify_summary sum;
    repro_error err;
    snprintf(st.provenance, sizeof st.provenance, "SEED=123 REPEATS=2\n");
    REPRO_ASSERT_OK(repro_verify(&ts, 0.05, &st, f, &sum, &err), &err);
    fclose(f);
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "- jobs in the results: 9 (done 7, failed 1, pending 1) - PARTIAL RESULTS\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "## Provenance\n\n```\nSEED=123 REPEATS=2\n```\n"));
    CU_ASSERT_TRUE(sum.missing > 0);
    free(buf);
    repro_tables_clear(&ts);
}

static void test_sim_scores_golden(void)
{
    repro_tables ts;
    repro_reduce_stats st;
    reduce_fixture(&ts, &st);
    const repro_table *t = repro_tables_get(&ts, "sim_scores");
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    /* SQ (0.8 + 0.4) / 2 = 0.6; FRI 1 (failed repeat left out); RF absent */
    expect_text(t, 0,
                "set,ElasticNet,FRI,RF,SQ,ElasticNet_sd,FRI_sd,RF_sd,SQ_sd\n"
                "Set 1,0.5000,1.0000,,0.6000,,,,0.2828\n" /* sd over repeats: SQ's two */
                "Set 2,,,,,,,,\n"
                "Set 3,,,,,,,,\n"
                "Set 4,,,,,,,,\n"
                "Set 5,,,,,,,,\n"
                "Set 6,,,,,,,,\n"
                "Set 7,,,,,,,,\n"
                "Set 8,,,,,,,,\n");
    expect_text(t, 1,
                "% toy_benchmarks/sim_scores, written by repro_mpi reduce (needs booktabs and multirow)\n"
                "\\begin{tabular}{lrrrr}\n"
                "\\toprule\n"
                "set & ElasticNet & FRI & RF & SQ \\\\\n"
                "\\midrule\n"
                "Set 1 & 0.50 & 1.00 & - & 0.60 $\\pm$ 0.28 \\\\\n"
                "Set 2 & - & - & - & - \\\\\n"
                "Set 3 & - & - & - & - \\\\\n"
                "Set 4 & - & - & - & - \\\\\n"
                "Set 5 & - & - & - & - \\\\\n"
                "Set 6 & - & - & - & - \\\\\n"
                "Set 7 & - & - & - & - \\\\\n"
                "Set 8 & - & - & - & - \\\\\n"
                "\\bottomrule\n"
                "\\end{tabular}\n");
    const repro_table *acc = repro_tables_get(&ts, "sim_accuracy");
    const repro_table *rt = repro_tables_get(&ts, "runtime");
    CU_ASSERT_DOUBLE_EQUAL(repro_table_get(acc, 0, 3), 0.8, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(repro_table_get(rt, 0, 3), 2.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(repro_table_get(rt, 0, 0), 0.25, 1e-12);
    repro_tables_clear(&ts);
}

static void test_sim_params(void)
{
    repro_tables ts;
    repro_reduce_stats st;
    reduce_fixture(&ts, &st);
    const repro_table *t = repro_tables_get(&ts, "sim_params");
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    char *csv = render(t, 0);
    /* Set 1's n and classes come from its records (n = 50 * 4, truth
     * [2,1,1,0]); Set 2 has no records: missing cells */
    CU_ASSERT_PTR_NOT_NULL(strstr(csv, "set,n,strong,weak,irrelevant\nSet 1,200,1,2,1\nSet 2,,,,\n"));
    free(csv);
    repro_tables_clear(&ts);
}

static void test_prec_rec_arfs_quirks_golden(void)
{
    repro_tables ts;
    repro_reduce_stats st;
    reduce_fixture(&ts, &st);
    const repro_table *t = repro_tables_get(&ts, "prec_rec_ARFS");
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    /* SQ's zeros of repeat 1 are left out: weakly P 1, R 0.5; FRI's weakly
     * 0/0 precision counts 1, its weakly recall 0 is left out -> "-" */
    char *csv = render(t, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(csv, "metric,set,FRI_weakly,SQ_weakly,FRI_strongly,SQ_strongly\n"
                                       "precision,Set 1,1.0000,1.0000,0.3333,1.0000\n"
                                       "precision,Set 2,,,,\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(csv, "recall,Set 1,,0.5000,1.0000,1.0000\n"));
    free(csv);
    char *tex = render(t, 1);
    const char *head = "\\begin{tabular}{llrrrr}\n"
                       "\\toprule\n"
                       " & & \\multicolumn{2}{c}{weakly} & \\multicolumn{2}{c}{strongly} \\\\\n"
                       "\\cmidrule(lr){3-4} \\cmidrule(lr){5-6}\n"
                       "metric & set & FRI & SQ & FRI & SQ \\\\\n"
                       "\\midrule\n"
                       "\\multirow{8}{*}{precision} & Set 1 & 1.00 & 1.00 & 0.33 & 1.00 \\\\\n"
                       " & Set 2 & - & - & - & - \\\\\n";
    if (!strstr(tex, head))
        fprintf(stderr, "\n--- got:\n%s", tex);
    CU_ASSERT_PTR_NOT_NULL(strstr(tex, head));
    CU_ASSERT_PTR_NOT_NULL(strstr(tex, "\\midrule\n\\multirow{8}{*}{recall} & Set 1 & - & 0.50 & 1.00 & 1.00 \\\\\n"));
    free(tex);
    /* the mean over sets skips missing sets: it equals Set 1's row */
    expect_text(repro_tables_get(&ts, "prec_rec_ARFS_mean"), 0,
                "metric,FRI_weakly,SQ_weakly,FRI_strongly,SQ_strongly\n"
                "precision,1.0000,1.0000,0.3333,1.0000\n"
                "recall,,0.5000,1.0000,1.0000\n");
    repro_tables_clear(&ts);
}

static void test_nl_tables_golden(void)
{
    repro_tables ts;
    repro_reduce_stats st;
    reduce_fixture(&ts, &st);
    const repro_table *per = repro_tables_get(&ts, "per_dataset");
    CU_ASSERT_PTR_NOT_NULL_FATAL(per);
    char *csv = render(per, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(csv, "metric,set,ElasticNet,FRI,RF,SQ,ElasticNet_sd,"));
    CU_ASSERT_PTR_NOT_NULL(strstr(csv, "\nprecision,NL 1,,,,0.5000,"));
    CU_ASSERT_PTR_NOT_NULL(strstr(csv, "\nprecision,NL 2,,1.0000,,,"));
    CU_ASSERT_PTR_NOT_NULL(strstr(csv, "\nf1,NL 1,,,,0.3333,"));
    CU_ASSERT_PTR_NOT_NULL(strstr(csv, "\naccuracy,NL 1,,,,0.7000,"));
    free(csv);
    expect_text(repro_tables_get(&ts, "mean_stats"), 0,
                "model,precision,recall,f1,accuracy,precision_sd,recall_sd,f1_sd,accuracy_sd\n"
                "ElasticNet,,,,,,,,\n"
                "FRI,1.0000,1.0000,1.0000,0.7500,,,,\n"
                "RF,,,,,,,,\n"
                "SQ,0.5000,0.2500,0.3333,0.7000,0.7071,0.3536,0.4714,0.1414\n");
    /* NL 1 has no weak feature: "-"; SQ's strongly recall keeps the zero */
    const repro_table *cls = repro_tables_get(&ts, "accuracy_per_fclass");
    expect_text(cls, 0,
                "set,model,weakly_precision,weakly_recall,strongly_precision,strongly_recall,"
                "weakly_precision_sd,weakly_recall_sd,strongly_precision_sd,strongly_recall_sd\n"
                "NL 1,FRI,,,,,,,,\n"
                "NL 1,SQ,,,1.0000,0.2500,,,0.0000,0.3536\n"
                "NL 2,FRI,0.5000,1.0000,1.0000,0.0000,,,,\n"
                "NL 2,SQ,,,,,,,,\n"
                "NL 3,FRI,,,,,,,,\n"
                "NL 3,SQ,,,,,,,,\n"
                "NL 4,FRI,,,,,,,,\n"
                "NL 4,SQ,,,,,,,,\n");
    /* NL 1's weakly cells are not applicable, its FRI strongly cells missing */
    CU_ASSERT_EQUAL(cls->na[0], 1);
    CU_ASSERT_EQUAL(cls->na[2], 0);
    expect_text(repro_tables_get(&ts, "accuracy_per_fclass_mean"), 0,
                "model,weakly_precision,weakly_recall,strongly_precision,strongly_recall\n"
                "FRI,0.5000,1.0000,1.0000,0.0000\n"
                "SQ,,,1.0000,0.2500\n");
    expect_text(repro_tables_get(&ts, "presets"), 0,
                "set,n,features,strong,weak\n"
                "NL 1,150,3,2,0\n"
                "NL 2,150,3,1,1\n"
                "NL 3,,,,\n"
                "NL 4,,,,\n");
    expect_text(repro_tables_get(&ts, "accuracy_per_fclass_mean"), 1,
                "% NL_toy_benchmarks/accuracy_per_fclass_mean, written by repro_mpi reduce (needs booktabs and multirow)\n"
                "\\begin{tabular}{lrrrr}\n"
                "\\toprule\n"
                " & \\multicolumn{2}{c}{weakly} & \\multicolumn{2}{c}{strongly} \\\\\n"
                "\\cmidrule(lr){2-3} \\cmidrule(lr){4-5}\n"
                "model & precision & recall & precision & recall \\\\\n"
                "\\midrule\n"
                "FRI & 0.50 & 1.00 & 1.00 & 0.00 \\\\\n"
                "SQ & - & - & 1.00 & 0.25 \\\\\n"
                "\\bottomrule\n"
                "\\end{tabular}\n");
    repro_tables_clear(&ts);
}

static void test_extra_dataset_row(void)
{
    repro_error err;
    repro_result_set *s = repro_result_set_alloc(1, &err);
    const int t[] = {2, 0};
    put(&s->rec[0], "toy_benchmarks", "Tiny", "RF", 0, REPRO_JOB_DONE, 2, t, (const int[]){1, 1},
        0.5, 0.1);
    repro_tables ts;
    repro_reduce_stats st;
    REPRO_ASSERT_OK(repro_reduce_tables(s, &ts, &st, &err), &err);
    const repro_table *sc = repro_tables_get(&ts, "sim_scores");
    CU_ASSERT_EQUAL(sc->n_rows, 9);
    const char *k[1] = {"Tiny"};
    size_t r = repro_table_find(sc, k);
    CU_ASSERT_EQUAL(r, 8);
    /* truth {0}, pred {0,1}: P .5 R 1 F1 2/3 */
    CU_ASSERT_DOUBLE_EQUAL(repro_table_get(sc, r, 2), 2.0 / 3.0, 1e-12);
    /* not a paper set: its parameters still come from its record (n = 50 * 2) */
    CU_ASSERT_DOUBLE_EQUAL(repro_table_get(repro_tables_get(&ts, "sim_params"), r, 0), 100.0, 0);
    CU_ASSERT_DOUBLE_EQUAL(repro_table_get(repro_tables_get(&ts, "sim_params"), r, 1), 1.0, 0);
    repro_tables_clear(&ts);
    repro_result_set_free(s);
}

static void test_parse_roundtrip(void)
{
    repro_tables ts;
    repro_reduce_stats st;
    reduce_fixture(&ts, &st);
    const repro_table *t = repro_tables_get(&ts, "prec_rec_ARFS");
    char *csv = render(t, 0);
    repro_table *back = NULL;
    repro_error err;
    REPRO_ASSERT_OK(repro_table_parse_csv(csv, "g", "n", 2, "test", &back, &err), &err);
    CU_ASSERT_EQUAL(back->n_rows, t->n_rows);
    CU_ASSERT_EQUAL(back->n_vals, 4);
    CU_ASSERT_DOUBLE_EQUAL(repro_table_get(back, 0, 2), 0.3333, 1e-12);
    CU_ASSERT_TRUE(isnan(repro_table_get(back, 1, 0)));
    repro_table_free(back);
    free(csv);
    CU_ASSERT_EQUAL(repro_table_parse_csv("a,b\nx,1,2\n", "g", "n", 1, "bad", &back, &err),
                    REPRO_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "bad: line 2"));
    CU_ASSERT_EQUAL(repro_table_parse_csv("a,b\nx,abc\n", "g", "n", 1, "bad", &back, &err),
                    REPRO_EINVAL);
    CU_ASSERT_PTR_NULL(back);
    repro_tables_clear(&ts);
}

/* A scratch folder under /tmp (removed by the caller). */
static void scratch(char *dir, size_t n)
{
    snprintf(dir, n, "/tmp/repro_test_reduce_XXXXXX");
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
}

static void test_reduce_writes_and_fails_cleanly(void)
{
    char dir[64], path[256];
    scratch(dir, sizeof dir);
    repro_error err;
    repro_result_set *s = fixture();
    repro_reduce_stats st;
    REPRO_ASSERT_OK(repro_reduce(s, dir, NULL, &st, &err), &err);
    snprintf(path, sizeof path, "%s/tables/prec_recall_arfs/prec_rec_ARFS_mean.tex", dir);
    CU_ASSERT_EQUAL(access(path, F_OK), 0);
    snprintf(path, sizeof path, "%s/tables/NL_toy_benchmarks/presets.csv", dir);
    CU_ASSERT_EQUAL(access(path, F_OK), 0);
    /* no figure experiments: 14 figure files expected, all missing */
    CU_ASSERT_EQUAL(st.figures, 14);
    CU_ASSERT_EQUAL(st.figures_missing, 14);
    repro_result_set_free(s);

    /* a threshold record without shadow_bounds makes the figures fail: the
     * earlier tables stay, no temporary folder is left */
    s = repro_result_set_alloc(1, &err);
    const int t[] = {2, 1, 0};
    put(&s->rec[0], "featsel_threshold", "Figure", "SQ", 0, REPRO_JOB_DONE, 3, t,
        (const int[]){2, 1, 0}, 1, 1);
    s->rec[0].importance = calloc(3, sizeof(double));
    CU_ASSERT_NOT_EQUAL(repro_reduce(s, dir, NULL, &st, &err), REPRO_OK);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "shadow_bounds"));
    snprintf(path, sizeof path, "%s/tables/toy_benchmarks/sim_scores.csv", dir);
    char *text = NULL;
    REPRO_ASSERT_OK(repro_read_file(path, &text, NULL, &err), &err);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "Set 1,0.5000,1.0000,,0.6000,"));
    free(text);
    /* no temporary folder of the failed reduction is left in dir */
    DIR *dp = opendir(dir);
    CU_ASSERT_PTR_NOT_NULL_FATAL(dp);
    for (struct dirent *e; (e = readdir(dp));)
        CU_ASSERT(strncmp(e->d_name, "reduce-", 7) != 0);
    closedir(dp);
    /* into a folder that did not exist: no folder is left behind */
    snprintf(path, sizeof path, "%s/new", dir);
    CU_ASSERT_NOT_EQUAL(repro_reduce(s, path, NULL, &st, &err), REPRO_OK);
    CU_ASSERT_NOT_EQUAL(access(path, F_OK), 0);
    repro_result_set_free(s);
    REPRO_ASSERT_OK(repro_remove_tree(dir, &err), &err);
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"job counts", test_job_counts},
        {"sim_scores golden CSV and LaTeX", test_sim_scores_golden},
        {"sim_params from truth and presets", test_sim_params},
        {"prec_rec_ARFS quirks golden", test_prec_rec_arfs_quirks_golden},
        {"NL tables golden", test_nl_tables_golden},
        {"extra data set row", test_extra_dataset_row},
        {"CSV parse round trip and errors", test_parse_roundtrip},
        {"reduce writes, fails cleanly", test_reduce_writes_and_fails_cleanly},
        CU_TEST_INFO_NULL,
    };
    return repro_test_run("reduce", tests);
}
