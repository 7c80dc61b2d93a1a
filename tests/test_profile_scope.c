/* test_profile_scope.c - profile settings scoped by generator kind: the
 * published profile's linear settings reach linear experiments only, its
 * non-linear ones non-linear experiments only, its unscoped ones both; the
 * job files' own lines and --set win over it; the plan records the profile
 * and its settings and its fingerprint tells profiles apart; every profile
 * of the table is well formed; SQ's cost estimate follows the boosted
 * minimal model. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "repro/jobfile.h"
#include "repro/models.h"
#include "repro/plan.h"
#include "testutil.h"

/* One linear and one non-linear experiment, both running FRI and SQ; the
 * linear one sets SQ.test itself. */
static const char *const two_kinds =
    "[experiment lin]\ngenerator = linear\ndata = once\nrepeats = 1\nmodels = FRI, SQ\n"
    "SQ.test = two_sided\nSQ.n_resampling = 7\n"
    "[dataset L]\nn = 100\nstrong = 2\nweak = 2\nirrelevant = 2\n"
    "[experiment nl]\ngenerator = nonlinear\ndata = once\nrepeats = 1\nmodels = FRI, SQ\n"
    "[dataset N]\nn = 100\nstrong = 2\nweak = 2\nirrelevant = 2\n";

/* Builds the plan of two_kinds under profile (NULL: none) and sets. */
static repro_plan *build(const char *profile, const char *const *sets, size_t n_sets)
{
    repro_error err;
    repro_error_clear(&err);
    repro_jobfile *jf = NULL;
    REPRO_ASSERT_OK(repro_jobfile_parse("two.ini", two_kinds, repro_models, &jf, &err), &err);
    repro_plan_options opt = {.profile = profile, .sets = sets, .n_sets = n_sets};
    repro_plan *plan = NULL;
    REPRO_ASSERT_OK(repro_plan_build(&jf, 1, &opt, &plan, &err), &err);
    return plan;
}

/* The parameters of model `model` in experiment `exp` of a plan. */
static const repro_params *params_of(const repro_plan *plan, const char *exp, const char *model)
{
    for (size_t i = 0; i < plan->n_jobs; i++)
        if (!strcmp(plan->jobs[i].exp->name, exp) && !strcmp(plan->jobs[i].params->type->name, model))
            return plan->jobs[i].params;
    return NULL;
}

/* The published profile: the 2020-03-03 SQ on linear data (but the file's
 * own SQ.test), the forest with one row per child on non-linear data,
 * FRI's contiguous folds on both, the file's n_resampling kept. */
static void test_published_by_kind(void)
{
    repro_plan *plan = build(REPRO_PROFILE_DEFAULT, NULL, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(plan);
    const repro_params *lin = params_of(plan, "lin", "SQ"), *nl = params_of(plan, "nl", "SQ");
    CU_ASSERT_PTR_NOT_NULL_FATAL(lin);
    CU_ASSERT_PTR_NOT_NULL_FATAL(nl);
    CU_ASSERT_EQUAL(repro_params_get(lin, "minimal_model"), 1); /* gbdt */
    CU_ASSERT_EQUAL(repro_params_get(lin, "mr_fit"), 1);        /* last_resample */
    CU_ASSERT_EQUAL(repro_params_get(lin, "fpr"), 1e-4);
    CU_ASSERT_EQUAL(repro_params_get(lin, "feature_fraction"), 0.1);
    CU_ASSERT_EQUAL(repro_params_get(lin, "min_child_rows"), 20);
    CU_ASSERT_EQUAL(repro_params_get(lin, "num_leaves"), 31);
    CU_ASSERT_EQUAL(repro_params_get(lin, "max_depth"), 30);
    CU_ASSERT_EQUAL(repro_params_get(lin, "test"), 1);          /* the file's two_sided, not lower */
    CU_ASSERT_EQUAL(repro_params_get(lin, "n_resampling"), 7);  /* the file's */
    CU_ASSERT_EQUAL(repro_params_get(nl, "minimal_model"), 0);  /* forest */
    CU_ASSERT_EQUAL(repro_params_get(nl, "mr_fit"), 0);
    CU_ASSERT_EQUAL(repro_params_get(nl, "test"), 1);           /* two_sided */
    CU_ASSERT_EQUAL(repro_params_get(nl, "fpr"), 1e-6);
    CU_ASSERT_EQUAL(repro_params_get(nl, "feature_fraction"), 0.8);
    CU_ASSERT_EQUAL(repro_params_get(nl, "min_child_rows"), 1);
    CU_ASSERT_EQUAL(repro_params_get(nl, "num_leaves"), 32);
    CU_ASSERT_EQUAL(repro_params_get(nl, "max_depth"), 5);
    CU_ASSERT_EQUAL(repro_params_get(nl, "n_resampling"), 50);
    for (int k = 0; k < 2; k++) {
        const repro_params *sq = k ? nl : lin, *fri = params_of(plan, k ? "nl" : "lin", "FRI");
        CU_ASSERT_PTR_NOT_NULL_FATAL(fri);
        CU_ASSERT_EQUAL(repro_params_get(sq, "perc"), 100);
        CU_ASSERT_EQUAL(repro_params_get(sq, "boruta_min_child_rows"), 20);
        CU_ASSERT_EQUAL(repro_params_get(fri, "cv"), 1); /* kfold */
    }
    CU_ASSERT_PTR_NOT_NULL(strstr(plan->text, "### PROFILE published\n### PROFILE_SETTINGS FRI.cv=kfold SQ.perc=100 "
                                              "SQ.boruta_min_child_rows=20; linear: SQ.minimal_model=gbdt "));
    CU_ASSERT_PTR_NOT_NULL(strstr(plan->text, "SQ.max_depth=30; nonlinear: SQ.min_child_rows=1\n"));
    repro_plan_free(plan);
}

/* --set wins over the profile and the file, in both kinds of experiment. */
static void test_set_wins(void)
{
    const char *sets[] = {"SQ.min_child_rows=7", "SQ.test=lower", "FRI.cv=stratified"};
    repro_plan *plan = build(REPRO_PROFILE_DEFAULT, sets, 3);
    CU_ASSERT_PTR_NOT_NULL_FATAL(plan);
    const char *exps[] = {"lin", "nl"};
    for (int k = 0; k < 2; k++) {
        CU_ASSERT_EQUAL(repro_params_get(params_of(plan, exps[k], "SQ"), "min_child_rows"), 7);
        CU_ASSERT_EQUAL(repro_params_get(params_of(plan, exps[k], "SQ"), "test"), 0);
        CU_ASSERT_EQUAL(repro_params_get(params_of(plan, exps[k], "FRI"), "cv"), 0);
    }
    CU_ASSERT_EQUAL(repro_params_get(params_of(plan, "lin", "SQ"), "minimal_model"), 1);
    repro_plan_free(plan);
}

/* The profiles give different plans and fingerprints; no profile gives the
 * models' defaults (and the file's lines) and no PROFILE line; the
 * specification profile differs from the defaults only where the code's
 * defaults follow the published runs (SQ's one row per child). */
static void test_profiles_differ(void)
{
    const char *names[] = {NULL, REPRO_PROFILE_DEFAULT, "squamish-2020-04", "specification"};
    repro_plan *plans[4];
    for (int k = 0; k < 4; k++) {
        plans[k] = build(names[k], NULL, 0);
        CU_ASSERT_PTR_NOT_NULL_FATAL(plans[k]);
    }
    for (int a = 0; a < 4; a++)
        for (int b = a + 1; b < 4; b++)
            CU_ASSERT(plans[a]->fingerprint != plans[b]->fingerprint);
    CU_ASSERT_PTR_NULL(strstr(plans[0]->text, "### PROFILE"));
    CU_ASSERT_PTR_NOT_NULL(strstr(plans[3]->text, "### PROFILE specification\n"));
    const repro_model_type *sq = repro_model_find("SQ");
    repro_params def;
    repro_params_defaults(sq, &def);
    const char *exps[] = {"lin", "nl"};
    for (int e = 0; e < 2; e++) {
        const repro_params *none = params_of(plans[0], exps[e], "SQ"), *spec = params_of(plans[3], exps[e], "SQ");
        for (size_t i = 0; i < sq->n_params; i++) {
            const char *name = sq->params[i].name;
            if (!strcmp(name, "min_child_rows")) {
                CU_ASSERT_EQUAL(spec->v[i], 20);
            } else {
                CU_ASSERT_EQUAL(spec->v[i], none->v[i]);
            }
            if (strcmp(name, "test") && strcmp(name, "n_resampling")) {
                CU_ASSERT_EQUAL(none->v[i], def.v[i]);
            }
        }
        CU_ASSERT_EQUAL(repro_params_get(params_of(plans[3], exps[e], "FRI"), "cv"), 0);
        CU_ASSERT_EQUAL(repro_params_get(params_of(plans[2], exps[e], "SQ"), "perc"), 70);
        CU_ASSERT_EQUAL(repro_params_get(params_of(plans[2], exps[e], "SQ"), "minimal_model"), 0);
    }
    for (int k = 0; k < 4; k++)
        repro_plan_free(plans[k]);
}

/* Every setting of every profile names a registered model, a parameter and
 * a valid value, and no parameter is set twice for one kind of data (the
 * order of the table never decides). Data of no generator (csv) get the
 * unscoped settings only. */
static void test_table_well_formed(void)
{
    repro_error err;
    repro_error_clear(&err);
    const int kinds[] = {REPRO_GEN_LINEAR, REPRO_GEN_NONLINEAR, REPRO_PROFILE_DATA_OTHER};
    for (size_t p = 0; repro_profiles[p].name; p++) {
        const repro_profile *prof = &repro_profiles[p];
        CU_ASSERT_PTR_NOT_NULL(prof->help);
        for (size_t i = 0; prof->settings[i].text; i++) {
            const char *s = prof->settings[i].text, *dot = strchr(s, '.');
            CU_ASSERT_PTR_NOT_NULL_FATAL(dot);
            char model[32];
            snprintf(model, sizeof model, "%.*s", (int)(dot - s), s);
            const repro_model_type *t = repro_model_find(model);
            CU_ASSERT_PTR_NOT_NULL_FATAL(t);
            repro_params x;
            repro_params_defaults(t, &x);
            REPRO_ASSERT_OK(repro_params_set_text(&x, dot + 1, &err), &err);
            for (size_t j = i + 1; prof->settings[j].text; j++) {
                const char *u = prof->settings[j].text;
                size_t key = strcspn(s, "=");
                int same_key = !strncmp(s, u, key) && u[key] == '=';
                int overlap = prof->settings[i].scope == REPRO_SCOPE_ALL || prof->settings[j].scope == REPRO_SCOPE_ALL ||
                              prof->settings[i].scope == prof->settings[j].scope;
                if (same_key && overlap)
                    fprintf(stderr, "profile %s sets %.*s twice\n", prof->name, (int)key, s);
                CU_ASSERT(!(same_key && overlap));
            }
        }
        for (size_t m = 0; repro_models[m]; m++)
            for (int k = 0; k < 3; k++) {
                repro_params x;
                repro_params_defaults(repro_models[m], &x);
                REPRO_ASSERT_OK(repro_profile_apply(prof, &x, kinds[k], 0u, &err), &err);
            }
    }
    /* csv data: the published profile's unscoped settings, nothing scoped */
    const repro_model_type *sq = repro_model_find("SQ");
    repro_params def, x;
    repro_params_defaults(sq, &def);
    x = def;
    REPRO_ASSERT_OK(repro_profile_apply(repro_profile_find(REPRO_PROFILE_DEFAULT), &x, REPRO_PROFILE_DATA_OTHER, 0u,
                                        &err), &err);
    CU_ASSERT(memcmp(x.v, def.v, sizeof x.v) == 0);
    const repro_model_type *fri = repro_model_find("FRI");
    repro_params_defaults(fri, &x);
    REPRO_ASSERT_OK(repro_profile_apply(repro_profile_find(REPRO_PROFILE_DEFAULT), &x, REPRO_PROFILE_DATA_OTHER, 0u,
                                        &err), &err);
    CU_ASSERT_EQUAL(repro_params_get(&x, "cv"), 1);
    /* a kept parameter is left alone */
    x = def;
    int idx = repro_params_index(sq, "minimal_model");
    CU_ASSERT_FATAL(idx >= 0);
    REPRO_ASSERT_OK(repro_profile_apply(repro_profile_find(REPRO_PROFILE_DEFAULT), &x, REPRO_GEN_LINEAR, 1u << idx,
                                        &err), &err);
    CU_ASSERT_EQUAL(repro_params_get(&x, "minimal_model"), 0);
    CU_ASSERT_EQUAL(repro_params_get(&x, "min_child_rows"), 20);
    char line[1024];
    repro_profile_format(repro_profile_find("squamish-2020-04"), line, sizeof line);
    CU_ASSERT_STRING_EQUAL(line, "SQ.perc=70 SQ.min_child_rows=20 SQ.boruta_min_child_rows=20");
}

/* SQ's cost estimate with its parameters: the forest's equals the model's
 * cost(n, d); the boosted minimal model (published, linear) costs several
 * times more on Set 8's shape, and the plan's job costs use it. */
static void test_sq_cost(void)
{
    const repro_model_type *sq = repro_model_find("SQ");
    repro_params def;
    repro_params_defaults(sq, &def);
    double forest = repro_params_cost(&def, 2000, 70);
    CU_ASSERT(fabs(forest - sq->cost(2000, 70)) <= 1e-9 * forest);
    repro_plan *plan = build(REPRO_PROFILE_DEFAULT, NULL, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(plan);
    const repro_params *lin = params_of(plan, "lin", "SQ");
    repro_params gb = *lin;
    repro_error err;
    repro_error_clear(&err);
    REPRO_ASSERT_OK(repro_params_set(&gb, "n_resampling", "50", &err), &err);
    double boosted = repro_params_cost(&gb, 2000, 70);
    CU_ASSERT(boosted > 5.0 * forest);
    for (size_t i = 0; i < plan->n_jobs; i++)
        CU_ASSERT(fabs(plan->jobs[i].cost - repro_params_cost_data(plan->jobs[i].params, 100, 6,
                                                                    (int)plan->jobs[i].exp->generator)) <=
                  1e-12 + 1e-9 * plan->jobs[i].cost);
    repro_plan_free(plan);
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"published profile: settings by generator kind", test_published_by_kind},
        {"--set wins over profile and job file", test_set_wins},
        {"profiles give different plans", test_profiles_differ},
        {"profile table well formed; csv gets unscoped only", test_table_well_formed},
        {"SQ cost follows the boosted minimal model", test_sq_cost},
        CU_TEST_INFO_NULL,
    };
    return repro_test_run("profile_scope", tests);
}
