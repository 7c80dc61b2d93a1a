/* test_data.c - generators (shapes, column structure, determinism),
 * standardization, spec parsing and its errors. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "repro/data.h"
#include "testutil.h"

static repro_dataset *raw(const char *spec, uint64_t seed)
{
    repro_gen_spec s;
    repro_error err;
    repro_rng rng;
    repro_dataset *ds = NULL;
    repro_rng_seed(&rng, seed, 11);
    REPRO_ASSERT_OK(repro_gen_spec_parse(spec, &s, &err), &err);
    REPRO_ASSERT_OK(s.kind == REPRO_GEN_LINEAR ? repro_gen_linear(&rng, &s, &ds, &err)
                                               : repro_gen_nonlinear(&rng, &s, &ds, &err),
                    &err);
    return ds;
}

static double col_corr(const repro_dataset *ds, size_t a, const double *other)
{
    double ma = 0, mb = 0, sab = 0, saa = 0, sbb = 0;
    for (size_t i = 0; i < ds->n; i++) {
        ma += ds->X[i * ds->d + a];
        mb += other[i];
    }
    ma /= (double)ds->n, mb /= (double)ds->n;
    for (size_t i = 0; i < ds->n; i++) {
        double x = ds->X[i * ds->d + a] - ma, y = other[i] - mb;
        sab += x * y, saa += x * x, sbb += y * y;
    }
    return sab / sqrt(saa * sbb);
}

static void test_linear_shape_and_truth(void)
{
    repro_dataset *ds = raw("linear:n=150,strong=3,weak=4,irrelevant=3", 1);
    CU_ASSERT_EQUAL(ds->n, 150);
    CU_ASSERT_EQUAL(ds->d, 10);
    static const int truth[10] = {2, 2, 2, 1, 1, 1, 1, 0, 0, 0};
    CU_ASSERT(memcmp(ds->truth, truth, sizeof truth) == 0);
    for (size_t i = 0; i < ds->n; i++)
        CU_ASSERT(ds->y[i] == 1 || ds->y[i] == -1);
    repro_dataset_free(ds);
}

static void test_linear_weak_columns_are_shifted_copies(void)
{
    repro_dataset *ds = raw("linear:n=200,strong=1,weak=5,irrelevant=2", 2);
    for (size_t c = 2; c < 6; c++) {
        double off = ds->X[c] - ds->X[1];
        for (size_t i = 0; i < ds->n; i++)
            CU_ASSERT_DOUBLE_EQUAL(ds->X[i * ds->d + c] - ds->X[i * ds->d + 1], off, 1e-12);
    }
    /* The offsets come from [1,2): latent = copy - u, so each copy's offset
     * relative to another is in (-1, 1), and not all equal. */
    CU_ASSERT(fabs(ds->X[2] - ds->X[1]) < 1.0);
    repro_standardize(ds);
    for (size_t c = 2; c < 6; c++)
        for (size_t i = 0; i < ds->n; i++)
            CU_ASSERT_DOUBLE_EQUAL(ds->X[i * ds->d + c], ds->X[i * ds->d + 1], 1e-9);
    repro_dataset_free(ds);
}

static void test_linear_label_recoverable(void)
{
    /* No weak features: y = sign(sum of the strong columns). */
    repro_dataset *ds = raw("linear:n=300,strong=4,weak=0,irrelevant=3", 3);
    for (size_t i = 0; i < ds->n; i++) {
        double s = 0;
        for (size_t j = 0; j < 4; j++)
            s += ds->X[i * ds->d + j];
        CU_ASSERT_EQUAL(ds->y[i], s > 0 ? 1 : -1);
    }
    repro_dataset_free(ds);
    /* With weak copies the latent column is copy - u for an unknown u in
     * [1,2): y = sign(strong sum + copy - u), so the classes are separated by
     * a threshold u on (strong sum + copy). */
    ds = raw("linear:n=300,strong=2,weak=3,irrelevant=1", 4);
    double max_neg = -INFINITY, min_pos = INFINITY;
    for (size_t i = 0; i < ds->n; i++) {
        double s = ds->X[i * ds->d] + ds->X[i * ds->d + 1] + ds->X[i * ds->d + 2];
        if (ds->y[i] > 0)
            min_pos = s < min_pos ? s : min_pos;
        else
            max_neg = s > max_neg ? s : max_neg;
    }
    CU_ASSERT(max_neg <= min_pos);
    CU_ASSERT(min_pos >= 1.0 && max_neg < 2.0);
    repro_dataset_free(ds);
}

static void test_irrelevant_columns_carry_no_signal(void)
{
    repro_dataset *ds = raw("linear:n=5000,strong=2,weak=0,irrelevant=5", 5);
    double *y = malloc(ds->n * sizeof *y);
    for (size_t i = 0; i < ds->n; i++)
        y[i] = ds->y[i];
    /* |r| of an independent column is ~N(0, 1/n): 4.5/sqrt(n) = 0.064. */
    for (size_t j = 2; j < 7; j++)
        CU_ASSERT(fabs(col_corr(ds, j, y)) < 0.064);
    /* ...while strong columns do: E|r| = sqrt(1/pi) ~ 0.56 for two columns. */
    CU_ASSERT(col_corr(ds, 0, y) > 0.4);
    free(y);
    repro_dataset_free(ds);
}

static void test_same_seed_same_bytes_repeats_differ(void)
{
    repro_gen_spec s;
    repro_error err;
    REPRO_ASSERT_OK(repro_gen_spec_parse("nonlinear:n=100,strong=3,weak=4,irrelevant=2", &s, &err), &err);
    repro_dataset *a, *b, *c;
    repro_rng r;
    repro_rng_data_stream(&r, 123, "e", "NL", 0);
    REPRO_ASSERT_OK(repro_generate(&r, &s, &a, &err), &err);
    repro_rng_data_stream(&r, 123, "e", "NL", 0);
    REPRO_ASSERT_OK(repro_generate(&r, &s, &b, &err), &err);
    repro_rng_data_stream(&r, 123, "e", "NL", 1);
    REPRO_ASSERT_OK(repro_generate(&r, &s, &c, &err), &err);
    CU_ASSERT(memcmp(a->X, b->X, a->n * a->d * sizeof *a->X) == 0);
    CU_ASSERT(memcmp(a->y, b->y, a->n * sizeof *a->y) == 0);
    CU_ASSERT(memcmp(a->X, c->X, a->n * a->d * sizeof *a->X) != 0);
    repro_dataset_free(a), repro_dataset_free(b), repro_dataset_free(c);
}

static void test_nonlinear_structure(void)
{
    repro_dataset *ds = raw("nonlinear:n=1001,strong=3,weak=4,irrelevant=2", 6);
    CU_ASSERT_EQUAL(ds->d, 9);
    /* Clusters of 251, 250, 250, 250 rows with labels c mod 2 -> -1,+1,-1,+1. */
    CU_ASSERT_EQUAL(ds->y[0], -1);
    CU_ASSERT_EQUAL(ds->y[250], -1);
    CU_ASSERT_EQUAL(ds->y[251], 1);
    CU_ASSERT_EQUAL(ds->y[500], 1);
    CU_ASSERT_EQUAL(ds->y[501], -1);
    CU_ASSERT_EQUAL(ds->y[1000], 1);
    /* With noise 0.1 the weak copies are no longer exact but still highly
     * correlated. */
    double *w = malloc(ds->n * sizeof *w);
    for (size_t i = 0; i < ds->n; i++)
        w[i] = ds->X[i * ds->d + 3];
    CU_ASSERT(col_corr(ds, 4, w) > 0.9);
    CU_ASSERT(col_corr(ds, 4, w) < 1.0 - 1e-9);
    free(w);
    repro_dataset_free(ds);
    /* strong=0: two weak groups of sizes 2 and weak-2, noise 0 -> exact copies
     * within a group, different latent columns across groups. */
    ds = raw("nonlinear:n=400,strong=0,weak=5,irrelevant=1,noise=0", 7);
    double off01 = ds->X[1] - ds->X[0], off23 = ds->X[3] - ds->X[2];
    for (size_t i = 0; i < ds->n; i++) {
        CU_ASSERT_DOUBLE_EQUAL(ds->X[i * ds->d + 1] - ds->X[i * ds->d], off01, 1e-12);
        CU_ASSERT_DOUBLE_EQUAL(ds->X[i * ds->d + 3] - ds->X[i * ds->d + 2], off23, 1e-12);
    }
    int differs = 0;
    for (size_t i = 1; i < ds->n; i++)
        differs |= fabs((ds->X[i * ds->d + 2] - ds->X[i * ds->d]) - (ds->X[2] - ds->X[0])) > 1e-9;
    CU_ASSERT(differs);
    repro_dataset_free(ds);
}

static void test_standardize(void)
{
    repro_error err;
    repro_dataset *ds = repro_dataset_alloc(4, 2, 0, &err);
    double X[8] = {1, 5, 2, 5, 3, 5, 4, 5};
    memcpy(ds->X, X, sizeof X);
    repro_standardize(ds);
    /* Column 0: mean 2.5, population sd sqrt(1.25). Column 1 constant -> 0. */
    CU_ASSERT_DOUBLE_EQUAL(ds->X[0], -1.5 / sqrt(1.25), 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(ds->X[6], 1.5 / sqrt(1.25), 1e-12);
    for (int i = 0; i < 4; i++)
        CU_ASSERT_EQUAL(ds->X[2 * i + 1], 0.0);
    repro_dataset_free(ds);
}

static void expect_spec_error(const char *spec, const char *needle)
{
    repro_gen_spec s;
    repro_error err;
    repro_error_clear(&err);
    int rc = repro_gen_spec_parse(spec, &s, &err);
    CU_ASSERT_EQUAL(rc, REPRO_EINVAL);
    if (!strstr(err.msg, needle))
        fprintf(stderr, "spec '%s': message '%s' lacks '%s'\n", spec, err.msg, needle);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, needle));
}

static void test_spec_errors(void)
{
    expect_spec_error("linear:n=150,strong=6,weak=0", "irrelevant");
    expect_spec_error("linear:n=150,strong=6,weak=0,irrelevant=6,foo=1", "foo");
    expect_spec_error("linear:n=1x0,strong=6,weak=0,irrelevant=6", "n=");
    expect_spec_error("linear:n=150,strong=-1,weak=0,irrelevant=6", "strong");
    expect_spec_error("linear:n=1,strong=1,weak=0,irrelevant=6", "n=1");
    expect_spec_error("linear:n=150,strong=0,weak=1,irrelevant=6", "weak");
    expect_spec_error("linear:n=150,strong=0,weak=0,irrelevant=6", "strong+weak");
    expect_spec_error("linear:n=150,strong=1,weak=0,irrelevant=1,noise=-1", "noise");
    expect_spec_error("linear:n=150,strong=1,strong=2,weak=0,irrelevant=1", "twice");
    expect_spec_error("cubic:n=150", "cubic");
    expect_spec_error("nonlinear:n=150,strong=1,weak=0,irrelevant=3", "latent");
    expect_spec_error("nonlinear:n=150,strong=0,weak=4,irrelevant=3", "weak");
    repro_gen_spec s;
    repro_error err;
    REPRO_ASSERT_OK(repro_gen_spec_parse("nonlinear:n=1000,strong=4,weak=10,irrelevant=6", &s, &err), &err);
    CU_ASSERT_DOUBLE_EQUAL(s.noise, 0.1, 0);
    char buf[128];
    repro_gen_spec_format(&s, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "nonlinear:n=1000,strong=4,weak=10,irrelevant=6,noise=0.1");
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"linear: shape, labels and truth vector", test_linear_shape_and_truth},
        {"linear: weak columns are exact shifted copies", test_linear_weak_columns_are_shifted_copies},
        {"linear: label recoverable from latent columns", test_linear_label_recoverable},
        {"linear: irrelevant columns uncorrelated with y", test_irrelevant_columns_carry_no_signal},
        {"same seed same bytes; repeats differ", test_same_seed_same_bytes_repeats_differ},
        {"nonlinear: clusters, labels, weak groups", test_nonlinear_structure},
        {"standardization (population sd, constant -> 0)", test_standardize},
        {"spec parsing errors name the key", test_spec_errors},
        CU_TEST_INFO_NULL,
    };
    return repro_test_run("data", tests);
}
