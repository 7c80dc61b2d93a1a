/* bench_sq_fidelity.c - SQ on the paper's linear toy Sets 1-8 against the
 * published SQ figures.
 *
 * Exactly the batch runner's streams: SEED 123, repeats r = 0..9, data from
 * repro_rng_data_stream(123, "toy_benchmarks", "Set K", r) with the linear
 * generator (noise 0, standardized), model stream
 * repro_rng_job_stream(123, "toy_benchmarks", "Set K", r, "SQ"), default SQ
 * parameters. Prints per set the mean all-relevant F1 (0/0 -> 0), the mean
 * training score, and the per-class precision/recall with the published
 * quirks (0/0 -> 1, a per-repeat 0 left out of the mean), each next to the
 * published value (the paper's tables built into the program).
 *
 * Usage: bench_sq_fidelity [threads] [repeats] [first_set] [last_set] [key=value]...
 * (key=value overrides an SQ parameter, e.g. min_child_rows=5). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "benchutil.h"
#include "repro/data.h"
#include "repro/metrics.h"
#include "repro/model.h"

int main(int argc, char **argv)
{
    int threads = argc > 1 ? atoi(argv[1]) : 1;
    int repeats = argc > 2 ? atoi(argv[2]) : 10;
    int first = argc > 3 ? atoi(argv[3]) : 1, last = argc > 4 ? atoi(argv[4]) : 8;
    if (repeats < 1 || repeats > 100 || first < 1 || last > 8 || first > last) {
        fprintf(stderr, "usage: bench_sq_fidelity [threads] [repeats<=100] [first_set] [last_set]\n");
        return 2;
    }
    const repro_model_type *sq = repro_model_find("SQ");
    if (!sq) {
        fprintf(stderr, "model SQ not registered\n");
        return 1;
    }
    repro_params params;
    repro_params_defaults(sq, &params);
    for (int a = 5; a < argc; a++) {
        repro_error err;
        if (repro_params_set_text(&params, argv[a], &err)) {
            fprintf(stderr, "%s\n", err.msg);
            return 2;
        }
        printf("setting %s\n", argv[a]);
    }
    printf("SQ fidelity, SEED 123, %d repeats, %d thread(s); ours / published\n", repeats, threads);
    printf("%-6s %13s %13s %13s %13s %13s %13s %8s %s\n", "set", "F1", "accuracy", "weak prec",
           "weak rec", "strong prec", "strong rec", "time/s", "fails");
    int within = 0, total = 0;
    for (int k = first; k <= last; k++) {
        char name[16];
        snprintf(name, sizeof name, "Set %d", k);
        repro_gen_spec spec;
        if (bench_toy_spec(k, &spec))
            return 1;
        const double pub_f1 = bench_published("sim_scores", name, NULL, "SQ"),
                     pub_acc = bench_published("sim_accuracy", name, NULL, "SQ"),
                     pub_wp = bench_published("prec_rec_ARFS", "precision", name, "SQ_weakly"),
                     pub_wr = bench_published("prec_rec_ARFS", "recall", name, "SQ_weakly"),
                     pub_sp = bench_published("prec_rec_ARFS", "precision", name, "SQ_strongly"),
                     pub_sr = bench_published("prec_rec_ARFS", "recall", name, "SQ_strongly");
        double f1[100], acc[100], wp[100], wr[100], sp[100], sr[100], t[100];
        int ok = 0, fails = 0;
        for (int r = 0; r < repeats; r++) {
            repro_rng drng, jrng;
            repro_error err;
            repro_dataset *ds = NULL;
            repro_rng_data_stream(&drng, 123, "toy_benchmarks", name, (uint64_t)r);
            if (repro_generate(&drng, &spec, &ds, &err)) {
                fprintf(stderr, "%s: %s\n", name, err.msg);
                return 1;
            }
            repro_rng_job_stream(&jrng, 123, "toy_benchmarks", name, (uint64_t)r, "SQ");
            repro_fit_result res;
            double t0 = bench_now();
            int rc = sq->fit(ds, &params, &jrng, threads, &res, &err);
            double dt = bench_now() - t0;
            if (rc) {
                fprintf(stderr, "%s repeat %d: %s\n", name, r, err.msg);
                fails++;
                repro_dataset_free(ds);
                continue;
            }
            f1[ok] = repro_metrics_all_relevant(ds->truth, res.relevance, ds->d, 0.0).f1;
            acc[ok] = res.train_score;
            repro_prf w = repro_metrics_class(ds->truth, res.relevance, ds->d, 1, 1.0);
            repro_prf s = repro_metrics_class(ds->truth, res.relevance, ds->d, 2, 1.0);
            wp[ok] = w.precision;
            wr[ok] = w.recall;
            sp[ok] = s.precision;
            sr[ok] = s.recall;
            t[ok] = dt;
            ok++;
            repro_fit_result_clear(&res);
            repro_dataset_free(ds);
        }
        double mf1 = 0.0, macc = 0.0;
        for (int i = 0; i < ok; i++) {
            mf1 += f1[i] / ok;
            macc += acc[i] / ok;
        }
        double med_t = bench_median(t, (size_t)ok);
        printf("%-6s %5.2f / %4.2f %5.2f / %4.2f %5.2f / %4.2f %5.2f / %4.2f %5.2f / %4.2f %5.2f / %4.2f %8.2f %d%s\n",
               name, mf1, pub_f1, macc, pub_acc, bench_mean_nonzero(wp, ok), pub_wp, bench_mean_nonzero(wr, ok),
               pub_wr, bench_mean_nonzero(sp, ok), pub_sp, bench_mean_nonzero(sr, ok), pub_sr, med_t, fails,
               fabs(mf1 - pub_f1) <= 0.05 ? "" : "  F1 off by > 0.05");
        within += fabs(mf1 - pub_f1) <= 0.05;
        total++;
        fflush(stdout);
    }
    printf("F1 within 0.05 of the paper: %d of %d sets (time/s = median fit wall time)\n", within,
           total);
    return 0;
}
