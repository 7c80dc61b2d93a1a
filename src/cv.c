/* cv.c - stratified K-fold without shuffling (see cv.h). */
#include "repro/cv.h"

#include <stdlib.h>
#include <string.h>

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

int repro_cv_stratified_folds(const int *y, size_t n, int k, int *fold, repro_error *err)
{
    if (k < 2 || (size_t)k > n)
        return repro_error_set(err, REPRO_EINVAL, "cannot split %zu rows into %d folds", n, k);
    int *sorted = repro_malloc(n, sizeof *sorted, err);
    if (!sorted)
        return REPRO_ENOMEM;
    memcpy(sorted, y, n * sizeof *y);
    qsort(sorted, n, sizeof *sorted, cmp_int);
    /* Distinct classes in increasing order. */
    size_t n_cls = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || sorted[i] != sorted[i - 1])
            sorted[n_cls++] = sorted[i];
    /* Recount: quota[c*k + f] = rows of class c dealt to fold f. */
    size_t *quota = repro_calloc(n_cls * (size_t)k, sizeof *quota, err);
    size_t *count = repro_calloc(n_cls, sizeof *count, err);
    if (!quota || !count) {
        free(sorted), free(quota), free(count);
        return REPRO_ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t c = 0; c < n_cls; c++)
            if (y[i] == sorted[c]) {
                count[c]++;
                break;
            }
    size_t pos = 0; /* position in the sorted label order */
    for (size_t c = 0; c < n_cls; c++)
        for (size_t m = 0; m < count[c]; m++, pos++)
            quota[c * (size_t)k + pos % (size_t)k]++;
    for (size_t c = 0; c < n_cls; c++) {
        int f = 0;
        size_t used = 0;
        for (size_t i = 0; i < n; i++) {
            if (y[i] != sorted[c])
                continue;
            while (used >= quota[c * (size_t)k + (size_t)f]) {
                f++;
                used = 0;
            }
            fold[i] = f;
            used++;
        }
    }
    free(sorted), free(quota), free(count);
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
