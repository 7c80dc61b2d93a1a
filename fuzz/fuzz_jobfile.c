/* fuzz_jobfile.c - libFuzzer target: the job file parser on any text. A
 * parse either fails with a "fuzz.ini:LINE: " message or gives experiments
 * whose names fit the results file and whose data sets pass the checks. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repro/jobfile.h"
#include "repro/model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    repro_jobfile *jf = NULL;
    repro_error err;
    repro_error_clear(&err);
    int rc = repro_jobfile_parse("fuzz.ini", text, repro_models, &jf, &err);
    if (rc) {
        if (jf || strncmp(err.msg, "fuzz.ini:", 9) != 0)
            abort();
    } else {
        if (!jf || !jf->n_experiments)
            abort();
        for (size_t i = 0; i < jf->n_experiments; i++) {
            const repro_experiment *e = &jf->exp[i];
            if (!e->name[0] || strlen(e->name) >= REPRO_NAME_MAX || !e->n_models || !e->n_datasets)
                abort();
            for (size_t k = 0; k < e->n_datasets; k++)
                if (strlen(e->datasets[k].name) >= REPRO_NAME_MAX ||
                    repro_gen_spec_check(&e->datasets[k].spec, &err))
                    abort();
        }
    }
    repro_jobfile_free(jf);
    free(text);
    return 0;
}
