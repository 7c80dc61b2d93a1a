/* test_paths.c - finding the data folder and shipped job files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "repro/paths.h"
#include "testutil.h"

static char dir[256];

/* Makes a scratch data folder DIR/jobs/alpha.ini and points REPRO_DATADIR at it. */
static void make_datadir(void)
{
    snprintf(dir, sizeof dir, "/tmp/repro-test-paths.XXXXXX");
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    char path[512];
    snprintf(path, sizeof path, "%s/jobs", dir);
    CU_ASSERT_EQUAL_FATAL(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/jobs/alpha.ini", dir);
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs("[alpha]\n", f);
    fclose(f);
    setenv("REPRO_DATADIR", dir, 1);
}

/* Removes the scratch folder and the variable. */
static void drop_datadir(void)
{
    char path[512];
    snprintf(path, sizeof path, "%s/jobs/alpha.ini", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/jobs", dir);
    rmdir(path);
    rmdir(dir);
    unsetenv("REPRO_DATADIR");
}

/* REPRO_DATADIR wins when it has jobs/, and is an error when it has none. */
static void test_datadir_env(void)
{
    repro_error err;
    char buf[512];
    make_datadir();
    REPRO_ASSERT_OK(repro_datadir(buf, sizeof buf, &err), &err);
    CU_ASSERT_STRING_EQUAL(buf, dir);
    setenv("REPRO_DATADIR", "/nonexistent-repro-dir", 1);
    CU_ASSERT_EQUAL(repro_datadir(buf, sizeof buf, &err), REPRO_EIO);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "/nonexistent-repro-dir"));
    drop_datadir();
}

/* A job name resolves to jobs/NAME or jobs/NAME.ini; paths are kept as given. */
static void test_resolve(void)
{
    repro_error err;
    char buf[512], want[512];
    make_datadir();
    snprintf(want, sizeof want, "%s/jobs/alpha.ini", dir);
    REPRO_ASSERT_OK(repro_jobfile_resolve("alpha", buf, sizeof buf, &err), &err);
    CU_ASSERT_STRING_EQUAL(buf, want);
    REPRO_ASSERT_OK(repro_jobfile_resolve("alpha.ini", buf, sizeof buf, &err), &err);
    CU_ASSERT_STRING_EQUAL(buf, want);
    REPRO_ASSERT_OK(repro_jobfile_resolve(want, buf, sizeof buf, &err), &err);
    CU_ASSERT_STRING_EQUAL(buf, want);
    CU_ASSERT_EQUAL(repro_jobfile_resolve("beta", buf, sizeof buf, &err), REPRO_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "beta"));
    /* A missing path with a slash is not looked up among the shipped jobs. */
    CU_ASSERT_EQUAL(repro_jobfile_resolve("sub/alpha", buf, sizeof buf, &err), REPRO_EINVAL);
    CU_ASSERT_EQUAL(repro_jobfile_resolve("", buf, sizeof buf, &err), REPRO_EINVAL);
    /* A buffer too small for the path is an error, not a truncated name. */
    CU_ASSERT_EQUAL(repro_jobfile_resolve("alpha", buf, 8, &err), REPRO_EINVAL);
    drop_datadir();
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"REPRO_DATADIR", test_datadir_env},
        {"job names and paths", test_resolve},
        CU_TEST_INFO_NULL,
    };
    return repro_test_run("paths", tests);
}
