/* sq_model.c - model "SQ": the paper's sequential feature classification
 * (ALGORITHMS.md §7) behind the generic model interface. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "repro/models.h"
#include "repro/sq_stage.h"
#include "repro/squamish.h"

_Static_assert(sizeof(repro_sq_params) <= REPRO_MAX_SETTINGS, "SQ params too large");
/* "test" is an enum written as an int parameter */
_Static_assert(sizeof(repro_sq_test) == sizeof(int), "repro_sq_test must have the size of an int");
_Static_assert(sizeof(repro_sq_minimal) == sizeof(int), "repro_sq_minimal must have the size of an int");
_Static_assert(sizeof(repro_sq_mr_fit) == sizeof(int), "repro_sq_mr_fit must have the size of an int");

#define SQ_PARAM(NAME, FIELD, KIND, MIN, MAX, CHOICES, HELP) \
    REPRO_PARAM(NAME, repro_sq_params, FIELD, KIND, MIN, MAX, CHOICES, HELP)
static const repro_param_def sq_params[] = {
    SQ_PARAM("n_resampling", n_resampling, SIZE, 1, 100000, NULL, "shadow resamples for the statistics"),
    SQ_PARAM("fpr", fpr, DOUBLE, 1e-300, 0.5, NULL, "false-positive rate of the prediction intervals"),
    SQ_PARAM("n_trees", forest.n_trees, SIZE, 1, 100000, NULL,
             "trees of the minimal forest and of step 5's refits"),
    SQ_PARAM("feature_fraction", forest.feature_fraction, DOUBLE, 1e-6, 1.0, NULL,
             "column fraction per tree of the minimal forest and of step 5's refits"),
    SQ_PARAM("num_leaves", forest.num_leaves, INT, 2, 65536, NULL,
             "leaves per tree of the minimal forest and of step 5's refits"),
    SQ_PARAM("max_depth", forest.max_depth, INT, 1, 65536, NULL,
             "leaf depth limit of the minimal forest and of step 5's refits"),
    SQ_PARAM("boruta_feature_fraction", boruta.forest.feature_fraction, DOUBLE, 1e-6, 1.0, NULL,
             "column fraction per tree in Boruta"),
    SQ_PARAM("perc", boruta.perc, DOUBLE, 0, 100, NULL, "Boruta's shadow percentile"),
    SQ_PARAM("alpha", boruta.alpha, DOUBLE, 1e-12, 0.5, NULL, "Boruta's test level"),
    SQ_PARAM("max_iter", boruta.max_iter, INT, 2, 100000, NULL, "Boruta's iteration limit"),
    SQ_PARAM("min_child_rows", forest.min_child_rows, SIZE, 1, 1e9, NULL,
             "bagged rows needed in each child (minimal model, refits)"),
    SQ_PARAM("boruta_min_child_rows", boruta.forest.min_child_rows, SIZE, 1, 1e9, NULL,
             "bagged rows needed in each child in Boruta"),
    /* also Boruta's: sq_settings copies it there */
    SQ_PARAM("ties", forest.random_ties, INT, 0, 1, "index|random",
             "equal split gains: lower column (LightGBM) or random"),
    SQ_PARAM("test", test, INT, REPRO_SQ_TEST_LOWER, REPRO_SQ_TEST_TWO_SIDED, "lower|two_sided",
             "step 5: strongly relevant if the score without the feature is below the interval "
             "(squamish of the published runs) or outside it (as specified)"),
    SQ_PARAM("minimal_model", minimal_model, INT, REPRO_SQ_MINIMAL_FOREST, REPRO_SQ_MINIMAL_GBDT,
             "forest|gbdt",
             "steps 2-4: the random forest (as specified) or LightGBM's default gradient-boosted "
             "trees with split counts (squamish before 189ae25, the published linear runs); step 5 "
             "refits the forest either way"),
    SQ_PARAM("mr_fit", mr_fit, INT, REPRO_SQ_MR_MINIMAL, REPRO_SQ_MR_LAST_RESAMPLE,
             "minimal|last_resample",
             "step 4 reads the minimal model's importances (as specified) or the last resampled "
             "fit's (squamish before fae0153)"),
};

/* SQ's own defaults. */
static void sq_defaults(void *settings)
{
    repro_sq_params_default(settings);
}

/* Both forests' options must hold together. */
static int sq_validate(const void *settings, repro_error *err)
{
    const repro_sq_params *p = settings;
    int rc = repro_forest_params_check(&p->forest, err);
    return rc ? rc : repro_forest_params_check(&p->boruta.forest, err);
}

/* Relative cost (seconds, single thread) of SQ: its Boruta step (see
 * repro_boruta_cost), plus about 52 + d/2 forests on d+1 columns. */
static double sq_cost(size_t n, size_t d)
{
    double boruta = repro_boruta_cost(n, d);
    return boruta + (52.0 + 0.5 * (double)d) * repro_forest_cost(n, d + 1, 0.8, 100);
}

/* SQ's settings from the model parameters; the tie rule is one setting for
 * both of SQ's forests. */
static void sq_settings(const repro_params *params, repro_sq_params *p)
{
    repro_params_apply(params, p);
    p->boruta.forest.random_ties = p->forest.random_ties;
}

static double fit_cost(const repro_sq_params *p, size_t n, size_t d);
static double test_cost(const repro_sq_params *p, size_t n, size_t nu);

/* SQ's cost with its parameters: Boruta, the minimal model and its
 * n_resampling resamples (forests, or LightGBM's boosted trees, which cost
 * several forests each), and about 1 + d/2 refits of step 5's forest on d+1
 * columns; with the default forest settings this is sq_cost. */
static double sq_cost_params(size_t n, size_t d, const repro_params *params, int data)
{
    (void)data;
    repro_sq_params p;
    sq_settings(params, &p);
    return repro_boruta_cost(n, d) + (double)repro_sq_n_fits(&p) * fit_cost(&p, n, d) +
           (1.0 + 0.5 * (double)d) * test_cost(&p, n, d + 1);
}

/* Copies a list of feature indices into an integral extra. */
static int add_index_list(repro_fit_result *out, const char *name, const size_t *idx, size_t k,
                          repro_error *err)
{
    double *v = repro_malloc(k ? k : 1, sizeof *v, err);
    if (!v)
        return REPRO_ENOMEM;
    for (size_t i = 0; i < k; i++)
        v[i] = (double)idx[i];
    int rc = repro_fit_result_add(out, name, v, k, 1, err);
    free(v);
    return rc;
}

/* Moves SQ's outputs into the generic result (r is cleared): classes
 * 0/1/2, minimal model's accuracy and importances, extras shadow_bounds,
 * score_bounds, AR and MR. */
static int to_fit_result(repro_sq_result *r, size_t d, repro_fit_result *out, repro_error *err)
{
    int rc = repro_fit_result_init(out, d, err);
    if (rc)
        goto done;
    for (size_t j = 0; j < d; j++)
        out->relevance[j] = r->relevance[j];
    out->train_score = r->train_score;
    out->importance = r->importance;
    r->importance = NULL;
    double sb[2] = {r->shadow_lo, r->shadow_hi}, cb[2] = {r->score_lo, r->score_hi};
    if ((rc = repro_fit_result_add(out, "shadow_bounds", sb, 2, 0, err)) ||
        (rc = repro_fit_result_add(out, "score_bounds", cb, 2, 0, err)) ||
        (rc = add_index_list(out, "AR", r->ar, r->n_ar, err)) ||
        (rc = add_index_list(out, "MR", r->mr, r->n_mr, err)))
        repro_fit_result_clear(out);
done:
    repro_sq_result_clear(r);
    return rc;
}

/* Fits SQ in one process and moves its outputs into the generic result. */
static int sq_fit(const repro_dataset *ds, const repro_params *params, repro_rng *rng,
                  int threads, repro_fit_result *out, repro_error *err)
{
    repro_sq_params p;
    repro_sq_result r;
    sq_settings(params, &p);
    int rc = repro_sq_fit(rng, ds, &p, threads, &r, err);
    if (rc)
        return rc;
    return to_fit_result(&r, ds->d, out, err);
}

/* ---- SQ split into tasks (model.h's repro_model_split, sq_stage.h) ----
 * Stage BORUTA: one task, Boruta from a copy of the job's stream (its
 * iterations are sequential, and one iteration's forest, about 0.03 s on
 * Set 8, is too small to cut); output: the accepted features and the
 * stream after Boruta. Stage FITS: the minimal model and the shadow
 * resamples (steps 2-3) in groups of consecutive fits (input: the group size
 * and the stream after Boruta; output: each fit's accuracy and
 * importances). Stage TESTS: step 5's refits in groups (input: the group
 * size, the stream after steps 2-3, U and the tested positions; output:
 * each refit's accuracy), none when nothing is tested. Every task replays
 * the draws of the fits before its group from the stream it is given, as
 * repro_sq_fit draws them. */
enum { STAGE_BORUTA, STAGE_FITS, STAGE_TESTS, STAGE_DONE };

/* Tasks per stage when the runner leaves the choice to the model: one fit
 * per task for the published 50 resamples and up to 256 tested features
 * (unless the fits are so small that binning would dominate, below). */
#define SQ_MAX_TASKS 256
/* A task bins the data (6 ms for 2000 x 70, as much as a tenth of one of
 * its fits: bench_sq_split), so a task takes at least this many times the
 * binning's estimate in fits: the binning stays within about a tenth of
 * the work. */
#define SQ_BINS_SHARE_INV 10.0

typedef struct sq_split {
    repro_sq_params p;
    size_t n, d, max_tasks;
    int stage;
    size_t group, n_groups; /* of the current stage */
    repro_rng rng;          /* after Boruta, then after steps 2-3 */
    repro_sq_result res;    /* ar from Boruta; then steps 3-5 */
    double *fits;           /* steps 2-3's outputs */
    repro_sq_tests tests;
    double *score;          /* step 5's accuracies */
    repro_blob input;       /* the current stage's input */
    double *cost;           /* per task of the current stage */
} sq_split;

/* Appends len bytes at *at of buf (sizes are computed beforehand). */
static void put_bytes(unsigned char *buf, size_t *at, const void *src, size_t len)
{
    if (len)
        memcpy(buf + *at, src, len);
    *at += len;
}

/* Reads len bytes at *at of a blob of blen bytes; 0 if it is too short. */
static int get_bytes(const unsigned char *buf, size_t blen, size_t *at, void *dst, size_t len)
{
    if (*at + len > blen)
        return 0;
    if (len)
        memcpy(dst, buf + *at, len);
    *at += len;
    return 1;
}

/* Estimated seconds on one core to bin n x d data (quantile edges: a sort
 * per column), in repro_forest_cost's units (scaled to the measured 6.35 ms
 * for 2000 x 70 against 0.05 s for a fit estimated at 0.029 s). */
static double bins_cost(size_t n, size_t d)
{
    return 2.4e-9 * (double)n * (double)d * log2((double)n + 1.0);
}

/* Items of estimated cost u each per task, for n_items items and at most
 * max_tasks tasks (0: SQ_MAX_TASKS), and enough items per task that a
 * task's binning of the n x d data is a small part of it. */
static size_t sq_group(size_t n_items, size_t max_tasks, double u, size_t n, size_t d)
{
    size_t most = max_tasks ? max_tasks : SQ_MAX_TASKS;
    size_t g = (n_items + most - 1) / most;
    double least = u > 0.0 ? ceil(SQ_BINS_SHARE_INV * bins_cost(n, d) / u) : 1.0;
    if (least > (double)g)
        g = least < (double)n_items ? (size_t)least : n_items;
    return g ? g : 1;
}

/* Estimated seconds on one core of Boruta, of one fit of steps 2-3 and of
 * one refit of step 5 on nu columns (the estimates sq_cost adds up; a fit
 * of steps 2-3 with the boosted trees is estimated by repro_gbdt_cost). */
static double boruta_cost(size_t n, size_t d)
{
    return repro_boruta_cost(n, d);
}
static double fit_cost(const repro_sq_params *p, size_t n, size_t d)
{
    if (p->minimal_model == REPRO_SQ_MINIMAL_GBDT)
        return repro_gbdt_cost(n, d + 1, p->gbdt.n_iter);
    return repro_forest_cost(n, d + 1, p->forest.feature_fraction, p->forest.n_trees);
}
static double test_cost(const repro_sq_params *p, size_t n, size_t nu)
{
    return repro_forest_cost(n, nu, p->forest.feature_fraction, p->forest.n_trees);
}

/* Fills cost[0 .. n_groups) for k items of unit cost u in groups of g,
 * each task also binning the data (cost b). */
static size_t group_costs(size_t k, size_t g, double u, double b, double *cost)
{
    size_t n_groups = (k + g - 1) / g;
    for (size_t t = 0; cost && t < n_groups; t++) {
        size_t last = (t + 1) * g < k ? (t + 1) * g : k;
        cost[t] = b + u * (double)(last - t * g);
    }
    return n_groups;
}

/* Frees a split state. */
static void sq_split_free(void *state)
{
    sq_split *s = state;
    if (!s)
        return;
    repro_sq_result_clear(&s->res);
    free(s->fits);
    repro_sq_tests_clear(&s->tests);
    free(s->score);
    free(s->input.data);
    free(s->cost);
    free(s);
}

/* The prelude: checks the settings; Boruta is the first stage's task. */
static int sq_split_begin(const repro_dataset *ds, const repro_params *params, repro_rng *rng, size_t max_tasks,
                          void **state, repro_error *err)
{
    (void)rng; /* each task takes a copy of the job's stream */
    *state = NULL;
    sq_split *s = repro_calloc(1, sizeof *s, err);
    if (!s)
        return REPRO_ENOMEM;
    sq_settings(params, &s->p);
    int rc = repro_sq_check(&s->p, err);
    if (!rc)
        rc = repro_sq_result_alloc(&s->res, ds->d, err);
    size_t most = repro_sq_n_fits(&s->p) > ds->d ? repro_sq_n_fits(&s->p) : ds->d;
    if (!rc && !(s->cost = repro_calloc(most, sizeof *s->cost, err)))
        rc = REPRO_ENOMEM;
    if (rc) {
        sq_split_free(s);
        return rc;
    }
    s->n = ds->n;
    s->d = ds->d;
    s->max_tasks = max_tasks;
    s->stage = STAGE_BORUTA;
    s->group = s->n_groups = 1;
    *state = s;
    return REPRO_OK;
}

/* The stage to run next, its tasks' cost estimates and its input. */
static int sq_split_next(void *state, repro_split_stage *st, repro_error *err)
{
    (void)err;
    sq_split *s = state;
    memset(st, 0, sizeof *st);
    st->id = s->stage;
    st->cost = s->cost;
    double b = bins_cost(s->n, s->d);
    if (s->stage == STAGE_BORUTA) {
        s->cost[0] = b + boruta_cost(s->n, s->d);
        st->n_tasks = 1;
    } else if (s->stage == STAGE_FITS) {
        st->n_tasks = group_costs(repro_sq_n_fits(&s->p), s->group, fit_cost(&s->p, s->n, s->d), b, s->cost);
    } else if (s->stage == STAGE_TESTS) {
        st->n_tasks = group_costs(s->tests.n_tests, s->group, test_cost(&s->p, s->n, s->tests.nu), b, s->cost);
    }
    st->input = s->input.data;
    st->input_len = s->input.len;
    return REPRO_OK;
}

/* The stages a fit would run and their tasks' cost estimates; step 5's
 * tests are counted as sq_cost counts them (half the features, refit on
 * d + 1 columns), since how many there are is known only after step 3. */
static int sq_split_shape(size_t n, size_t d, const repro_params *params, size_t max_tasks, repro_split_shape *out,
                          repro_error *err)
{
    repro_sq_params p;
    sq_settings(params, &p);
    memset(out, 0, sizeof *out);
    size_t n_fits = repro_sq_n_fits(&p), n_tests = (d + 1) / 2;
    double u = fit_cost(&p, n, d), v = test_cost(&p, n, d + 1), b = bins_cost(n, d);
    size_t gf = sq_group(n_fits, max_tasks, u, n, d), gt = sq_group(n_tests, max_tasks, v, n, d);
    out->n_stages = 3;
    out->stage_tasks[0] = 1;
    out->stage_tasks[1] = group_costs(n_fits, gf, u, b, NULL);
    out->stage_tasks[2] = group_costs(n_tests, gt, v, b, NULL);
    size_t total = out->stage_tasks[0] + out->stage_tasks[1] + out->stage_tasks[2];
    if (!(out->cost = repro_malloc(total, sizeof *out->cost, err)))
        return REPRO_ENOMEM;
    out->cost[0] = b + boruta_cost(n, d);
    group_costs(n_fits, gf, u, b, out->cost + 1);
    group_costs(n_tests, gt, v, b, out->cost + 1 + out->stage_tasks[1]);
    return REPRO_OK;
}

/* The bins and settings a task works from. */
static int task_setup(const repro_dataset *ds, const repro_params *params, repro_sq_params *p,
                      repro_forest_bins **bins, repro_error *err)
{
    sq_settings(params, p);
    int rc = repro_sq_check(p, err);
    return rc ? rc : repro_sq_bins(ds, p, bins, err);
}

/* Task BORUTA: the accepted features and the stream after Boruta. */
static int task_boruta(const repro_dataset *ds, const repro_sq_params *p, const repro_forest_bins *bins,
                       const repro_rng *job_rng, int threads, repro_blob *output, repro_error *err)
{
    size_t *ar = repro_malloc(ds->d ? ds->d : 1, sizeof *ar, err), n_ar = 0;
    if (!ar)
        return REPRO_ENOMEM;
    repro_rng rng = *job_rng;
    int rc = repro_sq_boruta(&rng, bins, ds->y, p, threads, ar, &n_ar, err);
    if (!rc) {
        uint64_t k = n_ar;
        output->len = 0;
        if (!(output->data = repro_malloc(sizeof k + n_ar * sizeof(uint64_t) + sizeof rng, 1, err)))
            rc = REPRO_ENOMEM;
        for (size_t a = 0; !rc && a <= n_ar; a++) {
            uint64_t v = a == 0 ? k : ar[a - 1];
            put_bytes(output->data, &output->len, &v, sizeof v);
        }
        if (!rc)
            put_bytes(output->data, &output->len, &rng, sizeof rng);
    }
    free(ar);
    return rc;
}

/* Task FITS: fits [task * group, ...) of steps 2-3. */
static int task_fits(const repro_dataset *ds, const repro_sq_params *p, const repro_forest_bins *bins,
                     const unsigned char *input, size_t input_len, size_t task, int threads, repro_blob *output,
                     repro_error *err)
{
    uint64_t group = 0;
    repro_rng rng;
    size_t at = 0, n_fits = repro_sq_n_fits(p), d = ds->d;
    if (!get_bytes(input, input_len, &at, &group, sizeof group) || !get_bytes(input, input_len, &at, &rng, sizeof rng) ||
        at != input_len || group == 0 || task >= (n_fits + group - 1) / group)
        return repro_error_set(err, REPRO_EINVAL, "SQ: a malformed fits task");
    size_t f0 = task * (size_t)group, f1 = f0 + (size_t)group < n_fits ? f0 + (size_t)group : n_fits;
    output->len = (repro_sq_fit_offset(p, f1, d) - repro_sq_fit_offset(p, f0, d)) * sizeof(double);
    if (!(output->data = repro_malloc(output->len, 1, err)))
        return REPRO_ENOMEM;
    return repro_sq_fits(bins, ds->y, p, &rng, f0, f1, threads, (double *)(void *)output->data, err);
}

/* Task TESTS: step 5's refits [task * group, ...). */
static int task_tests(const repro_dataset *ds, const repro_sq_params *p, const repro_forest_bins *bins,
                      const unsigned char *input, size_t input_len, size_t task, int threads, repro_blob *output,
                      repro_error *err)
{
    uint64_t hdr[3]; /* group, nu, n_tests */
    repro_rng rng;
    size_t at = 0;
    if (!get_bytes(input, input_len, &at, hdr, sizeof hdr) || !get_bytes(input, input_len, &at, &rng, sizeof rng) ||
        hdr[0] == 0 || hdr[1] > ds->d || hdr[2] > hdr[1] ||
        input_len - at != (hdr[1] + hdr[2]) * sizeof(uint64_t) || task >= (hdr[2] + hdr[0] - 1) / hdr[0])
        return repro_error_set(err, REPRO_EINVAL, "SQ: a malformed tests task");
    repro_sq_tests t;
    memset(&t, 0, sizeof t);
    t.nu = (size_t)hdr[1];
    t.n_tests = (size_t)hdr[2];
    t.u = repro_malloc(t.nu ? t.nu : 1, sizeof *t.u, err);
    t.pos = repro_malloc(t.n_tests ? t.n_tests : 1, sizeof *t.pos, err);
    int rc = t.u && t.pos ? REPRO_OK : REPRO_ENOMEM;
    for (size_t k = 0; !rc && k < t.nu + t.n_tests; k++) {
        uint64_t v = 0;
        get_bytes(input, input_len, &at, &v, sizeof v);
        if (k < t.nu ? v >= ds->d : v >= t.nu)
            rc = repro_error_set(err, REPRO_EINVAL, "SQ: a malformed tests task");
        else if (k < t.nu)
            t.u[k] = (size_t)v;
        else
            t.pos[k - t.nu] = (size_t)v;
    }
    size_t g = (size_t)hdr[0], t0 = task * g, t1 = t0 + g < t.n_tests ? t0 + g : t.n_tests;
    if (!rc) {
        output->len = (t1 - t0) * sizeof(double);
        if (!(output->data = repro_malloc(output->len ? output->len : 1, 1, err)))
            rc = REPRO_ENOMEM;
    }
    if (!rc)
        rc = repro_sq_test_fits(bins, ds->y, p, &rng, &t, t0, t1, threads, (double *)(void *)output->data, err);
    repro_sq_tests_clear(&t);
    return rc;
}

/* One task: Boruta, a group of fits of steps 2-3, or a group of tests. */
static int sq_split_task(const repro_dataset *ds, const repro_params *params, const repro_rng *job_rng, int stage,
                         const unsigned char *input, size_t input_len, size_t task, int threads, repro_blob *output,
                         repro_error *err)
{
    memset(output, 0, sizeof *output);
    if (stage < STAGE_BORUTA || stage >= STAGE_DONE)
        return repro_error_set(err, REPRO_EINVAL, "SQ has no stage %d", stage);
    if (stage == STAGE_BORUTA && (task != 0 || input_len != 0))
        return repro_error_set(err, REPRO_EINVAL, "SQ: a malformed Boruta task");
    repro_sq_params p;
    repro_forest_bins *bins = NULL;
    int rc = task_setup(ds, params, &p, &bins, err);
    if (!rc && stage == STAGE_BORUTA)
        rc = task_boruta(ds, &p, bins, job_rng, threads, output, err);
    else if (!rc && stage == STAGE_FITS)
        rc = task_fits(ds, &p, bins, input, input_len, task, threads, output, err);
    else if (!rc)
        rc = task_tests(ds, &p, bins, input, input_len, task, threads, output, err);
    repro_forest_bins_free(bins);
    if (rc) {
        free(output->data);
        memset(output, 0, sizeof *output);
    }
    return rc;
}

/* Sets the next stage's input: the group size (for n_items of estimated
 * cost u each), the stream, and for the tests U and the tested positions. */
static int set_input(sq_split *s, size_t n_items, double u, repro_error *err)
{
    s->group = sq_group(n_items, s->max_tasks, u, s->n, s->d);
    s->n_groups = n_items ? (n_items + s->group - 1) / s->group : 0;
    int tests = s->stage == STAGE_TESTS;
    size_t extra = tests ? 2 + s->tests.nu + s->tests.n_tests : 0;
    free(s->input.data);
    s->input.len = 0;
    if (!(s->input.data = repro_malloc((1 + extra) * sizeof(uint64_t) + sizeof s->rng, 1, err)))
        return REPRO_ENOMEM;
    uint64_t v = s->group;
    put_bytes(s->input.data, &s->input.len, &v, sizeof v);
    if (tests) {
        v = s->tests.nu;
        put_bytes(s->input.data, &s->input.len, &v, sizeof v);
        v = s->tests.n_tests;
        put_bytes(s->input.data, &s->input.len, &v, sizeof v);
    }
    put_bytes(s->input.data, &s->input.len, &s->rng, sizeof s->rng);
    for (size_t k = 0; tests && k < s->tests.nu + s->tests.n_tests; k++) {
        v = k < s->tests.nu ? s->tests.u[k] : s->tests.pos[k - s->tests.nu];
        put_bytes(s->input.data, &s->input.len, &v, sizeof v);
    }
    return REPRO_OK;
}

/* Merges Boruta's output: the accepted set (none fails the fit, as in
 * repro_sq_fit) and the stream after it. */
static int merge_boruta(sq_split *s, const repro_blob *o, repro_error *err)
{
    uint64_t k = 0;
    size_t at = 0;
    if (!get_bytes(o->data, o->len, &at, &k, sizeof k) || k > s->d ||
        o->len != sizeof k + k * sizeof(uint64_t) + sizeof s->rng)
        return repro_error_set(err, REPRO_EINVAL, "SQ: a malformed Boruta output");
    for (size_t a = 0; a < k; a++) {
        uint64_t v = 0;
        get_bytes(o->data, o->len, &at, &v, sizeof v);
        if (v >= s->d)
            return repro_error_set(err, REPRO_EINVAL, "SQ: a malformed Boruta output");
        s->res.ar[a] = (size_t)v;
    }
    s->res.n_ar = (size_t)k;
    get_bytes(o->data, o->len, &at, &s->rng, sizeof s->rng);
    int rc = repro_sq_need_ar(s->res.n_ar, err);
    if (rc)
        return rc;
    size_t n_fits = repro_sq_n_fits(&s->p);
    if (!(s->fits = repro_malloc(repro_sq_fit_offset(&s->p, n_fits, s->d), sizeof *s->fits, err)))
        return REPRO_ENOMEM;
    s->stage = STAGE_FITS;
    return set_input(s, n_fits, fit_cost(&s->p, s->n, s->d), err);
}

/* Merges steps 2-3's outputs: statistics, MR and W, and the tests. */
static int merge_fits(sq_split *s, const repro_blob *outputs, size_t n_tasks, repro_error *err)
{
    size_t n_fits = repro_sq_n_fits(&s->p);
    if (n_tasks != s->n_groups)
        return repro_error_set(err, REPRO_EINVAL, "SQ: %zu fits outputs for %zu tasks", n_tasks, s->n_groups);
    for (size_t t = 0; t < n_tasks; t++) {
        size_t f0 = t * s->group, f1 = f0 + s->group < n_fits ? f0 + s->group : n_fits;
        size_t o0 = repro_sq_fit_offset(&s->p, f0, s->d), o1 = repro_sq_fit_offset(&s->p, f1, s->d);
        if (outputs[t].len != (o1 - o0) * sizeof(double))
            return repro_error_set(err, REPRO_EINVAL, "SQ: a malformed fits output");
        memcpy(s->fits + o0, outputs[t].data, outputs[t].len);
    }
    int rc = repro_sq_skip_fits(&s->rng, s->n, s->d, &s->p, err);
    if (!rc)
        rc = repro_sq_statistics(s->fits, &s->p, &s->res, err);
    if (!rc)
        rc = repro_sq_tests_plan(s->res.relevance, s->d, &s->tests, err);
    if (!rc && !(s->score = repro_malloc(s->tests.n_tests ? s->tests.n_tests : 1, sizeof *s->score, err)))
        rc = REPRO_ENOMEM;
    if (rc)
        return rc;
    s->stage = STAGE_TESTS;
    if (s->tests.n_tests == 0) {
        s->stage = STAGE_DONE;
        s->n_groups = 0;
        return REPRO_OK;
    }
    return set_input(s, s->tests.n_tests, test_cost(&s->p, s->n, s->tests.nu), err);
}

/* Takes a stage's outputs (in task order) and moves to the next stage. */
static int sq_split_merge(void *state, const repro_blob *outputs, size_t n_tasks, repro_error *err)
{
    sq_split *s = state;
    if (s->stage == STAGE_BORUTA) {
        if (n_tasks != 1)
            return repro_error_set(err, REPRO_EINVAL, "SQ: %zu Boruta outputs", n_tasks);
        return merge_boruta(s, &outputs[0], err);
    }
    if (s->stage == STAGE_FITS)
        return merge_fits(s, outputs, n_tasks, err);
    if (s->stage == STAGE_TESTS) {
        if (n_tasks != s->n_groups)
            return repro_error_set(err, REPRO_EINVAL, "SQ: %zu tests outputs for %zu tasks", n_tasks, s->n_groups);
        for (size_t t = 0; t < n_tasks; t++) {
            size_t t0 = t * s->group, k = s->tests.n_tests - t0 < s->group ? s->tests.n_tests - t0 : s->group;
            if (outputs[t].len != k * sizeof(double))
                return repro_error_set(err, REPRO_EINVAL, "SQ: a malformed tests output");
            memcpy(s->score + t0, outputs[t].data, outputs[t].len);
        }
        repro_sq_tests_apply(&s->tests, s->score, &s->p, &s->res);
        s->stage = STAGE_DONE;
        s->n_groups = 0;
        return REPRO_OK;
    }
    return repro_error_set(err, REPRO_EINVAL, "SQ: nothing to merge");
}

/* The result, as sq_fit makes it. */
static int sq_split_finish(void *state, repro_fit_result *out, repro_error *err)
{
    sq_split *s = state;
    if (s->stage != STAGE_DONE)
        return repro_error_set(err, REPRO_EINVAL, "SQ: finishing a split fit before its last stage");
    return to_fit_result(&s->res, s->d, out, err);
}

static const repro_model_split sq_split_fns = {
    sq_split_begin, sq_split_next, sq_split_task, sq_split_merge, sq_split_finish, sq_split_free, sq_split_shape,
};

const repro_model_type repro_model_SQ = {
    "SQ",
    "sequential feature classification: Boruta, minimal random forest, shadow statistics",
    sq_params,
    sizeof sq_params / sizeof sq_params[0],
    2,
    sq_cost,
    sq_fit,
    sizeof(repro_sq_params),
    sq_defaults,
    sq_validate,
    &sq_split_fns,
    sq_cost_params,
};
