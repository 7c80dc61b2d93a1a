/* cli_data.h - the DATA argument of `gen` and `fit`. */
#ifndef REPRO_CLI_DATA_H
#define REPRO_CLI_DATA_H

#include <stdint.h>

#include "repro/data.h"

/* Experiment name under which `gen` and `fit` derive their streams:
 * data = data stream (seed, "cli", canonical spec, repeat),
 * job  = job stream  (seed, "cli", canonical spec, repeat, model). */
#define REPRO_CLI_EXPERIMENT "cli"

/* DATA is a generator SPEC (see repro_gen_spec_parse) or csv:PATH. The data
 * set comes back standardized. */
int repro_cli_load_data(const char *data, uint64_t seed, uint64_t repeat, repro_dataset **out,
                        repro_error *err);

#endif
