/* netsurv_window.h - the two transformations of net survival that the netsurv subcommand offers
 * besides the estimators (docs/methods.md, "Period analysis", "Conditional net survival"):
 * Brenner's period window (follow-up restricted to a calendar window: delayed entry at its
 * start, censoring at its end) and survival conditional on having survived a first span.
 * stats/ kernels: no I/O, caller-owned buffers. */
#ifndef PRONOSTIC_NETSURV_WINDOW_H
#define PRONOSTIC_NETSURV_WINDOW_H

#include <stddef.h>
#include <stdint.h>

/* The window of the last `years` years of follow-up up to `closing` (day numbers): from the day
 * after the same date `years` earlier (a 29 February taken as the 28th) to `closing`. */
void pn_netsurv_window_last(int32_t closing, int years, double *from, double *to);

/* Brenner's period analysis: the follow-up of the `n` subjects (diagnosis day number date[i],
 * follow-up time[i] days, status[i]) restricted to the calendar days [from, to]: follow-up day t
 * falls on calendar day date + t, so the window is the follow-up interval
 * (from - date, to + 1 - date]. Outputs (caller buffers of n): entry (delayed entry, >= 0), the
 * time cut at the window's end, the status (a death after the window is censored), and keep[i]
 * 1 when the subject is under follow-up in the window (time > entry). */
void pn_netsurv_window(size_t n, const double *date, const double *time, const int *status,
                       double from, double to, double *entry, double *time_out, int *status_out,
                       unsigned char *keep);

/* Net survival conditional on surviving to a time g: given S(g) and the standard error of the
 * cumulative hazard at g, turn the m values surv[j] = S(t_j), se[j] = se of the cumulative hazard
 * at t_j (t_j >= g) into S(t_j) / S(g) and sqrt(se[j]^2 - se(g)^2) (0 when that is negative). */
void pn_netsurv_condition(double surv_given, double se_given, double *surv, double *se, size_t m);

#endif
