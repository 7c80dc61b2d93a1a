/* test_split_run.c - the runner's split protocol on a test model, whatever
 * models are registered. The model Split scores each feature in its own task
 * (stage 0: |corr(x_j, y)| plus a small draw from the job stream's child j),
 * then normalises the scores in one task (stage 1, whose input is every
 * score); fit() does the same in one process. With more than `fail_d`
 * features the last feature's task fails.
 *
 * Without arguments: unit tests of the model (split equals fit). With
 * "run ...": the repro_mpi run command over the registry {Split, Plain} (Plain
 * is Split that never splits), for tests/e2e_split_tasks.sh. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "repro/cli.h"
#include "repro/model.h"
#include "testutil.h"

typedef struct split_settings {
    size_t fail_d;
    size_t draws;
} split_settings;

static void split_defaults(void *settings)
{
    split_settings *s = settings;
    s->fail_d = 1000000;
    s->draws = 5;
}

static const repro_param_def split_params[] = {
    REPRO_PARAM("fail_d", split_settings, fail_d, SIZE, 1, 1e6, NULL, "most features before a task fails"),
    REPRO_PARAM("draws", split_settings, draws, SIZE, 0, 1e6, NULL, "draws per feature"),
};

static double split_cost(size_t n, size_t d)
{
    return (double)n * (double)d;
}

/* Feature j's score: |mean x_j y| + 1e-3 x the mean of `draws` uniforms
 * from the job stream's child j; fails for the last of more than fail_d
 * features. */
static int score(const repro_dataset *ds, const repro_params *p, const repro_rng *job_rng, size_t j, double *out,
                 repro_error *err)
{
    split_settings s;
    repro_params_apply(p, &s);
    if (ds->d > s.fail_d && j == ds->d - 1)
        return repro_error_set(err, REPRO_EFAIL, "feature %zu of %zu: more than fail_d=%zu", j, ds->d, s.fail_d);
    double c = 0, u = 0;
    for (size_t i = 0; i < ds->n; i++)
        c += ds->X[i * ds->d + j] * ds->y[i];
    repro_rng r;
    repro_rng_child(&r, job_rng, j);
    for (size_t k = 0; k < s.draws; k++)
        u += repro_rng_double(&r);
    *out = fabs(c / (double)ds->n) + 1e-3 * (s.draws ? u / (double)s.draws : 0.0);
    return REPRO_OK;
}

/* Scores divided by their maximum. */
static void normalise(const double *sc, size_t d, double *out)
{
    double mx = 0;
    for (size_t j = 0; j < d; j++)
        mx = sc[j] > mx ? sc[j] : mx;
    for (size_t j = 0; j < d; j++)
        out[j] = mx > 0 ? sc[j] / mx : 0.0;
}

/* The result from normalised scores. */
static int result(const double *norm, size_t d, repro_fit_result *out, repro_error *err)
{
    int rc = repro_fit_result_init(out, d, err);
    if (rc)
        return rc;
    if (!(out->importance = malloc(d * sizeof *out->importance))) {
        repro_fit_result_clear(out);
        return REPRO_ENOMEM;
    }
    for (size_t j = 0; j < d; j++) {
        out->importance[j] = norm[j];
        out->relevance[j] = norm[j] > 0.5;
    }
    out->train_score = norm[0];
    double dd = (double)d;
    if ((rc = repro_fit_result_add(out, "d", &dd, 1, 1, err)))
        repro_fit_result_clear(out);
    return rc;
}

static int split_fit(const repro_dataset *ds, const repro_params *p, repro_rng *rng, int threads,
                     repro_fit_result *out, repro_error *err)
{
    (void)threads;
    double *sc = malloc(2 * ds->d * sizeof *sc);
    if (!sc)
        return REPRO_ENOMEM;
    int rc = REPRO_OK;
    for (size_t j = 0; j < ds->d && rc == REPRO_OK; j++)
        rc = score(ds, p, rng, j, &sc[j], err);
    if (rc == REPRO_OK) {
        normalise(sc, ds->d, sc + ds->d);
        rc = result(sc + ds->d, ds->d, out, err);
    }
    free(sc);
    return rc;
}

typedef struct split_state {
    size_t d;
    int stage;
    double *sc, *norm, *cost;
} split_state;

static void st_free(void *state)
{
    split_state *s = state;
    if (!s)
        return;
    free(s->sc), free(s->norm), free(s->cost), free(s);
}

static int st_begin(const repro_dataset *ds, const repro_params *p, repro_rng *rng, size_t max_tasks, void **state,
                    repro_error *err)
{
    (void)p, (void)rng, (void)max_tasks;
    split_state *s = calloc(1, sizeof *s);
    if (!s || !(s->sc = calloc(ds->d, sizeof *s->sc)) || !(s->norm = calloc(ds->d, sizeof *s->norm)) ||
        !(s->cost = calloc(ds->d, sizeof *s->cost))) {
        st_free(s);
        return repro_error_set(err, REPRO_ENOMEM, "out of memory");
    }
    s->d = ds->d;
    for (size_t j = 0; j < ds->d; j++)
        s->cost[j] = (double)(ds->d - j);
    *state = s;
    return REPRO_OK;
}

static int st_next(void *state, repro_split_stage *st, repro_error *err)
{
    (void)err;
    split_state *s = state;
    memset(st, 0, sizeof *st);
    st->id = s->stage;
    st->cost = s->cost;
    if (s->stage == 0) {
        st->n_tasks = s->d;
    } else if (s->stage == 1) {
        st->n_tasks = 1;
        st->input = (const unsigned char *)s->sc;
        st->input_len = s->d * sizeof *s->sc;
    }
    return REPRO_OK;
}

static int st_task(const repro_dataset *ds, const repro_params *p, const repro_rng *job_rng, int stage,
                   const unsigned char *input, size_t input_len, size_t task, int threads, repro_blob *out,
                   repro_error *err)
{
    (void)threads;
    size_t d = ds->d;
    if (stage == 0) {
        out->len = sizeof(double);
        out->data = malloc(out->len);
        if (!out->data)
            return REPRO_ENOMEM;
        double v;
        int rc = score(ds, p, job_rng, task, &v, err);
        memcpy(out->data, &v, sizeof v);
        return rc;
    }
    if (stage != 1 || input_len != d * sizeof(double))
        return repro_error_set(err, REPRO_EINVAL, "Split: a malformed task");
    double *sc = malloc(2 * d * sizeof *sc);
    if (!sc)
        return REPRO_ENOMEM;
    memcpy(sc, input, input_len);
    normalise(sc, d, sc + d);
    out->len = d * sizeof(double);
    out->data = malloc(out->len);
    if (out->data)
        memcpy(out->data, sc + d, out->len);
    free(sc);
    return out->data ? REPRO_OK : REPRO_ENOMEM;
}

static int st_merge(void *state, const repro_blob *outs, size_t n, repro_error *err)
{
    split_state *s = state;
    for (size_t t = 0; t < n; t++)
        if (outs[t].len != (s->stage == 0 ? 1 : s->d) * sizeof(double))
            return repro_error_set(err, REPRO_EINVAL, "Split: a malformed output");
    for (size_t t = 0; t < n; t++)
        memcpy(s->stage == 0 ? s->sc + t : s->norm, outs[t].data, outs[t].len);
    s->stage++;
    return REPRO_OK;
}

static int st_finish(void *state, repro_fit_result *out, repro_error *err)
{
    split_state *s = state;
    return result(s->norm, s->d, out, err);
}

static const repro_model_split split_fns = {st_begin, st_next, st_task, st_merge, st_finish, st_free, NULL};

static const repro_model_type model_split = {"Split", "a model in tasks, for tests", split_params, 2, 1,
                                             split_cost, split_fit, sizeof(split_settings), split_defaults, NULL,
                                             &split_fns, NULL};
static const repro_model_type model_plain = {"Plain", "Split without tasks", split_params, 2, 1,
                                             split_cost, split_fit, sizeof(split_settings), split_defaults, NULL,
                                             NULL, NULL};
static const repro_model_type *const split_models[] = {&model_split, &model_plain, NULL};

/* Split run stage by stage equals fit, and a failing task fails the fit. */
static void test_split_equals_fit(void)
{
    repro_dataset *ds = repro_test_data("linear:n=50,strong=2,weak=1,irrelevant=3", 3);
    repro_params p;
    repro_params_defaults(&model_split, &p);
    repro_rng rng0, rng;
    repro_rng_seed(&rng0, 5, 9);
    rng = rng0;
    repro_error err;
    repro_fit_result a, b;
    REPRO_ASSERT_OK(model_split.fit(ds, &p, &rng, 1, &a, &err), &err);
    REPRO_ASSERT_OK(repro_model_fit_split(&model_split, ds, &p, &rng0, 1, 0, &b, &err), &err);
    CU_ASSERT(memcmp(a.importance, b.importance, ds->d * sizeof(double)) == 0);
    CU_ASSERT(memcmp(a.relevance, b.relevance, ds->d * sizeof(int)) == 0);
    repro_fit_result_clear(&a);
    repro_fit_result_clear(&b);
    REPRO_ASSERT_OK(repro_params_set(&p, "fail_d", "3", &err), &err);
    CU_ASSERT_EQUAL(repro_model_fit_split(&model_split, ds, &p, &rng0, 1, 0, &b, &err), REPRO_EFAIL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "more than fail_d=3"));
    CU_ASSERT_EQUAL(repro_model_fit_split(&model_plain, ds, &p, &rng0, 1, 0, &b, &err), REPRO_EINVAL);
    repro_dataset_free(ds);
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "run"))
        return repro_cli_run_with(argc - 1, argv + 1, split_models);
    CU_TestInfo tests[] = {
        {"split equals fit; a failing task fails it", test_split_equals_fit},
        CU_TEST_INFO_NULL,
    };
    return repro_test_run("split_run", tests);
}
