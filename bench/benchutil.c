/* benchutil.c - timing helpers shared by the benchmarks. */
#include "benchutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "repro/reduce.h"
#include "repro/rng.h"
#include "repro/stats.h"

double bench_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

double bench_cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

double bench_mean_nonzero(const double *v, int n)
{
    double s = 0.0;
    int k = 0;
    for (int i = 0; i < n; i++)
        if (v[i] != 0.0) {
            s += v[i];
            k++;
        }
    return k ? s / k : NAN;
}

double bench_median(double *v, size_t n)
{
    if (n == 0)
        return 0.0;
    repro_sort_doubles(v, n);
    return repro_quantile_sorted(v, n, 0.5);
}

double bench_peak_rss_mib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1.0;
    char line[256];
    double kib = -1.0;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "VmHWM:", 6) == 0)
            kib = atof(line + 6);
    fclose(f);
    return kib / 1024.0;
}

repro_dataset *bench_linear_data(long n, long strong, long weak, long irr, uint64_t seed)
{
    repro_gen_spec spec = {REPRO_GEN_LINEAR, n, strong, weak, irr, 0.0};
    repro_rng rng;
    repro_error err;
    repro_dataset *ds = NULL;
    repro_rng_seed(&rng, seed, 1);
    if (repro_generate(&rng, &spec, &ds, &err)) {
        fprintf(stderr, "data: %s\n", err.msg);
        exit(1);
    }
    return ds;
}

double bench_published(const char *name, const char *key1, const char *key2, const char *col)
{
    static repro_tables ref;
    static int state; /* 0 not loaded, 1 loaded, -1 failed */
    if (state == 0) {
        repro_error err;
        repro_error_clear(&err);
        state = repro_reference_tables(&ref, &err) ? -1 : 1;
        if (state < 0)
            fprintf(stderr, "bench: the published tables: %s\n", err.msg);
    }
    const repro_table *t = state > 0 ? repro_tables_get(&ref, name) : NULL;
    if (!t || t->n_keys != (key2 ? 2u : 1u))
        return -1.0;
    const char *keys[2] = {key1, key2};
    size_t row = repro_table_find(t, keys), c = repro_table_col(t, col);
    if (row == (size_t)-1 || c == (size_t)-1)
        return -1.0;
    double v = repro_table_get(t, row, c);
    return isnan(v) ? -1.0 : v;
}

int bench_toy_spec(int k, repro_gen_spec *spec)
{
    char name[16];
    snprintf(name, sizeof name, "Set %d", k);
    repro_gen_spec s = {REPRO_GEN_LINEAR, 0, 0, 0, 0, 0.0};
    s.n = (long)bench_published("sim_params", name, NULL, "n");
    s.strong = (long)bench_published("sim_params", name, NULL, "strong");
    s.weak = (long)bench_published("sim_params", name, NULL, "weak");
    s.irrelevant = (long)bench_published("sim_params", name, NULL, "irrelevant");
    repro_error err;
    if (repro_gen_spec_check(&s, &err)) {
        fprintf(stderr, "bench: %s from the published sim_params: %s\n", name, err.msg);
        return -1;
    }
    *spec = s;
    return 0;
}
