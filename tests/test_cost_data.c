/* test_cost_data.c - cost estimates with the data's kind: FRI's estimate on
 * non-linear data exceeds its linear one, unknown data counts as linear,
 * other models ignore the kind, RF's shape counts the path on all rows as
 * its longest task, and the plan passes each experiment's generator. */
#include <math.h>
#include <stdlib.h>

#include <string.h>

#include "repro/data.h"
#include "repro/fitcost.h"
#include "repro/jobfile.h"
#include "repro/model.h"
#include "repro/models.h"
#include "repro/plan.h"
#include "testutil.h"

/* FRI: non-linear above linear at the same n and d; unknown (csv) as
 * linear; repro_params_cost is the unknown kind; larger data cost more. */
static void test_fri_kind(void)
{
    const repro_model_type *t = repro_model_find("FRI");
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    repro_params p;
    repro_params_defaults(t, &p);
    static const size_t shapes[][2] = {{150, 12}, {1000, 20}, {1000, 80}, {2000, 70}};
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        size_t n = shapes[i][0], d = shapes[i][1];
        double lin = repro_params_cost_data(&p, n, d, REPRO_GEN_LINEAR);
        double nl = repro_params_cost_data(&p, n, d, REPRO_GEN_NONLINEAR);
        double other = repro_params_cost_data(&p, n, d, REPRO_PROFILE_DATA_OTHER);
        CU_ASSERT(lin > 0 && nl > 1.5 * lin);
        CU_ASSERT_DOUBLE_EQUAL(other, lin, 1e-12 * lin);
        CU_ASSERT_DOUBLE_EQUAL(repro_params_cost(&p, n, d), other, 1e-12 * lin);
    }
    /* NL 4 (1000 x 80, non-linear) costs about as much as Set 8 (2000 x 70,
     * linear), as measured (22 s and 21 s, bench_scaling --calibration) */
    double nl4 = repro_params_cost_data(&p, 1000, 80, REPRO_GEN_NONLINEAR);
    double set8 = repro_params_cost_data(&p, 2000, 70, REPRO_GEN_LINEAR);
    CU_ASSERT(nl4 > 0.5 * set8 && nl4 < 2.0 * set8);
    CU_ASSERT(repro_params_cost_data(&p, 1000, 20, REPRO_GEN_NONLINEAR) < 0.5 * nl4);
    /* `fit --max-cost` counts the kind: refused on non-linear data under a
     * limit that linear data of the same shape pass */
    repro_error err;
    repro_error_clear(&err);
    double lin80 = repro_fit_cost_estimate(&p, 1000, 80, REPRO_GEN_LINEAR, 1);
    CU_ASSERT_DOUBLE_EQUAL(repro_fit_cost_estimate(&p, 1000, 80, REPRO_GEN_NONLINEAR, 2), 0.5 * nl4, 1e-12 * nl4);
    REPRO_ASSERT_OK(repro_fit_cost_check(&p, 1000, 80, REPRO_GEN_LINEAR, 1, 1.2 * lin80, &err), &err);
    CU_ASSERT_EQUAL(repro_fit_cost_check(&p, 1000, 80, REPRO_GEN_NONLINEAR, 1, 1.2 * lin80, &err), REPRO_EINVAL);
}

/* The models whose estimates do not depend on the kind give the same
 * estimate for every kind. */
static void test_other_models(void)
{
    static const char *const names[] = {"ElasticNet", "RF", "SQ"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const repro_model_type *t = repro_model_find(names[i]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(t);
        repro_params p;
        repro_params_defaults(t, &p);
        double lin = repro_params_cost_data(&p, 1000, 50, REPRO_GEN_LINEAR);
        CU_ASSERT(lin > 0);
        CU_ASSERT_DOUBLE_EQUAL(repro_params_cost_data(&p, 1000, 50, REPRO_GEN_NONLINEAR), lin, 1e-12 * lin);
        CU_ASSERT_DOUBLE_EQUAL(repro_params_cost(&p, 1000, 50), lin, 1e-12 * lin);
    }
}

/* RF's shape: the path on all rows (the last task of the first stage) is
 * the longest task, about 1.5 times a fold's path and more (measured 1.4
 * to 1.5 times the old estimate's share). */
static void test_rf_longest_path(void)
{
    const repro_model_type *t = repro_model_find("RF");
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t->split);
    repro_params p;
    repro_params_defaults(t, &p);
    repro_split_shape sh;
    repro_error err;
    repro_error_clear(&err);
    REPRO_ASSERT_OK(t->split->shape(2000, 70, &p, 0, &sh, &err), &err);
    size_t k = sh.stage_tasks[0];
    CU_ASSERT(k >= 3);
    double fold = sh.cost[0], all = sh.cost[k - 1], sum = 0;
    for (size_t i = 0; i + 1 < k; i++)
        CU_ASSERT(sh.cost[i] < all);
    for (size_t i = 0; i < k + sh.stage_tasks[1]; i++)
        sum += sh.cost[i];
    CU_ASSERT(all > 1.5 * fold);
    /* the longest path's share of the fit, measured 0.29 on Set 8 */
    CU_ASSERT(all / sum > 0.25 && all / sum < 0.35);
    free(sh.cost);
}

/* The plan gives each job its experiment's kind: FRI's jobs on a
 * non-linear experiment cost more than on a linear one of the same n and d
 * (equal parameters: no profile), RF's the same. */
static void test_plan_kind(void)
{
    static const char *const text =
        "[experiment lin]\ngenerator = linear\ndata = once\nrepeats = 1\nmodels = FRI, RF\n"
        "[dataset L]\nn = 300\nstrong = 2\nweak = 2\nirrelevant = 16\n"
        "[experiment nl]\ngenerator = nonlinear\ndata = once\nrepeats = 1\nmodels = FRI, RF\n"
        "[dataset N]\nn = 300\nstrong = 2\nweak = 2\nirrelevant = 16\n";
    repro_error err;
    repro_error_clear(&err);
    repro_jobfile *jf = NULL;
    REPRO_ASSERT_OK(repro_jobfile_parse("kinds.ini", text, repro_models, &jf, &err), &err);
    repro_plan_options opt = {0};
    repro_plan *plan = NULL;
    REPRO_ASSERT_OK(repro_plan_build(&jf, 1, &opt, &plan, &err), &err); /* takes jf */
    double cost[2][2] = {{0}};
    size_t d[2] = {0};
    for (size_t i = 0; i < plan->n_jobs; i++) {
        const repro_job *j = &plan->jobs[i];
        int nl = !strcmp(j->exp->name, "nl"), rf = !strcmp(j->params->type->name, "RF");
        cost[nl][rf] = j->cost;
        d[nl] = repro_job_d(j);
    }
    CU_ASSERT_EQUAL(d[0], d[1]);
    CU_ASSERT(cost[0][0] > 0 && cost[1][0] > 1.5 * cost[0][0]);
    CU_ASSERT(cost[0][1] > 0);
    CU_ASSERT_DOUBLE_EQUAL(cost[1][1], cost[0][1], 1e-12 * cost[0][1]);
    repro_plan_free(plan);
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"FRI: non-linear costs more", test_fri_kind},
        {"other models ignore the kind", test_other_models},
        {"RF: the path on all rows is longest", test_rf_longest_path},
        {"the plan passes the generator", test_plan_kind},
        CU_TEST_INFO_NULL,
    };
    return repro_test_run("cost_data", tests);
}
