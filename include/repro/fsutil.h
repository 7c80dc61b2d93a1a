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

/* Takes an exclusive advisory lock (fcntl) on the side file `<path>.lock`,
 * creating it, and records "host pid" in it; *fd gets the open descriptor
 * (pass it to repro_lock_release). If another process holds the lock, fails
 * with REPRO_EINVAL and a message naming the host and pid it recorded. The
 * lock ends with the process, also when it is killed. Not collective. */
int repro_lock_take(const char *path, int *fd, repro_error *err);
/* Removes the side file and releases a lock taken by repro_lock_take;
 * fd < 0 is a no-op. */
void repro_lock_release(const char *path, int fd);

#endif
