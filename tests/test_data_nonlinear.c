/* test_data_nonlinear.c - the non-linear generator's statistics against
 * ALGORITHMS.md §2 (make_classification's clusters, the weak copies, the
 * irrelevant columns, the relative noise) and the truth vector of §13 / PAPER.md.
 * Every tolerance is a multiple (5) of the standard error for the sample size
 * used, so a generator that departs from the specification fails. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "repro/data.h"
#include "testutil.h"

#define Z_TOL 5.0 /* tolerance in standard errors */

/* Draws the raw (unstandardized) non-linear data set of spec with seed. */
static repro_dataset *raw_nl(const char *spec, uint64_t seed)
{
    repro_gen_spec s;
    repro_error err;
    repro_rng rng;
    repro_dataset *ds = NULL;
    repro_rng_seed(&rng, seed, 23);
    REPRO_ASSERT_OK(repro_gen_spec_parse(spec, &s, &err), &err);
    CU_ASSERT_EQUAL_FATAL(s.kind, REPRO_GEN_NONLINEAR);
    REPRO_ASSERT_OK(repro_gen_nonlinear(&rng, &s, &ds, &err), &err);
    return ds;
}

/* First row and row count of cluster c (§2: n/4 each, the first n mod 4 one more). */
static void cluster_rows(size_t n, int c, size_t *first, size_t *count)
{
    size_t start = 0;
    for (int o = 0; o < c; o++)
        start += n / 4 + ((size_t)o < n % 4);
    *first = start;
    *count = n / 4 + ((size_t)c < n % 4);
}

/* Mean and sample variance of column j over rows [first, first+count). */
static void col_stats(const repro_dataset *ds, size_t j, size_t first, size_t count, double *mean,
                      double *var)
{
    double s = 0.0, q = 0.0;
    for (size_t i = first; i < first + count; i++)
        s += ds->X[i * ds->d + j];
    double m = s / (double)count;
    for (size_t i = first; i < first + count; i++) {
        double c = ds->X[i * ds->d + j] - m;
        q += c * c;
    }
    *mean = m;
    *var = q / (double)(count - 1);
}

/* Pearson correlation of columns a and b of ds (b < 0: with the label). */
static double corr(const repro_dataset *ds, size_t a, long b)
{
    double ma = 0, mb = 0, sab = 0, saa = 0, sbb = 0;
    size_t n = ds->n, d = ds->d;
    for (size_t i = 0; i < n; i++) {
        ma += ds->X[i * d + a];
        mb += b < 0 ? ds->y[i] : ds->X[i * d + (size_t)b];
    }
    ma /= (double)n, mb /= (double)n;
    for (size_t i = 0; i < n; i++) {
        double x = ds->X[i * d + a] - ma, y = (b < 0 ? ds->y[i] : ds->X[i * d + (size_t)b]) - mb;
        sab += x * y, saa += x * x, sbb += y * y;
    }
    return sab / sqrt(saa * sbb);
}

/* Clusters: rows in cluster order, sizes n/4 (+1 for the first n mod 4),
 * labels c mod 2 (-1, +1, -1, +1), so the classes hold clusters 0+2 and 1+3. */
static void test_cluster_sizes_and_class_balance(void)
{
    const char *specs[4] = {"nonlinear:n=1000,strong=3,weak=4,irrelevant=2",
                            "nonlinear:n=1001,strong=3,weak=4,irrelevant=2",
                            "nonlinear:n=1002,strong=10,weak=0,irrelevant=10",
                            "nonlinear:n=1003,strong=0,weak=6,irrelevant=3"};
    for (int t = 0; t < 4; t++) {
        repro_dataset *ds = raw_nl(specs[t], 100 + (uint64_t)t);
        size_t neg = 0, bad = 0;
        for (int c = 0; c < 4; c++) {
            size_t first, count;
            cluster_rows(ds->n, c, &first, &count);
            for (size_t i = first; i < first + count; i++)
                bad += ds->y[i] != (c % 2 ? 1 : -1);
        }
        for (size_t i = 0; i < ds->n; i++)
            neg += ds->y[i] == -1;
        CU_ASSERT_EQUAL(bad, 0);
        size_t c0, c2, f;
        cluster_rows(ds->n, 0, &f, &c0);
        cluster_rows(ds->n, 2, &f, &c2);
        CU_ASSERT_EQUAL(neg, c0 + c2);
        CU_ASSERT(neg == (ds->n + 1) / 2 || neg == ds->n / 2 + 1);
        repro_dataset_free(ds);
    }
}

/* Centroids: each cluster's mean of every latent column is +-0.5 (a vertex of
 * {-0.5,+0.5}^k) within 5 standard errors, and the 4 vertices are distinct. */
static void test_cluster_centroids(void)
{
    const size_t k = 6;
    for (uint64_t seed = 1; seed <= 5; seed++) {
        repro_dataset *ds = raw_nl("nonlinear:n=40000,strong=6,weak=0,irrelevant=2,noise=0", seed);
        int vertex[4][6];
        for (int c = 0; c < 4; c++) {
            size_t first, count;
            cluster_rows(ds->n, c, &first, &count);
            for (size_t j = 0; j < k; j++) {
                double m, v;
                col_stats(ds, j, first, count, &m, &v);
                double se = sqrt(v / (double)count);
                CU_ASSERT(1.0 > 4 * Z_TOL * se); /* the test can tell -0.5 from +0.5 */
                int plus = fabs(m - 0.5) < Z_TOL * se, minus = fabs(m + 0.5) < Z_TOL * se;
                if (plus == minus)
                    fprintf(stderr, "seed %lu cluster %d column %zu: mean %.4f (se %.4f) is not +-0.5\n",
                            (unsigned long)seed, c, j, m, se);
                CU_ASSERT(plus != minus);
                vertex[c][j] = plus;
            }
        }
        for (int a = 0; a < 4; a++)
            for (int b = a + 1; b < 4; b++)
                CU_ASSERT(memcmp(vertex[a], vertex[b], sizeof vertex[a]) != 0);
        repro_dataset_free(ds);
    }
}

/* Within-cluster covariance A^T A with A's entries Uniform[-1,1): each
 * column's variance is at most k, its mean over clusters and seeds is k/3, and
 * the mean covariance between two columns is 0 (Var(A^2) = 4/45, E[A^2]^2 = 1/9
 * give the standard errors). Uniform[0,1) entries (mean covariance k/4) or
 * standard normal ones (mean variance k) fail. */
static void test_cluster_spread(void)
{
    const size_t k = 6;
    const int seeds = 10;
    double var_sum = 0.0, cov_sum = 0.0;
    size_t n_var = 0, n_cov = 0;
    for (int s = 0; s < seeds; s++) {
        repro_dataset *ds = raw_nl("nonlinear:n=8000,strong=6,weak=0,irrelevant=1,noise=0", 200 + (uint64_t)s);
        for (int c = 0; c < 4; c++) {
            size_t first, count;
            cluster_rows(ds->n, c, &first, &count);
            double mean[6], v;
            for (size_t j = 0; j < k; j++) {
                col_stats(ds, j, first, count, &mean[j], &v);
                CU_ASSERT(v < k * (1.0 + Z_TOL * sqrt(2.0 / (double)count)));
                var_sum += v, n_var++;
            }
            for (size_t a = 0; a < k; a++)
                for (size_t b = a + 1; b < k; b++) {
                    double q = 0.0;
                    for (size_t i = first; i < first + count; i++)
                        q += (ds->X[i * ds->d + a] - mean[a]) * (ds->X[i * ds->d + b] - mean[b]);
                    cov_sum += q / (double)(count - 1), n_cov++;
                }
        }
        repro_dataset_free(ds);
    }
    double mvar = var_sum / (double)n_var, mcov = cov_sum / (double)n_cov;
    double se_var = sqrt((double)k * 4.0 / 45.0 / (double)n_var);
    double se_cov = sqrt((double)k / 9.0 / (double)n_cov);
    CU_ASSERT(fabs(mvar - (double)k / 3.0) < Z_TOL * se_var);
    CU_ASSERT(fabs(mcov) < Z_TOL * se_cov);
    if (!(fabs(mvar - (double)k / 3.0) < Z_TOL * se_var) || !(fabs(mcov) < Z_TOL * se_cov))
        fprintf(stderr, "mean within-cluster variance %.3f (k/3 = %.3f, se %.3f), covariance %.3f (se %.3f)\n",
                mvar, (double)k / 3.0, se_var, mcov, se_cov);
}

/* Weak copies without noise: within a group every column is the group's
 * latent column plus its own offset in [1,2) (differences constant, their
 * cluster means sit at +-0.5 + offset); two groups (strong=0) are different
 * latent columns. */
static void test_weak_copies_exact_without_noise(void)
{
    repro_dataset *ds = raw_nl("nonlinear:n=20000,strong=3,weak=4,irrelevant=2,noise=0", 31);
    size_t d = ds->d;
    for (size_t j = 4; j < 7; j++) {
        double off = ds->X[j] - ds->X[3];
        CU_ASSERT(off > -1.0 && off < 1.0);
        size_t bad = 0;
        for (size_t i = 0; i < ds->n; i++)
            bad += fabs(ds->X[i * d + j] - ds->X[i * d + 3] - off) > 1e-12;
        CU_ASSERT_EQUAL(bad, 0);
    }
    /* Offsets: each copy's cluster means are +-0.5 + u with u in [1,2). */
    for (size_t j = 3; j < 7; j++) {
        double m[4], se = 0.0;
        for (int c = 0; c < 4; c++) {
            size_t first, count;
            double v;
            cluster_rows(ds->n, c, &first, &count);
            col_stats(ds, j, first, count, &m[c], &v);
            se = fmax(se, sqrt(v / (double)count));
        }
        int ok = 0;
        for (int c = 0; c < 4 && !ok; c++)
            for (int sgn = -1; sgn <= 1 && !ok; sgn += 2) {
                double u = m[c] - 0.5 * sgn;
                if (u < 1.0 - Z_TOL * se || u > 2.0 + Z_TOL * se)
                    continue;
                int all = 1;
                for (int o = 0; o < 4; o++)
                    all &= fabs(m[o] - u - 0.5) < Z_TOL * se || fabs(m[o] - u + 0.5) < Z_TOL * se;
                ok = all;
            }
        CU_ASSERT(ok);
    }
    repro_dataset_free(ds);
    ds = raw_nl("nonlinear:n=20000,strong=0,weak=7,irrelevant=1,noise=0", 32);
    d = ds->d;
    /* group sizes 2 and weak-2 = 5: columns 0-1 and 2-6 */
    const size_t src[7] = {0, 0, 2, 2, 2, 2, 2};
    for (size_t j = 0; j < 7; j++) {
        double off = ds->X[j] - ds->X[src[j]];
        size_t bad = 0;
        for (size_t i = 0; i < ds->n; i++)
            bad += fabs(ds->X[i * d + j] - ds->X[i * d + src[j]] - off) > 1e-12;
        CU_ASSERT_EQUAL(bad, 0);
    }
    CU_ASSERT(fabs(corr(ds, 0, 2)) < 1.0 - 1e-3);
    repro_dataset_free(ds);
}

/* Noise: the same seed with noise 0 and 0.1 draws the same data and then adds
 * N(0, (0.1 / std(X))^2) to every entry, std over all entries of the noise-free
 * X: the differences' mean is 0 and their sd is 0.1/std(X) within 5 standard
 * errors (N = n*d entries). */
static void test_noise_scale(void)
{
    const char *clean_spec = "nonlinear:n=5000,strong=4,weak=10,irrelevant=6,noise=0";
    const char *noisy_spec = "nonlinear:n=5000,strong=4,weak=10,irrelevant=6,noise=0.1";
    repro_dataset *a = raw_nl(clean_spec, 41), *b = raw_nl(noisy_spec, 41);
    size_t N = a->n * a->d;
    double s = 0.0, q = 0.0;
    for (size_t i = 0; i < N; i++)
        s += a->X[i];
    double m = s / (double)N;
    for (size_t i = 0; i < N; i++)
        q += (a->X[i] - m) * (a->X[i] - m);
    double scale = 0.1 / sqrt(q / (double)N);
    double dsum = 0.0, dq = 0.0;
    for (size_t i = 0; i < N; i++)
        dsum += b->X[i] - a->X[i];
    double dm = dsum / (double)N;
    for (size_t i = 0; i < N; i++)
        dq += (b->X[i] - a->X[i] - dm) * (b->X[i] - a->X[i] - dm);
    double dsd = sqrt(dq / (double)(N - 1));
    CU_ASSERT(fabs(dm) < Z_TOL * scale / sqrt((double)N));
    CU_ASSERT(fabs(dsd / scale - 1.0) < Z_TOL * sqrt(1.0 / (2.0 * (double)N)));
    CU_ASSERT(memcmp(a->y, b->y, a->n * sizeof *a->y) == 0);

    /* The redundant copies' correlation: with the group's latent variance v
     * (a clean copy's variance) two noisy copies correlate v/(v + scale^2) and
     * a noisy strong column correlates sqrt(v/(v + scale^2)) with its clean
     * source; Fisher's z has standard error 1/sqrt(n-3). */
    double zse = 1.0 / sqrt((double)a->n - 3.0);
    double v, mean;
    col_stats(a, 4, 0, a->n, &mean, &v);
    double expect = v / (v + scale * scale);
    for (size_t j = 5; j < 14; j++) {
        double r = corr(b, 4, (long)j);
        CU_ASSERT(fabs(atanh(r) - atanh(expect)) < Z_TOL * zse);
        CU_ASSERT(r < 1.0);
    }
    for (size_t j = 0; j < 4; j++) {
        col_stats(a, j, 0, a->n, &mean, &v);
        double *both = malloc(a->n * 2 * sizeof *both);
        repro_dataset pair = {.n = a->n, .d = 2, .X = both, .y = a->y, .truth = NULL};
        for (size_t i = 0; i < a->n; i++)
            both[2 * i] = a->X[i * a->d + j], both[2 * i + 1] = b->X[i * b->d + j];
        double r = corr(&pair, 0, 1);
        CU_ASSERT(fabs(atanh(r) - atanh(sqrt(v / (v + scale * scale)))) < Z_TOL * zse);
        free(both);
    }
    /* copies of the weak group and the strong columns are different latent columns */
    CU_ASSERT(fabs(corr(b, 4, 0)) < 0.99);
    repro_dataset_free(a), repro_dataset_free(b);
}

/* Irrelevant columns: standard normal (mean 0, variance 1) and independent of
 * the label and of the latent columns, within 5 standard errors. */
static void test_irrelevant_columns(void)
{
    repro_dataset *ds = raw_nl("nonlinear:n=20000,strong=4,weak=10,irrelevant=6,noise=0", 51);
    double n = (double)ds->n;
    for (size_t j = 14; j < 20; j++) {
        double m, v;
        col_stats(ds, j, 0, ds->n, &m, &v);
        CU_ASSERT(fabs(m) < Z_TOL / sqrt(n));
        CU_ASSERT(fabs(v - 1.0) < Z_TOL * sqrt(2.0 / n));
        CU_ASSERT(fabs(corr(ds, j, -1)) < Z_TOL / sqrt(n));
        CU_ASSERT(fabs(corr(ds, j, 0)) < Z_TOL / sqrt(n));
        CU_ASSERT(fabs(corr(ds, j, 4)) < Z_TOL / sqrt(n));
    }
    repro_dataset_free(ds);
}

/* Truth vectors of the four published sets (PAPER.md): [2]*strong +
 * [1]*weak + [0]*irrelevant in column order, after standardization too. */
static void test_truth_of_published_sets(void)
{
    const char *specs[4] = {"nonlinear:n=1000,strong=10,weak=0,irrelevant=10",
                            "nonlinear:n=1000,strong=4,weak=10,irrelevant=6",
                            "nonlinear:n=1000,strong=10,weak=10,irrelevant=30",
                            "nonlinear:n=1000,strong=10,weak=10,irrelevant=60"};
    const long shape[4][3] = {{10, 0, 10}, {4, 10, 6}, {10, 10, 30}, {10, 10, 60}};
    for (int t = 0; t < 4; t++) {
        repro_dataset *ds = repro_test_data(specs[t], 9001);
        CU_ASSERT_EQUAL(ds->n, 1000);
        CU_ASSERT_EQUAL(ds->d, (size_t)(shape[t][0] + shape[t][1] + shape[t][2]));
        size_t bad = 0;
        for (size_t j = 0; j < ds->d; j++) {
            int want = (long)j < shape[t][0] ? 2 : (long)j < shape[t][0] + shape[t][1] ? 1 : 0;
            bad += ds->truth[j] != want;
        }
        CU_ASSERT_EQUAL(bad, 0);
        /* standardized: every column mean 0, population sd 1 */
        for (size_t j = 0; j < ds->d; j++) {
            double s = 0, q = 0;
            for (size_t i = 0; i < ds->n; i++)
                s += ds->X[i * ds->d + j], q += ds->X[i * ds->d + j] * ds->X[i * ds->d + j];
            CU_ASSERT(fabs(s / 1000.0) < 1e-9);
            CU_ASSERT(fabs(q / 1000.0 - 1.0) < 1e-9);
        }
        repro_dataset_free(ds);
    }
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"cluster sizes, labels and class balance", test_cluster_sizes_and_class_balance},
        {"cluster centroids are distinct vertices of {-0.5,0.5}^k", test_cluster_centroids},
        {"within-cluster spread from Uniform[-1,1) matrices", test_cluster_spread},
        {"weak copies: latent + offset in [1,2), groups", test_weak_copies_exact_without_noise},
        {"noise scale 0.1/std(X) and the copies' correlation", test_noise_scale},
        {"irrelevant columns: N(0,1), independent", test_irrelevant_columns},
        {"truth vectors of NL 1-4", test_truth_of_published_sets},
        CU_TEST_INFO_NULL,
    };
    return repro_test_run("data_nonlinear", tests);
}
