/* utctime.h - the wall-clock time as recorded in results files and reports. */
#ifndef REPRO_UTCTIME_H
#define REPRO_UTCTIME_H

#include <stddef.h>

/* Current UTC time as "YYYY-MM-DDTHH:MM:SSZ" (ISO 8601; size >= 21). */
void repro_utc_now(char *buf, size_t size);

#endif
