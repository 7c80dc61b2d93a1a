/* fsutil.h - small file-system helpers for writing output folders. */
#ifndef REPRO_FSUTIL_H
#define REPRO_FSUTIL_H

#include <stddef.h>

#include "repro/error.h"

/* Creates a directory and its missing parents (like mkdir -p). */
int repro_mkdirs(const char *path, repro_error *err);
/* Removes a file or a directory tree; a missing path is not an error. */
int repro_remove_tree(const char *path, repro_error *err);
/* Reads a whole file into fresh memory (NUL-terminated); *len (if len is
 * not NULL) gets its length in bytes. */
int repro_read_file(const char *path, char **text, size_t *len, repro_error *err);

#endif
