/* error.c - the error context (see error.h). */
#include "repro/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void repro_error_clear(repro_error *err)
{
    if (err) {
        err->code = REPRO_OK;
        err->msg[0] = '\0';
    }
}

int repro_error_set(repro_error *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->code = code;
    }
    return code;
}

void repro_error_prefix(repro_error *err, const char *fmt, ...)
{
    if (!err)
        return;
    char head[REPRO_ERRMSG_MAX], old[REPRO_ERRMSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    size_t cap = sizeof err->msg - 1, used = 0;
    const char *parts[3] = {head, ": ", old};
    for (int i = 0; i < 3; i++) {
        size_t len = strlen(parts[i]);
        if (len > cap - used)
            len = cap - used;
        memcpy(err->msg + used, parts[i], len);
        used += len;
    }
    err->msg[used] = '\0';
}

const char *repro_error_name(int code)
{
    switch (code) {
    case REPRO_OK: return "ok";
    case REPRO_EINVAL: return "invalid input";
    case REPRO_EFAIL: return "computation failed";
    case REPRO_ENOMEM: return "out of memory";
    case REPRO_EIO: return "I/O error";
    case REPRO_EMPI: return "MPI error";
    case REPRO_EHDF5: return "HDF5 error";
    default: return "unknown error";
    }
}

void *repro_malloc(size_t n, size_t size, repro_error *err)
{
    if (n == 0 || size == 0)
        n = size = 1;
    if (n > (size_t)-1 / size) {
        repro_error_set(err, REPRO_ENOMEM, "allocation of %zu x %zu bytes overflows", n, size);
        return NULL;
    }
    void *p = malloc(n * size);
    if (!p)
        repro_error_set(err, REPRO_ENOMEM, "out of memory allocating %zu bytes", n * size);
    return p;
}

void *repro_calloc(size_t n, size_t size, repro_error *err)
{
    if (n == 0 || size == 0)
        n = size = 1;
    void *p = calloc(n, size);
    if (!p)
        repro_error_set(err, REPRO_ENOMEM, "out of memory allocating %zu x %zu bytes", n, size);
    return p;
}
