/* fsutil.c - directory creation, tree removal, whole-file reads (see fsutil.h). */
#include "repro/fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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

/* The lock file's name for path. */
static int lock_name(const char *path, char *buf, size_t size)
{
    return snprintf(buf, size, "%s.lock", path) < (int)size;
}

int repro_lock_take(const char *path, int *fd, repro_error *err)
{
    char name[4096];
    *fd = -1;
    if (!lock_name(path, name, sizeof name))
        return repro_error_set(err, REPRO_EINVAL, "path too long: %s", path);
    /* a holder that ends removes the file after we opened it: then our lock
     * would be on a removed file, so check that the name still leads to it */
    for (int attempt = 0; attempt < 20; attempt++) {
        int f = open(name, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (f < 0)
            return repro_error_set(err, errno == ENOENT || errno == EACCES || errno == EROFS ? REPRO_EINVAL : REPRO_EIO,
                                   "cannot create %s: %s", name, strerror(errno));
        struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
        if (fcntl(f, F_SETLK, &fl) != 0) {
            int e = errno;
            char who[256] = "";
            ssize_t n = pread(f, who, sizeof who - 1, 0);
            who[n > 0 ? n : 0] = '\0';
            who[strcspn(who, "\n")] = '\0';
            close(f);
            if (e == EACCES || e == EAGAIN) {
                char host[128] = "?";
                long pid = 0;
                if (sscanf(who, "host %127s pid %ld", host, &pid) == 2)
                    return repro_error_set(err, REPRO_EINVAL,
                                           "%s is in use by another run (host %s, pid %ld; lock %s): "
                                           "one run per results file at a time",
                                           path, host, pid, name);
                return repro_error_set(err, REPRO_EINVAL, "%s is in use by another run (lock %s)", path, name);
            }
            return repro_error_set(err, REPRO_EIO, "cannot lock %s: %s", name, strerror(e));
        }
        struct stat a, b;
        if (fstat(f, &a) == 0 && stat(name, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
            char host[128] = "unknown", line[256];
            if (gethostname(host, sizeof host) != 0)
                snprintf(host, sizeof host, "unknown");
            host[sizeof host - 1] = '\0';
            int len = snprintf(line, sizeof line, "host %s pid %ld\n", host, (long)getpid());
            if (ftruncate(f, 0) != 0 || pwrite(f, line, (size_t)len, 0) != len) {
                int e = errno;
                close(f);
                return repro_error_set(err, REPRO_EIO, "cannot write %s: %s", name, strerror(e));
            }
            *fd = f;
            return REPRO_OK;
        }
        close(f); /* removed or replaced meanwhile: try again */
    }
    return repro_error_set(err, REPRO_EIO, "cannot lock %s: it keeps being replaced", name);
}

void repro_lock_release(const char *path, int fd)
{
    if (fd < 0)
        return;
    char name[4096];
    if (lock_name(path, name, sizeof name))
        unlink(name); /* while still holding the lock, so nobody else holds a removed one */
    close(fd);
}
