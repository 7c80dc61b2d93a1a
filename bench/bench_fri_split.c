/* bench_fri_split.c - FRI split into tasks (model.h's repro_model_split):
 * what travels and what each task costs.
 *
 *   bench_fri_split [SPEC] [--search N] [--probes N] [--tasks N]
 *
 * For one generated data set (default: like NL 3, 1000 x 50) prints the
 * time to generate the data (what a rank does once per job it gets tasks
 * of), the time a task needs to replay the job's draws (the C values and
 * the probes' permutations), the bytes of every stage's input and outputs,
 * each stage's tasks (count, min / median / max seconds), and the split
 * fit's summed task time against the one-process fit on one thread (the
 * overhead of splitting; results are checked to be the same bits). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "benchutil.h"
#include "repro/fri.h"
#include "repro/fri_stage.h"
#include "repro/model.h"

#define REPS 5

static void die(const char *what, const repro_error *err)
{
    fprintf(stderr, "bench_fri_split: %s: %s\n", what, err->msg);
    exit(1);
}

int main(int argc, char **argv)
{
    const char *text = "nonlinear:n=1000,strong=10,weak=10,irrelevant=30";
    const char *search = "50", *probes = "50";
    size_t max_tasks = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--search") && i + 1 < argc)
            search = argv[++i];
        else if (!strcmp(argv[i], "--probes") && i + 1 < argc)
            probes = argv[++i];
        else if (!strcmp(argv[i], "--tasks") && i + 1 < argc)
            max_tasks = (size_t)strtoul(argv[++i], NULL, 10);
        else if (argv[i][0] != '-')
            text = argv[i];
        else {
            fprintf(stderr, "usage: bench_fri_split [SPEC] [--search N] [--probes N] [--tasks N]\n");
            return 2;
        }
    }
    repro_error err;
    repro_gen_spec spec;
    if (repro_gen_spec_parse(text, &spec, &err))
        die("spec", &err);
    const repro_model_type *fri = repro_model_find("FRI");
    repro_params p;
    repro_params_defaults(fri, &p);
    if (repro_params_set(&p, "search", search, &err) || repro_params_set(&p, "probes", probes, &err))
        die("params", &err);
    repro_fri_options opt;
    repro_params_apply(&p, &opt);

    /* data generation, as a rank does once per job */
    double tgen[REPS], treplay[REPS];
    repro_dataset *ds = NULL;
    for (int r = 0; r < REPS; r++) {
        repro_rng rng;
        repro_rng_seed(&rng, 123, 7);
        repro_dataset *x = NULL;
        double t0 = bench_now();
        if (repro_generate(&rng, &spec, &x, &err))
            die("data", &err);
        tgen[r] = bench_now() - t0;
        if (ds)
            repro_dataset_free(x);
        else
            ds = x;
    }
    /* the draws an ITEMS task replays */
    double *Cs = malloc(opt.n_search * sizeof *Cs);
    for (int r = 0; r < REPS; r++) {
        repro_rng rng;
        repro_rng_seed(&rng, 5, 5);
        repro_fri_probes pr;
        double t0 = bench_now();
        repro_fri_search_draw(&rng, opt.n_search, Cs);
        if (repro_fri_probes_draw(&rng, opt.n_probes, ds->n, ds->d, &pr, &err))
            die("probes", &err);
        treplay[r] = bench_now() - t0;
        repro_fri_probes_clear(&pr);
    }
    printf("data %s: %zu x %zu; search %zu, probes %zu\n", text, ds->n, ds->d, opt.n_search, opt.n_probes);
    printf("generate the data: %.2f ms; replay the draws (C values, probes): %.2f ms (medians of %d)\n",
           1e3 * bench_median(tgen, REPS), 1e3 * bench_median(treplay, REPS), REPS);

    /* the one-process fit, then the split stage by stage, each task timed */
    repro_rng rng0, rng;
    repro_rng_seed(&rng0, 42, 1);
    rng = rng0;
    repro_fit_result whole, split;
    double t0 = bench_now();
    if (fri->fit(ds, &p, &rng, 1, &whole, &err))
        die("fit", &err);
    double t_fit = bench_now() - t0;
    const repro_model_split *sp = fri->split;
    void *state = NULL;
    rng = rng0;
    double t_tasks = 0, t_serial = 0;
    t0 = bench_now();
    if (sp->begin(ds, &p, &rng, max_tasks, &state, &err))
        die("begin", &err);
    t_serial += bench_now() - t0;
    static const char *names[] = {"search (by fold)", "init model", "work items"};
    printf("\n%-18s %6s %10s %12s %10s %10s %10s\n", "stage", "tasks", "input_B", "outputs_B", "min_s", "median_s",
           "max_s");
    for (;;) {
        repro_split_stage st;
        t0 = bench_now();
        if (sp->next(state, &st, &err))
            die("next", &err);
        t_serial += bench_now() - t0;
        if (!st.n_tasks)
            break;
        repro_blob *outs = calloc(st.n_tasks, sizeof *outs);
        double *ts = malloc(st.n_tasks * sizeof *ts);
        size_t out_bytes = 0;
        for (size_t t = 0; t < st.n_tasks; t++) {
            t0 = bench_now();
            if (sp->run_task(ds, &p, &rng0, st.id, st.input, st.input_len, t, 1, &outs[t], &err))
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
        printf("%-18s %6zu %10zu %12zu %10.3f %10.3f %10.3f\n", st.id >= 0 && st.id < 3 ? names[st.id] : "?",
               st.n_tasks, st.input_len, out_bytes, lo, bench_median(ts, st.n_tasks), hi);
        t0 = bench_now();
        if (sp->merge(state, outs, st.n_tasks, &err))
            die("merge", &err);
        t_serial += bench_now() - t0;
        for (size_t t = 0; t < st.n_tasks; t++)
            free(outs[t].data);
        free(outs);
        free(ts);
    }
    t0 = bench_now();
    if (sp->finish(state, &split, &err))
        die("finish", &err);
    t_serial += bench_now() - t0;
    sp->free(state);
    int same = memcmp(whole.bounds, split.bounds, 2 * ds->d * sizeof(double)) == 0 &&
               memcmp(whole.relevance, split.relevance, ds->d * sizeof(int)) == 0;
    printf("\nfit on 1 thread %.2f s; split: tasks %.2f s (x %.3f), rank 0's serial steps %.4f s; same bits: %s\n",
           t_fit, t_tasks, t_tasks / t_fit, t_serial, same ? "yes" : "NO");
    repro_fit_result_clear(&whole);
    repro_fit_result_clear(&split);
    repro_dataset_free(ds);
    free(Cs);
    return same ? 0 : 1;
}
