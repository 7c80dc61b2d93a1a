/* bench_rf_split.c - RF split into tasks (model.h's repro_model_split,
 * rfecv.h's stages): what travels and what each task costs.
 *
 *   bench_rf_split [SPEC] [--tasks N] [--rounds R]
 *
 * For one generated data set (default: like Set 8, linear 2000 x 70) runs
 * R rounds (default 3), each the one-process fit on one thread and then
 * the split fit stage by stage with every task timed (alternated, so load
 * on the machine hits both alike), and prints per stage the tasks, the
 * bytes of its input and outputs and the min / median / max task seconds
 * (of the last round; in stage "paths" the last task is the elimination on
 * all rows, the others the folds), then the medians over the rounds of the
 * whole fit and of the split's summed task time and their ratio (the
 * overhead of splitting: each task bins the data, and the elimination on
 * all rows runs down to the minimum instead of the chosen count; results
 * are checked to be the same bits). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "benchutil.h"
#include "repro/model.h"

#define MAX_ROUNDS 15

static void die(const char *what, const repro_error *err)
{
    fprintf(stderr, "bench_rf_split: %s: %s\n", what, err->msg);
    exit(1);
}

/* One split fit stage by stage; returns its summed task seconds, prints
 * the stages when `print`. */
static double split_fit(const repro_model_type *rf, const repro_dataset *ds, const repro_params *p,
                        const repro_rng *rng0, size_t max_tasks, int print, repro_fit_result *out)
{
    static const char *names[] = {"paths", "final fit"};
    const repro_model_split *sp = rf->split;
    repro_error err;
    repro_rng rng = *rng0;
    void *state = NULL;
    double t_tasks = 0;
    if (sp->begin(ds, p, &rng, max_tasks, &state, &err))
        die("begin", &err);
    if (print)
        printf("\n%-18s %6s %10s %12s %10s %10s %10s\n", "stage", "tasks", "input_B", "outputs_B", "min_s",
               "median_s", "max_s");
    for (;;) {
        repro_split_stage st;
        if (sp->next(state, &st, &err))
            die("next", &err);
        if (!st.n_tasks)
            break;
        repro_blob *outs = calloc(st.n_tasks, sizeof *outs);
        double *ts = malloc(st.n_tasks * sizeof *ts);
        if (!outs || !ts) {
            fprintf(stderr, "bench_rf_split: out of memory\n");
            exit(1);
        }
        size_t out_bytes = 0;
        for (size_t t = 0; t < st.n_tasks; t++) {
            double t0 = bench_now();
            if (sp->run_task(ds, p, rng0, st.id, st.input, st.input_len, t, 1, &outs[t], &err))
                die("task", &err);
            ts[t] = bench_now() - t0;
            t_tasks += ts[t];
            out_bytes += outs[t].len;
        }
        double lo = ts[0], hi = ts[0];
        for (size_t t = 1; t < st.n_tasks; t++) {
            lo = ts[t] < lo ? ts[t] : lo;
            hi = ts[t] > hi ? ts[t] : hi;
        }
        if (print)
            printf("%-18s %6zu %10zu %12zu %10.3f %10.3f %10.3f\n", st.id >= 0 && st.id < 2 ? names[st.id] : "?",
                   st.n_tasks, st.input_len, out_bytes, lo, bench_median(ts, st.n_tasks), hi);
        if (sp->merge(state, outs, st.n_tasks, &err))
            die("merge", &err);
        for (size_t t = 0; t < st.n_tasks; t++)
            free(outs[t].data);
        free(outs);
        free(ts);
    }
    if (sp->finish(state, out, &err))
        die("finish", &err);
    sp->free(state);
    return t_tasks;
}

int main(int argc, char **argv)
{
    const char *text = "linear:n=2000,strong=10,weak=10,irrelevant=50";
    size_t max_tasks = 0;
    int rounds = 3;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--tasks") && i + 1 < argc)
            max_tasks = (size_t)strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
            rounds = atoi(argv[++i]);
        else if (argv[i][0] != '-')
            text = argv[i];
        else {
            fprintf(stderr, "usage: bench_rf_split [SPEC] [--tasks N] [--rounds R]\n");
            return 2;
        }
    }
    if (rounds < 1 || rounds > MAX_ROUNDS) {
        fprintf(stderr, "bench_rf_split: --rounds must be in [1, %d]\n", MAX_ROUNDS);
        return 2;
    }
    repro_error err;
    repro_gen_spec spec;
    if (repro_gen_spec_parse(text, &spec, &err))
        die("spec", &err);
    repro_rng rng;
    repro_rng_seed(&rng, 123, 7);
    repro_dataset *ds = NULL;
    if (repro_generate(&rng, &spec, &ds, &err))
        die("data", &err);
    const repro_model_type *rf = repro_model_find("RF");
    repro_params p;
    repro_params_defaults(rf, &p);
    printf("data %s: %zu x %zu; RF with the published settings; %d rounds\n", text, ds->n, ds->d, rounds);
    repro_rng rng0;
    repro_rng_seed(&rng0, 42, 1);
    double t_fit[MAX_ROUNDS], t_split[MAX_ROUNDS];
    int same = 1;
    size_t kept = 0;
    for (int r = 0; r < rounds; r++) {
        repro_fit_result whole, split;
        rng = rng0;
        double t0 = bench_now();
        if (rf->fit(ds, &p, &rng, 1, &whole, &err))
            die("fit", &err);
        t_fit[r] = bench_now() - t0;
        t_split[r] = split_fit(rf, ds, &p, &rng0, max_tasks, r == rounds - 1, &split);
        same &= memcmp(whole.relevance, split.relevance, ds->d * sizeof(int)) == 0 &&
                memcmp(&whole.train_score, &split.train_score, sizeof(double)) == 0;
        const repro_extra *nf = repro_fit_result_find(&whole, "n_features");
        kept = nf ? (size_t)nf->v[0] : 0;
        repro_fit_result_clear(&whole);
        repro_fit_result_clear(&split);
    }
    double mf = bench_median(t_fit, (size_t)rounds), ms = bench_median(t_split, (size_t)rounds);
    printf("\nfit on 1 thread %.2f s, split tasks summed %.2f s (x %.3f; medians of %d alternated rounds); "
           "same bits: %s\n",
           mf, ms, ms / mf, rounds, same ? "yes" : "NO");
    printf("RFECV kept %zu of %zu features (the path on all rows ran down to the minimum in the split)\n", kept,
           ds->d);
    repro_dataset_free(ds);
    return same ? 0 : 1;
}
