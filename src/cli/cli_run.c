/* cli_run.c - `repro_mpi run` and `repro_mpi paper`: job files through the
 * MPI scheduler into one results file. */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "repro/cli.h"
#include "repro/cli_util.h"
#include "repro/jobfile.h"
#include "repro/jobshare.h"
#include "repro/mpicheck.h"
#include "repro/paths.h"
#include "repro/plan.h"
#include "repro/results.h"
#include "repro/record.h"
#include "repro/reduce.h"
#include "repro/sched.h"
#include "repro/utctime.h"

#include "repro_paper_jobs.h" /* generated at build time from the paper job files */

/* A job file's name and text (read from disk, or built in). */
typedef repro_job_source source;

typedef struct run_args {
    const char *out;
    const char *output_dir; /* paper only */
    repro_plan_options popt;
    uint64_t threads;
    int resume;
    int no_split; /* --no-split: run every job whole */
    int dry_run; /* --dry-run: print the plan, write nothing */
    uint64_t dry_ranks; /* --ranks N for the dry run's wall time (0: the MPI size) */
    const char *files[REPRO_CLI_MAX_ARGS];
    int n_files;
    const char *sets[REPRO_CLI_MAX_ARGS]; /* --set MODEL.key=value, in order */
    uint64_t *seeds;      /* --seeds / $SEEDS (owned), else NULL */
} run_args;

/* 1: an MPI launcher started this process (read before MPI_Init). */
static int launched_by_mpi;

static void run_help(FILE *out, int paper)
{
    if (paper)
        fprintf(out,
                "Usage: repro_mpi paper [-o results.h5] [--output DIR] [--seed N | --seeds LIST]\n"
                "                       [--repeats N] [--models A,B] [--threads N]\n"
                "                       [--experiments A,B] [--datasets A,B]\n"
                "                       [--profile NAME] [--set MODEL.key=value]... [--resume]\n"
                "                       [--no-split] [--dry-run [--ranks N]]\n"
                "       mpirun -n NP repro_mpi paper ...\n"
                "\n"
                "Runs every experiment of the paper (the job files toy_benchmarks.ini,\n"
                "NL_toy_benchmarks.ini and figures.ini, built into the program) into one\n"
                "results file. 'repro_mpi' without arguments does the same with defaults.\n"
                "\n"
                "  --output DIR     directory for the tables and figures (default output)\n"
                "  --models A,B     run only these models (their cells only)\n");
    else
        fprintf(out,
                "Usage: repro_mpi run JOBFILE... [-o results.h5] [--seed N | --seeds LIST] [--repeats N]\n"
                "                     [--threads N] [--models A,B] [--profile NAME]\n"
                "                     [--experiments A,B] [--datasets A,B]\n"
                "                     [--set MODEL.key=value]... [--resume]\n"
                "                     [--no-split] [--dry-run [--ranks N]]\n"
                "       mpirun -n NP repro_mpi run JOBFILE...\n"
                "\n"
                "Runs every job of the job files (see jobs/README.md) over the MPI ranks,\n"
                "most expensive first, and writes one HDF5 results file. A JOBFILE is a\n"
                "path or the name of a shipped job file ('repro_mpi jobs'), e.g. smoke.\n"
                "\n"
                "  --models A,B     run only these models\n");
    fprintf(out,
            "  --experiments A,B  run only these experiments (names as in the job files)\n"
            "  --datasets A,B   run only the data sets of these names; the filters are\n"
            "                   recorded, so a filtered file resumes only with the same ones\n"
            "  -o, --out PATH   results file (default results.h5); an existing file is\n"
            "                   never overwritten\n"
            "  --seed N         master seed (default: $SEED, else the job files, else 123)\n"
            "  --seeds LIST     a sweep over several seeds, e.g. 123,9001-9019 (default:\n"
            "                   $SEEDS): every job once per seed, in one results file;\n"
            "                   seed S's rows equal those of a run with --seed S\n"
            "  --repeats N      repeats of every experiment but those with fixed_repeats =\n"
            "                   yes (default: $REPEATS, else the job files)\n"
            "  --threads N      OpenMP threads per fit (default: $N_THREADS, else 1);\n"
            "                   results do not depend on it\n"
            "  --profile NAME   named model settings (default published: the published\n"
            "                   runs'), some only for experiments with generator = linear\n"
            "                   or nonlinear; the job files' own MODEL.key lines and --set\n"
            "                   win over it. Recorded in the results file. Profiles:\n"
            "                   published, squamish-2020-04, specification; their settings:\n"
            "                   'repro_mpi fit --help', docs/FIDELITY.md\n"
            "  --set MODEL.key=value\n"
            "                   a model parameter for every experiment that runs MODEL,\n"
            "                   over the profile and the job files' own (repeatable;\n"
            "                   'repro_mpi fit --help' lists the parameters), e.g.\n"
            "                   --set SQ.perc=70; kept in the results file's provenance\n"
            "  --resume         continue an interrupted run in the same results file: checks\n"
            "                   it belongs to the same job files, seed and repeats, then runs\n"
            "                   only the jobs not marked done\n"
            "  --no-split       run every job whole on one rank; by default the jobs of\n"
            "                   models that split (FRI, SQ, RF) are spread as tasks over the\n"
            "                   ranks (docs/SCALING.md); results are the same either way\n"
            "  --dry-run        print the plan (jobs and estimated cost per experiment x\n"
            "                   data set x model, the total and the expected wall time on\n"
            "                   this many ranks, and each experiment's model settings\n"
            "                   that differ from the defaults) and write nothing\n"
            "  --ranks N        with --dry-run: the wall time on N ranks (default: the\n"
            "                   ranks it runs on)\n"
            "\n"
            "Exit code: 0 all jobs done, 1 some job failed (listed) or the run stopped,\n"
            "2 bad job file or usage. 'repro_mpi info FILE' summarizes a results file.\n");
}

/* Parses the command line (identical on every rank); returns an exit code
 * or -1 to go on. Only rank 0 prints. */
static int parse_args(int argc, char **argv, int paper, int rank, run_args *a)
{
    const char *cmd = paper ? "paper" : "run";
    memset(a, 0, sizeof *a);
    a->out = "results.h5";
    a->output_dir = "output";
    a->popt.profile = REPRO_PROFILE_DEFAULT;
    a->threads = 1;
    repro_error err;
    repro_error_clear(&err);
    uint64_t v = 0;
    int r;
    if ((r = repro_cli_env_u64("SEED", &v, &err)) < 0)
        return rank ? REPRO_EXIT_USAGE : repro_cli_fail(&err);
    if (r > 0) {
        a->popt.has_seed = 1;
        a->popt.seed = v;
    }
    const char *env_seeds = getenv("SEEDS");
    const char *seeds_text = env_seeds && *env_seeds ? env_seeds : NULL;
    const char *seeds_from = "SEEDS";
    if ((r = repro_cli_env_u64("REPEATS", &v, &err)) < 0 || (r > 0 && (v < 1 || v > REPRO_MAX_REPEATS))) {
        if (rank)
            return REPRO_EXIT_USAGE;
        return r < 0 ? repro_cli_fail(&err) : repro_cli_usage_error(cmd, "REPEATS must be in [1, 1000000]");
    }
    if (r > 0) {
        a->popt.has_repeats = 1;
        a->popt.repeats = (uint32_t)v;
    }
    if ((r = repro_cli_env_u64("N_THREADS", &a->threads, &err)) < 0)
        return rank ? REPRO_EXIT_USAGE : repro_cli_fail(&err);
#define USAGE(...) (rank ? REPRO_EXIT_USAGE : repro_cli_usage_error(cmd, __VA_ARGS__))
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
            if (!rank)
                run_help(stdout, paper);
            return REPRO_EXIT_OK;
        } else if (!strcmp(s, "-o") || !strcmp(s, "--out")) {
            if (!val || !*val)
                return USAGE("%s needs a file name", s);
            a->out = argv[++i];
        } else if (paper && !strcmp(s, "--output")) {
            if (!val || !*val)
                return USAGE("--output needs a directory");
            a->output_dir = argv[++i];
        } else if (!strcmp(s, "--seed")) {
            if (!val || repro_cli_parse_u64(val, &a->popt.seed))
                return USAGE("--seed needs a whole number >= 0");
            if (seeds_text && seeds_from[0] == '-')
                return USAGE("--seed and --seeds exclude each other");
            seeds_text = NULL; /* a flag wins over $SEEDS */
            a->popt.has_seed = 2;
            i++;
        } else if (!strcmp(s, "--seeds")) {
            if (!val)
                return USAGE("--seeds needs a list of seeds, e.g. 123,9001-9019");
            if (a->popt.has_seed == 2)
                return USAGE("--seed and --seeds exclude each other");
            seeds_text = argv[++i];
            seeds_from = "--seeds";
        } else if (!strcmp(s, "--repeats")) {
            if (!val || repro_cli_parse_u64(val, &v) || v < 1 || v > REPRO_MAX_REPEATS)
                return USAGE("--repeats needs a whole number in [1, 1000000]");
            a->popt.has_repeats = 1;
            a->popt.repeats = (uint32_t)v;
            i++;
        } else if (!strcmp(s, "--threads")) {
            if (!val || repro_cli_parse_u64(val, &a->threads))
                return USAGE("--threads needs a whole number in [1, 1024]");
            i++;
        } else if (!strcmp(s, "--models")) {
            if (!val || !*val)
                return USAGE("--models needs a comma-separated list of models");
            a->popt.models = argv[++i];
        } else if (!strcmp(s, "--experiments") || !strcmp(s, "--datasets")) {
            if (!val || !*val)
                return USAGE("%s needs a comma-separated list of names", s);
            *(s[2] == 'e' ? &a->popt.experiments : &a->popt.datasets) = argv[++i];
        } else if (!strcmp(s, "--set")) {
            if (!val || !*val)
                return USAGE("--set needs MODEL.key=value (e.g. SQ.perc=100)");
            if (a->popt.n_sets == sizeof a->sets / sizeof a->sets[0])
                return USAGE("too many --set options");
            a->sets[a->popt.n_sets++] = argv[++i];
        } else if (!strcmp(s, "--profile")) {
            char names[256];
            repro_profile_names(names, sizeof names);
            if (!val || !repro_profile_find(val))
                return USAGE("unknown profile '%s' (valid: %s)", val ? val : "", names);
            a->popt.profile = argv[++i];
        } else if (!strcmp(s, "--resume")) {
            a->resume = 1;
        } else if (!strcmp(s, "--no-split")) {
            a->no_split = 1;
        } else if (!strcmp(s, "--dry-run")) {
            a->dry_run = 1;
        } else if (!strcmp(s, "--ranks")) {
            if (!val || repro_cli_parse_u64(val, &a->dry_ranks) || a->dry_ranks < 1 || a->dry_ranks > 1000000)
                return USAGE("--ranks needs a whole number in [1, 1000000]");
            i++;
        } else if (s[0] == '-' && s[1]) {
            return USAGE("unknown option '%s' (see 'repro_mpi %s --help')", s, cmd);
        } else if (paper) {
            return USAGE("unexpected argument '%s' (the paper's job files are built in)", s);
        } else {
            if (a->n_files == (int)(sizeof a->files / sizeof a->files[0]))
                return USAGE("too many job files");
            a->files[a->n_files++] = s;
        }
    }
    if (a->threads < 1 || a->threads > 1024)
        return USAGE("--threads must be in [1, 1024]");
    if (a->dry_ranks && !a->dry_run)
        return USAGE("--ranks goes with --dry-run (a run uses the ranks mpirun starts)");
    if (!paper && a->n_files == 0)
        return USAGE("no job file given (usage: repro_mpi run JOBFILE... [-o results.h5])");
    if (seeds_text) {
        repro_error serr;
        repro_error_clear(&serr);
        if (repro_plan_parse_seeds(seeds_text, &a->seeds, &a->popt.n_seeds, &serr))
            return USAGE("%s: %s", seeds_from, serr.msg);
        a->popt.seeds = a->seeds;
    }
#undef USAGE
    a->popt.sets = a->sets;
    return -1;
}

typedef struct progress_state {
    int tty;
    double last_line;
    char banner[512]; /* printed once the results file is open */
} progress_state;

/* Formats seconds as h:mm:ss. */
static void hms(char *buf, size_t size, double s)
{
    if (s < 0) {
        snprintf(buf, size, "?");
        return;
    }
    long t = (long)(s + 0.5);
    snprintf(buf, size, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
}

/* Rank 0's progress: a live line on a terminal, a line every 10 s otherwise. */
static void show_progress(const repro_progress *p, void *user)
{
    progress_state *ps = user;
    if (ps->banner[0]) {
        fprintf(stderr, "%s\n", ps->banner);
        ps->banner[0] = '\0';
    }
    if (!ps->tty && !p->final && p->elapsed - ps->last_line < 10.0)
        return;
    ps->last_line = p->elapsed;
    char el[32], eta[32];
    hms(el, sizeof el, p->elapsed);
    hms(eta, sizeof eta, p->final ? 0 : p->eta);
    char tail[256];
    repro_progress_tail(p, 3, tail, sizeof tail);
    fprintf(stderr, "%s[%zu/%zu] done %zu, failed %zu, elapsed %s, ETA %s%s%s",
            ps->tty ? "\r\033[K" : "", p->done + p->failed, p->total, p->done, p->failed, el, eta, tail,
            ps->tty ? (p->final ? "\n" : "   ") : "\n");
    fflush(stderr);
}

/* Rank 0's line about what opening the results file repaired. */
static void show_notice(const char *line, void *user)
{
    (void)user;
    fprintf(stderr, "repro_mpi: %s\n", line);
}

/* Joins argv into one line for the provenance. */
static void command_line(char *buf, size_t size, int argc, char **argv)
{
    size_t at = (size_t)snprintf(buf, size, "repro_mpi");
    for (int i = 0; i < argc && at < size; i++)
        at += (size_t)snprintf(buf + at, size - at, " %s", argv[i]);
}

static int run_plan(MPI_Comm comm, int rank, int size, int argc, char **argv, int paper,
                    const repro_model_type *const *registry, run_args *ap);

/* One line of the dry run's table: the jobs of one experiment x data set x
 * model (over repeats and seeds) and their summed cost estimate. */
typedef struct plan_group {
    const char *exp, *ds, *model;
    size_t jobs;
    double cost;
} plan_group;

/* The dry run's settings: per experiment and model, the parameters that
 * differ from the model's defaults (from the job file, the profile or
 * --set), so what each experiment runs with is visible before it runs. */
static void print_settings(FILE *out, const repro_plan *plan, const char *profile)
{
    fprintf(out, "profile %s; settings other than the models' defaults:\n", profile ? profile : "(none)");
    for (size_t f = 0; f < plan->n_files; f++)
        for (size_t e = 0; e < plan->files[f]->n_experiments; e++) {
            const repro_experiment *x = &plan->files[f]->exp[e];
            for (size_t m = 0; m < x->n_models; m++) {
                const repro_params *p = &x->models[m];
                repro_params def;
                repro_params_defaults(p->type, &def);
                int any = 0;
                for (size_t i = 0; i < p->type->n_params; i++) {
                    if (p->v[i] == def.v[i])
                        continue;
                    const repro_param_def *d = &p->type->params[i];
                    if (!any)
                        fprintf(out, "  %s (%s) %s:", x->name,
                                x->generator == REPRO_GEN_LINEAR ? "linear" : "nonlinear", p->type->name);
                    any = 1;
                    if (d->choices) {
                        const char *c = d->choices;
                        for (int k = 0; k < (int)p->v[i] && strchr(c, '|'); k++)
                            c = strchr(c, '|') + 1;
                        fprintf(out, " %s=%.*s", d->name, (int)strcspn(c, "|"), c);
                    } else {
                        fprintf(out, " %s=%.10g", d->name, p->v[i]);
                    }
                }
                if (any)
                    fputc('\n', out);
            }
        }
}

/* Rank 0's --dry-run output: the plan's jobs grouped by experiment x data
 * set x model in the plan's order, each group's summed cost estimate
 * (seconds on one core), the total, and the expected wall time on `size`
 * ranks. Returns an exit code. */
static int print_plan(FILE *out, const repro_plan *plan, const run_args *a, int paper, int size)
{
    plan_group *g = calloc(plan->n_jobs, sizeof *g);
    if (!g) {
        fprintf(stderr, "repro_mpi: out of memory\n");
        return REPRO_EXIT_FAIL;
    }
    size_t n_g = 0;
    int we = (int)strlen("experiment"), wd = (int)strlen("data set"), wm = (int)strlen("model");
    double total = 0.0;
    for (size_t i = 0; i < plan->n_jobs; i++) {
        const repro_job *j = &plan->jobs[i];
        size_t k = 0;
        while (k < n_g && (strcmp(g[k].exp, j->exp->name) || strcmp(g[k].ds, j->ds->name) ||
                           strcmp(g[k].model, j->params->type->name)))
            k++;
        if (k == n_g) {
            g[n_g++] = (plan_group){j->exp->name, j->ds->name, j->params->type->name, 0, 0.0};
            int le = (int)strlen(j->exp->name), ld = (int)strlen(j->ds->name),
                lm = (int)strlen(j->params->type->name);
            we = le > we ? le : we;
            wd = ld > wd ? ld : wd;
            wm = lm > wm ? lm : wm;
        }
        g[k].jobs++;
        g[k].cost += j->cost;
        total += j->cost;
    }
    char seedtxt[128];
    if (plan->n_seeds > 1) {
        char list[96];
        repro_plan_format_seeds(plan->seeds, plan->n_seeds, list, sizeof list);
        snprintf(seedtxt, sizeof seedtxt, "SEEDS=%s (%zu seeds)", list, plan->n_seeds);
    } else {
        snprintf(seedtxt, sizeof seedtxt, "SEED=%llu", (unsigned long long)plan->seed);
    }
    fprintf(out, "repro_mpi %s --dry-run: %zu jobs (%s, REPEATS=%u); nothing is written\n",
            paper ? "paper" : "run", plan->n_jobs, seedtxt, plan->repeats);
    fprintf(out, "%-*s  %-*s  %-*s  %6s  %14s\n", we, "experiment", wd, "data set", wm, "model", "jobs",
            "est. cost (s)");
    for (size_t k = 0; k < n_g; k++)
        fprintf(out, "%-*s  %-*s  %-*s  %6zu  %14.2f\n", we, g[k].exp, wd, g[k].ds, wm, g[k].model, g[k].jobs,
                g[k].cost);
    fprintf(out, "%-*s  %6zu  %14.2f\n", we + wd + wm + 4, "total", plan->n_jobs, total);
    char wall[32];
    double secs = repro_plan_wall_estimate(plan, size, (int)a->threads);
    hms(wall, sizeof wall, secs);
    fprintf(out, "expected wall time on %d rank%s x %d thread%s: %s (%.2f s; the cost estimates are seconds on "
            "one core)\n", size, size == 1 ? "" : "s", (int)a->threads, a->threads == 1 ? "" : "s", wall, secs);
    print_settings(out, plan, a->popt.profile);
    fprintf(out, "would write %s%s%s%s\n", a->out, a->resume ? " (resuming it)" : "",
            paper ? " and the tables and figures in " : "", paper ? a->output_dir : "");
    fflush(out);
    free(g);
    return REPRO_EXIT_OK;
}

/* The common body of run and paper once MPI is up: parse, plan, run. */
static int run_body(MPI_Comm comm, int rank, int size, int argc, char **argv, int paper,
                    const repro_model_type *const *registry)
{
    run_args a;
    int code = parse_args(argc, argv, paper, rank, &a);
    if (code >= 0) {
        free(a.seeds);
        return code;
    }
    code = run_plan(comm, rank, size, argc, argv, paper, registry, &a);
    free(a.seeds);
    return code;
}

/* Builds the plan of parsed arguments and runs it. */
static int run_plan(MPI_Comm comm, int rank, int size, int argc, char **argv, int paper,
                    const repro_model_type *const *registry, run_args *ap)
{
    run_args a = *ap;
    repro_error e, *err = &e;
    repro_error_clear(&e);
    source src[REPRO_CLI_MAX_ARGS];
    char *blob = NULL;
    int n_src = 0;
    if (paper) {
        for (size_t f = 0; f < REPRO_PAPER_N_JOBS; f++) {
            src[f].name = repro_paper_jobs[f].name;
            src[f].text = repro_paper_jobs[f].text;
        }
        n_src = (int)REPRO_PAPER_N_JOBS;
    } else {
        int rc = repro_jobfiles_share(comm, rank, a.files, a.n_files, src, &blob, &e);
        if (rc)
            return rank ? (rc == REPRO_EINVAL ? REPRO_EXIT_USAGE : REPRO_EXIT_FAIL) : repro_cli_fail(&e);
        n_src = a.n_files;
    }
    repro_jobfile *files[REPRO_CLI_MAX_ARGS];
    int rc = REPRO_OK, n_parsed = 0;
    for (int f = 0; f < n_src && !rc; f++)
        if (!(rc = repro_jobfile_parse(src[f].name, src[f].text, registry, &files[f], &e)))
            n_parsed++;
    free(blob);
    repro_plan *plan = NULL;
    if (rc) {
        for (int f = 0; f < n_parsed; f++)
            repro_jobfile_free(files[f]);
    } else {
        rc = repro_plan_build(files, (size_t)n_parsed, &a.popt, &plan, &e);
    }
    if (rc)
        return rank ? (rc == REPRO_EINVAL ? REPRO_EXIT_USAGE : REPRO_EXIT_FAIL) : repro_cli_fail(&e);
    if (a.dry_run) { /* every rank built the same plan: nothing collective follows */
        int ranks = a.dry_ranks ? (int)a.dry_ranks : size;
        int dry = rank == 0 ? print_plan(stdout, plan, &a, paper, ranks) : REPRO_EXIT_OK;
        repro_plan_free(plan);
        return dry;
    }

    char versions[512], cmdline[2048], start[REPRO_RESULTS_TIME_LEN];
    repro_versions(versions, sizeof versions);
    command_line(cmdline, sizeof cmdline, argc, argv);
    repro_utc_now(start, sizeof start);
    progress_state ps = {isatty(2), 0.0, ""};
    repro_sched_options opt = {(int)a.threads, a.resume, a.out,
                               {cmdline, versions, size, (int)a.threads, start},
                               rank == 0 ? show_progress : NULL, &ps, rank == 0 ? show_notice : NULL,
                               a.no_split, launched_by_mpi};
    char seedtxt[128];
    if (plan->n_seeds > 1) {
        char list[96];
        repro_plan_format_seeds(plan->seeds, plan->n_seeds, list, sizeof list);
        snprintf(seedtxt, sizeof seedtxt, "SEEDS=%s (%zu seeds)", list, plan->n_seeds);
    } else {
        snprintf(seedtxt, sizeof seedtxt, "SEED=%llu", (unsigned long long)plan->seed);
    }
    snprintf(ps.banner, sizeof ps.banner, "repro_mpi %s: %zu jobs (%s, REPEATS=%u) on %d rank%s x %d thread%s -> %s%s",
             paper ? "paper" : "run", plan->n_jobs, seedtxt, plan->repeats, size,
             size == 1 ? "" : "s", (int)a.threads, a.threads == 1 ? "" : "s", a.out,
             a.resume ? " (resuming)" : "");
    repro_sched_summary *sum = NULL;
    REPRO_MPI_CHECK(MPI_Bcast(start, (int)sizeof start, MPI_CHAR, 0, comm));
    sum = calloc(1, sizeof *sum);
    if (!sum) {
        repro_plan_free(plan);
        return REPRO_EXIT_FAIL;
    }
    rc = repro_sched_run(comm, plan, &opt, sum, &e);
    int exit_code = REPRO_EXIT_OK;
    if (rank == 0) {
        const repro_progress *p = &sum->last;
        if (rc) {
            exit_code = repro_cli_fail(&e);
        } else {
            fprintf(stderr, "%zu jobs: %zu done, %zu failed", p->total, p->done, p->failed);
            if (p->skipped)
                fprintf(stderr, ", %zu already done before this run", p->skipped);
            fprintf(stderr, "; results in %s\n", a.out);
            if (sum->split_jobs)
                fprintf(stderr, "  split into tasks: %zu jobs, %zu tasks (%zu on ranks other than 0)\n",
                        sum->split_jobs, sum->tasks, sum->tasks_elsewhere);
            if (sum->ranks > 0 && sum->wall_seconds > 0 && p->total > 0)
                fprintf(stderr, "  ranks busy: %.1f of %d x %.1f s (efficiency %.3f)\n", sum->busy_seconds,
                        sum->ranks, sum->wall_seconds, sum->busy_seconds / (sum->ranks * sum->wall_seconds));
            for (size_t i = 0; i < p->failed && i < REPRO_SCHED_FAILURES; i++) {
                const repro_job *j = &plan->jobs[sum->failures[i].job];
                char sd[40] = "";
                if (plan->n_seeds > 1)
                    snprintf(sd, sizeof sd, "seed %llu / ", (unsigned long long)j->seed);
                fprintf(stderr, "  failed: job %u (%s%s / %s / repeat %u / %s): %s\n", j->id, sd,
                        j->exp->name, j->ds->name, j->repeat, j->params->type->name,
                        sum->failures[i].message);
            }
            if (p->failed > REPRO_SCHED_FAILURES)
                fprintf(stderr, "  ... and %zu more (see 'repro_mpi info %s')\n",
                        p->failed - REPRO_SCHED_FAILURES, a.out);
            if (p->failed)
                exit_code = REPRO_EXIT_FAIL;
            if (paper) {
                /* The tables, figures and report, also from a run with failed
                 * jobs (their cells print "-"). */
                repro_error re;
                repro_error_clear(&re);
                if (repro_reduce_paper(a.out, a.output_dir, stderr, &re))
                    exit_code = repro_cli_fail(&re);
            }
        }
    }
    REPRO_MPI_CHECK(MPI_Bcast(&exit_code, 1, MPI_INT, 0, comm));
    free(sum);
    repro_plan_free(plan);
    return exit_code;
fail:
    free(sum);
    repro_plan_free(plan);
    return repro_cli_fail(&e);
}

/* Starts MPI (unless already started), runs, and finalizes what it started.
 * Whether an MPI launcher started this process is read before MPI_Init:
 * a singleton's MPI_Init sets the launcher's variables too. */
static int with_mpi(int argc, char **argv, int paper, const repro_model_type *const *registry)
{
    int inited = 0, provided = 0;
    launched_by_mpi = getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMI_RANK") || getenv("PMIX_RANK");
    if (MPI_Initialized(&inited) != MPI_SUCCESS ||
        (!inited && MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)) {
        fprintf(stderr, "repro_mpi: MPI_Init_thread failed\n");
        return REPRO_EXIT_FAIL;
    }
    int rank = 0, size = 1, code = REPRO_EXIT_FAIL;
    repro_error e, *err = &e;
    repro_error_clear(&e);
    REPRO_MPI_CHECK(MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN));
    REPRO_MPI_CHECK(MPI_Comm_rank(MPI_COMM_WORLD, &rank));
    REPRO_MPI_CHECK(MPI_Comm_size(MPI_COMM_WORLD, &size));
    code = run_body(MPI_COMM_WORLD, rank, size, argc, argv, paper, registry);
    goto done;
fail:
    code = repro_cli_fail(&e);
done:
    if (!inited)
        MPI_Finalize();
    return code;
}

int repro_cli_run_with(int argc, char **argv, const repro_model_type *const *registry)
{
    return with_mpi(argc, argv, 0, registry);
}

int repro_cmd_run(int argc, char **argv)
{
    return with_mpi(argc, argv, 0, repro_models);
}

int repro_cmd_paper(int argc, char **argv)
{
    return with_mpi(argc, argv, 1, repro_models);
}
