/* test_seeds.c - seeds as a dimension: seed lists, sweep plans whose jobs
 * equal single-seed jobs, the across-seed tables, and the verdict of a cell
 * on hand-made distributions with known percentiles and bands. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repro/jobfile.h"
#include "repro/models.h"
#include "repro/plan.h"
#include "repro/reduce.h"
#include "testutil.h"

static const char *const job_text = "[experiment lin]\n"
                                    "generator = linear\ndata = per_repeat\n"
                                    "repeats = 2\n"
                                    "models = ElasticNet, RF\n"
                                    "[dataset A]\n"
                                    "n = 40\nstrong = 2\nweak = 2\nirrelevant = 2\n";

/* ---- seed lists ---- */

static void test_seed_lists(void)
{
    repro_error err;
    repro_error_clear(&err);
    uint64_t *s = NULL;
    size_t n = 0;
    REPRO_ASSERT_OK(repro_plan_parse_seeds("123,9001-9003,7", &s, &n, &err), &err);
    CU_ASSERT_EQUAL_FATAL(n, 5);
    CU_ASSERT(s[0] == 123 && s[1] == 9001 && s[3] == 9003 && s[4] == 7);
    char buf[64];
    repro_plan_format_seeds(s, n, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "123,9001-9003,7");
    free(s);
    REPRO_ASSERT_OK(repro_plan_parse_seeds("18446744073709551615", &s, &n, &err), &err);
    CU_ASSERT(n == 1 && s[0] == UINT64_MAX);
    free(s);
    REPRO_ASSERT_OK(repro_plan_parse_seeds("1-1000", &s, &n, &err), &err);
    CU_ASSERT_EQUAL(n, REPRO_MAX_SEEDS);
    free(s);
    static const char *const bad[] = {"", ",", "1,", "5-3", "1,2,1", "1-3,2", "18446744073709551616",
                                      "1-1001", "0-18446744073709551615", "a", "1-", "-1", " 1", "1;2"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        repro_error_clear(&err);
        s = (uint64_t *)&n; /* must be reset */
        CU_ASSERT_EQUAL(repro_plan_parse_seeds(bad[i], &s, &n, &err), REPRO_EINVAL);
        CU_ASSERT_PTR_NULL(s);
        CU_ASSERT(strchr(err.msg, '\n') == NULL && err.msg[0]);
    }
}

/* ---- a sweep's jobs are the single-seed jobs ---- */

static repro_plan *plan_with(const repro_plan_options *opt)
{
    repro_error err;
    repro_error_clear(&err);
    repro_jobfile *jf = NULL;
    REPRO_ASSERT_OK(repro_jobfile_parse("t.ini", job_text, repro_models, &jf, &err), &err);
    repro_plan *plan = NULL;
    REPRO_ASSERT_OK(repro_plan_build(&jf, 1, opt, &plan, &err), &err);
    return plan;
}

static void test_sweep_plan(void)
{
    uint64_t seeds[3] = {9001, 5, 77};
    repro_plan_options so = {.seeds = seeds, .n_seeds = 3};
    repro_plan *sweep = plan_with(&so);
    CU_ASSERT_EQUAL_FATAL(sweep->n_jobs, 12);
    CU_ASSERT_EQUAL(sweep->n_seeds, 3);
    repro_plan *base = plan_with(NULL);
    for (size_t s = 0; s < 3; s++) {
        repro_plan_options one = {.has_seed = 1, .seed = seeds[s]};
        repro_plan *single = plan_with(&one);
        CU_ASSERT_EQUAL_FATAL(single->n_jobs, 4);
        CU_ASSERT_EQUAL(single->n_seeds, 1);
        for (size_t i = 0; i < 4; i++) {
            const repro_job *a = &sweep->jobs[s * 4 + i], *b = &single->jobs[i];
            CU_ASSERT_EQUAL(a->id, s * 4 + i);
            CU_ASSERT_EQUAL(a->seed, seeds[s]);
            CU_ASSERT_EQUAL(b->seed, seeds[s]);
            CU_ASSERT(a->repeat == b->repeat && a->params->type == b->params->type);
            repro_rng ra, rb;
            repro_plan_job_stream(sweep, a, &ra);
            repro_plan_job_stream(single, b, &rb);
            CU_ASSERT_EQUAL(repro_rng_u64(&ra), repro_rng_u64(&rb));
            repro_error err;
            repro_error_clear(&err);
            repro_dataset *da = NULL, *db = NULL;
            REPRO_ASSERT_OK(repro_plan_job_data(sweep, a, &da, &err), &err);
            REPRO_ASSERT_OK(repro_plan_job_data(single, b, &db, &err), &err);
            CU_ASSERT(memcmp(da->X, db->X, da->n * da->d * sizeof(double)) == 0);
            repro_dataset_free(da);
            repro_dataset_free(db);
        }
        /* a single seed keeps the fingerprint of before sweeps; a sweep's differs */
        CU_ASSERT(single->fingerprint != sweep->fingerprint);
        repro_plan_free(single);
    }
    repro_plan_options same = {.has_seed = 1, .seed = REPRO_DEFAULT_SEED};
    repro_plan *def = plan_with(&same);
    CU_ASSERT_EQUAL(def->fingerprint, base->fingerprint);
    /* a list of one seed is the single-seed plan of that seed */
    uint64_t one_seed = REPRO_DEFAULT_SEED;
    repro_plan_options lone = {.seeds = &one_seed, .n_seeds = 1};
    repro_plan *l = plan_with(&lone);
    CU_ASSERT_EQUAL(l->fingerprint, base->fingerprint);
    /* another order of the same seeds is another plan */
    uint64_t other[3] = {5, 9001, 77};
    repro_plan_options oo = {.seeds = other, .n_seeds = 3};
    repro_plan *o = plan_with(&oo);
    CU_ASSERT(o->fingerprint != sweep->fingerprint);
    repro_plan_free(o);
    repro_plan_free(l);
    repro_plan_free(def);
    repro_plan_free(base);
    repro_plan_free(sweep);
}

/* ---- the verdict of one cell ---- */

static void test_verdict_known_percentiles(void)
{
    double v[20];
    for (int i = 0; i < 20; i++) /* 0.10, 0.11, ..., 0.29 in a shuffled order */
        v[(i * 7) % 20] = 0.10 + 0.01 * i;
    repro_cell_verdict cv;
    /* band: 2.5 % at 0.10475, 97.5 % at 0.28525 (linear interpolation) */
    repro_verdict_cell(v, 20, 0.20, 0.05, &cv);
    CU_ASSERT_EQUAL(cv.n, 20);
    CU_ASSERT_DOUBLE_EQUAL(cv.lo, 0.10475, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(cv.hi, 0.28525, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(cv.mean, 0.195, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(cv.percentile, 52.5, 1e-9); /* 10 below, 0.20 itself half */
    CU_ASSERT_EQUAL(cv.verdict, REPRO_VERDICT_CONSISTENT);
    repro_verdict_cell(v, 20, 0.155, 0.05, &cv); /* 0.15 and 0.16 within its rounding */
    CU_ASSERT_DOUBLE_EQUAL(cv.percentile, 30.0, 1e-9);
    /* rounding at the band's edges: 0.29 means [0.285, 0.295], which meets
     * 0.28525; 0.30 does not. 0.10 means [0.095, 0.105] and meets 0.10475;
     * 0.09 does not. */
    repro_verdict_cell(v, 20, 0.29, 0.05, &cv);
    CU_ASSERT_EQUAL(cv.verdict, REPRO_VERDICT_CONSISTENT);
    repro_verdict_cell(v, 20, 0.30, 0.05, &cv);
    CU_ASSERT_EQUAL(cv.verdict, REPRO_VERDICT_PAPER_HIGHER);
    CU_ASSERT_DOUBLE_EQUAL(cv.percentile, 100.0, 1e-9);
    repro_verdict_cell(v, 20, 0.10, 0.05, &cv);
    CU_ASSERT_EQUAL(cv.verdict, REPRO_VERDICT_CONSISTENT);
    repro_verdict_cell(v, 20, 0.09, 0.05, &cv);
    CU_ASSERT_EQUAL(cv.verdict, REPRO_VERDICT_PAPER_LOWER);
    CU_ASSERT_DOUBLE_EQUAL(cv.percentile, 0.0, 1e-9);
    /* all seeds equal: the band is a point; the printed value's rounding decides */
    double same[10];
    for (int i = 0; i < 10; i++)
        same[i] = 0.714;
    repro_verdict_cell(same, 10, 0.71, 0.05, &cv);
    CU_ASSERT_EQUAL(cv.verdict, REPRO_VERDICT_CONSISTENT); /* 0.714 within [0.705, 0.715] */
    CU_ASSERT_DOUBLE_EQUAL(cv.percentile, 50.0, 1e-9);
    repro_verdict_cell(same, 10, 0.72, 0.05, &cv);
    CU_ASSERT_EQUAL(cv.verdict, REPRO_VERDICT_PAPER_HIGHER); /* [0.715, 0.725] above 0.714 */
    repro_verdict_cell(same, 10, 0.70, 0.05, &cv);
    CU_ASSERT_EQUAL(cv.verdict, REPRO_VERDICT_PAPER_LOWER);
}

static void test_verdict_few_seeds(void)
{
    double v[9] = {0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.9};
    repro_cell_verdict cv;
    repro_verdict_cell(v, 9, 0.55, 0.05, &cv); /* mean 0.544 -> printed 0.54, within 0.05 */
    CU_ASSERT_EQUAL(cv.verdict, REPRO_VERDICT_WEAK_WITHIN);
    CU_ASSERT(isnan(cv.lo) && isnan(cv.hi));
    repro_verdict_cell(v, 9, 0.95, 0.05, &cv); /* far above every seed, but no band from 9 */
    CU_ASSERT_EQUAL(cv.verdict, REPRO_VERDICT_WEAK_OUTSIDE);
    repro_verdict_cell(v, 0, 0.5, 0.05, &cv);
    CU_ASSERT_EQUAL(cv.verdict, REPRO_VERDICT_MISSING);
    CU_ASSERT_EQUAL(cv.n, 0);
}

/* ---- a sweep of hand-made tables ---- */

/* n seeds whose tables are the published ones, with cell (Set 1, SQ) of
 * sim_scores set to base + step * seed index. */
static void fake_sweep(repro_sweep *sw, size_t n, double base, double step)
{
    repro_error err;
    repro_error_clear(&err);
    sw->n = n;
    sw->seeds = calloc(n, sizeof *sw->seeds);
    sw->per = calloc(n, sizeof *sw->per);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sw->per);
    for (size_t s = 0; s < n; s++) {
        sw->seeds[s] = 100 + s;
        REPRO_ASSERT_OK(repro_reference_tables(&sw->per[s], &err), &err);
        for (size_t i = 0; i < sw->per[s].n; i++) {
            repro_table *t = sw->per[s].t[i];
            if (strcmp(t->name, "sim_scores"))
                continue;
            const char *keys[1] = {"Set 1"};
            repro_table_set(t, repro_table_find(t, keys), repro_table_col(t, "SQ"),
                            base + step * (double)s);
        }
    }
}

static void test_sweep_verdict_report(void)
{
    repro_error err;
    repro_error_clear(&err);
    repro_sweep sw;
    fake_sweep(&sw, 10, 0.50, 0.01); /* the paper prints 1.00 for SQ on Set 1 */
    repro_tables mean;
    REPRO_ASSERT_OK(repro_sweep_mean_tables(&sw, &mean, &err), &err);
    const repro_table *ms = repro_tables_get(&mean, "sim_scores");
    CU_ASSERT_PTR_NOT_NULL_FATAL(ms);
    const char *keys[1] = {"Set 1"};
    size_t r = repro_table_find(ms, keys), c = repro_table_col(ms, "SQ");
    CU_ASSERT_DOUBLE_EQUAL(repro_table_get(ms, r, c), 0.545, 1e-12);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ms->sd);
    CU_ASSERT_DOUBLE_EQUAL(ms->sd[r * ms->n_vals + c], sqrt(0.000916666666667), 1e-9);
    double v[10];
    CU_ASSERT_EQUAL(repro_sweep_cell(&sw, "sim_scores", keys, "SQ", v), 10);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    repro_verify_summary sum;
    REPRO_ASSERT_OK(repro_verify_sweep(&mean, &sw, 0.05, NULL, f, &sum, &err), &err);
    fclose(f);
    CU_ASSERT_EQUAL(sum.seeds, 10);
    CU_ASSERT(sum.v_cells > 100);
    CU_ASSERT_EQUAL(sum.v_higher, 1); /* only the moved cell: paper 1.00 above ours */
    CU_ASSERT_EQUAL(sum.v_lower, 0);
    CU_ASSERT_EQUAL(sum.v_consistent + sum.v_higher + sum.v_missing, sum.v_cells);
    CU_ASSERT(!strncmp(text, "# Reproduction report\n\n## Verdict over 10 seeds", 47));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "- **toy_benchmarks/sim_scores**\n  - SQ: Set 1 / SQ paper higher"));
    /* claim 2 (SQ beats ElasticNet and RF on every set) fails on every seed
     * with SQ at 0.50..0.59 on Set 1; claim 1 (FRI) holds on every seed */
    CU_ASSERT_DOUBLE_EQUAL(sum.claim_share[1], 0.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(sum.claim_share[0], 1.0, 1e-12);
    CU_ASSERT_EQUAL(sum.claim_decided[1], 10);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "| 2 | linear: SQ F1 > ElasticNet and RF on every set (sim_scores) | 0 % of 10 | 0 |"));
    free(text);
    repro_tables_clear(&mean);
    repro_sweep_free(&sw);

    /* 9 seeds: no band, flagged weak */
    fake_sweep(&sw, 9, 0.50, 0.01);
    REPRO_ASSERT_OK(repro_sweep_mean_tables(&sw, &mean, &err), &err);
    text = NULL;
    f = open_memstream(&text, &len);
    REPRO_ASSERT_OK(repro_verify_sweep(&mean, &sw, 0.05, NULL, f, &sum, &err), &err);
    fclose(f);
    CU_ASSERT_EQUAL(sum.seeds, 9);
    CU_ASSERT_EQUAL(sum.v_weak, sum.v_cells - sum.v_missing);
    CU_ASSERT_EQUAL(sum.v_higher + sum.v_lower + sum.v_consistent, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "**Weak:** fewer than 10 seeds"));
    free(text);
    repro_tables_clear(&mean);
    repro_sweep_free(&sw);
}

static void test_set_seeds(void)
{
    repro_error err;
    repro_error_clear(&err);
    repro_result_set *set = repro_result_set_alloc(5, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(set);
    uint64_t in[5] = {9, 3, 9, 1, 3};
    for (int i = 0; i < 5; i++)
        set->rec[i].seed = in[i];
    uint64_t out[3];
    CU_ASSERT_EQUAL(repro_set_seeds(set, NULL, 0), 3);
    CU_ASSERT_EQUAL(repro_set_seeds(set, out, 3), 3);
    CU_ASSERT(out[0] == 1 && out[1] == 3 && out[2] == 9);
    repro_result_set_free(set);
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"seed lists", test_seed_lists},
        {"a sweep's jobs are the single-seed jobs", test_sweep_plan},
        {"verdict: known percentiles and band edges", test_verdict_known_percentiles},
        {"verdict: fewer than 10 seeds", test_verdict_few_seeds},
        {"verdict of a hand-made sweep", test_sweep_verdict_report},
        {"distinct seeds of a set", test_set_seeds},
        CU_TEST_INFO_NULL,
    };
    return repro_test_run("seeds", tests);
}
