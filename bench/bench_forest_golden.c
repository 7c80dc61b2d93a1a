/* bench_forest_golden.c - fingerprints of fitted forests, to check that a
 * change of the forest code leaves every model byte-identical.
 *
 * Usage: bench_forest_golden
 * Prints one line per (data set, settings): a 64-bit FNV-1a hash of the
 * serialized forest (every split, leaf value and importance, plus the
 * training accuracy) and a hash of the raw-row and binned-row predictions.
 * Compare the output of two builds with diff; tests/e2e_forest_golden.sh
 * compares it with the recorded tests/golden/forest_golden.txt. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "benchutil.h"
#include "repro/data.h"
#include "repro/forest.h"

/* 64-bit FNV-1a of len bytes, continuing from h. */
static uint64_t fnv1a(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ull;
    }
    return h;
}

/* One named setting of the forest parameters. */
typedef struct setting {
    const char *name;
    double ff, bf;
    int train_accuracy, random_ties, depth, leaves;
    size_t min_child, trees;
} setting;

/* Fits ds under setting st with `threads` threads and prints its hashes. */
static int run(const char *dname, const repro_dataset *ds, const setting *st, int threads)
{
    repro_forest_params p;
    repro_forest_params_default(&p);
    p.feature_fraction = st->ff;
    p.bagging_fraction = st->bf;
    p.train_accuracy = st->train_accuracy;
    p.random_ties = st->random_ties;
    p.max_depth = st->depth;
    p.num_leaves = st->leaves;
    p.min_child_rows = st->min_child;
    p.n_trees = st->trees;
    repro_rng rng;
    repro_rng_seed(&rng, 4242, 7);
    repro_forest *f = NULL;
    repro_error err;
    if (repro_forest_fit(ds->X, ds->n, ds->d, ds->y, &p, &rng, threads, &f, &err)) {
        fprintf(stderr, "fit: %s\n", err.msg);
        return 1;
    }
    unsigned char *buf = NULL;
    size_t len = 0;
    double *score = malloc(sizeof *score * ds->n);
    repro_forest_bins *bins = NULL;
    int rc = !score || repro_forest_serialize(f, &buf, &len, &err) ||
             repro_forest_predict(f, ds->X, ds->n, ds->d, score, &err) ||
             repro_forest_bins_build(ds->X, ds->n, ds->d, p.max_bins, p.min_data_in_bin, &bins, &err);
    if (!rc) {
        uint64_t hm = fnv1a(1469598103934665603ull, buf, len);
        uint64_t hp = fnv1a(1469598103934665603ull, score, sizeof *score * ds->n);
        rc = repro_forest_predict_bins(f, bins, score, &err);
        uint64_t hb = fnv1a(1469598103934665603ull, score, sizeof *score * ds->n);
        if (!rc)
            printf("%-9s %-10s threads=%d model=%016" PRIx64 " predict=%016" PRIx64
                   " predict_bins=%016" PRIx64 " bytes=%zu acc=%.17g\n",
                   dname, st->name, threads, hm, hp, hb, len, f->train_accuracy);
    }
    if (rc)
        fprintf(stderr, "golden: %s\n", err.msg);
    free(buf);
    free(score);
    repro_forest_bins_free(bins);
    repro_forest_free(f);
    return rc;
}

int main(void)
{
    static const setting settings[] = {
        {"default", 1.0, 0.632, 1, 0, 5, 32, 20, 100},
        {"ff0.8", 0.8, 0.632, 1, 0, 5, 32, 20, 100},
        {"ff0.1", 0.1, 0.632, 0, 0, 5, 32, 20, 100},
        {"ties", 0.5, 0.632, 1, 1, 5, 32, 20, 50},
        {"deep", 1.0, 1.0, 1, 0, 12, 200, 1, 20},
        {"small", 0.3, 0.5, 1, 0, 3, 6, 5, 30},
    };
    repro_dataset *ds[4] = {bench_linear_data(150, 6, 6, 12, 1), bench_linear_data(2000, 10, 10, 120, 2),
                            bench_linear_data(2000, 10, 10, 50, 3), bench_linear_data(256, 6, 6, 6, 5)};
    const char *names[4] = {"150x24", "2000x140", "2000x70", "256x18"};
    int rc = 0;
    for (int k = 0; k < 4 && !rc; k++)
        for (size_t s = 0; s < sizeof settings / sizeof settings[0] && !rc; s++)
            rc = run(names[k], ds[k], &settings[s], 1);
    for (int k = 0; k < 2 && !rc; k++)
        rc = run(names[k], ds[k], &settings[0], 2);
    /* more than 46340 bagged rows: the double-precision screening */
    static const setting large = {"large", 1.0, 0.632, 1, 0, 5, 32, 20, 3};
    repro_dataset *big = bench_linear_data(80000, 2, 1, 2, 6);
    if (!rc)
        rc = run("80000x5", big, &large, 1);
    repro_dataset_free(big);
    for (int k = 0; k < 4; k++)
        repro_dataset_free(ds[k]);
    return rc;
}
