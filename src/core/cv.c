/* cv.c - stratified and contiguous K-fold without shuffling (see cv.h). */
#include "repro/cv.h"

#include <stdlib.h>
#include <string.h>

int repro_cv_stratified_folds(const int *y, size_t n, int k, int *fold, repro_error *err)
{
    if (k < 2 || (size_t)k > n)
        return repro_error_set(err, REPRO_EINVAL, "cannot split %zu rows into %d folds", n, k);
    /* Distinct classes in the order of their first appearance in y (the
     * library's class encoding, not the label values' order). */
    int *classes = repro_malloc(n, sizeof *classes, err);
    if (!classes)
        return REPRO_ENOMEM;
    size_t n_cls = 0;
    for (size_t i = 0; i < n; i++) {
        size_t c = 0;
        while (c < n_cls && classes[c] != y[i])
            c++;
        if (c == n_cls)
            classes[n_cls++] = y[i];
    }
    /* Recount: quota[c*k + f] = rows of class c dealt to fold f. */
    size_t *quota = repro_calloc(n_cls * (size_t)k, sizeof *quota, err);
    size_t *count = repro_calloc(n_cls, sizeof *count, err);
    if (!quota || !count) {
        free(classes), free(quota), free(count);
        return REPRO_ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t c = 0; c < n_cls; c++)
            if (y[i] == classes[c]) {
                count[c]++;
                break;
            }
    size_t pos = 0; /* position in the rows sorted by class number */
    for (size_t c = 0; c < n_cls; c++)
        for (size_t m = 0; m < count[c]; m++, pos++)
            quota[c * (size_t)k + pos % (size_t)k]++;
    for (size_t c = 0; c < n_cls; c++) {
        int f = 0;
        size_t used = 0;
        for (size_t i = 0; i < n; i++) {
            if (y[i] != classes[c])
                continue;
            while (used >= quota[c * (size_t)k + (size_t)f]) {
                f++;
                used = 0;
            }
            fold[i] = f;
            used++;
        }
    }
    free(classes), free(quota), free(count);
    return REPRO_OK;
}

int repro_cv_kfold_folds(size_t n, int k, int *fold, repro_error *err)
{
    if (k < 2 || (size_t)k > n)
        return repro_error_set(err, REPRO_EINVAL, "cannot split %zu rows into %d folds", n, k);
    size_t i = 0;
    for (int f = 0; f < k; f++) {
        size_t size = n / (size_t)k + ((size_t)f < n % (size_t)k ? 1 : 0);
        for (size_t m = 0; m < size; m++)
            fold[i++] = f;
    }
    return REPRO_OK;
}

void repro_cv_split(const int *fold, size_t n, int f, size_t *train, size_t *n_train,
                    size_t *test, size_t *n_test)
{
    size_t a = 0, b = 0;
    for (size_t i = 0; i < n; i++) {
        if (fold[i] == f)
            test[b++] = i;
        else
            train[a++] = i;
    }
    *n_train = a;
    *n_test = b;
}
