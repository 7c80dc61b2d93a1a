/* test_rng.c - PCG32 known answers, bounded/double/normal draws, stream
 * derivation. */
#include <math.h>
#include <string.h>

#include "repro/rng.h"
#include "testutil.h"

/* Reference: pcg32-demo of the PCG C basic library (pcg32_srandom_r(&rng, 42,
 * 54)), first six outputs. */
static void test_pcg_known_answer(void)
{
    static const uint32_t expect[6] = {0xa15c02b7u, 0x7b47f409u, 0xba1d3330u,
                                       0x83d2f293u, 0xbfa4784bu, 0xcbed606eu};
    repro_rng rng;
    repro_rng_seed(&rng, 42u, 54u);
    for (int i = 0; i < 6; i++)
        CU_ASSERT_EQUAL(repro_rng_u32(&rng), expect[i]);
}

static void test_bounded_range_and_uniformity(void)
{
    repro_rng rng;
    repro_rng_seed(&rng, 1, 2);
    size_t counts[7] = {0};
    for (int i = 0; i < 70000; i++) {
        uint64_t v = repro_rng_bounded(&rng, 7);
        CU_ASSERT_FATAL(v < 7);
        counts[v]++;
    }
    /* Each cell expects 10000 with sd ~93: 5 sd is 465. */
    for (int k = 0; k < 7; k++)
        CU_ASSERT(counts[k] > 9535 && counts[k] < 10465);
    CU_ASSERT_EQUAL(repro_rng_bounded(&rng, 1), 0);
    /* A bound above 2^32 still stays in range. */
    for (int i = 0; i < 1000; i++)
        CU_ASSERT(repro_rng_bounded(&rng, 10000000000ULL) < 10000000000ULL);
}

static void test_double_and_normal_moments(void)
{
    repro_rng rng;
    repro_rng_seed(&rng, 3, 4);
    double s = 0, s2 = 0, lo = 1, hi = 0;
    const int N = 200000;
    for (int i = 0; i < N; i++) {
        double u = repro_rng_double(&rng);
        CU_ASSERT_FATAL(u >= 0.0 && u < 1.0);
        lo = u < lo ? u : lo;
        hi = u > hi ? u : hi;
        s += u;
    }
    CU_ASSERT_DOUBLE_EQUAL(s / N, 0.5, 0.005);
    CU_ASSERT(lo < 1e-4 && hi > 1 - 1e-4);
    s = 0;
    for (int i = 0; i < N; i++) {
        double z = repro_rng_normal(&rng);
        s += z;
        s2 += z * z;
    }
    /* Mean within ~4.5 standard errors, variance within 2 %. */
    CU_ASSERT_DOUBLE_EQUAL(s / N, 0.0, 0.01);
    CU_ASSERT_DOUBLE_EQUAL(s2 / N, 1.0, 0.02);
    double u = repro_rng_uniform(&rng, 1.0, 2.0);
    CU_ASSERT(u >= 1.0 && u < 2.0);
}

static void test_permutation_and_sampling(void)
{
    repro_rng rng;
    repro_rng_seed(&rng, 5, 6);
    size_t idx[50], seen[50] = {0};
    repro_rng_permutation(&rng, idx, 50);
    int moved = 0;
    for (size_t i = 0; i < 50; i++) {
        CU_ASSERT_FATAL(idx[i] < 50);
        seen[idx[i]]++;
        moved += idx[i] != i;
    }
    for (size_t i = 0; i < 50; i++)
        CU_ASSERT_EQUAL(seen[i], 1);
    CU_ASSERT(moved > 40);
    /* Position 0 of a 3-permutation takes each value about 1/3 of the time. */
    size_t first[3] = {0};
    for (int r = 0; r < 30000; r++) {
        size_t p[3];
        repro_rng_permutation(&rng, p, 3);
        first[p[0]]++;
    }
    for (int k = 0; k < 3; k++)
        CU_ASSERT(first[k] > 9500 && first[k] < 10500);
    size_t smp[1000];
    repro_rng_sample_replace(&rng, smp, 1000, 10);
    int dup = 0;
    for (size_t i = 0; i < 1000; i++) {
        CU_ASSERT_FATAL(smp[i] < 10);
        dup += i > 0 && smp[i] == smp[i - 1];
    }
    CU_ASSERT(dup > 50); /* with replacement: repeats happen (expected ~100) */
}

static uint64_t first_u64(const repro_rng *r)
{
    repro_rng c = *r;
    return repro_rng_u64(&c);
}

static void test_stream_derivation(void)
{
    repro_rng a, b;
    repro_rng_job_stream(&a, 123, "toy_benchmarks", "Set 1", 0, "SQ");
    repro_rng_job_stream(&b, 123, "toy_benchmarks", "Set 1", 0, "SQ");
    CU_ASSERT(memcmp(&a, &b, sizeof a) == 0);
    uint64_t base = first_u64(&a);
    /* Changing any input changes the stream (state and selector). */
    repro_rng v[6];
    repro_rng_job_stream(&v[0], 124, "toy_benchmarks", "Set 1", 0, "SQ");
    repro_rng_job_stream(&v[1], 123, "NL_toy_benchmarks", "Set 1", 0, "SQ");
    repro_rng_job_stream(&v[2], 123, "toy_benchmarks", "Set 2", 0, "SQ");
    repro_rng_job_stream(&v[3], 123, "toy_benchmarks", "Set 1", 1, "SQ");
    repro_rng_job_stream(&v[4], 123, "toy_benchmarks", "Set 1", 0, "FRI");
    repro_rng_data_stream(&v[5], 123, "toy_benchmarks", "Set 1", 0);
    for (int i = 0; i < 6; i++) {
        CU_ASSERT(first_u64(&v[i]) != base);
        CU_ASSERT(v[i].inc != a.inc);
        CU_ASSERT(v[i].state != a.state);
    }
    /* Length-prefixed strings: ("ab","c") differs from ("a","bc"). */
    repro_rng p, q;
    repro_rng_data_stream(&p, 1, "ab", "c", 0);
    repro_rng_data_stream(&q, 1, "a", "bc", 0);
    CU_ASSERT(first_u64(&p) != first_u64(&q));
    /* The once policy differs from every repeat. */
    repro_rng o;
    repro_rng_data_stream_once(&o, 123, "toy_benchmarks", "Set 1");
    CU_ASSERT(first_u64(&o) != first_u64(&v[5]));
}

static void test_child_independent_of_call_order(void)
{
    repro_rng parent;
    repro_rng_seed(&parent, 99, 1);
    repro_rng saved = parent;
    repro_rng c3a, c1a, c1b, c3b;
    repro_rng_child(&c3a, &parent, 3);
    repro_rng_child(&c1a, &parent, 1);
    CU_ASSERT(memcmp(&parent, &saved, sizeof parent) == 0); /* parent not advanced */
    repro_rng_child(&c1b, &parent, 1);
    repro_rng_child(&c3b, &parent, 3);
    CU_ASSERT(memcmp(&c1a, &c1b, sizeof c1a) == 0);
    CU_ASSERT(memcmp(&c3a, &c3b, sizeof c3a) == 0);
    CU_ASSERT(c1a.inc != c3a.inc);
    /* Consecutive children produce unrelated outputs: no equal first words
     * among 1000 children. */
    uint32_t firsts[1000];
    for (uint64_t t = 0; t < 1000; t++) {
        repro_rng c;
        repro_rng_child(&c, &parent, t);
        firsts[t] = repro_rng_u32(&c);
    }
    int equal = 0;
    for (int i = 0; i < 1000; i++)
        for (int j = i + 1; j < 1000; j++)
            equal += firsts[i] == firsts[j];
    CU_ASSERT(equal <= 1);
    /* split advances the parent and yields different streams each time. */
    repro_rng s1, s2;
    repro_rng_split(&parent, &s1);
    repro_rng_split(&parent, &s2);
    CU_ASSERT(memcmp(&parent, &saved, sizeof parent) != 0);
    CU_ASSERT(first_u64(&s1) != first_u64(&s2));
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"PCG32 reference outputs for seed (42, 54)", test_pcg_known_answer},
        {"bounded integers: range and uniformity", test_bounded_range_and_uniformity},
        {"doubles in [0,1) and standard normals: moments", test_double_and_normal_moments},
        {"permutations and sampling with replacement", test_permutation_and_sampling},
        {"data/job stream derivation depends on every input", test_stream_derivation},
        {"child streams independent of call order; split", test_child_independent_of_call_order},
        CU_TEST_INFO_NULL,
    };
    return repro_test_run("rng", tests);
}
