/* progress.c - the running jobs as text (see progress.h). */
#include "repro/progress.h"

#include <stdio.h>

/* Formats seconds as h:mm:ss ("?" when negative: unknown). */
static void hms(char *buf, size_t size, double s)
{
    if (s < 0) {
        snprintf(buf, size, "?");
        return;
    }
    long t = (long)(s + 0.5);
    snprintf(buf, size, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
}

void repro_progress_tail(const repro_progress *p, size_t max_jobs, char *buf, size_t size)
{
    if (!size)
        return;
    buf[0] = '\0';
    if (p->final || p->queued || !p->n_running || !p->running)
        return;
    size_t at = (size_t)snprintf(buf, size, " | running:");
    for (size_t i = 0; i < p->n_running && i < max_jobs && at < size; i++) {
        const repro_running *r = &p->running[i];
        char ran[32], exp[32];
        hms(ran, sizeof ran, r->seconds);
        hms(exp, sizeof exp, r->expected);
        at += (size_t)snprintf(buf + at, size - at, "%s %s on %s %s of ~%s", i ? "," : "",
                               r->job->params->type->name, r->job->ds->name, ran, exp);
    }
    if (p->n_running > max_jobs && at < size)
        snprintf(buf + at, size - at, ", +%zu more", p->n_running - max_jobs);
}
