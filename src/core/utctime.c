/* utctime.c - the current UTC time as text (see utctime.h). */
#include "repro/utctime.h"

#include <time.h>

/* Formats time(NULL) in UTC, so the text is the same whatever the time zone. */
void repro_utc_now(char *buf, size_t size)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
