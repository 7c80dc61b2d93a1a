/* cli_gen.c - `repro_mpi gen`: write a generated data set as CSV. */
#include <stdio.h>
#include <string.h>

#include "repro/cli.h"
#include "repro/cli_util.h"
#include "repro/cli_data.h"

static void gen_help(FILE *out)
{
    fprintf(out,
            "Usage: repro_mpi gen SPEC [--seed N] [--repeat R] -o FILE.csv\n"
            "\n"
            "Writes a generated, standardized data set as CSV (x0,...,x{d-1},y; y in {-1,1}).\n"
            "SPEC: linear:n=150,strong=6,weak=0,irrelevant=6[,noise=0]\n"
            "      nonlinear:n=1000,strong=4,weak=10,irrelevant=6[,noise=0.1]\n"
            "The data depend only on SPEC, the seed and the repeat number; 'repro_mpi fit\n"
            "MODEL SPEC' with the same seed and repeat sees the same data.\n"
            "\n"
            "Options:\n"
            "  --seed N      seed (default: $SEED, else 123)\n"
            "  --repeat R    repeat number, for fresh draws (default 0)\n"
            "  -o FILE       output file (required)\n");
}

int repro_cmd_gen(int argc, char **argv)
{
    const char *spec = NULL, *outpath = NULL;
    uint64_t seed = 123, repeat = 0;
    repro_error err;
    repro_error_clear(&err);
    if (repro_cli_env_u64("SEED", &seed, &err) < 0)
        return repro_cli_fail(&err);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            gen_help(stdout);
            return REPRO_EXIT_OK;
        } else if (!strcmp(a, "--seed") || !strcmp(a, "--repeat")) {
            uint64_t *dst = !strcmp(a, "--seed") ? &seed : &repeat;
            if (i + 1 >= argc || repro_cli_parse_u64(argv[i + 1], dst))
                return repro_cli_usage_error("gen", "%s needs a whole number >= 0", a);
            i++;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (i + 1 >= argc)
                return repro_cli_usage_error("gen", "%s needs a file name", a);
            outpath = argv[++i];
        } else if (a[0] == '-' && a[1]) {
            return repro_cli_usage_error("gen", "unknown option '%s' (see 'repro_mpi gen --help')", a);
        } else if (!spec) {
            spec = a;
        } else {
            return repro_cli_usage_error("gen", "unexpected argument '%s'", a);
        }
    }
    if (!spec)
        return repro_cli_usage_error("gen", "missing SPEC (see 'repro_mpi gen --help')");
    if (!outpath)
        return repro_cli_usage_error("gen", "missing -o FILE.csv");
    if (strncmp(spec, "csv:", 4) == 0)
        return repro_cli_usage_error("gen", "SPEC must be a generator (linear:... or nonlinear:...)");
    repro_dataset *ds = NULL;
    if (repro_cli_load_data(spec, seed, repeat, &ds, &err) || repro_csv_write(outpath, ds, &err)) {
        repro_dataset_free(ds);
        return repro_cli_fail(&err);
    }
    repro_dataset_free(ds);
    return REPRO_EXIT_OK;
}
