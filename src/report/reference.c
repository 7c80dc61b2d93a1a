/* reference.c - lookup of the embedded published tables (see reference.h). */
#include "repro/reference.h"

#include <stddef.h>
#include <string.h>

const char *repro_reference_csv(const char *path)
{
    for (const repro_reference_file *f = repro_reference_files; f->path; f++)
        if (strcmp(f->path, path) == 0)
            return f->text;
    return NULL;
}

const repro_table_def repro_table_defs[] = {
    {"toy_benchmarks", "sim_params", 1, REPRO_CMP_EXACT},
    {"toy_benchmarks", "sim_scores", 1, REPRO_CMP_SCORE},
    {"toy_benchmarks", "sim_accuracy", 1, REPRO_CMP_SCORE},
    {"toy_benchmarks", "runtime", 1, REPRO_CMP_RATIO},
    {"prec_recall_arfs", "prec_rec_ARFS", 2, REPRO_CMP_SCORE},
    {"prec_recall_arfs", "prec_rec_ARFS_mean", 1, REPRO_CMP_SCORE},
    {"NL_toy_benchmarks", "per_dataset", 2, REPRO_CMP_SCORE},
    {"NL_toy_benchmarks", "mean_stats", 1, REPRO_CMP_SCORE},
    {"NL_toy_benchmarks", "accuracy_per_fclass", 2, REPRO_CMP_SCORE},
    {"NL_toy_benchmarks", "accuracy_per_fclass_mean", 1, REPRO_CMP_SCORE},
    {"NL_toy_benchmarks", "presets", 1, REPRO_CMP_EXACT},
};
const size_t repro_n_table_defs = sizeof repro_table_defs / sizeof repro_table_defs[0];

const repro_table_def *repro_table_def_find(const char *name)
{
    for (size_t i = 0; i < repro_n_table_defs; i++)
        if (strcmp(repro_table_defs[i].name, name) == 0)
            return &repro_table_defs[i];
    return NULL;
}
