/* bench_fri.c - FRI on the paper's linear toy sets: fidelity against the
 * published FRI figures and speed (wall and CPU time per fit, LPs per fit,
 * time per LP), plus warm- against cold-started LPs on one Set 8 problem.
 *
 * Usage: bench_fri [REPEATS] [FIRST_SET] [LAST_SET]
 * (defaults: 10, 1, 8). Data and job streams are
 * exactly those of the batch runner (SEED 123, experiment toy_benchmarks,
 * repeats 0..REPEATS-1); fits run on one thread. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "benchutil.h"
#include "repro/data.h"
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

int main(int argc, char **argv)
{
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
