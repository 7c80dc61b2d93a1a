/* paths.c - locating the shipped data folder and job files. */
#include "repro/paths.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define REPRO_PATH_MAX 4096

/* True when path names an existing directory. */
static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* True when path names an existing regular file. */
static int is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* True when dir is a data folder, i.e. has a jobs/ subfolder. */
static int has_jobs(const char *dir)
{
    char jobs[REPRO_PATH_MAX];
    int n = snprintf(jobs, sizeof jobs, "%s/jobs", dir);
    return n > 0 && (size_t)n < sizeof jobs && is_dir(jobs);
}

/* Writes EXE_DIR/../share/repro_mpi for the running binary into buf (Linux
 * /proc/self/exe); returns 0 on success, -1 if the binary cannot be found. */
static int exe_datadir(char *buf, size_t size)
{
    char exe[REPRO_PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return -1;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return -1;
    *slash = '\0';
    int m = snprintf(buf, size, "%s/../share/repro_mpi", exe);
    return m > 0 && (size_t)m < size ? 0 : -1;
}

/* Copies src into buf; returns REPRO_OK or REPRO_EINVAL if it does not fit. */
static int copy_path(char *buf, size_t size, const char *src, repro_error *err)
{
    int n = snprintf(buf, size, "%s", src);
    if (n < 0 || (size_t)n >= size)
        return repro_error_set(err, REPRO_EINVAL, "path too long: %s", src);
    return REPRO_OK;
}

int repro_datadir(char *buf, size_t size, repro_error *err)
{
    const char *env = getenv("REPRO_DATADIR");
    if (env && *env) {
        if (has_jobs(env))
            return copy_path(buf, size, env, err);
        return repro_error_set(err, REPRO_EIO, "REPRO_DATADIR='%s' has no jobs/ folder", env);
    }
    char exe[REPRO_PATH_MAX];
    if (exe_datadir(exe, sizeof exe) == 0 && has_jobs(exe))
        return copy_path(buf, size, exe, err);
    if (has_jobs(REPRO_SOURCE_DIR))
        return copy_path(buf, size, REPRO_SOURCE_DIR, err);
    if (has_jobs(REPRO_INSTALL_DATADIR))
        return copy_path(buf, size, REPRO_INSTALL_DATADIR, err);
    return repro_error_set(err, REPRO_EIO,
                           "no job files found (looked for jobs/ next to the binary in "
                           "../share/repro_mpi, in %s and in %s; set REPRO_DATADIR)",
                           REPRO_SOURCE_DIR, REPRO_INSTALL_DATADIR);
}

int repro_jobfile_resolve(const char *arg, char *buf, size_t size, repro_error *err)
{
    if (!arg || !*arg)
        return repro_error_set(err, REPRO_EINVAL, "empty job file name");
    if (is_file(arg))
        return copy_path(buf, size, arg, err);
    char dir[REPRO_PATH_MAX];
    repro_error derr;
    repro_error_clear(&derr);
    if (!strchr(arg, '/') && repro_datadir(dir, sizeof dir, &derr) == REPRO_OK) {
        static const char *const suffixes[] = {"", ".ini"};
        for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
            char cand[REPRO_PATH_MAX];
            int n = snprintf(cand, sizeof cand, "%s/jobs/%s%s", dir, arg, suffixes[i]);
            if (n > 0 && (size_t)n < sizeof cand && is_file(cand))
                return copy_path(buf, size, cand, err);
        }
    }
    return repro_error_set(err, REPRO_EINVAL, "job file '%s' not found (neither a file nor a shipped job name)",
                           arg);
}
