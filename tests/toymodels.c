/* toymodels.c - the test models Corr and Fail and a job file over them (see
 * toymodels.h). */
#include "toymodels.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>

#include "repro/cli.h"
#include "testutil.h"


typedef struct corr_settings {
    size_t perms;
    double alpha, strong;
    size_t max_d;
} corr_settings;

static void corr_defaults(void *settings)
{
    corr_settings *s = settings;
    s->perms = 20;
    s->alpha = 0.05;
    s->strong = 0.5;
    s->max_d = 1000000;
}

#define CORR_PARAM(NAME, FIELD, KIND, MIN, MAX, HELP) \
    REPRO_PARAM(NAME, corr_settings, FIELD, KIND, MIN, MAX, NULL, HELP)
static const repro_param_def corr_params[] = {
    CORR_PARAM("perms", perms, SIZE, 1, 1e7, "label permutations per feature"),
    CORR_PARAM("alpha", alpha, DOUBLE, 0, 1, "p-value below which a feature is relevant"),
    CORR_PARAM("strong", strong, DOUBLE, 0, 10, "|correlation| above which a relevant feature is strong"),
    CORR_PARAM("max_d", max_d, SIZE, 1, 1e6, "most features the model accepts"),
};

static double corr_cost(size_t n, size_t d)
{
    return (double)n * (double)d;
}

/* |mean of x_j * y| over the rows, with y permuted by perm (or not). */
static double corr(const repro_dataset *ds, size_t j, const size_t *perm)
{
    double s = 0;
    for (size_t i = 0; i < ds->n; i++)
        s += ds->X[i * ds->d + j] * ds->y[perm ? perm[i] : i];
    return fabs(s / (double)ds->n);
}

static int corr_fit(const repro_dataset *ds, const repro_params *p, repro_rng *rng, int threads,
                    repro_fit_result *out, repro_error *err)
{
    size_t d = ds->d, n = ds->n;
    if ((double)d > repro_params_get(p, "max_d"))
        return repro_error_set(err, REPRO_EFAIL, "cannot handle %zu features (max_d=%g)", d,
                               repro_params_get(p, "max_d"));
    int rc = repro_fit_result_init(out, d, err);
    if (rc)
        return rc;
    out->importance = calloc(d, sizeof *out->importance);
    out->bounds = calloc(2 * d, sizeof *out->bounds);
    double *pmax = calloc(d, sizeof *pmax);
    size_t *perm = malloc(n * (size_t)threads * sizeof *perm);
    if (!out->importance || !out->bounds || !pmax || !perm) {
        free(pmax);
        free(perm);
        return repro_error_set(err, REPRO_ENOMEM, "out of memory");
    }
    long perms = (long)repro_params_get(p, "perms");
    double alpha = repro_params_get(p, "alpha"), strong = repro_params_get(p, "strong");
    repro_rng base;
    repro_rng_split(rng, &base);
#pragma omp parallel for num_threads(threads) schedule(static)
    for (long jj = 0; jj < (long)d; jj++) {
        size_t j = (size_t)jj;
        int t = 0;
#ifdef _OPENMP
        t = omp_get_thread_num();
#endif
        size_t *pm = perm + (size_t)t * n;
        repro_rng r;
        repro_rng_child(&r, &base, j);
        double c = corr(ds, j, NULL), mx = 0;
        long above = 0;
        for (long k = 0; k < perms; k++) {
            repro_rng_permutation(&r, pm, n);
            double cp = corr(ds, j, pm);
            above += cp >= c;
            if (cp > mx)
                mx = cp;
        }
        double pval = (double)(above + 1) / (double)(perms + 1);
        out->importance[j] = c;
        out->bounds[2 * j] = pval < alpha && c > strong ? c : 0.0;
        out->bounds[2 * j + 1] = c;
        out->relevance[j] = pval < alpha ? (c > strong ? 2 : 1) : 0;
        pmax[j] = mx;
    }
    double sum = 0, shadow[2] = {INFINITY, 0};
    double ar[64];
    size_t n_ar = 0;
    for (size_t j = 0; j < d; j++) {
        sum += out->importance[j];
        shadow[0] = fmin(shadow[0], pmax[j]);
        shadow[1] = fmax(shadow[1], pmax[j]);
        if (out->relevance[j] && n_ar < 64)
            ar[n_ar++] = (double)j;
    }
    out->train_score = sum / (double)d;
    free(pmax);
    free(perm);
    if ((rc = repro_fit_result_add(out, "shadow_bounds", shadow, 2, 0, err)) ||
        (rc = repro_fit_result_add(out, "AR", ar, n_ar, 1, err)))
        return rc;
    return REPRO_OK;
}

const repro_model_type model_corr = {"Corr", "permutation-tested correlation", corr_params, 4, 2,
                                            corr_cost, corr_fit, sizeof(corr_settings), corr_defaults, NULL, NULL, NULL};
const repro_model_type model_fail = {"Fail", "Corr that gives up on wide data", corr_params, 4, 2,
                                            corr_cost, corr_fit, sizeof(corr_settings), corr_defaults, NULL, NULL, NULL};
const repro_model_type *const toy_models[] = {&model_corr, &model_fail, NULL};

const char *const good_file =
    "; comment\n"
    "[experiment lin]\n"
    "generator = linear\n"
    "data = per_repeat\n"
    "repeats = 3\n"
    "models = Corr, Fail\n"
    "Corr.perms = 7\n"
    "\n"
    "[dataset A]\n"
    "n = 30\n"
    "strong = 2\n"
    "weak = 2\n"
    "irrelevant = 1\n"
    "[dataset B]\n"
    "n = 40\n"
    "strong = 1\n"
    "weak = 0\n"
    "irrelevant = 3\n"
    "noise = 0.5\n"
    "[experiment nl]\n"
    "generator = nonlinear\n"
    "data = once\n"
    "repeats = 2\n"
    "models = Corr\n"
    "[dataset N]\n"
    "n = 50\n"
    "features = 8\n"
    "strong = 2\n"
    "weak = 2\n";

repro_jobfile *parse_ok(const char *name, const char *text)
{
    repro_jobfile *jf = NULL;
    repro_error err;
    repro_error_clear(&err);
    REPRO_ASSERT_OK(repro_jobfile_parse(name, text, toy_models, &jf, &err), &err);
    return jf;
}

const char *const run_file =
    "[experiment lin]\n"
    "generator = linear\n"
    "data = per_repeat\n"
    "repeats = 2\n"
    "models = Corr, Fail\n"
    "Fail.max_d = 5\n"
    "[dataset narrow]\n"
    "n = 40\nstrong = 2\nweak = 1\nirrelevant = 1\n"
    "[dataset wide]\n"
    "n = 40\nstrong = 2\nweak = 2\nirrelevant = 3\n";

int run_cli(const char *jobfile, const char *out, const char *extra)
{
    char *argv[8] = {"run", (char *)jobfile, "-o", (char *)out, NULL, NULL, NULL, NULL};
    int argc = 4;
    if (extra)
        argv[argc++] = (char *)extra;
    return repro_cli_run_with(argc, argv, toy_models);
}
