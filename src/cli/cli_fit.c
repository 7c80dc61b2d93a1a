/* cli_fit.c - `repro_mpi fit`: one model on one data set. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "repro/cli.h"
#include "repro/cli_util.h"
#include "repro/cli_data.h"
#include "repro/fitcost.h"
#include "repro/json.h"
#include "repro/metrics.h"
#include "repro/model.h"

/* Prints text word-wrapped at width columns, each line indented. */
static void print_wrapped(FILE *out, const char *text, int indent, int width)
{
    int col = 0;
    for (const char *w = text; *w;) {
        size_t len = strcspn(w, " ");
        if (col && col + 1 + (int)len > width) {
            fputc('\n', out);
            col = 0;
        }
        col += fprintf(out, "%*s%.*s", col ? 1 : indent, "", (int)len, w);
        w += len;
        w += strspn(w, " ");
    }
    if (col)
        fputc('\n', out);
}

static void fit_help(FILE *out)
{
    char models[256];
    repro_model_names(models, sizeof models);
    fprintf(out,
            "Usage: repro_mpi fit MODEL DATA [--seed N] [--repeat R] [--threads N]\n"
            "                     [--profile NAME] [--set key=value]... [--json]\n"
            "\n"
            "Fits MODEL on DATA and prints each feature's relevance class (2 strongly\n"
            "relevant, 1 weakly relevant, 0 irrelevant; selectors print 1/0), the training\n"
            "score and the fit time.\n"
            "MODEL: %s\n"
            "DATA:  a generator SPEC (see 'repro_mpi gen --help') or csv:PATH (label in the\n"
            "       last column, two distinct values; optional header).\n"
            "\n"
            "Options:\n"
            "  --seed N         seed of the data and the model's stream (default: $SEED, else 123)\n"
            "  --repeat R       repeat number (default 0)\n"
            "  --threads N      threads (default: $N_THREADS, else 1); results do not depend on it\n"
            "  --profile NAME   named model settings (default %s; listed below), some\n"
            "                   only for linear or non-linear generator data (csv data get\n"
            "                   the unscoped ones); --set wins over it\n"
            "  --set key=value  override a model parameter (repeatable); MODEL.key=value\n"
            "                   as for 'run' is accepted when MODEL is the model fitted\n"
            "  --json           print one JSON object instead of text\n"
            "  --max-cost S     refuse a fit estimated to take over S seconds (default %d; 0:\n"
            "                   no limit). Wide data are costly: the time grows about with\n"
            "                   rows x features^2 (Boruta rows x features^1.5, Forest linearly)\n",
            models, REPRO_PROFILE_DEFAULT, REPRO_FIT_MAX_COST_DEFAULT);
    fprintf(out, "\nProfiles (the same for 'run' and 'paper', where the scope is the experiment's\n"
                 "generator; the job files' own MODEL.key lines win over them):\n");
    for (size_t i = 0; repro_profiles[i].name; i++) {
        char settings[1024];
        repro_profile_format(&repro_profiles[i], settings, sizeof settings);
        char head[512];
        snprintf(head, sizeof head, "%s: %s", repro_profiles[i].name, repro_profiles[i].help);
        print_wrapped(out, head, 2, 78);
        for (char *seg = settings; seg && *seg;) { /* one scope per line: "linear: ..." */
            char *next = strstr(seg, "; ");
            if (next) {
                *next = '\0';
                next += 2;
            }
            print_wrapped(out, seg, 4, 78);
            seg = next;
        }
    }
    for (size_t m = 0; repro_models[m]; m++) {
        const repro_model_type *t = repro_models[m];
        fprintf(out, "\nParameters of %s (%s):\n", t->name, t->summary);
        int width = 16; /* the model's longest name sets the column */
        repro_params defaults;
        repro_params_defaults(t, &defaults);
        for (size_t i = 0; i < t->n_params; i++)
            if ((int)strlen(t->params[i].name) > width)
                width = (int)strlen(t->params[i].name);
        for (size_t i = 0; i < t->n_params; i++) {
            const repro_param_def *p = &t->params[i];
            if (p->choices)
                fprintf(out, "  %-*s %s [%s]\n", width, p->name, p->help, p->choices);
            else
                fprintf(out, "  %-*s %s [default %g]\n", width, p->name, p->help, defaults.v[i]);
        }
    }
}

static void print_json(FILE *out, const char *data, const repro_dataset *ds, const repro_params *p,
                       uint64_t seed, uint64_t repeat, int threads, const repro_fit_result *r,
                       double seconds)
{
    const repro_model_type *t = p->type;
    fprintf(out, "{\"model\":");
    repro_json_string(out, t->name);
    fprintf(out, ",\"data\":");
    repro_json_string(out, data);
    fprintf(out, ",\"n\":%zu,\"d\":%zu,\"seed\":%llu,\"repeat\":%llu,\"threads\":%d,\"params\":{", ds->n,
            ds->d, (unsigned long long)seed, (unsigned long long)repeat, threads);
    for (size_t i = 0; i < t->n_params; i++) {
        fprintf(out, "%s\"%s\":", i ? "," : "", t->params[i].name);
        if (t->params[i].choices) {
            char name[64];
            const char *c = t->params[i].choices;
            for (int k = 0; k < (int)p->v[i] && strchr(c, '|'); k++)
                c = strchr(c, '|') + 1;
            size_t len = strcspn(c, "|");
            snprintf(name, sizeof name, "%.*s", (int)len, c);
            repro_json_string(out, name);
        } else {
            repro_json_number(out, p->v[i], repro_param_is_int(&t->params[i]));
        }
    }
    fprintf(out, "},\"relevance\":[");
    for (size_t j = 0; j < r->d; j++)
        fprintf(out, "%s%d", j ? "," : "", r->relevance[j]);
    fprintf(out, "],\"train_score\":");
    repro_json_number(out, r->train_score, 0);
    fprintf(out, ",\"runtime_s\":");
    repro_json_number(out, seconds, 0);
    if (r->importance) {
        fprintf(out, ",\"importances\":");
        repro_json_array(out, r->importance, r->d, 0);
    }
    if (r->bounds) {
        fprintf(out, ",\"bounds\":[");
        for (size_t j = 0; j < r->d; j++) {
            fprintf(out, "%s", j ? "," : "");
            repro_json_array(out, r->bounds + 2 * j, 2, 0);
        }
        fputc(']', out);
    }
    repro_json_extras_members(out, r, 0);
    if (ds->truth) {
        repro_prf m = repro_metrics_all_relevant(ds->truth, r->relevance, ds->d, 0.0);
        fprintf(out, ",\"truth\":[");
        for (size_t j = 0; j < ds->d; j++)
            fprintf(out, "%s%d", j ? "," : "", ds->truth[j]);
        fprintf(out, "],\"all_relevant\":{\"precision\":");
        repro_json_number(out, m.precision, 0);
        fprintf(out, ",\"recall\":");
        repro_json_number(out, m.recall, 0);
        fprintf(out, ",\"f1\":");
        repro_json_number(out, m.f1, 0);
        fputc('}', out);
    }
    fprintf(out, "}\n");
}

static void print_text(FILE *out, const repro_dataset *ds, const repro_params *p,
                       const repro_fit_result *r, double seconds)
{
    fprintf(out, "%s on %zu rows x %zu features\n\n", p->type->name, ds->n, ds->d);
    fprintf(out, "feature  class%s%s%s\n", r->importance ? "   importance" : "",
            r->bounds ? "      lower      upper" : "", ds->truth ? "  truth" : "");
    for (size_t j = 0; j < r->d; j++) {
        fprintf(out, "x%-7zu %5d", j, r->relevance[j]);
        if (r->importance)
            fprintf(out, " %12.6g", r->importance[j]);
        if (r->bounds)
            fprintf(out, " %10.4g %10.4g", r->bounds[2 * j], r->bounds[2 * j + 1]);
        if (ds->truth)
            fprintf(out, "  %5d", ds->truth[j]);
        fputc('\n', out);
    }
    fprintf(out, "\ntraining score: %.4f\n", r->train_score);
    if (ds->truth) {
        repro_prf m = repro_metrics_all_relevant(ds->truth, r->relevance, ds->d, 0.0);
        fprintf(out, "all-relevant precision %.3f  recall %.3f  F1 %.3f\n", m.precision, m.recall, m.f1);
    }
    fprintf(out, "fit time: %.3f s\n", seconds);
}

/* The unknown-model message, with the registered name that differs from
 * name only in case as a suggestion ('sq' -> 'SQ'). Returns exit code 2. */
static int unknown_model(const char *name)
{
    char names[256];
    repro_model_names(names, sizeof names);
    for (size_t m = 0; repro_models[m]; m++)
        if (!strcasecmp(repro_models[m]->name, name))
            return repro_cli_usage_error("fit", "unknown model '%s': did you mean '%s'? (valid: %s)", name,
                                         repro_models[m]->name, names);
    return repro_cli_usage_error("fit", "unknown model '%s' (valid: %s)", name, names);
}

/* A DATA argument that is neither csv:PATH nor a generator but looks like a
 * file (it exists, or ends in .csv) gets a hint to write csv:PATH. Returns
 * exit code 2 when it printed the hint, else 0. */
static int data_hint(const char *data)
{
    if (!strncmp(data, "csv:", 4) || !strncmp(data, "linear:", 7) || !strncmp(data, "nonlinear:", 10))
        return 0;
    size_t len = strlen(data);
    int csv_name = len > 4 && !strcasecmp(data + len - 4, ".csv");
    if (!csv_name && access(data, F_OK) != 0)
        return 0;
    return repro_cli_usage_error("fit", "data '%s' is not a generator SPEC; for a CSV file write csv:%s",
                                 data, data);
}

/* Applies one --set text to params: "key=value", or "MODEL.key=value" as
 * `run` takes it, where MODEL must be the model being fitted. */
static int apply_set(repro_params *params, const char *set, repro_error *err)
{
    const char *dot = strchr(set, '.'), *eq = strchr(set, '=');
    if (dot && eq && dot < eq) {
        const char *model = params->type->name;
        size_t len = (size_t)(dot - set);
        if (len != strlen(model) || strncmp(set, model, len))
            return repro_error_set(err, REPRO_EINVAL, "--set %s: this fit runs %s, not %.*s", set, model,
                                   (int)len, set);
        set = dot + 1;
    }
    return repro_params_set_text(params, set, err);
}

int repro_cmd_fit(int argc, char **argv)
{
    const char *model = NULL, *data = NULL, *profile = REPRO_PROFILE_DEFAULT;
    const char *sets[REPRO_CLI_MAX_ARGS];
    int n_sets = 0, json = 0;
    uint64_t seed = 123, repeat = 0, threads64 = 1, max_cost = REPRO_FIT_MAX_COST_DEFAULT;
    repro_error err;
    repro_error_clear(&err);
    if (repro_cli_env_u64("SEED", &seed, &err) < 0 || repro_cli_env_u64("N_THREADS", &threads64, &err) < 0)
        return repro_cli_fail(&err);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fit_help(stdout);
            return REPRO_EXIT_OK;
        } else if (!strcmp(a, "--max-cost")) {
            if (i + 1 >= argc || repro_cli_parse_u64(argv[i + 1], &max_cost))
                return repro_cli_usage_error("fit", "--max-cost needs a whole number of seconds >= 0");
            i++;
        } else if (!strcmp(a, "--seed") || !strcmp(a, "--repeat") || !strcmp(a, "--threads")) {
            uint64_t *dst = !strcmp(a, "--seed") ? &seed : !strcmp(a, "--repeat") ? &repeat : &threads64;
            if (i + 1 >= argc || repro_cli_parse_u64(argv[i + 1], dst))
                return repro_cli_usage_error("fit", "%s needs a whole number >= 0", a);
            i++;
        } else if (!strcmp(a, "--set")) {
            if (i + 1 >= argc || !strchr(argv[i + 1], '='))
                return repro_cli_usage_error("fit", "--set needs key=value");
            if (n_sets == REPRO_CLI_MAX_ARGS)
                return repro_cli_usage_error("fit", "too many --set options");
            sets[n_sets++] = argv[++i];
        } else if (!strcmp(a, "--profile")) {
            char names[256];
            repro_profile_names(names, sizeof names);
            if (i + 1 >= argc || !repro_profile_find(argv[i + 1]))
                return repro_cli_usage_error("fit", "unknown profile '%s' (valid: %s)",
                                             i + 1 < argc ? argv[i + 1] : "", names);
            profile = argv[++i];
        } else if (!strcmp(a, "--json")) {
            json = 1;
        } else if (a[0] == '-' && a[1]) {
            return repro_cli_usage_error("fit", "unknown option '%s' (see 'repro_mpi fit --help')", a);
        } else if (!model) {
            model = a;
        } else if (!data) {
            data = a;
        } else {
            return repro_cli_usage_error("fit", "unexpected argument '%s'", a);
        }
    }
    if (!model || !data)
        return repro_cli_usage_error("fit", "usage: repro_mpi fit MODEL DATA (see 'repro_mpi fit --help')");
    if (threads64 < 1 || threads64 > 1024)
        return repro_cli_usage_error("fit", "--threads must be in [1, 1024]");
    int threads = (int)threads64;
    const repro_model_type *type = repro_model_find(model);
    if (!type)
        return unknown_model(model);
    repro_params params;
    repro_params_defaults(type, &params);
    repro_gen_spec kind_spec;
    int kind = REPRO_PROFILE_DATA_OTHER; /* the profile's scope: the generator, none for csv */
    if (strncmp(data, "csv:", 4) != 0 && repro_gen_spec_parse(data, &kind_spec, NULL) == REPRO_OK)
        kind = (int)kind_spec.kind;
    if (repro_profile_apply(repro_profile_find(profile), &params, kind, 0u, &err))
        return repro_cli_fail(&err);
    for (int s = 0; s < n_sets; s++)
        if (apply_set(&params, sets[s], &err))
            return repro_cli_fail(&err);
    if (repro_params_validate(&params, &err))
        return repro_cli_fail(&err);
    if (data_hint(data))
        return REPRO_EXIT_USAGE;
    repro_dataset *ds = NULL;
    if (repro_cli_load_data(data, seed, repeat, &ds, &err) ||
        repro_fit_cost_check(&params, ds->n, ds->d, kind, threads, (double)max_cost, &err)) {
        repro_dataset_free(ds);
        return repro_cli_fail(&err);
    }
    char canon[256];
    repro_gen_spec spec;
    if (strncmp(data, "csv:", 4) != 0 && repro_gen_spec_parse(data, &spec, NULL) == REPRO_OK)
        repro_gen_spec_format(&spec, canon, sizeof canon);
    else
        snprintf(canon, sizeof canon, "%s", data);
    repro_rng rng;
    repro_rng_job_stream(&rng, seed, REPRO_CLI_EXPERIMENT, canon, repeat, type->name);
    repro_fit_result res;
    memset(&res, 0, sizeof res);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = type->fit(ds, &params, &rng, threads, &res, &err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double seconds = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    if (rc) {
        repro_error_prefix(&err, "%s fit failed", type->name);
        repro_fit_result_clear(&res);
        repro_dataset_free(ds);
        fprintf(stderr, "repro_mpi: %s\n", err.msg);
        return rc == REPRO_EINVAL ? REPRO_EXIT_USAGE : REPRO_EXIT_FAIL;
    }
    if (json)
        print_json(stdout, data, ds, &params, seed, repeat, threads, &res, seconds);
    else
        print_text(stdout, ds, &params, &res, seconds);
    repro_fit_result_clear(&res);
    repro_dataset_free(ds);
    return REPRO_EXIT_OK;
}
