/* cli_data.c - how the CLI turns a DATA argument into a data set. */
#include "repro/cli_data.h"

#include <string.h>

int repro_cli_load_data(const char *data, uint64_t seed, uint64_t repeat, repro_dataset **out,
                        repro_error *err)
{
    *out = NULL;
    if (strncmp(data, "csv:", 4) == 0) {
        int rc = repro_csv_read(data + 4, out, err);
        if (rc == REPRO_OK)
            repro_standardize(*out);
        return rc;
    }
    repro_gen_spec spec;
    int rc = repro_gen_spec_parse(data, &spec, err);
    if (rc)
        return rc;
    char canon[256];
    repro_gen_spec_format(&spec, canon, sizeof canon);
    repro_rng rng;
    repro_rng_data_stream(&rng, seed, REPRO_CLI_EXPERIMENT, canon, repeat);
    return repro_generate(&rng, &spec, out, err);
}
