/* plan.c - expanding job files into jobs (see plan.h). */
#include "repro/plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repro/tokenize.h"

void repro_plan_free(repro_plan *plan)
{
    if (!plan)
        return;
    for (size_t i = 0; i < plan->n_files; i++)
        repro_jobfile_free(plan->files[i]);
    free(plan->files);
    free(plan->jobs);
    free(plan->seeds);
    free(plan->text);
    free(plan->names);
    free(plan);
}

size_t repro_job_d(const repro_job *job)
{
    const repro_gen_spec *s = &job->ds->spec;
    return (size_t)(s->strong + s->weak + s->irrelevant);
}

/* Parses one decimal number of a seed list; 0 on success. */
static int seed_number(const char *s, size_t len, uint64_t *out)
{
    if (len == 0 || len > 20)
        return -1;
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        uint64_t dgt = (uint64_t)(s[i] - '0');
        if (v > (UINT64_MAX - dgt) / 10)
            return -1;
        v = v * 10 + dgt;
    }
    *out = v;
    return 0;
}

int repro_plan_parse_seeds(const char *text, uint64_t **out, size_t *n, repro_error *err)
{
    *out = NULL;
    *n = 0;
    if (!text || !*text)
        return repro_error_set(err, REPRO_EINVAL, "seed list is empty (expected e.g. 123,9001-9019)");
    uint64_t *v = repro_malloc(REPRO_MAX_SEEDS, sizeof *v, err);
    if (!v)
        return REPRO_ENOMEM;
    size_t k = 0, len;
    const char *s;
    for (const char *at = text; repro_list_next(&at, &s, &len, 0);) {
        const char *dash = memchr(s, '-', len);
        uint64_t lo = 0, hi = 0;
        int bad = dash ? seed_number(s, (size_t)(dash - s), &lo) || seed_number(dash + 1, len - (size_t)(dash - s) - 1, &hi)
                       : seed_number(s, len, &lo);
        if (!dash)
            hi = lo;
        if (bad) {
            free(v);
            return repro_error_set(err, REPRO_EINVAL,
                                   "seed list '%s': '%.*s' is not a seed (0..18446744073709551615) or a range A-B",
                                   text, (int)len, s);
        }
        if (hi < lo) {
            free(v);
            return repro_error_set(err, REPRO_EINVAL, "seed list '%s': range '%.*s' is reversed", text, (int)len,
                                   s);
        }
        if (hi - lo >= (uint64_t)(REPRO_MAX_SEEDS - k)) {
            free(v);
            return repro_error_set(err, REPRO_EINVAL, "seed list '%s': more than %d seeds", text,
                                   REPRO_MAX_SEEDS);
        }
        for (uint64_t x = lo;; x++) {
            for (size_t i = 0; i < k; i++)
                if (v[i] == x) {
                    free(v);
                    return repro_error_set(err, REPRO_EINVAL, "seed list '%s': seed %llu appears twice", text,
                                           (unsigned long long)x);
                }
            v[k++] = x;
            if (x == hi)
                break;
        }
    }
    *out = v;
    *n = k;
    return REPRO_OK;
}

void repro_plan_format_seeds(const uint64_t *seeds, size_t n, char *buf, size_t size)
{
    size_t at = 0;
    if (size)
        buf[0] = '\0';
    for (size_t i = 0; i < n && at < size;) {
        size_t j = i;
        while (j + 1 < n && seeds[j + 1] == seeds[j] + 1)
            j++;
        if (j > i)
            at += (size_t)snprintf(buf + at, size - at, "%s%llu-%llu", i ? "," : "", (unsigned long long)seeds[i],
                                   (unsigned long long)seeds[j]);
        else
            at += (size_t)snprintf(buf + at, size - at, "%s%llu", i ? "," : "", (unsigned long long)seeds[i]);
        i = j + 1;
    }
}

/* Whether model `name` is in the comma-separated filter (NULL keeps all). */
static int model_kept(const char *filter, const char *name)
{
    if (!filter)
        return 1;
    size_t len = strlen(name), t;
    const char *item;
    for (const char *at = filter; repro_list_next(&at, &item, &t, 1);)
        if (t && t == len && !strncmp(item, name, len))
            return 1;
    return 0;
}

/* Checks that every name of the filter is a model of some experiment. */
static int check_filter(const repro_plan *plan, const char *filter, repro_error *err)
{
    int any = 0;
    const char *item;
    size_t t;
    for (const char *at = filter; repro_list_next(&at, &item, &t, 1);) {
        if (!t)
            continue;
        char tok[512];
        repro_list_copy(item, t, tok, sizeof tok);
        any = 1;
        int found = 0;
        for (size_t f = 0; f < plan->n_files && !found; f++)
            for (size_t e = 0; e < plan->files[f]->n_experiments && !found; e++) {
                const repro_experiment *x = &plan->files[f]->exp[e];
                for (size_t m = 0; m < x->n_models; m++)
                    if (!strcmp(x->models[m].type->name, tok))
                        found = 1;
            }
        if (!found)
            return repro_error_set(err, REPRO_EINVAL, "--models: '%s' is not a model of these job files",
                                   tok);
    }
    if (!any)
        return repro_error_set(err, REPRO_EINVAL, "--models: no model named");
    return REPRO_OK;
}

/* Whether the name is among what a filter of `what` may name: experiment
 * names (what 'e') or data set names (what 'd') of the plan's files. */
static int plan_has_name(const repro_plan *plan, char what, const char *name)
{
    for (size_t f = 0; f < plan->n_files; f++)
        for (size_t e = 0; e < plan->files[f]->n_experiments; e++) {
            const repro_experiment *x = &plan->files[f]->exp[e];
            if (what == 'e' && !strcmp(x->name, name))
                return 1;
            for (size_t s = 0; what == 'd' && s < x->n_datasets; s++)
                if (!strcmp(x->datasets[s].name, name))
                    return 1;
        }
    return 0;
}

/* The distinct experiment (what 'e') or data set (what 'd') names of the
 * plan's files, comma-separated in file order, into buf (cut with "..." if
 * long). */
static void plan_names(const repro_plan *plan, char what, char *buf, size_t size)
{
    size_t at = 0;
    buf[0] = '\0';
    for (size_t f = 0; f < plan->n_files; f++)
        for (size_t e = 0; e < plan->files[f]->n_experiments; e++) {
            const repro_experiment *x = &plan->files[f]->exp[e];
            size_t n = what == 'e' ? 1 : x->n_datasets;
            for (size_t s = 0; s < n; s++) {
                const char *name = what == 'e' ? x->name : x->datasets[s].name;
                int seen = 0; /* listed before? (an earlier experiment or data set of that name) */
                for (size_t g = 0; g <= f && !seen; g++)
                    for (size_t h = 0; h < (g == f ? e + 1 : plan->files[g]->n_experiments) && !seen; h++) {
                        const repro_experiment *y = &plan->files[g]->exp[h];
                        size_t m = what == 'e' ? (g == f && h == e ? 0 : 1)
                                               : (g == f && h == e ? s : y->n_datasets);
                        for (size_t t = 0; t < m && !seen; t++)
                            seen = !strcmp(name, what == 'e' ? y->name : y->datasets[t].name);
                    }
                if (seen)
                    continue;
                if (at + strlen(name) + 6 >= size) {
                    if (at + 5 < size)
                        snprintf(buf + at, size - at, ", ...");
                    return;
                }
                at += (size_t)snprintf(buf + at, size - at, "%s%s", at ? ", " : "", name);
            }
        }
}

/* Checks that every name of an experiment or data set filter (`flag`) names
 * one of the files', else one line listing the valid names. */
static int check_names(const repro_plan *plan, const char *filter, char what, const char *flag,
                       repro_error *err)
{
    char buf[512], valid[400];
    snprintf(buf, sizeof buf, "%s", filter);
    int any = 0;
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ')
            tok++;
        size_t t = strlen(tok);
        while (t && tok[t - 1] == ' ')
            tok[--t] = '\0';
        if (!*tok)
            continue;
        any = 1;
        if (!plan_has_name(plan, what, tok)) {
            plan_names(plan, what, valid, sizeof valid);
            return repro_error_set(err, REPRO_EINVAL, "%s: '%s' is not %s of these job files (valid: %s)", flag,
                                   tok, what == 'e' ? "an experiment" : "a data set", valid);
        }
    }
    if (!any)
        return repro_error_set(err, REPRO_EINVAL, "%s: no name given", flag);
    return REPRO_OK;
}

/* Writes a filter as recorded in the plan's text: its names trimmed, joined
 * by ",". */
static size_t filter_line(char *buf, size_t size, const char *head, const char *filter)
{
    size_t at = (size_t)snprintf(buf, size, "### %s ", head);
    int first = 1;
    for (const char *s = filter; *s && at < size;) {
        while (*s == ' ' || *s == ',')
            s++;
        size_t k = strcspn(s, ",");
        size_t t = k;
        while (t && s[t - 1] == ' ')
            t--;
        if (t) {
            at += (size_t)snprintf(buf + at, size - at, "%s%.*s", first ? "" : ",", (int)t, s);
            first = 0;
        }
        s += k;
    }
    if (at < size)
        at += (size_t)snprintf(buf + at, size - at, "\n");
    return at < size ? at : size - 1;
}

/* Applies one "MODEL.key=value" setting to every experiment that runs MODEL. */
static int apply_set(repro_plan *plan, const char *set, repro_error *err)
{
    const char *dot = strchr(set, '.'), *eq = strchr(set, '=');
    if (!dot || !eq || dot == set || eq < dot + 2 || !eq[1])
        return repro_error_set(err, REPRO_EINVAL, "--set '%s': expected MODEL.key=value (e.g. SQ.perc=100)",
                               set);
    char model[REPRO_NAME_MAX];
    if ((size_t)(dot - set) >= sizeof model)
        return repro_error_set(err, REPRO_EINVAL, "--set '%s': model name too long", set);
    memcpy(model, set, (size_t)(dot - set));
    model[dot - set] = '\0';
    int found = 0;
    for (size_t f = 0; f < plan->n_files; f++)
        for (size_t e = 0; e < plan->files[f]->n_experiments; e++) {
            repro_experiment *x = &plan->files[f]->exp[e];
            for (size_t m = 0; m < x->n_models; m++) {
                if (strcmp(x->models[m].type->name, model))
                    continue;
                found = 1;
                repro_error perr;
                repro_error_clear(&perr);
                if (repro_params_set_text(&x->models[m], dot + 1, &perr))
                    return repro_error_set(err, REPRO_EINVAL, "--set %s: %s", set, perr.msg);
            }
        }
    if (!found)
        return repro_error_set(err, REPRO_EINVAL, "--set %s: '%s' is not a model of these job files", set,
                               model);
    return REPRO_OK;
}

/* Runs every model's validate hook on its final parameters, so settings that
 * do not hold together fail here, before any job runs. */
static int validate_models(const repro_plan *plan, repro_error *err)
{
    for (size_t f = 0; f < plan->n_files; f++)
        for (size_t e = 0; e < plan->files[f]->n_experiments; e++) {
            const repro_experiment *x = &plan->files[f]->exp[e];
            for (size_t m = 0; m < x->n_models; m++) {
                int rc = repro_params_validate(&x->models[m], err);
                if (rc) {
                    repro_error_prefix(err, "%s: experiment %s", plan->files[f]->name, x->name);
                    return rc;
                }
            }
        }
    return REPRO_OK;
}

/* Applies the named profile to every model of every experiment, each
 * setting where its scope covers the experiment's generator; models and
 * parameters it does not mention, and the job files' own lines, keep their
 * values. */
static int apply_profile(repro_plan *plan, const char *name, repro_error *err)
{
    const repro_profile *prof = repro_profile_find(name);
    if (!prof) {
        char names[256];
        repro_profile_names(names, sizeof names);
        return repro_error_set(err, REPRO_EINVAL, "unknown profile '%s' (valid: %s)", name, names);
    }
    for (size_t f = 0; f < plan->n_files; f++)
        for (size_t e = 0; e < plan->files[f]->n_experiments; e++) {
            repro_experiment *x = &plan->files[f]->exp[e];
            for (size_t m = 0; m < x->n_models; m++) {
                int rc = repro_profile_apply(prof, &x->models[m], (int)x->generator, x->own[m], err);
                if (rc)
                    return rc;
            }
        }
    return REPRO_OK;
}

/* Concatenates the files' texts and names, then the profile and settings,
 * for provenance and identity. */
static int plan_text(repro_plan *plan, const repro_plan_options *opt, repro_error *err)
{
    size_t len = 1, nlen = 1;
    size_t n_sets = opt ? opt->n_sets : 0;
    const char *profile = opt ? opt->profile : NULL;
    const char *filters[3] = {opt ? opt->models : NULL, opt ? opt->experiments : NULL,
                              opt ? opt->datasets : NULL};
    static const char *const heads[3] = {"MODELS", "EXPERIMENTS", "DATASETS"};
    for (size_t i = 0; i < n_sets; i++)
        len += strlen(opt->sets[i]) + 16;
    for (int k = 0; k < 3; k++)
        len += filters[k] ? strlen(filters[k]) + 24 : 0;
    char settings[1024] = "";
    const repro_profile *prof = profile ? repro_profile_find(profile) : NULL;
    if (prof)
        repro_profile_format(prof, settings, sizeof settings);
    if (profile)
        len += strlen(profile) + strlen(settings) + 48;
    for (size_t f = 0; f < plan->n_files; f++) {
        len += strlen(plan->files[f]->text) + strlen(plan->files[f]->name) + 16;
        nlen += strlen(plan->files[f]->name) + 1;
    }
    plan->text = repro_malloc(len, 1, err);
    plan->names = repro_malloc(nlen, 1, err);
    if (!plan->text || !plan->names)
        return REPRO_ENOMEM;
    size_t at = 0, nat = 0;
    plan->names[0] = '\0';
    for (size_t f = 0; f < plan->n_files; f++) {
        const repro_jobfile *jf = plan->files[f];
        size_t tl = strlen(jf->text);
        at += (size_t)snprintf(plan->text + at, len - at, "### FILE %s\n%s%s", jf->name, jf->text,
                               tl && jf->text[tl - 1] != '\n' ? "\n" : "");
        nat += (size_t)snprintf(plan->names + nat, nlen - nat, "%s%s", f ? "\n" : "", jf->name);
    }
    if (profile)
        at += (size_t)snprintf(plan->text + at, len - at, "### PROFILE %s\n### PROFILE_SETTINGS %s\n", profile,
                               settings);
    for (size_t i = 0; i < n_sets; i++)
        at += (size_t)snprintf(plan->text + at, len - at, "### SET %s\n", opt->sets[i]);
    for (int k = 0; k < 3; k++)
        if (filters[k])
            at += filter_line(plan->text + at, len - at, heads[k], filters[k]);
    return REPRO_OK;
}

int repro_plan_build(repro_jobfile **files, size_t n, const repro_plan_options *opt,
                     repro_plan **out, repro_error *err)
{
    *out = NULL;
    repro_plan *plan = repro_calloc(1, sizeof *plan, err);
    if (!plan) {
        for (size_t i = 0; i < n; i++)
            repro_jobfile_free(files[i]);
        return REPRO_ENOMEM;
    }
    plan->files = repro_calloc(n ? n : 1, sizeof *plan->files, err);
    if (!plan->files) {
        for (size_t i = 0; i < n; i++)
            repro_jobfile_free(files[i]);
        free(plan);
        return REPRO_ENOMEM;
    }
    memcpy(plan->files, files, n * sizeof *files);
    plan->n_files = n;
    int rc = REPRO_OK;

    /* names unique across files; one seed */
    const repro_experiment *seed_from = NULL;
    const char *seed_file = NULL;
    plan->seed = REPRO_DEFAULT_SEED;
    for (size_t f = 0; f < n && !rc; f++)
        for (size_t e = 0; e < files[f]->n_experiments && !rc; e++) {
            const repro_experiment *x = &files[f]->exp[e];
            for (size_t g = 0; g <= f && !rc; g++)
                for (size_t h = 0; h < (g == f ? e : files[g]->n_experiments); h++)
                    if (!strcmp(files[g]->exp[h].name, x->name)) {
                        rc = repro_error_set(err, REPRO_EINVAL,
                                             "%s:%d: experiment '%s' already defined at %s:%d",
                                             files[f]->name, x->line, x->name, files[g]->name,
                                             files[g]->exp[h].line);
                        break;
                    }
            if (!rc && x->has_seed) {
                if (seed_from && seed_from->seed != x->seed)
                    rc = repro_error_set(err, REPRO_EINVAL,
                                         "%s:%d: seed %llu differs from seed %llu of experiment '%s' (%s)",
                                         files[f]->name, x->line, (unsigned long long)x->seed,
                                         (unsigned long long)seed_from->seed, seed_from->name, seed_file);
                seed_from = x;
                seed_file = files[f]->name;
                plan->seed = x->seed;
            }
        }
    if (!rc && opt && opt->has_seed)
        plan->seed = opt->seed;
    if (!rc && opt && opt->n_seeds == 1)
        plan->seed = opt->seeds[0];
    plan->n_seeds = !rc && opt && opt->n_seeds > 1 ? opt->n_seeds : 1;
    if (!rc && !(plan->seeds = repro_malloc(plan->n_seeds, sizeof *plan->seeds, err)))
        rc = REPRO_ENOMEM;
    if (!rc && plan->n_seeds > 1)
        memcpy(plan->seeds, opt->seeds, plan->n_seeds * sizeof *plan->seeds);
    if (!rc && plan->n_seeds > 1)
        plan->seed = plan->seeds[0];
    else if (!rc)
        plan->seeds[0] = plan->seed;
    if (!rc && opt && opt->models)
        rc = check_filter(plan, opt->models, err);
    if (!rc && opt && opt->experiments)
        rc = check_names(plan, opt->experiments, 'e', "--experiments", err);
    if (!rc && opt && opt->datasets)
        rc = check_names(plan, opt->datasets, 'd', "--datasets", err);
    if (!rc && opt && opt->profile)
        rc = apply_profile(plan, opt->profile, err);
    for (size_t i = 0; !rc && opt && i < opt->n_sets; i++)
        rc = apply_set(plan, opt->sets[i], err);
    if (!rc)
        rc = validate_models(plan, err);

    /* count, then fill, in canonical order */
    size_t total = 0;
    for (int pass = 0; pass < 2 && !rc; pass++) {
        if (pass == 1 && !(plan->jobs = repro_calloc(total ? total : 1, sizeof *plan->jobs, err))) {
            rc = REPRO_ENOMEM;
            break;
        }
        size_t k = 0;
        for (size_t sd = 0; sd < plan->n_seeds; sd++)
        for (size_t f = 0; f < n; f++)
            for (size_t e = 0; e < files[f]->n_experiments; e++) {
                const repro_experiment *x = &files[f]->exp[e];
                if (!model_kept(opt ? opt->experiments : NULL, x->name))
                    continue;
                int over = opt && opt->has_repeats;
                uint32_t reps = over && !x->fixed_repeats ? opt->repeats : x->repeats;
                if (pass == 0 && (over ? opt->repeats : reps) > plan->repeats)
                    plan->repeats = over ? opt->repeats : reps;
                for (size_t s = 0; s < x->n_datasets; s++)
                    for (uint32_t r = 0; r < reps && model_kept(opt ? opt->datasets : NULL, x->datasets[s].name); r++)
                        for (size_t m = 0; m < x->n_models; m++) {
                            const repro_model_type *t = x->models[m].type;
                            if (!model_kept(opt ? opt->models : NULL, t->name))
                                continue;
                            if (pass == 1) {
                                repro_job *j = &plan->jobs[k];
                                j->id = (uint32_t)k;
                                j->exp = x;
                                j->ds = &x->datasets[s];
                                j->params = &x->models[m];
                                j->repeat = r;
                                j->seed = plan->seeds[sd];
                                size_t d = repro_job_d(j), nn = (size_t)j->ds->spec.n;
                                j->cost = t->cost || t->cost_params
                                              ? repro_params_cost_data(j->params, nn, d, (int)x->generator)
                                              : (double)nn * (double)d;
                                if (d > plan->max_d)
                                    plan->max_d = d;
                            }
                            k++;
                        }
            }
        total = k;
    }
    if (!rc && total == 0)
        rc = repro_error_set(err, REPRO_EINVAL, "the job files give no job to run%s",
                             opt && (opt->models || opt->experiments || opt->datasets)
                                 ? " with these --models, --experiments and --datasets filters" : "");
    if (!rc && total > UINT32_MAX)
        rc = repro_error_set(err, REPRO_EINVAL, "too many jobs (%zu)", total);
    plan->n_jobs = total;
    if (!rc)
        rc = plan_text(plan, opt, err);
    if (!rc) {
        uint64_t h = repro_hash_begin("plan");
        h = repro_hash_str(h, plan->text);
        h = repro_hash_u64(h, plan->seed);
        h = repro_hash_u64(h, plan->n_jobs);
        if (plan->n_seeds > 1) { /* a single-seed plan keeps its fingerprint */
            h = repro_hash_str(h, "seeds");
            for (size_t i = 0; i < plan->n_seeds; i++)
                h = repro_hash_u64(h, plan->seeds[i]);
        }
        for (size_t i = 0; i < plan->n_jobs; i++) {
            const repro_job *j = &plan->jobs[i];
            h = repro_hash_str(h, j->exp->name);
            h = repro_hash_str(h, j->ds->name);
            h = repro_hash_str(h, j->params->type->name);
            h = repro_hash_u64(h, j->repeat);
            for (size_t p = 0; p < j->params->type->n_params; p++) {
                uint64_t bits;
                memcpy(&bits, &j->params->v[p], sizeof bits);
                h = repro_hash_u64(h, bits);
            }
        }
        plan->fingerprint = h;
    }
    if (rc) {
        repro_plan_free(plan);
        return rc;
    }
    *out = plan;
    return REPRO_OK;
}

/* Orders job costs from the largest down (ties keep no order: equal costs
 * give the same sum). */
static int by_cost_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? 1 : x > y ? -1 : 0;
}

double repro_plan_wall_estimate(const repro_plan *plan, int ranks, int threads)
{
    if (ranks < 1)
        ranks = 1;
    double div = threads > 1 ? (double)threads : 1.0;
    double *cost = malloc((plan->n_jobs ? plan->n_jobs : 1) * sizeof *cost);
    double *load = calloc((size_t)ranks, sizeof *load);
    double wall = -1.0;
    if (cost && load) {
        for (size_t i = 0; i < plan->n_jobs; i++)
            cost[i] = plan->jobs[i].cost / div;
        qsort(cost, plan->n_jobs, sizeof *cost, by_cost_desc);
        for (size_t i = 0; i < plan->n_jobs; i++) {
            int best = 0;
            for (int k = 1; k < ranks; k++)
                if (load[k] < load[best])
                    best = k;
            load[best] += cost[i];
        }
        wall = 0.0;
        for (int k = 0; k < ranks; k++)
            if (load[k] > wall)
                wall = load[k];
    }
    free(cost);
    free(load);
    return wall;
}

int repro_plan_job_data(const repro_plan *plan, const repro_job *job, repro_dataset **out,
                        repro_error *err)
{
    (void)plan; /* the job carries its seed */
    repro_rng rng;
    if (job->exp->data == REPRO_DATA_ONCE)
        repro_rng_data_stream_once(&rng, job->seed, job->exp->name, job->ds->name);
    else
        repro_rng_data_stream(&rng, job->seed, job->exp->name, job->ds->name, job->repeat);
    return repro_generate(&rng, &job->ds->spec, out, err);
}

void repro_plan_job_stream(const repro_plan *plan, const repro_job *job, repro_rng *rng)
{
    (void)plan;
    repro_rng_job_stream(rng, job->seed, job->exp->name, job->ds->name, job->repeat,
                         job->params->type->name);
}
