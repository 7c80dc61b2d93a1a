/* fuzz_csv.c - libFuzzer target: the CSV reader on any bytes (written to a
 * scratch file, as the reader takes a path). An accepted file gives finite
 * values and labels -1/+1, and survives a write and read back unchanged. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "repro/data.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char in_path[512], out_path[512];

/* Scratch file names in $TMPDIR (else /tmp), one pair per process. */
static void init_paths(void)
{
    if (in_path[0])
        return;
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    snprintf(in_path, sizeof in_path, "%s/fuzz_csv_%ld_in.csv", dir, (long)getpid());
    snprintf(out_path, sizeof out_path, "%s/fuzz_csv_%ld_out.csv", dir, (long)getpid());
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    init_paths();
    FILE *f = fopen(in_path, "wb");
    if (!f)
        abort();
    if (size && fwrite(data, 1, size, f) != size)
        abort();
    fclose(f);
    repro_dataset *ds = NULL, *back = NULL;
    repro_error err;
    repro_error_clear(&err);
    if (repro_csv_read(in_path, &ds, &err) == REPRO_OK) {
        for (size_t i = 0; i < ds->n; i++) {
            if (ds->y[i] != -1 && ds->y[i] != 1)
                abort();
            for (size_t j = 0; j < ds->d; j++)
                if (ds->X[i * ds->d + j] != ds->X[i * ds->d + j]) /* NaN */
                    abort();
        }
        if (repro_csv_write(out_path, ds, &err) || repro_csv_read(out_path, &back, &err))
            abort();
        if (back->n != ds->n || back->d != ds->d || memcmp(back->y, ds->y, ds->n * sizeof *ds->y) ||
            memcmp(back->X, ds->X, ds->n * ds->d * sizeof *ds->X))
            abort();
        repro_dataset_free(back);
        repro_dataset_free(ds);
    } else if (ds || !err.msg[0]) {
        abort();
    }
    remove(in_path);
    remove(out_path);
    return 0;
}
