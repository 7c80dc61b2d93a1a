/* fsutil.c - directory creation, tree removal, whole-file reads (see fsutil.h). */
#include "repro/fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int repro_mkdirs(const char *path, repro_error *err)
{
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
        return repro_error_set(err, REPRO_EINVAL, "path too long: %s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0777) && errno != EEXIST)
            return repro_error_set(err, REPRO_EIO, "cannot create %s: %s", buf, strerror(errno));
        *p = '/';
    }
    if (mkdir(buf, 0777) && errno != EEXIST)
        return repro_error_set(err, REPRO_EIO, "cannot create %s: %s", buf, strerror(errno));
    struct stat st;
    if (stat(buf, &st) || !S_ISDIR(st.st_mode))
        return repro_error_set(err, REPRO_EIO, "%s is not a directory", buf);
    return REPRO_OK;
}

int repro_remove_tree(const char *path, repro_error *err)
{
    struct stat st;
    if (lstat(path, &st))
        return errno == ENOENT ? REPRO_OK
                               : repro_error_set(err, REPRO_EIO, "cannot stat %s: %s", path,
                                                 strerror(errno));
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        if (!d)
            return repro_error_set(err, REPRO_EIO, "cannot open %s: %s", path, strerror(errno));
        struct dirent *e;
        int rc = REPRO_OK;
        while (!rc && (e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            char child[4096];
            if (snprintf(child, sizeof child, "%s/%s", path, e->d_name) >= (int)sizeof child)
                rc = repro_error_set(err, REPRO_EIO, "path too long under %s", path);
            else
                rc = repro_remove_tree(child, err);
        }
        closedir(d);
        if (rc)
            return rc;
        if (rmdir(path))
            return repro_error_set(err, REPRO_EIO, "cannot remove %s: %s", path, strerror(errno));
        return REPRO_OK;
    }
    if (unlink(path))
        return repro_error_set(err, REPRO_EIO, "cannot remove %s: %s", path, strerror(errno));
    return REPRO_OK;
}

int repro_read_file(const char *path, char **text, size_t *len, repro_error *err)
{
    *text = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return repro_error_set(err, REPRO_EINVAL, "cannot open %s: %s", path, strerror(errno));
    size_t cap = 4096, n = 0;
    char *buf = repro_malloc(cap, 1, err);
    while (buf) {
        if (n + 1 >= cap) {
            char *b = realloc(buf, cap * 2);
            if (!b) {
                free(buf);
                buf = NULL;
                repro_error_set(err, REPRO_ENOMEM, "out of memory reading %s", path);
                break;
            }
            buf = b;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - 1 - n, f);
        n += got;
        if (got == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (!buf)
        return REPRO_ENOMEM;
    if (bad) {
        free(buf);
        return repro_error_set(err, REPRO_EIO, "error reading %s", path);
    }
    buf[n] = '\0';
    *text = buf;
    if (len)
        *len = n;
    return REPRO_OK;
}
