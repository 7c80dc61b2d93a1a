/* data.c - data set containers, the linear and non-linear generators of the
 * paper (ALGORITHMS.md §1-2) and standardization (§3). */
#include "repro/data.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repro/tokenize.h"

repro_dataset *repro_dataset_alloc(size_t n, size_t d, int with_truth, repro_error *err)
{
    repro_dataset *ds = repro_calloc(1, sizeof *ds, err);
    if (!ds)
        return NULL;
    ds->n = n;
    ds->d = d;
    ds->X = repro_calloc(n * d, sizeof *ds->X, err);
    ds->y = repro_calloc(n, sizeof *ds->y, err);
    if (with_truth)
        ds->truth = repro_calloc(d, sizeof *ds->truth, err);
    if (!ds->X || !ds->y || (with_truth && !ds->truth)) {
        repro_dataset_free(ds);
        return NULL;
    }
    return ds;
}

void repro_dataset_free(repro_dataset *ds)
{
    if (!ds)
        return;
    free(ds->X);
    free(ds->y);
    free(ds->truth);
    free(ds);
}

repro_dataset *repro_dataset_copy(const repro_dataset *ds, repro_error *err)
{
    repro_dataset *c = repro_dataset_alloc(ds->n, ds->d, ds->truth != NULL, err);
    if (!c)
        return NULL;
    memcpy(c->X, ds->X, ds->n * ds->d * sizeof *ds->X);
    memcpy(c->y, ds->y, ds->n * sizeof *ds->y);
    if (ds->truth)
        memcpy(c->truth, ds->truth, ds->d * sizeof *ds->truth);
    return c;
}

repro_dataset *repro_dataset_columns(const repro_dataset *ds, const size_t *cols, size_t k,
                                     repro_error *err)
{
    repro_dataset *c = repro_dataset_alloc(ds->n, k, ds->truth != NULL, err);
    if (!c)
        return NULL;
    for (size_t i = 0; i < ds->n; i++)
        for (size_t j = 0; j < k; j++)
            c->X[i * k + j] = ds->X[i * ds->d + cols[j]];
    memcpy(c->y, ds->y, ds->n * sizeof *ds->y);
    if (ds->truth)
        for (size_t j = 0; j < k; j++)
            c->truth[j] = ds->truth[cols[j]];
    return c;
}

repro_dataset *repro_dataset_rows(const repro_dataset *ds, const size_t *rows, size_t k,
                                  repro_error *err)
{
    repro_dataset *c = repro_dataset_alloc(k, ds->d, ds->truth != NULL, err);
    if (!c)
        return NULL;
    for (size_t i = 0; i < k; i++) {
        memcpy(c->X + i * ds->d, ds->X + rows[i] * ds->d, ds->d * sizeof *ds->X);
        c->y[i] = ds->y[rows[i]];
    }
    if (ds->truth)
        memcpy(c->truth, ds->truth, ds->d * sizeof *ds->truth);
    return c;
}

/* ---- generator specifications ---- */

#define SPEC_MAX_N 100000000L
#define SPEC_MAX_FEATURES 100000L

int repro_gen_spec_check(const repro_gen_spec *s, repro_error *err)
{
    if (s->n < 2)
        return repro_error_set(err, REPRO_EINVAL, "n=%ld: need at least 2 rows", s->n);
    if (s->n > SPEC_MAX_N)
        return repro_error_set(err, REPRO_EINVAL, "n=%ld: at most %ld rows", s->n, SPEC_MAX_N);
    const char *keys[3] = {"strong", "weak", "irrelevant"};
    long vals[3] = {s->strong, s->weak, s->irrelevant};
    for (int i = 0; i < 3; i++)
        if (vals[i] < 0 || vals[i] > SPEC_MAX_FEATURES)
            return repro_error_set(err, REPRO_EINVAL, "%s=%ld: must be in [0, %ld]", keys[i], vals[i],
                                   SPEC_MAX_FEATURES);
    if (s->strong + s->weak + s->irrelevant < 1)
        return repro_error_set(err, REPRO_EINVAL, "strong+weak+irrelevant must be at least 1");
    if (s->strong + s->weak < 1)
        return repro_error_set(err, REPRO_EINVAL, "strong+weak must be at least 1 (the label needs a relevant feature)");
    if (!(s->noise >= 0.0) || !isfinite(s->noise))
        return repro_error_set(err, REPRO_EINVAL, "noise=%g: must be a finite number >= 0", s->noise);
    if (s->kind == REPRO_GEN_LINEAR) {
        if (s->strong == 0 && s->weak < 2)
            return repro_error_set(err, REPRO_EINVAL, "weak=%ld: with strong=0 need weak >= 2", s->weak);
    } else {
        if (s->strong == 0 && s->weak < 5)
            return repro_error_set(err, REPRO_EINVAL,
                                   "weak=%ld: the non-linear generator with strong=0 needs weak >= 5", s->weak);
        long groups = s->weak > 0 ? (s->strong > 0 ? 1 : 2) : 0;
        if (s->strong + groups < 2)
            return repro_error_set(err, REPRO_EINVAL,
                                   "strong=%ld, weak=%ld: the non-linear generator needs at least 2 latent "
                                   "features (strong + weak groups)", s->strong, s->weak);
    }
    return REPRO_OK;
}

/* Parses a whole number >= 0 for key from text. */
static int parse_count(const char *key, const char *text, long *out, repro_error *err)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (end == text || *end || errno || v < 0)
        return repro_error_set(err, REPRO_EINVAL, "%s='%s': not a whole number >= 0", key, text);
    *out = v;
    return REPRO_OK;
}

int repro_gen_spec_parse(const char *text, repro_gen_spec *spec, repro_error *err)
{
    memset(spec, 0, sizeof *spec);
    const char *colon = strchr(text, ':');
    size_t klen = colon ? (size_t)(colon - text) : strlen(text);
    if (klen == 6 && strncmp(text, "linear", 6) == 0) {
        spec->kind = REPRO_GEN_LINEAR;
        spec->noise = 0.0;
    } else if (klen == 9 && strncmp(text, "nonlinear", 9) == 0) {
        spec->kind = REPRO_GEN_NONLINEAR;
        spec->noise = 0.1;
    } else {
        return repro_error_set(err, REPRO_EINVAL,
                               "data spec '%s': unknown generator '%.*s' (use linear:... or nonlinear:...)",
                               text, (int)klen, text);
    }
    if (!colon)
        return repro_error_set(err, REPRO_EINVAL, "data spec '%s': missing ':' and parameters "
                               "(e.g. linear:n=150,strong=6,weak=0,irrelevant=6)", text);
    char buf[512];
    if (strlen(colon + 1) >= sizeof buf)
        return repro_error_set(err, REPRO_EINVAL, "data spec too long");
    strcpy(buf, colon + 1);
    int seen[5] = {0};
    static const char *const names[5] = {"n", "strong", "weak", "irrelevant", "noise"};
    const char *item;
    size_t len;
    for (const char *at = buf; repro_list_next(&at, &item, &len, 0);) {
        if (!len)
            continue;
        char tok[sizeof buf];
        repro_list_copy(item, len, tok, sizeof tok);
        char *eq = strchr(tok, '=');
        if (!eq)
            return repro_error_set(err, REPRO_EINVAL, "data spec: '%s' is not key=value", tok);
        *eq = '\0';
        const char *key = tok, *val = eq + 1;
        int k = -1;
        for (int i = 0; i < 5; i++)
            if (strcmp(key, names[i]) == 0)
                k = i;
        if (k < 0)
            return repro_error_set(err, REPRO_EINVAL,
                                   "data spec: unknown key '%s' (valid: n, strong, weak, irrelevant, noise)", key);
        if (seen[k]++)
            return repro_error_set(err, REPRO_EINVAL, "data spec: key '%s' given twice", key);
        int rc;
        switch (k) {
        case 0: rc = parse_count(key, val, &spec->n, err); break;
        case 1: rc = parse_count(key, val, &spec->strong, err); break;
        case 2: rc = parse_count(key, val, &spec->weak, err); break;
        case 3: rc = parse_count(key, val, &spec->irrelevant, err); break;
        default: {
            char *end = NULL;
            errno = 0;
            spec->noise = strtod(val, &end);
            rc = (end == val || *end || errno) ? repro_error_set(err, REPRO_EINVAL,
                                                                "noise='%s': not a number", val)
                                               : REPRO_OK;
        }
        }
        if (rc)
            return rc;
    }
    for (int i = 0; i < 4; i++)
        if (!seen[i])
            return repro_error_set(err, REPRO_EINVAL, "data spec: missing key '%s'", names[i]);
    return repro_gen_spec_check(spec, err);
}

void repro_gen_spec_format(const repro_gen_spec *s, char *buf, size_t size)
{
    snprintf(buf, size, "%s:n=%ld,strong=%ld,weak=%ld,irrelevant=%ld,noise=%g",
             s->kind == REPRO_GEN_LINEAR ? "linear" : "nonlinear", s->n, s->strong, s->weak,
             s->irrelevant, s->noise);
}

/* ---- generators ---- */

/* Fills the true classes: [2]*strong + [1]*weak + [0]*irrelevant. */
static void fill_truth(repro_dataset *ds, const repro_gen_spec *s)
{
    for (size_t j = 0; j < ds->d; j++)
        ds->truth[j] = (long)j < s->strong ? 2 : (long)j < s->strong + s->weak ? 1 : 0;
}

/* Steps 5-6 of §1: irrelevant columns from `first`, then relative noise. */
static void fill_irrelevant_and_noise(repro_rng *rng, repro_dataset *ds, size_t first, double noise)
{
    size_t n = ds->n, d = ds->d;
    for (size_t i = 0; i < n; i++)
        for (size_t j = first; j < d; j++)
            ds->X[i * d + j] = repro_rng_normal(rng);
    if (noise <= 0)
        return;
    double sum = 0.0, sq = 0.0, m = (double)(n * d);
    for (size_t k = 0; k < n * d; k++)
        sum += ds->X[k];
    double mean = sum / m;
    for (size_t k = 0; k < n * d; k++)
        sq += (ds->X[k] - mean) * (ds->X[k] - mean);
    double sd = sqrt(sq / m);
    double scale = sd > 0 ? noise / sd : noise;
    for (size_t k = 0; k < n * d; k++)
        ds->X[k] += scale * repro_rng_normal(rng);
}

/* Copies latent columns into X: the strong ones, then one block of weak
 * copies (latent column + own offset in [1,2)) per weak group. */
static void fill_from_latent(repro_rng *rng, repro_dataset *ds, const double *Z, size_t k,
                             size_t strong, const size_t *group_size, size_t n_groups)
{
    size_t n = ds->n, d = ds->d;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < strong; j++)
            ds->X[i * d + j] = Z[i * k + j];
    size_t col = strong;
    for (size_t g = 0; g < n_groups; g++) {
        for (size_t c = 0; c < group_size[g]; c++, col++) {
            double u = repro_rng_uniform(rng, 1.0, 2.0);
            for (size_t i = 0; i < n; i++)
                ds->X[i * d + col] = Z[i * k + strong + g] + u;
        }
    }
}

int repro_gen_linear(repro_rng *rng, const repro_gen_spec *s, repro_dataset **out, repro_error *err)
{
    *out = NULL;
    int rc = repro_gen_spec_check(s, err);
    if (rc)
        return rc;
    size_t n = (size_t)s->n, strong = (size_t)s->strong, weak = (size_t)s->weak;
    size_t d = strong + weak + (size_t)s->irrelevant;
    size_t k = strong + (weak > 0);
    repro_dataset *ds = repro_dataset_alloc(n, d, 1, err);
    double *Z = repro_malloc(n * k, sizeof *Z, err);
    if (!ds || !Z) {
        repro_dataset_free(ds);
        free(Z);
        return REPRO_ENOMEM;
    }
    for (size_t i = 0; i < n * k; i++)
        Z[i] = repro_rng_normal(rng);
    for (size_t i = 0; i < n; i++) {
        double sum = 0.0;
        for (size_t j = 0; j < k; j++)
            sum += Z[i * k + j];
        ds->y[i] = sum > 0 ? 1 : -1;
    }
    fill_from_latent(rng, ds, Z, k, strong, &weak, weak > 0);
    fill_irrelevant_and_noise(rng, ds, strong + weak, s->noise);
    fill_truth(ds, s);
    free(Z);
    *out = ds;
    return REPRO_OK;
}

int repro_gen_nonlinear(repro_rng *rng, const repro_gen_spec *s, repro_dataset **out,
                        repro_error *err)
{
    *out = NULL;
    int rc = repro_gen_spec_check(s, err);
    if (rc)
        return rc;
    size_t n = (size_t)s->n, strong = (size_t)s->strong, weak = (size_t)s->weak;
    size_t d = strong + weak + (size_t)s->irrelevant;
    size_t group_size[2] = {0, 0}, n_groups = 0;
    if (weak > 0 && strong > 0) {
        group_size[0] = weak;
        n_groups = 1;
    } else if (weak > 0) {
        group_size[0] = 2;
        group_size[1] = weak - 2;
        n_groups = 2;
    }
    size_t k = strong + n_groups;
    repro_dataset *ds = repro_dataset_alloc(n, d, 1, err);
    double *Z = repro_malloc(n * k, sizeof *Z, err);
    double *A = repro_malloc(k * k, sizeof *A, err);
    double *cent = repro_malloc(4 * k, sizeof *cent, err);
    double *z = repro_malloc(k, sizeof *z, err);
    if (!ds || !Z || !A || !cent || !z) {
        repro_dataset_free(ds);
        free(Z), free(A), free(cent), free(z);
        return REPRO_ENOMEM;
    }
    /* Four distinct random hypercube vertices in {-0.5, +0.5}^k. */
    for (int c = 0; c < 4; c++) {
        for (;;) {
            for (size_t j = 0; j < k; j++)
                cent[c * k + j] = repro_rng_bounded(rng, 2) ? 0.5 : -0.5;
            int dup = 0;
            for (int o = 0; o < c && !dup; o++)
                dup = memcmp(cent + o * k, cent + c * k, k * sizeof *cent) == 0;
            if (!dup)
                break;
        }
    }
    size_t row = 0;
    for (int c = 0; c < 4; c++) {
        size_t count = n / 4 + ((size_t)c < n % 4);
        for (size_t j = 0; j < k * k; j++)
            A[j] = repro_rng_uniform(rng, -1.0, 1.0);
        for (size_t r = 0; r < count; r++, row++) {
            for (size_t j = 0; j < k; j++)
                z[j] = repro_rng_normal(rng);
            for (size_t j = 0; j < k; j++) {
                double v = cent[c * k + j];
                for (size_t m = 0; m < k; m++)
                    v += z[m] * A[m * k + j];
                Z[row * k + j] = v;
            }
            ds->y[row] = (c % 2) ? 1 : -1;
        }
    }
    fill_from_latent(rng, ds, Z, k, strong, group_size, n_groups);
    fill_irrelevant_and_noise(rng, ds, strong + weak, s->noise);
    fill_truth(ds, s);
    free(Z), free(A), free(cent), free(z);
    *out = ds;
    return REPRO_OK;
}

void repro_standardize(repro_dataset *ds)
{
    size_t n = ds->n, d = ds->d;
    for (size_t j = 0; j < d; j++) {
        double sum = 0.0, sq = 0.0;
        for (size_t i = 0; i < n; i++)
            sum += ds->X[i * d + j];
        double mean = sum / (double)n;
        for (size_t i = 0; i < n; i++) {
            double c = ds->X[i * d + j] - mean;
            sq += c * c;
        }
        double sd = sqrt(sq / (double)n);
        for (size_t i = 0; i < n; i++)
            ds->X[i * d + j] = sd > 0 ? (ds->X[i * d + j] - mean) / sd : 0.0;
    }
}

int repro_generate(repro_rng *rng, const repro_gen_spec *spec, repro_dataset **out,
                   repro_error *err)
{
    int rc = spec->kind == REPRO_GEN_LINEAR ? repro_gen_linear(rng, spec, out, err)
                                            : repro_gen_nonlinear(rng, spec, out, err);
    if (rc == REPRO_OK)
        repro_standardize(*out);
    return rc;
}
