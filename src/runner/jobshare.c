/* jobshare.c - broadcasting the job files of a run (see jobshare.h). */
#include "repro/jobshare.h"

#include <stdlib.h>
#include <string.h>

#include "repro/jobfile.h"
#include "repro/mpicheck.h"
#include "repro/paths.h"

/* Rank 0 packs "name\0text\0" per file into one buffer and broadcasts its
 * length (negative: rank 0's error code) and then its bytes; every rank cuts
 * the buffer back into names and texts. Collective. */
int repro_jobfiles_share(MPI_Comm comm, int rank, const char *const *names, int n,
                         repro_job_source *src, char **blob, repro_error *err)
{
    long long len = 0;
    int rc = REPRO_OK;
    char *buf = NULL;
    *blob = NULL;
    if (rank == 0) {
        char **texts = calloc(n > 0 ? (size_t)n : 1, sizeof *texts);
        size_t total = 0;
        if (!texts)
            rc = repro_error_set(err, REPRO_ENOMEM, "out of memory");
        for (int f = 0; f < n && !rc; f++) {
            char path[4096]; /* a path, or a shipped job's name such as "smoke" */
            rc = repro_jobfile_resolve(names[f], path, sizeof path, err);
            if (!rc)
                rc = repro_read_text_file(path, &texts[f], err);
            if (!rc)
                total += strlen(names[f]) + strlen(texts[f]) + 2;
        }
        if (!rc && !(buf = repro_malloc(total ? total : 1, 1, err)))
            rc = REPRO_ENOMEM;
        size_t at = 0;
        for (int f = 0; f < n && !rc; f++) {
            size_t nl = strlen(names[f]) + 1, tl = strlen(texts[f]) + 1;
            memcpy(buf + at, names[f], nl);
            memcpy(buf + at + nl, texts[f], tl);
            at += nl + tl;
        }
        for (int f = 0; texts && f < n; f++)
            free(texts[f]);
        free(texts);
        len = rc ? -(long long)rc : (long long)at;
    }
    REPRO_MPI_CHECK(MPI_Bcast(&len, 1, MPI_LONG_LONG, 0, comm));
    if (len < 0) {
        free(buf);
        if (rank)
            repro_error_set(err, (int)-len, "rank 0 could not read the job files");
        return (int)-len;
    }
    if (rank && !(buf = malloc((size_t)len ? (size_t)len : 1)))
        return repro_error_set(err, REPRO_ENOMEM, "out of memory");
    REPRO_MPI_CHECK(MPI_Bcast(buf, (int)len, MPI_CHAR, 0, comm));
    size_t at = 0;
    for (int f = 0; f < n; f++) {
        src[f].name = buf + at;
        at += strlen(buf + at) + 1;
        src[f].text = buf + at;
        at += strlen(buf + at) + 1;
    }
    *blob = buf;
    return REPRO_OK;
fail:
    free(buf);
    return err->code;
}
