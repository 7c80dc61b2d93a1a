/* plot.h - the two chart kinds of the paper's figures (bar charts and box
 * plots per feature), drawn with PLplot's cairo drivers as PDF and PNG on a
 * white page, one colour per relevance class. PLplot keeps global state:
 * call these from one thread. */
#ifndef REPRO_PLOT_H
#define REPRO_PLOT_H

#include <stddef.h>

#include "repro/error.h"

/* One chart over d features. */
typedef struct repro_chart {
    const char *title;
    const char *xlabel;
    const char *ylabel;
    size_t d;
    const int *cls;         /* truth class per feature (0, 1, 2; else grey) */
    const double *hline;    /* horizontal reference lines, may be NULL */
    size_t n_hline;
    const char *hline_label;/* legend text of the lines, or NULL */
    double ymax;            /* the y axis reaches at least this (0: automatic) */
} repro_chart;

/* Bar chart of values[d] into STEM.pdf and STEM.png. If pale is not NULL,
 * bars with pale[j] set are drawn in a light tint of their colour and
 * pale_label names them in the legend. */
int repro_plot_bars(const char *stem, const repro_chart *c, const double *values,
                    const unsigned char *pale, const char *pale_label, repro_error *err);

/* Box plot per feature of the n x d matrix x (row-major: one row per fit)
 * into STEM.pdf and STEM.png: boxes from the 25 % to the 75 % quantile,
 * median line, whiskers to the furthest point within 1.5 box lengths,
 * points beyond. */
int repro_plot_boxes(const char *stem, const repro_chart *c, const double *x, size_t n,
                     repro_error *err);

/* Per cell i of n: our band [lo[i], hi[i]] as a bar (blue when the paper's
 * value meets it, orange when not), our mean as a dot and the paper's
 * value paper[i] as a red cross, into STEM.pdf and STEM.png; y in [0, 1]
 * (scores). Cells with a NAN band draw only what they have. */
int repro_plot_bands(const char *stem, const char *title, const char *xlabel, size_t n,
                     const double *lo, const double *hi, const double *mean, const double *paper,
                     repro_error *err);

#endif
