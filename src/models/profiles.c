/* profiles.c - named settings of several models (see model.h): the published
 * runs' configuration, which is also the default, and the later squamish
 * package's. docs/FIDELITY.md gives the evidence for each value. */
#include <stdio.h>
#include <string.h>

#include "repro/model.h"

/* squamish as used for the preprint (b_perc 100) with LightGBM's
 * min_child_samples 1 in SQ's own forests; Boruta keeps its row minimum. */
static const char *const published[] = {
    "SQ.perc=100",
    "SQ.min_child_rows=1",
    "SQ.boruta_min_child_rows=20",
    NULL,
};

/* squamish after its commit of 2020-04-10 ("Changed Boruta model parameters
 * to increase feature Recall"): b_perc 70, 20 rows per child everywhere. */
static const char *const squamish_2020_04[] = {
    "SQ.perc=70",
    "SQ.min_child_rows=20",
    "SQ.boruta_min_child_rows=20",
    NULL,
};

const repro_profile repro_profiles[] = {
    {REPRO_PROFILE_DEFAULT, "the published runs' settings (the defaults)", published},
    {"squamish-2020-04", "the squamish package from 2020-04-10 on (Boruta percentile 70, 20 rows per child)",
     squamish_2020_04},
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

int repro_profile_apply(const repro_profile *profile, repro_params *params, repro_error *err)
{
    const char *model = params->type->name;
    size_t len = strlen(model);
    for (size_t i = 0; profile->settings[i]; i++) {
        const char *s = profile->settings[i];
        if (strncmp(s, model, len) != 0 || s[len] != '.')
            continue;
        int rc = repro_params_set_text(params, s + len + 1, err);
        if (rc) {
            repro_error_prefix(err, "profile %s", profile->name);
            return rc;
        }
    }
    return REPRO_OK;
}
