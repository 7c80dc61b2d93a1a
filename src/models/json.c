/* json.c - JSON text for fit results (see json.h). */
#include "repro/json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Writes one number; JSON has no NaN or infinity, so those become null. */
void repro_json_number(FILE *out, double v, int integral)
{
    if (!isfinite(v))
        fputs("null", out);
    else if (integral)
        fprintf(out, "%.0f", v);
    else
        fprintf(out, "%.17g", v);
}

/* Writes a flat array of numbers. */
void repro_json_array(FILE *out, const double *v, size_t len, int integral)
{
    fputc('[', out);
    for (size_t i = 0; i < len; i++) {
        if (i)
            fputc(',', out);
        repro_json_number(out, v[i], integral);
    }
    fputc(']', out);
}

/* Writes a quoted string, escaping what JSON requires. */
void repro_json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fprintf(out, "\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            fprintf(out, "\\u%04x", *s);
        else
            fputc(*s, out);
    }
    fputc('"', out);
}

/* Writes each extra as a member of an already opened object. */
void repro_json_extras_members(FILE *out, const repro_fit_result *res, int first)
{
    for (size_t e = 0; e < res->n_extras; e++) {
        const repro_extra *x = &res->extras[e];
        if (e || !first)
            fputc(',', out);
        repro_json_string(out, x->name);
        fputc(':', out);
        if (x->len == 1 && strcmp(x->name, "AR") && strcmp(x->name, "MR"))
            repro_json_number(out, x->v[0], x->integral);
        else
            repro_json_array(out, x->v, x->len, x->integral);
    }
}

/* Builds the extras object in memory through a memory stream. */
int repro_json_extras(const repro_fit_result *res, char **text, repro_error *err)
{
    char *buf = NULL;
    size_t size = 0;
    *text = NULL;
    FILE *f = open_memstream(&buf, &size);
    if (!f)
        return repro_error_set(err, REPRO_ENOMEM, "out of memory writing the extras as JSON");
    fputc('{', f);
    repro_json_extras_members(f, res, 1);
    fputc('}', f);
    if (fclose(f) != 0 || !buf) {
        free(buf);
        return repro_error_set(err, REPRO_ENOMEM, "out of memory writing the extras as JSON");
    }
    *text = buf;
    return REPRO_OK;
}
