/* test_cost_data.c - cost estimates with the data's kind: FRI's estimate on
 * non-linear data exceeds its linear one, unknown data counts as linear,
 * other models ignore the kind, and RF's shape counts the path on all rows
 * as its longest task. */
#include <math.h>
#include <stdlib.h>

#include "repro/data.h"
#include "repro/model.h"
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

int main(void)
{
    CU_TestInfo tests[] = {
        {"FRI: non-linear costs more", test_fri_kind},
        {"other models ignore the kind", test_other_models},
        {"RF: the path on all rows is longest", test_rf_longest_path},
        CU_TEST_INFO_NULL,
    };
    return repro_test_run("cost_data", tests);
}
