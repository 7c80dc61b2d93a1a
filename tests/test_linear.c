/* test_linear.c - the SGD linear classifier and its grid search. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdlib.h>

#include "repro/linear.h"
#include "testutil.h"

/* All row and column indices of ds. */
static void index_all(const repro_dataset *ds, size_t **rows, size_t **cols)
{
    *rows = malloc(ds->n * sizeof **rows);
    *cols = malloc(ds->d * sizeof **cols);
    for (size_t i = 0; i < ds->n; i++)
        (*rows)[i] = i;
    for (size_t j = 0; j < ds->d; j++)
        (*cols)[j] = j;
}

/* The "optimal" schedule by hand: typw = sqrt(1/sqrt(alpha)), the hinge
 * dloss(-typw, 1) = -1 so eta0 = typw, t0 = 1/(eta0 alpha).
 * alpha = 1e-4: typw = 10, t0 = 1000, eta(1) = 10, eta(101) = 1/(1e-4*1100).
 * alpha = 1: t0 = 1, eta(t) = 1/t. alpha = 0.01: t0 = 1/(sqrt(10) 0.01). */
static void test_schedule(void)
{
    CU_ASSERT_DOUBLE_EQUAL(repro_sgd_t0(1e-4), 1000.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(repro_sgd_eta(1e-4, 1000.0, 1.0), 10.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(repro_sgd_eta(1e-4, 1000.0, 101.0), 1.0 / 0.11, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(repro_sgd_t0(1.0), 1.0, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(repro_sgd_eta(1.0, 1.0, 7.0), 1.0 / 7.0, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(repro_sgd_t0(0.01), 100.0 / sqrt(10.0), 1e-9);
}

/* One row, one epoch, by hand: p = 0 so the hinge gradient is -y, eta(1) =
 * eta0 = sqrt(10) for alpha = 0.01, shrinking the zero weights changes
 * nothing, then w = eta0 x and b = eta0. */
static void test_first_step(void)
{
    repro_dataset *ds = repro_dataset_alloc(1, 2, 0, NULL);
    ds->X[0] = 2.0;
    ds->X[1] = -1.0;
    ds->y[0] = 1;
    size_t rows[1] = {0}, cols[2] = {0, 1};
    repro_sgd_params p;
    repro_sgd_defaults(&p);
    p.alpha = 0.01;
    p.max_epochs = 1;
    repro_rng rng;
    repro_rng_seed(&rng, 1, 1);
    repro_linear_model m;
    repro_error err;
    REPRO_ASSERT_OK(repro_sgd_fit(&rng, &p, ds, rows, 1, cols, 2, &m, &err), &err);
    double eta0 = sqrt(10.0);
    CU_ASSERT_DOUBLE_EQUAL(m.w[0], 2.0 * eta0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(m.w[1], -eta0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(m.b, eta0, 1e-12);
    CU_ASSERT_EQUAL(m.epochs, 1);
    repro_linear_model_clear(&m);
    repro_dataset_free(ds);
}

/* Separable data (the label is the sign of the sum of the strong columns):
 * high training accuracy, and training stops on the loss plateau long before
 * the epoch limit (at least 1 + n_iter_no_change epochs are needed). */
static void test_separable(void)
{
    repro_dataset *ds = repro_test_data("linear:n=300,strong=3,weak=0,irrelevant=2", 5);
    size_t *rows, *cols;
    index_all(ds, &rows, &cols);
    repro_sgd_params p;
    repro_sgd_defaults(&p);
    repro_rng rng;
    repro_rng_seed(&rng, 42, 3);
    repro_linear_model m;
    repro_error err;
    REPRO_ASSERT_OK(repro_sgd_fit(&rng, &p, ds, rows, ds->n, cols, ds->d, &m, &err), &err);
    double acc = repro_linear_accuracy(&m, ds, rows, ds->n, cols, ds->d);
    CU_ASSERT(acc >= 0.95);
    CU_ASSERT(m.epochs < 100);
    CU_ASSERT(m.epochs >= 1 + p.n_iter_no_change);
    /* The informative columns carry more weight than the noise. */
    for (int j = 0; j < 3; j++)
        for (int k = 3; k < 5; k++)
            CU_ASSERT(fabs(m.w[j]) > fabs(m.w[k]));
    repro_linear_model_clear(&m);
    /* Without early stopping the full 100 epochs run. */
    p.tol = -1.0;
    REPRO_ASSERT_OK(repro_sgd_fit(&rng, &p, ds, rows, ds->n, cols, ds->d, &m, &err), &err);
    CU_ASSERT_EQUAL(m.epochs, 100);
    repro_linear_model_clear(&m);
    free(rows), free(cols);
    repro_dataset_free(ds);
}

/* The row order of every epoch comes from one swap sequence (as the
 * library's data set reshuffles with the same seed): a 100-epoch fit leaves
 * the stream where a single shuffle of the rows leaves it, and so does a
 * 1-epoch fit. */
static void test_one_swap_sequence(void)
{
    repro_dataset *ds = repro_test_data("linear:n=40,strong=2,weak=0,irrelevant=1", 3);
    size_t *rows, *cols;
    index_all(ds, &rows, &cols);
    repro_sgd_params p;
    repro_sgd_defaults(&p);
    p.tol = -1.0;
    for (int epochs = 1; epochs <= 100; epochs += 99) {
        p.max_epochs = epochs;
        repro_rng rng, ref;
        repro_rng_seed(&rng, 8, 1);
        ref = rng;
        repro_linear_model m;
        repro_error err;
        REPRO_ASSERT_OK(repro_sgd_fit(&rng, &p, ds, rows, ds->n, cols, ds->d, &m, &err), &err);
        CU_ASSERT_EQUAL(m.epochs, epochs);
        size_t order[40];
        for (size_t i = 0; i < 40; i++)
            order[i] = i;
        repro_rng_shuffle(&ref, order, 40);
        CU_ASSERT(rng.state == ref.state && rng.inc == ref.inc);
        repro_linear_model_clear(&m);
    }
    free(rows), free(cols);
    repro_dataset_free(ds);
}

/* Fits twice from the same stream and reports whether the weights agree. */
static int same_fit(const repro_dataset *ds, const repro_sgd_params *a, const repro_sgd_params *b)
{
    size_t *rows, *cols;
    index_all(ds, &rows, &cols);
    repro_rng r1, r2;
    repro_rng_seed(&r1, 9, 9);
    repro_rng_seed(&r2, 9, 9);
    repro_linear_model m1, m2;
    repro_error err;
    int same = 0;
    if (!repro_sgd_fit(&r1, a, ds, rows, ds->n, cols, ds->d, &m1, &err) &&
        !repro_sgd_fit(&r2, b, ds, rows, ds->n, cols, ds->d, &m2, &err)) {
        same = m1.b == m2.b && m1.epochs == m2.epochs;
        for (size_t j = 0; j < ds->d; j++)
            same = same && m1.w[j] == m2.w[j];
        repro_linear_model_clear(&m1);
        repro_linear_model_clear(&m2);
    }
    free(rows), free(cols);
    return same;
}

/* The published quirk: with the L2 penalty l1_ratio has no effect; the
 * elastic net with l1_ratio 0 is the L2 fit; with l1_ratio 1 it differs and
 * zeroes some noise weights exactly. */
static void test_penalties(void)
{
    repro_dataset *ds = repro_test_data("linear:n=200,strong=2,weak=0,irrelevant=8", 8);
    repro_sgd_params l2a, l2b, en0, en1;
    repro_sgd_defaults(&l2a);
    l2a.alpha = 0.1;
    l2b = l2a;
    l2b.l1_ratio = 0.7;
    CU_ASSERT_TRUE(same_fit(ds, &l2a, &l2b));
    en0 = l2a;
    en0.penalty = REPRO_PENALTY_ELASTICNET;
    CU_ASSERT_TRUE(same_fit(ds, &l2a, &en0));
    en1 = en0;
    en1.l1_ratio = 1.0;
    CU_ASSERT_FALSE(same_fit(ds, &en0, &en1));

    size_t *rows, *cols;
    index_all(ds, &rows, &cols);
    repro_rng rng;
    repro_rng_seed(&rng, 4, 4);
    repro_linear_model m;
    repro_error err;
    REPRO_ASSERT_OK(repro_sgd_fit(&rng, &en1, ds, rows, ds->n, cols, ds->d, &m, &err), &err);
    int zeros = 0;
    for (size_t j = 2; j < ds->d; j++)
        zeros += m.w[j] == 0.0;
    CU_ASSERT(zeros >= 1);
    CU_ASSERT(m.w[0] != 0.0 && m.w[1] != 0.0);
    repro_linear_model_clear(&m);
    free(rows), free(cols);
    repro_dataset_free(ds);
}

static void test_bad_input(void)
{
    repro_dataset *ds = repro_test_data("linear:n=20,strong=1,weak=0,irrelevant=1", 1);
    size_t rows[2] = {0, 1}, cols[2] = {0, 1};
    repro_sgd_params p;
    repro_sgd_defaults(&p);
    repro_rng rng;
    repro_rng_seed(&rng, 1, 1);
    repro_linear_model m;
    repro_error err;
    p.alpha = 0.0;
    CU_ASSERT_EQUAL(repro_sgd_fit(&rng, &p, ds, rows, 2, cols, 2, &m, &err), REPRO_EINVAL);
    p.alpha = 1e-4;
    p.l1_ratio = 1.5;
    CU_ASSERT_EQUAL(repro_sgd_fit(&rng, &p, ds, rows, 2, cols, 2, &m, &err), REPRO_EINVAL);
    p.l1_ratio = 0.0;
    CU_ASSERT_EQUAL(repro_sgd_fit(&rng, &p, ds, rows, 0, cols, 2, &m, &err), REPRO_EINVAL);
    repro_dataset_free(ds);
}

/* Grid search: the chosen cell is the first with the best mean score, the
 * refit is good on separable data, and threads do not change the result. */
static void test_grid(void)
{
    repro_dataset *ds = repro_test_data("linear:n=150,strong=3,weak=0,irrelevant=3", 21);
    const double alphas[3] = {1e-4, 1.0, 100.0}, ratios[2] = {0.0, 0.5};
    repro_sgd_params base;
    repro_sgd_defaults(&base);
    repro_rng rng;
    repro_rng_seed(&rng, 77, 1);
    repro_sgd_grid_result g1, g2;
    repro_error err;
    REPRO_ASSERT_OK(repro_sgd_grid_search(&rng, &base, ds, 3, alphas, 3, ratios, 2, 1, &g1, &err),
                    &err);
    REPRO_ASSERT_OK(repro_sgd_grid_search(&rng, &base, ds, 3, alphas, 3, ratios, 2, 2, &g2, &err),
                    &err);
    size_t first = 0;
    for (size_t g = 0; g < 6; g++) {
        CU_ASSERT_EQUAL(g1.scores[g], g2.scores[g]);
        if (g1.scores[g] > g1.scores[first])
            first = g;
    }
    CU_ASSERT_EQUAL(g1.best.alpha, alphas[first / 2]);
    CU_ASSERT_EQUAL(g1.best.l1_ratio, ratios[first % 2]);
    CU_ASSERT_EQUAL(g1.best_score, g1.scores[first]);
    CU_ASSERT(g1.best_score >= 0.9);
    CU_ASSERT(g1.scores[4] < 0.9); /* alpha 100 shrinks the weights to nothing */
    size_t *rows, *cols;
    index_all(ds, &rows, &cols);
    CU_ASSERT(repro_linear_accuracy(&g1.model, ds, rows, ds->n, cols, ds->d) >= 0.95);
    for (size_t j = 0; j < ds->d; j++)
        CU_ASSERT_EQUAL(g1.model.w[j], g2.model.w[j]);
    free(rows), free(cols);
    repro_sgd_grid_result_clear(&g1);
    repro_sgd_grid_result_clear(&g2);
    repro_dataset_free(ds);
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"learning-rate schedule", test_schedule},
        {"first step by hand", test_first_step},
        {"separable data, early stop", test_separable},
        {"one swap sequence per fit", test_one_swap_sequence},
        {"penalties and the l1_ratio quirk", test_penalties},
        {"bad input", test_bad_input},
        {"grid search", test_grid},
        CU_TEST_INFO_NULL,
    };
    return repro_test_run("linear", tests);
}
