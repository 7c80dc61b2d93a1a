/* test_plan_preview.c - the per-job scores stored in the results file
 * (known answers, 0/0 conventions, no classes), the plan's wall-time
 * estimate (one rank: the sum; as many ranks as jobs: the largest job) and
 * the experiment and data set filters (jobs kept, recorded in the text,
 * unknown names refused with the valid ones). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repro/jobfile.h"
#include "repro/models.h"
#include "repro/plan.h"
#include "repro/record.h"
#include "testutil.h"

#define NEAR(a, b) CU_ASSERT(fabs((a) - (b)) < 1e-12)

static void test_scores_known(void)
{
    repro_error err;
    repro_error_clear(&err);
    const int8_t truth[6] = {2, 2, 1, 1, 0, 0}, pred[6] = {2, 1, 1, 0, 0, 2};
    repro_job_scores s;
    REPRO_ASSERT_OK(repro_job_scores_compute(truth, pred, 6, 1, &s, &err), &err);
    NEAR(s.precision, 0.75); /* selected 0,1,2,5; relevant 0..3 */
    NEAR(s.recall, 0.75);
    NEAR(s.f1, 0.75);
    NEAR(s.weak_precision, 0.5); /* weak: predicted 1,2; true 2,3 */
    NEAR(s.weak_recall, 0.5);
    NEAR(s.strong_precision, 0.5); /* strong: predicted 0,5; true 0,1 */
    NEAR(s.strong_recall, 0.5);
    REPRO_ASSERT_OK(repro_job_scores_compute(truth, pred, 6, 0, &s, &err), &err);
    NEAR(s.f1, 0.75);
    CU_ASSERT(isnan(s.weak_precision) && isnan(s.weak_recall) && isnan(s.strong_precision) &&
              isnan(s.strong_recall));
    /* nothing selected: all-relevant 0/0 -> 0, a class 0/0 -> 1 */
    const int8_t t2[2] = {1, 0}, p2[2] = {0, 0};
    REPRO_ASSERT_OK(repro_job_scores_compute(t2, p2, 2, 1, &s, &err), &err);
    CU_ASSERT(s.precision == 0.0 && s.recall == 0.0 && s.f1 == 0.0);
    CU_ASSERT(s.weak_precision == 1.0 && s.weak_recall == 0.0);
    CU_ASSERT(s.strong_precision == 1.0 && s.strong_recall == 1.0);
    REPRO_ASSERT_OK(repro_job_scores_compute(t2, p2, 0, 1, &s, &err), &err);
    CU_ASSERT(isnan(s.precision) && isnan(s.f1) && isnan(s.strong_recall));
}

static const char *const job_text = "[experiment lin]\n"
                                    "generator = linear\ndata = per_repeat\n"
                                    "repeats = 3\n"
                                    "models = ElasticNet, RF, SQ\n"
                                    "[dataset A]\n"
                                    "n = 40\nstrong = 2\nweak = 2\nirrelevant = 2\n"
                                    "[dataset B]\n"
                                    "n = 300\nstrong = 2\nweak = 2\nirrelevant = 20\n"
                                    "[experiment other]\n"
                                    "generator = linear\ndata = once\n"
                                    "repeats = 2\n"
                                    "models = RF\n"
                                    "[dataset A]\n"
                                    "n = 50\nstrong = 1\nweak = 1\nirrelevant = 1\n";

static int plan_with(const repro_plan_options *opt, repro_plan **plan, repro_error *err)
{
    repro_jobfile *jf = NULL;
    int rc = repro_jobfile_parse("t.ini", job_text, repro_models, &jf, err);
    return rc ? rc : repro_plan_build(&jf, 1, opt, plan, err);
}

static void test_wall_estimate(void)
{
    repro_error err;
    repro_error_clear(&err);
    repro_plan *plan = NULL;
    REPRO_ASSERT_OK(plan_with(NULL, &plan, &err), &err);
    CU_ASSERT_EQUAL_FATAL(plan->n_jobs, 2 * 3 * 3 + 2);
    double sum = 0.0, max = 0.0;
    for (size_t i = 0; i < plan->n_jobs; i++) {
        sum += plan->jobs[i].cost;
        max = plan->jobs[i].cost > max ? plan->jobs[i].cost : max;
    }
    CU_ASSERT(max > 0.0);
    CU_ASSERT(fabs(repro_plan_wall_estimate(plan, 1, 1) - sum) <= 1e-9 * sum);
    CU_ASSERT(fabs(repro_plan_wall_estimate(plan, 1, 4) - sum / 4) <= 1e-9 * sum);
    CU_ASSERT_EQUAL(repro_plan_wall_estimate(plan, (int)plan->n_jobs, 1), max);
    CU_ASSERT_EQUAL(repro_plan_wall_estimate(plan, 1000, 1), max);
    double two = repro_plan_wall_estimate(plan, 2, 1);
    CU_ASSERT(two >= sum / 2 && two >= max && two < sum);
    repro_plan_free(plan);
}

static void test_filters(void)
{
    repro_error err;
    repro_error_clear(&err);
    repro_plan *plan = NULL;
    repro_plan_options o = {.experiments = "lin", .datasets = " B ", .models = "SQ,RF"};
    REPRO_ASSERT_OK(plan_with(&o, &plan, &err), &err);
    CU_ASSERT_EQUAL_FATAL(plan->n_jobs, 3 * 2);
    for (size_t i = 0; i < plan->n_jobs; i++) {
        CU_ASSERT_STRING_EQUAL(plan->jobs[i].exp->name, "lin");
        CU_ASSERT_STRING_EQUAL(plan->jobs[i].ds->name, "B");
        CU_ASSERT(strcmp(plan->jobs[i].params->type->name, "ElasticNet") != 0);
    }
    CU_ASSERT_PTR_NOT_NULL(strstr(plan->text, "### MODELS SQ,RF\n### EXPERIMENTS lin\n### DATASETS B\n"));
    uint64_t filtered = plan->fingerprint;
    repro_plan_free(plan);
    /* a data set name of two experiments keeps both */
    repro_plan_options a = {.datasets = "A"};
    REPRO_ASSERT_OK(plan_with(&a, &plan, &err), &err);
    CU_ASSERT_EQUAL(plan->n_jobs, 3 * 3 + 2);
    CU_ASSERT(plan->fingerprint != filtered);
    repro_plan_free(plan);
    /* unknown names: one line with the valid ones */
    repro_plan_options bad = {.experiments = "lin,nope"};
    CU_ASSERT_EQUAL(plan_with(&bad, &plan, &err), REPRO_EINVAL);
    CU_ASSERT_STRING_EQUAL(err.msg, "--experiments: 'nope' is not an experiment of these job files (valid: lin, other)");
    repro_plan_options bad2 = {.datasets = "C"};
    CU_ASSERT_EQUAL(plan_with(&bad2, &plan, &err), REPRO_EINVAL);
    CU_ASSERT_STRING_EQUAL(err.msg, "--datasets: 'C' is not a data set of these job files (valid: A, B)");
    repro_plan_options none = {.experiments = "other", .datasets = "B"};
    CU_ASSERT_EQUAL(plan_with(&none, &plan, &err), REPRO_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "no job to run"));
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"stored scores: known answers", test_scores_known},
        {"wall-time estimate", test_wall_estimate},
        {"experiment and data set filters", test_filters},
        CU_TEST_INFO_NULL,
    };
    return repro_test_run("plan_preview", tests);
}
