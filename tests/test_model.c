/* test_model.c - model parameters (defaults, set, errors) and fit results. */
#include <string.h>

#include "repro/model.h"
#include "testutil.h"

typedef struct demo_settings {
    size_t trees;
    double fpr;
    int penalty;
} demo_settings;

static void demo_defaults(void *settings)
{
    demo_settings *s = settings;
    s->trees = 100;
    s->fpr = 1e-6;
    s->penalty = 0;
}

static const repro_param_def demo_params[] = {
    REPRO_PARAM("trees", demo_settings, trees, SIZE, 1, 10000, NULL, "number of trees"),
    REPRO_PARAM("fpr", demo_settings, fpr, DOUBLE, 0, 1, NULL, "false positive rate"),
    REPRO_PARAM("penalty", demo_settings, penalty, INT, 0, 1, "l2|elasticnet", "penalty"),
};
static const repro_model_type demo = {"Demo", "a parameter table for tests", demo_params, 3, 1, NULL, NULL,
                                      sizeof(demo_settings), demo_defaults, NULL, NULL, NULL};

static void test_defaults_and_set(void)
{
    repro_params p;
    repro_error err;
    repro_params_defaults(&demo, &p);
    CU_ASSERT_EQUAL(repro_params_get(&p, "trees"), 100);
    REPRO_ASSERT_OK(repro_params_set(&p, "trees", "250", &err), &err);
    REPRO_ASSERT_OK(repro_params_set(&p, "fpr", "1e-4", &err), &err);
    REPRO_ASSERT_OK(repro_params_set(&p, "penalty", "elasticnet", &err), &err);
    CU_ASSERT_EQUAL(repro_params_get(&p, "trees"), 250);
    CU_ASSERT_DOUBLE_EQUAL(repro_params_get(&p, "fpr"), 1e-4, 0);
    CU_ASSERT_EQUAL(repro_params_get(&p, "penalty"), 1);
    CU_ASSERT_EQUAL(repro_params_index(&demo, "nope"), -1);
}

static void expect_set_error(const char *key, const char *value, const char *needle)
{
    repro_params p;
    repro_error err;
    repro_params_defaults(&demo, &p);
    CU_ASSERT_EQUAL(repro_params_set(&p, key, value, &err), REPRO_EINVAL);
    if (!strstr(err.msg, needle))
        fprintf(stderr, "%s=%s: '%s' lacks '%s'\n", key, value, err.msg, needle);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, needle));
    CU_ASSERT_EQUAL(repro_params_get(&p, "trees"), 100); /* unchanged */
}

static void test_set_errors(void)
{
    expect_set_error("nope", "1", "valid: trees, fpr, penalty");
    expect_set_error("trees", "1.5", "whole number");
    expect_set_error("trees", "0", "[1, 10000]");
    expect_set_error("trees", "ten", "not a number");
    expect_set_error("fpr", "nan", "not a number");
    expect_set_error("penalty", "l1", "l2|elasticnet");
}

/* "name=value" text: split at the first '=', then as repro_params_set. */
static void test_set_text(void)
{
    repro_params p;
    repro_error err;
    repro_params_defaults(&demo, &p);
    REPRO_ASSERT_OK(repro_params_set_text(&p, "trees=250", &err), &err);
    REPRO_ASSERT_OK(repro_params_set_text(&p, "penalty=elasticnet", &err), &err);
    CU_ASSERT_EQUAL(repro_params_get(&p, "trees"), 250);
    CU_ASSERT_EQUAL(repro_params_get(&p, "penalty"), 1);
    static const char *const bad[][2] = {{"trees", "expected key=value"},
                                         {"=5", "expected key=value"},
                                         {"trees=", "not a number"},
                                         {"trees=5=6", "not a number"},
                                         {"depth=3", "valid: trees, fpr, penalty"}};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        CU_ASSERT_EQUAL(repro_params_set_text(&p, bad[k][0], &err), REPRO_EINVAL);
        if (!strstr(err.msg, bad[k][1]))
            fprintf(stderr, "%s: '%s' lacks '%s'\n", bad[k][0], err.msg, bad[k][1]);
        CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, bad[k][1]));
    }
    CU_ASSERT_EQUAL(repro_params_get(&p, "trees"), 250); /* unchanged by the bad ones */
}

static void test_fit_result_extras(void)
{
    repro_fit_result r;
    repro_error err;
    REPRO_ASSERT_OK(repro_fit_result_init(&r, 4, &err), &err);
    for (size_t j = 0; j < 4; j++)
        CU_ASSERT_EQUAL(r.relevance[j], 0);
    double b[2] = {0.25, 0.75};
    REPRO_ASSERT_OK(repro_fit_result_add(&r, "shadow_bounds", b, 2, 0, &err), &err);
    const repro_extra *e = repro_fit_result_find(&r, "shadow_bounds");
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_EQUAL(e->len, 2);
    CU_ASSERT_EQUAL(e->v[1], 0.75);
    CU_ASSERT_PTR_NULL(repro_fit_result_find(&r, "other"));
    for (int i = 1; i < REPRO_MAX_EXTRAS; i++)
        REPRO_ASSERT_OK(repro_fit_result_add(&r, "x", b, 1, 0, &err), &err);
    CU_ASSERT_EQUAL(repro_fit_result_add(&r, "overflow", b, 1, 0, &err), REPRO_EINVAL);
    repro_fit_result_clear(&r);
    CU_ASSERT_PTR_NULL(r.relevance);
    repro_fit_result_clear(&r); /* twice is safe */
}

/* The default parameters are the published profile's on non-linear data;
 * the later squamish profile changes SQ's percentile and its forests' row
 * minimum only; a profile leaves models it does not name alone; unknown
 * names are NULL. */
static void test_profiles(void)
{
    const repro_model_type *sq = repro_model_find("SQ"), *en = repro_model_find("ElasticNet");
    CU_ASSERT_PTR_NOT_NULL_FATAL(sq);
    CU_ASSERT_PTR_NOT_NULL_FATAL(en);
    const repro_profile *pub = repro_profile_find(REPRO_PROFILE_DEFAULT);
    const repro_profile *later = repro_profile_find("squamish-2020-04");
    CU_ASSERT_PTR_NOT_NULL_FATAL(pub);
    CU_ASSERT_PTR_NOT_NULL_FATAL(later);
    CU_ASSERT_PTR_NULL(repro_profile_find("Published"));
    repro_params def, p;
    repro_error err;
    repro_params_defaults(sq, &def);
    CU_ASSERT_EQUAL(repro_params_get(&def, "perc"), 100);
    CU_ASSERT_EQUAL(repro_params_get(&def, "min_child_rows"), 1);
    CU_ASSERT_EQUAL(repro_params_get(&def, "boruta_min_child_rows"), 20);
    p = def;
    REPRO_ASSERT_OK(repro_profile_apply(pub, &p, REPRO_GEN_NONLINEAR, 0u, &err), &err);
    CU_ASSERT(memcmp(p.v, def.v, sizeof p.v) == 0);
    REPRO_ASSERT_OK(repro_profile_apply(later, &p, REPRO_GEN_LINEAR, 0u, &err), &err);
    CU_ASSERT_EQUAL(repro_params_get(&p, "perc"), 70);
    CU_ASSERT_EQUAL(repro_params_get(&p, "min_child_rows"), 20);
    CU_ASSERT_EQUAL(repro_params_get(&p, "boruta_min_child_rows"), 20);
    for (size_t i = 0; i < sq->n_params; i++) {
        const char *name = sq->params[i].name;
        if (strcmp(name, "perc") && strcmp(name, "min_child_rows"))
            CU_ASSERT_EQUAL(p.v[i], def.v[i]);
    }
    repro_params_defaults(en, &def);
    p = def;
    REPRO_ASSERT_OK(repro_profile_apply(later, &p, REPRO_GEN_LINEAR, 0u, &err), &err);
    CU_ASSERT(memcmp(p.v, def.v, sizeof p.v) == 0);
    char names[256];
    repro_profile_names(names, sizeof names);
    CU_ASSERT_STRING_EQUAL(names, "published, squamish-2020-04, specification");
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"parameter defaults and setting", test_defaults_and_set},
        {"parameter errors name the parameter", test_set_errors},
        {"parameter from name=value text", test_set_text},
        {"fit result extras", test_fit_result_extras},
        {"profiles: published is the default, the later one differs", test_profiles},
        CU_TEST_INFO_NULL,
    };
    return repro_test_run("model", tests);
}
