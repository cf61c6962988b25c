# cuminc.R - expected values of `pronostic cuminc` from R on real data (tests/golden/data/):
# the Aalen-Johansen curves of survival::survfit(Surv(time, factor(status)) ~ by) through
# summary(fit) or summary(fit, times = at), and Gray's test of cmprsk::cuminc(...)$Tests.
# Run from tests/golden/: Rscript cuminc.R. Writes expected/cuminc_*.csv with columns
# stratum,state,time,n_risk,n_event,estimate,std_err,lower,upper (n_risk: R's n.risk of the
# state "(s0)"), or state,statistic,df,p for the tests.
suppressPackageStartupMessages({ library(survival); library(cmprsk) })
num <- function(x) ifelse(is.na(x), "", sprintf("%.17g", x))
out <- function(df, name)
  write.csv(df, file.path("expected", paste0("cuminc_", name, ".csv")), row.names = FALSE, quote = 1)

curves <- function(name, file, time, status, censor = 0, by = NULL, entry = NULL, at = NULL) {
  d <- read.csv(file.path("data", file))
  keep <- complete.cases(d[, c(time, status, by, entry)])
  d <- d[keep, ]
  st <- as.character(d[[status]])
  lev <- setdiff(levels(factor(d[[status]])), as.character(censor))
  d$.status <- factor(st, levels = c(as.character(censor), lev))  # the censoring level first
  d$.time <- d[[time]]
  d$.id <- seq_len(nrow(d))
  lhs <- if (is.null(entry)) "Surv(.time, .status)" else { d$.entry <- d[[entry]]; "Surv(.entry, .time, .status)" }
  rhs <- if (is.null(by)) "1" else paste(sprintf("`%s`", by), collapse = " + ")
  fit <- survfit(as.formula(paste(lhs, "~", rhs)), data = d, id = .id)
  s <- if (is.null(at)) summary(fit) else summary(fit, times = at)
  strata <- if (is.null(s$strata)) rep("all", length(s$time)) else
    trimws(gsub(" *, *", ",", gsub("`", "", as.character(s$strata))))
  s0 <- match("(s0)", fit$states)
  rows <- list()
  for (g in unique(strata)) for (j in lev) {
    i <- which(strata == g)
    k <- match(j, fit$states)
    rows[[length(rows) + 1]] <- data.frame(
      stratum = g, state = j, time = num(s$time[i]), n_risk = num(s$n.risk[i, s0]),
      n_event = num(s$n.event[i, k]), estimate = num(s$pstate[i, k]),
      std_err = num(s$std.err[i, k]), lower = num(s$lower[i, k]), upper = num(s$upper[i, k]))
  }
  out(do.call(rbind, rows), name)
}

gray <- function(name, file, time, status, censor = 0, by, strata = NULL) {
  d <- read.csv(file.path("data", file))
  d <- d[complete.cases(d[, c(time, status, by, strata)]), ]
  g <- interaction(d[, by, drop = FALSE], drop = TRUE)
  r <- if (is.null(strata)) cuminc(d[[time]], d[[status]], g, cencode = censor) else
    cuminc(d[[time]], d[[status]], g, interaction(d[, strata, drop = FALSE], drop = TRUE),
           cencode = censor)
  t <- r$Tests
  out(data.frame(state = rownames(t), statistic = num(t[, "stat"]), df = as.character(t[, "df"]),
                 p = num(t[, "pv"])), name)
}

dir.create("expected", showWarnings = FALSE)
curves("mgus2", "mgus2.csv", "etime", "event")
curves("mgus2_text", "mgus2.csv", "etime", "status", censor = "censor")
curves("mgus2_sex", "mgus2.csv", "etime", "event", by = "sex")
curves("mgus2_sex_at", "mgus2.csv", "etime", "event", by = "sex", at = c(0, 12, 60, 120, 240, 400))
curves("mgus2_ties", "mgus2.csv", "etime_y", "event", by = "sex")
curves("mgus2_ties_at", "mgus2.csv", "etime_y", "event", at = c(0, 1, 5, 10, 20, 30))
curves("mgus2_entry", "mgus2.csv", "exit_age", "event", entry = "entry_age")
curves("mgus2_entry_sex_at", "mgus2.csv", "exit_age", "event", entry = "entry_age", by = "sex",
       at = c(50, 60, 70, 80, 90, 100))
curves("mgus2_agegroup_sex", "mgus2.csv", "etime", "event", by = c("agegroup", "sex"))
gray("mgus2_sex_gray", "mgus2.csv", "etime", "event", by = "sex")
gray("mgus2_agegroup", "mgus2.csv", "etime", "event", by = "agegroup")
gray("mgus2_agegroup_strata_sex", "mgus2.csv", "etime", "event", by = "agegroup", strata = "sex")
gray("mgus2_ties_sex", "mgus2.csv", "etime_y", "event", by = "sex")
gray("mgus2_ties_agegroup_strata_sex", "mgus2.csv", "etime_y", "status", censor = "censor",
     by = "agegroup", strata = "sex")
