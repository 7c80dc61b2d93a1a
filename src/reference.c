/* reference.c - lookup of the embedded published tables (see reference.h). */
#include "repro/reference.h"

#include <stddef.h>
#include <string.h>

const char *repro_reference_csv(const char *path)
{
    for (const repro_reference_file *f = repro_reference_files; f->path; f++)
        if (strcmp(f->path, path) == 0)
            return f->text;
    return NULL;
}
