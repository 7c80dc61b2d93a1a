/* test_deal.c - the dealing policy (order, replay, ETA), the progress line's
 * tail and running one job (job_exec): known answers worked out by hand in
 * the comments, and a failure message as long as the results file keeps. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repro/deal.h"
#include "repro/job_exec.h"
#include "repro/jobfile.h"
#include "repro/plan.h"
#include "repro/progress.h"
#include "repro/record.h"
#include "repro/sched.h"
#include "testutil.h"

/* Most expensive first, ties by index; input order does not matter. */
static void test_order(void)
{
    const double cost[] = {3, 5, 5, 1, 7, 5};
    uint32_t idx[] = {0, 1, 2, 3, 4, 5}, rev[] = {5, 4, 3, 2, 1, 0};
    const uint32_t want[] = {4, 1, 2, 5, 0, 3};
    repro_deal_order(cost, idx, 6);
    repro_deal_order(cost, rev, 6);
    CU_ASSERT(memcmp(idx, want, sizeof want) == 0);
    CU_ASSERT(memcmp(rev, want, sizeof want) == 0);
    uint32_t sub[] = {3, 0, 5}; /* a resumed run's subset */
    const uint32_t want_sub[] = {5, 0, 3};
    repro_deal_order(cost, sub, 3);
    CU_ASSERT(memcmp(sub, want_sub, sizeof want_sub) == 0);
    repro_deal_order(cost, idx, 0); /* no-op */
}

/* Two ranks, jobs 7, 5, 5, 3, 1 s in that order: slot 0 runs 7 then 3
 * (0-7, 7-10), slot 1 runs 5 and 5 (0-5, 5-10); the 1 s job goes to slot
 * 0 on the tie at 10 and ends at 11. */
static void test_replay_known(void)
{
    const double sec[] = {3, 5, 5, 1, 7};
    const uint32_t order[] = {4, 1, 2, 0, 3};
    int32_t slot_of[5];
    double span = -1;
    repro_error err;
    repro_deal_machine m = {2, 0};
    REPRO_ASSERT_OK(repro_deal_replay(&m, NULL, sec, order, 5, 1.0, slot_of, &span, &err), &err);
    CU_ASSERT_DOUBLE_EQUAL(span, 11.0, 1e-12);
    const int32_t want[] = {0, 1, 1, 0, 0};
    CU_ASSERT(memcmp(slot_of, want, sizeof want) == 0);
    /* scale doubles every duration */
    REPRO_ASSERT_OK(repro_deal_replay(&m, NULL, sec, order, 5, 2.0, NULL, &span, &err), &err);
    CU_ASSERT_DOUBLE_EQUAL(span, 22.0, 1e-12);
    /* one rank: the sum; more ranks than jobs: the longest job */
    m.slots = 1;
    REPRO_ASSERT_OK(repro_deal_replay(&m, NULL, sec, order, 5, 1.0, NULL, &span, &err), &err);
    CU_ASSERT_DOUBLE_EQUAL(span, 21.0, 1e-12);
    m.slots = 64;
    REPRO_ASSERT_OK(repro_deal_replay(&m, NULL, sec, order, 5, 1.0, NULL, &span, &err), &err);
    CU_ASSERT_DOUBLE_EQUAL(span, 7.0, 1e-12);
    /* a slot busy for 4 s at the start: the other runs both 2 s jobs */
    const double two[] = {2, 2}, busy[] = {4, 0};
    const uint32_t o2[] = {0, 1};
    m.slots = 2;
    REPRO_ASSERT_OK(repro_deal_replay(&m, busy, two, o2, 2, 1.0, slot_of, &span, &err), &err);
    CU_ASSERT_DOUBLE_EQUAL(span, 4.0, 1e-12);
    CU_ASSERT(slot_of[0] == 1 && slot_of[1] == 1);
}

/* Oversubscribed: ranks share the cores equally. */
static void test_replay_shared_cores(void)
{
    const double one[] = {1, 1, 1, 1};
    const uint32_t order[] = {0, 1, 2, 3};
    double span = -1;
    repro_error err;
    /* 4 ranks on 2 cores: 4 jobs of 1 s run at half speed: 2 s */
    repro_deal_machine m = {4, 2};
    REPRO_ASSERT_OK(repro_deal_replay(&m, NULL, one, order, 4, 1.0, NULL, &span, &err), &err);
    CU_ASSERT_DOUBLE_EQUAL(span, 2.0, 1e-12);
    /* 2 ranks on 1 core, jobs 1 s and 3 s: both at half speed until the
     * short one ends (t = 2, 2 s of work left), then full speed: 4 s */
    const double mixed[] = {1, 3};
    m = (repro_deal_machine){2, 1};
    REPRO_ASSERT_OK(repro_deal_replay(&m, NULL, mixed, order, 2, 1.0, NULL, &span, &err), &err);
    CU_ASSERT_DOUBLE_EQUAL(span, 4.0, 1e-12);
    /* cores >= ranks changes nothing */
    m = (repro_deal_machine){2, 8};
    REPRO_ASSERT_OK(repro_deal_replay(&m, NULL, mixed, order, 2, 1.0, NULL, &span, &err), &err);
    CU_ASSERT_DOUBLE_EQUAL(span, 3.0, 1e-12);
}

static void test_replay_bad_input(void)
{
    const double sec[] = {1, -1, NAN};
    const uint32_t o0[] = {0}, o1[] = {1}, o2[] = {2};
    double span;
    repro_error err;
    repro_deal_machine m = {0, 0};
    CU_ASSERT_EQUAL(repro_deal_replay(&m, NULL, sec, o0, 1, 1.0, NULL, &span, &err), REPRO_EINVAL);
    m.slots = 2;
    CU_ASSERT_EQUAL(repro_deal_replay(&m, NULL, sec, o1, 1, 1.0, NULL, &span, &err), REPRO_EINVAL);
    CU_ASSERT(strstr(err.msg, "job 1") != NULL);
    CU_ASSERT_EQUAL(repro_deal_replay(&m, NULL, sec, o2, 1, 1.0, NULL, &span, &err), REPRO_EINVAL);
    CU_ASSERT_EQUAL(repro_deal_replay(&m, NULL, sec, o0, 1, NAN, NULL, &span, &err), REPRO_EINVAL);
}

/* The ETA weighs jobs by cost: 2 ranks, rank 0 has run 4 s of a job
 * expected to take 10 s (6 s left), rank 1 is idle; queued: costs 2 and 2
 * at 1.5 s per unit (3 s each), both on rank 1: max(6, 3 + 3) = 6 s. */
static void test_eta(void)
{
    const double est[] = {10, -1}, ran[] = {4, 0}, cost[] = {2, 2};
    const uint32_t order[] = {0, 1};
    CU_ASSERT_DOUBLE_EQUAL(repro_deal_eta(2, est, ran, cost, order, 2, 1.5), 6.0, 1e-12);
    /* one costly queued job (cost 8 = 12 s) outweighs job counts: 12 s */
    const double cost2[] = {8, 2};
    CU_ASSERT_DOUBLE_EQUAL(repro_deal_eta(2, est, ran, cost2, order, 1, 1.5), 12.0, 1e-12);
    /* the tail: nothing queued, the job in flight decides */
    CU_ASSERT_DOUBLE_EQUAL(repro_deal_eta(2, est, ran, cost, order, 0, 1.5), 6.0, 1e-12);
    /* past its estimate: counts as ending now */
    const double late[] = {12, -1};
    CU_ASSERT_DOUBLE_EQUAL(repro_deal_eta(2, est, late, cost, order, 0, 1.5), 0.0, 1e-12);
    /* speed unknown (nothing finished yet) */
    CU_ASSERT(repro_deal_eta(2, est, ran, cost, order, 2, -1) < 0);
    CU_ASSERT(repro_deal_eta(2, est, ran, cost, order, 2, 0) < 0);
}

/* The progress line's tail names the jobs in flight, only in the tail. */
static void test_progress_tail(void)
{
    repro_model_type type = {.name = "FRI"};
    repro_params params = {.type = &type};
    repro_job_dataset ds = {.name = "NL 4"}, ds2 = {.name = "Set 2"};
    repro_job jobs[2] = {{.id = 53, .ds = &ds, .params = &params}, {.id = 7, .ds = &ds2, .params = &params}};
    repro_running run[2] = {{&jobs[0], 1, 40.2, 30.0}, {&jobs[1], 0, 3.0, -1}};
    repro_progress p = {.total = 55, .done = 53, .queued = 0, .n_running = 2, .running = run};
    char buf[256];
    repro_progress_tail(&p, 3, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, " | running: FRI on NL 4 0:00:40 of ~0:00:30, FRI on Set 2 0:00:03 of ~?");
    repro_progress_tail(&p, 1, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, " | running: FRI on NL 4 0:00:40 of ~0:00:30, +1 more");
    p.queued = 1; /* not the tail yet */
    repro_progress_tail(&p, 3, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "");
    p.queued = 0;
    p.final = 1;
    repro_progress_tail(&p, 3, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "");
    p.final = 0;
    char small[16];
    repro_progress_tail(&p, 3, small, sizeof small); /* cut, terminated */
    CU_ASSERT_EQUAL(strlen(small), sizeof small - 1);
}

/* A model that fails with a message longer than the results file keeps. */
static int long_fail_fit(const repro_dataset *ds, const repro_params *p, repro_rng *rng, int threads,
                         repro_fit_result *out, repro_error *err)
{
    (void)ds, (void)p, (void)rng, (void)threads, (void)out;
    char text[700];
    memset(text, 'x', sizeof text - 1);
    text[sizeof text - 1] = '\0';
    return repro_error_set(err, REPRO_EFAIL, "%s", text);
}

static const repro_model_type model_long = {.name = "LongFail", .summary = "fails verbosely",
                                            .fit = long_fail_fit};
static const repro_model_type *const long_models[] = {&model_long, NULL};

/* job_exec: a failed job's message fills the results file's column (511
 * characters and the terminator), as do the summary's and the protocol's. */
static void test_exec_long_message(void)
{
    static const char *text = "[experiment e]\ngenerator = linear\ndata = per_repeat\nrepeats = 1\n"
                              "models = LongFail\n[dataset s]\nn = 20\nstrong = 1\nweak = 0\nirrelevant = 1\n";
    repro_error err;
    repro_jobfile *jf = NULL;
    REPRO_ASSERT_OK(repro_jobfile_parse("long.ini", text, long_models, &jf, &err), &err);
    repro_plan *plan = NULL;
    REPRO_ASSERT_OK(repro_plan_build(&jf, 1, NULL, &plan, &err), &err);
    CU_ASSERT_EQUAL_FATAL(plan->n_jobs, 1);
    repro_job_run run;
    repro_job_exec(plan, &plan->jobs[0], 1, 3, &run);
    CU_ASSERT_EQUAL(run.row.status, REPRO_JOB_FAILED);
    CU_ASSERT_EQUAL(run.row.rank, 3);
    CU_ASSERT(run.row.message == run.message);
    CU_ASSERT_EQUAL(strlen(run.message), REPRO_RESULTS_MESSAGE_LEN - 1);
    CU_ASSERT(strncmp(run.message, "LongFail failed (", 17) == 0);
    CU_ASSERT(run.row.truth != NULL);
    repro_job_run_clear(&run);
    CU_ASSERT(run.data == NULL && run.row.message == NULL);
    repro_failure f;
    CU_ASSERT_EQUAL(sizeof f.message, REPRO_RESULTS_MESSAGE_LEN);
    repro_plan_free(plan);
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"dealing order: cost descending, ties by index", test_order},
        {"replay: known makespans and slots", test_replay_known},
        {"replay: ranks sharing fewer cores", test_replay_shared_cores},
        {"replay: bad input refused", test_replay_bad_input},
        {"ETA weighted by cost, tail, unknown speed", test_eta},
        {"progress tail names the jobs in flight", test_progress_tail},
        {"job_exec: failure message as long as the file's column", test_exec_long_message},
        CU_TEST_INFO_NULL,
    };
    return repro_test_run("deal", tests);
}
