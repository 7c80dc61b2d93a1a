/* bench_scaling.c - the scaling model: a results file's measured fit times
 * replayed through the scheduler's own dealing policy (deal.h).
 *
 *   bench_scaling RESULTS.h5
 *       the table: for P = 1, 2, 4, ..., 1024 ranks the makespan, speedup
 *       and parallel efficiency (work / (P x makespan)) of the whole file,
 *       and, for a sweep, of one seed (the median over its seeds).
 *   bench_scaling RESULTS.h5 --ranks P [--cores C] [--scale S] [--measured SECONDS]
 *       the makespan predicted for P ranks sharing C cores (processor
 *       sharing, as oversubscribed ranks share them), each fit taking S
 *       times its recorded time (default 1), and the ratio of a measured
 *       wall time to it.
 *   bench_scaling RESULTS.h5 --chains N [--ranks P]
 *       per seed: its makespan with tasks on P ranks (default 256) and
 *       its N longest chains of split jobs (each stage's longest task):
 *       which jobs bound one seed's run.
 *   bench_scaling RESULTS.h5 --stages
 *       per model and data set, the split jobs with measured task times:
 *       each stage's share of the fit (summed task time / fit time) and its
 *       longest task's share, measured against the model's estimates
 *       (shape), and the chain (the stages' longest tasks) as a share of
 *       the fit: how far the estimates are from the measured stages.
 *   bench_scaling RESULTS.h5 --calibration [--scale S]
 *       per experiment, data set and model: the median fit time (times S,
 *       to scale a loaded machine's times to an idle one) against the
 *       job's cost estimate (with its experiment's generator and its
 *       parameters as the run had them), and for split jobs with measured task times the median
 *       chain against the shape's: how far the estimates are off.
 *   --oracle (with the table or --chains)
 *       deals by the recorded fit times instead of the cost estimates:
 *       the order perfect estimates would give.
 *   --estimated (with any of the above)
 *       splits jobs by the models' task cost estimates even where the file
 *       records measured task times (to compare the two on one file).
 *   --copies K (with the table)
 *       the sweep columns count every job of the file K times: a sweep of
 *       K x the file's seeds made of its measured seeds (a stand-in for a
 *       larger sweep; the one-seed columns are unchanged).
 *
 * The dealing order comes from the models' cost estimates (as in a run:
 * repro_params_cost_data with the experiment's generator and the job's
 * parameters, from the plan of the job files, profile and settings the
 * file records); each job then takes its recorded fit
 * time. A split job whose task times the file records (/tasks) is replayed
 * with them, stage by stage: per stage its tasks' count, summed and longest
 * time, taken as one task of the longest time and the others sharing the
 * rest equally; other jobs of a model that splits get the model's task
 * cost estimates (shape) scaled to the job's time. Jobs never run (pending) are left out; a failed job counts with its
 * recorded time (0 if none). The model knows nothing of data generation,
 * messages or writing rows: what a measured run takes beyond the prediction
 * is that overhead (and other load on the machine). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "benchutil.h"
#include "repro/deal.h"
#include "repro/jobfile.h"
#include "repro/model.h"
#include "repro/plan.h"
#include "repro/record.h"

/* The jobs of one replay: estimated costs (for the order) and durations;
 * and each job as the scheduler would split it (tasks). */
typedef struct jobs {
    size_t n;
    double *cost, *sec;
    uint32_t *order;
    double work, longest;
    size_t longest_at;
    repro_deal_job *split;  /* per job: its stages and task durations */
    repro_split_shape *shape;
    size_t n_split;         /* jobs that split */
    size_t n_measured;      /* of those, with measured task times */
    char *measured;         /* per job: 1 if split by its measured task times */
    size_t *rec;            /* per job: its record in the set */
} jobs;

/* A split job's stages from its measured task times: per stage, one task
 * of the longest time and the others sharing the rest of the stage's summed
 * time equally (the file records count, sum and longest per stage). 0 when
 * out of memory. */
static int measured_job(repro_split_shape *sh, const repro_task_times *tt)
{
    size_t total = 0;
    for (size_t s = 0; s < tt->n_stages; s++)
        total += tt->count[s];
    if (!(sh->cost = malloc((total + 1) * sizeof *sh->cost)))
        return 0;
    sh->n_stages = tt->n_stages;
    for (size_t s = 0, at = 0; s < tt->n_stages; s++) {
        size_t c = tt->count[s];
        double rest = c > 1 ? fmax(tt->seconds[s] - tt->longest[s], 0.0) / (double)(c - 1) : 0.0;
        sh->stage_tasks[s] = c;
        for (size_t i = 0; i < c; i++)
            sh->cost[at + i] = i == 0 ? tt->longest[s] : rest;
        at += c;
    }
    return 1;
}

/* The plan of the job files, profile and settings recorded in the results
 * file (built once, one repeat), to give each job its experiment's
 * generator and its parameters as the run had them. */
static repro_plan *g_plan;
/* --oracle: deal by the recorded fit times instead of the estimates. */
static int g_oracle;
/* --copies K: the whole file's jobs counted K times in the sweep replays (a
 * sweep of K x its seeds, each copy with its seed's measured times). */
static size_t g_copies = 1;

/* Builds g_plan from a results file's job_files text: its "### FILE name"
 * parts, "### PROFILE name" (none: no profile) and "### SET" lines; without
 * the profile if the plan cannot be built with it (a profile since renamed).
 * Leaves g_plan NULL if the file recorded no job files. */
static void load_plan(const repro_result_set *set, int with_profile)
{
    repro_jobfile *files[16];
    const char *sets[64];
    size_t n_files = 0, n_sets = 0;
    char *profile = NULL, *setv[64];
    const char *at = set->job_files;
    while (at && (at = strstr(at, "### "))) {
        const char *line = at + 4, *eol = strchr(line, '\n');
        size_t ll = eol ? (size_t)(eol - line) : strlen(line);
        const char *end = eol ? strstr(eol, "\n### ") : NULL;
        if (!strncmp(line, "FILE ", 5) && eol && n_files < 16) {
            size_t len = end ? (size_t)(end - eol) : strlen(eol);
            char *nm = strndup(line + 5, ll - 5), *text = strndup(eol + 1, len ? len - 1 : 0);
            repro_error err;
            repro_jobfile *jf = NULL;
            if (nm && text && repro_jobfile_parse(nm, text, repro_models, &jf, &err) == REPRO_OK)
                files[n_files++] = jf;
            free(nm);
            free(text);
        } else if (!strncmp(line, "PROFILE ", 8) && with_profile && !profile) {
            profile = strndup(line + 8, ll - 8);
        } else if (!strncmp(line, "SET ", 4) && n_sets < 64) {
            setv[n_sets] = strndup(line + 4, ll - 4);
            sets[n_sets] = setv[n_sets];
            n_sets++;
        }
        at = eol ? (end ? end + 1 : NULL) : NULL;
    }
    repro_plan_options opt = {.has_repeats = 1, .repeats = 1, .profile = profile, .sets = sets, .n_sets = n_sets};
    repro_error err;
    if (n_files && repro_plan_build(files, n_files, &opt, &g_plan, &err) != REPRO_OK) {
        g_plan = NULL;
        if (with_profile)
            load_plan(set, 0);
    }
    free(profile);
    for (size_t i = 0; i < n_sets; i++)
        free(setv[i]);
}

/* A record's model parameters and data kind: its job's in g_plan (as the
 * run had them) when found, else the model's defaults and unknown data. */
static int job_params(const repro_record *r, const repro_model_type *t, repro_params *p)
{
    for (size_t i = 0; g_plan && i < g_plan->n_jobs; i++) {
        const repro_job *j = &g_plan->jobs[i];
        if (j->params->type == t && !strcmp(j->exp->name, r->experiment) && !strcmp(j->ds->name, r->dataset)) {
            *p = *j->params;
            return (int)j->exp->generator;
        }
    }
    repro_params_defaults(t, p);
    return REPRO_PROFILE_DATA_OTHER;
}

/* Job k of js as the scheduler would deal it: measured task times where the
 * file has them (unless `estimated`), else a model that splits
 * (model.h) gets its shape for the published parameters and the tasks per
 * stage the scheduler asks for (repro_deal_max_tasks), whose task cost
 * estimates are scaled so that they sum to the job's recorded fit time;
 * any other job is one task. */
static void split_job(jobs *js, size_t k, const repro_model_type *t, const repro_record *r, int estimated)
{
    repro_split_shape *sh = &js->shape[k];
    repro_deal_job *dj = &js->split[k];
    memset(sh, 0, sizeof *sh);
    js->measured[k] = 0;
    repro_error err;
    repro_params p;
    if (!estimated && r->tasks.n_stages > 0 && measured_job(sh, &r->tasks)) {
        *dj = (repro_deal_job){sh->n_stages, sh->stage_tasks, sh->cost};
        js->n_split++;
        js->n_measured++;
        js->measured[k] = 1;
        return;
    }
    if (t && t->split && t->split->shape) {
        job_params(r, t, &p);
        if (t->split->shape(r->n, r->d, &p, repro_deal_max_tasks(js->cost[k]), sh, &err) == REPRO_OK) {
            size_t total = 0;
            double sum = 0;
            for (size_t s = 0; s < sh->n_stages; s++)
                total += sh->stage_tasks[s];
            for (size_t i = 0; i < total; i++)
                sum += sh->cost[i];
            for (size_t i = 0; i < total; i++)
                sh->cost[i] = sum > 0 ? js->sec[k] * sh->cost[i] / sum : 0.0;
            *dj = (repro_deal_job){sh->n_stages, sh->stage_tasks, sh->cost};
            js->n_split++;
            return;
        }
        memset(sh, 0, sizeof *sh);
    }
    sh->n_stages = 1;
    sh->stage_tasks[0] = 1;
    *dj = (repro_deal_job){1, sh->stage_tasks, &js->sec[k]};
}

/* Fills js with the run jobs of set (only seed `seed` unless all). */
static void collect(const repro_result_set *set, int all, uint64_t seed, int estimated, jobs *js)
{
    memset(js, 0, sizeof *js);
    size_t copies = all ? g_copies : 1, cap = set->n * copies + 1;
    js->cost = malloc(cap * sizeof *js->cost);
    js->sec = malloc(cap * sizeof *js->sec);
    js->order = malloc(cap * sizeof *js->order);
    js->split = malloc(cap * sizeof *js->split);
    js->shape = malloc(cap * sizeof *js->shape);
    js->rec = malloc(cap * sizeof *js->rec);
    js->measured = malloc(cap);
    if (!js->cost || !js->sec || !js->order || !js->split || !js->shape || !js->rec || !js->measured) {
        fprintf(stderr, "bench_scaling: out of memory\n");
        exit(1);
    }
    for (size_t i = 0; i < set->n * copies; i++) {
        const repro_record *r = &set->rec[i % set->n];
        if (r->status == REPRO_JOB_PENDING || (!all && r->seed != seed))
            continue;
        const repro_model_type *t = repro_model_find(r->model);
        double nn = (double)r->n, d = (double)r->d;
        repro_params p;
        int data = t ? job_params(r, t, &p) : REPRO_PROFILE_DATA_OTHER;
        js->cost[js->n] = t ? repro_params_cost_data(&p, r->n, r->d, data) : nn * d;
        js->sec[js->n] = isfinite(r->fit_seconds) && r->fit_seconds > 0 ? r->fit_seconds : 0;
        if (g_oracle)
            js->cost[js->n] = js->sec[js->n];
        js->order[js->n] = (uint32_t)js->n;
        split_job(js, js->n, t, r, estimated);
        js->rec[js->n] = i % set->n;
        js->work += js->sec[js->n];
        if (js->sec[js->n] > js->longest) {
            js->longest = js->sec[js->n];
            js->longest_at = i % set->n;
        }
        js->n++;
    }
    repro_deal_order(js->cost, js->order, js->n);
}

static void jobs_free(jobs *js)
{
    for (size_t k = 0; k < js->n; k++)
        free(js->shape[k].cost);
    free(js->split);
    free(js->shape);
    free(js->rec);
    free(js->measured);
    free(js->cost);
    free(js->sec);
    free(js->order);
}

/* Makespan of js on P ranks sharing `cores` cores (<= 0: one each). */
static double makespan(const jobs *js, int ranks, double cores, double scale)
{
    repro_deal_machine m = {ranks, cores};
    double span = 0;
    repro_error err;
    if (repro_deal_replay(&m, NULL, js->sec, js->order, js->n, scale, NULL, &span, &err)) {
        fprintf(stderr, "bench_scaling: %s\n", err.msg);
        exit(1);
    }
    return span;
}

/* Makespan of js on P ranks (one core each) with split jobs dealt as
 * tasks, at most P split jobs in flight (as the scheduler). */
static double makespan_tasks(const jobs *js, int ranks)
{
    double span = 0;
    repro_error err;
    if (repro_deal_replay_tasks(ranks, ranks, js->split, js->order, js->n, &span, &err)) {
        fprintf(stderr, "bench_scaling: %s\n", err.msg);
        exit(1);
    }
    return span;
}

/* The seeds of set in first-seen order. */
static size_t seeds_of(const repro_result_set *set, uint64_t *out)
{
    size_t k = 0;
    for (size_t i = 0; i < set->n; i++) {
        size_t s = 0;
        while (s < k && out[s] != set->rec[i].seed)
            s++;
        if (s == k)
            out[k++] = set->rec[i].seed;
    }
    return k;
}

/* The chain of split job k (its stages' longest tasks one after the
 * other), and each stage's longest task in st (at most
 * REPRO_SPLIT_MAX_STAGES). */
static double chain_of(const jobs *js, size_t k, double *st)
{
    const repro_deal_job *dj = &js->split[k];
    double c = 0;
    for (size_t s = 0, at = 0; s < dj->n_stages; at += dj->n_tasks[s++]) {
        double mx = 0;
        for (size_t t = 0; t < dj->n_tasks[s]; t++)
            mx = fmax(mx, dj->seconds[at + t]);
        if (st && s < REPRO_SPLIT_MAX_STAGES)
            st[s] = mx;
        c += mx;
    }
    return c;
}

/* For each seed: its one-seed makespan with tasks on P ranks and its `top`
 * longest chains (model, data set, each stage's longest task), so that
 * which jobs bound a seed's run can be read off. */
static void chains(const repro_result_set *set, int ranks, size_t top, int estimated)
{
    uint64_t *seeds = malloc((set->n + 1) * sizeof *seeds);
    size_t n_seeds = seeds ? seeds_of(set, seeds) : 0;
    for (size_t s = 0; s < n_seeds; s++) {
        jobs js;
        collect(set, 0, seeds[s], estimated, &js);
        double span = makespan_tasks(&js, ranks);
        printf("seed %llu: %zu jobs, %.1f s of fits, %d ranks: makespan %.2f s, efficiency %.3f (split jobs: %zu "
               "measured, %zu estimated)\n",
               (unsigned long long)seeds[s], js.n, js.work, ranks, span, js.work / (ranks * span), js.n_measured,
               js.n_split - js.n_measured);
        double *c = malloc((js.n + 1) * sizeof *c);
        int *used = calloc(js.n + 1, sizeof *used);
        for (size_t k = 0; c && k < js.n; k++)
            c[k] = chain_of(&js, k, NULL);
        for (size_t r = 0; c && used && r < top && r < js.n; r++) {
            size_t b = js.n;
            for (size_t k = 0; k < js.n; k++)
                if (!used[k] && (b == js.n || c[k] > c[b]))
                    b = k;
            used[b] = 1;
            double st[REPRO_SPLIT_MAX_STAGES];
            chain_of(&js, b, st);
            const repro_record *rr = &set->rec[js.rec[b]];
            const char *how = js.measured[b] ? "measured" : js.split[b].n_stages > 1 || js.split[b].n_tasks[0] > 1
                                                                ? "estimated" : "whole";
            printf("  chain %6.2f s  %-10s %-10s n %zu d %zu  job %.1f s  %-9s stages:", c[b], rr->model, rr->dataset,
                   (size_t)rr->n, (size_t)rr->d, js.sec[b], how);
            for (size_t x = 0; x < js.split[b].n_stages && x < REPRO_SPLIT_MAX_STAGES; x++)
                printf(" %zux%.2f", js.split[b].n_tasks[x], st[x]);
            printf("\n");
        }
        free(c);
        free(used);
        jobs_free(&js);
    }
    free(seeds);
}

/* Stage s of split job k of js: its summed and its longest task time. */
static void stage_of(const jobs *js, size_t k, size_t s, double *sum, double *mx)
{
    const repro_deal_job *dj = &js->split[k];
    size_t at = 0;
    for (size_t x = 0; x < s; x++)
        at += dj->n_tasks[x];
    *sum = *mx = 0;
    for (size_t t = 0; t < dj->n_tasks[s]; t++) {
        *sum += dj->seconds[at + t];
        *mx = fmax(*mx, dj->seconds[at + t]);
    }
}

/* Per model and data set (in first-seen order), the mean over the jobs with
 * measured task times of each stage's share of the fit, summed and longest
 * task, measured / estimated, and of the chain. */
static void stages(const repro_result_set *set)
{
    jobs me, es;
    collect(set, 1, 0, 0, &me);
    collect(set, 1, 0, 1, &es);
    printf("per model and data set, jobs with measured task times: mean share of the job's fit time, measured / "
           "estimated (the model's shape scaled to the fit)\n");
    printf("%-10s %-16s %5s %7s %15s | per stage: tasks, sum share m/e, longest share m/e\n", "model", "dataset",
           "jobs", "fit_s", "chain m/e");
    int *done = calloc(me.n + 1, sizeof *done);
    for (size_t k = 0; done && k < me.n; k++) {
        if (done[k] || !me.measured[k] || !(me.sec[k] > 0))
            continue;
        const repro_record *rk = &set->rec[me.rec[k]];
        size_t n = 0, ns = me.split[k].n_stages, nt[REPRO_SPLIT_MAX_STAGES] = {0};
        double fit = 0, chain_m = 0, chain_e = 0, sm[REPRO_SPLIT_MAX_STAGES] = {0}, se[REPRO_SPLIT_MAX_STAGES] = {0},
               lm[REPRO_SPLIT_MAX_STAGES] = {0}, le[REPRO_SPLIT_MAX_STAGES] = {0};
        for (size_t j = k; j < me.n; j++) {
            const repro_record *rj = &set->rec[me.rec[j]];
            if (done[j] || !me.measured[j] || !(me.sec[j] > 0) || strcmp(rj->model, rk->model) ||
                strcmp(rj->dataset, rk->dataset) || strcmp(rj->experiment, rk->experiment) ||
                me.split[j].n_stages != ns || es.split[j].n_stages != ns)
                continue;
            done[j] = 1;
            n++;
            fit += me.sec[j];
            chain_m += chain_of(&me, j, NULL) / me.sec[j];
            chain_e += chain_of(&es, j, NULL) / me.sec[j];
            for (size_t s = 0; s < ns && s < REPRO_SPLIT_MAX_STAGES; s++) {
                double a, b;
                nt[s] += me.split[j].n_tasks[s];
                stage_of(&me, j, s, &a, &b);
                sm[s] += a / me.sec[j];
                lm[s] += b / me.sec[j];
                stage_of(&es, j, s, &a, &b);
                se[s] += a / me.sec[j];
                le[s] += b / me.sec[j];
            }
        }
        if (!n) /* shapes that differ from the measured stages */
            continue;
        printf("%-10s %-16.16s %5zu %7.2f %7.3f/%.3f |", rk->model, rk->dataset, n, fit / (double)n, chain_m / (double)n,
               chain_e / (double)n);
        for (size_t s = 0; s < ns && s < REPRO_SPLIT_MAX_STAGES; s++)
            printf("  %zu: %.3f/%.3f %.3f/%.3f", nt[s] / n, sm[s] / (double)n, se[s] / (double)n, lm[s] / (double)n,
                   le[s] / (double)n);
        printf("\n");
    }
    free(done);
    jobs_free(&me);
    jobs_free(&es);
}

/* The table for P = 1..1024. */
static void table(const repro_result_set *set, const char *path, int estimated)
{
    jobs all;
    collect(set, 1, 0, estimated, &all);
    if (!all.n) {
        fprintf(stderr, "bench_scaling: %s: no job was run\n", path);
        exit(1);
    }
    uint64_t *seeds = malloc(set->n * sizeof *seeds);
    size_t n_seeds = seeds ? seeds_of(set, seeds) : 0;
    jobs *per = n_seeds > 1 ? calloc(n_seeds, sizeof *per) : NULL;
    if (per)
        for (size_t s = 0; s < n_seeds; s++)
            collect(set, 0, seeds[s], estimated, &per[s]);
    const repro_record *lr = &set->rec[all.longest_at];
    printf("%s: %zu jobs run, %.1f s of fits; longest %.1f s (%s on %s, seed %llu)\n", path, all.n, all.work,
           all.longest, lr->model, lr->dataset, (unsigned long long)lr->seed);
    if (g_copies > 1)
        printf("--copies %zu: the sweep columns count every job %zu times (a sweep of %zu x the file's seeds, "
               "each copy with its seed's recorded times); '1seed' columns are unchanged\n",
               g_copies, g_copies, g_copies);
    printf("policy: most expensive first by the cost estimates, next job to the first free rank (deal.h)\n");
    if (per) {
        double *w = malloc(n_seeds * sizeof *w);
        for (size_t s = 0; w && s < n_seeds; s++)
            w[s] = per[s].work;
        printf("%zu seeds; '1seed' = each seed's jobs alone: median over the seeds (%.1f s of fits), and the "
               "lowest efficiency\n", n_seeds, w ? bench_median(w, n_seeds) : NAN);
        free(w);
    }
    printf("tasks: %zu jobs split as the scheduler deals them ('tasks' columns; the others whole): %zu by their "
           "measured task times (%s), %zu by the model's task cost estimates scaled to the job's recorded time%s\n",
           all.n_split, all.n_measured, set->has_tasks ? "recorded per stage in the file" : "none in this file",
           all.n_split - all.n_measured, estimated && set->has_tasks ? " (--estimated)" : "");
    printf("\n%6s %12s %9s %6s | %12s %6s", "ranks", "makespan_s", "speedup", "eff", "tasks_span_s", "eff");
    if (per)
        printf(" | %12s %6s %6s | %12s %6s", "1seed_span_s", "eff", "min", "tasks_span_s", "eff");
    printf("\n");
    double *eff = per ? malloc(n_seeds * sizeof *eff) : NULL;
    double *span = per ? malloc(n_seeds * sizeof *span) : NULL;
    for (int p = 1; p <= 1024; p *= 2) {
        double m = makespan(&all, p, 0, 1.0);
        double mt = makespan_tasks(&all, p);
        printf("%6d %12.1f %9.2f %6.3f | %12.1f %6.3f", p, m, all.work / m, all.work / (p * m), mt,
               all.work / (p * mt));
        if (per && eff && span) {
            for (size_t s = 0; s < n_seeds; s++) {
                span[s] = makespan(&per[s], p, 0, 1.0);
                eff[s] = per[s].work / (p * span[s]);
            }
            double lo = eff[0];
            for (size_t s = 1; s < n_seeds; s++)
                lo = fmin(lo, eff[s]);
            printf(" | %12.1f %6.3f %6.3f", bench_median(span, n_seeds), bench_median(eff, n_seeds), lo);
            for (size_t s = 0; s < n_seeds; s++) {
                span[s] = makespan_tasks(&per[s], p);
                eff[s] = per[s].work / (p * span[s]);
            }
            printf(" | %12.1f %6.3f", bench_median(span, n_seeds), bench_median(eff, n_seeds));
        }
        printf("\n");
    }
    printf("\nbound: a run is never shorter than its longest job, so efficiency <= work / (P x longest)\n");
    if (all.n_split) {
        /* with tasks: the longest whole job, and the longest chain of a
         * split job (its stages' longest tasks one after the other) */
        double whole = 0, chain = 0;
        size_t wat = 0, cat = 0;
        for (size_t k = 0; k < all.n; k++) {
            const repro_deal_job *dj = &all.split[k];
            double c = 0;
            for (size_t st = 0, at = 0; st < dj->n_stages; at += dj->n_tasks[st++]) {
                double mx = 0;
                for (size_t t = 0; t < dj->n_tasks[st]; t++)
                    mx = fmax(mx, dj->seconds[at + t]);
                c += mx;
            }
            int is_split = dj->n_stages > 1 || (dj->n_stages == 1 && dj->n_tasks[0] > 1);
            if (is_split && c > chain)
                chain = c, cat = k;
            if (!is_split && c > whole)
                whole = c, wat = k;
        }
        const repro_record *wr = &set->rec[all.rec[wat]], *cr = &set->rec[all.rec[cat]];
        printf("with tasks: a run is never shorter than its longest whole job, %.1f s (%s on %s), nor than the "
               "longest chain of a split job's stages (each stage's longest task), %.1f s (%s on %s)\n",
               whole, wr->model, wr->dataset, chain, cr->model, cr->dataset);
    }
    free(eff);
    free(span);
    if (per)
        for (size_t s = 0; s < n_seeds; s++)
            jobs_free(&per[s]);
    free(per);
    free(seeds);
    jobs_free(&all);
}

/* Orders doubles ascending (qsort). */
static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Median of v[0 .. n) (sorts v); NaN when n is 0. */
static double median(double *v, size_t n)
{
    if (!n)
        return NAN;
    qsort(v, n, sizeof *v, by_value);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* The cost estimates against the recorded times: per experiment, data set
 * and model, the median fit time (times `scale`, for a loaded machine's
 * times scaled to an idle one) against the job's estimate (as the plan
 * makes it, with the experiment's generator), and for split jobs with
 * measured task times the median chain (each stage's longest task, times
 * scale) against the shape's chain (each stage's largest estimate). */
static void calibration(const repro_result_set *set, double scale)
{
    printf("cost estimates against recorded times (fit and chain medians x %.3f)\n", scale);
    printf("%-18s %-8s %-10s %5s %4s %-9s %4s %10s %10s %6s %10s %10s %6s\n", "experiment", "data set", "model",
           "n", "d", "data", "jobs", "fit (s)", "estimate", "ratio", "chain (s)", "estimate", "ratio");
    char *seen = calloc(set->n + 1, 1);
    double *fit = malloc((set->n + 1) * sizeof *fit), *chain = malloc((set->n + 1) * sizeof *chain);
    double worst = 1.0;
    if (!seen || !fit || !chain) {
        fprintf(stderr, "bench_scaling: out of memory\n");
        exit(1);
    }
    for (size_t i = 0; i < set->n; i++) {
        const repro_record *a = &set->rec[i];
        const repro_model_type *t = repro_model_find(a->model);
        if (seen[i] || !t || a->status != REPRO_JOB_DONE)
            continue;
        size_t nf = 0, nc = 0;
        for (size_t j = i; j < set->n; j++) {
            const repro_record *b = &set->rec[j];
            if (b->status != REPRO_JOB_DONE || strcmp(a->experiment, b->experiment) || strcmp(a->dataset, b->dataset) ||
                strcmp(a->model, b->model) || a->n != b->n || a->d != b->d)
                continue;
            seen[j] = 1;
            fit[nf++] = scale * b->fit_seconds;
            if (b->tasks.n_stages > 0) {
                double c = 0;
                for (size_t s = 0; s < b->tasks.n_stages; s++)
                    c += b->tasks.longest[s];
                chain[nc++] = scale * c;
            }
        }
        repro_params p;
        int data = job_params(a, t, &p);
        double est = repro_params_cost_data(&p, a->n, a->d, data), mf = median(fit, nf), mc = median(chain, nc);
        double ec = NAN;
        repro_split_shape sh;
        repro_error err;
        if (nc && t->split && t->split->shape &&
            t->split->shape(a->n, a->d, &p, repro_deal_max_tasks(est), &sh, &err) == REPRO_OK) {
            ec = 0;
            for (size_t s = 0, at = 0; s < sh.n_stages; at += sh.stage_tasks[s++]) {
                double m = 0;
                for (size_t k = 0; k < sh.stage_tasks[s]; k++)
                    m = fmax(m, sh.cost[at + k]);
                ec += m;
            }
            free(sh.cost);
        }
        double r = est / mf;
        if (mf > 0 && isfinite(r))
            worst = fmax(worst, fmax(r, 1.0 / r));
        printf("%-18.18s %-8.8s %-10.10s %5zu %4zu %-9s %4zu %10.3f %10.3f %6.2f", a->experiment, a->dataset,
               a->model, a->n, a->d,
               data == REPRO_GEN_LINEAR ? "linear" : data == REPRO_GEN_NONLINEAR ? "nonlinear" : "unknown", nf, mf,
               est, r);
        if (nc)
            printf(" %10.3f %10.3f %6.2f", mc, ec, ec / mc);
        printf("\n");
    }
    printf("largest factor between a group's estimate and its median fit time: %.2f\n", worst);
    free(seen);
    free(fit);
    free(chain);
}

int main(int argc, char **argv)
{
    if (argc < 2 || argv[1][0] == '-') {
        fprintf(stderr, "usage: bench_scaling RESULTS.h5 [--ranks P [--cores C] [--scale S] [--measured SECONDS]] "
                        "[--chains N] [--stages] [--estimated] [--calibration [--scale S]] [--oracle] [--copies K]\n");
        return 2;
    }
    const char *path = argv[1];
    int ranks = 0, top = 0, estimated = 0, by_stage = 0, by_cal = 0;
    double cores = 0, measured = -1, scale = 1.0;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--estimated") || !strcmp(argv[i], "--stages")) {
            *(argv[i][2] == 'e' ? &estimated : &by_stage) = 1;
            continue;
        }
        if (!strcmp(argv[i], "--calibration") || !strcmp(argv[i], "--oracle")) {
            *(argv[i][2] == 'c' ? &by_cal : &g_oracle) = 1;
            continue;
        }
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        char *end = NULL;
        if (!v) {
            fprintf(stderr, "bench_scaling: %s needs a value\n", argv[i]);
            return 2;
        }
        double x = strtod(v, &end);
        if (end == v || *end || !(x >= 0)) {
            fprintf(stderr, "bench_scaling: %s: bad value '%s'\n", argv[i], v);
            return 2;
        }
        if (!strcmp(argv[i], "--ranks") && x >= 1 && x <= 1 << 20)
            ranks = (int)x;
        else if (!strcmp(argv[i], "--cores"))
            cores = x;
        else if (!strcmp(argv[i], "--scale"))
            scale = x;
        else if (!strcmp(argv[i], "--measured"))
            measured = x;
        else if (!strcmp(argv[i], "--copies") && x >= 1 && x <= 1000 && x == (double)(size_t)x)
            g_copies = (size_t)x;
        else if (!strcmp(argv[i], "--chains") && x >= 1 && x <= 1000)
            top = (int)x;
        else {
            fprintf(stderr, "bench_scaling: unknown option or bad value: %s %s\n", argv[i], v);
            return 2;
        }
        i++;
    }
    repro_result_set *set = NULL;
    repro_error err;
    if (repro_results_read(path, &set, &err)) {
        fprintf(stderr, "bench_scaling: %s\n", err.msg);
        return 2;
    }
    load_plan(set, 1);
    if (by_cal) {
        calibration(set, scale);
    } else if (by_stage) {
        stages(set);
    } else if (top) {
        chains(set, ranks ? ranks : 256, (size_t)top, estimated);
    } else if (!ranks) {
        table(set, path, estimated);
    } else {
        jobs all;
        collect(set, 1, 0, estimated, &all);
        double m = makespan(&all, ranks, cores, scale);
        printf("predicted %.2f s for %zu jobs (%.2f s of fits", m, all.n, all.work);
        if (scale != 1.0)
            printf(" x %.3f", scale);
        printf(") on %d rank%s", ranks, ranks == 1 ? "" : "s");
        if (cores > 0)
            printf(" sharing %g cores", cores);
        if (measured >= 0)
            printf("; measured %.2f s, measured/predicted %.3f", measured, m > 0 ? measured / m : NAN);
        printf("\n");
        jobs_free(&all);
    }
    repro_result_set_free(set);
    repro_plan_free(g_plan);
    return 0;
}
