/* fri_ws.h - FRI's relevance-bound LPs on a working set of samples.
 *
 * Samples far outside the margin of every model near the init model do not
 * constrain a bound LP. The LP is first solved over the working set R (the
 * samples whose margin under the init model is below 1 + delta); the
 * other margin rows and their slacks are left out, which relaxes the problem.
 * If the relaxed optimum also satisfies every left-out margin with zero
 * slack, it is feasible, hence optimal, for the full problem; otherwise the
 * violated samples (and, with a grow band, those near the margin) join R and
 * the LP is solved again from the previous basis with the dual simplex. An infeasible relaxed
 * problem proves the full one infeasible. So results equal the full LP's up
 * to LP tolerance, at a fraction of the cost when few samples are near the
 * margin. R changes in a fixed order, so results are deterministic. With a
 * shrink band (repro_fri_ws_set_shrink_band), each such round also moves
 * the samples of R far from the margin at the relaxed optimum back out
 * (left out, or aggregated), so R follows the solution instead of keeping
 * every sample it ever needed; a sample leaves R at most a few times, so
 * every solve ends.
 *
 * With `aggregate`, samples well inside the wrong side of the margin under
 * the init model are not left out but aggregated: their slack is replaced by
 * 1 - y_i (w.x_i + b), summed into the loss row, and their margin rows are
 * dropped. Since every slack is at least that, this too relaxes the problem;
 * if the relaxed optimum leaves every aggregated margin at or below 1, the
 * slacks 1 - margin are non-negative and the point is feasible, hence
 * optimal; otherwise the samples above 1 join R as above. On data that are
 * not separable most samples are such violators, and the LPs shrink to the
 * samples near the margin. */
#ifndef REPRO_FRI_WS_H
#define REPRO_FRI_WS_H

#include <stddef.h>

#include "repro/error.h"
#include "repro/fri_lp.h"

/* Kinds of LP: min |w_j|, max w_j, max -w_j, or feasibility (zero cost). */
enum { REPRO_FRI_LOWER = 0, REPRO_FRI_UPPER_POS = 1, REPRO_FRI_UPPER_NEG = -1, REPRO_FRI_FEASIBLE = 2 };

typedef struct repro_fri_ws repro_fri_ws;

/* A working-set solver for the data X (n x d, labels y), with feature
 * perm_col of sample i taken from sample perm[i] when perm is not NULL (a
 * probe). w0, b0 are the init model and basis its basis on the full problem
 * (repro_fri_lp layout, all n rows); l1max and lossmax the limits; delta > 0
 * the margin band (samples with margin below 1 + delta join the working
 * set, those below 1 - delta are aggregated if `aggregate`). NULL on
 * allocation failure. */
repro_fri_ws *repro_fri_ws_new(const double *X, const int *y, size_t n, size_t d, size_t perm_col,
                               const size_t *perm, const double *w0, double b0,
                               const unsigned char *basis, double l1max, double lossmax,
                               int aggregate, double delta, repro_error *err);
/* Frees a working-set solver; NULL is a no-op. */
void repro_fri_ws_free(repro_fri_ws *ws);

/* Solves LP `kind` for feature j, warm-started from the previous solve (the
 * init basis at first). first_method is the simplex for the first round
 * (REPRO_FRI_PRIMAL after an objective change, REPRO_FRI_DUAL for a
 * feasibility check). On REPRO_FRI_LP_OPTIMAL writes the optimum as a bound:
 * min |w_j| for LOWER, max (+/-) w_j for UPPER_*, 0 for FEASIBLE. Returns
 * REPRO_FRI_LP_* or REPRO_ENOMEM + 16 when growing the working set ran out
 * of memory (err filled). */
int repro_fri_ws_solve(repro_fri_ws *ws, size_t j, int kind, int first_method, double *value,
                       repro_error *err);
#define REPRO_FRI_WS_NOMEM (REPRO_ENOMEM + 16)

/* Sets the grow band (delta of repro_fri_ws_new until set): when a round's
 * optimum violates a left-out or aggregated margin, the left-out samples
 * with margin below 1 + band and the aggregated ones above 1 - band join R.
 * A relaxed optimum overshoots (aggregated samples gain from margins above
 * 1), so a wide band brings in many rows the full optimum leaves inactive;
 * band 0 takes only the samples on the wrong side of 1: smaller LPs for a
 * few more rounds. Results do not depend on it (up to LP tolerance). */
void repro_fri_ws_set_grow_band(repro_fri_ws *ws, double band);

/* Sets the shrink band (0, R only grows, until set): when a round grows R,
 * samples of R whose margin at the relaxed optimum is above 1 + band (row
 * basic, slack zero) are left out and those below 1 - band (slack basic,
 * row at its bound; with aggregation) are aggregated. Each stays feasible
 * for the next relaxation's basis and is checked again after it, so results
 * do not depend on it (up to LP tolerance); on data with many samples near
 * the margin it keeps the LPs small. */
void repro_fri_ws_set_shrink_band(repro_fri_ws *ws, double band);

/* Sets a cutoff for the following solves (DBL_MAX: none): a round whose
 * relaxed minimum is proved above `cutoff` ends the solve, since the full
 * minimum is at least the relaxed one. Such a solve returns
 * REPRO_FRI_LP_INFEASIBLE (CLP's dual simplex stopped at the limit) or
 * REPRO_FRI_LP_OPTIMAL with a bound that is only known to be below -cutoff
 * (UPPER_*) or above it (LOWER). Meant for the dual simplex. */
void repro_fri_ws_set_cutoff(repro_fri_ws *ws, double cutoff);

/* Reinstalls the init basis (restricted to the current working set) so
 * that the next solve starts from the init model instead of the previous
 * optimum. With a shrink band, R goes back to its initial set first (it
 * followed the previous optimum) and each sample may leave it again as
 * often as at first; if that reload runs out of memory, the next solve
 * returns REPRO_FRI_WS_NOMEM. */
void repro_fri_ws_restart(repro_fri_ws *ws);

/* 1 if the model (w, b) on X (n x d, labels y) with w_j set to 0 still
 * meets the loss limit: sum_i max(0, 1 - y_i (w.x_i + b)) <= lossmax, with
 * a relative margin of 1e-9 against rounding. Its L1 norm only shrinks, so
 * for the init model (w, b) this is a feasible point of every bound LP with
 * w_j = 0: min |w_j| is exactly 0 without an LP, and so is every lower probe
 * of column j (permuting a column of zero weight changes nothing). O(n d). */
int repro_fri_drop_feasible(const double *X, const int *y, size_t n, size_t d, const double *w,
                            double b, size_t j, double lossmax);

/* Simplex solves so far (rounds and retries included). */
size_t repro_fri_ws_count(const repro_fri_ws *ws);
/* Current working-set size. */
size_t repro_fri_ws_rows(const repro_fri_ws *ws);

#endif
