/* tokenize.c - walking comma-separated lists (see tokenize.h). */
#include "repro/tokenize.h"

#include <stdio.h>
#include <string.h>

/* Whether c is a blank that trimming removes. */
static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Cuts the text at the next comma; after the last item *at becomes NULL, so
 * a trailing comma still yields its (empty) item. */
int repro_list_next(const char **at, const char **item, size_t *len, int trim)
{
    const char *s = *at;
    if (!s)
        return 0;
    size_t k = strcspn(s, ",");
    *at = s[k] == ',' ? s + k + 1 : NULL;
    size_t lo = 0, hi = k;
    if (trim) {
        while (lo < hi && is_blank(s[lo]))
            lo++;
        while (hi > lo && is_blank(s[hi - 1]))
            hi--;
    }
    *item = s + lo;
    *len = hi - lo;
    return 1;
}

/* snprintf with a precision: never reads past len, always terminates. */
void repro_list_copy(const char *item, size_t len, char *buf, size_t size)
{
    if (size)
        snprintf(buf, size, "%.*s", (int)(len < size ? len : size - 1), item);
}
