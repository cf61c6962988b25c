/* dtable_audit.c - the audit of a suppression pattern by linear programming (GLPK;
 * docs/methods.md, "Disclosure control"). The attacker knows every published cell, every
 * relation and that counts are non-negative; for each masked cell x_c the audit finds
 *     min and max x_c  subject to  sum(masked parts) - [total masked] x_total
 *                                  = [total published] n_total - sum(published parts n)
 *                                  for every relation holding a masked cell,  x >= 0,
 * and passes the pattern when every max - min >= k. Published cells are constants, so the
 * masked cells split into connected groups (two masked cells of one relation are linked) that
 * are audited on their own, each with one GLPK problem whose objective is changed and re-solved
 * from the previous basis.
 *
 * Fast mode (the default): the true counts are a feasible point, and so is every LP solution;
 * a cell is passed as soon as two feasible points found so far (for any objective) give it
 * values at least k apart: its interval then contains that inner one. The group's cells are
 * first all minimised together; then, round after round while cells pass, one objective
 * pushes every open cell the way it lacks room (up when its values seen so far reach less far
 * above its count than below, else down); each cell still open at the end gets its own
 * maximum, and its minimum when still open, which are exact. Exact mode solves both
 * programmes of every masked cell. A re-audit (fresh cells given) solves only the groups holding
 * a fresh or a failing cell and, in fast mode, within them only those cells: masking more never
 * narrows an interval. A group whose right-hand sides are all 0 needs no programme (its non-zero
 * cells lie in [0, +inf)). A failing cell's binding relations (non-zero duals of its two
 * programmes) are kept for the repairs (dtable.c). */
#include "pronostic/cancel.h"
#include "pronostic/disclosure.h"
#include "pronostic/alloc.h"
#include "dtable_internal.h"

#include <glpk.h>
#include <math.h>
#include <string.h>

static size_t uf_find(size_t *up, size_t x)
{
    while (up[x] != x) {
        up[x] = up[up[x]];
        x = up[x];
    }
    return x;
}

/* A solved value, with the solver's rounding noise near an integer removed. */
static double snap(double v)
{
    double r = nearbyint(v);
    return fabs(v - r) < 1e-7 * (1 + fabs(v)) ? r : v;
}

typedef struct audit_ws {
    pn_dtable *t;
    long long k;
    double tol;
    glp_prob *lp;
    glp_smcp parm;
    size_t nv;              /* variables of the current group */
    const size_t *var_cell; /* their cells */
    double *obs_lo, *obs_hi;/* the range of values seen in feasible points */
    unsigned char *open;    /* 1 while a variable is not passed */
    unsigned char *lo_exact, *hi_exact;
    double *lo, *hi;        /* exact bounds once solved */
    size_t *bfirst, *bn;    /* a failing variable's binding relations: t->bind[bfirst ..] */
    size_t *rel_stamp;      /* per relation: the last variable (+ 1) that listed it */
    const unsigned char *fresh; /* cells masked since the last audit (NULL: first audit) */
    const size_t *rels;     /* the group's relations, row i + 1 holding rels[i] */
    size_t nr;
    size_t nlp;
} audit_ws;

/* Solve the current objective; *unbounded set when the optimum is infinite. Every feasible
 * solution widens the observed ranges. PN_OK or PN_EINTERNAL. */
static int solve(audit_ws *w, int *unbounded, double *value, pn_diag *diag)
{
    /* one linear programme at a time: where a stopping process gives up */
    if (pn_cancelled()) return pn_diag_set(diag, PN_ECANCELED, "disclosure audit: stopped");
    int ret = glp_simplex(w->lp, &w->parm);
    if (ret != 0) {
        /* a singular or invalid basis: restart from the standard basis once */
        glp_std_basis(w->lp);
        ret = glp_simplex(w->lp, &w->parm);
    }
    w->nlp++;
    if (ret != 0)
        return pn_diag_set(diag, PN_EINTERNAL, "disclosure audit: the LP solver failed (GLPK "
                           "code %d)", ret);
    int st = glp_get_status(w->lp);
    if (st != GLP_OPT && st != GLP_UNBND)
        return pn_diag_set(diag, PN_EINTERNAL, "disclosure audit: the LP has no optimum (GLPK "
                           "status %d) although the true counts are feasible", st);
    *unbounded = st == GLP_UNBND;
    *value = snap(glp_get_obj_val(w->lp));
    if (glp_get_prim_stat(w->lp) == GLP_FEAS) {
        for (size_t j = 0; j < w->nv; j++) {
            double v = snap(glp_get_col_prim(w->lp, (int)j + 1));
            if (v < w->obs_lo[j]) w->obs_lo[j] = v;
            if (v > w->obs_hi[j]) w->obs_hi[j] = v;
        }
    }
    return PN_OK;
}

/* 1 when variable j is known to be protected. */
static int passed(const audit_ws *w, size_t j)
{
    double lo = w->lo_exact[j] ? w->lo[j] : w->obs_lo[j];
    double hi = w->hi_exact[j] ? w->hi[j] : w->obs_hi[j];
    return hi - lo >= (double)w->k - w->tol;
}

static void set_objective(audit_ws *w, size_t only, int dir)
{
    glp_set_obj_dir(w->lp, dir);
    for (size_t j = 0; j < w->nv; j++) {
        double coef = only == (size_t)-1 ? (w->open[j] ? 1.0 : 0.0) : (j == only ? 1.0 : 0.0);
        glp_set_obj_coef(w->lp, (int)j + 1, coef);
    }
}

/* The exact bound of variable j in direction dir. */
static int bound(audit_ws *w, size_t j, int dir, pn_diag *diag)
{
    int unb = 0;
    double v = 0;
    set_objective(w, j, dir);
    int rc = solve(w, &unb, &v, diag);
    if (rc != PN_OK) return rc;
    if (dir == GLP_MAX) {
        w->hi[j] = unb ? INFINITY : v;
        w->hi_exact[j] = 1;
    } else {
        w->lo[j] = unb ? 0 : v; /* x >= 0: the minimum is never unbounded */
        w->lo_exact[j] = 1;
    }
    return PN_OK;
}

/* Append to t->bind the relations (not yet listed for variable j) whose rows have a non-zero
 * dual in the current optimum: by duality the optimum is the sum of the duals times the
 * right-hand sides, i.e. of the published cells of those relations, so that they are what
 * binds it. PN_OK or PN_ENOMEM. */
static int binding_rows(audit_ws *w, size_t j)
{
    pn_dtable *t = w->t;
    for (size_t i = 0; i < w->nr; i++) {
        size_t r = w->rels[i];
        if (w->rel_stamp[r] == j + 1 || fabs(glp_get_row_dual(w->lp, (int)i + 1)) < 1e-9)
            continue;
        if (pn_grow((void **)&t->bind, &t->bindcap, t->nbind + 1, sizeof *t->bind) != PN_OK)
            return PN_ENOMEM;
        t->bind[t->nbind++] = r;
        w->rel_stamp[r] = j + 1;
        w->bn[j]++;
    }
    return PN_OK;
}

/* Variable j's interval is exact and narrower than k: the relations binding either of its
 * programmes (the minimum is the current optimum; the maximum is solved again). */
static int bind_of(audit_ws *w, size_t j, pn_diag *diag)
{
    w->bfirst[j] = w->t->nbind;
    w->bn[j] = 0;
    if (binding_rows(w, j) != PN_OK) return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    int unb = 0;
    double v = 0;
    set_objective(w, j, GLP_MAX);
    int rc = solve(w, &unb, &v, diag);
    if (rc != PN_OK) return rc;
    if (!unb && binding_rows(w, j) != PN_OK) return pn_diag_set(diag, PN_ENOMEM, "out of memory");
    return PN_OK;
}

/* Audit one group: variables var_cell[0..nv-1], relations rels[0..nr-1]. */
static int audit_group(audit_ws *w, const size_t *rels, size_t nr, size_t *var_of,
                       int *colpos, pn_diag *diag)
{
    pn_dtable *t = w->t;
    size_t nv = w->nv;
    int rc = PN_OK;
    size_t nopen = 0;
    for (size_t j = 0; j < nv; j++) {
        size_t c = w->var_cell[j];
        w->obs_lo[j] = w->obs_hi[j] = (double)t->count[c];
        w->open[j] = 1;
        w->lo_exact[j] = w->hi_exact[j] = 0;
        w->bn[j] = 0;
        if (w->fresh && !t->exact && !w->fresh[c] && t->hi[c] - t->lo[c] >= (double)w->k - w->tol) {
            /* passed in the last audit: masking more cells keeps every feasible point of then
             * feasible (a newly masked cell at its count is the constant it was), so the
             * values seen then are still feasible and the cell still passes */
            w->obs_lo[j] = t->lo[c];
            w->obs_hi[j] = t->hi[c];
            w->open[j] = 0;
        }
        nopen += w->open[j];
    }
    w->rels = rels;
    w->nr = nr;
    int homogeneous = 1;
    /* entries: at most every cell of every relation */
    size_t ne = 0;
    for (size_t i = 0; i < nr; i++) ne += t->rel_start[rels[i] + 1] - t->rel_start[rels[i]] + 1;
    int *ia = pn_malloc((ne + 1) * sizeof *ia), *ja = pn_malloc((ne + 1) * sizeof *ja);
    double *ar = pn_malloc((ne + 1) * sizeof *ar);
    if (ia == NULL || ja == NULL || ar == NULL) {
        rc = pn_diag_set(diag, PN_ENOMEM, "out of memory");
        goto done;
    }
    glp_erase_prob(w->lp);
    glp_add_rows(w->lp, (int)nr);
    glp_add_cols(w->lp, (int)nv);
    for (size_t j = 0; j < nv; j++) glp_set_col_bnds(w->lp, (int)j + 1, GLP_LO, 0, 0);
    size_t k = 0;
    for (size_t i = 0; i < nr; i++) {
        size_t r = rels[i];
        double rhs = 0;
        size_t row_first = k;
        for (size_t p = t->rel_start[r]; p <= t->rel_start[r + 1]; p++) {
            int last = p == t->rel_start[r + 1];
            size_t c = last ? t->rel_total[r] : t->parts[p];
            double coef = last ? -1.0 : 1.0;
            if (!pn__dtable_masked(t, c)) {
                rhs -= coef * (double)t->count[c];
                continue;
            }
            size_t j = var_of[c];
            if (colpos[j] >= 0 && (size_t)colpos[j] > row_first) {
                ar[colpos[j]] += coef; /* a cell listed twice in one relation */
                continue;
            }
            k++;
            ia[k] = (int)i + 1;
            ja[k] = (int)j + 1;
            ar[k] = coef;
            colpos[j] = (int)k;
        }
        glp_set_row_bnds(w->lp, (int)i + 1, GLP_FX, rhs, rhs);
        if (rhs != 0) homogeneous = 0;
    }
    for (size_t j = 0; j < nv; j++) colpos[j] = -1;
    /* drop entries that cancelled */
    size_t kk = 0;
    for (size_t e = 1; e <= k; e++)
        if (ar[e] != 0) {
            kk++;
            ia[kk] = ia[e];
            ja[kk] = ja[e];
            ar[kk] = ar[e];
        }
    glp_load_matrix(w->lp, (int)kk, ia, ja, ar);
    if (homogeneous) {
        /* every right-hand side 0 (the group's relations hold no published non-zero cell): 0
         * is feasible and so is s x for the true counts x and any s >= 0, so a cell with a
         * non-zero count lies anywhere in [0, +inf), exactly, without a programme */
        for (size_t j = 0; j < nv; j++)
            if (t->count[w->var_cell[j]] > 0) {
                w->lo[j] = 0;
                w->hi[j] = INFINITY;
                w->lo_exact[j] = w->hi_exact[j] = 1;
                nopen -= w->open[j];
                w->open[j] = 0;
            }
    }
    if (!t->exact && nopen > 0) {
        /* every cell down, then, while cells pass, each open cell pushed the way it lacks */
        int unb, stalls = 0;
        double v;
        size_t open_before = nopen;
        set_objective(w, (size_t)-1, GLP_MIN);
        for (int round = 0; round < 200 && stalls < 2; round++) {
            if (round > 0) {
                glp_set_obj_dir(w->lp, GLP_MAX);
                for (size_t j = 0; j < nv; j++) {
                    double x = (double)t->count[w->var_cell[j]];
                    double coef = !w->open[j] ? 0.0
                                  : w->obs_hi[j] - x <= x - w->obs_lo[j] ? 1.0 : -1.0;
                    glp_set_obj_coef(w->lp, (int)j + 1, coef);
                }
            }
            if ((rc = solve(w, &unb, &v, diag)) != PN_OK) goto done;
            size_t open_after = 0;
            for (size_t j = 0; j < nv; j++) {
                if (w->open[j] && passed(w, j)) w->open[j] = 0;
                open_after += w->open[j];
            }
            if (open_after == 0) break;
            stalls = open_after < open_before ? 0 : stalls + 1;
            open_before = open_after;
        }
    }
    for (size_t j = 0; j < nv; j++) {
        if (w->lo_exact[j] && w->hi_exact[j]) continue;
        if (!t->exact && !w->open[j]) continue;
        if (!t->exact && passed(w, j)) {
            w->open[j] = 0;
            continue;
        }
        if ((rc = bound(w, j, GLP_MAX, diag)) != PN_OK) goto done;
        if (!t->exact && passed(w, j)) {
            w->open[j] = 0;
            continue;
        }
        if ((rc = bound(w, j, GLP_MIN, diag)) != PN_OK) goto done;
        w->open[j] = 0;
        if (!passed(w, j) && (rc = bind_of(w, j, diag)) != PN_OK) goto done;
    }
done:
    pn_free(ar);
    pn_free(ja);
    pn_free(ia);
    return rc;
}

/* 1 when one of the cells failed the last audit (its binding relations are found again). */
static int any_narrow(const pn_dtable *t, long long k, double tol, const size_t *cells, size_t nv)
{
    for (size_t j = 0; j < nv; j++)
        if (t->hi[cells[j]] - t->lo[cells[j]] < (double)k - tol) return 1;
    return 0;
}

static int any_fresh(const unsigned char *fresh, const size_t *cells, size_t nv)
{
    for (size_t j = 0; j < nv; j++)
        if (fresh[cells[j]]) return 1;
    return 0;
}

int pn__dtable_lp_audit(pn_dtable *t, long long k, unsigned char *failing,
                        const unsigned char *fresh, pn_diag *diag)
{
    size_t n = t->ncells;
    int rc = PN_OK;
    int reuse = fresh != NULL && t->lo != NULL && t->hi != NULL && t->was_exact != NULL &&
                t->bind_first != NULL && t->bind_n != NULL;
    if (!reuse) {
        pn_free(t->lo);
        pn_free(t->hi);
        pn_free(t->was_exact);
        pn_free(t->bind_first);
        pn_free(t->bind_n);
        t->bind_first = pn_malloc((n ? n : 1) * sizeof *t->bind_first);
        t->bind_n = pn_malloc((n ? n : 1) * sizeof *t->bind_n);
        t->lo = pn_malloc((n ? n : 1) * sizeof *t->lo);
        t->hi = pn_malloc((n ? n : 1) * sizeof *t->hi);
        t->was_exact = pn_calloc(n ? n : 1, 1);
    }
    unsigned char *was_exact = t->was_exact;
    size_t *up = pn_malloc((n ? n : 1) * sizeof *up);
    size_t *var_of = pn_malloc((n ? n : 1) * sizeof *var_of);
    size_t *group_first = pn_malloc((n + 1) * sizeof *group_first);
    size_t *order = pn_malloc((n ? n : 1) * sizeof *order);
    size_t *rel_group = pn_malloc((t->nrel ? t->nrel : 1) * sizeof *rel_group);
    size_t *rels = pn_malloc((t->nrel ? t->nrel : 1) * sizeof *rels);
    size_t *rel_first = pn_malloc((n + 1) * sizeof *rel_first);
    int *colpos = pn_malloc((n ? n : 1) * sizeof *colpos);
    double *buf = pn_malloc((n ? n : 1) * 4 * sizeof *buf);
    size_t *bvar = pn_malloc((n ? n : 1) * 2 * sizeof *bvar);
    size_t *rel_stamp = pn_calloc(t->nrel ? t->nrel : 1, sizeof *rel_stamp);
    unsigned char *flags = pn_malloc((n ? n : 1) * 3);
    audit_ws w = {.t = t, .k = k, .tol = 1e-7 * (1 + (double)k)};
    int own_env = 0;
    if (!t->lo || !t->hi || !was_exact || !up || !var_of || !group_first || !order || !rel_group || !rels ||
        !rel_first || !colpos || !buf || !flags || !t->bind_first || !t->bind_n || !bvar ||
        !rel_stamp) {
        rc = pn_diag_set(diag, PN_ENOMEM, "out of memory");
        goto done;
    }
    w.obs_lo = buf;
    w.obs_hi = buf + n;
    w.lo = buf + 2 * n;
    w.hi = buf + 3 * n;
    w.bfirst = bvar;
    w.bn = bvar + n;
    w.rel_stamp = rel_stamp;
    w.fresh = reuse ? fresh : NULL;
    t->nbind = 0;
    w.open = flags;
    w.lo_exact = flags + n;
    w.hi_exact = flags + 2 * n;
    for (size_t c = 0; c < n; c++) {
        up[c] = c;
        if (!pn__dtable_masked(t, c)) {
            t->lo[c] = t->hi[c] = (double)t->count[c];
        }
        t->bind_n[c] = 0;
        colpos[c] = -1;
    }
    /* groups: two masked cells of one relation are linked */
    for (size_t r = 0; r < t->nrel; r++) {
        size_t first = (size_t)-1;
        for (size_t p = t->rel_start[r]; p <= t->rel_start[r + 1]; p++) {
            size_t c = p < t->rel_start[r + 1] ? t->parts[p] : t->rel_total[r];
            if (!pn__dtable_masked(t, c)) continue;
            if (first == (size_t)-1) first = c;
            else {
                size_t a = uf_find(up, first), b = uf_find(up, c);
                if (a != b) up[a < b ? b : a] = a < b ? a : b; /* the smallest cell is the root */
            }
        }
        rel_group[r] = first == (size_t)-1 ? (size_t)-1 : first;
    }
    /* order the masked cells by group (root = the group's smallest cell), then by index */
    memset(group_first, 0, (n + 1) * sizeof *group_first);
    memset(rel_first, 0, (n + 1) * sizeof *rel_first);
    for (size_t c = 0; c < n; c++)
        if (pn__dtable_masked(t, c)) group_first[uf_find(up, c) + 1]++;
    for (size_t r = 0; r < t->nrel; r++)
        if (rel_group[r] != (size_t)-1) {
            rel_group[r] = uf_find(up, rel_group[r]);
            rel_first[rel_group[r] + 1]++;
        }
    for (size_t c = 0; c < n; c++) {
        group_first[c + 1] += group_first[c];
        rel_first[c + 1] += rel_first[c];
    }
    {
        size_t *fill = var_of; /* borrowed as a cursor, rebuilt below */
        memcpy(fill, group_first, n * sizeof *fill);
        for (size_t c = 0; c < n; c++)
            if (pn__dtable_masked(t, c)) order[fill[uf_find(up, c)]++] = c;
        memcpy(fill, rel_first, n * sizeof *fill);
        for (size_t r = 0; r < t->nrel; r++)
            if (rel_group[r] != (size_t)-1) rels[fill[rel_group[r]]++] = r;
    }
    t->audit.ncomponents = t->audit.largest = 0;
    t->audit.nlp = 0;
    t->audit.min_width = INFINITY;
    t->audit.passed = 1;
    t->audit.exact = t->exact;
    /* GLPK's environment is per thread: one made here is freed here (a worker thread's would
     * otherwise leak when the thread ends) */
    int env = glp_init_env();
    if (env != 0 && env != 1) {
        rc = pn_diag_set(diag, PN_ENOMEM, "disclosure audit: the LP solver could not start");
        goto done;
    }
    own_env = env == 0;
    glp_term_out(GLP_OFF);
    w.lp = glp_create_prob();
    glp_init_smcp(&w.parm);
    w.parm.msg_lev = GLP_MSG_OFF;
    w.parm.presolve = GLP_OFF;
    for (size_t g = 0; g < n; g++) {
        size_t nv = group_first[g + 1] - group_first[g];
        if (nv == 0) continue;
        const size_t *cells = order + group_first[g];
        size_t nr = rel_first[g + 1] - rel_first[g];
        t->audit.ncomponents++;
        if (nv > t->audit.largest) t->audit.largest = nv;
        for (size_t j = 0; j < nv; j++) var_of[cells[j]] = j;
        w.nv = nv;
        w.var_cell = cells;
        if (nr == 0) {
            /* linked to nothing: anything from 0 up */
            for (size_t j = 0; j < nv; j++) {
                w.lo[j] = 0;
                w.hi[j] = INFINITY;
                w.lo_exact[j] = w.hi_exact[j] = 1;
                w.bn[j] = 0;
            }
        } else if (reuse && !any_fresh(fresh, cells, nv) && !any_narrow(t, k, w.tol, cells, nv)) {
            /* unchanged since the last audit: its intervals (and exactness) hold */
            for (size_t j = 0; j < nv; j++) {
                w.lo[j] = w.obs_lo[j] = t->lo[cells[j]];
                w.hi[j] = w.obs_hi[j] = t->hi[cells[j]];
                w.lo_exact[j] = w.hi_exact[j] = was_exact[cells[j]];
                w.bn[j] = 0;
            }
        } else if ((rc = audit_group(&w, rels + rel_first[g], nr, var_of, colpos, diag)) != PN_OK) {
            goto done;
        }
        for (size_t j = 0; j < nv; j++) {
            size_t c = cells[j];
            t->lo[c] = w.lo_exact[j] ? w.lo[j] : w.obs_lo[j];
            t->hi[c] = w.hi_exact[j] ? w.hi[j] : w.obs_hi[j];
            was_exact[c] = w.lo_exact[j] && w.hi_exact[j];
            t->bind_first[c] = w.bfirst[j];
            t->bind_n[c] = w.bn[j];
            if (!was_exact[c]) t->audit.exact = 0;
            double width = t->hi[c] - t->lo[c];
            if (width < t->audit.min_width) t->audit.min_width = width;
            if (width < (double)k - w.tol) {
                t->audit.passed = 0;
                if (failing) failing[c] = 1;
            }
        }
    }
    t->audit.nlp = w.nlp;
done:
    if (w.lp) glp_delete_prob(w.lp);
    if (own_env) glp_free_env();
    pn_free(rel_stamp);
    pn_free(bvar);
    pn_free(flags);
    pn_free(buf);
    pn_free(colpos);
    pn_free(rel_first);
    pn_free(rels);
    pn_free(rel_group);
    pn_free(order);
    pn_free(group_first);
    pn_free(var_of);
    pn_free(up);
    return rc;
}
