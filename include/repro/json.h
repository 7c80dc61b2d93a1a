/* json.h - the small JSON writer shared by `fit --json` and the results file
 * (a model's extras as one JSON object). */
#ifndef REPRO_JSON_H
#define REPRO_JSON_H

#include <stddef.h>
#include <stdio.h>

#include "repro/error.h"
#include "repro/model.h"

/* Writes v as a JSON number (%.17g, or %.0f if integral); non-finite -> null. */
void repro_json_number(FILE *out, double v, int integral);
/* Writes v[0..len) as a JSON array of numbers. */
void repro_json_array(FILE *out, const double *v, size_t len, int integral);
/* Writes s as a JSON string with quotes, backslashes and control characters escaped. */
void repro_json_string(FILE *out, const char *s);
/* Writes the extras of a fit as `"name":value` members separated by commas
 * (a 1-element extra is a number unless it is a feature list "AR" or "MR"),
 * each preceded by a comma too unless `first` (then the first is not). */
void repro_json_extras_members(FILE *out, const repro_fit_result *res, int first);
/* Allocates the extras of a fit as one JSON object text ("{}" when none) in
 * *text (free with free()). */
int repro_json_extras(const repro_fit_result *res, char **text, repro_error *err);

#endif
