/* plot.c - bar charts and box plots per feature with PLplot (see plot.h). */
#include "repro/plot.h"
#include "repro/stats.h"

#include <math.h>
#include <plplot/plplot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#if defined(__SANITIZE_ADDRESS__)
/* Under AddressSanitizer: fontconfig (loaded by PLplot's cairo drivers)
 * keeps its font caches until exit; they are not our leaks. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}
#endif

/* Colour map 0 slots we set: background, ink, grid, class colours. */
enum { COL_BG = 0, COL_INK = 1, COL_GRID = 2, COL_LINE = 3, COL_CLASS = 4, COL_PALE = 8 };

static const int CLASS_RGB[4][3] = {
    {150, 150, 150}, /* irrelevant: grey */
    {230, 126, 34},  /* weakly relevant: orange */
    {31, 97, 170},   /* strongly relevant: blue */
    {90, 90, 90},    /* unknown: dark grey */
};
static const char *const CLASS_NAME[3] = {"irrelevant", "weakly relevant", "strongly relevant"};

/* Colour slot of a truth class. */
static int class_slot(int cls, int pale)
{
    int k = (cls >= 0 && cls <= 2) ? cls : 3;
    return (pale ? COL_PALE : COL_CLASS) + k;
}

/* Starts a new PLplot stream for one file on a white page. */
static void page_begin(const char *dev, const char *path)
{
    PLINT strm;
    plmkstrm(&strm);
    plsdev(dev);
    plsfnam(path);
    plspage(0, 0, 800, 600, 0, 0);
    plscmap0n(16);
    plscolbg(255, 255, 255);
    plscol0(COL_BG, 255, 255, 255);
    plscol0(COL_INK, 20, 20, 20);
    plscol0(COL_GRID, 215, 215, 215);
    plscol0(COL_LINE, 192, 57, 43);
    for (int k = 0; k < 4; k++) {
        plscol0(COL_CLASS + k, CLASS_RGB[k][0], CLASS_RGB[k][1], CLASS_RGB[k][2]);
        plscol0(COL_PALE + k, 255 - (255 - CLASS_RGB[k][0]) * 35 / 100,
                255 - (255 - CLASS_RGB[k][1]) * 35 / 100, 255 - (255 - CLASS_RGB[k][2]) * 35 / 100);
    }
    plinit();
    pladv(0);
    plschr(0, 0.95);
    plfont(1);
}

/* Draws the frame, grid, labels and title for x in [0.5, d+0.5] and y in
 * [ylo, yhi]. */
static void frame(const repro_chart *c, double ylo, double yhi)
{
    plvpor(0.12, 0.97, 0.13, 0.79);
    plwind(-0.5, (double)c->d - 0.5, ylo, yhi);
    plcol0(COL_GRID);
    plwidth(0.5);
    plbox("", 0, 0, "g", 0, 0);
    plwidth(1.0);
}

/* Width of a legend entry in the legend viewport's [0,1] coordinates. */
static double legend_width(const char *text)
{
    return 0.022 * 1.5 + 0.0112 * (double)strlen(text) + 0.03;
}

/* Draws one legend entry at (x, y) of the legend viewport: a box of colour
 * slot (or a dashed line if slot < 0) and its text. */
static void legend_entry(double x, double y, int slot, const char *text)
{
    double bw = 0.022, h = 0.17;
    if (slot >= 0) {
        double bx[4] = {x, x + bw, x + bw, x}, by[4] = {y - h, y - h, y + h, y + h};
        plcol0(slot);
        plfill(4, bx, by);
    } else {
        plcol0(COL_LINE);
        pllsty(2);
        plwidth(1.5);
        pljoin(x - 0.005, y, x + bw + 0.005, y);
        pllsty(1);
        plwidth(1.0);
    }
    plcol0(COL_INK);
    plptex(x + bw * 1.5, y, 1, 0, 0, text);
}

/* Draws axes, labels and title, then the legend in one or two rows above
 * the frame. */
static void axes_and_legend(const repro_chart *c, const unsigned char *pale,
                            const char *pale_label)
{
    plcol0(COL_INK);
    plwidth(1.2);
    plbox("bcnst", c->d > 20 ? 5.0 : 1.0, 1, "bcnstv", 0, 0);
    plschr(0, 1.1);
    pllab(c->xlabel, c->ylabel, "");
    plmtex("t", 5.2, 0.5, 0.5, c->title);
    plschr(0, 0.85);
    int present[4] = {0};
    for (size_t j = 0; j < c->d; j++)
        present[(c->cls[j] >= 0 && c->cls[j] <= 2) ? c->cls[j] : 3] = 1;
    int any_pale = 0;
    for (size_t j = 0; pale && j < c->d; j++)
        any_pale |= pale[j];
    const char *text[6];
    int slot[6], n = 0;
    for (int k = 2; k >= 0; k--)
        if (present[k]) {
            text[n] = CLASS_NAME[k];
            slot[n++] = class_slot(k, 0);
        }
    if (any_pale && pale_label) {
        text[n] = pale_label;
        slot[n++] = class_slot(3, 1);
    }
    if (c->n_hline && c->hline_label) {
        text[n] = c->hline_label;
        slot[n++] = -1;
    }
    double total = 0;
    for (int i = 0; i < n; i++)
        total += legend_width(text[i]);
    plvpor(0.12, 0.97, 0.80, 0.90);
    plwind(0, 1, 0, 1);
    double x = 0, y = total <= 1 ? 0.5 : 0.75;
    for (int i = 0; i < n; i++) {
        if (x > 0 && x + legend_width(text[i]) > 1) {
            x = 0;
            y = 0.2;
        }
        legend_entry(x + (slot[i] < 0 ? 0.005 : 0), y, slot[i], text[i]);
        x += legend_width(text[i]);
    }
    plschr(0, 0.95);
}

/* Draws the horizontal reference lines. */
static void hlines(const repro_chart *c)
{
    plcol0(COL_LINE);
    pllsty(2);
    plwidth(1.5);
    for (size_t i = 0; i < c->n_hline; i++)
        if (isfinite(c->hline[i]))
            pljoin(-0.5, c->hline[i], (double)c->d - 0.5, c->hline[i]);
    pllsty(1);
    plwidth(1.0);
}

/* Checks that a drawn file exists and is not empty. */
static int check_file(const char *path, repro_error *err)
{
    struct stat st;
    if (stat(path, &st) || st.st_size == 0)
        return repro_error_set(err, REPRO_EIO, "PLplot did not write %s", path);
    return REPRO_OK;
}

/* Range of the y axis: from min(0, lo) to hi plus head room for the legend. */
static void y_range(double lo, double hi, double *ylo, double *yhi)
{
    *ylo = lo < 0 ? lo * 1.1 : 0;
    if (!(hi > *ylo))
        hi = *ylo + 1;
    *yhi = hi + (hi - *ylo) * 0.05;
}

int repro_plot_bars(const char *stem, const repro_chart *c, const double *values,
                    const unsigned char *pale, const char *pale_label, repro_error *err)
{
    double lo = 0, hi = 0;
    for (size_t j = 0; j < c->d; j++) {
        if (isfinite(values[j]) && values[j] < lo)
            lo = values[j];
        if (isfinite(values[j]) && values[j] > hi)
            hi = values[j];
    }
    for (size_t i = 0; i < c->n_hline; i++)
        if (isfinite(c->hline[i]) && c->hline[i] > hi)
            hi = c->hline[i];
    if (c->ymax > hi)
        hi = c->ymax;
    double ylo, yhi;
    y_range(lo, hi, &ylo, &yhi);
    const char *dev[2] = {"pdfcairo", "pngcairo"}, *ext[2] = {"pdf", "png"};
    for (int k = 0; k < 2; k++) {
        char path[4096];
        snprintf(path, sizeof path, "%s.%s", stem, ext[k]);
        page_begin(dev[k], path);
        frame(c, ylo, yhi);
        for (size_t j = 0; j < c->d; j++) {
            if (!isfinite(values[j]))
                continue;
            double x = (double)j;
            double bx[4] = {x - 0.35, x + 0.35, x + 0.35, x - 0.35};
            double by[4] = {0, 0, values[j], values[j]};
            plcol0(class_slot(c->cls[j], pale && pale[j]));
            plfill(4, bx, by);
            plcol0(COL_INK);
            plwidth(0.6);
            double ox[5] = {bx[0], bx[1], bx[2], bx[3], bx[0]}, oy[5] = {0, 0, by[2], by[3], 0};
            plline(5, ox, oy);
            plwidth(1.0);
        }
        hlines(c);
        axes_and_legend(c, pale, pale_label);
        plend1();
        int rc = check_file(path, err);
        if (rc)
            return rc;
    }
    return REPRO_OK;
}

/* Draws one box of values v[n] (sorted ascending) at x. */
static void draw_box(double x, const double *v, size_t n, int slot)
{
    double q1 = repro_quantile_sorted(v, n, 0.25), med = repro_quantile_sorted(v, n, 0.5),
           q3 = repro_quantile_sorted(v, n, 0.75);
    double iqr = q3 - q1, wlo = q1, whi = q3;
    for (size_t i = 0; i < n; i++) {
        if (v[i] >= q1 - 1.5 * iqr && v[i] < wlo)
            wlo = v[i];
        if (v[i] <= q3 + 1.5 * iqr && v[i] > whi)
            whi = v[i];
    }
    double w = 0.3;
    double bx[5] = {x - w, x + w, x + w, x - w, x - w}, by[5] = {q1, q1, q3, q3, q1};
    plcol0(slot);
    plfill(4, bx, by);
    plcol0(COL_INK);
    plwidth(0.8);
    plline(5, bx, by);
    pljoin(x, q3, x, whi);
    pljoin(x, q1, x, wlo);
    pljoin(x - w / 2, whi, x + w / 2, whi);
    pljoin(x - w / 2, wlo, x + w / 2, wlo);
    plwidth(2.0);
    pljoin(x - w, med, x + w, med);
    plwidth(1.0);
    for (size_t i = 0; i < n; i++)
        if (v[i] < wlo || v[i] > whi) {
            double px = x, py = v[i];
            plpoin(1, &px, &py, 4);
        }
}

int repro_plot_boxes(const char *stem, const repro_chart *c, const double *x, size_t n,
                     repro_error *err)
{
    double *col = repro_malloc(n ? n : 1, sizeof *col, err);
    if (!col)
        return REPRO_ENOMEM;
    double lo = 0, hi = 0;
    for (size_t i = 0; i < n * c->d; i++) {
        if (x[i] < lo)
            lo = x[i];
        if (x[i] > hi)
            hi = x[i];
    }
    for (size_t i = 0; i < c->n_hline; i++)
        if (isfinite(c->hline[i]) && c->hline[i] > hi)
            hi = c->hline[i];
    double ylo, yhi;
    y_range(lo, hi, &ylo, &yhi);
    const char *dev[2] = {"pdfcairo", "pngcairo"}, *ext[2] = {"pdf", "png"};
    int rc = REPRO_OK;
    for (int k = 0; k < 2 && !rc; k++) {
        char path[4096];
        snprintf(path, sizeof path, "%s.%s", stem, ext[k]);
        page_begin(dev[k], path);
        frame(c, ylo, yhi);
        for (size_t j = 0; j < c->d; j++) {
            for (size_t i = 0; i < n; i++)
                col[i] = x[i * c->d + j];
            repro_sort_doubles(col, n);
            draw_box((double)j, col, n, class_slot(c->cls[j], 0));
        }
        hlines(c);
        axes_and_legend(c, NULL, NULL);
        plend1();
        rc = check_file(path, err);
    }
    free(col);
    return rc;
}

int repro_plot_bands(const char *stem, const char *title, const char *xlabel, size_t n,
                     const double *lo, const double *hi, const double *mean, const double *paper,
                     repro_error *err)
{
    const char *dev[2] = {"pdfcairo", "pngcairo"}, *ext[2] = {"pdf", "png"};
    repro_chart c = {title, xlabel, "score", n ? n : 1, NULL, NULL, 0, NULL, 1.0};
    for (int k = 0; k < 2; k++) {
        char path[4096];
        snprintf(path, sizeof path, "%s.%s", stem, ext[k]);
        page_begin(dev[k], path);
        frame(&c, -0.02, 1.05);
        for (size_t i = 0; i < n; i++) {
            double x = (double)i;
            if (isfinite(lo[i]) && isfinite(hi[i])) {
                int meets = isfinite(paper[i]) && paper[i] + 0.005 >= lo[i] && paper[i] - 0.005 <= hi[i];
                double top = hi[i] > lo[i] + 0.004 ? hi[i] : lo[i] + 0.004; /* a point band stays visible */
                double bx[4] = {x - 0.3, x + 0.3, x + 0.3, x - 0.3}, by[4] = {lo[i], lo[i], top, top};
                plcol0(class_slot(meets ? 2 : 1, 1));
                plfill(4, bx, by);
                plcol0(class_slot(meets ? 2 : 1, 0));
                plwidth(0.8);
                double ox[5] = {bx[0], bx[1], bx[2], bx[3], bx[0]}, oy[5] = {by[0], by[1], by[2], by[3], by[0]};
                plline(5, ox, oy);
                plwidth(1.0);
            }
            if (isfinite(mean[i])) {
                double px = x, py = mean[i];
                plcol0(COL_INK);
                plpoin(1, &px, &py, 17);
            }
            if (isfinite(paper[i])) {
                double px = x, py = paper[i];
                plcol0(COL_LINE);
                plschr(0, 1.3);
                plpoin(1, &px, &py, 5);
                plschr(0, 0.95);
            }
        }
        plcol0(COL_INK);
        plwidth(1.2);
        plbox("bcnst", n > 40 ? 10.0 : n > 20 ? 5.0 : 1.0, 1, "bcnstv", 0, 0);
        plschr(0, 1.1);
        pllab(xlabel, "score", "");
        plmtex("t", 5.2, 0.5, 0.5, title);
        plschr(0, 0.8);
        plmtex("t", 2.5, 0.5, 0.5,
               "bar: our 95 % band (blue: meets the paper, orange: not); dot: our mean; x: paper");
        plschr(0, 0.95);
        plend1();
        int rc = check_file(path, err);
        if (rc)
            return rc;
    }
    return REPRO_OK;
}
