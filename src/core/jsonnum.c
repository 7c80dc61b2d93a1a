/* jsonnum.c - numbers of one key of a flat JSON object (see jsonnum.h). */
#include "repro/jsonnum.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Skips white space. */
static const char *skip_ws(const char *p)
{
    while (*p && isspace((unsigned char)*p))
        p++;
    return p;
}

/* Skips a JSON string starting at its opening quote; returns the position
 * after the closing quote, or NULL. */
static const char *skip_string(const char *p)
{
    for (p++; *p; p++) {
        if (*p == '\\' && p[1])
            p++;
        else if (*p == '"')
            return p + 1;
    }
    return NULL;
}

/* Reads one number (or null) at p into *v; returns the position after it
 * or NULL. */
static const char *read_number(const char *p, double *v)
{
    if (strncmp(p, "null", 4) == 0) {
        *v = NAN;
        return p + 4;
    }
    char *end = NULL;
    *v = strtod(p, &end);
    return end == p ? NULL : end;
}

int repro_json_numbers(const char *json, const char *key, double *out, size_t max, size_t *n)
{
    *n = 0;
    if (!json)
        return -1;
    size_t klen = strlen(key);
    int depth = 0;
    for (const char *p = json; *p;) {
        if (*p == '"') {
            const char *e = skip_string(p);
            if (!e)
                return -1;
            int match = depth == 1 && (size_t)(e - p) == klen + 2 && strncmp(p + 1, key, klen) == 0;
            p = skip_ws(e);
            if (match && *p == ':') {
                p = skip_ws(p + 1);
                double v;
                if (*p != '[') {
                    if (!read_number(p, &v))
                        return -1;
                    if (max)
                        out[0] = v;
                    *n = 1;
                    return 0;
                }
                p = skip_ws(p + 1);
                if (*p == ']')
                    return 0;
                for (;;) {
                    p = read_number(skip_ws(p), &v);
                    if (!p)
                        return -1;
                    if (*n < max)
                        out[*n] = v;
                    (*n)++;
                    p = skip_ws(p);
                    if (*p == ']')
                        return 0;
                    if (*p != ',')
                        return -1;
                    p++;
                }
            }
            continue;
        }
        if (*p == '{' || *p == '[')
            depth++;
        else if (*p == '}' || *p == ']')
            depth--;
        p++;
    }
    return -1;
}
