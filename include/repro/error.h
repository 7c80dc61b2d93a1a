/* error.h - error codes and the error context every fallible function fills.
 *
 * A function that can fail returns an int code (REPRO_OK on success) and, on
 * failure, writes a one-line message into the caller's repro_error. Only the
 * CLI prints messages or chooses exit codes. */
#ifndef REPRO_ERROR_H
#define REPRO_ERROR_H

#include <stddef.h>

enum {
    REPRO_OK = 0,
    REPRO_EINVAL = 1,  /* bad input from the user: exit code 2 */
    REPRO_EFAIL = 2,   /* a computation did not succeed (e.g. nothing selected) */
    REPRO_ENOMEM = 3,  /* out of memory */
    REPRO_EIO = 4,     /* file system or library I/O failure */
    REPRO_EMPI = 5,    /* an MPI call failed */
    REPRO_EHDF5 = 6    /* an HDF5 call failed */
};

#define REPRO_ERRMSG_MAX 1024

typedef struct repro_error {
    int code;
    char msg[REPRO_ERRMSG_MAX];
} repro_error;

/* Clears an error context (code REPRO_OK, empty message). err may be NULL. */
void repro_error_clear(repro_error *err);

/* Records code and a printf-style message in err (if err is not NULL) and
 * returns code, so callers can write `return repro_error_set(err, ...)`. */
int repro_error_set(repro_error *err, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Prefixes the message already in err with printf-style context ("a: b"). */
void repro_error_prefix(repro_error *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Short name of an error code ("invalid input", ...). */
const char *repro_error_name(int code);

/* Allocation helpers that record REPRO_ENOMEM in err on failure. */
void *repro_malloc(size_t n, size_t size, repro_error *err);
void *repro_calloc(size_t n, size_t size, repro_error *err);

#endif
