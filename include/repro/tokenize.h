/* tokenize.h - the one reader of comma-separated lists ("SQ, RF",
 * "123,9001-9019", "n=150,strong=6"): model lists, model filters, seed lists
 * and data specs all walk their text with it. */
#ifndef REPRO_TOKENIZE_H
#define REPRO_TOKENIZE_H

#include <stddef.h>

/* Takes the next item of a comma-separated list. *at starts at the text;
 * returns 1 with the item in (*item, *len) (not NUL-terminated; blanks, i.e.
 * spaces and tabs, trimmed at both ends if trim) and *at moved past the
 * item's comma, or 0 when the list is used up. Every comma ends an item, so
 * empty items are returned too ("a,,b" and "a," have an empty second item; ""
 * is one empty item): callers decide whether to skip or refuse them. */
int repro_list_next(const char **at, const char **item, size_t *len, int trim);

/* Copies an item into buf as a NUL-terminated string (cut to size - 1). */
void repro_list_copy(const char *item, size_t len, char *buf, size_t size);

#endif
