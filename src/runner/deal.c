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

size_t repro_deal_max_tasks(double cost)
{
    double k = ceil(cost / REPRO_DEAL_TASK_SECONDS);
    if (!(k >= 1))
        return 1;
    return k >= REPRO_DEAL_MAX_TASKS ? REPRO_DEAL_MAX_TASKS : (size_t)k;
}

/* A split job in flight in the replay: its current stage, the next task
 * to deal (index into its stage's order) and its tasks still running. */
typedef struct replay_job {
    uint32_t job;
    size_t stage, first, dealt, left; /* first: its stage's offset in seconds[] */
    uint32_t *order;                  /* the stage's tasks, longest first */
} replay_job;

/* Moves a replayed split job to stage `stage`; 0 when it has no more. */
static int replay_stage(const repro_deal_job *jb, replay_job *r, size_t stage)
{
    free(r->order);
    r->order = NULL;
    while (stage < jb->n_stages && jb->n_tasks[stage] == 0)
        stage++;
    if (stage >= jb->n_stages)
        return 0;
    size_t first = 0;
    for (size_t s = 0; s < stage; s++)
        first += jb->n_tasks[s];
    r->stage = stage;
    r->first = first;
    r->dealt = 0;
    r->left = jb->n_tasks[stage];
    if (!(r->order = malloc(r->left * sizeof *r->order)))
        return -1;
    for (size_t t = 0; t < r->left; t++)
        r->order[t] = (uint32_t)t;
    repro_deal_order(jb->seconds + first, r->order, r->left);
    return 1;
}

int repro_deal_replay_tasks(int slots, int cap, const repro_deal_job *jobs, const uint32_t *order, size_t n,
                            double *makespan, repro_error *err)
{
    *makespan = 0;
    if (slots < 1 || cap < 1)
        return repro_error_set(err, REPRO_EINVAL, "dealing needs at least one slot and one split job (got %d, %d)",
                               slots, cap);
    for (size_t k = 0; k < n; k++) {
        const repro_deal_job *jb = &jobs[order[k]];
        size_t total = 0;
        for (size_t s = 0; s < jb->n_stages; s++)
            total += jb->n_tasks[s];
        for (size_t t = 0; t < total; t++)
            if (!(jb->seconds[t] >= 0) || !isfinite(jb->seconds[t]))
                return repro_error_set(err, REPRO_EINVAL, "job %u: bad task duration %g", order[k], jb->seconds[t]);
    }
    size_t S = (size_t)slots, C = (size_t)cap;
    double *end = repro_malloc(S, sizeof *end, err);
    int32_t *slot_job = repro_malloc(S, sizeof *slot_job, err); /* place in act, -1 whole job, -2 idle */
    replay_job *act = repro_calloc(C, sizeof *act, err);
    int *used = repro_calloc(C, sizeof *used, err);
    if (!end || !slot_job || !act || !used) {
        free(end), free(slot_job), free(act), free(used);
        return REPRO_ENOMEM;
    }
    for (size_t s = 0; s < S; s++)
        slot_job[s] = -2;
    size_t next = 0, running = 0;
    int rc = REPRO_OK;
    double t = 0;
    for (;;) {
        for (size_t s = 0; s < S; s++) {
            if (slot_job[s] != -2)
                continue;
            for (;;) {
                size_t a = C;
                for (size_t k = 0; k < C && a == C; k++)
                    if (used[k] && act[k].dealt < jobs[act[k].job].n_tasks[act[k].stage])
                        a = k;
                if (a < C) {
                    replay_job *r = &act[a];
                    end[s] = t + jobs[r->job].seconds[r->first + r->order[r->dealt++]];
                    slot_job[s] = (int32_t)a;
                    running++;
                    break;
                }
                if (next >= n)
                    break;
                const repro_deal_job *jb = &jobs[order[next]];
                if (jb->n_stages <= 1 && (jb->n_stages == 0 || jb->n_tasks[0] <= 1)) {
                    end[s] = t + (jb->n_stages && jb->n_tasks[0] ? jb->seconds[0] : 0.0);
                    slot_job[s] = -1;
                    running++;
                    next++;
                    break;
                }
                size_t f = C;
                for (size_t k = 0; k < C && f == C; k++)
                    if (!used[k])
                        f = k;
                if (f == C)
                    break;
                act[f].job = order[next++];
                int st = replay_stage(&jobs[act[f].job], &act[f], 0);
                if (st < 0) {
                    rc = repro_error_set(err, REPRO_ENOMEM, "out of memory in the replay");
                    goto done;
                }
                used[f] = st > 0;
            }
        }
        if (!running)
            break;
        double tmin = INFINITY;
        for (size_t s = 0; s < S; s++)
            if (slot_job[s] != -2 && end[s] < tmin)
                tmin = end[s];
        t = tmin;
        for (size_t s = 0; s < S; s++) {
            if (slot_job[s] == -2 || end[s] > t)
                continue;
            int32_t a = slot_job[s];
            slot_job[s] = -2;
            running--;
            if (a < 0)
                continue;
            replay_job *r = &act[a];
            if (--r->left == 0 && r->dealt == jobs[r->job].n_tasks[r->stage]) {
                int st = replay_stage(&jobs[r->job], r, r->stage + 1);
                if (st < 0) {
                    rc = repro_error_set(err, REPRO_ENOMEM, "out of memory in the replay");
                    goto done;
                }
                used[a] = st > 0;
            }
        }
    }
    *makespan = t;
done:
    for (size_t k = 0; k < C; k++)
        free(act[k].order);
    free(end), free(slot_job), free(act), free(used);
    return rc;
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
