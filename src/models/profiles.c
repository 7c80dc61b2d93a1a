/* profiles.c - named settings of several models (see model.h), some only
 * for linear or only for non-linear data: the published runs' configuration
 * (the default), the later squamish package's, and the specification's.
 * docs/FIDELITY.md gives the evidence for each value. */
#include <stdio.h>
#include <string.h>

#include "repro/model.h"

#define ALL REPRO_SCOPE_ALL
#define LINEAR REPRO_SCOPE_LINEAR
#define NONLINEAR REPRO_SCOPE_NONLINEAR

/* The published runs. Both experiments: squamish's Boruta at b_perc 100
 * with LightGBM's 20 rows per child (FIDELITY.md §1-2), and fri's search
 * for C on KFold(3), contiguous folds (fri 7.2.0 and 8.0.1, §7.6). Linear
 * tables (squamish of 2020-03-03, §7.5): LightGBM's default boosted trees as
 * the minimal model, MR from the last resampled fit, the one-sided test at
 * fpr 1e-4, and step 5 refitting the "dense" forest (feature fraction 0.1,
 * 20 rows per child, 31 leaves, no depth limit to speak of). Non-linear
 * tables (a later squamish, §7.3-7.4): the minimal forest with one row per
 * child (the published training accuracies of §2). */
static const repro_profile_setting published[] = {
    {ALL, "FRI.cv=kfold"},
    {ALL, "SQ.perc=100"},
    {ALL, "SQ.boruta_min_child_rows=20"},
    {LINEAR, "SQ.minimal_model=gbdt"},
    {LINEAR, "SQ.mr_fit=last_resample"},
    {LINEAR, "SQ.test=lower"},
    {LINEAR, "SQ.fpr=1e-4"},
    {LINEAR, "SQ.feature_fraction=0.1"},
    {LINEAR, "SQ.min_child_rows=20"},
    {LINEAR, "SQ.num_leaves=31"},
    {LINEAR, "SQ.max_depth=30"},
    {NONLINEAR, "SQ.min_child_rows=1"},
    {ALL, NULL},
};

/* squamish after its commit of 2020-04-10 ("Changed Boruta model parameters
 * to increase feature Recall"): b_perc 70, 20 rows per child everywhere. */
static const repro_profile_setting squamish_2020_04[] = {
    {ALL, "SQ.perc=70"},
    {ALL, "SQ.min_child_rows=20"},
    {ALL, "SQ.boruta_min_child_rows=20"},
    {ALL, NULL},
};

/* ALGORITHMS.md as written: Boruta's percentile of the published tables
 * (§6), every forest with 20 rows per child (§4), the minimal random forest
 * (§7: feature fraction 0.8, 32 leaves, depth 5), MR from its importances,
 * the two-sided test at fpr 1e-6, stratified folds for FRI's C (§8). */
static const repro_profile_setting specification[] = {
    {ALL, "FRI.cv=stratified"},
    {ALL, "SQ.perc=100"},
    {ALL, "SQ.boruta_min_child_rows=20"},
    {ALL, "SQ.minimal_model=forest"},
    {ALL, "SQ.mr_fit=minimal"},
    {ALL, "SQ.test=two_sided"},
    {ALL, "SQ.fpr=1e-6"},
    {ALL, "SQ.feature_fraction=0.8"},
    {ALL, "SQ.min_child_rows=20"},
    {ALL, "SQ.num_leaves=32"},
    {ALL, "SQ.max_depth=5"},
    {ALL, NULL},
};

const repro_profile repro_profiles[] = {
    {REPRO_PROFILE_DEFAULT,
     "the published runs (the default): FRI's contiguous folds; linear data: SQ as of 2020-03-03 "
     "(boosted minimal model, one-sided test); non-linear: SQ's forest with one row per child",
     published},
    {"squamish-2020-04", "the squamish package from 2020-04-10 on (Boruta percentile 70, 20 rows per child)",
     squamish_2020_04},
    {"specification", "the algorithms as ALGORITHMS.md specifies them (20 rows per child, two-sided test, "
     "stratified folds)",
     specification},
    {NULL, NULL, NULL},
};

const repro_profile *repro_profile_find(const char *name)
{
    for (size_t i = 0; repro_profiles[i].name; i++)
        if (strcmp(repro_profiles[i].name, name) == 0)
            return &repro_profiles[i];
    return NULL;
}

void repro_profile_names(char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; repro_profiles[i].name && used < size; i++) {
        int w = snprintf(buf + used, size - used, "%s%s", i ? ", " : "", repro_profiles[i].name);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

const char *repro_profile_scope_name(repro_profile_scope scope)
{
    return scope == REPRO_SCOPE_LINEAR ? "linear" : scope == REPRO_SCOPE_NONLINEAR ? "nonlinear" : "all";
}

/* Lists the settings scope by scope ("A B; linear: C D; nonlinear: E"), so
 * the line says exactly what applies to which data (help texts, results). */
void repro_profile_format(const repro_profile *profile, char *buf, size_t size)
{
    static const repro_profile_scope order[] = {REPRO_SCOPE_ALL, REPRO_SCOPE_LINEAR, REPRO_SCOPE_NONLINEAR};
    size_t used = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
        int first = 1;
        for (size_t i = 0; profile->settings[i].text && used < size; i++) {
            if (profile->settings[i].scope != order[k])
                continue;
            const char *head = !first ? " " : order[k] == REPRO_SCOPE_ALL ? (used ? "; " : "") : NULL;
            char scoped[32];
            if (!head) {
                snprintf(scoped, sizeof scoped, "%s%s: ", used ? "; " : "", repro_profile_scope_name(order[k]));
                head = scoped;
            }
            int w = snprintf(buf + used, size - used, "%s%s", head, profile->settings[i].text);
            if (w < 0)
                return;
            used += (size_t)w;
            first = 0;
        }
    }
    if (!used && size > 6)
        snprintf(buf, size, "(none)");
}

/* Whether a setting of this scope applies to data of this kind. */
static int in_scope(repro_profile_scope scope, int data_kind)
{
    if (scope == REPRO_SCOPE_ALL)
        return 1;
    if (scope == REPRO_SCOPE_LINEAR)
        return data_kind == REPRO_GEN_LINEAR;
    return data_kind == REPRO_GEN_NONLINEAR;
}

int repro_profile_apply(const repro_profile *profile, repro_params *params, int data_kind, unsigned keep,
                        repro_error *err)
{
    const char *model = params->type->name;
    size_t len = strlen(model);
    for (size_t i = 0; profile->settings[i].text; i++) {
        const char *s = profile->settings[i].text;
        if (strncmp(s, model, len) != 0 || s[len] != '.' || !in_scope(profile->settings[i].scope, data_kind))
            continue;
        const char *name = s + len + 1, *eq = strchr(name, '=');
        char key[64];
        snprintf(key, sizeof key, "%.*s", eq ? (int)(eq - name) : (int)strlen(name), name);
        int idx = repro_params_index(params->type, key);
        if (idx >= 0 && idx < 32 && (keep >> idx) & 1u)
            continue;
        int rc = repro_params_set_text(params, name, err);
        if (rc) {
            repro_error_prefix(err, "profile %s", profile->name);
            return rc;
        }
    }
    return REPRO_OK;
}
