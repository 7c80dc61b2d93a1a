/* test_registry.c - every registered model, found through the registry, fits
 * a small data set with its default parameters: so a new model is tested by
 * its registry row. Each fit must succeed, keep the shape of its result and
 * its class range, find a relevant feature, pass its own validate hook, and
 * give the same result from the same stream, with one thread or two. */
#include <math.h>
#include <string.h>

#include "repro/model.h"
#include "testutil.h"

/* 100 rows, 5 features (2 strong, 1 weak, 2 irrelevant): Boruta's workspace
 * once overflowed on 5 features (4 active columns get 8 shadows). */
#define SPEC "linear:n=100,strong=2,weak=1,irrelevant=2"

/* Fits t with its defaults on ds from stream (seed 11, stream 3). */
static int fit_once(const repro_model_type *t, const repro_dataset *ds, int threads, repro_fit_result *res,
                    repro_error *err)
{
    repro_params p;
    repro_params_defaults(t, &p);
    int rc = repro_params_validate(&p, err);
    if (rc)
        return rc;
    repro_rng rng;
    repro_rng_seed(&rng, 11, 3);
    return t->fit(ds, &p, &rng, threads, res, err);
}

/* Whether two results agree in every value a model reports. */
static int same_result(const repro_fit_result *a, const repro_fit_result *b)
{
    if (a->d != b->d || a->n_extras != b->n_extras || !!a->importance != !!b->importance ||
        !!a->bounds != !!b->bounds)
        return 0;
    if (memcmp(a->relevance, b->relevance, a->d * sizeof *a->relevance))
        return 0;
    if (!(a->train_score == b->train_score || (isnan(a->train_score) && isnan(b->train_score))))
        return 0;
    if (a->importance && memcmp(a->importance, b->importance, a->d * sizeof *a->importance))
        return 0;
    if (a->bounds && memcmp(a->bounds, b->bounds, 2 * a->d * sizeof *a->bounds))
        return 0;
    for (size_t e = 0; e < a->n_extras; e++)
        if (strcmp(a->extras[e].name, b->extras[e].name) || a->extras[e].len != b->extras[e].len ||
            memcmp(a->extras[e].v, b->extras[e].v, a->extras[e].len * sizeof *a->extras[e].v))
            return 0;
    return 1;
}

static void test_every_model(void)
{
    repro_dataset *ds = repro_test_data(SPEC, 17);
    size_t n_models = 0;
    for (size_t m = 0; repro_models[m]; m++, n_models++) {
        const repro_model_type *t = repro_models[m];
        CU_ASSERT_PTR_EQUAL(repro_model_find(t->name), t);
        CU_ASSERT(t->max_class == 1 || t->max_class == 2);
        CU_ASSERT_PTR_NOT_NULL_FATAL(t->fit);
        CU_ASSERT(t->cost == NULL || t->cost(ds->n, ds->d) > 0);
        repro_fit_result a, b, c;
        repro_error err;
        repro_error_clear(&err);
        int rc = fit_once(t, ds, 1, &a, &err);
        if (rc)
            fprintf(stderr, "%s: %s\n", t->name, err.msg);
        CU_ASSERT_EQUAL_FATAL(rc, REPRO_OK);
        CU_ASSERT_EQUAL(a.d, ds->d);
        size_t relevant = 0;
        for (size_t j = 0; j < a.d; j++) {
            CU_ASSERT(a.relevance[j] >= 0 && a.relevance[j] <= t->max_class);
            relevant += a.relevance[j] > 0;
        }
        if (!relevant)
            fprintf(stderr, "%s: no relevant feature\n", t->name);
        CU_ASSERT(relevant > 0);
        CU_ASSERT(isnan(a.train_score) || (a.train_score >= 0.0 && a.train_score <= 1.0));
        REPRO_ASSERT_OK(fit_once(t, ds, 1, &b, &err), &err);
        REPRO_ASSERT_OK(fit_once(t, ds, 2, &c, &err), &err);
        if (!same_result(&a, &b) || !same_result(&a, &c))
            fprintf(stderr, "%s: not the same result from the same stream\n", t->name);
        CU_ASSERT(same_result(&a, &b));
        CU_ASSERT(same_result(&a, &c));
        repro_fit_result_clear(&a);
        repro_fit_result_clear(&b);
        repro_fit_result_clear(&c);
    }
    CU_ASSERT(n_models >= 6);
    repro_dataset_free(ds);
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"every registered model fits through the registry", test_every_model},
        CU_TEST_INFO_NULL,
    };
    return repro_test_run("registry", tests);
}
