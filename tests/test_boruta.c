/* test_boruta.c - Boruta (ALGORITHMS.md §6): decisions on a clear case,
 * the iteration limit, determinism. */
#include <string.h>

#include "repro/boruta.h"
#include "testutil.h"

/* Runs Boruta with p on ds, stream seeded by seed. */
static void run(const repro_dataset *ds, const repro_boruta_params *p, uint64_t seed, int threads,
                repro_boruta_result *r)
{
    repro_error err;
    repro_forest_bins *bins = NULL;
    REPRO_ASSERT_OK(repro_forest_bins_build(ds->X, ds->n, ds->d, 255, 3, &bins, &err), &err);
    repro_rng rng;
    repro_rng_seed(&rng, seed, 17);
    REPRO_ASSERT_OK(repro_boruta_fit(&rng, bins, ds->y, p, threads, r, &err), &err);
    repro_forest_bins_free(bins);
}

/* 4 informative and 6 noise columns: all informative accepted, no noise
 * accepted, and noise rejected unless it correlates with y by chance (a fixed
 * noise column with a chance correlation keeps beating the re-permuted
 * shadows: that is Boruta's known behaviour, it then stays tentative). */
static void test_clear_case(void)
{
    repro_dataset *ds = repro_test_data("linear:n=300,strong=4,weak=0,irrelevant=6", 101);
    repro_boruta_params p;
    repro_boruta_params_default(&p);
    repro_boruta_result r;
    run(ds, &p, 1, 1, &r);
    for (int j = 0; j < 4; j++)
        CU_ASSERT_EQUAL(r.decision[j], 1);
    int rejected = 0;
    for (int j = 4; j < 10; j++) {
        CU_ASSERT(r.decision[j] != 1);
        rejected += r.decision[j] == -1;
    }
    CU_ASSERT(rejected >= 2);
    CU_ASSERT(r.n_iter >= 9); /* rejection needs 0.5^i <= 0.01/i */
    CU_ASSERT(r.importance[0] > 0.0);
    repro_boruta_result_clear(&r);
    repro_dataset_free(ds);
}

/* max_iter = 3 runs iterations 1 and 2, too few for any decision. */
static void test_max_iter(void)
{
    repro_dataset *ds = repro_test_data("linear:n=200,strong=2,weak=0,irrelevant=2", 102);
    repro_boruta_params p;
    repro_boruta_params_default(&p);
    p.max_iter = 3;
    repro_boruta_result r;
    run(ds, &p, 2, 1, &r);
    CU_ASSERT_EQUAL(r.n_iter, 2);
    for (int j = 0; j < 4; j++) {
        CU_ASSERT_EQUAL(r.decision[j], 0);
        CU_ASSERT(r.hits[j] <= 2);
    }
    CU_ASSERT_EQUAL(r.hits[0], 2);
    repro_boruta_result_clear(&r);
    /* bad parameters */
    repro_error err;
    repro_forest_bins *bins = NULL;
    REPRO_ASSERT_OK(repro_forest_bins_build(ds->X, ds->n, ds->d, 255, 3, &bins, &err), &err);
    repro_rng rng;
    repro_rng_seed(&rng, 1, 1);
    p.max_iter = 0;
    CU_ASSERT_EQUAL(repro_boruta_fit(&rng, bins, ds->y, &p, 1, &r, &err), REPRO_EINVAL);
    repro_boruta_params_default(&p);
    p.alpha = 2.0;
    CU_ASSERT_EQUAL(repro_boruta_fit(&rng, bins, ds->y, &p, 1, &r, &err), REPRO_EINVAL);
    repro_forest_bins_free(bins);
    repro_dataset_free(ds);
}

/* Same stream, same result, for 1 and 2 threads. */
static void test_determinism(void)
{
    repro_dataset *ds = repro_test_data("linear:n=150,strong=2,weak=2,irrelevant=3", 103);
    repro_boruta_params p;
    repro_boruta_params_default(&p);
    p.max_iter = 20;
    repro_boruta_result a, b;
    run(ds, &p, 9, 1, &a);
    run(ds, &p, 9, 2, &b);
    CU_ASSERT_EQUAL(a.n_iter, b.n_iter);
    CU_ASSERT(memcmp(a.decision, b.decision, sizeof(int) * 7) == 0);
    CU_ASSERT(memcmp(a.hits, b.hits, sizeof(int) * 7) == 0);
    CU_ASSERT(memcmp(a.importance, b.importance, sizeof(double) * 7) == 0);
    repro_boruta_result_clear(&a);
    repro_boruta_result_clear(&b);
    repro_dataset_free(ds);
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"accepts informative, rejects noise", test_clear_case},
        {"stops at max_iter", test_max_iter},
        {"deterministic across threads", test_determinism},
        CU_TEST_INFO_NULL,
    };
    return repro_test_run("boruta", tests);
}
