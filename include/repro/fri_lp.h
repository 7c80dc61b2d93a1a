/* fri_lp.h - the linear programs behind FRI (ALGORITHMS.md §8), solved with
 * COIN-OR CLP through its C interface.
 *
 * Every FRI LP on a data set shares one constraint matrix. Columns:
 *   w+_0..w+_{d-1}, w-_0..w-_{d-1}  (w = w+ - w-, all >= 0)
 *   b                                (free)
 *   xi_0..xi_{m-1}                   (slacks, >= 0)
 * Rows:
 *   i < m:  y_i (x_i.(w+ - w-) + b) + xi_i >= 1     (margin of sample i)
 *   m:      sum (w+ + w-) <= L1 limit               (infinite for the SVM fit)
 *   m+1:    sum xi        <= loss limit             (infinite for the SVM fit)
 * Only objectives, the two limits and (for probes) one feature's column change
 * between solves, so a solved basis can warm-start the next LP. */
#ifndef REPRO_FRI_LP_H
#define REPRO_FRI_LP_H

#include <stddef.h>

#include "repro/error.h"

/* The problem data in CLP's column-major form, built once and shared
 * read-only between threads. */
typedef struct repro_fri_lp {
    size_t m, d;       /* samples (margin rows) and features */
    int ncols, nrows;  /* 2d + 1 + m columns, m + 2 rows */
    int *start;        /* ncols + 1 column starts */
    int *index;        /* row of each element */
    double *value;     /* the elements */
    double *collb, *colub, *rowlb, *rowub;
} repro_fri_lp;

/* Column numbers of the layout above. */
#define REPRO_FRI_WPOS(lp, j) ((int)(j))
#define REPRO_FRI_WNEG(lp, j) ((int)((lp)->d + (j)))
#define REPRO_FRI_B(lp) ((int)(2 * (lp)->d))
#define REPRO_FRI_XI(lp, i) ((int)(2 * (lp)->d + 1 + (i)))

/* Builds the matrix for the samples rows[0..m) of X (n x d, row-major, labels
 * y in {-1,+1}); rows == NULL means all n samples in order (m = n). If perm
 * is not NULL (n entries), feature perm_col of each sample r is taken from
 * sample perm[r] (a probe: one column's rows permuted). The two
 * limit rows start unbounded. Fails with REPRO_ENOMEM or, for a problem too
 * large for CLP's int indices, REPRO_EINVAL. */
int repro_fri_lp_build(const double *X, const int *y, size_t n, size_t d, const size_t *rows,
                       size_t m, size_t perm_col, const size_t *perm, repro_fri_lp *lp,
                       repro_error *err);
/* As repro_fri_lp_build, and if agg is not NULL (d + 1 values a_0..a_{d-1},
 * a_b) the loss row also carries -(a.w + a_b b): the hinge terms
 * 1 - y_i (w.x_i + b) of samples taken out of the margin rows, summed into
 * a = sum y_i x_i, a_b = sum y_i (the caller lowers the loss limit by their
 * count). */
int repro_fri_lp_build_agg(const double *X, const int *y, size_t n, size_t d, const size_t *rows,
                           size_t m, size_t perm_col, const size_t *perm, const double *agg,
                           repro_fri_lp *lp, repro_error *err);
/* Frees what lp owns; safe on a zeroed struct. */
void repro_fri_lp_free(repro_fri_lp *lp);

/* Outcome of one solve. */
enum { REPRO_FRI_LP_OPTIMAL = 0, REPRO_FRI_LP_INFEASIBLE = 1, REPRO_FRI_LP_FAILED = 2 };

/* An opaque CLP model loaded with lp (log silenced), minimising obj. */
typedef struct repro_fri_solver repro_fri_solver;

/* Loads lp and obj (ncols values) into a new solver; NULL on allocation
 * failure (recorded in err). */
repro_fri_solver *repro_fri_solver_new(const repro_fri_lp *lp, const double *obj, repro_error *err);
/* Frees a solver; NULL is a no-op. */
void repro_fri_solver_free(repro_fri_solver *s);
/* Replaces the objective (ncols values). */
void repro_fri_solver_set_obj(repro_fri_solver *s, const double *obj);
/* Sets the L1 and loss limits (upper bounds of rows m and m+1). */
void repro_fri_solver_set_limits(repro_fri_solver *s, double l1max, double lossmax);
/* Sets CLP's dual objective limit: the dual simplex stops (reporting
 * infeasible, or optimal above it) once its objective, a lower bound on the
 * minimum, exceeds `limit`. DBL_MAX clears it. */
void repro_fri_solver_set_cutoff(repro_fri_solver *s, double limit);
/* Installs a basis (CLP status array: ncols column statuses then nrows row
 * statuses), for a warm start. */
void repro_fri_solver_set_basis(repro_fri_solver *s, const unsigned char *status);
/* Copies the current basis into status (ncols + nrows bytes). */
void repro_fri_solver_get_basis(repro_fri_solver *s, unsigned char *status);

/* Simplex variants for repro_fri_solver_solve. */
enum { REPRO_FRI_PRIMAL = 0, REPRO_FRI_DUAL = 1 };

/* Minimises from the current basis (the slack basis if none was set) with
 * the primal simplex (after an objective change: the basis stays primal
 * feasible) or the dual simplex (a first solve with non-negative costs, or a
 * pure feasibility check with a zero objective). A failed solve is retried
 * once from scratch. Returns REPRO_FRI_LP_*. */
int repro_fri_solver_solve(repro_fri_solver *s, int method);
/* Objective value and column solution of the last optimal solve. */
double repro_fri_solver_objective(repro_fri_solver *s);
const double *repro_fri_solver_solution(repro_fri_solver *s);
/* Number of solve calls (retries included) since creation. */
size_t repro_fri_solver_count(const repro_fri_solver *s);

#endif
