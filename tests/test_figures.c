/* test_figures.c - the figure data helpers (JSON numbers, quantiles) and the
 * figures drawn from a small in-memory result set: every file exists, has
 * the right magic bytes and a non-trivial size. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "repro/fsutil.h"
#include "repro/jsonnum.h"
#include "repro/plot.h"
#include "repro/stats.h"
#include "repro/reduce.h"
#include "testutil.h"

static void test_json_numbers(void)
{
    const char *j = "{\"name\":\"x,\\\"shadow_bounds\\\"\",\"AR\":[1,2],"
                    "\"nested\":{\"shadow_bounds\":[9,9]},"
                    "\"shadow_bounds\":[ -0.5 , 2.5e-1 ],\"k\":null,\"one\":3}";
    double v[4];
    size_t n = 0;
    CU_ASSERT_EQUAL(repro_json_numbers(j, "shadow_bounds", v, 4, &n), 0);
    CU_ASSERT_EQUAL(n, 2);
    CU_ASSERT_DOUBLE_EQUAL(v[0], -0.5, 0);
    CU_ASSERT_DOUBLE_EQUAL(v[1], 0.25, 0);
    CU_ASSERT_EQUAL(repro_json_numbers(j, "one", v, 4, &n), 0);
    CU_ASSERT_EQUAL(n, 1);
    CU_ASSERT_DOUBLE_EQUAL(v[0], 3, 0);
    CU_ASSERT_EQUAL(repro_json_numbers(j, "k", v, 4, &n), 0);
    CU_ASSERT_TRUE(isnan(v[0]));
    CU_ASSERT_EQUAL(repro_json_numbers(j, "AR", v, 1, &n), 0);
    CU_ASSERT_EQUAL(n, 2); /* counted, only the first stored */
    CU_ASSERT_EQUAL(repro_json_numbers(j, "missing", v, 4, &n), -1);
    CU_ASSERT_EQUAL(repro_json_numbers(j, "name", v, 4, &n), -1);
    CU_ASSERT_EQUAL(repro_json_numbers(NULL, "x", v, 4, &n), -1);
}

static void test_quantile(void)
{
    /* pandas: Series([4,1,3,2]).quantile(.1) = 1.3, .5 = 2.5, .9 = 3.7 */
    const double v[] = {4, 1, 3, 2};
    CU_ASSERT_DOUBLE_EQUAL(repro_quantile(v, 4, 0.1), 1.3, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(repro_quantile(v, 4, 0.5), 2.5, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(repro_quantile(v, 4, 0.9), 3.7, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(repro_quantile(v, 1, 0.9), 4, 0);
    CU_ASSERT_TRUE(isnan(repro_quantile(v, 0, 0.5)));
}

/* Checks a drawn file: magic bytes and more than min_size bytes. */
static void check_file(const char *path, const char *magic, size_t mlen, long min_size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fprintf(stderr, "missing %s\n", path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    char buf[8] = {0};
    CU_ASSERT_EQUAL(fread(buf, 1, mlen, f), mlen);
    CU_ASSERT_EQUAL(memcmp(buf, magic, mlen), 0);
    fseek(f, 0, SEEK_END);
    CU_ASSERT_TRUE(ftell(f) > min_size);
    fclose(f);
}

/* A figure record of d = 17 features (truth 5 strong, 10 weak, 2
 * irrelevant) with deterministic made-up values. */
static void put(repro_record *r, const char *exp, const char *model, unsigned rep, int imp)
{
    repro_error err;
    REPRO_ASSERT_OK(repro_record_init(r, 17, imp, 0, &err), &err);
    snprintf(r->experiment, sizeof r->experiment, "%s", exp);
    snprintf(r->dataset, sizeof r->dataset, "Figure");
    snprintf(r->model, sizeof r->model, "%s", model);
    r->repeat = rep;
    r->status = REPRO_JOB_DONE;
    for (int j = 0; j < 17; j++) {
        r->truth[j] = (int8_t)(j < 5 ? 2 : j < 15 ? 1 : 0);
        r->relevance[j] = (int8_t)(((unsigned)j * 7 + rep * 3) % 5 < 3 ? 1 : 0);
        if (imp)
            r->importance[j] = (j < 5 ? 30.0 : j < 15 ? 8.0 : 1.0) + (double)((j * 13 + rep * 7) % 11);
    }
}

static void test_figures_drawn(void)
{
    repro_error err;
    repro_result_set *s = repro_result_set_alloc(2 * 3 * 10 + 1, &err);
    size_t k = 0;
    const char *exps[2] = {"figures_1ff", "figures_01ff"};
    for (int e = 0; e < 2; e++)
        for (unsigned rep = 0; rep < 10; rep++) {
            put(&s->rec[k++], exps[e], "Forest", rep, 1);
            put(&s->rec[k++], exps[e], "RF", rep, 0);
            put(&s->rec[k++], exps[e], "Boruta", rep, 0);
        }
    put(&s->rec[k], "featsel_threshold", "SQ", 0, 1);
    const char *x = "{\"shadow_bounds\":[0.5,12.0],\"score_bounds\":[0.9,1]}";
    s->rec[k].extras_json = malloc(strlen(x) + 1);
    strcpy(s->rec[k].extras_json, x);

    char dir[64];
    snprintf(dir, sizeof dir, "/tmp/repro_test_figures_XXXXXX");
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    repro_reduce_stats st = {0};
    REPRO_ASSERT_OK(repro_reduce_figures(s, dir, &st, &err), &err);
    CU_ASSERT_EQUAL(st.figures, 14);
    CU_ASSERT_EQUAL(st.figures_missing, 0);
    const char *names[] = {"importance_plots/1ffdistimps",   "importance_plots/01ffdistimps",
                           "importance_plots/1fffreqimpsMR", "importance_plots/01fffreqimpsMR",
                           "importance_plots/1fffreqimpsAR", "importance_plots/01fffreqimpsAR",
                           "featsel_threshold/selection_with_statmethod"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[256];
        snprintf(path, sizeof path, "%s/figures/%s.pdf", dir, names[i]);
        check_file(path, "%PDF", 4, 2000);
        snprintf(path, sizeof path, "%s/figures/%s.png", dir, names[i]);
        check_file(path, "\x89PNG", 4, 5000);
    }
    if (!getenv("REPRO_KEEP_FIGURES"))
        REPRO_ASSERT_OK(repro_remove_tree(dir, &err), &err);
    else
        printf("\nfigures kept in %s\n", dir);
    repro_result_set_free(s);
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"JSON numbers", test_json_numbers},
        {"quantiles like pandas", test_quantile},
        {"figures drawn as PDF and PNG", test_figures_drawn},
        CU_TEST_INFO_NULL,
    };
    return repro_test_run("figures", tests);
}
