/* benchutil.c - timing helpers shared by the benchmarks. */
#include "benchutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "repro/rng.h"

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

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double bench_median(double *v, size_t n)
{
    if (n == 0)
        return 0.0;
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
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
