/* fuzz_spec.c - libFuzzer target: data specs (linear:n=..,strong=..) on any
 * text. An accepted spec passes the checks and its canonical text parses back
 * to the same canonical text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "repro/data.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    repro_gen_spec spec, again;
    repro_error err;
    repro_error_clear(&err);
    if (repro_gen_spec_parse(text, &spec, &err) == REPRO_OK) {
        char canon[256], canon2[256];
        repro_gen_spec_format(&spec, canon, sizeof canon);
        if (repro_gen_spec_check(&spec, &err) || repro_gen_spec_parse(canon, &again, &err))
            abort();
        repro_gen_spec_format(&again, canon2, sizeof canon2);
        if (strcmp(canon, canon2) != 0)
            abort();
    } else if (!err.msg[0]) {
        abort(); /* every refusal says why */
    }
    free(text);
    return 0;
}
