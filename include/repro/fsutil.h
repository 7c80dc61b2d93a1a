/* fsutil.h - small file-system helpers for writing output folders. */
#ifndef REPRO_FSUTIL_H
#define REPRO_FSUTIL_H

#include "repro/error.h"

/* Creates a directory and its missing parents (like mkdir -p). */
int repro_mkdirs(const char *path, repro_error *err);
/* Removes a file or a directory tree; a missing path is not an error. */
int repro_remove_tree(const char *path, repro_error *err);
/* Reads a whole file into fresh memory (NUL-terminated). */
int repro_read_file(const char *path, char **text, repro_error *err);

#endif
