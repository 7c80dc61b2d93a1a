/* jobfile.c - job file parsing with libinih (see jobfile.h). Line numbers
 * come from our own line reader fed to ini_parse_stream. */
#include "repro/jobfile.h"

#include <errno.h>
#include <ini.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repro/fsutil.h"
#include "repro/tokenize.h"

#define MAX_OVERRIDES 64
/* libinih cuts key names at 49 characters (its MAX_NAME, not exported);
 * longer keys are refused rather than read cut. */
#define KEY_MAX 48

typedef struct override {
    char model[REPRO_NAME_MAX];
    char param[REPRO_NAME_MAX];
    char value[128];
    int line;
} override;

/* Which keys of the current section were given, to catch duplicates and
 * missing fields. */
enum {
    K_GENERATOR = 1 << 0, K_DATA = 1 << 1, K_REPEATS = 1 << 2, K_MODELS = 1 << 3,
    K_SEED = 1 << 4, K_NOISE = 1 << 5, K_N = 1 << 6, K_STRONG = 1 << 7,
    K_WEAK = 1 << 8, K_IRRELEVANT = 1 << 9, K_FEATURES = 1 << 10
};

typedef struct parser {
    const char *name;
    const char *text;
    size_t pos;
    int line;         /* line of the text last handed to inih */
    int at_line_start;
    const repro_model_type *const *registry;
    repro_jobfile *jf;
    repro_error *err;
    int failed;
    int fail_line;    /* the line of the first error */
    int hdr_line;     /* line of the last [header] read, 0 before any */
    int hdr_keys;     /* whether that section had a key */
    char hdr[256];    /* its text */
    int hdr_seq;      /* headers read so far */
    int cur_seq;      /* the header of the section being filled */
    /* the section being filled */
    enum { S_NONE, S_EXPERIMENT, S_DATASET } kind;
    char section[256];
    int section_line;
    unsigned keys;
    double exp_noise;
    override ov[MAX_OVERRIDES];
    size_t n_ov;
    long n, strong, weak, irrelevant, features;
    double noise;
} parser;

/* Records the first error as "name:line: message"; later ones are ignored. */
static int fail(parser *p, int line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static int fail(parser *p, int line, const char *fmt, ...)
{
    if (p->failed)
        return 0;
    char msg[REPRO_ERRMSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    repro_error_set(p->err, REPRO_EINVAL, "%s:%d: %s", p->name, line, msg);
    p->failed = 1;
    p->fail_line = line;
    return 0;
}

/* A section header followed by no key would never reach the handler. */
static void check_header_used(parser *p)
{
    if (p->hdr_line && !p->hdr_keys)
        fail(p, p->hdr_line, "section %s has no keys", p->hdr);
}

/* fgets-style reader over the text that counts lines. */
static char *reader(char *str, int num, void *stream)
{
    parser *p = stream;
    if (!p->text[p->pos] || num < 4)
        return NULL;
    if (p->at_line_start) {
        p->line++;
        /* A line must fit inih's buffer of num bytes with its "\r\n" and
         * NUL; inih would read the rest of a longer one as a line of its own. */
        size_t len = strcspn(p->text + p->pos, "\n");
        if (len && p->text[p->pos + len - 1] == '\r')
            len--;
        if (len > (size_t)num - 3) {
            fail(p, p->line, "line too long (%zu characters; at most %d)", len, num - 3);
            return NULL;
        }
    }
    int k = 0;
    while (k < num - 1 && p->text[p->pos]) {
        char c = p->text[p->pos++];
        str[k++] = c;
        if (c == '\n')
            break;
    }
    str[k] = '\0';
    int header = p->at_line_start;
    p->at_line_start = k > 0 && str[k - 1] == '\n';
    const char *s = str;
    while (header && (*s == ' ' || *s == '\t'))
        s++;
    if (header && *s == '[') {
        check_header_used(p);
        p->hdr_line = p->line;
        p->hdr_keys = 0;
        p->hdr_seq++;
        snprintf(p->hdr, sizeof p->hdr, "%.*s", (int)strcspn(s, "\r\n"), s);
    }
    return str;
}

/* Parses a whole number in [lo, hi]. */
static int parse_long(parser *p, const char *key, const char *value, long lo, long hi, long *out)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(value, &end, 10);
    if (!*value || end == value || *end || errno || v < lo || v > hi)
        return fail(p, p->line, "bad number '%s' for '%s' (a whole number in [%ld, %ld])", value, key,
                    lo, hi);
    *out = v;
    return 1;
}

/* Parses a finite number >= 0. */
static int parse_nonneg(parser *p, const char *key, const char *value, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(value, &end);
    if (!*value || end == value || *end || errno || !isfinite(v) || v < 0)
        return fail(p, p->line, "bad number '%s' for '%s' (a finite number >= 0)", value, key);
    *out = v;
    return 1;
}

/* Marks key as seen in this section; a second occurrence is an error. */
static int seen(parser *p, unsigned bit, const char *key)
{
    if (p->keys & bit)
        return fail(p, p->line, "key '%s' given twice in [%s]", key, p->section);
    p->keys |= bit;
    return 1;
}

static repro_experiment *current_exp(parser *p)
{
    return p->jf->n_experiments ? &p->jf->exp[p->jf->n_experiments - 1] : NULL;
}

/* Parses "A, B, C" into the experiment's model list (defaults for each). */
static int parse_models(parser *p, repro_experiment *e, const char *value)
{
    e->n_models = 0;
    const char *item;
    size_t len;
    for (const char *at = value; repro_list_next(&at, &item, &len, 1);) {
        if (!len)
            continue;
        char tok[512];
        repro_list_copy(item, len, tok, sizeof tok);
        const repro_model_type *t = NULL;
        for (size_t m = 0; p->registry[m]; m++)
            if (!strcmp(p->registry[m]->name, tok))
                t = p->registry[m];
        if (!t) {
            char names[256] = "";
            size_t used = 0;
            for (size_t m = 0; p->registry[m] && used < sizeof names; m++)
                used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", m ? ", " : "",
                                         p->registry[m]->name);
            return fail(p, p->line, "unknown model '%s' (registered: %s)", tok,
                        names[0] ? names : "none");
        }
        for (size_t m = 0; m < e->n_models; m++)
            if (e->models[m].type == t)
                return fail(p, p->line, "model '%s' listed twice", tok);
        if (e->n_models == REPRO_JOBFILE_MAX_MODELS)
            return fail(p, p->line, "too many models (at most %d)", REPRO_JOBFILE_MAX_MODELS);
        repro_params_defaults(t, &e->models[e->n_models++]);
    }
    if (!e->n_models)
        return fail(p, p->line, "'models' lists no model");
    return 1;
}

/* A key a section must give. */
typedef struct required_key {
    unsigned bit;
    const char *key;
} required_key;

/* Fails on the first of the n required keys the current section lacks. */
static int require_keys(parser *p, const required_key *req, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!(p->keys & req[i].bit))
            return fail(p, p->section_line, "[%s] is missing the key '%s'", p->section, req[i].key);
    return 1;
}

/* Checks and completes the section just ended (at the next header or EOF). */
static int finish_section(parser *p)
{
    if (p->failed)
        return 0;
    repro_experiment *e = current_exp(p);
    if (p->kind == S_EXPERIMENT) {
        static const required_key required[] = {
            {K_GENERATOR, "generator"}, {K_DATA, "data"}, {K_REPEATS, "repeats"}, {K_MODELS, "models"}};
        if (!require_keys(p, required, sizeof required / sizeof required[0]))
            return 0;
        for (size_t i = 0; i < p->n_ov; i++) {
            override *o = &p->ov[i];
            repro_params *target = NULL;
            unsigned *own = NULL;
            for (size_t m = 0; m < e->n_models; m++)
                if (!strcmp(e->models[m].type->name, o->model)) {
                    target = &e->models[m];
                    own = &e->own[m];
                }
            if (!target)
                return fail(p, o->line, "model '%s' is not in this experiment's models", o->model);
            repro_error perr;
            repro_error_clear(&perr);
            if (repro_params_set(target, o->param, o->value, &perr))
                return fail(p, o->line, "%s", perr.msg);
            int idx = repro_params_index(target->type, o->param);
            if (idx >= 0 && idx < 32)
                *own |= 1u << idx;
        }
        if (!(p->keys & K_NOISE))
            p->exp_noise = e->generator == REPRO_GEN_NONLINEAR ? 0.1 : 0.0;
    } else if (p->kind == S_DATASET) {
        static const required_key required[] = {{K_N, "n"}, {K_STRONG, "strong"}, {K_WEAK, "weak"}};
        if (!require_keys(p, required, sizeof required / sizeof required[0]))
            return 0;
        if (!(p->keys & (K_IRRELEVANT | K_FEATURES)))
            return fail(p, p->section_line, "[%s] needs 'irrelevant' or 'features'", p->section);
        if ((p->keys & K_IRRELEVANT) && (p->keys & K_FEATURES))
            return fail(p, p->section_line, "[%s] gives both 'irrelevant' and 'features'; give one",
                        p->section);
        repro_gen_spec spec = {e->generator, p->n, p->strong, p->weak, p->irrelevant,
                               (p->keys & K_NOISE) ? p->noise : p->exp_noise};
        if (p->keys & K_FEATURES) {
            if (p->features < p->strong + p->weak)
                return fail(p, p->section_line, "[%s]: features=%ld is less than strong+weak=%ld",
                            p->section, p->features, p->strong + p->weak);
            spec.irrelevant = p->features - p->strong - p->weak;
        }
        repro_error gerr;
        repro_error_clear(&gerr);
        if (repro_gen_spec_check(&spec, &gerr))
            return fail(p, p->section_line, "[%s]: %s", p->section, gerr.msg);
        repro_job_dataset *ds = &e->datasets[e->n_datasets - 1];
        ds->spec = spec;
    }
    return 1;
}

/* An experiment or data set name must be given and fit the results file's
 * columns (REPRO_NAME_MAX - 1 characters). */
static int check_name(parser *p, const char *what, const char *name)
{
    if (!*name)
        return fail(p, p->section_line, "%s name missing", what);
    size_t len = strlen(name);
    if (len >= REPRO_NAME_MAX)
        return fail(p, p->section_line, "%s name '%.20s...' is %zu characters long; the limit is %d", what,
                    name, len, REPRO_NAME_MAX - 1);
    return 1;
}

/* Opens a new section from its header text. */
static int start_section(parser *p, const char *section)
{
    if (!finish_section(p))
        return 0;
    snprintf(p->section, sizeof p->section, "%s", section);
    p->section_line = p->hdr_line ? p->hdr_line : p->line;
    p->keys = 0;
    p->n_ov = 0;
    repro_jobfile *jf = p->jf;
    if (!strncmp(section, "experiment ", 11)) {
        const char *name = section + 11;
        while (*name == ' ')
            name++;
        if (!check_name(p, "experiment", name))
            return 0;
        for (size_t i = 0; i < jf->n_experiments; i++)
            if (!strcmp(jf->exp[i].name, name))
                return fail(p, p->section_line, "experiment '%s' defined twice (first at line %d)", name,
                            jf->exp[i].line);
        repro_experiment *grown = realloc(jf->exp, (jf->n_experiments + 1) * sizeof *grown);
        if (!grown)
            return fail(p, p->section_line, "out of memory");
        jf->exp = grown;
        repro_experiment *e = &jf->exp[jf->n_experiments++];
        memset(e, 0, sizeof *e);
        snprintf(e->name, sizeof e->name, "%s", name);
        e->line = p->section_line;
        p->kind = S_EXPERIMENT;
    } else if (!strncmp(section, "dataset ", 8)) {
        const char *name = section + 8;
        while (*name == ' ')
            name++;
        repro_experiment *e = current_exp(p);
        if (!e)
            return fail(p, p->section_line, "[%s] comes before any [experiment NAME] section", section);
        if (!check_name(p, "data set", name))
            return 0;
        for (size_t i = 0; i < e->n_datasets; i++)
            if (!strcmp(e->datasets[i].name, name))
                return fail(p, p->section_line, "duplicate data set '%s' in experiment '%s' (first at line %d)",
                            name, e->name, e->datasets[i].line);
        repro_job_dataset *grown = realloc(e->datasets, (e->n_datasets + 1) * sizeof *grown);
        if (!grown)
            return fail(p, p->section_line, "out of memory");
        e->datasets = grown;
        repro_job_dataset *ds = &e->datasets[e->n_datasets++];
        memset(ds, 0, sizeof *ds);
        snprintf(ds->name, sizeof ds->name, "%s", name);
        ds->line = p->section_line;
        p->kind = S_DATASET;
    } else {
        p->kind = S_NONE;
        return fail(p, p->section_line, "unknown section [%s] (expected [experiment NAME] or [dataset NAME])",
                    section);
    }
    return 1;
}

/* A key of an [experiment] section. */
static int experiment_key(parser *p, const char *name, const char *value)
{
    repro_experiment *e = current_exp(p);
    long v = 0;
    const char *dot = strchr(name, '.');
    if (dot) {
        if (p->n_ov == MAX_OVERRIDES)
            return fail(p, p->line, "too many model parameter overrides");
        override *o = &p->ov[p->n_ov];
        if ((size_t)(dot - name) >= sizeof o->model || strlen(dot + 1) >= sizeof o->param ||
            strlen(value) >= sizeof o->value)
            return fail(p, p->line, "override '%s' too long", name);
        snprintf(o->model, sizeof o->model, "%.*s", (int)(dot - name), name);
        snprintf(o->param, sizeof o->param, "%s", dot + 1);
        snprintf(o->value, sizeof o->value, "%s", value);
        o->line = p->line;
        for (size_t i = 0; i < p->n_ov; i++)
            if (!strcmp(p->ov[i].model, o->model) && !strcmp(p->ov[i].param, o->param))
                return fail(p, p->line, "key '%s' given twice", name);
        p->n_ov++;
        return 1;
    }
    if (!strcmp(name, "generator")) {
        if (!seen(p, K_GENERATOR, name))
            return 0;
        if (!strcmp(value, "linear"))
            e->generator = REPRO_GEN_LINEAR;
        else if (!strcmp(value, "nonlinear"))
            e->generator = REPRO_GEN_NONLINEAR;
        else
            return fail(p, p->line, "generator '%s': expected 'linear' or 'nonlinear'", value);
    } else if (!strcmp(name, "data")) {
        if (!seen(p, K_DATA, name))
            return 0;
        if (!strcmp(value, "per_repeat"))
            e->data = REPRO_DATA_PER_REPEAT;
        else if (!strcmp(value, "once"))
            e->data = REPRO_DATA_ONCE;
        else
            return fail(p, p->line, "data '%s': expected 'per_repeat' or 'once'", value);
    } else if (!strcmp(name, "repeats")) {
        if (!seen(p, K_REPEATS, name) || !parse_long(p, name, value, 1, REPRO_MAX_REPEATS, &v))
            return 0;
        e->repeats = (uint32_t)v;
    } else if (!strcmp(name, "fixed_repeats")) {
        if (strcmp(value, "yes") && strcmp(value, "no"))
            return fail(p, p->line, "fixed_repeats '%s': expected 'yes' or 'no'", value);
        e->fixed_repeats = !strcmp(value, "yes");
    } else if (!strcmp(name, "seed")) {
        char *end = NULL;
        errno = 0;
        unsigned long long s = strtoull(value, &end, 10);
        if (!seen(p, K_SEED, name))
            return 0;
        if (!*value || *value == '-' || *value == '+' || *end || errno)
            return fail(p, p->line, "bad number '%s' for 'seed' (a whole number >= 0)", value);
        e->has_seed = 1;
        e->seed = s;
    } else if (!strcmp(name, "noise")) {
        if (!seen(p, K_NOISE, name) || !parse_nonneg(p, name, value, &p->exp_noise))
            return 0;
    } else if (!strcmp(name, "models")) {
        if (!seen(p, K_MODELS, name) || !parse_models(p, e, value))
            return 0;
    } else {
        return fail(p, p->line,
                    "unknown key '%s' in [%s] (expected generator, data, repeats, fixed_repeats, "
                    "seed, noise, models or MODEL.parameter)",
                    name, p->section);
    }
    return 1;
}

/* A key of a [dataset] section. */
static int dataset_key(parser *p, const char *name, const char *value)
{
    static const struct { const char *key; unsigned bit; size_t off; } keys[] = {
        {"n", K_N, offsetof(parser, n)},
        {"strong", K_STRONG, offsetof(parser, strong)},
        {"weak", K_WEAK, offsetof(parser, weak)},
        {"irrelevant", K_IRRELEVANT, offsetof(parser, irrelevant)},
        {"features", K_FEATURES, offsetof(parser, features)}};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (!strcmp(name, keys[i].key))
            return seen(p, keys[i].bit, name) &&
                   parse_long(p, name, value, 0, 100000000, (long *)((char *)p + keys[i].off));
    if (!strcmp(name, "noise"))
        return seen(p, K_NOISE, name) && parse_nonneg(p, name, value, &p->noise);
    return fail(p, p->line,
                "unknown key '%s' in [%s] (expected n, strong, weak, irrelevant, features or noise)",
                name, p->section);
}

/* inih callback: a new section (name == NULL) or a key. */
static int handler(void *user, const char *section, const char *name, const char *value)
{
    parser *p = user;
    if (p->failed)
        return 0;
    p->hdr_keys = 1;
    if (p->hdr_seq != p->cur_seq || !*section) {
        p->cur_seq = p->hdr_seq;
        if (!*section)
            return fail(p, p->line, "key '%s' outside any section", name ? name : "");
        /* the section's name from our copy of its header: inih cuts it at 49
         * characters */
        const char *close = strchr(p->hdr, ']');
        if (!close)
            return fail(p, p->hdr_line, "syntax error: '[' without ']'");
        char full[sizeof p->hdr];
        snprintf(full, sizeof full, "%.*s", (int)(close - p->hdr - 1), p->hdr + 1);
        if (!start_section(p, full))
            return 0;
    }
    if (!name)
        return 1;
    if (strlen(name) > KEY_MAX)
        return fail(p, p->line, "key '%.20s...' too long (at most %d characters)", name, KEY_MAX);
    if (p->kind == S_EXPERIMENT)
        return experiment_key(p, name, value);
    return dataset_key(p, name, value);
}

void repro_jobfile_free(repro_jobfile *jf)
{
    if (!jf)
        return;
    for (size_t i = 0; i < jf->n_experiments; i++)
        free(jf->exp[i].datasets);
    free(jf->exp);
    free(jf->name);
    free(jf->text);
    free(jf);
}

int repro_jobfile_parse(const char *name, const char *text,
                        const repro_model_type *const *registry, repro_jobfile **out,
                        repro_error *err)
{
    *out = NULL;
    repro_jobfile *jf = repro_calloc(1, sizeof *jf, err);
    if (!jf)
        return REPRO_ENOMEM;
    jf->name = strdup(name);
    jf->text = strdup(text);
    if (!jf->name || !jf->text) {
        repro_jobfile_free(jf);
        return repro_error_set(err, REPRO_ENOMEM, "out of memory reading %s", name);
    }
    parser *p = repro_calloc(1, sizeof *p, err);
    if (!p) {
        repro_jobfile_free(jf);
        return REPRO_ENOMEM;
    }
    p->name = name;
    p->text = jf->text;
    p->at_line_start = 1;
    p->registry = registry;
    p->jf = jf;
    p->err = err;
    p->kind = S_NONE;
    /* a UTF-8 byte-order mark is skipped (the text is kept as it was) */
    if (!strncmp(p->text, "\xEF\xBB\xBF", 3))
        p->pos = 3;
    int rc = ini_parse_stream(reader, p, handler, p);
    if (rc > 0 && p->failed && rc < p->fail_line) {
        /* inih's first error comes before ours: a line it could not read
         * (handler errors are never later than the line inih stopped at) */
        p->failed = 0;
        repro_error_clear(p->err);
    }
    if (!p->failed && rc > 0)
        fail(p, rc, "syntax error (expected [section], key = value, or a comment)");
    else if (!p->failed && rc < 0)
        fail(p, p->line, "could not parse (inih error %d)", rc);
    if (!p->failed)
        check_header_used(p);
    if (!p->failed)
        finish_section(p);
    if (!p->failed && jf->n_experiments == 0)
        fail(p, 1, "no [experiment NAME] section");
    for (size_t i = 0; !p->failed && i < jf->n_experiments; i++)
        if (jf->exp[i].n_datasets == 0)
            fail(p, jf->exp[i].line, "experiment '%s' has no [dataset NAME] section", jf->exp[i].name);
    int failed = p->failed;
    free(p);
    if (failed) {
        repro_jobfile_free(jf);
        return REPRO_EINVAL;
    }
    *out = jf;
    return REPRO_OK;
}

int repro_read_text_file(const char *path, char **out, repro_error *err)
{
    size_t len = 0;
    int rc = repro_read_file(path, out, &len, err);
    if (rc == REPRO_EIO) /* an unreadable job file is bad input */
        return repro_error_set(err, REPRO_EINVAL, "%s: read error", path);
    if (!rc && strlen(*out) != len) {
        free(*out);
        *out = NULL;
        return repro_error_set(err, REPRO_EINVAL, "%s: not a text file (contains NUL bytes)", path);
    }
    return rc;
}
