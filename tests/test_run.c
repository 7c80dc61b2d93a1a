/* test_run.c - the scheduler: a run of the test models (tests/toymodels.h)
 * in this process (one rank) records failing jobs, never overwrites a
 * results file, and resumes only what is unfinished. Run without arguments
 * it is a CUnit program. `test_run run ...` and `test_run info ...` behave as
 * `repro_mpi run/info` with these models, for the end-to-end scripts
 * (tests/e2e_runner_*.sh) under mpirun. */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "repro/cli.h"
#include "repro/cli_util.h"
#include "repro/plan.h"
#include "repro/record.h"
#include "testutil.h"
#include "toymodels.h"

/* ---- running in this process (one rank) ---- */

static char tmpdir[256];

static void path_in_tmp(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", tmpdir, name);
}

static void test_run_and_read(void)
{
    char job[512], out[512];
    path_in_tmp(job, sizeof job, "run.ini");
    path_in_tmp(out, sizeof out, "run.h5");
    FILE *f = fopen(job, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(run_file, f);
    fclose(f);
    /* the wide set makes Fail fail: recorded, the rest completes, exit 1 */
    CU_ASSERT_EQUAL(run_cli(job, out, NULL), REPRO_EXIT_FAIL);
    repro_result_set *set = NULL;
    repro_error err;
    repro_error_clear(&err);
    REPRO_ASSERT_OK(repro_results_read(out, &set, &err), &err);
    CU_ASSERT_EQUAL_FATAL(set->n, 8);
    CU_ASSERT_EQUAL(set->seed, REPRO_DEFAULT_SEED);
    CU_ASSERT_EQUAL(set->repeats, 2);
    for (size_t i = 0; i < set->n; i++) {
        const repro_record *r = &set->rec[i];
        int wide = !strcmp(r->dataset, "wide"), fail = !strcmp(r->model, "Fail");
        CU_ASSERT_STRING_EQUAL(r->experiment, "lin");
        CU_ASSERT_EQUAL(r->repeat, (i / 2) % 2);
        CU_ASSERT_EQUAL(r->d, wide ? 7u : 4u);
        CU_ASSERT_EQUAL(r->truth[0], 2);
        CU_ASSERT_EQUAL(r->truth[r->d - 1], 0);
        if (wide && fail) {
            CU_ASSERT_EQUAL(r->status, REPRO_JOB_FAILED);
            CU_ASSERT_PTR_NOT_NULL(r->message && strstr(r->message, "cannot handle 7 features"));
            CU_ASSERT_PTR_NULL(r->importance);
            CU_ASSERT_EQUAL(r->relevance[0], -1);
        } else {
            CU_ASSERT_EQUAL(r->status, REPRO_JOB_DONE);
            CU_ASSERT_PTR_NULL(r->message);
            CU_ASSERT_PTR_NOT_NULL_FATAL(r->importance);
            CU_ASSERT_PTR_NOT_NULL_FATAL(r->bounds);
            CU_ASSERT(r->relevance[0] >= 0 && r->relevance[0] <= 2);
            CU_ASSERT(r->fit_seconds >= 0);
            CU_ASSERT_PTR_NOT_NULL(r->extras_json && strstr(r->extras_json, "{\"shadow_bounds\":[") ==
                                                         r->extras_json);
            CU_ASSERT_DOUBLE_EQUAL(r->bounds[1], r->importance[0], 0.0);
        }
    }
    CU_ASSERT_PTR_NOT_NULL(set->provenance && strstr(set->provenance, "SEED=123 REPEATS=2"));
    /* Corr and Fail of one repeat share data: same importances where both ran */
    CU_ASSERT(memcmp(set->rec[0].importance, set->rec[1].importance, 4 * sizeof(double)) == 0);
    repro_result_set_free(set);

    /* an existing file is never overwritten */
    CU_ASSERT_EQUAL(run_cli(job, out, NULL), REPRO_EXIT_USAGE);
    /* --resume reruns only the failed jobs (they fail again) */
    CU_ASSERT_EQUAL(run_cli(job, out, "--resume"), REPRO_EXIT_FAIL);
    /* another plan is refused */
    char *argv[] = {"run", job, "-o", out, "--resume", "--seed", "9"};
    CU_ASSERT_EQUAL(repro_cli_run_with(7, argv, toy_models), REPRO_EXIT_USAGE);
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "run"))
        return repro_cli_run_with(argc - 1, argv + 1, toy_models);
    if (argc > 1 && !strcmp(argv[1], "info"))
        return repro_cmd_info(argc - 1, argv + 1);
    snprintf(tmpdir, sizeof tmpdir, "/tmp/repro_test_run_XXXXXX");
    if (!mkdtemp(tmpdir))
        return 2;
    int provided = 0;
    MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided);
    CU_TestInfo tests[] = {
        {"run: failing jobs recorded, no overwrite, resume", test_run_and_read},
        CU_TEST_INFO_NULL,
    };
    int rc = repro_test_run("runner", tests);
    MPI_Finalize();
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    return rc;
}

