/* bench_baselines.c - fidelity and speed of the ElasticNet and RF baselines
 * on the paper's linear toy benchmarks (Sets 1-8), with exactly the data and
 * job streams of the batch runner (SEED 123, experiment "toy_benchmarks").
 *
 * Usage: [BENCH_REPEATS=R] [BENCH_SETS=1,6] bench_baselines [MODEL...]
 *   The published values (sim_scores, sim_accuracy, runtime) are printed next
 *   to ours; MODEL defaults to ElasticNet and RF. Single thread. BENCH_REPEATS (default
 *   10, the paper's) and BENCH_SETS (default all) narrow or widen the run.
 *   Times are medians over the repeats of each fit's wall and CPU time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "benchutil.h"
#include "repro/data.h"
#include "repro/metrics.h"
#include "repro/model.h"

#define SEED 123
#define MAX_REPEATS 1000
#define N_SETS 8

static int repeats = 10;

static char sets_wanted[N_SETS] = {1, 1, 1, 1, 1, 1, 1, 1};


/* Prints a published value or "-". */
static void print_ref(double v)
{
    if (v < 0)
        printf("  %6s", "-");
    else
        printf("  %6.2f", v);
}

/* Runs one model over all sets and repeats; prints the table rows. Returns
 * nonzero on a failed fit. */
static int bench_model(const repro_model_type *type)
{
    double ref_f1[N_SETS], ref_acc[N_SETS], ref_time[N_SETS];
    for (int s = 0; s < N_SETS; s++) {
        char name[16];
        snprintf(name, sizeof name, "Set %d", s + 1);
        ref_f1[s] = bench_published("sim_scores", name, NULL, type->name);
        ref_acc[s] = bench_published("sim_accuracy", name, NULL, type->name);
        ref_time[s] = bench_published("runtime", name, NULL, type->name);
    }
    repro_params params;
    repro_params_defaults(type, &params);
    printf("\n%s (SEED %d, %d repeats, 1 thread)\n", type->name, SEED, repeats);
    printf("%-6s  %6s  %6s  %6s  %6s  %6s  %6s  %9s  %9s  %9s\n", "set", "F1", "paper", "diff",
           "train", "paper", "diff", "wall s", "cpu s", "paper s");
    double sum_absdiff = 0.0, worst = 0.0;
    int n_ref = 0;
    for (int s = 0; s < N_SETS; s++) {
        if (!sets_wanted[s])
            continue;
        char name[16], spec_text[128];
        snprintf(name, sizeof name, "Set %d", s + 1);
        repro_gen_spec spec;
        if (bench_toy_spec(s + 1, &spec))
            return 1;
        repro_gen_spec_format(&spec, spec_text, sizeof spec_text);
        double f1 = 0.0, acc = 0.0, times[MAX_REPEATS], cpu[MAX_REPEATS];
        for (int r = 0; r < repeats; r++) {
            repro_rng data_rng, job_rng;
            repro_error err;
            repro_dataset *ds = NULL;
            repro_rng_data_stream(&data_rng, SEED, "toy_benchmarks", name, (uint64_t)r);
            if (repro_generate(&data_rng, &spec, &ds, &err)) {
                fprintf(stderr, "%s: %s\n", spec_text, err.msg);
                return 1;
            }
            repro_rng_job_stream(&job_rng, SEED, "toy_benchmarks", name, (uint64_t)r, type->name);
            repro_fit_result res;
            double t0 = bench_now(), c0 = bench_cpu_now();
            int rc = type->fit(ds, &params, &job_rng, 1, &res, &err);
            times[r] = bench_now() - t0;
            cpu[r] = bench_cpu_now() - c0;
            if (rc) {
                fprintf(stderr, "%s on %s repeat %d: %s\n", type->name, name, r, err.msg);
                repro_dataset_free(ds);
                return 1;
            }
            f1 += repro_metrics_all_relevant(ds->truth, res.relevance, ds->d, 0.0).f1;
            acc += res.train_score;
            repro_fit_result_clear(&res);
            repro_dataset_free(ds);
        }
        f1 /= repeats;
        acc /= repeats;
        double med = bench_median(times, (size_t)repeats);
        double med_cpu = bench_median(cpu, (size_t)repeats);
        printf("%-6s  %6.2f", name, f1);
        print_ref(ref_f1[s]);
        if (ref_f1[s] >= 0) {
            double diff = f1 - ref_f1[s];
            printf("  %+6.2f", diff);
            sum_absdiff += diff < 0 ? -diff : diff;
            if ((diff < 0 ? -diff : diff) > worst)
                worst = diff < 0 ? -diff : diff;
            n_ref++;
        } else {
            printf("  %6s", "");
        }
        printf("  %6.2f", acc);
        print_ref(ref_acc[s]);
        if (ref_acc[s] >= 0)
            printf("  %+6.2f", acc - ref_acc[s]);
        else
            printf("  %6s", "");
        printf("  %9.3f  %9.3f", med, med_cpu);
        if (ref_time[s] >= 0)
            printf("  %9.0f", ref_time[s]);
        printf("\n");
        fflush(stdout);
    }
    if (n_ref)
        printf("F1 vs paper: mean |diff| %.3f, worst |diff| %.3f\n", sum_absdiff / n_ref, worst);
    return 0;
}

int main(int argc, char **argv)
{
    const char *env = getenv("BENCH_REPEATS");
    if (env && atoi(env) >= 1 && atoi(env) <= MAX_REPEATS)
        repeats = atoi(env);
    env = getenv("BENCH_SETS");
    if (env) {
        memset(sets_wanted, 0, sizeof sets_wanted);
        for (const char *p = env; *p; p++)
            if (*p >= '1' && *p <= '8')
                sets_wanted[*p - '1'] = 1;
    }
    const char *defaults[] = {"ElasticNet", "RF"};
    const char **names = argc > 1 ? (const char **)argv + 1 : defaults;
    int n_names = argc > 1 ? argc - 1 : 2;
    for (int i = 0; i < n_names; i++) {
        const repro_model_type *type = repro_model_find(names[i]);
        if (!type) {
            printf("\n%s: not registered, skipped\n", names[i]);
            continue;
        }
        if (bench_model(type))
            return 1;
    }
    return 0;
}
