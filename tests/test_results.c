/* test_results.c - reading results files: a missing file, a foreign one and
 * a truncated copy of a real one are refused with the file named, and a
 * failed read leaves no set behind. */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "repro/cli_util.h"
#include "repro/record.h"
#include "testutil.h"
#include "toymodels.h"

static char tmpdir[256];

static void path_in_tmp(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", tmpdir, name);
}

static void test_read_bad_files(void)
{
    char path[512], good[512];
    static repro_result_set sentinel; /* a failed read must set *out to NULL */
    repro_result_set *set = &sentinel;
    repro_error err;
    repro_error_clear(&err);
    path_in_tmp(path, sizeof path, "missing.h5");
    CU_ASSERT_EQUAL(repro_results_read(path, &set, &err), REPRO_EINVAL);
    /* a text file */
    path_in_tmp(path, sizeof path, "text.h5");
    FILE *f = fopen(path, "w");
    fputs("not hdf5\n", f);
    fclose(f);
    CU_ASSERT_EQUAL(repro_results_read(path, &set, &err), REPRO_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "text.h5"));
    /* a truncated copy of a real results file (a run of the test models,
     * one of whose jobs fails) */
    char job[512];
    path_in_tmp(job, sizeof job, "run.ini");
    path_in_tmp(good, sizeof good, "run.h5");
    f = fopen(job, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(run_file, f);
    fclose(f);
    CU_ASSERT_EQUAL(run_cli(job, good, NULL), REPRO_EXIT_FAIL);
    f = fopen(good, "rb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    static char buf[1 << 20];
    size_t len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    CU_ASSERT_FATAL(len > 4096);
    path_in_tmp(path, sizeof path, "truncated.h5");
    f = fopen(path, "wb");
    fwrite(buf, 1, len / 2, f);
    fclose(f);
    set = &sentinel;
    CU_ASSERT_EQUAL(repro_results_read(path, &set, &err), REPRO_EINVAL);
    CU_ASSERT_PTR_NULL(set);
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/repro_test_results_XXXXXX");
    if (!mkdtemp(tmpdir))
        return 2;
    int provided = 0;
    MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided);
    CU_TestInfo tests[] = {
        {"read: missing, foreign, truncated", test_read_bad_files},
        CU_TEST_INFO_NULL,
    };
    int rc = repro_test_run("results", tests);
    MPI_Finalize();
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    return rc;
}
