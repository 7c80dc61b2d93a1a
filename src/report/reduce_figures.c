/* reduce_figures.c - the paper's figures from the figure experiments of a
 * results set (PAPER.md, "Figures"; see reduce.h). */
#include "repro/reduce.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "repro/fsutil.h"
#include "repro/jsonnum.h"
#include "repro/plot.h"
#include "repro/stats.h"

/* The finished records of one experiment and model that have d features
 * (d taken from the first one) and, if need_imp, importances. */
typedef struct picked {
    size_t n, d;
    const repro_record **r;
} picked;

/* Collects the records of (exp, model). */
static int pick(const repro_result_set *set, const char *exp, const char *model, int need_imp,
                picked *p, repro_error *err)
{
    p->n = p->d = 0;
    p->r = repro_malloc(set->n + 1, sizeof *p->r, err);
    if (!p->r)
        return REPRO_ENOMEM;
    for (size_t i = 0; i < set->n; i++) {
        const repro_record *r = &set->rec[i];
        if (strcmp(r->experiment, exp) || strcmp(r->model, model) || r->status != REPRO_JOB_DONE ||
            !r->d || !r->truth || (need_imp ? !r->importance : !r->relevance))
            continue;
        if (p->n == 0)
            p->d = r->d;
        if (r->d == p->d)
            p->r[p->n++] = r;
    }
    return REPRO_OK;
}

/* Truth classes of the first picked record as ints. */
static int *truth_of(const picked *p, repro_error *err)
{
    int *cls = repro_malloc(p->d, sizeof *cls, err);
    for (size_t j = 0; cls && j < p->d; j++)
        cls[j] = p->r[0]->truth[j];
    return cls;
}

/* Distribution of the gain importances over the fits, with the 10/50/90 %
 * quantiles of the per-fit mean importance. */
static int fig_distimps(const picked *p, const char *stem, repro_error *err)
{
    double *x = repro_malloc(p->n * p->d, sizeof *x, err);
    double *mean = repro_malloc(p->n, sizeof *mean, err);
    int *cls = truth_of(p, err);
    int rc = x && mean && cls ? REPRO_OK : REPRO_ENOMEM;
    if (!rc) {
        for (size_t i = 0; i < p->n; i++) {
            double s = 0;
            for (size_t j = 0; j < p->d; j++)
                s += x[i * p->d + j] = p->r[i]->importance[j];
            mean[i] = s / (double)p->d;
        }
        repro_sort_doubles(mean, p->n); /* only its quantiles are needed */
        double q[3] = {repro_quantile_sorted(mean, p->n, 0.1), repro_quantile_sorted(mean, p->n, 0.5),
                       repro_quantile_sorted(mean, p->n, 0.9)};
        repro_chart c = {"Distribution of importance values", "feature", "gain importance", p->d,
                         cls, q, 3, "10, 50 and 90 % quantiles of the per-fit mean", 0};
        rc = repro_plot_boxes(stem, &c, x, p->n, err);
    }
    free(x);
    free(mean);
    free(cls);
    return rc;
}

/* How often each feature was selected over the picked runs. */
static int fig_frequency(const picked *p, const char *title, const char *stem, repro_error *err)
{
    double *f = repro_calloc(p->d, sizeof *f, err);
    int *cls = truth_of(p, err);
    int rc = f && cls ? REPRO_OK : REPRO_ENOMEM;
    if (!rc) {
        for (size_t i = 0; i < p->n; i++)
            for (size_t j = 0; j < p->d; j++)
                f[j] += p->r[i]->relevance[j] > 0;
        for (size_t j = 0; j < p->d; j++)
            f[j] /= (double)p->n;
        repro_chart c = {title, "feature", "frequency of selection", p->d, cls, NULL, 0, NULL, 1.0};
        rc = repro_plot_bars(stem, &c, f, NULL, NULL, err);
    }
    free(f);
    free(cls);
    return rc;
}

/* The SQ minimal model's importances against the upper shadow threshold. */
static int fig_threshold(const picked *p, const char *stem, repro_error *err)
{
    const repro_record *r = p->r[0];
    double sb[2];
    size_t n = 0;
    if (repro_json_numbers(r->extras_json, "shadow_bounds", sb, 2, &n) || n != 2)
        return repro_error_set(err, REPRO_EINVAL,
                               "%s/%s: extras have no shadow_bounds [lo, hi]", r->experiment,
                               r->dataset);
    unsigned char *pale = repro_calloc(p->d, 1, err);
    int *cls = truth_of(p, err);
    int rc = pale && cls ? REPRO_OK : REPRO_ENOMEM;
    if (!rc) {
        for (size_t j = 0; j < p->d; j++)
            pale[j] = !(r->importance[j] > sb[1]);
        repro_chart c = {"Minimal model importances and the upper shadow threshold", "feature",
                         "importance", p->d, cls, &sb[1], 1, "upper shadow threshold", 0};
        rc = repro_plot_bars(stem, &c, r->importance, pale, "below the threshold (pale)", err);
    }
    free(pale);
    free(cls);
    return rc;
}

int repro_reduce_figures(const repro_result_set *set, const char *dir, repro_reduce_stats *stats,
                         repro_error *err)
{
    static const char *const exps[2] = {REPRO_EXP_FIG_1FF, REPRO_EXP_FIG_01FF};
    static const char *const prefix[2] = {"1ff", "01ff"};
    char sub[4096], stem[4200];
    snprintf(sub, sizeof sub, "%s/figures/importance_plots", dir);
    int rc = repro_mkdirs(sub, err);
    picked p = {0, 0, NULL};
    for (int e = 0; e < 2 && !rc; e++) {
        /* distimps from Forest importances, freqimpsMR from RF, freqimpsAR from Boruta */
        static const char *const model[3] = {"Forest", "RF", "Boruta"};
        static const char *const kind[3] = {"distimps", "freqimpsMR", "freqimpsAR"};
        for (int k = 0; k < 3 && !rc; k++) {
            free(p.r);
            if ((rc = pick(set, exps[e], model[k], k == 0, &p, err)))
                break;
            stats->figures += 2;
            if (p.n == 0) {
                stats->figures_missing += 2;
                continue;
            }
            snprintf(stem, sizeof stem, "%s/%s%s", sub, prefix[e], kind[k]);
            if (k == 0)
                rc = fig_distimps(&p, stem, err);
            else
                rc = fig_frequency(&p,
                                   k == 1 ? "Frequency of inclusion in Minimal Feature Set (RFECV)"
                                          : "Frequency of inclusion in AllRel Set (Boruta)",
                                   stem, err);
        }
    }
    if (!rc) {
        snprintf(sub, sizeof sub, "%s/figures/featsel_threshold", dir);
        rc = repro_mkdirs(sub, err);
    }
    if (!rc) {
        free(p.r);
        rc = pick(set, REPRO_EXP_THRESHOLD, "SQ", 1, &p, err);
    }
    if (!rc) {
        stats->figures += 2;
        if (p.n == 0) {
            stats->figures_missing += 2;
        } else {
            snprintf(stem, sizeof stem, "%s/selection_with_statmethod", sub);
            rc = fig_threshold(&p, stem, err);
        }
    }
    free(p.r);
    return rc;
}
