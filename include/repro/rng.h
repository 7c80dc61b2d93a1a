/* rng.h - PCG32 random streams and how streams are derived.
 *
 * The generator is PCG-XSH-RR 64/32 (M. E. O'Neill, "PCG: A Family of Simple
 * Fast Space-Efficient Statistically Good Algorithms for Random Number
 * Generation", 2014), seeded like the reference pcg32_srandom_r with an
 * initial state and a stream selector. Every function that draws random
 * numbers takes the stream as its first argument; there is no global state.
 *
 * Stream derivation (all pure functions of their inputs, never of the MPI
 * rank, thread or call order):
 *   data stream  = H("data",  SEED, experiment, dataset, repeat)
 *   data stream  = H("data1", SEED, experiment, dataset)        ("once" policy)
 *   job stream   = H("job",   SEED, experiment, dataset, repeat, model)
 *   child stream = H("child", parent state, parent selector, index)
 * H hashes its inputs (strings length-prefixed, so ("ab","c") != ("a","bc"))
 * with FNV-1a/splitmix64 into a 64-bit key, from which two further splitmix64
 * finalisations give the PCG initial state and the stream selector. Distinct
 * keys therefore get unrelated states AND distinct selectors, which avoids the
 * correlations of consecutive selectors or SEED+rank seeding. Deriving a child
 * does not advance the parent. */
#ifndef REPRO_RNG_H
#define REPRO_RNG_H

#include <stddef.h>
#include <stdint.h>

typedef struct repro_rng {
    uint64_t state;
    uint64_t inc; /* stream selector, always odd */
} repro_rng;

/* Seeds like pcg32_srandom_r(rng, initstate, initseq). */
void repro_rng_seed(repro_rng *rng, uint64_t initstate, uint64_t initseq);

/* Next 32 uniformly random bits. */
uint32_t repro_rng_u32(repro_rng *rng);

/* Next 64 random bits (two outputs, high word first). */
uint64_t repro_rng_u64(repro_rng *rng);

/* Unbiased integer in [0, bound) by rejection (bound >= 1); bound may exceed
 * 2^32. */
uint64_t repro_rng_bounded(repro_rng *rng, uint64_t bound);

/* Double in [0, 1) with 53 random bits (two outputs). */
double repro_rng_double(repro_rng *rng);

/* Double uniform in [a, b). */
double repro_rng_uniform(repro_rng *rng, double a, double b);

/* Standard normal by the Box-Muller transform: u1 = 1 - double (in (0,1]),
 * u2 = double, returns sqrt(-2 ln u1) cos(2 pi u2). Uses exactly two doubles
 * (four outputs) per call and keeps no cached second value. */
double repro_rng_normal(repro_rng *rng);

/* Fisher-Yates shuffle of idx[0..n) (from the last element down, swapping
 * element i with a uniform j in [0, i]). */
void repro_rng_shuffle(repro_rng *rng, size_t *idx, size_t n);

/* Writes a uniformly random permutation of 0..n-1 into idx. */
void repro_rng_permutation(repro_rng *rng, size_t *idx, size_t n);

/* Writes k indices drawn uniformly from [0, n) with replacement. */
void repro_rng_sample_replace(repro_rng *rng, size_t *out, size_t k, size_t n);

/* Incremental key hashing for stream derivation. */
uint64_t repro_hash_begin(const char *tag);
uint64_t repro_hash_u64(uint64_t h, uint64_t v);
uint64_t repro_hash_str(uint64_t h, const char *s);
/* Seeds rng from a finished key (state and selector from two finalisations). */
void repro_rng_from_hash(repro_rng *rng, uint64_t h);

/* The documented derivations above. */
void repro_rng_data_stream(repro_rng *rng, uint64_t seed, const char *experiment,
                           const char *dataset, uint64_t repeat);
void repro_rng_data_stream_once(repro_rng *rng, uint64_t seed, const char *experiment,
                                const char *dataset);
void repro_rng_job_stream(repro_rng *rng, uint64_t seed, const char *experiment,
                          const char *dataset, uint64_t repeat, const char *model);
void repro_rng_child(repro_rng *child, const repro_rng *parent, uint64_t index);

/* Draws 64 bits from parent and seeds out from them: a fresh independent
 * stream ("draw a new seed"), advancing the parent. */
void repro_rng_split(repro_rng *parent, repro_rng *out);

#endif
