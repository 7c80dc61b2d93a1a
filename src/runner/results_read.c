/* results_read.c - reading a results file serially (record.h). */
#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repro/plan.h"
#include "repro/record.h"
#include "results_layout.h"

/* Copies a fixed-width cell into a NUL-terminated field or new string. */
static void cell(char *dst, size_t size, const char *col, size_t width, size_t i)
{
    snprintf(dst, size, "%.*s", (int)width, col + i * width);
}

int repro_results_read(const char *path, repro_result_set **out, repro_error *err)
{
    *out = NULL;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    htri_t is = H5Fis_hdf5(path);
    if (is <= 0)
        return repro_error_set(err, REPRO_EINVAL, "%s: missing, unreadable, truncated or not an HDF5 file",
                               path);
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (file < 0)
        return repro_error_set(err, REPRO_EINVAL, "%s: cannot open (truncated or not an HDF5 file)", path);
    repro_result_set *set = NULL;
    repro_results_data data;
    int rc = repro_results_load(file, path, &data, err);
    if (rc) {
        H5Fclose(file);
        return rc;
    }
    void **col = data.col;
    uint64_t seed = data.seed;
    uint32_t repeats = data.repeats, n_jobs = data.n_jobs, max_d = data.max_d;
    if (data.n_damaged) {
        size_t i = data.first_damaged;
        char name[3][REPRO_NAME_MAX];
        for (int k = 0; k < 3; k++)
            cell(name[k], sizeof name[k], col[COL_EXPERIMENT + k], repro_cols[COL_EXPERIMENT + k].strlen, i);
        rc = repro_error_set(err, REPRO_EINVAL,
                             "%s: job %zu (%s / %s / repeat %u / %s) is damaged: its row does not match its "
                             "checksum (%zu damaged row%s; 'run --resume' computes %s again)",
                             path, i, name[0], name[1], ((uint32_t *)col[COL_REPEAT])[i], name[2], data.n_damaged,
                             data.n_damaged == 1 ? "" : "s", data.n_damaged == 1 ? "it" : "them");
        goto done;
    }
    if (!(set = repro_result_set_alloc(n_jobs, err))) {
        rc = REPRO_ENOMEM;
        goto done;
    }
    set->seed = seed;
    set->n_seeds = 1;
    set->repeats = repeats;
    for (size_t i = 0; i < n_jobs && !rc; i++) {
        repro_record *r = &set->rec[i];
        cell(r->experiment, sizeof r->experiment, col[COL_EXPERIMENT], repro_cols[COL_EXPERIMENT].strlen, i);
        cell(r->dataset, sizeof r->dataset, col[COL_DATASET], repro_cols[COL_DATASET].strlen, i);
        cell(r->model, sizeof r->model, col[COL_MODEL], repro_cols[COL_MODEL].strlen, i);
        r->repeat = ((uint32_t *)col[COL_REPEAT])[i];
        r->seed = ((uint64_t *)col[COL_SEED])[i];
        r->status = ((int8_t *)col[COL_STATUS])[i];
        r->train_score = ((double *)col[COL_TRAIN_SCORE])[i];
        r->fit_seconds = ((double *)col[COL_FIT_SECONDS])[i];
        r->n = ((uint32_t *)col[COL_N])[i];
        double *sc[7] = {&r->scores.precision,        &r->scores.recall,       &r->scores.f1,
                         &r->scores.weak_precision,   &r->scores.weak_recall,  &r->scores.strong_precision,
                         &r->scores.strong_recall};
        for (int k = 0; k < 7; k++)
            *sc[k] = ((double *)col[COL_PRECISION + k])[i];
        size_t d = ((uint32_t *)col[COL_D])[i]; /* <= max_d, status valid: checked by the load */
        int imp = ((int8_t *)col[COL_HAS_IMPORTANCE])[i] == 1, bnd = ((int8_t *)col[COL_HAS_BOUNDS])[i] == 1;
        if ((rc = repro_record_init(r, d, imp, bnd, err)))
            break;
        memcpy(r->relevance, (int8_t *)col[COL_RELEVANCE] + i * max_d, d);
        memcpy(r->truth, (int8_t *)col[COL_TRUTH] + i * max_d, d);
        if (imp)
            memcpy(r->importance, (double *)col[COL_IMPORTANCE] + i * max_d, d * sizeof(double));
        if (bnd)
            memcpy(r->bounds, (double *)col[COL_BOUNDS] + i * max_d * 2, 2 * d * sizeof(double));
        for (int c = COL_EXTRAS; c <= COL_MESSAGE; c++) {
            size_t w = repro_cols[c].strlen;
            const char *s = (const char *)col[c] + i * w;
            size_t len = strnlen(s, w);
            if (!len)
                continue;
            char *copy = repro_malloc(len + 1, 1, err);
            if (!copy) {
                rc = REPRO_ENOMEM;
                break;
            }
            memcpy(copy, s, len);
            copy[len] = '\0';
            if (c == COL_EXTRAS)
                r->extras_json = copy;
            else
                r->message = copy;
        }
    }
    if (!rc)
        rc = repro_tasks_read(file, path, n_jobs, set->rec, &set->has_tasks, err);
    if (!rc) {
        static const char *const keys[] = {"version", "command_line", "job_file_names", "start_time",
                                           "end_time"};
        char *vals[5];
        size_t len = 256;
        for (int k = 0; k < 5; k++) {
            vals[k] = repro_h5_attr_text(file, keys[k]);
            len += strlen(keys[k]) + strlen(vals[k]) + 8;
        }
        int32_t ranks = 0, threads = 0;
        repro_h5_attr_num(file, "ranks", H5T_NATIVE_INT32, &ranks);
        repro_h5_attr_num(file, "threads", H5T_NATIVE_INT32, &threads);
        char *seeds = repro_h5_attr_text(file, "SEEDS");
        char seedline[160];
        uint64_t *list = NULL;
        size_t n_list = 0;
        repro_error perr;
        if (seeds && seeds[0] && !repro_plan_parse_seeds(seeds, &list, &n_list, &perr))
            set->n_seeds = n_list;
        free(list);
        if (seeds && seeds[0])
            snprintf(seedline, sizeof seedline, "SEEDS=%.120s (%zu seeds)", seeds, set->n_seeds);
        else
            snprintf(seedline, sizeof seedline, "SEED=%llu", (unsigned long long)seed);
        free(seeds);
        char profline[1200] = "";
        char *jf = repro_h5_attr_text(file, "job_files");
        const char *pl = jf ? strstr(jf, "\n### PROFILE ") : NULL;
        const char *ps = jf ? strstr(jf, "\n### PROFILE_SETTINGS ") : NULL;
        if (pl)
            snprintf(profline, sizeof profline, "profile: %.*s%s%.*s%s\n", (int)strcspn(pl + 13, "\n"), pl + 13,
                     ps ? " (" : "", ps ? (int)strcspn(ps + 22, "\n") : 0, ps ? ps + 22 : "", ps ? ")" : "");
        set->job_files = jf;
        set->provenance = malloc(len + sizeof seedline + sizeof profline);
        if (set->provenance) {
            for (char *p = vals[2]; *p; p++)
                if (*p == '\n')
                    *p = ' ';
            snprintf(set->provenance, len + sizeof seedline + sizeof profline,
                     "version: %s\ncommand line: %s\njob files: %s\n%s%s REPEATS=%u, %u jobs, "
                     "%d ranks x %d threads\nstarted: %s\nended: %s\n",
                     vals[0], vals[1], vals[2], profline, seedline, repeats, n_jobs, ranks, threads,
                     vals[3], vals[4][0] ? vals[4] : "(not finished)");
        }
        for (int k = 0; k < 5; k++)
            free(vals[k]);
        if (!set->provenance)
            rc = repro_error_set(err, REPRO_ENOMEM, "out of memory");
    }
done:
    repro_results_data_free(&data);
    H5Fclose(file);
    if (rc) {
        repro_result_set_free(set);
        return rc;
    }
    *out = set;
    return REPRO_OK;
}
