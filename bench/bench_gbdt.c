/* bench_gbdt.c - speed of the boosted trees (gbdt.h) against the code before
 * the histogram and split-search changes, with the same bits required.
 *
 *   bench_gbdt fit [SPEC] [--rounds R] [--seed S]
 *   bench_gbdt sq OLD_BINARY NEW_BINARY [SPEC] [--rounds R] [--seed S]
 *
 * `fit` (default SPEC like Set 8: linear:n=2000,strong=10,weak=10,
 * irrelevant=50) bins one generated data set as SQ does and, R rounds
 * (default 5), fits the boosted trees with the reference code (gbdt_ref.c,
 * the fit as of d6c95eb) and the library's, alternated, on all columns (SQ's
 * minimal model) and with a permuted copy of column 0 appended (a shadow
 * resample); every pair of models must agree bit for bit (every tree field,
 * importances, initial score, training accuracy), else it stops with exit 1.
 * Prints the median CPU seconds of each and the ratio.
 *
 * `sq` runs `OLD fit SQ SPEC --json` and `NEW fit SQ ...` with the published
 * runs' settings (minimal_model=gbdt, mr_fit=last_resample, test=lower,
 * fpr=1e-4 and step 5's forest: feature_fraction=0.1, min_child_rows=20,
 * num_leaves=31, max_depth=30), alternated R rounds (default 3), and prints
 * each one's median CPU seconds (user + system of the child) and the ratio;
 * both outputs must be the same bytes apart from runtime_s, else exit 1. */
#define _DEFAULT_SOURCE /* wait4 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "benchutil.h"
#include "gbdt_ref.h"
#include "repro/sq_stage.h"

#define MAX_ROUNDS 25

/* Prints the failure and stops the benchmark. */
static void die(const char *what, const char *msg)
{
    fprintf(stderr, "bench_gbdt: %s: %s\n", what, msg);
    exit(1);
}

/* Whether two models are the same bits: every field of every tree, the
 * importances, the initial score and the training accuracy. */
static int same_model(const repro_gbdt *a, const repro_gbdt *b)
{
    if (a->d != b->d || a->n_trees != b->n_trees || memcmp(&a->init_score, &b->init_score, sizeof(double)) ||
        memcmp(&a->train_accuracy, &b->train_accuracy, sizeof(double)) ||
        memcmp(a->gain_importance, b->gain_importance, a->d * sizeof(double)) ||
        memcmp(a->split_importance, b->split_importance, a->d * sizeof(double)))
        return 0;
    for (size_t t = 0; t < a->n_trees; t++) {
        const repro_forest_tree *x = &a->trees[t], *y = &b->trees[t];
        size_t L = (size_t)x->n_leaves;
        if (x->n_leaves != y->n_leaves || memcmp(x->split_feature, y->split_feature, (L - 1) * sizeof(int)) ||
            memcmp(x->split_bin, y->split_bin, (L - 1) * sizeof(int)) ||
            memcmp(x->threshold, y->threshold, (L - 1) * sizeof(double)) ||
            memcmp(x->split_gain, y->split_gain, (L - 1) * sizeof(double)) ||
            memcmp(x->left, y->left, (L - 1) * sizeof(int)) || memcmp(x->right, y->right, (L - 1) * sizeof(int)) ||
            memcmp(x->leaf_value, y->leaf_value, L * sizeof(double)) ||
            memcmp(x->leaf_count, y->leaf_count, L * sizeof(int)) ||
            memcmp(x->leaf_depth, y->leaf_depth, L * sizeof(int)))
            return 0;
    }
    return 1;
}

/* One fit with the reference (ref) or the library's code; its CPU seconds. */
static double timed_fit(int ref, const repro_forest_bins *b, const int *y, const repro_gbdt_params *p,
                        repro_gbdt **m)
{
    repro_error err;
    double t0 = bench_cpu_now();
    int rc = ref ? bench_gbdt_ref_fit_bins(b, y, p, m, &err) : repro_gbdt_fit_bins(b, y, p, m, &err);
    double t = bench_cpu_now() - t0;
    if (rc)
        die("fit", err.msg);
    return t;
}

/* `fit`: reference against library on the minimal model's bins and on a
 * resample's (column 0 permuted and appended), R alternated rounds. */
static int bench_fit(const char *spec_text, int rounds, uint64_t seed)
{
    repro_gen_spec spec;
    repro_error err;
    repro_rng rng;
    repro_dataset *ds = NULL;
    if (repro_gen_spec_parse(spec_text, &spec, &err))
        die("spec", err.msg);
    repro_rng_seed(&rng, seed, 1);
    if (repro_generate(&rng, &spec, &ds, &err))
        die("data", err.msg);
    repro_standardize(ds);
    repro_sq_params sp;
    repro_sq_params_default(&sp);
    repro_forest_bins *bins = NULL, *ext = NULL;
    if (repro_sq_bins(ds, &sp, &bins, &err) || repro_forest_bins_select(bins, NULL, 0, NULL, 0, 1, &ext, &err))
        die("bins", err.msg);
    size_t *perm = malloc(ds->n * sizeof *perm);
    if (!perm)
        die("memory", "out of memory");
    repro_rng_permutation(&rng, perm, ds->n);
    repro_forest_bins_set_permuted(ext, ds->d, bins, 0, perm);
    printf("gbdt fit (LightGBM defaults: 100 rounds, 31 leaves) on %s, %zu x %zu; %d rounds, CPU seconds\n",
           spec_text, ds->n, ds->d, rounds);
    printf("%-22s %10s %10s %8s  %s\n", "data", "old_s", "new_s", "old/new", "bits");
    const repro_forest_bins *sets[2] = {bins, ext};
    const char *names[2] = {"all columns", "+ permuted column 0"};
    for (int s = 0; s < 2; s++) {
        double t_old[MAX_ROUNDS], t_new[MAX_ROUNDS];
        for (int r = 0; r < rounds; r++) {
            repro_gbdt *a = NULL, *b = NULL;
            /* alternate which goes first, so drifting load hits both alike */
            if (r % 2 == 0) {
                t_old[r] = timed_fit(1, sets[s], ds->y, &sp.gbdt, &a);
                t_new[r] = timed_fit(0, sets[s], ds->y, &sp.gbdt, &b);
            } else {
                t_new[r] = timed_fit(0, sets[s], ds->y, &sp.gbdt, &b);
                t_old[r] = timed_fit(1, sets[s], ds->y, &sp.gbdt, &a);
            }
            if (!same_model(a, b))
                die(names[s], "the models differ");
            repro_gbdt_free(a);
            repro_gbdt_free(b);
        }
        double mo = bench_median(t_old, (size_t)rounds), mn = bench_median(t_new, (size_t)rounds);
        printf("%-22s %10.3f %10.3f %8.2f  same\n", names[s], mo, mn, mo / mn);
    }
    free(perm);
    repro_forest_bins_free(bins);
    repro_forest_bins_free(ext);
    repro_dataset_free(ds);
    return 0;
}

/* Runs `bin fit SQ spec --seed seed --json` with the published runs'
 * settings; returns its output (malloc'd, runtime_s removed) and sets *cpu
 * to the child's user + system seconds. */
static char *run_sq(const char *bin, const char *spec, const char *seed, double *cpu)
{
    static const char *set[] = {"SQ.minimal_model=gbdt", "SQ.mr_fit=last_resample", "SQ.test=lower",
                                "SQ.fpr=1e-4",           "SQ.feature_fraction=0.1", "SQ.min_child_rows=20",
                                "SQ.num_leaves=31",      "SQ.max_depth=30"};
    const char *argv[40];
    int k = 0;
    argv[k++] = bin;
    argv[k++] = "fit";
    argv[k++] = "SQ";
    argv[k++] = spec;
    argv[k++] = "--seed";
    argv[k++] = seed;
    argv[k++] = "--json";
    argv[k++] = "--max-cost";
    argv[k++] = "0";
    for (size_t i = 0; i < sizeof set / sizeof *set; i++) {
        argv[k++] = "--set";
        argv[k++] = set[i];
    }
    argv[k] = NULL;
    int fd[2];
    if (pipe(fd))
        die("pipe", "failed");
    pid_t pid = fork();
    if (pid < 0)
        die("fork", "failed");
    if (pid == 0) {
        dup2(fd[1], 1);
        close(fd[0]);
        close(fd[1]);
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    close(fd[1]);
    size_t len = 0, cap = 1 << 16;
    char *buf = malloc(cap);
    ssize_t got;
    while (buf && (got = read(fd[0], buf + len, cap - len - 1)) > 0) {
        len += (size_t)got;
        if (cap - len < 2) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb)
                free(buf);
            buf = nb;
        }
    }
    close(fd[0]);
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || !buf)
        die(bin, "fit SQ failed");
    buf[len] = 0;
    *cpu = (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_sec +
           1e-6 * (double)ru.ru_stime.tv_usec;
    char *p = strstr(buf, "\"runtime_s\":");
    if (p) {
        char *e = p + strlen("\"runtime_s\":");
        while (*e && *e != ',' && *e != '}')
            e++;
        if (*e == ',')
            e++;
        memmove(p, e, strlen(e) + 1);
    }
    return buf;
}

/* `sq`: the two binaries' SQ fits, alternated. */
static int bench_sq(const char *old_bin, const char *new_bin, const char *spec, int rounds, const char *seed)
{
    double t_old[MAX_ROUNDS], t_new[MAX_ROUNDS];
    printf("fit SQ %s --seed %s, published runs' settings (minimal_model=gbdt); %d rounds, CPU seconds\n", spec,
           seed, rounds);
    for (int r = 0; r < rounds; r++) {
        char *a, *b;
        if (r % 2 == 0) {
            a = run_sq(old_bin, spec, seed, &t_old[r]);
            b = run_sq(new_bin, spec, seed, &t_new[r]);
        } else {
            b = run_sq(new_bin, spec, seed, &t_new[r]);
            a = run_sq(old_bin, spec, seed, &t_old[r]);
        }
        if (strcmp(a, b))
            die(spec, "the two binaries' outputs differ");
        printf("  round %d: old %.2f s, new %.2f s, same output\n", r + 1, t_old[r], t_new[r]);
        fflush(stdout);
        free(a);
        free(b);
    }
    double mo = bench_median(t_old, (size_t)rounds), mn = bench_median(t_new, (size_t)rounds);
    printf("median: old %.2f s, new %.2f s, old/new %.2f\n", mo, mn, mo / mn);
    return 0;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "fit";
    const char *pos[3] = {NULL, NULL, NULL};
    int npos = 0, rounds = -1;
    const char *seed = "1";
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
            rounds = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
            seed = argv[++i];
        else if (npos < 3)
            pos[npos++] = argv[i];
        else
            die("usage", "too many arguments");
    }
    const char *set8 = "linear:n=2000,strong=10,weak=10,irrelevant=50";
    if (!strcmp(mode, "fit")) {
        rounds = rounds < 0 ? 5 : rounds;
        if (rounds < 1 || rounds > MAX_ROUNDS)
            die("usage", "--rounds must be in [1, 25]");
        return bench_fit(npos > 0 ? pos[0] : set8, rounds, strtoull(seed, NULL, 10));
    }
    if (!strcmp(mode, "sq") && npos >= 2) {
        rounds = rounds < 0 ? 3 : rounds;
        if (rounds < 1 || rounds > MAX_ROUNDS)
            die("usage", "--rounds must be in [1, 25]");
        return bench_sq(pos[0], pos[1], npos > 2 ? pos[2] : set8, rounds, seed);
    }
    fprintf(stderr, "usage: bench_gbdt fit [SPEC] [--rounds R] [--seed S]\n"
                    "       bench_gbdt sq OLD_BINARY NEW_BINARY [SPEC] [--rounds R] [--seed S]\n");
    return 2;
}
