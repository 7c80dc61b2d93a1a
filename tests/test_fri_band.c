/* test_fri_band.c - FRI's working-set LPs with a zero grow band (only the
 * violated samples join the working set) give the full LPs' optima and
 * outcomes, for bounds and probes, on separable and non-separable data; the
 * drop test (repro_fri_drop_feasible) only claims lower bounds of 0. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "repro/fri_lp.h"
#include "repro/fri_ws.h"
#include "testutil.h"

/* Every bound LP of every feature, plain and as a probe with a reversed
 * column, with band 0 and every LP restarted from the init basis: same
 * outcome as the full LP, same optimum to 1e-7 relative. Returns the
 * number of solves beyond one per LP (working-set rounds). */
static size_t band_case(const char *spec, double C, int *infeasible)
{
    repro_dataset *ds = repro_test_data(spec, 7);
    size_t n = ds->n, d = ds->d, extra = 0;
    repro_error err;
    double w[16], b, L1, loss;
    unsigned char *basis = NULL;
    CU_ASSERT_FATAL(d <= 16);
    repro_test_fri_init(ds, C, w, &b, &L1, &loss, &basis);
    size_t *rev = malloc(n * sizeof *rev);
    for (size_t i = 0; i < n; i++)
        rev[i] = n - 1 - i;
    for (int probe = 0; probe < 2; probe++)
        for (size_t j = 0; j < d; j++) {
            const size_t *perm = probe ? rev : NULL;
            repro_fri_lp plp;
            REPRO_ASSERT_OK(repro_fri_lp_build(ds->X, ds->y, n, d, NULL, n, j, perm, &plp, &err), &err);
            repro_fri_ws *ws = repro_fri_ws_new(ds->X, ds->y, n, d, j, perm, w, b, basis, 1.1 * L1,
                                                1.1 * loss, 1, 0.2, &err);
            CU_ASSERT_PTR_NOT_NULL_FATAL(ws);
            repro_fri_ws_set_grow_band(ws, 0.0);
            size_t lps = 0;
            for (int kind = -1; kind <= 1; kind++) {
                double vf = 0, vw = 0;
                int rf = repro_test_fri_full_lp(&plp, basis, 1.1 * L1, 1.1 * loss, j, kind, &vf);
                if (!probe)
                    repro_fri_ws_restart(ws);
                int rw = repro_fri_ws_solve(ws, j, kind, REPRO_FRI_PRIMAL, &vw, &err);
                lps++;
                CU_ASSERT_EQUAL(rw, rf);
                *infeasible += rf == REPRO_FRI_LP_INFEASIBLE;
                if (rf == REPRO_FRI_LP_OPTIMAL)
                    CU_ASSERT_DOUBLE_EQUAL(vw, vf, 1e-7 * (1.0 + fabs(vf)));
            }
            CU_ASSERT(repro_fri_ws_rows(ws) <= n);
            extra += repro_fri_ws_count(ws) - lps;
            repro_fri_ws_free(ws);
            repro_fri_lp_free(&plp);
        }
    free(rev);
    free(basis);
    repro_dataset_free(ds);
    return extra;
}

/* Non-separable data at a small C (most samples aggregated): the working
 * set has to grow, so the band-0 rounds are exercised. */
static void test_band_nonseparable(void)
{
    int infeasible = 0;
    size_t extra = band_case("nonlinear:n=200,strong=2,weak=2,irrelevant=3", 0.05, &infeasible);
    CU_ASSERT(extra > 0);
}

/* Separable data (most samples left out): reversing a strong column makes
 * some probes infeasible, which the relaxed LPs must prove too. */
static void test_band_separable(void)
{
    int infeasible = 0;
    band_case("linear:n=200,strong=2,weak=2,irrelevant=3", 1.0, &infeasible);
    CU_ASSERT(infeasible > 0);
}

/* repro_fri_drop_feasible: wherever the init model without feature j meets
 * the loss limit, the full LP's min |w_j| is 0; it holds for some feature of
 * non-separable data at a small C, and never at a zero loss limit there. */
static void test_drop_feasible(void)
{
    repro_dataset *ds = repro_test_data("nonlinear:n=200,strong=2,weak=2,irrelevant=3", 7);
    size_t n = ds->n, d = ds->d;
    repro_error err;
    double w[16], b, L1, loss;
    unsigned char *basis = NULL;
    CU_ASSERT_FATAL(d <= 16);
    repro_test_fri_init(ds, 0.05, w, &b, &L1, &loss, &basis);
    CU_ASSERT_FATAL(loss > 1.0);
    repro_fri_lp lp;
    REPRO_ASSERT_OK(repro_fri_lp_build(ds->X, ds->y, n, d, NULL, n, 0, NULL, &lp, &err), &err);
    int dropped = 0;
    for (size_t j = 0; j < d; j++) {
        CU_ASSERT_FALSE(repro_fri_drop_feasible(ds->X, ds->y, n, d, w, b, j, 0.0));
        if (!repro_fri_drop_feasible(ds->X, ds->y, n, d, w, b, j, 1.1 * loss))
            continue;
        dropped++;
        double v = 1.0;
        CU_ASSERT_EQUAL(repro_test_fri_full_lp(&lp, basis, 1.1 * L1, 1.1 * loss, j, REPRO_FRI_LOWER, &v),
                        REPRO_FRI_LP_OPTIMAL);
        CU_ASSERT(fabs(v) <= 1e-9);
    }
    CU_ASSERT(dropped > 0);
    repro_fri_lp_free(&lp);
    free(basis);
    repro_dataset_free(ds);
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"band 0 equals the full LP, non-separable", test_band_nonseparable},
        {"band 0 equals the full LP, separable", test_band_separable},
        {"dropping a feature: min |w_j| = 0", test_drop_feasible},
        CU_TEST_INFO_NULL,
    };
    return repro_test_run("fri_band", tests);
}
