/* gbdt_ref.h - the reference boosted-trees fit of bench_gbdt (gbdt_ref.c). */
#ifndef BENCH_GBDT_REF_H
#define BENCH_GBDT_REF_H

#include "repro/gbdt.h"

/* repro_gbdt_fit_bins as of d6c95eb: same contract, same results. */
int bench_gbdt_ref_fit_bins(const repro_forest_bins *bins, const int *y, const repro_gbdt_params *p,
                            repro_gbdt **out, repro_error *err);

#endif
