/* test_plan.c - plans over the test models (tests/toymodels.h): canonical
 * job order and streams, overrides and filters, --set. */
#include <string.h>

#include "repro/jobfile.h"
#include "repro/plan.h"
#include "testutil.h"
#include "toymodels.h"

/* ---- plans ---- */

static repro_plan *plan_of(const char *text, const repro_plan_options *opt)
{
    repro_jobfile *jf = parse_ok("good.ini", text);
    repro_plan *plan = NULL;
    repro_error err;
    repro_error_clear(&err);
    REPRO_ASSERT_OK(repro_plan_build(&jf, 1, opt, &plan, &err), &err);
    return plan;
}

static void test_plan_order_and_streams(void)
{
    repro_plan *plan = plan_of(good_file, NULL);
    /* lin: 2 sets x 3 repeats x 2 models; nl: 1 set x 2 repeats x 1 model */
    CU_ASSERT_EQUAL_FATAL(plan->n_jobs, 14);
    CU_ASSERT_EQUAL(plan->seed, REPRO_DEFAULT_SEED);
    CU_ASSERT_EQUAL(plan->repeats, 3);
    CU_ASSERT_EQUAL(plan->max_d, 8);
    const repro_job *j = plan->jobs;
    CU_ASSERT_STRING_EQUAL(j[0].ds->name, "A");
    CU_ASSERT_EQUAL(j[0].params->type, &model_corr);
    CU_ASSERT_EQUAL(j[1].params->type, &model_fail);
    CU_ASSERT_EQUAL(j[2].repeat, 1);
    CU_ASSERT_STRING_EQUAL(j[6].ds->name, "B");
    CU_ASSERT_STRING_EQUAL(j[12].exp->name, "nl");
    for (size_t i = 0; i < plan->n_jobs; i++)
        CU_ASSERT_EQUAL(j[i].id, i);
    repro_error err;
    repro_error_clear(&err);
    repro_dataset *a = NULL, *b = NULL, *c = NULL;
    /* all models of a repeat see the same data; the next repeat differs */
    REPRO_ASSERT_OK(repro_plan_job_data(plan, &j[0], &a, &err), &err);
    REPRO_ASSERT_OK(repro_plan_job_data(plan, &j[1], &b, &err), &err);
    REPRO_ASSERT_OK(repro_plan_job_data(plan, &j[2], &c, &err), &err);
    CU_ASSERT(memcmp(a->X, b->X, a->n * a->d * sizeof(double)) == 0);
    CU_ASSERT(memcmp(a->X, c->X, a->n * a->d * sizeof(double)) != 0);
    repro_rng r0, r1;
    repro_plan_job_stream(plan, &j[0], &r0);
    repro_plan_job_stream(plan, &j[1], &r1);
    CU_ASSERT(r0.state != r1.state || r0.inc != r1.inc);
    repro_dataset_free(a);
    repro_dataset_free(b);
    repro_dataset_free(c);
    /* "once": both repeats of the NL set get the same data */
    REPRO_ASSERT_OK(repro_plan_job_data(plan, &j[12], &a, &err), &err);
    REPRO_ASSERT_OK(repro_plan_job_data(plan, &j[13], &b, &err), &err);
    CU_ASSERT_EQUAL(j[13].repeat, 1);
    CU_ASSERT(memcmp(a->X, b->X, a->n * a->d * sizeof(double)) == 0);
    repro_dataset_free(a);
    repro_dataset_free(b);
    repro_plan_free(plan);
}

static void test_plan_options(void)
{
    repro_plan_options opt = {.has_seed = 1, .seed = 7, .has_repeats = 1, .repeats = 1, .models = "Fail"};
    repro_plan *plan = plan_of(good_file, &opt);
    CU_ASSERT_EQUAL(plan->seed, 7);
    CU_ASSERT_EQUAL(plan->repeats, 1);
    CU_ASSERT_EQUAL(plan->n_jobs, 2); /* Fail only: sets A and B, one repeat */
    repro_plan *base = plan_of(good_file, NULL);
    CU_ASSERT(plan->fingerprint != base->fingerprint);
    repro_plan_free(plan);
    repro_plan_free(base);

    repro_jobfile *jf = parse_ok("good.ini", good_file);
    repro_plan *p2 = NULL;
    repro_error err;
    repro_error_clear(&err);
    repro_plan_options bad = {.models = "Corr,Nope"};
    CU_ASSERT_EQUAL(repro_plan_build(&jf, 1, &bad, &p2, &err), REPRO_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "Nope"));
    /* the same experiment in two files */
    repro_jobfile *two[2] = {parse_ok("one.ini", good_file), parse_ok("two.ini", good_file)};
    CU_ASSERT_EQUAL(repro_plan_build(two, 2, NULL, &p2, &err), REPRO_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "two.ini:2:"));
}

/* --set MODEL.key=value: every experiment running MODEL, over the file's own
 * override; recorded in the text and the fingerprint; bad settings named. */
static void test_plan_sets(void)
{
    const char *sets[] = {"Corr.perms=9", "Corr.alpha=0.01"};
    repro_plan_options opt = {.sets = sets, .n_sets = 2};
    repro_plan *plan = plan_of(good_file, &opt);
    repro_plan *base = plan_of(good_file, NULL);
    CU_ASSERT_EQUAL_FATAL(plan->n_jobs, base->n_jobs);
    size_t corr = 0;
    for (size_t i = 0; i < plan->n_jobs; i++) {
        const repro_params *p = plan->jobs[i].params;
        if (p->type == &model_corr) {
            corr++;
            CU_ASSERT_EQUAL(repro_params_get(p, "perms"), 9); /* lin's file said 7 */
            CU_ASSERT_EQUAL(repro_params_get(p, "alpha"), 0.01);
        } else {
            CU_ASSERT_EQUAL(repro_params_get(p, "perms"), 20); /* Fail untouched */
        }
    }
    CU_ASSERT(corr > 0 && corr < plan->n_jobs);
    const char *tail = "### SET Corr.perms=9\n### SET Corr.alpha=0.01\n";
    size_t tl = strlen(tail), pl = strlen(plan->text);
    CU_ASSERT(pl > tl && !strcmp(plan->text + pl - tl, tail));
    CU_ASSERT_PTR_NULL(strstr(base->text, "### SET"));
    CU_ASSERT(plan->fingerprint != base->fingerprint);
    repro_plan_free(plan);
    repro_plan_free(base);

    static const struct {
        const char *set, *word;
    } bad[] = {
        {"Corrperms=9", "expected MODEL.key=value"},
        {"Corr.perms", "expected MODEL.key=value"},
        {"Corr.perms=", "expected MODEL.key=value"},
        {".perms=9", "expected MODEL.key=value"},
        {"Nope.perms=9", "'Nope' is not a model of these job files"},
        {"Corr.nope=1", "valid: perms, alpha, strong, max_d"},
        {"Corr.perms=-4", "perms"},
        {"Corr.perms=many", "not a number"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        repro_jobfile *jf = parse_ok("good.ini", good_file);
        repro_plan *p = NULL;
        repro_error err;
        repro_error_clear(&err);
        repro_plan_options o = {.sets = &bad[k].set, .n_sets = 1};
        CU_ASSERT_EQUAL(repro_plan_build(&jf, 1, &o, &p, &err), REPRO_EINVAL);
        CU_ASSERT_PTR_NULL(p);
        if (!strstr(err.msg, bad[k].word) || !strstr(err.msg, bad[k].set))
            fprintf(stderr, "\n  --set %s: message '%s' lacks '%s'\n", bad[k].set, err.msg, bad[k].word);
        CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, bad[k].word));
        CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, bad[k].set));
    }
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"plan: canonical order and streams", test_plan_order_and_streams},
        {"plan: overrides and filters", test_plan_options},
        {"plan: --set model parameters", test_plan_sets},
        CU_TEST_INFO_NULL,
    };
    return repro_test_run("plan", tests);
}
