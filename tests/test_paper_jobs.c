/* test_paper_jobs.c - the paper's job files built into the program hold
 * exactly the experiments of PAPER.md: names the reduction keys on, the data
 * set parameters of its tables, the data policies, REPEATS 10, the four
 * models. */
#include <stdio.h>
#include <string.h>

#include "repro/jobfile.h"
#include "repro/plan.h"
#include "repro_paper_jobs.h"
#include "testutil.h"

/* Name-only stand-ins so the files parse whatever models are registered yet;
 * the registered models are checked separately below. */
static const repro_model_type m_en = {"ElasticNet", "", NULL, 0, 1, NULL, NULL, 0, NULL, NULL, NULL, NULL};
static const repro_model_type m_fri = {"FRI", "", NULL, 0, 2, NULL, NULL, 0, NULL, NULL, NULL, NULL};
static const repro_model_type m_rf = {"RF", "", NULL, 0, 1, NULL, NULL, 0, NULL, NULL, NULL, NULL};
static const repro_model_type m_sq = {"SQ", "", NULL, 0, 2, NULL, NULL, 0, NULL, NULL, NULL, NULL};
static const repro_model_type *const names_only[] = {&m_en, &m_fri, &m_rf, &m_sq, NULL};

static const repro_experiment *find_experiment(const char *name, repro_jobfile **files, size_t n)
{
    for (size_t f = 0; f < n; f++)
        for (size_t e = 0; e < files[f]->n_experiments; e++)
            if (!strcmp(files[f]->exp[e].name, name))
                return &files[f]->exp[e];
    return NULL;
}

static void check_models(const repro_experiment *e)
{
    static const char *want[] = {"ElasticNet", "FRI", "RF", "SQ"};
    CU_ASSERT_EQUAL_FATAL(e->n_models, 4);
    for (size_t m = 0; m < 4; m++)
        CU_ASSERT_STRING_EQUAL(e->models[m].type->name, want[m]);
}

static void test_paper_files(void)
{
    repro_jobfile *files[8];
    size_t n = 0;
    repro_error err;
    repro_error_clear(&err);
    CU_ASSERT_FATAL(REPRO_PAPER_N_JOBS >= 2 && REPRO_PAPER_N_JOBS <= 8);
    for (size_t f = 0; f < REPRO_PAPER_N_JOBS; f++) {
        CU_ASSERT_PTR_NOT_NULL_FATAL(repro_paper_jobs[f].text);
        if (strcmp(repro_paper_jobs[f].name, "figures.ini") == 0)
            continue; /* its models are checked by its own tests */
        REPRO_ASSERT_OK(repro_jobfile_parse(repro_paper_jobs[f].name, repro_paper_jobs[f].text, names_only,
                                            &files[n], &err), &err);
        n++;
    }
    /* PAPER.md, experiment 1 */
    static const long sets[8][4] = {{150, 6, 0, 6},  {150, 0, 6, 6},  {150, 3, 4, 3},   {256, 6, 6, 6},
                                    {512, 1, 2, 11}, {200, 1, 20, 0}, {200, 1, 20, 20}, {2000, 10, 10, 50}};
    const repro_experiment *e = find_experiment("toy_benchmarks", files, n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_EQUAL(e->generator, REPRO_GEN_LINEAR);
    CU_ASSERT_EQUAL(e->data, REPRO_DATA_PER_REPEAT);
    CU_ASSERT_EQUAL(e->repeats, 10);
    CU_ASSERT_FALSE(e->has_seed);
    check_models(e);
    CU_ASSERT_EQUAL_FATAL(e->n_datasets, 8);
    for (size_t s = 0; s < 8; s++) {
        char name[16];
        snprintf(name, sizeof name, "Set %zu", s + 1);
        const repro_gen_spec *g = &e->datasets[s].spec;
        CU_ASSERT_STRING_EQUAL(e->datasets[s].name, name);
        CU_ASSERT(g->n == sets[s][0] && g->strong == sets[s][1] && g->weak == sets[s][2] &&
                  g->irrelevant == sets[s][3]);
        CU_ASSERT_EQUAL(g->noise, 0.0);
        CU_ASSERT_EQUAL(g->kind, REPRO_GEN_LINEAR);
    }
    /* experiment 2: "features" = strong + weak + irrelevant */
    static const long nl[4][3] = {{20, 10, 0}, {20, 4, 10}, {50, 10, 10}, {80, 10, 10}};
    e = find_experiment("NL_toy_benchmarks", files, n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_EQUAL(e->generator, REPRO_GEN_NONLINEAR);
    CU_ASSERT_EQUAL(e->data, REPRO_DATA_ONCE);
    CU_ASSERT_EQUAL(e->repeats, 10);
    check_models(e);
    CU_ASSERT_EQUAL_FATAL(e->n_datasets, 4);
    for (size_t s = 0; s < 4; s++) {
        char name[16];
        snprintf(name, sizeof name, "NL %zu", s + 1);
        const repro_gen_spec *g = &e->datasets[s].spec;
        CU_ASSERT_STRING_EQUAL(e->datasets[s].name, name);
        CU_ASSERT(g->n == 1000 && g->strong + g->weak + g->irrelevant == nl[s][0] && g->strong == nl[s][1] &&
                  g->weak == nl[s][2]);
        CU_ASSERT_EQUAL(g->noise, 0.1);
        CU_ASSERT_EQUAL(g->kind, REPRO_GEN_NONLINEAR);
    }
    /* the plan: 8 x 10 x 4 + 4 x 10 x 4 jobs, seed 123 unless overridden */
    repro_plan *plan = NULL;
    REPRO_ASSERT_OK(repro_plan_build(files, n, NULL, &plan, &err), &err);
    CU_ASSERT_EQUAL(plan->n_jobs, 480);
    CU_ASSERT_EQUAL(plan->seed, 123);
    CU_ASSERT_EQUAL(plan->max_d, 80);
    repro_plan_free(plan);
}

/* With the registry: every model the paper files name is registered, so
 * `repro_mpi paper` can run. */
static void test_paper_models_registered(void)
{
    static const char *want[] = {"ElasticNet", "FRI", "RF", "SQ"};
    for (size_t m = 0; m < 4; m++) {
        if (!repro_model_find(want[m]))
            fprintf(stderr, "model %s is not registered: 'repro_mpi paper' cannot run\n", want[m]);
        CU_ASSERT_PTR_NOT_NULL(repro_model_find(want[m]));
    }
}

/* With the registry: the paper's plan under the default profile runs SQ
 * with the published settings (boosted minimal model on linear data, one
 * row per child on non-linear data); --profile squamish-2020-04 changes
 * them in every experiment running SQ, is recorded as a "### PROFILE" line
 * and changes the fingerprint; an unknown profile is an error naming the
 * valid ones. */
static void test_paper_profiles(void)
{
    repro_plan *plans[2] = {NULL, NULL};
    const char *profiles[2] = {REPRO_PROFILE_DEFAULT, "squamish-2020-04"};
    repro_error err;
    repro_error_clear(&err);
    for (int k = 0; k < 2; k++) {
        repro_jobfile *files[8];
        for (size_t f = 0; f < REPRO_PAPER_N_JOBS; f++)
            REPRO_ASSERT_OK(repro_jobfile_parse(repro_paper_jobs[f].name, repro_paper_jobs[f].text, repro_models,
                                                &files[f], &err), &err);
        repro_plan_options opt = {.profile = profiles[k]};
        REPRO_ASSERT_OK(repro_plan_build(files, REPRO_PAPER_N_JOBS, &opt, &plans[k], &err), &err);
    }
    size_t n_sq = 0;
    for (size_t i = 0; i < plans[0]->n_jobs; i++) {
        const repro_params *a = plans[0]->jobs[i].params, *b = plans[1]->jobs[i].params;
        if (strcmp(a->type->name, "SQ"))
            continue;
        n_sq++;
        int linear = plans[0]->jobs[i].exp->generator == REPRO_GEN_LINEAR;
        CU_ASSERT_EQUAL(repro_params_get(a, "perc"), 100);
        CU_ASSERT_EQUAL(repro_params_get(a, "min_child_rows"), linear ? 20 : 1);
        CU_ASSERT_EQUAL(repro_params_get(a, "minimal_model"), linear ? 1 : 0);
        CU_ASSERT_EQUAL(repro_params_get(b, "perc"), 70);
        CU_ASSERT_EQUAL(repro_params_get(b, "min_child_rows"), 20);
        CU_ASSERT_EQUAL(repro_params_get(b, "n_resampling"), repro_params_get(a, "n_resampling"));
    }
    CU_ASSERT(n_sq >= 120);
    CU_ASSERT_PTR_NOT_NULL(strstr(plans[0]->text, "### PROFILE published\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(plans[1]->text, "### PROFILE squamish-2020-04\n"));
    CU_ASSERT(plans[0]->fingerprint != plans[1]->fingerprint);
    repro_plan_free(plans[0]);
    repro_plan_free(plans[1]);

    repro_jobfile *jf = NULL;
    REPRO_ASSERT_OK(repro_jobfile_parse(repro_paper_jobs[0].name, repro_paper_jobs[0].text, repro_models, &jf, &err),
                    &err);
    repro_plan_options bad = {.profile = "squamish-2021"};
    repro_plan *p = NULL;
    CU_ASSERT_EQUAL(repro_plan_build(&jf, 1, &bad, &p, &err), REPRO_EINVAL);
    CU_ASSERT_PTR_NULL(p);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "unknown profile 'squamish-2021' (valid: published, squamish-2020-04, specification)"));
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"paper job files: experiments, sets, policies", test_paper_files},
        {"paper job files: models registered", test_paper_models_registered},
        {"paper job files: profiles", test_paper_profiles},
        CU_TEST_INFO_NULL,
    };
    return repro_test_run("paper_jobs", tests);
}
