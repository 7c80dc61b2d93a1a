/* model.c - parameters and fit results shared by all models (see model.h). */
#include "repro/model.h"

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const repro_model_type *repro_model_find(const char *name)
{
    for (size_t i = 0; repro_models[i]; i++)
        if (strcmp(repro_models[i]->name, name) == 0)
            return repro_models[i];
    return NULL;
}

void repro_model_names(char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; repro_models[i] && used < size; i++) {
        int w = snprintf(buf + used, size - used, "%s%s", i ? ", " : "", repro_models[i]->name);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

/* Room for any model's settings struct, aligned for any field. */
typedef union settings_buf {
    max_align_t align;
    unsigned char bytes[REPRO_MAX_SETTINGS];
} settings_buf;

/* The value of def's field in settings, as a double. */
static double field_get(const repro_param_def *def, const void *settings)
{
    const unsigned char *at = (const unsigned char *)settings + def->offset;
    switch (def->kind) {
    case REPRO_PARAM_INT: {
        int v;
        memcpy(&v, at, sizeof v);
        return v;
    }
    case REPRO_PARAM_SIZE: {
        size_t v;
        memcpy(&v, at, sizeof v);
        return (double)v;
    }
    default: {
        double v;
        memcpy(&v, at, sizeof v);
        return v;
    }
    }
}

/* Stores x (whole for INT and SIZE, checked by repro_params_set) into def's
 * field in settings. */
static void field_set(const repro_param_def *def, void *settings, double x)
{
    unsigned char *at = (unsigned char *)settings + def->offset;
    if (def->kind == REPRO_PARAM_INT) {
        int v = (int)x;
        memcpy(at, &v, sizeof v);
    } else if (def->kind == REPRO_PARAM_SIZE) {
        size_t v = (size_t)x;
        memcpy(at, &v, sizeof v);
    } else {
        memcpy(at, &x, sizeof x);
    }
}

/* The model's default settings (zeroes for a model without defaults()). */
static void settings_defaults(const repro_model_type *type, void *settings)
{
    assert(type->settings_size <= REPRO_MAX_SETTINGS);
    memset(settings, 0, type->settings_size);
    if (type->defaults)
        type->defaults(settings);
}

double repro_params_cost(const repro_params *params, size_t n, size_t d)
{
    return repro_params_cost_data(params, n, d, REPRO_PROFILE_DATA_OTHER);
}

double repro_params_cost_data(const repro_params *params, size_t n, size_t d, int data)
{
    const repro_model_type *t = params->type;
    if (t->cost_params)
        return t->cost_params(n, d, params, data);
    return t->cost ? t->cost(n, d) : 1e-8 * (double)n * (double)d;
}

void repro_params_defaults(const repro_model_type *type, repro_params *params)
{
    assert(type->n_params <= REPRO_MAX_PARAMS);
    settings_buf s;
    memset(&s, 0, sizeof s);
    settings_defaults(type, s.bytes);
    memset(params, 0, sizeof *params);
    params->type = type;
    for (size_t i = 0; i < type->n_params; i++)
        params->v[i] = field_get(&type->params[i], s.bytes);
}

void repro_params_apply(const repro_params *params, void *settings)
{
    const repro_model_type *type = params->type;
    settings_defaults(type, settings);
    for (size_t i = 0; i < type->n_params; i++)
        field_set(&type->params[i], settings, params->v[i]);
}

int repro_params_validate(const repro_params *params, repro_error *err)
{
    const repro_model_type *type = params->type;
    if (!type->validate)
        return REPRO_OK;
    settings_buf s;
    memset(&s, 0, sizeof s);
    repro_params_apply(params, s.bytes);
    int rc = type->validate(s.bytes, err);
    if (rc)
        repro_error_prefix(err, "model %s", type->name);
    return rc;
}

int repro_param_is_int(const repro_param_def *def)
{
    return def->kind != REPRO_PARAM_DOUBLE;
}

int repro_params_set_text(repro_params *params, const char *setting, repro_error *err)
{
    const char *eq = strchr(setting, '=');
    char name[128];
    if (!eq || eq == setting || (size_t)(eq - setting) >= sizeof name)
        return repro_error_set(err, REPRO_EINVAL, "bad setting '%s' for %s (expected key=value)", setting,
                               params->type->name);
    memcpy(name, setting, (size_t)(eq - setting));
    name[eq - setting] = '\0';
    return repro_params_set(params, name, eq + 1, err);
}

int repro_params_index(const repro_model_type *type, const char *name)
{
    for (size_t i = 0; i < type->n_params; i++)
        if (strcmp(type->params[i].name, name) == 0)
            return (int)i;
    return -1;
}

double repro_params_get(const repro_params *params, const char *name)
{
    int i = repro_params_index(params->type, name);
    return i >= 0 ? params->v[i] : NAN;
}

/* Index of `value` among the '|'-separated choices, or -1. */
static int choice_index(const char *choices, const char *value)
{
    size_t len = strlen(value);
    int idx = 0;
    for (const char *p = choices; *p; idx++) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        if (n == len && strncmp(p, value, n) == 0)
            return idx;
        if (!bar)
            break;
        p = bar + 1;
    }
    return -1;
}

int repro_params_set(repro_params *params, const char *name, const char *value,
                     repro_error *err)
{
    const repro_model_type *type = params->type;
    int i = repro_params_index(type, name);
    if (i < 0) {
        char list[512];
        size_t used = 0;
        list[0] = '\0';
        for (size_t k = 0; k < type->n_params && used < sizeof list; k++) {
            int w = snprintf(list + used, sizeof list - used, "%s%s", k ? ", " : "",
                             type->params[k].name);
            if (w < 0)
                break;
            used += (size_t)w;
        }
        return repro_error_set(err, REPRO_EINVAL, "unknown parameter '%s' for model %s (valid: %s)",
                               name, type->name, type->n_params ? list : "none");
    }
    const repro_param_def *def = &type->params[i];
    if (def->choices) {
        int c = choice_index(def->choices, value);
        if (c < 0)
            return repro_error_set(err, REPRO_EINVAL,
                                   "bad value '%s' for parameter '%s' of %s (choose one of %s)",
                                   value, name, type->name, def->choices);
        params->v[i] = c;
        return REPRO_OK;
    }
    char *end = NULL;
    errno = 0;
    double x = strtod(value, &end);
    if (end == value || *end != '\0' || errno == ERANGE || !isfinite(x))
        return repro_error_set(err, REPRO_EINVAL, "bad value '%s' for parameter '%s' of %s: not a number",
                               value, name, type->name);
    if (repro_param_is_int(def) && x != floor(x))
        return repro_error_set(err, REPRO_EINVAL,
                               "bad value '%s' for parameter '%s' of %s: must be a whole number",
                               value, name, type->name);
    if (x < def->min || x > def->max)
        return repro_error_set(err, REPRO_EINVAL,
                               "bad value '%s' for parameter '%s' of %s: must be in [%g, %g]",
                               value, name, type->name, def->min, def->max);
    params->v[i] = x;
    return REPRO_OK;
}

int repro_fit_result_init(repro_fit_result *res, size_t d, repro_error *err)
{
    memset(res, 0, sizeof *res);
    res->d = d;
    res->relevance = repro_calloc(d, sizeof *res->relevance, err);
    return res->relevance ? REPRO_OK : REPRO_ENOMEM;
}

void repro_fit_result_clear(repro_fit_result *res)
{
    free(res->relevance);
    free(res->importance);
    free(res->bounds);
    for (size_t i = 0; i < res->n_extras; i++)
        free(res->extras[i].v);
    memset(res, 0, sizeof *res);
}

int repro_fit_result_add(repro_fit_result *res, const char *name, const double *v, size_t len,
                         int integral, repro_error *err)
{
    if (res->n_extras >= REPRO_MAX_EXTRAS)
        return repro_error_set(err, REPRO_EINVAL, "too many extras in a fit result (adding '%s')", name);
    repro_extra *e = &res->extras[res->n_extras];
    e->v = repro_malloc(len ? len : 1, sizeof *e->v, err);
    if (!e->v)
        return REPRO_ENOMEM;
    if (len)
        memcpy(e->v, v, len * sizeof *v);
    snprintf(e->name, sizeof e->name, "%s", name);
    e->len = len;
    e->integral = integral;
    res->n_extras++;
    return REPRO_OK;
}

const repro_extra *repro_fit_result_find(const repro_fit_result *res, const char *name)
{
    for (size_t i = 0; i < res->n_extras; i++)
        if (strcmp(res->extras[i].name, name) == 0)
            return &res->extras[i];
    return NULL;
}

int repro_model_fit_split(const repro_model_type *type, const repro_dataset *ds, const repro_params *params,
                          const repro_rng *rng, int threads, size_t max_tasks, repro_fit_result *out,
                          repro_error *err)
{
    const repro_model_split *sp = type->split;
    memset(out, 0, sizeof *out);
    if (!sp)
        return repro_error_set(err, REPRO_EINVAL, "%s does not split into tasks", type->name);
    repro_rng r = *rng;
    void *state = NULL;
    int rc = sp->begin(ds, params, &r, max_tasks, &state, err);
    repro_split_stage st;
    while (rc == REPRO_OK && (rc = sp->next(state, &st, err)) == REPRO_OK && st.n_tasks > 0) {
        repro_blob *outs = repro_calloc(st.n_tasks, sizeof *outs, err);
        if (!outs) {
            rc = REPRO_ENOMEM;
            break;
        }
        for (size_t t = 0; t < st.n_tasks && rc == REPRO_OK; t++)
            rc = sp->run_task(ds, params, rng, st.id, st.input, st.input_len, t, threads, &outs[t], err);
        if (rc == REPRO_OK)
            rc = sp->merge(state, outs, st.n_tasks, err);
        for (size_t t = 0; t < st.n_tasks; t++)
            free(outs[t].data);
        free(outs);
    }
    if (rc == REPRO_OK)
        rc = sp->finish(state, out, err);
    if (state)
        sp->free(state);
    return rc;
}
