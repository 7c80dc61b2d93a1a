/* test_run.c - job files, plans, the results file and the scheduler, on two
 * small models defined here (so the runner is tested whatever models are
 * registered):
 *   Corr  - permutation test of each feature's correlation with the label;
 *           classes, importances, bounds and extras; OpenMP over features
 *           with one child stream per feature, so results do not depend on
 *           the thread count; `perms` sets the work.
 *   Fail  - the same, but gives up (REPRO_EFAIL) on more than `max_d`
 *           features: a data set that makes the solver fail.
 * Run without arguments it is a CUnit program. `test_run run ...` and
 * `test_run info ...` behave as `repro_mpi run/info` with these models, for
 * the end-to-end scripts (tests/e2e_runner_*.sh) under mpirun. */
#include <math.h>
#include <mpi.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "repro/cli.h"
#include "repro/cli_util.h"
#include "repro/jobfile.h"
#include "repro/plan.h"
#include "repro/record.h"
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

static const repro_model_type model_corr = {"Corr", "permutation-tested correlation", corr_params, 4, 2,
                                            corr_cost, corr_fit, sizeof(corr_settings), corr_defaults, NULL};
static const repro_model_type model_fail = {"Fail", "Corr that gives up on wide data", corr_params, 4, 2,
                                            corr_cost, corr_fit, sizeof(corr_settings), corr_defaults, NULL};
static const repro_model_type *const toy_models[] = {&model_corr, &model_fail, NULL};

/* ---- job files ---- */

static const char *good_file =
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

static repro_jobfile *parse_ok(const char *name, const char *text)
{
    repro_jobfile *jf = NULL;
    repro_error err;
    repro_error_clear(&err);
    REPRO_ASSERT_OK(repro_jobfile_parse(name, text, toy_models, &jf, &err), &err);
    return jf;
}

static void test_jobfile_good(void)
{
    repro_jobfile *jf = parse_ok("good.ini", good_file);
    CU_ASSERT_EQUAL_FATAL(jf->n_experiments, 2);
    const repro_experiment *e = &jf->exp[0];
    CU_ASSERT_STRING_EQUAL(e->name, "lin");
    CU_ASSERT_EQUAL(e->line, 2);
    CU_ASSERT_EQUAL(e->generator, REPRO_GEN_LINEAR);
    CU_ASSERT_EQUAL(e->data, REPRO_DATA_PER_REPEAT);
    CU_ASSERT_EQUAL(e->repeats, 3);
    CU_ASSERT_EQUAL_FATAL(e->n_models, 2);
    CU_ASSERT_EQUAL(e->models[0].type, &model_corr);
    CU_ASSERT_EQUAL(repro_params_get(&e->models[0], "perms"), 7);
    CU_ASSERT_EQUAL(repro_params_get(&e->models[1], "perms"), 20); /* override is per model */
    CU_ASSERT_EQUAL_FATAL(e->n_datasets, 2);
    CU_ASSERT_STRING_EQUAL(e->datasets[1].name, "B");
    CU_ASSERT_EQUAL(e->datasets[1].line, 14);
    CU_ASSERT_EQUAL(e->datasets[0].spec.noise, 0.0);
    CU_ASSERT_EQUAL(e->datasets[1].spec.noise, 0.5);
    const repro_experiment *x = &jf->exp[1];
    CU_ASSERT_EQUAL(x->data, REPRO_DATA_ONCE);
    CU_ASSERT_EQUAL(x->datasets[0].spec.kind, REPRO_GEN_NONLINEAR);
    CU_ASSERT_EQUAL(x->datasets[0].spec.irrelevant, 4); /* features - strong - weak */
    CU_ASSERT_EQUAL(x->datasets[0].spec.noise, 0.1);    /* the non-linear default */
    repro_jobfile_free(jf);
}

/* Each bad input: the expected "file:line:" prefix and a word of the message. */
static void test_jobfile_bad(void)
{
    static const char *head = "[experiment e]\ngenerator = linear\ndata = once\nrepeats = 2\nmodels = Corr\n";
    static const char *ds = "[dataset S]\nn = 30\nstrong = 1\nweak = 0\nirrelevant = 2\n";
    static const struct { const char *text; const char *where; const char *what; } cases[] = {
        {"[experiment e]\ngenerator = linear\ndata = once\nrepeats = 2\nmodels = Corr\nbogus = 1\n", "bad.ini:6:",
         "unknown key 'bogus'"},
        {"[experiment e]\ngenerator = linear\ndata = once\nrepeats = two\nmodels = Corr\n", "bad.ini:4:",
         "bad number 'two'"},
        {"[experiment e]\ngenerator = linear\ndata = once\nrepeats = 2\nmodels = Corr, Nope\n", "bad.ini:5:",
         "unknown model 'Nope'"},
        {"[experiment e]\ngenerator = linear\ndata = once\nrepeats = 2\nmodels = Corr\nCorr.nope = 3\n",
         "bad.ini:6:", "unknown parameter 'nope'"},
        {"[experiment e]\ngenerator = linear\ndata = once\nrepeats = 2\nmodels = Corr\nCorr.perms = -4\n",
         "bad.ini:6:", "perms"},
        {"[experiment e]\ngenerator = linear\ndata = once\nrepeats = 2\nmodels = Corr\nFail.perms = 4\n",
         "bad.ini:6:", "not in this experiment"},
        {"[experiment e]\ngenerator = linear\ndata = once\nmodels = Corr\n[dataset S]\nn=3\n", "bad.ini:1:",
         "missing the key 'repeats'"},
        {"[experiment e]\ngenerator = cubic\n", "bad.ini:2:", "generator 'cubic'"},
        {"[experimnt e]\ngenerator = linear\n", "bad.ini:1:", "unknown section"},
        {"n = 3\n", "bad.ini:1:", "outside any section"},
        {"[experiment e]\ngenerator = linear\ndata = once\nrepeats = 2\nmodels = Corr\n\n"
         "[dataset S]\nn = 30\nstrong = 1\nweak = 0\nirrelevant = 2\n[dataset S]\nn = 30\n",
         "bad.ini:12:", "duplicate data set 'S'"},
        {"[experiment e]\ngenerator = linear\ndata = once\nrepeats = 2\nmodels = Corr\n"
         "[dataset S]\nn = 30\nstrong = 1\nirrelevant = 2\n",
         "bad.ini:6:", "missing the key 'weak'"},
        {"[experiment e]\ngenerator = linear\ndata = once\nrepeats = 2\nmodels = Corr\n"
         "[dataset S]\nn = 30\nstrong = 1\nweak = 0\nirrelevant = 2\nn = 31\n",
         "bad.ini:11:", "given twice"},
        {"[experiment e]\ngenerator = linear\ndata = once\nrepeats = 2\nmodels = Corr\n"
         "[dataset S]\nn = 1\nstrong = 1\nweak = 0\nirrelevant = 2\n",
         "bad.ini:6:", "n=1"},
        {"[experiment e]\ngenerator = linear\ndata = once\nrepeats = 2\nmodels = Corr\n", "bad.ini:1:",
         "no [dataset"},
        {"[experiment e]\ngenerator = linear\ndata = once\nrepeats = 2\nmodels = Corr\n[dataset S]\n"
         "n = 30\nstrong = 1\nweak = 0\nirrelevant = 2\n[dataset T]\n",
         "bad.ini:11:", "has no keys"},
        {"[experiment e]\ngenerator = linear\ndata = once\nrepeats = 2\nmodels = Corr\nthis is not ini\n",
         "bad.ini:6:", "syntax error"},
        {"[dataset S]\nn = 30\n", "bad.ini:1:", "before any [experiment"},
    };
    (void)head;
    (void)ds;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        static repro_jobfile sentinel; /* a failed parse must set *out to NULL */
        repro_jobfile *jf = &sentinel;
        repro_error err;
        repro_error_clear(&err);
        int rc = repro_jobfile_parse("bad.ini", cases[i].text, toy_models, &jf, &err);
        int ok = rc == REPRO_EINVAL && jf == NULL && !strncmp(err.msg, cases[i].where, strlen(cases[i].where)) &&
                 strstr(err.msg, cases[i].what) != NULL;
        if (!ok)
            fprintf(stderr, "case %zu: rc=%d msg='%s' (want '%s' ... '%s')\n", i, rc, err.msg, cases[i].where,
                    cases[i].what);
        CU_ASSERT(ok);
        repro_jobfile_free(jf);
    }
}

/* ---- plans ---- */

static repro_plan *plan_of(const char *text, const repro_plan_options *opt)
{
    repro_jobfile *jf = parse_ok("good.ini", text);
    repro_plan *plan = NULL;
    repro_error err;
    repro_error_clear(&err);
    REPRO_ASSERT_OK(repro_plan_build(&jf, 1, opt, &plan, &err), &err);
    return plan;
}

static void test_plan_order_and_streams(void)
{
    repro_plan *plan = plan_of(good_file, NULL);
    /* lin: 2 sets x 3 repeats x 2 models; nl: 1 set x 2 repeats x 1 model */
    CU_ASSERT_EQUAL_FATAL(plan->n_jobs, 14);
    CU_ASSERT_EQUAL(plan->seed, REPRO_DEFAULT_SEED);
    CU_ASSERT_EQUAL(plan->repeats, 3);
    CU_ASSERT_EQUAL(plan->max_d, 8);
    const repro_job *j = plan->jobs;
    CU_ASSERT_STRING_EQUAL(j[0].ds->name, "A");
    CU_ASSERT_EQUAL(j[0].params->type, &model_corr);
    CU_ASSERT_EQUAL(j[1].params->type, &model_fail);
    CU_ASSERT_EQUAL(j[2].repeat, 1);
    CU_ASSERT_STRING_EQUAL(j[6].ds->name, "B");
    CU_ASSERT_STRING_EQUAL(j[12].exp->name, "nl");
    for (size_t i = 0; i < plan->n_jobs; i++)
        CU_ASSERT_EQUAL(j[i].id, i);
    repro_error err;
    repro_error_clear(&err);
    repro_dataset *a = NULL, *b = NULL, *c = NULL;
    /* all models of a repeat see the same data; the next repeat differs */
    REPRO_ASSERT_OK(repro_plan_job_data(plan, &j[0], &a, &err), &err);
    REPRO_ASSERT_OK(repro_plan_job_data(plan, &j[1], &b, &err), &err);
    REPRO_ASSERT_OK(repro_plan_job_data(plan, &j[2], &c, &err), &err);
    CU_ASSERT(memcmp(a->X, b->X, a->n * a->d * sizeof(double)) == 0);
    CU_ASSERT(memcmp(a->X, c->X, a->n * a->d * sizeof(double)) != 0);
    repro_rng r0, r1;
    repro_plan_job_stream(plan, &j[0], &r0);
    repro_plan_job_stream(plan, &j[1], &r1);
    CU_ASSERT(r0.state != r1.state || r0.inc != r1.inc);
    repro_dataset_free(a);
    repro_dataset_free(b);
    repro_dataset_free(c);
    /* "once": both repeats of the NL set get the same data */
    REPRO_ASSERT_OK(repro_plan_job_data(plan, &j[12], &a, &err), &err);
    REPRO_ASSERT_OK(repro_plan_job_data(plan, &j[13], &b, &err), &err);
    CU_ASSERT_EQUAL(j[13].repeat, 1);
    CU_ASSERT(memcmp(a->X, b->X, a->n * a->d * sizeof(double)) == 0);
    repro_dataset_free(a);
    repro_dataset_free(b);
    repro_plan_free(plan);
}

static void test_plan_options(void)
{
    repro_plan_options opt = {.has_seed = 1, .seed = 7, .has_repeats = 1, .repeats = 1, .models = "Fail"};
    repro_plan *plan = plan_of(good_file, &opt);
    CU_ASSERT_EQUAL(plan->seed, 7);
    CU_ASSERT_EQUAL(plan->repeats, 1);
    CU_ASSERT_EQUAL(plan->n_jobs, 2); /* Fail only: sets A and B, one repeat */
    repro_plan *base = plan_of(good_file, NULL);
    CU_ASSERT(plan->fingerprint != base->fingerprint);
    repro_plan_free(plan);
    repro_plan_free(base);

    repro_jobfile *jf = parse_ok("good.ini", good_file);
    repro_plan *p2 = NULL;
    repro_error err;
    repro_error_clear(&err);
    repro_plan_options bad = {.models = "Corr,Nope"};
    CU_ASSERT_EQUAL(repro_plan_build(&jf, 1, &bad, &p2, &err), REPRO_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "Nope"));
    /* the same experiment in two files */
    repro_jobfile *two[2] = {parse_ok("one.ini", good_file), parse_ok("two.ini", good_file)};
    CU_ASSERT_EQUAL(repro_plan_build(two, 2, NULL, &p2, &err), REPRO_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "two.ini:2:"));
}

/* --set MODEL.key=value: every experiment running MODEL, over the file's own
 * override; recorded in the text and the fingerprint; bad settings named. */
static void test_plan_sets(void)
{
    const char *sets[] = {"Corr.perms=9", "Corr.alpha=0.01"};
    repro_plan_options opt = {.sets = sets, .n_sets = 2};
    repro_plan *plan = plan_of(good_file, &opt);
    repro_plan *base = plan_of(good_file, NULL);
    CU_ASSERT_EQUAL_FATAL(plan->n_jobs, base->n_jobs);
    size_t corr = 0;
    for (size_t i = 0; i < plan->n_jobs; i++) {
        const repro_params *p = plan->jobs[i].params;
        if (p->type == &model_corr) {
            corr++;
            CU_ASSERT_EQUAL(repro_params_get(p, "perms"), 9); /* lin's file said 7 */
            CU_ASSERT_EQUAL(repro_params_get(p, "alpha"), 0.01);
        } else {
            CU_ASSERT_EQUAL(repro_params_get(p, "perms"), 20); /* Fail untouched */
        }
    }
    CU_ASSERT(corr > 0 && corr < plan->n_jobs);
    const char *tail = "### SET Corr.perms=9\n### SET Corr.alpha=0.01\n";
    size_t tl = strlen(tail), pl = strlen(plan->text);
    CU_ASSERT(pl > tl && !strcmp(plan->text + pl - tl, tail));
    CU_ASSERT_PTR_NULL(strstr(base->text, "### SET"));
    CU_ASSERT(plan->fingerprint != base->fingerprint);
    repro_plan_free(plan);
    repro_plan_free(base);

    static const struct {
        const char *set, *word;
    } bad[] = {
        {"Corrperms=9", "expected MODEL.key=value"},
        {"Corr.perms", "expected MODEL.key=value"},
        {"Corr.perms=", "expected MODEL.key=value"},
        {".perms=9", "expected MODEL.key=value"},
        {"Nope.perms=9", "'Nope' is not a model of these job files"},
        {"Corr.nope=1", "valid: perms, alpha, strong, max_d"},
        {"Corr.perms=-4", "perms"},
        {"Corr.perms=many", "not a number"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        repro_jobfile *jf = parse_ok("good.ini", good_file);
        repro_plan *p = NULL;
        repro_error err;
        repro_error_clear(&err);
        repro_plan_options o = {.sets = &bad[k].set, .n_sets = 1};
        CU_ASSERT_EQUAL(repro_plan_build(&jf, 1, &o, &p, &err), REPRO_EINVAL);
        CU_ASSERT_PTR_NULL(p);
        if (!strstr(err.msg, bad[k].word) || !strstr(err.msg, bad[k].set))
            fprintf(stderr, "\n  --set %s: message '%s' lacks '%s'\n", bad[k].set, err.msg, bad[k].word);
        CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, bad[k].word));
        CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, bad[k].set));
    }
}

/* ---- running in this process (one rank) ---- */

static const char *run_file =
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

static char tmpdir[256];

static void path_in_tmp(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", tmpdir, name);
}

static int run_cli(const char *jobfile, const char *out, const char *extra)
{
    char *argv[8] = {"run", (char *)jobfile, "-o", (char *)out, NULL, NULL, NULL, NULL};
    int argc = 4;
    if (extra)
        argv[argc++] = (char *)extra;
    return repro_cli_run_with(argc, argv, toy_models);
}

static void test_run_and_read(void)
{
    char job[512], out[512];
    path_in_tmp(job, sizeof job, "run.ini");
    path_in_tmp(out, sizeof out, "run.h5");
    FILE *f = fopen(job, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(run_file, f);
    fclose(f);
    /* the wide set makes Fail fail: recorded, the rest completes, exit 1 */
    CU_ASSERT_EQUAL(run_cli(job, out, NULL), REPRO_EXIT_FAIL);
    repro_result_set *set = NULL;
    repro_error err;
    repro_error_clear(&err);
    REPRO_ASSERT_OK(repro_results_read(out, &set, &err), &err);
    CU_ASSERT_EQUAL_FATAL(set->n, 8);
    CU_ASSERT_EQUAL(set->seed, REPRO_DEFAULT_SEED);
    CU_ASSERT_EQUAL(set->repeats, 2);
    for (size_t i = 0; i < set->n; i++) {
        const repro_record *r = &set->rec[i];
        int wide = !strcmp(r->dataset, "wide"), fail = !strcmp(r->model, "Fail");
        CU_ASSERT_STRING_EQUAL(r->experiment, "lin");
        CU_ASSERT_EQUAL(r->repeat, (i / 2) % 2);
        CU_ASSERT_EQUAL(r->d, wide ? 7u : 4u);
        CU_ASSERT_EQUAL(r->truth[0], 2);
        CU_ASSERT_EQUAL(r->truth[r->d - 1], 0);
        if (wide && fail) {
            CU_ASSERT_EQUAL(r->status, REPRO_JOB_FAILED);
            CU_ASSERT_PTR_NOT_NULL(r->message && strstr(r->message, "cannot handle 7 features"));
            CU_ASSERT_PTR_NULL(r->importance);
            CU_ASSERT_EQUAL(r->relevance[0], -1);
        } else {
            CU_ASSERT_EQUAL(r->status, REPRO_JOB_DONE);
            CU_ASSERT_PTR_NULL(r->message);
            CU_ASSERT_PTR_NOT_NULL_FATAL(r->importance);
            CU_ASSERT_PTR_NOT_NULL_FATAL(r->bounds);
            CU_ASSERT(r->relevance[0] >= 0 && r->relevance[0] <= 2);
            CU_ASSERT(r->fit_seconds >= 0);
            CU_ASSERT_PTR_NOT_NULL(r->extras_json && strstr(r->extras_json, "{\"shadow_bounds\":[") ==
                                                         r->extras_json);
            CU_ASSERT_DOUBLE_EQUAL(r->bounds[1], r->importance[0], 0.0);
        }
    }
    CU_ASSERT_PTR_NOT_NULL(set->provenance && strstr(set->provenance, "SEED=123 REPEATS=2"));
    /* Corr and Fail of one repeat share data: same importances where both ran */
    CU_ASSERT(memcmp(set->rec[0].importance, set->rec[1].importance, 4 * sizeof(double)) == 0);
    repro_result_set_free(set);

    /* an existing file is never overwritten */
    CU_ASSERT_EQUAL(run_cli(job, out, NULL), REPRO_EXIT_USAGE);
    /* --resume reruns only the failed jobs (they fail again) */
    CU_ASSERT_EQUAL(run_cli(job, out, "--resume"), REPRO_EXIT_FAIL);
    /* another plan is refused */
    char *argv[] = {"run", job, "-o", out, "--resume", "--seed", "9"};
    CU_ASSERT_EQUAL(repro_cli_run_with(7, argv, toy_models), REPRO_EXIT_USAGE);
}

static void test_read_bad_files(void)
{
    char path[512], good[512];
    static repro_result_set sentinel; /* a failed read must set *out to NULL */
    repro_result_set *set = &sentinel;
    repro_error err;
    repro_error_clear(&err);
    path_in_tmp(path, sizeof path, "missing.h5");
    CU_ASSERT_EQUAL(repro_results_read(path, &set, &err), REPRO_EINVAL);
    /* a text file */
    path_in_tmp(path, sizeof path, "text.h5");
    FILE *f = fopen(path, "w");
    fputs("not hdf5\n", f);
    fclose(f);
    CU_ASSERT_EQUAL(repro_results_read(path, &set, &err), REPRO_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "text.h5"));
    /* a truncated copy of a real results file */
    path_in_tmp(good, sizeof good, "run.h5");
    f = fopen(good, "rb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    static char buf[1 << 20];
    size_t len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    CU_ASSERT_FATAL(len > 4096);
    path_in_tmp(path, sizeof path, "truncated.h5");
    f = fopen(path, "wb");
    fwrite(buf, 1, len / 2, f);
    fclose(f);
    set = &sentinel;
    CU_ASSERT_EQUAL(repro_results_read(path, &set, &err), REPRO_EINVAL);
    CU_ASSERT_PTR_NULL(set);
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "run"))
        return repro_cli_run_with(argc - 1, argv + 1, toy_models);
    if (argc > 1 && !strcmp(argv[1], "info"))
        return repro_cmd_info(argc - 1, argv + 1);
    snprintf(tmpdir, sizeof tmpdir, "/tmp/repro_test_run_XXXXXX");
    if (!mkdtemp(tmpdir))
        return 2;
    int provided = 0;
    MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided);
    CU_TestInfo tests[] = {
        {"job file: a good file", test_jobfile_good},
        {"job file: bad inputs name file:line", test_jobfile_bad},
        {"plan: canonical order and streams", test_plan_order_and_streams},
        {"plan: overrides and filters", test_plan_options},
        {"plan: --set model parameters", test_plan_sets},
        {"run: failing jobs recorded, no overwrite, resume", test_run_and_read},
        {"read: missing, foreign, truncated", test_read_bad_files},
        CU_TEST_INFO_NULL,
    };
    int rc = repro_test_run("runner", tests);
    MPI_Finalize();
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    return rc;
}
