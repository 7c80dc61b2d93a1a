/* test_deal_tasks.c - the dealing replay with split jobs
 * (repro_deal_replay_tasks): known makespans by hand, whole jobs as
 * repro_deal_replay, the cap on split jobs in flight, bad input. */
#include <math.h>
#include <string.h>

#include "repro/deal.h"
#include "testutil.h"

static double span_of(int slots, int cap, const repro_deal_job *jobs, const uint32_t *order, size_t n)
{
    double span = -1;
    repro_error err;
    REPRO_ASSERT_OK(repro_deal_replay_tasks(slots, cap, jobs, order, n, &span, &err), &err);
    return span;
}

/* One split job: stage 0 three tasks of 2 s, stage 1 one of 1 s, stage 2
 * four of 1 s. 1 slot: 6 + 1 + 4 = 11; 2 slots: 4 + 1 + 2 = 7; 4 slots:
 * 2 + 1 + 1 = 4 (the stages run one after the other). */
static void test_one_split_job(void)
{
    const size_t nt[] = {3, 1, 4};
    const double sec[] = {2, 2, 2, 1, 1, 1, 1, 1};
    repro_deal_job j = {3, nt, sec};
    uint32_t order[] = {0};
    CU_ASSERT_DOUBLE_EQUAL(span_of(1, 1, &j, order, 1), 11.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(span_of(2, 2, &j, order, 1), 7.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(span_of(4, 4, &j, order, 1), 4.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(span_of(64, 64, &j, order, 1), 4.0, 1e-12);
}

/* Jobs of one task each replay as repro_deal_replay does. */
static void test_whole_jobs_as_before(void)
{
    const double sec[] = {5, 3, 3, 2, 2, 1, 0.5};
    const size_t one = 1;
    repro_deal_job jobs[7];
    uint32_t order[7];
    for (size_t k = 0; k < 7; k++) {
        jobs[k] = (repro_deal_job){1, &one, &sec[k]};
        order[k] = (uint32_t)k;
    }
    for (int p = 1; p <= 8; p++) {
        repro_deal_machine m = {p, 0};
        double ref = -1;
        repro_error err;
        REPRO_ASSERT_OK(repro_deal_replay(&m, NULL, sec, order, 7, 1.0, NULL, &ref, &err), &err);
        CU_ASSERT_DOUBLE_EQUAL(span_of(p, p, jobs, order, 7), ref, 1e-12);
    }
}

/* A split job's tasks go before the next job, and the cap holds further
 * split jobs back: two split jobs of one stage of two 1 s tasks, then a
 * whole 3 s job, on 2 slots. Cap 1 or 2: both split jobs' tasks first (the
 * second starts when the first's tasks are dealt; with cap 1 only once the
 * first has ended), then the whole job: 1 + 1 + 3 = 5. On 3 slots with cap
 * 1 the third slot waits at t = 0 (the next job is a split job, which
 * cannot start yet; jobs are not taken out of order), so at t = 1 the
 * second split job takes two slots and the whole job the third: 4. With
 * cap 2, three of the four tasks start at t = 0, the last one and the whole
 * job at t = 1: 4 as well. */
static void test_cap(void)
{
    const size_t two = 2, one = 1;
    const double s2[] = {1, 1}, s3[] = {3};
    repro_deal_job jobs[3] = {{1, &two, s2}, {1, &two, s2}, {1, &one, s3}};
    uint32_t order[] = {0, 1, 2};
    CU_ASSERT_DOUBLE_EQUAL(span_of(2, 1, jobs, order, 3), 5.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(span_of(2, 2, jobs, order, 3), 5.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(span_of(3, 1, jobs, order, 3), 4.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(span_of(3, 2, jobs, order, 3), 4.0, 1e-12);
}

static void test_bad_input(void)
{
    const size_t one = 1;
    const double bad[] = {NAN}, ok[] = {1};
    repro_deal_job j = {1, &one, bad}, g = {1, &one, ok};
    uint32_t order[] = {0};
    double span;
    repro_error err;
    CU_ASSERT_EQUAL(repro_deal_replay_tasks(1, 1, &j, order, 1, &span, &err), REPRO_EINVAL);
    CU_ASSERT_EQUAL(repro_deal_replay_tasks(0, 1, &g, order, 1, &span, &err), REPRO_EINVAL);
    CU_ASSERT_EQUAL(repro_deal_replay_tasks(1, 0, &g, order, 1, &span, &err), REPRO_EINVAL);
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"one split job by hand", test_one_split_job},
        {"whole jobs as repro_deal_replay", test_whole_jobs_as_before},
        {"tasks first, cap on split jobs", test_cap},
        {"bad input", test_bad_input},
        CU_TEST_INFO_NULL,
    };
    return repro_test_run("deal_tasks", tests);
}
