/* jsonnum.h - reads the numbers of one key of a flat JSON object (the
 * models' extras), without a full JSON parser. */
#ifndef REPRO_JSONNUM_H
#define REPRO_JSONNUM_H

#include <stddef.h>

/* Finds "key" at the top level of the object text and reads its value: a
 * number or an array of numbers (null reads as NAN). Stores at most max
 * numbers in out and their count in *n. Returns 0 on success, -1 if the key
 * is absent or its value is not numeric. */
int repro_json_numbers(const char *json, const char *key, double *out, size_t max, size_t *n);

#endif
