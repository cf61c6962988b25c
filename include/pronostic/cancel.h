/* cancel.h - the process's request that long computations stop early: set once (the server's
 * stop, while a background build may be running), read by the loops that can run for long (the
 * disclosure audit's linear programmes), which then give up with PN_ECANCELED. Never cleared:
 * it means the process is ending. */
#ifndef PRONOSTIC_CANCEL_H
#define PRONOSTIC_CANCEL_H

/* Ask every long computation of the process to stop. Safe from any thread. */
void pn_cancel_request(void);
/* 1 once pn_cancel_request was called, else 0. Safe from any thread. */
int pn_cancelled(void);

#endif
