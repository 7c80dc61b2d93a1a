/* bench_fri.c - FRI on the paper's linear toy sets: fidelity against the
 * published FRI figures and speed (wall and CPU time per fit, LPs per fit,
 * time per LP), plus warm- against cold-started LPs on one Set 8 problem.
 *
 * Usage: bench_fri [REPEATS] [FIRST_SET] [LAST_SET]
 * (defaults: 10, 1, 8). Data and job streams are
 * exactly those of the batch runner (SEED 123, experiment toy_benchmarks,
 * repeats 0..REPEATS-1); fits run on one thread.
 *
 * Usage: bench_fri speed [ROUNDS] [SET...]   (defaults: 5; 8 NL1 NL2 NL3 NL4)
 * The current LP path against the previous one (repro_fri_options.legacy = 1),
 * in alternating rounds on the same data (repeat 0 of the runner's streams),
 * one thread: median seconds per fit of each, the median of the per-round
 * ratios, the phase breakdown, and whether the answers are the same (C, L1,
 * loss, every normalised bound to 1e-9, every class).
 *
 * Usage: bench_fri once SET [LEGACY]   (one fit of one path, default 0)
 * Prints the time, the phases and the whole answer, one line per feature. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "benchutil.h"
#include "repro/data.h"
#include "repro/fri.h"
#include "repro/fri_lp.h"
#include "repro/metrics.h"
#include "repro/model.h"

#define MAX_SETS 8
#define MAX_REPEATS 100

/* Warm- vs cold-started upper-bound LPs for the first `k` features of one
 * Set 8 problem at C: median seconds per LP of each. */
static void warm_vs_cold(const repro_dataset *ds, double C, int k)
{
    repro_error err;
    repro_fri_lp lp;
    if (repro_fri_lp_build(ds->X, ds->y, ds->n, ds->d, NULL, ds->n, 0, NULL, &lp, &err)) {
        fprintf(stderr, "bench_fri: %s\n", err.msg);
        return;
    }
    double *obj = calloc((size_t)lp.ncols, sizeof *obj);
    unsigned char *basis = malloc((size_t)(lp.ncols + lp.nrows));
    for (int c = 0; c < lp.ncols; c++)
        obj[c] = c < REPRO_FRI_B(&lp) ? 1.0 : c == REPRO_FRI_B(&lp) ? 0.0 : C;
    repro_fri_solver *s = repro_fri_solver_new(&lp, obj, &err);
    repro_fri_solver_solve(s, REPRO_FRI_DUAL);
    const double *x = repro_fri_solver_solution(s);
    double L1 = 0, loss = 0;
    for (int c = 0; c < REPRO_FRI_B(&lp); c++)
        L1 += x[c];
    for (size_t i = 0; i < ds->n; i++)
        loss += x[REPRO_FRI_XI(&lp, i)];
    repro_fri_solver_get_basis(s, basis);
    repro_fri_solver_free(s);
    double warm[64], cold[64], maxdiff = 0;
    memset(obj, 0, (size_t)lp.ncols * sizeof *obj);
    for (int j = 0; j < k; j++) {
        obj[REPRO_FRI_WPOS(&lp, j)] = -1.0;
        obj[REPRO_FRI_WNEG(&lp, j)] = 1.0;
        double val[2];
        for (int mode = 0; mode < 2; mode++) {
            repro_fri_solver *t = repro_fri_solver_new(&lp, obj, &err);
            repro_fri_solver_set_limits(t, 1.1 * L1, 1.1 * loss);
            if (mode == 0)
                repro_fri_solver_set_basis(t, basis);
            double t0 = bench_now();
            repro_fri_solver_solve(t, mode);
            (mode == 0 ? warm : cold)[j] = bench_now() - t0;
            val[mode] = repro_fri_solver_objective(t);
            repro_fri_solver_free(t);
        }
        double diff = val[0] - val[1];
        if (diff < 0)
            diff = -diff;
        if (diff > maxdiff)
            maxdiff = diff;
        obj[REPRO_FRI_WPOS(&lp, j)] = obj[REPRO_FRI_WNEG(&lp, j)] = 0.0;
    }
    double mw = bench_median(warm, (size_t)k), mc = bench_median(cold, (size_t)k);
    printf("\nWarm start (Set 8, repeat 0, C = %.4g, %d upper-bound LPs, each on a fresh CLP model):\n"
           "  cold dual simplex %.1f ms/LP, warm primal from the init basis %.1f ms/LP: %.1fx faster"
           " (max objective difference %.2g)\n",
           C, k, 1e3 * mc, 1e3 * mw, mc / mw, maxdiff);
    free(obj);
    free(basis);
    repro_fri_lp_free(&lp);
}

/* The largest difference between two FRI answers on the same data (C, L1,
 * loss relative; bounds absolute), and the number of differing classes. */
static double answer_diff(const repro_fri_result *a, const repro_fri_result *b, int *class_diff)
{
    double m = 0.0;
    double rel[3] = {fabs(a->C - b->C) / fabs(a->C), fabs(a->L1 - b->L1) / fmax(a->L1, 1e-300),
                     fabs(a->loss - b->loss) / fmax(a->loss, 1e-300)};
    for (int k = 0; k < 3; k++)
        m = fmax(m, rel[k]);
    *class_diff = 0;
    for (size_t j = 0; j < a->d; j++) {
        m = fmax(m, fabs(a->bounds[2 * j] - b->bounds[2 * j]));
        m = fmax(m, fabs(a->bounds[2 * j + 1] - b->bounds[2 * j + 1]));
        *class_diff += a->classes[j] != b->classes[j];
    }
    return m;
}

/* The data of a speed set: "1".."8" (linear toy set) or "NL1".."NL4". */
static repro_dataset *speed_data(const char *set, char *name, size_t size)
{
    static const long nl[4][3] = {{10, 0, 10}, {4, 10, 6}, {10, 10, 30}, {10, 10, 60}};
    repro_gen_spec spec;
    const char *exp;
    int k;
    if (!strncmp(set, "NL", 2) && (k = atoi(set + 2)) >= 1 && k <= 4) {
        repro_gen_spec s = {REPRO_GEN_NONLINEAR, 1000, nl[k - 1][0], nl[k - 1][1], nl[k - 1][2], 0.1};
        spec = s;
        snprintf(name, size, "NL %d", k);
        exp = "NL_toy_benchmarks";
    } else if ((k = atoi(set)) >= 1 && k <= MAX_SETS) {
        if (bench_toy_spec(k, &spec))
            return NULL;
        snprintf(name, size, "Set %d", k);
        exp = "toy_benchmarks";
    } else {
        fprintf(stderr, "bench_fri: unknown set '%s' (1-8 or NL1-NL4)\n", set);
        return NULL;
    }
    repro_rng rng;
    repro_dataset *ds = NULL;
    repro_error err;
    repro_rng_data_stream(&rng, 123, exp, name, 0);
    if (repro_generate(&rng, &spec, &ds, &err)) {
        fprintf(stderr, "bench_fri: %s: %s\n", name, err.msg);
        return NULL;
    }
    return ds;
}

/* One FRI fit on one thread with the given path; seconds via *t. */
static int speed_fit(const repro_dataset *ds, const char *name, int legacy, repro_fri_result *res,
                     double *t)
{
    repro_fri_options opt;
    repro_fri_options_default(&opt);
    opt.legacy = legacy;
    repro_rng rng;
    repro_error err;
    const char *exp = strncmp(name, "NL", 2) ? "toy_benchmarks" : "NL_toy_benchmarks";
    repro_rng_job_stream(&rng, 123, exp, name, 0, "FRI");
    double t0 = bench_now();
    if (repro_fri_fit(&rng, ds, &opt, 1, res, &err)) {
        fprintf(stderr, "bench_fri: %s: %s\n", name, err.msg);
        return -1;
    }
    *t = bench_now() - t0;
    return 0;
}

/* Prints one path's phase breakdown. */
static void print_phases(const char *label, const repro_fri_result *r)
{
    printf("    %-7s search %6.2f s (%4zu LPs)  refit %5.2f s (%2zu)  bounds %6.2f s (%4zu)"
           "  probes %6.2f s (%4zu)\n",
           label, r->t_search, r->lps_search, r->t_refit, r->lps_refit, r->t_bounds, r->lps_bounds,
           r->t_probes, r->lps_probes);
}

/* The speed mode: old and new path in alternating rounds on each set. */
static int speed(int rounds, char **sets, int n_sets)
{
    static char *defaults[] = {"8", "NL1", "NL2", "NL3", "NL4"};
    if (n_sets == 0) {
        sets = defaults;
        n_sets = 5;
    }
    printf("FRI speed: current LP path (new) vs the earlier one (old), SEED 123, repeat 0,\n"
           "1 thread, %d alternating rounds per set (old first in even rounds); wall seconds.\n"
           "Same answers: max difference of C, L1, loss (relative) and normalised bounds\n"
           "(absolute) over all rounds, and the number of differing classes.\n\n",
           rounds);
    int all_same = 1;
    for (int s = 0; s < n_sets; s++) {
        char name[16];
        repro_dataset *ds = speed_data(sets[s], name, sizeof name);
        if (!ds)
            return 1;
        double t_old[MAX_REPEATS], t_new[MAX_REPEATS], ratio[MAX_REPEATS], maxdiff = 0.0;
        int cdiff_max = 0;
        repro_fri_result last[2];
        memset(last, 0, sizeof last);
        for (int r = 0; r < rounds; r++) {
            repro_fri_result res[2];
            double t[2];
            for (int k = 0; k < 2; k++) {
                int legacy = (r % 2 == 0) == (k == 0);
                if (speed_fit(ds, name, legacy, &res[legacy ? 0 : 1], &t[legacy ? 0 : 1]))
                    return 1;
            }
            t_old[r] = t[0];
            t_new[r] = t[1];
            ratio[r] = t[0] / t[1];
            int cd;
            double diff = answer_diff(&res[0], &res[1], &cd);
            maxdiff = fmax(maxdiff, diff);
            cdiff_max = cd > cdiff_max ? cd : cdiff_max;
            for (int k = 0; k < 2; k++) {
                repro_fri_result_clear(&last[k]);
                last[k] = res[k];
            }
        }
        int same = maxdiff <= 1e-9 && cdiff_max == 0;
        all_same &= same;
        printf("%-6s n=%zu d=%zu  C=%.6g L1=%.6g loss=%.6g\n", name, ds->n, ds->d, last[1].C,
               last[1].L1, last[1].loss);
        double mo = bench_median(t_old, (size_t)rounds), mn = bench_median(t_new, (size_t)rounds);
        double mr = bench_median(ratio, (size_t)rounds); /* sorts ratio */
        printf("    median old %.2f s, new %.2f s; median ratio %.2fx (min %.2fx, max %.2fx)\n", mo,
               mn, mr, ratio[0], ratio[rounds - 1]);
        print_phases("old", &last[0]);
        print_phases("new", &last[1]);
        printf("    same answers: %s (max difference %.2g, %d classes differ)\n", same ? "yes" : "NO",
               maxdiff, cdiff_max);
        fflush(stdout);
        for (int k = 0; k < 2; k++)
            repro_fri_result_clear(&last[k]);
        repro_dataset_free(ds);
    }
    printf("\nSame answers on every set: %s\n", all_same ? "yes" : "NO");
    return all_same ? 0 : 1;
}

/* The once mode: one fit of one path on one set; prints the phases and the
 * whole answer (C, L1, loss, every normalised bound and class), for
 * profiling and for comparing answers across builds. */
static int once(const char *set, int legacy)
{
    char name[16];
    repro_dataset *ds = speed_data(set, name, sizeof name);
    if (!ds)
        return 1;
    repro_fri_result res;
    double t;
    if (speed_fit(ds, name, legacy, &res, &t)) {
        repro_dataset_free(ds);
        return 1;
    }
    printf("%s legacy=%d: %.2f s, C=%.17g L1=%.17g loss=%.17g\n", name, legacy, t, res.C, res.L1,
           res.loss);
    print_phases(legacy ? "old" : "new", &res);
    for (size_t j = 0; j < res.d; j++)
        printf("  %3zu %.17g %.17g %d\n", j, res.bounds[2 * j], res.bounds[2 * j + 1],
               res.classes[j]);
    repro_fri_result_clear(&res);
    repro_dataset_free(ds);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 2 && argc < 5 && !strcmp(argv[1], "once"))
        return once(argv[2], argc > 3 ? atoi(argv[3]) : 0);
    if (argc > 1 && !strcmp(argv[1], "speed")) {
        int rounds = argc > 2 ? atoi(argv[2]) : 5;
        if (rounds < 1 || rounds > MAX_REPEATS) {
            fprintf(stderr, "usage: bench_fri speed [ROUNDS<=%d] [SET...]\n", MAX_REPEATS);
            return 2;
        }
        return speed(rounds, argv + (argc > 3 ? 3 : argc), argc > 3 ? argc - 3 : 0);
    }
    int repeats = argc > 1 ? atoi(argv[1]) : 10;
    int first = argc > 2 ? atoi(argv[2]) : 1, last = argc > 3 ? atoi(argv[3]) : MAX_SETS;
    if (argc > 4 || repeats < 1 || repeats > MAX_REPEATS || first < 1 || last > MAX_SETS || first > last) {
        fprintf(stderr, "usage: bench_fri [REPEATS<=%d] [FIRST_SET] [LAST_SET<=8]\n",
                MAX_REPEATS);
        return 2;
    }
    const repro_model_type *fri = repro_model_find("FRI");
    repro_params params;
    repro_params_defaults(fri, &params);
    printf("FRI on the linear toy sets: SEED 123, %d repeats, fresh data per repeat, 1 thread.\n"
           "Ours vs published (in parentheses). Per-class: 0/0 counts as 1, per-repeat zeros left out.\n"
           "Times: median wall and CPU seconds per fit over repeats, and the largest CPU time, on a\n"
           "shared 2-core machine (noisy); ms/LP = total CPU / total LP solves (search included).\n\n",
           repeats);
    printf("%-6s %5s %3s | %-13s | %-12s %-12s | %-12s %-12s | %8s %8s %8s %6s %7s %6s\n", "set", "n",
           "d", "F1", "weak P", "weak R", "strong P", "strong R", "wall s", "cpu s", "max cpu", "LPs",
           "ms/LP", "pub s");
    double set8_C = 0;
    repro_dataset *set8 = NULL;
    int all_ok = 1;
    for (int k = first; k <= last; k++) {
        char name[16];
        snprintf(name, sizeof name, "Set %d", k);
        repro_gen_spec spec;
        if (bench_toy_spec(k, &spec))
            return 1;
        repro_error err;
        double f1 = 0, wp[MAX_REPEATS], wr[MAX_REPEATS], sp[MAX_REPEATS], sr[MAX_REPEATS];
        double wall[MAX_REPEATS], cpu[MAX_REPEATS], lps = 0, cpu_sum = 0;
        for (int r = 0; r < repeats; r++) {
            repro_rng rng;
            repro_dataset *ds = NULL;
            repro_rng_data_stream(&rng, 123, "toy_benchmarks", name, (uint64_t)r);
            if (repro_generate(&rng, &spec, &ds, &err)) {
                fprintf(stderr, "bench_fri: %s: %s\n", name, err.msg);
                return 1;
            }
            repro_rng_job_stream(&rng, 123, "toy_benchmarks", name, (uint64_t)r, "FRI");
            repro_fit_result res;
            double t0 = bench_now(), c0 = bench_cpu_now();
            if (fri->fit(ds, &params, &rng, 1, &res, &err)) {
                fprintf(stderr, "bench_fri: %s repeat %d: %s\n", name, r, err.msg);
                return 1;
            }
            wall[r] = bench_now() - t0;
            cpu[r] = bench_cpu_now() - c0;
            cpu_sum += cpu[r];
            lps += repro_fit_result_find(&res, "n_lps")->v[0];
            f1 += repro_metrics_all_relevant(ds->truth, res.relevance, ds->d, 0.0).f1;
            repro_prf w = repro_metrics_class(ds->truth, res.relevance, ds->d, 1, 1.0);
            repro_prf s = repro_metrics_class(ds->truth, res.relevance, ds->d, 2, 1.0);
            wp[r] = w.precision, wr[r] = w.recall, sp[r] = s.precision, sr[r] = s.recall;
            if (k == 8 && r == 0) {
                set8_C = repro_fit_result_find(&res, "C")->v[0];
                set8 = ds;
            } else {
                repro_dataset_free(ds);
            }
            repro_fit_result_clear(&res);
        }
        f1 /= repeats;
        all_ok &= f1 >= 0.99;
        double cpu_max = 0;
        for (int r = 0; r < repeats; r++)
            cpu_max = cpu[r] > cpu_max ? cpu[r] : cpu_max;
        printf("%-6s %5ld %3ld | %.3f (%.2f) | %.2f (%.2f)  %.2f (%.2f)  | %.2f (%.2f)  %.2f (%.2f)  |"
               " %8.3f %8.3f %8.3f %6.0f %7.1f %6.0f\n",
               name, spec.n, spec.strong + spec.weak + spec.irrelevant, f1,
               bench_published("sim_scores", name, NULL, "FRI"), bench_mean_nonzero(wp, repeats),
               bench_published("prec_rec_ARFS", "precision", name, "FRI_weakly"),
               bench_mean_nonzero(wr, repeats),
               bench_published("prec_rec_ARFS", "recall", name, "FRI_weakly"),
               bench_mean_nonzero(sp, repeats),
               bench_published("prec_rec_ARFS", "precision", name, "FRI_strongly"),
               bench_mean_nonzero(sr, repeats),
               bench_published("prec_rec_ARFS", "recall", name, "FRI_strongly"),
               bench_median(wall, (size_t)repeats), bench_median(cpu, (size_t)repeats), cpu_max, lps / repeats,
               1e3 * cpu_sum / lps, bench_published("runtime", name, NULL, "FRI"));
        fflush(stdout);
    }
    printf("\nAll-relevant F1 >= 0.99 on every set run: %s\n", all_ok ? "yes" : "NO");
    if (set8) {
        warm_vs_cold(set8, set8_C, 5);
        repro_dataset_free(set8);
    }
    return 0;
}
