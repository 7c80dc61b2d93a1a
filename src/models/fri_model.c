/* fri_model.c - FRI as a registered model (ALGORITHMS.md §8). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "repro/fri.h"
#include "repro/fri_stage.h"
#include "repro/model.h"
#include "repro/models.h"

_Static_assert(sizeof(repro_fri_options) <= REPRO_MAX_SETTINGS, "FRI options too large");

#define FRI_PARAM(NAME, FIELD, KIND, MIN, MAX, HELP) \
    REPRO_PARAM(NAME, repro_fri_options, FIELD, KIND, MIN, MAX, NULL, HELP)
static const repro_param_def fri_params[] = {
    FRI_PARAM("C", C, DOUBLE, 0.0, 1e10, "L1-SVM regularisation; 0 = random search over [1e-5, 1e5]"),
    FRI_PARAM("probes", n_probes, SIZE, 0, 100000, "upper-bound probes, and as many lower-bound probes"),
    FRI_PARAM("search", n_search, SIZE, 1, 100000,
              "C values tried by the random search (3-fold CV, weighted F1)"),
    FRI_PARAM("w_l1_slack", w_l1_slack, DOUBLE, 0.0, 100.0, "relative slack on the init model's L1 norm"),
    FRI_PARAM("loss_slack", loss_slack, DOUBLE, 0.0, 100.0, "relative slack on the init model's hinge loss"),
    FRI_PARAM("fpr", fpr, DOUBLE, 1e-15, 0.5, "false-positive rate of the probe thresholds"),
    REPRO_PARAM("cv", repro_fri_options, cv, INT, 0, 1, "stratified|kfold",
                "folds of the search for C: stratified as specified, or kfold (contiguous blocks of rows, as "
                "the published code's)"),
};

/* FRI's own defaults. */
static void fri_defaults(void *settings)
{
    repro_fri_options_default(settings);
}

/* Cost estimate (about seconds on one core) on linear or unknown data:
 * fitted to the median fit times of the paper's linear sets (Set 1-8, from
 * 0.04 s at 150 x 12 to 22 s at 2000 x 70, recorded times halved for the
 * loaded machine; bench_scaling --calibration): an LP grows faster than
 * n * d (more iterations on more rows). */
static double fri_cost(size_t n, size_t d)
{
    return 2.2e-7 * pow((double)n, 1.7) * pow((double)(d + 5), 1.22);
}

/* On non-linear data the L1-SVM fits worse, its LPs take more iterations
 * and the search picks larger C: 2.5 times the linear estimate (NL 1-4:
 * 3.0 to 21 s at 1000 x 20 to 80, same scaling). */
#define FRI_NONLINEAR_FACTOR 2.5

/* The cost estimate with the data's kind (the parameters change it little). */
static double fri_cost_params(size_t n, size_t d, const repro_params *params, int data)
{
    (void)params;
    return fri_cost(n, d) * (data == REPRO_GEN_NONLINEAR ? FRI_NONLINEAR_FACTOR : 1.0);
}

/* Moves FRI's outputs into the generic result (fr is cleared). */
static int to_fit_result(repro_fri_result *fr, size_t d, repro_fit_result *out, repro_error *err)
{
    int rc = repro_fit_result_init(out, d, err);
    if (rc)
        goto done;
    for (size_t j = 0; j < d; j++)
        out->relevance[j] = fr->classes[j];
    out->train_score = fr->train_f1;
    out->bounds = fr->bounds;
    fr->bounds = NULL;
    double n_lps = (double)fr->n_lps;
    if ((rc = repro_fit_result_add(out, "C", &fr->C, 1, 0, err)) ||
        (rc = repro_fit_result_add(out, "L1", &fr->L1, 1, 0, err)) ||
        (rc = repro_fit_result_add(out, "loss", &fr->loss, 1, 0, err)) ||
        (rc = repro_fit_result_add(out, "probe_thresholds", fr->thresholds, 2, 0, err)) ||
        (rc = repro_fit_result_add(out, "n_lps", &n_lps, 1, 1, err)))
        repro_fit_result_clear(out);
done:
    repro_fri_result_clear(fr);
    return rc;
}

/* Runs FRI and moves its outputs into the generic result. */
static int fri_fit(const repro_dataset *ds, const repro_params *params, repro_rng *rng, int threads,
                   repro_fit_result *out, repro_error *err)
{
    repro_fri_options opt;
    repro_params_apply(params, &opt);
    repro_fri_result fr;
    int rc = repro_fri_fit(rng, ds, &opt, threads, &fr, err);
    if (rc)
        return rc;
    return to_fit_result(&fr, ds->d, out, err);
}

/* ---- FRI split into tasks (model.h's repro_model_split) ----
 * Stage SEARCH: one task per fold of the C search (input: the drawn C
 * values; output: the fold's scores). Stage INIT: the init model (input: C;
 * output: the init model with its basis, which is also the input of every
 * task of the next stage). Stage ITEMS: the work items in fixed groups of
 * consecutive items (output: their bounds). Each ITEMS task replays the
 * job's draws (the C values, then the probes) from a fresh copy of the
 * job's stream instead of receiving the probes' permutations. */
enum { STAGE_SEARCH, STAGE_INIT, STAGE_ITEMS, STAGE_DONE };

/* Work-item tasks when the runner leaves the choice to the model: one item
 * per task on the paper's data sets (at most 80 features + 100 probes), so
 * the longest item, not a group of them, bounds the stage. A task's fixed
 * costs (data once per rank and job, replayed draws, the init basis) are
 * milliseconds. */
#define FRI_MAX_TASKS 256

typedef struct fri_split {
    repro_fri_options opt;
    size_t n, d, n_items, group, n_groups;
    int stage;
    double *Cs;         /* the search's C values (the SEARCH input) */
    double C;           /* the chosen C (the INIT input) */
    size_t search_lps;
    double t_search;    /* summed over the folds */
    repro_blob init_blob; /* the ITEMS input: the group size, then the init model */
    repro_fri_init init;
    repro_fri_item *items;
    double *cost;       /* per task of the current stage */
} fri_split;

/* Seconds on a monotonic clock (task times, for benchmarks). */
static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* One cost unit: an LP on all data, about seconds on one core (fri_cost
 * counts about 300 + 3 d of them). */
static double lp_unit(size_t n, size_t d)
{
    return fri_cost(n, d) / (300.0 + 3.0 * (double)d);
}

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

/* The init model as bytes: sizes, scalars, weights, basis. */
static int init_pack(const repro_fri_init *in, repro_blob *out, repro_error *err)
{
    uint64_t sz[3] = {in->d, in->n_basis, in->n_lps};
    double sc[6] = {in->C, in->b, in->L1, in->loss, in->train_f1, in->seconds};
    size_t len = sizeof sz + sizeof sc + in->d * sizeof(double) + in->n_basis;
    if (!(out->data = repro_malloc(len, 1, err)))
        return REPRO_ENOMEM;
    out->len = 0;
    put_bytes(out->data, &out->len, sz, sizeof sz);
    put_bytes(out->data, &out->len, sc, sizeof sc);
    put_bytes(out->data, &out->len, in->w, in->d * sizeof(double));
    put_bytes(out->data, &out->len, in->basis, in->n_basis);
    return REPRO_OK;
}

/* The init model from init_pack's bytes, for d features. */
static int init_unpack(const unsigned char *buf, size_t len, size_t d, repro_fri_init *in, repro_error *err)
{
    uint64_t sz[3];
    double sc[6];
    size_t at = 0;
    memset(in, 0, sizeof *in);
    if (!get_bytes(buf, len, &at, sz, sizeof sz) || !get_bytes(buf, len, &at, sc, sizeof sc) || sz[0] != d ||
        len - at != sz[0] * sizeof(double) + sz[1])
        return repro_error_set(err, REPRO_EINVAL, "FRI: a malformed init model of %zu bytes", len);
    in->d = (size_t)sz[0];
    in->n_basis = (size_t)sz[1];
    in->n_lps = (size_t)sz[2];
    in->C = sc[0], in->b = sc[1], in->L1 = sc[2], in->loss = sc[3], in->train_f1 = sc[4], in->seconds = sc[5];
    in->w = repro_malloc(d ? d : 1, sizeof *in->w, err);
    in->basis = repro_malloc(in->n_basis ? in->n_basis : 1, 1, err);
    if (!in->w || !in->basis) {
        repro_fri_init_clear(in);
        return REPRO_ENOMEM;
    }
    get_bytes(buf, len, &at, in->w, d * sizeof(double));
    get_bytes(buf, len, &at, in->basis, in->n_basis);
    return REPRO_OK;
}

/* Items per ITEMS task for at most max_tasks tasks (0: FRI_MAX_TASKS). */
static size_t items_group(size_t n_items, size_t max_tasks)
{
    size_t most = max_tasks ? max_tasks : FRI_MAX_TASKS;
    return (n_items + most - 1) / most;
}

/* Frees a split state. */
static void fri_split_free(void *state)
{
    fri_split *s = state;
    if (!s)
        return;
    free(s->Cs);
    free(s->init_blob.data);
    repro_fri_init_clear(&s->init);
    free(s->items);
    free(s->cost);
    free(s);
}

/* The prelude: checks the input and draws the search's C values. */
static int fri_split_begin(const repro_dataset *ds, const repro_params *params, repro_rng *rng, size_t max_tasks,
                           void **state, repro_error *err)
{
    *state = NULL;
    fri_split *s = repro_calloc(1, sizeof *s, err);
    if (!s)
        return REPRO_ENOMEM;
    repro_params_apply(params, &s->opt);
    int rc = repro_fri_check(ds, &s->opt, err);
    if (rc == REPRO_OK && s->opt.C == 0.0 && ds->n < REPRO_FRI_FOLDS)
        rc = repro_error_set(err, REPRO_EINVAL, "FRI's %d-fold search needs at least %d samples, got %zu",
                             REPRO_FRI_FOLDS, REPRO_FRI_FOLDS, ds->n);
    if (rc) {
        fri_split_free(s);
        return rc;
    }
    s->n = ds->n;
    s->d = ds->d;
    s->n_items = repro_fri_n_items(ds->d, &s->opt);
    s->group = items_group(s->n_items, max_tasks);
    s->n_groups = (s->n_items + s->group - 1) / s->group;
    s->items = repro_calloc(s->n_items, sizeof *s->items, err);
    s->cost = repro_calloc(s->n_groups > REPRO_FRI_FOLDS ? s->n_groups : REPRO_FRI_FOLDS, sizeof *s->cost, err);
    s->Cs = repro_malloc(s->opt.n_search ? s->opt.n_search : 1, sizeof *s->Cs, err);
    if (!s->items || !s->cost || !s->Cs) {
        fri_split_free(s);
        return REPRO_ENOMEM;
    }
    s->stage = STAGE_INIT;
    s->C = s->opt.C;
    if (s->opt.C == 0.0) {
        repro_fri_search_draw(rng, s->opt.n_search, s->Cs);
        s->stage = STAGE_SEARCH;
    }
    *state = s;
    return REPRO_OK;
}

/* Tasks of each stage and their cost estimates (seconds on one core):
 * a fold solves every C value once (about n_search LPs on 2/3 of the
 * rows, warm-started), the init model one LP, a chunk item 3 LPs per
 * feature, a probe item about 1.5 LPs (as fri_cost counts them). */
static size_t stage_costs(const repro_fri_options *opt, size_t n, size_t d, size_t group, int stage, double *cost)
{
    double u = lp_unit(n, d);
    size_t chunks = repro_fri_n_chunks(d, opt), n_items = repro_fri_n_items(d, opt);
    size_t per_chunk = (d + chunks - 1) / chunks;
    switch (stage) {
    case STAGE_SEARCH:
        for (size_t f = 0; cost && f < REPRO_FRI_FOLDS; f++)
            cost[f] = u * (double)opt->n_search;
        return REPRO_FRI_FOLDS;
    case STAGE_INIT:
        if (cost)
            cost[0] = u;
        return 1;
    case STAGE_ITEMS: {
        size_t n_groups = (n_items + group - 1) / group;
        for (size_t t = 0; cost && t < n_groups; t++) {
            cost[t] = 0.0;
            for (size_t it = t * group; it < (t + 1) * group && it < n_items; it++)
                cost[t] += u * (it < chunks ? 3.0 * (double)per_chunk : 1.5);
        }
        return n_groups;
    }
    default:
        return 0;
    }
}

/* The stage to run next, its tasks' cost estimates and its input. */
static int fri_split_next(void *state, repro_split_stage *st, repro_error *err)
{
    (void)err;
    fri_split *s = state;
    memset(st, 0, sizeof *st);
    st->id = s->stage;
    st->cost = s->cost;
    st->n_tasks = stage_costs(&s->opt, s->n, s->d, s->group, s->stage, s->cost);
    if (s->stage == STAGE_SEARCH) {
        st->input = (const unsigned char *)s->Cs;
        st->input_len = s->opt.n_search * sizeof *s->Cs;
    } else if (s->stage == STAGE_INIT) {
        st->input = (const unsigned char *)&s->C;
        st->input_len = sizeof s->C;
    } else if (s->stage == STAGE_ITEMS) {
        st->input = s->init_blob.data;
        st->input_len = s->init_blob.len;
    }
    return REPRO_OK;
}

/* The stages a fit would run and their tasks' cost estimates. */
static int fri_split_shape(size_t n, size_t d, const repro_params *params, size_t max_tasks,
                           repro_split_shape *out, repro_error *err)
{
    repro_fri_options opt;
    repro_params_apply(params, &opt);
    memset(out, 0, sizeof *out);
    size_t n_items = repro_fri_n_items(d, &opt), group = items_group(n_items, max_tasks), total = 0;
    int first = opt.C == 0.0 ? STAGE_SEARCH : STAGE_INIT;
    for (int st = first; st < STAGE_DONE; st++)
        total += out->stage_tasks[out->n_stages++] = stage_costs(&opt, n, d, group, st, NULL);
    if (!(out->cost = repro_malloc(total, sizeof *out->cost, err)))
        return REPRO_ENOMEM;
    size_t at = 0;
    for (int st = first; st < STAGE_DONE; st++)
        at += stage_costs(&opt, n, d, group, st, out->cost + at);
    return REPRO_OK;
}

/* One task: a fold of the search, the init model, or a group of items. */
static int fri_split_task(const repro_dataset *ds, const repro_params *params, const repro_rng *job_rng, int stage,
                          const unsigned char *input, size_t input_len, size_t task, int threads,
                          repro_blob *output, repro_error *err)
{
    (void)threads;
    repro_fri_options opt;
    repro_params_apply(params, &opt);
    memset(output, 0, sizeof *output);
    size_t ns = opt.n_search, d = ds->d;
    if (stage == STAGE_SEARCH) {
        if (input_len != ns * sizeof(double) || task >= REPRO_FRI_FOLDS)
            return repro_error_set(err, REPRO_EINVAL, "FRI: a malformed search task");
        double *Cs = repro_malloc(ns, sizeof *Cs, err);
        output->len = (ns + 2) * sizeof(double);
        output->data = repro_malloc(output->len, 1, err);
        if (!Cs || !output->data) {
            free(Cs);
            return REPRO_ENOMEM;
        }
        memcpy(Cs, input, input_len);
        double sc[2] = {0.0, 0.0}, t0 = now_s();
        size_t lps = 0;
        double *score = repro_malloc(ns, sizeof *score, err);
        int rc = score ? repro_fri_search_fold(ds, Cs, ns, (int)task, !opt.legacy, opt.cv, score, &lps, err) : REPRO_ENOMEM;
        if (rc == REPRO_OK) {
            sc[0] = (double)lps;
            sc[1] = now_s() - t0;
            memcpy(output->data, score, ns * sizeof *score);
            memcpy(output->data + ns * sizeof(double), sc, sizeof sc);
        }
        free(Cs), free(score);
        return rc;
    }
    if (stage == STAGE_INIT) {
        double C;
        if (input_len != sizeof C || task != 0)
            return repro_error_set(err, REPRO_EINVAL, "FRI: a malformed init task");
        memcpy(&C, input, sizeof C);
        repro_fri_init init;
        int rc = repro_fri_init_fit(ds, C, &init, err);
        if (rc == REPRO_OK)
            rc = init_pack(&init, output, err);
        repro_fri_init_clear(&init);
        return rc;
    }
    if (stage != STAGE_ITEMS)
        return repro_error_set(err, REPRO_EINVAL, "FRI has no stage %d", stage);
    size_t n_items = repro_fri_n_items(d, &opt);
    uint64_t group = 0;
    size_t at = 0;
    if (!get_bytes(input, input_len, &at, &group, sizeof group))
        return repro_error_set(err, REPRO_EINVAL, "FRI: a malformed item task");
    repro_fri_init init;
    int rc = init_unpack(input + at, input_len - at, d, &init, err);
    if (rc)
        return rc;
    size_t i0 = task * (size_t)group, i1 = i0 + (size_t)group < n_items ? i0 + (size_t)group : n_items;
    repro_rng rng = *job_rng;
    repro_fri_probes pr;
    memset(&pr, 0, sizeof pr);
    double *scratch = repro_malloc(ns ? ns : 1, sizeof *scratch, err);
    if (!scratch)
        rc = REPRO_ENOMEM;
    if (rc == REPRO_OK && opt.C == 0.0)
        repro_fri_search_draw(&rng, ns, scratch);
    if (rc == REPRO_OK)
        rc = repro_fri_probes_draw(&rng, opt.n_probes, ds->n, d, &pr, err);
    if (rc == REPRO_OK && (group == 0 || i0 >= n_items))
        rc = repro_error_set(err, REPRO_EINVAL, "FRI: item task %zu is out of range", task);
    if (rc == REPRO_OK) {
        output->len = (i1 - i0) * sizeof(repro_fri_item);
        if (!(output->data = repro_malloc(output->len, 1, err)))
            rc = REPRO_ENOMEM;
    }
    for (size_t it = i0; it < i1 && rc == REPRO_OK; it++) {
        repro_fri_item item;
        rc = repro_fri_run_item(ds, &opt, &init, &pr, it, &item, err);
        memcpy(output->data + (it - i0) * sizeof item, &item, sizeof item);
    }
    free(scratch);
    repro_fri_probes_clear(&pr);
    repro_fri_init_clear(&init);
    return rc;
}
/* Takes a stage's outputs (in task order) and moves to the next stage. */
static int fri_split_merge(void *state, const repro_blob *outputs, size_t n_tasks, repro_error *err)
{
    fri_split *s = state;
    size_t ns = s->opt.n_search;
    if (s->stage == STAGE_SEARCH) {
        double *score = repro_malloc(REPRO_FRI_FOLDS * ns, sizeof *score, err);
        if (!score)
            return REPRO_ENOMEM;
        for (size_t f = 0; f < REPRO_FRI_FOLDS; f++) {
            double sc[2];
            if (n_tasks != REPRO_FRI_FOLDS || outputs[f].len != (ns + 2) * sizeof(double)) {
                free(score);
                return repro_error_set(err, REPRO_EINVAL, "FRI: a malformed search output");
            }
            memcpy(score + f * ns, outputs[f].data, ns * sizeof *score);
            memcpy(sc, outputs[f].data + ns * sizeof(double), sizeof sc);
            s->search_lps += (size_t)sc[0];
            s->t_search += sc[1];
        }
        int rc = repro_fri_search_pick(s->Cs, score, ns, &s->C, err);
        free(score);
        if (rc == REPRO_OK)
            s->stage = STAGE_INIT;
        return rc;
    }
    if (s->stage == STAGE_INIT) {
        if (n_tasks != 1)
            return repro_error_set(err, REPRO_EINVAL, "FRI: a malformed init output");
        int rc = init_unpack(outputs[0].data, outputs[0].len, s->d, &s->init, err);
        if (rc)
            return rc;
        uint64_t group = s->group;
        free(s->init_blob.data);
        s->init_blob.len = 0;
        if (!(s->init_blob.data = repro_malloc(sizeof group + outputs[0].len, 1, err)))
            return REPRO_ENOMEM;
        put_bytes(s->init_blob.data, &s->init_blob.len, &group, sizeof group);
        put_bytes(s->init_blob.data, &s->init_blob.len, outputs[0].data, outputs[0].len);
        s->stage = STAGE_ITEMS;
        return REPRO_OK;
    }
    if (s->stage == STAGE_ITEMS) {
        if (n_tasks != s->n_groups)
            return repro_error_set(err, REPRO_EINVAL, "FRI: %zu item outputs for %zu tasks", n_tasks, s->n_groups);
        for (size_t t = 0; t < n_tasks; t++) {
            size_t i0 = t * s->group, k = s->n_items - i0 < s->group ? s->n_items - i0 : s->group;
            if (outputs[t].len != k * sizeof(repro_fri_item))
                return repro_error_set(err, REPRO_EINVAL, "FRI: a malformed item output");
            memcpy(s->items + i0, outputs[t].data, outputs[t].len);
        }
        s->stage = STAGE_DONE;
        return REPRO_OK;
    }
    return repro_error_set(err, REPRO_EINVAL, "FRI: nothing to merge");
}

/* The result: the same assembly as repro_fri_fit's. */
static int fri_split_finish(void *state, repro_fit_result *out, repro_error *err)
{
    fri_split *s = state;
    if (s->stage != STAGE_DONE)
        return repro_error_set(err, REPRO_EINVAL, "FRI: finishing a split fit before its last stage");
    repro_fri_result fr;
    int rc = repro_fri_assemble(s->d, &s->opt, &s->init, s->items, s->search_lps, s->t_search, &fr, err);
    if (rc)
        return rc;
    return to_fit_result(&fr, s->d, out, err);
}

static const repro_model_split fri_split_fns = {
    fri_split_begin, fri_split_next, fri_split_task, fri_split_merge, fri_split_finish, fri_split_free,
    fri_split_shape,
};

const repro_model_type repro_model_FRI = {
    "FRI",
    "feature relevance intervals from an L1-SVM via linear programs",
    fri_params,
    sizeof fri_params / sizeof fri_params[0],
    2,
    fri_cost,
    fri_fit,
    sizeof(repro_fri_options),
    fri_defaults,
    NULL,
    &fri_split_fns,
    fri_cost_params,
};
