/* cv.h - stratified K-fold splitting without shuffling (ALGORITHMS.md §11,
 * scikit-learn >= 0.22 StratifiedKFold(shuffle=False) semantics). */
#ifndef REPRO_CV_H
#define REPRO_CV_H

#include <stddef.h>

#include "repro/error.h"

/* Assigns every row to a test fold: fold[i] in [0, k) for i < n.
 * Classes are numbered in the order of their first appearance in y (as the
 * library encodes them), and quotas come from dealing the rows sorted by that
 * number round-robin into the k folds; then, per class, the class's rows in
 * their original order fill fold 0's quota of that class, then fold 1's, and
 * so on.
 * Fails (REPRO_EINVAL) if k < 2 or k > n. */
int repro_cv_stratified_folds(const int *y, size_t n, int k, int *fold, repro_error *err);

/* Assigns rows to k contiguous test folds without looking at the labels
 * (scikit-learn's KFold(shuffle=False), which its searches use for an
 * estimator that does not declare itself a classifier): fold f holds the
 * next n / k rows, the first n % k folds one row more.
 * Fails (REPRO_EINVAL) if k < 2 or k > n. */
int repro_cv_kfold_folds(size_t n, int k, int *fold, repro_error *err);

/* Splits rows by fold: writes the rows of the training part (fold != f) to
 * train (returning their count in *n_train) and of the test part to test
 * (*n_test). Both keep the original row order. */
void repro_cv_split(const int *fold, size_t n, int f, size_t *train, size_t *n_train,
                    size_t *test, size_t *n_test);

#endif
