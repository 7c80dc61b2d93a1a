/* test_params.c - model parameters by offset: every registered model's
 * defaults (from its solver's _default()) are the published values, each
 * parameter writes exactly its own field, unknown names read as NaN, and the
 * validate hook stops a plan whose settings do not hold together. */
#include <math.h>
#include <string.h>

#include "repro/jobfile.h"
#include "repro/model.h"
#include "repro/plan.h"
#include "testutil.h"

/* The default of every parameter of every registered model (the published
 * settings; a change here changes results). */
static const struct {
    const char *model, *param;
    double value;
} known_defaults[] = {
    {"ElasticNet", "penalty", 0}, {"ElasticNet", "folds", 5}, {"ElasticNet", "min_features", 2},
    {"FRI", "C", 0}, {"FRI", "probes", 50}, {"FRI", "search", 50},
    {"FRI", "w_l1_slack", 0.1}, {"FRI", "loss_slack", 0.1}, {"FRI", "fpr", 1e-4}, {"FRI", "cv", 0},
    {"RF", "n_trees", 100}, {"RF", "max_depth", 5}, {"RF", "num_leaves", 32},
    {"RF", "feature_fraction", 1.0}, {"RF", "importance", 1}, {"RF", "folds", 5},
    {"RF", "min_features", 1},
    {"SQ", "n_resampling", 50}, {"SQ", "fpr", 1e-6}, {"SQ", "n_trees", 100},
    {"SQ", "feature_fraction", 0.8}, {"SQ", "boruta_feature_fraction", 0.1}, {"SQ", "perc", 100},
    {"SQ", "alpha", 0.01}, {"SQ", "max_iter", 100}, {"SQ", "min_child_rows", 1},
    {"SQ", "boruta_min_child_rows", 20}, {"SQ", "ties", 0}, {"SQ", "test", 1},
    {"SQ", "num_leaves", 32}, {"SQ", "max_depth", 5}, {"SQ", "minimal_model", 0}, {"SQ", "mr_fit", 0},
    {"Forest", "feature_fraction", 1.0}, {"Forest", "n_trees", 100},
    {"Boruta", "feature_fraction", 0.1}, {"Boruta", "perc", 70}, {"Boruta", "alpha", 0.01},
    {"Boruta", "max_iter", 100},
};

static void test_known_defaults(void)
{
    size_t n_known = sizeof known_defaults / sizeof known_defaults[0], counted = 0;
    for (size_t m = 0; repro_models[m]; m++) {
        const repro_model_type *t = repro_models[m];
        repro_params p;
        repro_params_defaults(t, &p);
        for (size_t i = 0; i < t->n_params; i++) {
            int found = 0;
            for (size_t k = 0; k < n_known; k++)
                if (!strcmp(known_defaults[k].model, t->name) && !strcmp(known_defaults[k].param, t->params[i].name)) {
                    found = 1;
                    if (p.v[i] != known_defaults[k].value)
                        fprintf(stderr, "%s.%s: default %g, expected %g\n", t->name, t->params[i].name, p.v[i],
                                known_defaults[k].value);
                    CU_ASSERT_EQUAL(p.v[i], known_defaults[k].value);
                }
            if (!found)
                fprintf(stderr, "%s.%s: no known default in this test\n", t->name, t->params[i].name);
            CU_ASSERT(found);
            counted++;
        }
    }
    CU_ASSERT_EQUAL(counted, n_known);
}

/* Bytes of a field of kind k. */
static size_t kind_size(repro_param_kind k)
{
    return k == REPRO_PARAM_INT ? sizeof(int) : k == REPRO_PARAM_SIZE ? sizeof(size_t) : sizeof(double);
}

/* Changing one parameter changes the bytes of its own field and no others,
 * every field lies inside the settings, and defaults survive a round trip
 * through the settings unchanged. */
static void test_offsets(void)
{
    static unsigned char a[REPRO_MAX_SETTINGS], b[REPRO_MAX_SETTINGS];
    for (size_t m = 0; repro_models[m]; m++) {
        const repro_model_type *t = repro_models[m];
        CU_ASSERT_FATAL(t->settings_size > 0 && t->settings_size <= REPRO_MAX_SETTINGS);
        CU_ASSERT_PTR_NOT_NULL(t->defaults);
        repro_params def;
        repro_params_defaults(t, &def);
        memset(a, 0, sizeof a);
        repro_params_apply(&def, a);
        for (size_t i = 0; i < t->n_params; i++) {
            const repro_param_def *d = &t->params[i];
            size_t lo = d->offset, hi = d->offset + kind_size(d->kind);
            CU_ASSERT(hi <= t->settings_size);
            repro_params p = def;
            p.v[i] = def.v[i] != d->min ? d->min : d->max;
            memset(b, 0, sizeof b);
            repro_params_apply(&p, b);
            size_t changed = 0, outside = 0;
            for (size_t k = 0; k < t->settings_size; k++)
                if (a[k] != b[k]) {
                    changed++;
                    outside += k < lo || k >= hi;
                }
            if (!changed || outside)
                fprintf(stderr, "%s.%s: %zu bytes changed, %zu outside its field\n", t->name, d->name, changed,
                        outside);
            CU_ASSERT(changed > 0);
            CU_ASSERT_EQUAL(outside, 0);
        }
    }
}

/* Names that are not parameters read as NaN (no assertion, no v[-1]). */
static void test_unknown_name(void)
{
    repro_params p;
    repro_params_defaults(repro_model_find("RF"), &p);
    CU_ASSERT(isnan(repro_params_get(&p, "n_tree")));
    CU_ASSERT_EQUAL(repro_params_get(&p, "n_trees"), 100);
}

/* RF's hook runs the forest's check: fine on the defaults, an error naming
 * the model and the field on a depth the parameter table would refuse. */
static void test_rf_validate(void)
{
    const repro_model_type *rf = repro_model_find("RF");
    CU_ASSERT_PTR_NOT_NULL_FATAL(rf);
    CU_ASSERT_PTR_NOT_NULL(rf->validate);
    repro_params p;
    repro_error err;
    repro_error_clear(&err);
    repro_params_defaults(rf, &p);
    REPRO_ASSERT_OK(repro_params_validate(&p, &err), &err);
    int i = repro_params_index(rf, "max_depth");
    CU_ASSERT_FATAL(i >= 0);
    p.v[i] = 0;
    CU_ASSERT_EQUAL(repro_params_validate(&p, &err), REPRO_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "model RF: forest: max_depth"));
}

/* A model with a constraint between two fields: lo <= hi. */
typedef struct range_settings {
    double lo, hi;
} range_settings;

static void range_defaults(void *settings)
{
    range_settings *s = settings;
    s->lo = 0.0;
    s->hi = 1.0;
}

static int range_validate(const void *settings, repro_error *err)
{
    const range_settings *s = settings;
    if (s->lo > s->hi)
        return repro_error_set(err, REPRO_EINVAL, "lo (%g) must not exceed hi (%g)", s->lo, s->hi);
    return REPRO_OK;
}

static double range_cost(size_t n, size_t d)
{
    return (double)n * (double)d;
}

static int range_fit(const repro_dataset *ds, const repro_params *params, repro_rng *rng, int threads,
                     repro_fit_result *out, repro_error *err)
{
    (void)params, (void)rng, (void)threads;
    return repro_fit_result_init(out, ds->d, err);
}

static const repro_param_def range_params[] = {
    REPRO_PARAM("lo", range_settings, lo, DOUBLE, -10, 10, NULL, "lower end"),
    REPRO_PARAM("hi", range_settings, hi, DOUBLE, -10, 10, NULL, "upper end"),
};
static const repro_model_type model_range = {"Range", "two ordered numbers", range_params, 2, 1, range_cost,
                                             range_fit, sizeof(range_settings), range_defaults, range_validate, NULL,
                                             NULL};
static const repro_model_type *const range_models[] = {&model_range, NULL};

/* Builds a plan of one experiment running Range with the given line of the
 * job file and --set settings; returns the code (plan freed). */
static int range_plan(const char *line, const char *set, repro_error *err)
{
    char text[512];
    snprintf(text, sizeof text,
             "[experiment e]\ngenerator = linear\ndata = once\nrepeats = 1\nmodels = Range\n%s\n"
             "[dataset S]\nn = 30\nstrong = 1\nweak = 0\nirrelevant = 2\n",
             line);
    repro_jobfile *jf = NULL;
    repro_error_clear(err);
    REPRO_ASSERT_OK(repro_jobfile_parse("range.ini", text, range_models, &jf, err), err);
    const char *sets[1] = {set};
    repro_plan_options opt = {.sets = sets, .n_sets = set ? 1 : 0};
    repro_plan *plan = NULL;
    int rc = repro_plan_build(&jf, 1, &opt, &plan, err);
    repro_plan_free(plan);
    return rc;
}

/* The hook runs when the plan is built, on the final values (the file's,
 * then --set's). */
static void test_plan_validates(void)
{
    repro_error err;
    REPRO_ASSERT_OK(range_plan("Range.lo = 0.5", NULL, &err), &err);
    CU_ASSERT_EQUAL(range_plan("Range.lo = 5", NULL, &err), REPRO_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "range.ini: experiment e: model Range: lo (5) must not exceed hi (1)"));
    CU_ASSERT_EQUAL(range_plan("Range.lo = 0.5", "Range.hi=0.25", &err), REPRO_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "lo (0.5) must not exceed hi (0.25)"));
    REPRO_ASSERT_OK(range_plan("Range.lo = 5", "Range.hi=6", &err), &err);
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"every default is the published value", test_known_defaults},
        {"each parameter writes only its own field", test_offsets},
        {"unknown names read as NaN", test_unknown_name},
        {"RF's validate hook", test_rf_validate},
        {"a plan validates its models' settings", test_plan_validates},
        CU_TEST_INFO_NULL,
    };
    return repro_test_run("params", tests);
}
