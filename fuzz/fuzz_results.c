/* fuzz_results.c - libFuzzer target: the results file reader (its public
 * API, repro_results_read) on any bytes written to a scratch file. A refusal
 * leaves no set and says why; an accepted file gives records whose arrays
 * have their stated lengths. The HDF5 library itself is not instrumented. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "repro/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[512];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!path[0]) {
        const char *dir = getenv("TMPDIR");
        snprintf(path, sizeof path, "%s/fuzz_results_%ld.h5", dir && *dir ? dir : "/tmp", (long)getpid());
    }
    FILE *f = fopen(path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size))
        abort();
    fclose(f);
    repro_result_set *set = NULL;
    repro_error err;
    repro_error_clear(&err);
    if (repro_results_read(path, &set, &err) == REPRO_OK) {
        if (!set)
            abort();
        for (size_t i = 0; i < set->n; i++) {
            const repro_record *r = &set->rec[i];
            /* touch every value the reader says is there (ASan checks the lengths) */
            volatile int sum = 0;
            for (size_t j = 0; j < r->d; j++) {
                sum += r->relevance[j] + r->truth[j];
                if (r->importance)
                    sum += r->importance[j] > 0;
                if (r->bounds)
                    sum += r->bounds[2 * j] < r->bounds[2 * j + 1];
            }
            (void)sum;
        }
        repro_result_set_free(set);
    } else if (set || !err.msg[0]) {
        abort();
    }
    remove(path);
    return 0;
}
