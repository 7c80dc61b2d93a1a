/* test_fri.c - FRI: the L1-SVM on hand-solvable data, relevance bounds on
 * hand-made cases, probe thresholds and classes, thread independence. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "repro/fri.h"
#include "repro/fri_lp.h"
#include "repro/fri_ws.h"
#include "repro/model.h"
#include "testutil.h"

/* 1-D: x = -2, -1 (label -1) and 1, 2 (label +1).
 * Hard margin: w + b >= 1 (x = 1) and w - b >= 1 (x = -1) give w >= 1, so
 * with w = 1 the only b is 0 and the objective is |w| = 1. Paying slack
 * instead: the same two rows give xi_2 + xi_3 >= 2 - 2w, so the objective is
 * at least w + C (2 - 2w) = 2C + w (1 - 2C), decreasing in w for C = 10:
 * the optimum is w = 1, b = 0, objective 1.
 * For C = 0.1 it increases in w, so w = 0; then every row needs
 * xi_i >= 1 -/+ b and the four slacks sum to 4 for any |b| <= 1: objective
 * 4C = 0.4 (b is not unique, so only w and the objective are checked). */
static void test_l1svm_1d(void)
{
    const double X[] = {-2, -1, 1, 2};
    const int y[] = {-1, -1, 1, 1};
    double w, b, obj;
    repro_error err;
    REPRO_ASSERT_OK(repro_fri_l1svm(X, y, 4, 1, 10.0, &w, &b, &obj, &err), &err);
    CU_ASSERT_DOUBLE_EQUAL(w, 1.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(b, 0.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(obj, 1.0, 1e-9);
    REPRO_ASSERT_OK(repro_fri_l1svm(X, y, 4, 1, 0.1, &w, &b, &obj, &err), &err);
    CU_ASSERT_DOUBLE_EQUAL(w, 0.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(obj, 0.4, 1e-9);
}

/* 2-D: (1,1), (1,-1) labelled +1 and (-1,1), (-1,-1) labelled -1. The rows
 *   w1 + w2 + b >= 1 - xi1,  w1 - w2 + b >= 1 - xi2,
 *   w1 + w2 - b >= 1 - xi3,  w1 - w2 - b >= 1 - xi4
 * add up (first + fourth) to 2 w1 >= 2 - xi1 - xi4, so the objective is at
 * least w1 + C (xi1 + xi4) >= 1 + (C - 1/2)(xi1 + xi4) >= 1 for C >= 1/2.
 * w = (1, 0), b = 0 reaches 1 with no slack; |w1| + |w2| = 1 with w1 >= 1
 * forces w2 = 0, and then the rows force b = 0: the optimum is unique. */
static void test_l1svm_2d(void)
{
    const double X[] = {1, 1, 1, -1, -1, 1, -1, -1};
    const int y[] = {1, 1, -1, -1};
    double w[2], b, obj;
    repro_error err;
    REPRO_ASSERT_OK(repro_fri_l1svm(X, y, 4, 2, 10.0, w, &b, &obj, &err), &err);
    CU_ASSERT_DOUBLE_EQUAL(w[0], 1.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(w[1], 0.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(b, 0.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(obj, 1.0, 1e-9);
}

/* FRI with a fixed C and few probes, so the tests stay fast. */
static void fit_fixed(const repro_dataset *ds, double C, int threads, repro_fri_result *res)
{
    repro_fri_options opt;
    repro_fri_options_default(&opt);
    opt.C = C;
    opt.n_probes = 20;
    repro_rng rng;
    repro_rng_seed(&rng, 42, 1);
    repro_error err;
    REPRO_ASSERT_OK(repro_fri_fit(&rng, ds, &opt, threads, res, &err), &err);
}

/* One informative feature (y = sign(x0)) and three noise features: only
 * x0 carries weight in every near-optimal model, so its lower bound is
 * positive; the noise features' bounds are near zero. */
static void test_bounds_lone_feature(void)
{
    repro_dataset *ds = repro_test_data("linear:n=100,strong=1,weak=0,irrelevant=3", 5);
    repro_fri_result r;
    fit_fixed(ds, 1.0, 1, &r);
    CU_ASSERT(r.bounds[0] > 0.5);
    CU_ASSERT(r.bounds[1] >= r.bounds[0]);
    CU_ASSERT(r.bounds[1] <= 1.1 + 1e-9); /* at most the relaxed L1 limit */
    for (size_t j = 1; j < 4; j++) {
        CU_ASSERT(r.bounds[2 * j] < 1e-6);
        CU_ASSERT(r.bounds[2 * j + 1] < 0.1);
        CU_ASSERT_EQUAL(r.classes[j], 0);
    }
    CU_ASSERT_EQUAL(r.classes[0], 2);
    CU_ASSERT(r.L1 > 0);
    CU_ASSERT(r.train_f1 > 0.9 && r.train_f1 <= 1.0);
    repro_fri_result_clear(&r);
    repro_dataset_free(ds);
}

/* Two identical copies of the informative feature: either copy can carry
 * all the weight, so each has lower bound 0 and upper bound > 0 (the same
 * for both), and both are weakly relevant. */
static void test_bounds_copies(void)
{
    repro_dataset *ds = repro_test_data("linear:n=100,strong=0,weak=2,irrelevant=2", 6);
    repro_fri_result r;
    fit_fixed(ds, 1.0, 1, &r);
    for (size_t j = 0; j < 2; j++) {
        CU_ASSERT_EQUAL(r.bounds[2 * j], 0.0);
        CU_ASSERT(r.bounds[2 * j + 1] > 0.5);
        CU_ASSERT_EQUAL(r.classes[j], 1);
    }
    CU_ASSERT_DOUBLE_EQUAL(r.bounds[1], r.bounds[3], 1e-6);
    for (size_t j = 2; j < 4; j++) {
        CU_ASSERT(r.bounds[2 * j + 1] < 0.1);
        CU_ASSERT_EQUAL(r.classes[j], 0);
    }
    repro_fri_result_clear(&r);
    repro_dataset_free(ds);
}

/* Thresholds by §5 and the class rule on made-up values.
 * Upper probes {1, 2, 3}: mean 2, population std sqrt(2/3), m = 3, and the
 * 5 % quantile of Student's t with 2 degrees of freedom is -2.919986 (t
 * table), so the upper end is 2 + 2.919986 sqrt(2/3) sqrt(4/3)
 * = 2 + 2.919986 * 0.942809 = 4.752986. One lower probe {0.5}: 0.5.
 * Features: (0.6, 5.0) is above both -> 2; (0.4, 5.0) only weakly -> 1;
 * (0.6, 4.7) strongly but not weakly -> 0; (0, 0) -> 0. */
static void test_classify(void)
{
    const double bounds[] = {0.6, 5.0, 0.4, 5.0, 0.6, 4.7, 0.0, 0.0};
    const double up[] = {1, 2, 3}, lo[] = {0.5};
    int cls[4];
    double thr[2];
    repro_fri_classify(bounds, 4, up, 3, lo, 1, 0.05, cls, thr);
    CU_ASSERT_DOUBLE_EQUAL(thr[0], 4.752986, 1e-5);
    CU_ASSERT_DOUBLE_EQUAL(thr[1], 0.5, 0.0);
    CU_ASSERT_EQUAL(cls[0], 2);
    CU_ASSERT_EQUAL(cls[1], 1);
    CU_ASSERT_EQUAL(cls[2], 0);
    CU_ASSERT_EQUAL(cls[3], 0);
    /* No probes at all: both thresholds 0, so any positive bound counts. */
    repro_fri_classify(bounds, 4, up, 0, lo, 0, 0.05, cls, thr);
    CU_ASSERT_EQUAL(thr[0], 0.0);
    CU_ASSERT_EQUAL(thr[1], 0.0);
    CU_ASSERT_EQUAL(cls[2], 2);
    CU_ASSERT_EQUAL(cls[3], 0);
}

/* The whole method, search included, on 1 and 2 threads: bit-identical. */
static void test_threads(void)
{
    repro_dataset *ds = repro_test_data("linear:n=120,strong=2,weak=3,irrelevant=3", 7);
    repro_fri_options opt;
    repro_fri_options_default(&opt);
    opt.n_search = 8;
    opt.n_probes = 12;
    repro_fri_result r[2];
    repro_error err;
    for (int t = 0; t < 2; t++) {
        repro_rng rng;
        repro_rng_seed(&rng, 99, 3);
        REPRO_ASSERT_OK(repro_fri_fit(&rng, ds, &opt, t + 1, &r[t], &err), &err);
    }
    CU_ASSERT_EQUAL(memcmp(r[0].bounds, r[1].bounds, 2 * ds->d * sizeof(double)), 0);
    CU_ASSERT_EQUAL(memcmp(r[0].classes, r[1].classes, ds->d * sizeof(int)), 0);
    CU_ASSERT_EQUAL(memcmp(r[0].thresholds, r[1].thresholds, sizeof r[0].thresholds), 0);
    CU_ASSERT_EQUAL(r[0].C, r[1].C);
    CU_ASSERT_EQUAL(r[0].n_lps, r[1].n_lps);
    /* The truth is recovered: 2 strong, 3 weak, 3 irrelevant. */
    for (size_t j = 0; j < ds->d; j++)
        CU_ASSERT_EQUAL(r[0].classes[j] > 0, ds->truth[j] > 0);
    repro_fri_result_clear(&r[0]);
    repro_fri_result_clear(&r[1]);
    repro_dataset_free(ds);
}

/* On non-separable data, the current LP path (narrow working sets, one
 * solver per feature, restarts from the init basis) and the two earlier ones
 * give the same C, L1, loss, bounds (to 1e-9) and classes; a bad legacy
 * value is refused. */
static void test_legacy_same(void)
{
    repro_dataset *ds = repro_test_data("nonlinear:n=200,strong=3,weak=2,irrelevant=4", 12);
    repro_fri_options opt;
    repro_fri_options_default(&opt);
    opt.n_search = 6;
    opt.n_probes = 10;
    repro_fri_result r[3];
    repro_error err;
    for (int legacy = 0; legacy < 3; legacy++) {
        repro_rng rng;
        repro_rng_seed(&rng, 17, 4);
        opt.legacy = legacy;
        REPRO_ASSERT_OK(repro_fri_fit(&rng, ds, &opt, 1, &r[legacy], &err), &err);
    }
    CU_ASSERT(r[0].loss > 1.0); /* not separable */
    for (int k = 1; k < 3; k++) {
        CU_ASSERT_EQUAL(r[0].C, r[k].C);
        CU_ASSERT_DOUBLE_EQUAL(r[0].L1, r[k].L1, 1e-9 * r[k].L1);
        CU_ASSERT_DOUBLE_EQUAL(r[0].loss, r[k].loss, 1e-9 * r[k].loss);
        for (size_t j = 0; j < 2 * ds->d; j++)
            CU_ASSERT_DOUBLE_EQUAL(r[0].bounds[j], r[k].bounds[j], 1e-9);
        CU_ASSERT_EQUAL(memcmp(r[0].classes, r[k].classes, ds->d * sizeof(int)), 0);
    }
    for (int k = 0; k < 3; k++)
        repro_fri_result_clear(&r[k]);
    repro_rng rng;
    repro_rng_seed(&rng, 17, 4);
    opt.legacy = 3;
    CU_ASSERT_EQUAL(repro_fri_fit(&rng, ds, &opt, 1, &r[0], &err), REPRO_EINVAL);
    repro_dataset_free(ds);
}

/* On separable data the search's shortcut (stop a fold once no slack is
 * basic) picks the same C with fewer LPs, and the current path (shortcut,
 * cutoff on the second upper side) answers as the previous one. */
static void test_search_shortcut(void)
{
    repro_dataset *ds = repro_test_data("linear:n=150,strong=2,weak=2,irrelevant=3", 5);
    repro_error err;
    double C[2];
    size_t lps[2] = {0, 0};
    for (int k = 0; k < 2; k++) {
        repro_rng rng;
        repro_rng_seed(&rng, 23, 1);
        REPRO_ASSERT_OK(repro_fri_search_C(&rng, ds, 30, 1, k, &C[k], &lps[k], &err), &err);
    }
    CU_ASSERT_EQUAL(C[0], C[1]);
    CU_ASSERT(lps[1] < lps[0]);
    CU_ASSERT_EQUAL(lps[0], 3 * 30);
    repro_fri_options opt;
    repro_fri_options_default(&opt);
    opt.n_search = 12;
    opt.n_probes = 10;
    repro_fri_result r[2];
    for (int legacy = 0; legacy < 2; legacy++) {
        repro_rng rng;
        repro_rng_seed(&rng, 31, 2);
        opt.legacy = legacy;
        REPRO_ASSERT_OK(repro_fri_fit(&rng, ds, &opt, 1, &r[legacy], &err), &err);
    }
    CU_ASSERT_EQUAL(r[0].C, r[1].C);
    CU_ASSERT(r[0].lps_search < r[1].lps_search);
    CU_ASSERT_DOUBLE_EQUAL(r[0].L1, r[1].L1, 1e-9 * r[1].L1);
    for (size_t j = 0; j < 2 * ds->d; j++)
        CU_ASSERT_DOUBLE_EQUAL(r[0].bounds[j], r[1].bounds[j], 1e-9);
    CU_ASSERT_EQUAL(memcmp(r[0].classes, r[1].classes, ds->d * sizeof(int)), 0);
    repro_fri_result_clear(&r[0]);
    repro_fri_result_clear(&r[1]);
    repro_dataset_free(ds);
}

/* The working-set LPs, with and without aggregated margin violators, give
 * the full LPs' optima (and infeasibility), for the data of spec and for
 * probes with a reversed column. */
static void working_set_case(const char *spec, double C, int expect_infeasible)
{
    repro_dataset *ds = repro_test_data(spec, 11);
    size_t n = ds->n, d = ds->d;
    repro_error err;
    size_t *rev = malloc(n * sizeof *rev);
    for (size_t i = 0; i < n; i++)
        rev[i] = n - 1 - i;
    int infeasible = 0, optimal = 0;
    for (int probe = 0; probe < 2; probe++) {
        repro_fri_lp plp;
        double w[16], b, L1, loss;
        unsigned char *basis;
        repro_test_fri_init(ds, C, w, &b, &L1, &loss, &basis);
        for (size_t j = 0; j < d; j++) {
            const size_t *perm = probe ? rev : NULL;
            REPRO_ASSERT_OK(repro_fri_lp_build(ds->X, ds->y, n, d, NULL, n, j, perm, &plp, &err), &err);
            /* Plain, aggregated with the wide band, aggregated with the
             * narrow band and every LP restarted from the init basis. */
            for (int mode = 0; mode < 3; mode++) {
                repro_fri_ws *ws = repro_fri_ws_new(ds->X, ds->y, n, d, j, perm, w, b, basis,
                                                    1.1 * L1, 1.1 * loss, mode > 0,
                                                    mode < 2 ? 0.5 : 0.2, &err);
                CU_ASSERT_PTR_NOT_NULL_FATAL(ws);
                CU_ASSERT(repro_fri_ws_rows(ws) <= n);
                for (int kind = -1; kind <= 1; kind++) {
                    double vf = 0, vw = 0;
                    int rf = repro_test_fri_full_lp(&plp, basis, 1.1 * L1, 1.1 * loss, j, kind, &vf);
                    if (mode == 2 && !probe)
                        repro_fri_ws_restart(ws);
                    int rw = repro_fri_ws_solve(ws, j, kind, REPRO_FRI_PRIMAL, &vw, &err);
                    CU_ASSERT_EQUAL(rw, rf);
                    infeasible += rf == REPRO_FRI_LP_INFEASIBLE;
                    optimal += rf == REPRO_FRI_LP_OPTIMAL;
                    if (rf == REPRO_FRI_LP_OPTIMAL)
                        CU_ASSERT_DOUBLE_EQUAL(vw, vf, 1e-7 * (1.0 + vf));
                }
                repro_fri_ws_free(ws);
            }
            repro_fri_lp_free(&plp);
        }
        free(basis);
    }
    /* Both outcomes occurred (reversing a strong column breaks the fit of
     * separable data). */
    CU_ASSERT(!expect_infeasible || infeasible > 0);
    CU_ASSERT(optimal > 0);
    free(rev);
    repro_dataset_free(ds);
}

/* Separable data (most samples left out) and non-separable data at a small
 * C (most samples margin violators, aggregated). */
static void test_working_set(void)
{
    working_set_case("linear:n=200,strong=2,weak=2,irrelevant=3", 1.0, 1);
    working_set_case("nonlinear:n=200,strong=2,weak=2,irrelevant=3", 0.05, 0);
}

/* Bad options and data are refused with REPRO_EINVAL. */
static void test_bad_input(void)
{
    repro_dataset *ds = repro_test_data("linear:n=30,strong=1,weak=0,irrelevant=1", 8);
    repro_fri_options opt;
    repro_fri_result r;
    repro_rng rng;
    repro_error err;
    repro_rng_seed(&rng, 1, 1);
    repro_fri_options_default(&opt);
    opt.fpr = 0.0;
    CU_ASSERT_EQUAL(repro_fri_fit(&rng, ds, &opt, 1, &r, &err), REPRO_EINVAL);
    repro_fri_options_default(&opt);
    opt.C = -1.0;
    CU_ASSERT_EQUAL(repro_fri_fit(&rng, ds, &opt, 1, &r, &err), REPRO_EINVAL);
    repro_fri_options_default(&opt);
    ds->y[3] = 0;
    CU_ASSERT_EQUAL(repro_fri_fit(&rng, ds, &opt, 1, &r, &err), REPRO_EINVAL);
    ds->y[3] = 1;
    ds->n = 2; /* too few rows for 3 folds */
    CU_ASSERT_EQUAL(repro_fri_fit(&rng, ds, &opt, 1, &r, &err), REPRO_EINVAL);
    ds->n = 30;
    repro_dataset_free(ds);
}

/* Through the registry: parameters, bounds and the documented extras. */
static void test_model(void)
{
    const repro_model_type *t = repro_model_find("FRI");
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    CU_ASSERT_EQUAL(t->max_class, 2);
    CU_ASSERT(t->cost(2000, 70) > t->cost(150, 12));
    repro_params p;
    repro_error err;
    repro_params_defaults(t, &p);
    CU_ASSERT_EQUAL(repro_params_get(&p, "probes"), 50);
    CU_ASSERT_EQUAL(repro_params_get(&p, "search"), 50);
    CU_ASSERT_EQUAL(repro_params_get(&p, "fpr"), 1e-4);
    REPRO_ASSERT_OK(repro_params_set(&p, "C", "2.5", &err), &err);
    REPRO_ASSERT_OK(repro_params_set(&p, "probes", "5", &err), &err);
    CU_ASSERT_EQUAL(repro_params_set(&p, "probes", "1.5", &err), REPRO_EINVAL);
    repro_dataset *ds = repro_test_data("linear:n=60,strong=1,weak=2,irrelevant=2", 9);
    repro_rng rng;
    repro_rng_seed(&rng, 5, 5);
    repro_fit_result res;
    REPRO_ASSERT_OK(t->fit(ds, &p, &rng, 1, &res, &err), &err);
    CU_ASSERT_PTR_NOT_NULL(res.bounds);
    const repro_extra *C = repro_fit_result_find(&res, "C");
    const repro_extra *thr = repro_fit_result_find(&res, "probe_thresholds");
    const repro_extra *lps = repro_fit_result_find(&res, "n_lps");
    CU_ASSERT_PTR_NOT_NULL_FATAL(C);
    CU_ASSERT_PTR_NOT_NULL_FATAL(thr);
    CU_ASSERT_PTR_NOT_NULL_FATAL(lps);
    CU_ASSERT_PTR_NOT_NULL(repro_fit_result_find(&res, "L1"));
    CU_ASSERT_PTR_NOT_NULL(repro_fit_result_find(&res, "loss"));
    CU_ASSERT_EQUAL(C->v[0], 2.5);
    CU_ASSERT_EQUAL(thr->len, 2);
    /* 1 init LP, at least 2 per feature, at least 1 per upper probe. */
    CU_ASSERT(lps->v[0] >= 1 + 2 * 5 + 5);
    for (size_t j = 0; j < ds->d; j++) {
        CU_ASSERT(res.bounds[2 * j] <= res.bounds[2 * j + 1] + 1e-9);
        CU_ASSERT(res.relevance[j] >= 0 && res.relevance[j] <= 2);
    }
    CU_ASSERT(res.train_score > 0.9);
    repro_fit_result_clear(&res);
    repro_dataset_free(ds);
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"L1-SVM 1-D known optimum", test_l1svm_1d},
        {"L1-SVM 2-D known optimum", test_l1svm_2d},
        {"bounds: lone informative feature", test_bounds_lone_feature},
        {"bounds: two identical copies", test_bounds_copies},
        {"thresholds and classes", test_classify},
        {"1 vs 2 threads identical", test_threads},
        {"working set equals full LP", test_working_set},
        {"current and earlier LP path agree", test_legacy_same},
        {"search shortcut: same C, fewer LPs", test_search_shortcut},
        {"bad input", test_bad_input},
        {"registered model", test_model},
        CU_TEST_INFO_NULL,
    };
    return repro_test_run("fri", tests);
}
