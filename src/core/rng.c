/* rng.c - PCG32 and stream derivation (see rng.h). */
#include "repro/rng.h"

#include <math.h>

#define PCG_MULT 6364136223846793005ULL

static void pcg_step(repro_rng *rng)
{
    rng->state = rng->state * PCG_MULT + rng->inc;
}

void repro_rng_seed(repro_rng *rng, uint64_t initstate, uint64_t initseq)
{
    rng->state = 0u;
    rng->inc = (initseq << 1u) | 1u;
    pcg_step(rng);
    rng->state += initstate;
    pcg_step(rng);
}

uint32_t repro_rng_u32(repro_rng *rng)
{
    uint64_t old = rng->state;
    pcg_step(rng);
    uint32_t xorshifted = (uint32_t)(((old >> 18u) ^ old) >> 27u);
    uint32_t rot = (uint32_t)(old >> 59u);
    return (xorshifted >> rot) | (xorshifted << ((-rot) & 31u));
}

uint64_t repro_rng_u64(repro_rng *rng)
{
    uint64_t hi = repro_rng_u32(rng);
    return (hi << 32) | repro_rng_u32(rng);
}

uint64_t repro_rng_bounded(repro_rng *rng, uint64_t bound)
{
    if (bound <= 1)
        return 0;
    if (bound <= UINT32_MAX) {
        uint32_t b = (uint32_t)bound;
        uint32_t threshold = (uint32_t)(-b) % b;
        for (;;) {
            uint32_t r = repro_rng_u32(rng);
            if (r >= threshold)
                return r % b;
        }
    }
    uint64_t threshold = (uint64_t)(-bound) % bound;
    for (;;) {
        uint64_t r = repro_rng_u64(rng);
        if (r >= threshold)
            return r % bound;
    }
}

double repro_rng_double(repro_rng *rng)
{
    uint32_t a = repro_rng_u32(rng) >> 5; /* 27 bits */
    uint32_t b = repro_rng_u32(rng) >> 6; /* 26 bits */
    return ((double)a * 67108864.0 + (double)b) * (1.0 / 9007199254740992.0);
}

double repro_rng_uniform(repro_rng *rng, double a, double b)
{
    return a + (b - a) * repro_rng_double(rng);
}

double repro_rng_normal(repro_rng *rng)
{
    double u1 = 1.0 - repro_rng_double(rng);
    double u2 = repro_rng_double(rng);
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586476925286766559 * u2);
}

void repro_rng_shuffle(repro_rng *rng, size_t *idx, size_t n)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)repro_rng_bounded(rng, i);
        size_t t = idx[i - 1];
        idx[i - 1] = idx[j];
        idx[j] = t;
    }
}

void repro_rng_permutation(repro_rng *rng, size_t *idx, size_t n)
{
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    repro_rng_shuffle(rng, idx, n);
}

void repro_rng_sample_replace(repro_rng *rng, size_t *out, size_t k, size_t n)
{
    for (size_t i = 0; i < k; i++)
        out[i] = (size_t)repro_rng_bounded(rng, n);
}

/* splitmix64 finaliser (Steele, Lea, Flood 2014). */
static uint64_t mix64(uint64_t z)
{
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

uint64_t repro_hash_u64(uint64_t h, uint64_t v)
{
    return mix64(h ^ mix64(v));
}

uint64_t repro_hash_str(uint64_t h, const char *s)
{
    uint64_t f = 0xcbf29ce484222325ULL; /* FNV-1a 64 */
    uint64_t len = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++, len++) {
        f ^= *p;
        f *= 0x100000001b3ULL;
    }
    return repro_hash_u64(repro_hash_u64(h, len), f);
}

uint64_t repro_hash_begin(const char *tag)
{
    return repro_hash_str(0x5eed5eed5eed5eedULL, tag);
}

void repro_rng_from_hash(repro_rng *rng, uint64_t h)
{
    uint64_t state = mix64(h ^ 0x243f6a8885a308d3ULL);
    uint64_t seq = mix64(h ^ 0x13198a2e03707344ULL);
    repro_rng_seed(rng, state, seq);
}

void repro_rng_data_stream(repro_rng *rng, uint64_t seed, const char *experiment,
                           const char *dataset, uint64_t repeat)
{
    uint64_t h = repro_hash_begin("data");
    h = repro_hash_u64(h, seed);
    h = repro_hash_str(h, experiment);
    h = repro_hash_str(h, dataset);
    h = repro_hash_u64(h, repeat);
    repro_rng_from_hash(rng, h);
}

void repro_rng_data_stream_once(repro_rng *rng, uint64_t seed, const char *experiment,
                                const char *dataset)
{
    uint64_t h = repro_hash_begin("data1");
    h = repro_hash_u64(h, seed);
    h = repro_hash_str(h, experiment);
    h = repro_hash_str(h, dataset);
    repro_rng_from_hash(rng, h);
}

void repro_rng_job_stream(repro_rng *rng, uint64_t seed, const char *experiment,
                          const char *dataset, uint64_t repeat, const char *model)
{
    uint64_t h = repro_hash_begin("job");
    h = repro_hash_u64(h, seed);
    h = repro_hash_str(h, experiment);
    h = repro_hash_str(h, dataset);
    h = repro_hash_u64(h, repeat);
    h = repro_hash_str(h, model);
    repro_rng_from_hash(rng, h);
}

void repro_rng_child(repro_rng *child, const repro_rng *parent, uint64_t index)
{
    uint64_t h = repro_hash_begin("child");
    h = repro_hash_u64(h, parent->state);
    h = repro_hash_u64(h, parent->inc);
    h = repro_hash_u64(h, index);
    repro_rng_from_hash(child, h);
}

void repro_rng_split(repro_rng *parent, repro_rng *out)
{
    uint64_t h = repro_hash_begin("split");
    h = repro_hash_u64(h, repro_rng_u64(parent));
    repro_rng_from_hash(out, h);
}
