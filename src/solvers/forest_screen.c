/* forest_screen.c - screening the split candidates of a leaf's column
 * histograms for forest.c (forest_internal.h): which splits may beat the best
 * found so far, in plain C, or with AVX2 where the processor has it (the AVX2
 * paths rule out exactly what the plain one does not need, so the chosen
 * split never depends on the processor). */
#include <stdlib.h>
#include <string.h>

#include "forest_internal.h"

/* 1 if the AVX2 code runs, 0 if not, -1 before the first question. */
static int avx2_state = -1;

/* See forest_internal.h; decided once per process. */
int repro_forest_have_avx2(void)
{
    int v = __atomic_load_n(&avx2_state, __ATOMIC_RELAXED);
    if (v < 0) {
#ifdef HAVE_AVX2_PATH
        const char *plain = getenv("REPRO_FOREST_PLAIN");
        v = __builtin_cpu_supports("avx2") && !(plain && *plain && strcmp(plain, "0") != 0);
#else
        v = 0;
#endif
        __atomic_store_n(&avx2_state, v, __ATOMIC_RELAXED);
    }
    return v;
}

/* Screens the splits after bins hb[k0..len) of a column, whose left prefix
 * before hb[k0] is the packed S: stores the packed prefix sums in
 * scan[k0..len) and sets bit k of pass (zeroed by the caller) for each
 * candidate (left child of cmin..cmax rows) that might beat the best
 * (nn, den) of the search; returns whether
 * any bit was set. A candidate is ruled out only when its num^2 n_L' n_R'
 * falls below the best's by a relative margin of 1e-9, far above the rounding
 * of these products (and of the best's drift while a column's candidates are
 * offered), so no candidate that forest.c's offer() would accept is ever ruled
 * out. */
static int screen_plain(const repro_hbin *hb, uint32_t S, size_t k0, size_t len, uint32_t cmin,
                        uint32_t cmax, double N, double P, double bnn, double bden, uint32_t *scan,
                        uint64_t *pass)
{
    const double lim = bnn * (1.0 - 1e-9);
    int any = 0;
    for (size_t k = k0; k < len; k++) {
        S += hb[k];
        scan[k] = S;
        uint32_t cnt = REPRO_HBIN_CNT(S);
        double cl = (double)cnt, pl = (double)REPRO_HBIN_POS(S);
        double num = pl * N - P * cl;
        if (cnt >= cmin && cnt <= cmax && num * num * bden >= lim * (cl * (N - cl))) {
            pass[k >> 6] |= (uint64_t)1 << (k & 63);
            any = 1;
        }
    }
    return any;
}

#ifdef HAVE_AVX2_PATH
/* Inclusive prefix sums of the 8 lanes of x, plus carry in every lane. */
__attribute__((target("avx2"))) static inline __m256i prefix_lanes(__m256i x, __m256i carry)
{
    const __m256i idx3 = _mm256_set1_epi32(3), zero = _mm256_setzero_si256();
    x = _mm256_add_epi32(x, _mm256_slli_si256(x, 4));
    x = _mm256_add_epi32(x, _mm256_slli_si256(x, 8));
    __m256i t = _mm256_blend_epi32(zero, _mm256_permutevar8x32_epi32(x, idx3), 0xF0);
    return _mm256_add_epi32(_mm256_add_epi32(x, t), carry);
}

/* Packed prefix sums of the 8 bins at hb, after the packed prefix in every
 * lane of carry. */
__attribute__((target("avx2"))) static inline __m256i prefix8(const repro_hbin *hb, __m256i carry)
{
    return prefix_lanes(_mm256_loadu_si256((const __m256i *)hb), carry);
}

/* screen_plain from the first bin (S = 0, k0 = 0), eight bins at a time
 * (prefix sums in registers). */
__attribute__((target("avx2"))) static int screen_avx2_pd(const repro_hbin *hb, size_t len,
                                                          uint32_t cmin, uint32_t cmax, double N,
                                                          double P, double bnn, double bden,
                                                          uint32_t *scan, uint64_t *pass)
{
    const double lim = bnn * (1.0 - 1e-9);
    const __m256d vN = _mm256_set1_pd(N), vP = _mm256_set1_pd(P);
    const __m256d vbden = _mm256_set1_pd(bden), vlim = _mm256_set1_pd(lim);
    const __m256i lo16 = _mm256_set1_epi32(0xffff), idx7 = _mm256_set1_epi32(7);
    const __m256i vcmin = _mm256_set1_epi32((int)cmin), vcmax = _mm256_set1_epi32((int)cmax);
    __m256i carry = _mm256_setzero_si256();
    int any = 0;
    size_t k = 0;
    for (; k + 8 <= len; k += 8) {
        __m256i x = prefix8(hb + k, carry);
        carry = _mm256_permutevar8x32_epi32(x, idx7);
        _mm256_storeu_si256((__m256i *)(scan + k), x);
        __m256i ci = _mm256_and_si256(x, lo16), pi = _mm256_srli_epi32(x, 16);
        unsigned bits = 0;
        for (int half = 0; half < 2; half++) {
            __m128i c4 = half ? _mm256_extracti128_si256(ci, 1) : _mm256_castsi256_si128(ci);
            __m128i p4 = half ? _mm256_extracti128_si256(pi, 1) : _mm256_castsi256_si128(pi);
            __m256d cl = _mm256_cvtepi32_pd(c4), pl = _mm256_cvtepi32_pd(p4);
            __m256d num = _mm256_sub_pd(_mm256_mul_pd(pl, vN), _mm256_mul_pd(vP, cl));
            __m256d lhs = _mm256_mul_pd(_mm256_mul_pd(num, num), vbden);
            __m256d rhs = _mm256_mul_pd(vlim, _mm256_mul_pd(cl, _mm256_sub_pd(vN, cl)));
            bits |= (unsigned)_mm256_movemask_pd(_mm256_cmp_pd(lhs, rhs, _CMP_GE_OQ)) << (4 * half);
        }
        /* lanes whose left child has fewer than cmin or more than cmax rows
         * are no candidates */
        __m256i out = _mm256_or_si256(_mm256_cmpgt_epi32(ci, vcmax), _mm256_cmpgt_epi32(vcmin, ci));
        bits &= ~(unsigned)_mm256_movemask_ps(_mm256_castsi256_ps(out));
        if (bits) {
            pass[k >> 6] |= (uint64_t)bits << (k & 63);
            any = 1;
        }
    }
    uint32_t S = (uint32_t)_mm_cvtsi128_si32(_mm256_castsi256_si128(carry));
    return screen_plain(hb, S, k, len, cmin, cmax, N, P, bnn, bden, scan, pass) | any;
}

/* Constants of one single-precision screen (screen_avx2_ps). */
typedef struct screen_ps {
    __m256 lim, bden;
    __m256i N, P, NmP, lo16, idx7, cmin, cmax;
} screen_ps;

/* The single-precision test of the 8 splits after the 8 packed bins in
 * `bins`, whose left prefix before the first is in every lane of carry:
 * stores their packed prefix sums in scan[0..8) and *prefix, their
 * num^2/(n_L n_R) in ratio[0..8) (approximately: relative error below 4e-4;
 * 0 for no candidate) and raises *vmax to it;
 * returns the bits of the candidates that pass (see screen_avx2_ps). */
__attribute__((target("avx2"))) static inline unsigned screen8_ps(const screen_ps *c, __m256i bins,
                                                                  __m256i carry, uint32_t *scan,
                                                                  __m256i *prefix, float *ratio,
                                                                  __m256 *vmax)
{
    __m256i x = prefix_lanes(bins, carry);
    _mm256_storeu_si256((__m256i *)scan, x);
    *prefix = x;
    __m256i ci = _mm256_and_si256(x, c->lo16), pi = _mm256_srli_epi32(x, 16);
    __m256i num = _mm256_sub_epi32(_mm256_mullo_epi32(pi, c->N), _mm256_mullo_epi32(c->P, ci));
    __m256i den = _mm256_mullo_epi32(ci, _mm256_sub_epi32(c->N, ci));
    __m256 nf = _mm256_cvtepi32_ps(num), df = _mm256_cvtepi32_ps(den);
    __m256 nn = _mm256_mul_ps(nf, nf);
    __m256 lhs = _mm256_mul_ps(nn, c->bden);
    __m256 rhs = _mm256_mul_ps(c->lim, df);
    unsigned bits = (unsigned)_mm256_movemask_ps(_mm256_cmp_ps(lhs, rhs, _CMP_GE_OQ));
    /* lanes whose left child has fewer than cmin or more than cmax rows
     * are no candidates */
    __m256i out = _mm256_or_si256(_mm256_cmpgt_epi32(ci, c->cmax), _mm256_cmpgt_epi32(c->cmin, ci));
    __m256 r = _mm256_andnot_ps(_mm256_castsi256_ps(out), _mm256_mul_ps(nn, _mm256_rcp_ps(df)));
    _mm256_storeu_ps(ratio, r);
    *vmax = _mm256_max_ps(*vmax, r);
    return bits & ~(unsigned)_mm256_movemask_ps(_mm256_castsi256_ps(out));
}

/* Drops from pass[0..4) the candidates whose num^2/(n_L n_R) (ratio,
 * approximate) is below the column's largest (in the lanes of vmax) by more
 * than a relative 1e-3: the approximations are within 4e-4 of the exact
 * values, so the column's best candidate and every exact tie with it are
 * kept, and offer() receives every candidate that can win, in order. Only
 * worth it for many candidates. Returns whether any remains. */
__attribute__((target("avx2"))) static inline int keep_near_max(const float *ratio, __m256 vmax,
                                                                uint64_t *pass)
{
    if (__builtin_popcountll(pass[0]) + __builtin_popcountll(pass[1]) +
            __builtin_popcountll(pass[2]) + __builtin_popcountll(pass[3]) <=
        4)
        return 1;
    float lanes[8];
    _mm256_storeu_ps(lanes, vmax);
    float mx = 0.0f;
    for (int j = 0; j < 8; j++)
        mx = lanes[j] > mx ? lanes[j] : mx;
    const double thr = (double)mx * (1.0 - 1e-3);
    int any = 0;
    for (int wd = 0; wd < 4; wd++) {
        for (uint64_t pb = pass[wd]; pb; pb &= pb - 1) {
            int bn = wd * 64 + __builtin_ctzll(pb);
            if ((double)ratio[bn] < thr)
                pass[wd] &= ~((uint64_t)1 << (bn & 63));
        }
        any |= pass[wd] != 0;
    }
    return any;
}

/* Sums of each of the 8 vectors v[0..8), lane j holding the sum of v[j]. */
__attribute__((target("avx2"))) static inline __m256i hsum8(const __m256i *v)
{
    __m256i t0 = _mm256_hadd_epi32(v[0], v[1]), t1 = _mm256_hadd_epi32(v[2], v[3]);
    __m256i t2 = _mm256_hadd_epi32(v[4], v[5]), t3 = _mm256_hadd_epi32(v[6], v[7]);
    __m256i u0 = _mm256_hadd_epi32(t0, t1), u1 = _mm256_hadd_epi32(t2, t3);
    return _mm256_add_epi32(_mm256_permute2x128_si256(u0, u1, 0x20),
                            _mm256_permute2x128_si256(u0, u1, 0x31));
}

/* Bits of the 16-bin blocks (lane j: the block with left prefixes from B to E,
 * packed) that may hold a candidate beating the best: every split inside has
 * pos_L in [p0, p1] and neg_L in [c0-p0, c1-p1], so num = (N-P) pos_L - P neg_L
 * lies between the corners, and n_L n_R >= its value at one end of the
 * admissible part [max(c0, cmin), min(c1, cmax)] (a concave function). A
 * block fails only when this bound fails the single-precision test, so it
 * holds no candidate that screen8_ps would pass by a margin. */
__attribute__((target("avx2"))) static inline unsigned block_bound_ps(const screen_ps *c, __m256i B,
                                                                      __m256i E)
{
    __m256i c0 = _mm256_and_si256(B, c->lo16), p0 = _mm256_srli_epi32(B, 16);
    __m256i c1 = _mm256_and_si256(E, c->lo16), p1 = _mm256_srli_epi32(E, 16);
    __m256i n0 = _mm256_sub_epi32(c0, p0), n1 = _mm256_sub_epi32(c1, p1);
    __m256i hi_num = _mm256_sub_epi32(_mm256_mullo_epi32(c->NmP, p1), _mm256_mullo_epi32(c->P, n0));
    __m256i lo_num = _mm256_sub_epi32(_mm256_mullo_epi32(c->NmP, p0), _mm256_mullo_epi32(c->P, n1));
    __m256i lo = _mm256_max_epi32(c0, c->cmin), hi = _mm256_min_epi32(c1, c->cmax);
    __m256i none = _mm256_cmpgt_epi32(lo, hi);
    __m256i dlo = _mm256_mullo_epi32(lo, _mm256_sub_epi32(c->N, lo));
    __m256i dhi = _mm256_mullo_epi32(hi, _mm256_sub_epi32(c->N, hi));
    __m256 dmin = _mm256_cvtepi32_ps(_mm256_min_epi32(dlo, dhi));
    __m256 fh = _mm256_cvtepi32_ps(hi_num), fl = _mm256_cvtepi32_ps(lo_num);
    __m256 nn = _mm256_max_ps(_mm256_mul_ps(fh, fh), _mm256_mul_ps(fl, fl));
    /* the bound carries the rounding of 3 more products than screen8_ps's
     * test (a few 1e-7), well inside the margin of 1e-5 */
    __m256 lhs = _mm256_mul_ps(nn, c->bden), rhs = _mm256_mul_ps(c->lim, dmin);
    unsigned bits = (unsigned)_mm256_movemask_ps(_mm256_cmp_ps(lhs, rhs, _CMP_GE_OQ));
    return bits & ~(unsigned)_mm256_movemask_ps(_mm256_castsi256_ps(none));
}

/* The 8 bins at p, of which only the first rem (if fewer) are read; the
 * others are 0. */
__attribute__((target("avx2"))) static inline __m256i load_bins(const repro_hbin *p, int rem)
{
    const __m256i iota = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    if (rem >= 8)
        return _mm256_loadu_si256((const __m256i *)p);
    return _mm256_maskload_epi32((const int *)p, _mm256_cmpgt_epi32(_mm256_set1_epi32(rem), iota));
}

/* The constants of a single-precision screen of leaf (N, P) against the
 * best (bnn, bden), children of cmin..cmax rows. */
__attribute__((target("avx2"))) static void screen_ps_init(screen_ps *c, uint32_t cmin, uint32_t cmax,
                                                           double N, double P, double bnn, double bden)
{
    c->lim = _mm256_set1_ps((float)(bnn * (1.0 - 1e-5)));
    c->bden = _mm256_set1_ps((float)bden);
    c->N = _mm256_set1_epi32((int)N);
    c->P = _mm256_set1_epi32((int)P);
    c->NmP = _mm256_set1_epi32((int)(N - P));
    c->lo16 = _mm256_set1_epi32(0xffff);
    c->idx7 = _mm256_set1_epi32(7);
    c->cmin = _mm256_set1_epi32((int)cmin);
    c->cmax = _mm256_set1_epi32((int)cmax);
}

/* One column's screen in progress (screen_avx2_ps). */
typedef struct col_screen {
    const repro_hbin *hb;      /* its bins */
    int len;           /* splits after bins 0..len-1 */
    uint32_t *scan;    /* packed prefix sums, where tested */
    uint64_t *pass;    /* candidates that passed */
    float ratio[REPRO_FOREST_MAX_BINS]; /* approximate num^2/(n_L n_R), where tested */
    __m256 vmax;       /* the largest of those */
    __m256i carry;     /* packed prefix before the next group */
    int any;
} col_screen;

/* Starts the screen of a column. */
__attribute__((target("avx2"))) static void col_screen_init(col_screen *cs, const repro_hbin *hb, int len,
                                                            uint32_t *scan, uint64_t *pass)
{
    cs->hb = hb;
    cs->len = len;
    cs->scan = scan;
    cs->pass = pass;
    cs->vmax = _mm256_setzero_ps();
    cs->carry = _mm256_setzero_si256();
    cs->any = 0;
}

/* Block bounds of the group of 128 bins from bin k of a column: the block
 * totals, each 16-bin block's range of prefixes (block starts into start[]),
 * and the bits of the blocks that may hold a candidate beating the best. A
 * last partial group reads zeros past len (masked loads): its extra bins
 * repeat the last candidate, and their bits are dropped later. */
__attribute__((target("avx2"))) static inline unsigned group_bounds(const screen_ps *c, col_screen *cs,
                                                                    int k, uint32_t *start)
{
    const repro_hbin *g = cs->hb + k;
    int rem = cs->len - k;
    __m256i pair[8];
    for (int j = 0; j < 8; j++)
        pair[j] = _mm256_add_epi32(load_bins(g + 16 * j, rem - 16 * j),
                                   load_bins(g + 16 * j + 8, rem - 16 * j - 8));
    __m256i tot = hsum8(pair);
    __m256i E = prefix_lanes(tot, cs->carry);
    __m256i B = _mm256_sub_epi32(E, tot);
    cs->carry = _mm256_permutevar8x32_epi32(E, c->idx7);
    unsigned blocks = block_bound_ps(c, B, E);
    if (blocks)
        _mm256_storeu_si256((__m256i *)start, B);
    return blocks;
}

/* Tests lane by lane the blocks `blocks` of the group at bin k (block
 * starts in start[]), recording the candidates that pass. */
__attribute__((target("avx2"))) static void group_test(const screen_ps *c, col_screen *cs, int k,
                                                       unsigned blocks, const uint32_t *start)
{
    const repro_hbin *g = cs->hb + k;
    int rem = cs->len - k;
    uint64_t word[2] = {0, 0};
    for (; blocks; blocks &= blocks - 1) {
        int j = __builtin_ctz(blocks);
        __m256i x;
        uint32_t *sc = cs->scan + k + 16 * j;
        float *rt = cs->ratio + k + 16 * j;
        unsigned bits = screen8_ps(c, load_bins(g + 16 * j, rem - 16 * j),
                                   _mm256_set1_epi32((int)start[j]), sc, &x, rt, &cs->vmax);
        bits |= screen8_ps(c, load_bins(g + 16 * j + 8, rem - 16 * j - 8),
                           _mm256_permutevar8x32_epi32(x, c->idx7), sc + 8, &x, rt + 8, &cs->vmax)
                << 8;
        word[j >> 2] |= (uint64_t)bits << (16 * (j & 3));
    }
    for (int h = 0; h < 2; h++) {
        int left = rem - 64 * h;
        word[h] &= left >= 64 ? ~(uint64_t)0 : left <= 0 ? 0 : ((uint64_t)1 << left) - 1;
        if (word[h]) {
            cs->pass[(k >> 6) + h] |= word[h];
            cs->any = 1;
        }
    }
}

/* Screens a column of at most 64 bins (small data): every candidate tested,
 * no block bounds. */
__attribute__((target("avx2"))) static void screen_few_ps(const screen_ps *c, col_screen *cs)
{
    uint64_t word = 0;
    for (int k = 0; k < cs->len; k += 8) {
        __m256i x;
        word |= (uint64_t)screen8_ps(c, load_bins(cs->hb + k, cs->len - k), cs->carry, cs->scan + k, &x,
                                     cs->ratio + k, &cs->vmax)
                << k;
        cs->carry = _mm256_permutevar8x32_epi32(x, c->idx7);
    }
    word &= cs->len == 64 ? ~(uint64_t)0 : ((uint64_t)1 << cs->len) - 1;
    cs->pass[0] |= word;
    cs->any = word != 0;
}

/* The most rows of a leaf for the single-precision screen: floor(sqrt(2^31 - 1)),
 * so that products of two row counts (n_L n_R) stay exact in 32-bit integers. */
#define SCREEN_PS_MAX_ROWS 46340

/* screen_avx2_pd in single precision for leaves of N <= SCREEN_PS_MAX_ROWS rows, where
 * num = pl N - P n_L and n_L n_R are exact in 32-bit integers: the products
 * then carry relative errors below 1e-6, so a margin of 1e-5 still rules out
 * only candidates that offer() would reject. For ncol (<= REPRO_SCREEN_COLS)
 * columns at once (bins hb[q], splits after bins 0..len[q]-1), so that their
 * independent work overlaps in the processor; 128 bins at a time: the block
 * totals give each 16-bin block's range of prefixes, and only the blocks
 * whose bound (block_bound_ps) may beat the best are tested lane by lane; the
 * others are ruled out together (their scan entries are left unset, as no
 * pass bit points at them). Sets any[q] to whether a candidate of column q
 * remains. */
__attribute__((target("avx2"))) static void screen_avx2_ps(const repro_hbin *const *hb,
                                                           const int *len, int ncol, uint32_t cmin,
                                                           uint32_t cmax, double N, double P,
                                                           double bnn, double bden,
                                                           uint32_t (*scan)[REPRO_FOREST_MAX_BINS],
                                                           uint64_t (*pass)[4], int *any)
{
    screen_ps c;
    screen_ps_init(&c, cmin, cmax, N, P, bnn, bden);
    col_screen cs[REPRO_SCREEN_COLS];
    int longest = 0;
    for (int q = 0; q < ncol; q++) {
        col_screen_init(&cs[q], hb[q], len[q], scan[q], pass[q]);
        if (len[q] <= 64)
            screen_few_ps(&c, &cs[q]);
        else if (len[q] > longest)
            longest = len[q];
    }
    for (int k = 0; k < longest; k += 128) {
        unsigned blocks[REPRO_SCREEN_COLS] = {0};
        uint32_t start[REPRO_SCREEN_COLS][8];
        for (int q = 0; q < ncol; q++)
            if (cs[q].len > 64 && k < cs[q].len)
                blocks[q] = group_bounds(&c, &cs[q], k, start[q]);
        for (int q = 0; q < ncol; q++)
            if (blocks[q])
                group_test(&c, &cs[q], k, blocks[q], start[q]);
    }
    for (int q = 0; q < ncol; q++)
        any[q] = cs[q].any && keep_near_max(cs[q].ratio, cs[q].vmax, cs[q].pass);
}
#endif

/* Screens ncol (<= REPRO_SCREEN_COLS) columns of a leaf of N rows and P
 * positives (column q: histogram hb[q], splits after bins 0..len[q]-1)
 * against the best (bnn, bden), children of cmin..cmax rows, with the
 * fastest code the processor runs: prefix sums in scan[q], candidates that
 * passed in pass[q] (zeroed by the caller), any[q] whether one did. */
void repro_forest_screen_cols(const repro_hbin *const *hb, const int *len, int ncol, uint32_t cmin,
                              uint32_t cmax, double N, double P, double bnn, double bden,
                              uint32_t (*scan)[REPRO_FOREST_MAX_BINS], uint64_t (*pass)[4], int *any)
{
#ifdef HAVE_AVX2_PATH
    if (repro_forest_have_avx2() && N <= (double)SCREEN_PS_MAX_ROWS) {
        screen_avx2_ps(hb, len, ncol, cmin, cmax, N, P, bnn, bden, scan, pass, any);
        return;
    }
#endif
    for (int q = 0; q < ncol; q++) {
        any[q] = 0;
        if (len[q] < 1)
            continue;
#ifdef HAVE_AVX2_PATH
        if (repro_forest_have_avx2()) {
            any[q] = screen_avx2_pd(hb[q], (size_t)len[q], cmin, cmax, N, P, bnn, bden, scan[q], pass[q]);
            continue;
        }
#endif
        any[q] = screen_plain(hb[q], 0, 0, (size_t)len[q], cmin, cmax, N, P, bnn, bden, scan[q], pass[q]);
    }
}
