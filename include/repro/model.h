/* model.h - the one interface every solver (SQ, FRI, ElasticNet, RF) plugs
 * into, and the registry of solvers by name.
 *
 * Adding a model: one source file src/models/NAME_model.c ending in a
 * `const repro_model_type repro_model_NAME`, and one row in registry.c
 * (docs/ARCHITECTURE.md). */
#ifndef REPRO_MODEL_H
#define REPRO_MODEL_H

#include <stddef.h>

#include "repro/data.h"
#include "repro/error.h"
#include "repro/rng.h"

#define REPRO_MAX_PARAMS 16
#define REPRO_MAX_EXTRAS 16

/* The C type of the settings field a parameter is stored in. */
typedef enum repro_param_kind {
    REPRO_PARAM_DOUBLE, /* double */
    REPRO_PARAM_INT,    /* int (also an enum: the index of the choice) */
    REPRO_PARAM_SIZE    /* size_t */
} repro_param_kind;

/* One tunable parameter: a field of the model's settings struct (the
 * solver's options, see repro_model_type.defaults) at `offset`, of C type
 * `kind`. Numeric, in [min, max]; INT and SIZE require a whole number. If
 * choices is not NULL it lists names separated by '|' and the value is the
 * index of the chosen name ("l2|elasticnet"). The default is what the
 * model's defaults() leaves in the field. */
typedef struct repro_param_def {
    const char *name;
    size_t offset;
    repro_param_kind kind;
    double min, max;
    const char *choices;
    const char *help;
} repro_param_def;

/* A parameter definition: field FIELD (a member path such as forest.n_trees)
 * of the settings struct TYPE, of C type KIND (DOUBLE, INT or SIZE). */
#define REPRO_PARAM(NAME, TYPE, FIELD, KIND, MIN, MAX, CHOICES, HELP) \
    {NAME, offsetof(TYPE, FIELD), REPRO_PARAM_##KIND, MIN, MAX, CHOICES, HELP}

/* Bytes of the largest settings struct of a model (checked by each model
 * with a static assertion next to its table). */
#define REPRO_MAX_SETTINGS 1024

struct repro_model_type;

/* Parameter values of one model, in the order of its definitions. */
typedef struct repro_params {
    const struct repro_model_type *type;
    double v[REPRO_MAX_PARAMS];
} repro_params;

/* A named vector a model reports beyond classes and score (for JSON and the
 * results file): e.g. "shadow_bounds" = [lo, hi], "AR" = feature indices. */
typedef struct repro_extra {
    char name[32];
    size_t len;
    double *v;
    int integral; /* print as integers */
} repro_extra;

/* What a fit produces. relevance[j] in {0,1,2} (selectors use {0,1}). */
typedef struct repro_fit_result {
    size_t d;
    int *relevance;
    double train_score;
    double *importance; /* d values, or NULL if the model has none */
    double *bounds;     /* 2*d values (lo_j, hi_j pairs), or NULL */
    size_t n_extras;
    repro_extra extras[REPRO_MAX_EXTRAS];
} repro_fit_result;

/* A fit draws only from rng, may use up to `threads` OpenMP threads with
 * results independent of that number, and on failure returns a code with a
 * message in err (REPRO_EFAIL when the method itself gives up). */
typedef int (*repro_fit_fn)(const repro_dataset *ds, const repro_params *params,
                            repro_rng *rng, int threads, repro_fit_result *out,
                            repro_error *err);

/* Bytes a stage's input or a task's output travels in between ranks. */
typedef struct repro_blob {
    unsigned char *data;
    size_t len;
} repro_blob;

/* One stage of a split fit: n_tasks independent tasks (0: the fit is
 * complete, call finish), each with a cost estimate (seconds on one core,
 * for dealing), all given the same input bytes. Owned by the split state,
 * valid until the stage is merged. */
typedef struct repro_split_stage {
    int id;                     /* the model's stage number, given to run_task */
    size_t n_tasks;
    const double *cost;         /* n_tasks estimates */
    const unsigned char *input; /* the stage's input */
    size_t input_len;
} repro_split_stage;

/* Most stages a split fit's shape reports. */
#define REPRO_SPLIT_MAX_STAGES 8

/* The stages and tasks a split fit would run, as cost estimates (for the
 * scaling model): stage_tasks[s] tasks in stage s, and every task's cost,
 * stage by stage, in cost (allocated; free it). */
typedef struct repro_split_shape {
    size_t n_stages;
    size_t stage_tasks[REPRO_SPLIT_MAX_STAGES];
    double *cost;
} repro_split_shape;

/* A fit cut into stages of independent tasks that any rank can run (the
 * runner deals tasks like jobs). begin runs the serial prelude from the
 * job's data, parameters and stream and keeps the job's state; next gives
 * the stage to run; run_task runs one of its tasks anywhere, from the data
 * (regenerated there from the job's identity), the parameters, a fresh copy
 * of the job's stream (as given to begin, so a task replays the draws it
 * needs; a task that needs its own draws derives a child stream from its
 * index) and the stage's input; merge takes the stage's outputs in task
 * order; finish makes the result. A split fit gives the same bits as `fit`
 * for any number of tasks per stage (max_tasks: the runner's wish for the
 * most tasks per stage, which a model may exceed where its stages have a
 * fixed count, 0 for the model's choice) and wherever tasks run. */
typedef struct repro_model_split {
    int (*begin)(const repro_dataset *ds, const repro_params *params, repro_rng *rng,
                 size_t max_tasks, void **state, repro_error *err);
    int (*next)(void *state, repro_split_stage *stage, repro_error *err);
    int (*run_task)(const repro_dataset *ds, const repro_params *params, const repro_rng *job_rng,
                    int stage, const unsigned char *input, size_t input_len, size_t task, int threads,
                    repro_blob *output, repro_error *err);
    int (*merge)(void *state, const repro_blob *outputs, size_t n_tasks, repro_error *err);
    int (*finish)(void *state, repro_fit_result *out, repro_error *err);
    void (*free)(void *state);
    /* The shape of a fit on n x d data with these parameters and at most
     * max_tasks tasks per stage (0: the model's choice), without running it;
     * NULL if the model cannot tell. */
    int (*shape)(size_t n, size_t d, const repro_params *params, size_t max_tasks, repro_split_shape *out,
                 repro_error *err);
} repro_model_split;

typedef struct repro_model_type {
    const char *name;
    const char *summary;
    const repro_param_def *params;
    size_t n_params;
    int max_class;                         /* 2 for all-relevant models with classes */
    double (*cost)(size_t n, size_t d);    /* estimated seconds of one fit on one core (scheduling) */
    repro_fit_fn fit;
    size_t settings_size;                  /* bytes of the settings struct the params point into */
    void (*defaults)(void *settings);      /* fills the settings: the solver's own _default() */
    /* Checks constraints between fields of filled settings (REPRO_EINVAL with
     * a message), or NULL; run when a plan is built and before `fit` fits. */
    int (*validate)(const void *settings, repro_error *err);
    const repro_model_split *split;        /* NULL: the model runs as one task */
    /* cost with the fit's parameters and the data's kind (repro_gen_kind,
     * or REPRO_PROFILE_DATA_OTHER when no generator made the data), for
     * models whose parameters or data change it much (SQ's boosted minimal
     * model, FRI on non-linear data); NULL: cost(n, d) */
    double (*cost_params)(size_t n, size_t d, const struct repro_params *params, int data);
} repro_model_type;

/* The registry: NULL-terminated, in the order of the paper's tables. */
extern const repro_model_type *const repro_models[];
/* Finds a model by name (case-sensitive); NULL if unknown. */
const repro_model_type *repro_model_find(const char *name);
/* Writes the registered names as "A, B, C" into buf. */
void repro_model_names(char *buf, size_t size);

/* Estimated seconds of one single-thread fit of params' model with these
 * parameters on n x d data of unknown kind (scheduling; cost_params, else
 * cost, else 1e-8 n d). */
double repro_params_cost(const repro_params *params, size_t n, size_t d);
/* The same for data of a known kind: data is a repro_gen_kind (the
 * generator that made it) or REPRO_PROFILE_DATA_OTHER (csv, unknown). Only
 * deal order, dry-run and ETA use it; no result depends on it. */
double repro_params_cost_data(const repro_params *params, size_t n, size_t d, int data);

/* Fills params with type's defaults (read from the settings its defaults()
 * fills). */
void repro_params_defaults(const repro_model_type *type, repro_params *params);
/* Fills settings (params->type->settings_size bytes) with the defaults, then
 * writes every parameter into its field: what a fit starts from. */
void repro_params_apply(const repro_params *params, void *settings);
/* Runs the model's validate hook on the settings of params (REPRO_OK when the
 * model has none); the message names the model. */
int repro_params_validate(const repro_params *params, repro_error *err);
/* Sets one parameter from text ("100", "1e-4", or a choice name). Unknown
 * names list the valid ones; bad values name the parameter and its range. */
int repro_params_set(repro_params *params, const char *name, const char *value,
                     repro_error *err);
/* repro_params_set from one "name=value" text (the --set form); a text
 * without '=' or with an empty or over-long name is REPRO_EINVAL. */
int repro_params_set_text(repro_params *params, const char *setting, repro_error *err);
/* Index of a parameter in type's definitions, or -1. */
int repro_params_index(const repro_model_type *type, const char *name);
/* Value of a parameter by name, or NaN if the model has no such parameter
 * (for reports and tests; fits read their settings via repro_params_apply). */
double repro_params_get(const repro_params *params, const char *name);
/* Whether a parameter takes whole numbers only. */
int repro_param_is_int(const repro_param_def *def);

/* Which jobs a profile setting applies to: every job, or only jobs whose
 * data come from one generator (data of no generator, e.g. csv, get only
 * the settings for every job). */
typedef enum repro_profile_scope {
    REPRO_SCOPE_ALL = 0,
    REPRO_SCOPE_LINEAR,
    REPRO_SCOPE_NONLINEAR
} repro_profile_scope;

/* One setting of a profile: "MODEL.key=value" for the jobs of a scope. */
typedef struct repro_profile_setting {
    repro_profile_scope scope;
    const char *text;
} repro_profile_setting;

/* A profile: named parameter settings of several models that reproduce one
 * configuration (e.g. the published runs, or a later package version),
 * possibly different on linear and non-linear data. `run`, `paper` and
 * `fit` apply REPRO_PROFILE_DEFAULT unless told another; a profile sets a
 * parameter over the model's default and under the job files' own lines
 * and --set. */
typedef struct repro_profile {
    const char *name;
    const char *help;
    const repro_profile_setting *settings; /* terminated by a NULL text */
} repro_profile;

#define REPRO_PROFILE_DEFAULT "published"
/* The data kind of a job that no generator made (csv): unscoped settings only. */
#define REPRO_PROFILE_DATA_OTHER (-1)

/* The profiles, NULL-name-terminated (table in src/models/profiles.c). */
extern const repro_profile repro_profiles[];
/* Finds a profile by name (case-sensitive); NULL if unknown. */
const repro_profile *repro_profile_find(const char *name);
/* Writes the profile names as "A, B" into buf. */
void repro_profile_names(char *buf, size_t size);
/* "all", "linear" or "nonlinear". */
const char *repro_profile_scope_name(repro_profile_scope scope);
/* Writes the profile's settings into buf as one line: the unscoped ones,
 * then "linear: ..." and "nonlinear: ..." ("(none)" for an empty profile). */
void repro_profile_format(const repro_profile *profile, char *buf, size_t size);
/* Applies the profile's settings for params' model (those of other models
 * are skipped) whose scope covers data_kind (a repro_gen_kind, or
 * REPRO_PROFILE_DATA_OTHER), as repro_params_set_text would, except the
 * parameters whose bit (1u << index) is set in keep (the job file's own).
 * REPRO_EINVAL on a setting the model rejects. */
int repro_profile_apply(const repro_profile *profile, repro_params *params, int data_kind, unsigned keep,
                        repro_error *err);

/* Runs a split fit of type (type->split not NULL) here, stage by stage,
 * each stage's tasks one after the other with `threads` threads each and at
 * most max_tasks tasks per stage (0: the model's choice): the same result as
 * type->fit, for tests and benchmarks. */
int repro_model_fit_split(const repro_model_type *type, const repro_dataset *ds, const repro_params *params,
                          const repro_rng *rng, int threads, size_t max_tasks, repro_fit_result *out,
                          repro_error *err);

/* Allocates relevance (zeroed) for d features; everything else empty. */
int repro_fit_result_init(repro_fit_result *res, size_t d, repro_error *err);
/* Frees what a result owns and empties it; safe on a zeroed struct. */
void repro_fit_result_clear(repro_fit_result *res);
/* Appends a copy of v[0..len) as extra `name`. */
int repro_fit_result_add(repro_fit_result *res, const char *name, const double *v, size_t len,
                         int integral, repro_error *err);
/* Finds an extra by name, or NULL. */
const repro_extra *repro_fit_result_find(const repro_fit_result *res, const char *name);

#endif
