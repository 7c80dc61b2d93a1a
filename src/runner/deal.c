/* deal.c - the dealing policy: order and replay (see deal.h). */
#include "repro/deal.h"

#include <math.h>
#include <stdlib.h>

/* 1 if job a is dealt before job b: more expensive first, then lower index. */
static int before(const double *cost, uint32_t a, uint32_t b)
{
    return cost[a] > cost[b] || (cost[a] == cost[b] && a < b);
}

/* Restores the heap property below node i of idx[0..n) (root = dealt last). */
static void sift_down(const double *cost, uint32_t *idx, size_t i, size_t n)
{
    for (;;) {
        size_t top = i, l = 2 * i + 1, r = l + 1;
        if (l < n && before(cost, idx[top], idx[l]))
            top = l;
        if (r < n && before(cost, idx[top], idx[r]))
            top = r;
        if (top == i)
            return;
        uint32_t t = idx[i];
        idx[i] = idx[top];
        idx[top] = t;
        i = top;
    }
}

void repro_deal_order(const double *cost, uint32_t *idx, size_t n)
{
    if (n < 2)
        return;
    for (size_t i = n / 2; i-- > 0;)
        sift_down(cost, idx, i, n);
    for (size_t end = n - 1; end > 0; end--) {
        uint32_t t = idx[0];
        idx[0] = idx[end];
        idx[end] = t;
        sift_down(cost, idx, 0, end);
    }
}

int repro_deal_replay(const repro_deal_machine *m, const double *busy, const double *seconds,
                      const uint32_t *order, size_t n, double scale, int32_t *slot_of, double *makespan,
                      repro_error *err)
{
    *makespan = 0;
    if (m->slots < 1)
        return repro_error_set(err, REPRO_EINVAL, "dealing needs at least one slot (got %d)", m->slots);
    if (!(scale >= 0) || !isfinite(scale))
        return repro_error_set(err, REPRO_EINVAL, "bad duration scale %g", scale);
    for (size_t k = 0; k < n; k++)
        if (!(seconds[order[k]] >= 0) || !isfinite(seconds[order[k]]))
            return repro_error_set(err, REPRO_EINVAL, "job %u: bad duration %g", order[k], seconds[order[k]]);
    size_t slots = (size_t)m->slots;
    /* Virtual time V advances at the rate every running job advances, so a
     * job's end is fixed in V when it starts: vend[s] = V at start + work. */
    double *vend = repro_malloc(slots, sizeof *vend, err);
    if (!vend)
        return REPRO_ENOMEM;
    size_t running = 0;
    for (size_t s = 0; s < slots; s++) {
        double b = busy ? busy[s] : 0;
        vend[s] = b > 0 && isfinite(b) ? b : -1;
        running += vend[s] >= 0;
    }
    double v = 0, t = 0;
    size_t next = 0;
    for (;;) {
        for (size_t s = 0; s < slots && next < n; s++) {
            if (vend[s] >= 0)
                continue;
            uint32_t j = order[next++];
            vend[s] = v + scale * seconds[j];
            if (slot_of)
                slot_of[j] = (int32_t)s;
            running++;
        }
        if (!running)
            break;
        double vmin = INFINITY;
        for (size_t s = 0; s < slots; s++)
            if (vend[s] >= 0 && vend[s] < vmin)
                vmin = vend[s];
        double rate = m->cores > 0 && (double)running > m->cores ? m->cores / (double)running : 1.0;
        t += (vmin - v) / rate;
        v = vmin;
        for (size_t s = 0; s < slots; s++)
            if (vend[s] >= 0 && vend[s] <= v) {
                vend[s] = -1;
                running--;
            }
    }
    free(vend);
    *makespan = t;
    return REPRO_OK;
}

double repro_deal_eta(int slots, const double *est, const double *ran, const double *cost,
                      const uint32_t *order, size_t n, double speed)
{
    if (!(speed > 0) || !isfinite(speed) || slots < 1)
        return -1;
    double *busy = malloc((size_t)slots * sizeof *busy);
    if (!busy)
        return -1;
    for (int s = 0; s < slots; s++)
        busy[s] = est[s] < 0 ? 0 : fmax(est[s] - ran[s], 0);
    repro_deal_machine m = {slots, 0};
    double span = -1;
    repro_error err;
    if (repro_deal_replay(&m, busy, cost, order, n, speed, NULL, &span, &err))
        span = -1;
    free(busy);
    return span;
}
