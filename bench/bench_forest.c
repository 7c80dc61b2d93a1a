/* bench_forest.c - speed of the random forest and of SQ, single thread.
 *
 * Prints medians of several runs: a 100-tree forest on 150x24 and 2000x140
 * (binning included and excluded), SQ on toy Set 8 (n=2000, d=70), and the
 * process's peak RSS. Targets: <= 2 ms, <= 60 ms, <= 5 s, <= 100 MB.
 * Baseline measured in the same run: the 2000x140 fit on the plain C code
 * (REPRO_FOREST_PLAIN=1, in a child process), rounds alternating with the
 * default code, so that both see the same machine; their ratio is steadier
 * than either time on a shared machine. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "benchutil.h"
#include "repro/data.h"
#include "repro/forest.h"
#include "repro/model.h"

/* Median wall time of `runs` forest fits with feature fraction ff (binning
 * inside if with_binning). */
static double time_forest(const repro_dataset *ds, int runs, int with_binning, double ff,
                          double *acc, double *cpu)
{
    repro_forest_params p;
    repro_forest_params_default(&p);
    p.feature_fraction = ff;
    repro_forest_bins *bins = NULL;
    repro_error err;
    if (repro_forest_bins_build(ds->X, ds->n, ds->d, p.max_bins, p.min_data_in_bin, &bins, &err)) {
        fprintf(stderr, "bins: %s\n", err.msg);
        exit(1);
    }
    double *t = malloc(sizeof *t * (size_t)runs);
    double *c = malloc(sizeof *c * (size_t)runs);
    for (int r = 0; r < runs; r++) {
        repro_rng rng;
        repro_rng_seed(&rng, (uint64_t)r, 9);
        repro_forest *f = NULL;
        double t0 = bench_now(), c0 = bench_cpu_now();
        int rc = with_binning ? repro_forest_fit(ds->X, ds->n, ds->d, ds->y, &p, &rng, 1, &f, &err)
                              : repro_forest_fit_bins(bins, ds->y, &p, &rng, 1, &f, &err);
        t[r] = bench_now() - t0;
        c[r] = bench_cpu_now() - c0;
        if (rc) {
            fprintf(stderr, "fit: %s\n", err.msg);
            exit(1);
        }
        *acc = f->train_accuracy;
        repro_forest_free(f);
    }
    double med = bench_median(t, (size_t)runs);
    *cpu = bench_median(c, (size_t)runs);
    free(t);
    free(c);
    repro_forest_bins_free(bins);
    return med;
}

/* Median wall time of `runs` fits of model `name` on ds. */
static double time_model(const char *name, const repro_dataset *ds, int runs, double *cpu)
{
    const repro_model_type *type = repro_model_find(name);
    if (!type) {
        printf("  model %s not registered\n", name);
        return -1.0;
    }
    repro_params params;
    repro_params_defaults(type, &params);
    double *t = malloc(sizeof *t * (size_t)runs);
    double *c = malloc(sizeof *c * (size_t)runs);
    for (int r = 0; r < runs; r++) {
        repro_rng rng;
        repro_rng_seed(&rng, (uint64_t)r, 11);
        repro_fit_result res;
        repro_error err;
        double t0 = bench_now(), c0 = bench_cpu_now();
        int rc = type->fit(ds, &params, &rng, 1, &res, &err);
        t[r] = bench_now() - t0;
        c[r] = bench_cpu_now() - c0;
        if (rc) {
            fprintf(stderr, "%s: %s\n", name, err.msg);
            exit(1);
        }
        repro_fit_result_clear(&res);
    }
    double med = bench_median(t, (size_t)runs);
    *cpu = bench_median(c, (size_t)runs);
    free(t);
    free(c);
    return med;
}

/* Median CPU time (s) of `runs` 2000x140 fits on the plain C code, timed by
 * this program run again as a child with REPRO_FOREST_PLAIN=1; -1 on failure. */
static double plain_child(int runs)
{
    char exe[4096], cmd[4200];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0)
        return -1.0;
    exe[len] = '\0';
    if (strchr(exe, '\''))
        return -1.0;
    snprintf(cmd, sizeof cmd, "REPRO_FOREST_PLAIN=1 '%s' --plain-fit %d", exe, runs);
    FILE *p = popen(cmd, "r");
    double t = -1.0;
    if (!p)
        return -1.0;
    if (fscanf(p, "%lf", &t) != 1)
        t = -1.0;
    return pclose(p) == 0 ? t : -1.0;
}

int main(int argc, char **argv)
{
    repro_dataset *big = bench_linear_data(2000, 10, 10, 120, 2);
    double acc = 0.0, cpu = 0.0;
    if (argc > 2 && strcmp(argv[1], "--plain-fit") == 0) {
        /* the child of plain_child() */
        time_forest(big, atoi(argv[2]), 0, 1.0, &acc, &cpu);
        printf("%.9f\n", cpu);
        repro_dataset_free(big);
        return 0;
    }
    if (argc > 2 || (argc == 2 && strcmp(argv[1], "--quick") != 0)) {
        fprintf(stderr, "usage: bench_forest [--quick]\n");
        repro_dataset_free(big);
        return 2;
    }
    int quick = argc == 2;
    repro_dataset *small = bench_linear_data(150, 6, 6, 12, 1);
    int rs = quick ? 5 : 41, rb = quick ? 3 : 11;
    printf("forest, 100 trees, feature_fraction 1.0, 1 thread; median wall (median CPU) time.\n"
           "Shared machine: wall times are noisy, CPU times less so.\n");
    double ts = time_forest(small, rs, 0, 1.0, &acc, &cpu);
    printf("  150x24   fit on bins   %8.3f ms (%8.3f ms)  target <= 2 ms   train acc %.3f\n",
           1e3 * ts, 1e3 * cpu, acc);
    ts = time_forest(small, rs, 1, 1.0, &acc, &cpu);
    printf("  150x24   bin + fit     %8.3f ms (%8.3f ms)\n", 1e3 * ts, 1e3 * cpu);
    /* default vs plain code in alternating rounds; this is the first default one */
    enum { ROUNDS = 3 };
    double fast[ROUNDS], plain[ROUNDS];
    double tb = time_forest(big, rb, 0, 1.0, &acc, &fast[0]);
    printf("  2000x140 fit on bins   %8.3f ms (%8.3f ms)  target <= 60 ms  train acc %.3f\n",
           1e3 * tb, 1e3 * fast[0], acc);
    tb = time_forest(big, rb, 1, 1.0, &acc, &cpu);
    printf("  2000x140 bin + fit     %8.3f ms (%8.3f ms)\n", 1e3 * tb, 1e3 * cpu);
    tb = time_forest(big, rb, 0, 0.8, &acc, &cpu);
    printf("  2000x140 fit on bins, feature_fraction 0.8 (SQ's forests) %8.3f ms (%8.3f ms)\n", 1e3 * tb,
           1e3 * cpu);
    int ok = 1;
    for (int r = 0; r < ROUNDS && ok; r++) {
        if (r > 0)
            time_forest(big, rb, 0, 1.0, &acc, &fast[r]);
        plain[r] = plain_child(rb);
        ok = plain[r] > 0;
    }
    if (ok) {
        double f = bench_median(fast, ROUNDS), pl = bench_median(plain, ROUNDS);
        printf("  2000x140 fit on bins, baseline in the same run (CPU medians of %d alternating rounds):\n"
               "           default code %8.3f ms, plain C code %8.3f ms, ratio %.2fx\n",
               ROUNDS, 1e3 * f, 1e3 * pl, pl / f);
    } else {
        printf("  2000x140 plain C baseline: the child run failed\n");
    }
    repro_dataset *set8 = bench_linear_data(2000, 10, 10, 50, 3);
    double tsq = time_model("SQ", set8, quick ? 1 : 3, &cpu);
    if (tsq >= 0)
        printf("SQ on Set 8 (2000x70)    %8.3f s  (%8.3f s)   target <= 5 s (the paper's table: 80 s, "
               "other hardware, not measured here)\n",
               tsq, cpu);
    printf("peak RSS                 %8.1f MiB            target <= 100 MiB\n", bench_peak_rss_mib());
    repro_dataset_free(small);
    repro_dataset_free(big);
    repro_dataset_free(set8);
    return 0;
}
