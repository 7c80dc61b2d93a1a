/* test_fri_shrink.c - FRI's working sets with a shrink band (samples far
 * from the margin at a round's relaxed optimum leave the working set again)
 * give the full LPs' optima and outcomes, for bounds and probes, with and
 * without restarts from the init basis, and end with smaller working sets
 * than growing alone on non-separable data. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "repro/fri_lp.h"
#include "repro/fri_ws.h"
#include "testutil.h"

/* Every bound LP (lower, both upper sides) of every feature, plain and as a
 * probe with a reversed column, on one working-set solver per feature with
 * grow band 0 and shrink band `shrink`, each LP restarted from the init
 * basis if `restart` (else warm-started from the previous optimum): same
 * outcome as the full LP and the same optimum to 1e-7 relative. Returns
 * the working sets' summed final sizes; counts infeasible LPs. */
static size_t shrink_case(const char *spec, double C, double shrink, int restart, int *infeasible)
{
    repro_dataset *ds = repro_test_data(spec, 11);
    size_t n = ds->n, d = ds->d, rows = 0;
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
            repro_fri_ws_set_shrink_band(ws, shrink);
            for (int kind = -1; kind <= 1; kind++) {
                double vf = 0, vw = 0;
                int rf = repro_test_fri_full_lp(&plp, basis, 1.1 * L1, 1.1 * loss, j, kind, &vf);
                if (restart)
                    repro_fri_ws_restart(ws);
                int rw = repro_fri_ws_solve(ws, j, kind, REPRO_FRI_PRIMAL, &vw, &err);
                CU_ASSERT_EQUAL(rw, rf);
                *infeasible += rf == REPRO_FRI_LP_INFEASIBLE;
                if (rf == REPRO_FRI_LP_OPTIMAL)
                    CU_ASSERT_DOUBLE_EQUAL(vw, vf, 1e-7 * (1.0 + fabs(vf)));
            }
            CU_ASSERT(repro_fri_ws_rows(ws) <= n);
            rows += repro_fri_ws_rows(ws);
            repro_fri_ws_free(ws);
            repro_fri_lp_free(&plp);
        }
    free(rev);
    free(basis);
    repro_dataset_free(ds);
    return rows;
}

/* Non-separable data at a small C: most samples start aggregated and many
 * join the working set; shrinking keeps the optima and ends with fewer
 * rows than growing alone, with restarts and without. */
static void test_shrink_nonseparable(void)
{
    const char *spec = "nonlinear:n=300,strong=2,weak=2,irrelevant=4";
    for (int restart = 0; restart < 2; restart++) {
        int inf = 0;
        size_t grown = shrink_case(spec, 0.05, 0.0, restart, &inf);
        size_t shrunk = shrink_case(spec, 0.05, 0.1, restart, &inf);
        size_t narrow = shrink_case(spec, 0.05, 0.01, restart, &inf);
        CU_ASSERT(shrunk < grown);
        CU_ASSERT(narrow < grown);
    }
}

/* Separable data (most samples left out): reversing a strong column makes
 * some probes infeasible, which the shrunk relaxations must prove too. */
static void test_shrink_separable(void)
{
    int infeasible = 0;
    shrink_case("linear:n=200,strong=2,weak=2,irrelevant=3", 1.0, 0.1, 1, &infeasible);
    CU_ASSERT(infeasible > 0);
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"shrinking equals the full LP, non-separable", test_shrink_nonseparable},
        {"shrinking equals the full LP, separable", test_shrink_separable},
        CU_TEST_INFO_NULL,
    };
    return repro_test_run("fri_shrink", tests);
}
