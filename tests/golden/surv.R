# surv.R - expected values of `pronostic surv` from R's survival package (survfit, summary,
# print's survmean) on real data, and from a direct R implementation of the actuarial life
# table (Cutler & Ederer 1958; Collett, Modelling Survival Data in Medical Research, 3rd ed.,
# section 2.1.1). Run from tests/golden/ (scripts/golden). Writes expected/surv_*.csv and the
# derived inputs data/surv_entry.csv (colon with a delayed-entry time and integer case weights)
# and data/surv_lung_weights.csv (lung with integer case weights w).
suppressPackageStartupMessages(library(survival))
dir.create("expected", showWarnings = FALSE)

out <- function(df, name) write.csv(df, file.path("expected", name), row.names = FALSE, na = "")

labels <- function(s, n) {
  if (is.null(s)) rep("all", n) else gsub(", ", ",", as.character(s), fixed = TRUE)
}

# every distinct time with an event or censoring (summary(fit, censored = TRUE))
curve <- function(fit, name) {
  s <- summary(fit, censored = TRUE)
  out(data.frame(stratum = labels(s$strata, length(s$time)), time = s$time,
                 n_risk = s$n.risk, n_event = s$n.event, n_censor = s$n.censor,
                 surv = s$surv, std_err = s$std.err, lower = s$lower, upper = s$upper), name)
}

# requested times (summary(fit, times = ), extend = FALSE: times past a curve's end are left out)
at <- function(fit, times, name) {
  s <- summary(fit, times = times)
  out(data.frame(stratum = labels(s$strata, length(s$time)), time = s$time,
                 n_risk = s$n.risk, n_event = s$n.event, n_censor = s$n.censor,
                 surv = s$surv, std_err = s$std.err, lower = s$lower, upper = s$upper), name)
}

# median and restricted mean as print(fit, rmean = ) computes them
summ <- function(fit, rmean, name) {
  m <- survival:::survmean(fit, rmean = rmean)$matrix
  if (is.null(dim(m))) m <- matrix(m, nrow = 1, dimnames = list(NULL, names(m)))
  strata <- if (is.null(fit$strata)) "all" else gsub(", ", ",", rownames(m), fixed = TRUE)
  out(data.frame(stratum = strata, n = m[, "records"], events = m[, "events"],
                 median = m[, "median"], median_lower = m[, 8], median_upper = m[, 9],
                 rmst = m[, "rmean"], rmst_se = m[, "se(rmean)"]), name)
}

# the actuarial life table, written directly from its definition
lifetable <- function(time, status, cuts, group = NULL, conf.type = "log", conf.int = 0.95,
                      prefix = "") {
  if (is.null(group)) group <- factor(rep("all", length(time)))
  rows <- list()
  for (g in levels(group)) {
    tt <- time[group == g]; ss <- status[group == g]
    a <- c(0, cuts[-length(cuts)]); b <- cuts
    nstart <- sapply(a, function(x) sum(tt >= x))
    d <- mapply(function(x, y) sum(ss == 1 & tt >= x & tt < y), a, b)
    cc <- mapply(function(x, y) sum(ss == 0 & tt >= x & tt < y), a, b)
    eff <- nstart - cc / 2
    q <- ifelse(eff > 0, d / eff, 0)
    S <- cumprod(1 - q)
    v <- cumsum(ifelse(eff > 0 & d > 0, d / (eff * (eff - d)), 0))
    ci <- survival:::survfit_confint(S, sqrt(v), logse = TRUE, conf.type, conf.int)
    rows[[g]] <- data.frame(stratum = paste0(prefix, g), start = a, time = b, n_start = nstart, n_risk = eff,
                            n_event = d, n_censor = cc, surv = S, std_err = S * sqrt(v),
                            lower = ci$lower, upper = ci$upper)
  }
  do.call(rbind, rows)
}

lung <- read.csv("data/lung.csv")
veteran <- read.csv("data/veteran.csv")
ovarian <- read.csv("data/ovarian.csv")
colon <- read.csv("data/colon.csv")

# lung: status 1 = censored, 2 = dead
f <- survfit(Surv(time, status == 2) ~ 1, data = lung)
curve(f, "surv_lung_km.csv")
curve(survfit(Surv(time, status == 2) ~ 1, data = lung, conf.type = "log-log"), "surv_lung_loglog.csv")
curve(survfit(Surv(time, status == 2) ~ 1, data = lung, conf.type = "plain"), "surv_lung_plain.csv")
curve(survfit(Surv(time, status == 2) ~ 1, data = lung, conf.int = 0.9), "surv_lung_conf90.csv")
at(f, c(0, 30, 100, 365.25, 730.5, 1000), "surv_lung_at.csv")
summ(f, "common", "surv_lung_summary.csv")
fs <- survfit(Surv(time, status == 2) ~ sex, data = lung)
curve(fs, "surv_lung_sex.csv")
at(fs, c(90, 180, 365, 730), "surv_lung_sex_at.csv")
summ(fs, "common", "surv_lung_sex_summary.csv")
summ(fs, 500, "surv_lung_sex_summary_at.csv")
# two grouping columns, with missing ph.ecog values dropped
curve(survfit(Surv(time, status == 2) ~ sex + ph.ecog, data = lung), "surv_lung_sex_ecog.csv")
# integer case weights (R uses the robust variance for non-integer weights)
lung$w <- lung$inst %% 3 + 1
write.csv(lung, "data/surv_lung_weights.csv", row.names = FALSE, na = "")
fw <- survfit(Surv(time, status == 2) ~ sex, data = lung, weights = w)
curve(fw, "surv_lung_weights.csv")
summ(fw, "common", "surv_lung_weights_summary.csv")
# non-integer case weights: pronostic keeps Greenwood's variance with weighted counts, which is
# R's robust = FALSE (R's default for such weights is the robust, infinitesimal-jackknife one)
set.seed(11)
lw <- data.frame(time = lung$time, status = lung$status, sex = lung$sex,
                 w = round(runif(nrow(lung), 0.5, 2), 3))
write.csv(lw, "data/surv_lung_fracweights.csv", row.names = FALSE, na = "")
fwf <- survfit(Surv(time, status == 2) ~ sex, data = lw, weights = w, robust = FALSE)
curve(fwf, "surv_lung_fracweights.csv")
curve(survfit(Surv(time, status == 2) ~ sex, data = lung, stype = 2, ctype = 1), "surv_lung_fh.csv")

# veteran: celltype is text
fv <- survfit(Surv(time, status) ~ celltype, data = veteran)
curve(fv, "surv_veteran_celltype.csv")
summ(fv, "common", "surv_veteran_summary.csv")
curve(survfit(Surv(time, status) ~ trt, data = veteran, conf.type = "log-log"), "surv_veteran_trt_loglog.csv")
curve(survfit(Surv(time, status) ~ celltype, data = veteran, stype = 2, ctype = 1,
              conf.type = "plain"), "surv_veteran_fh_plain.csv")
at(survfit(Surv(time, status) ~ trt, data = veteran), c(30, 90, 180, 365), "surv_veteran_at.csv")

# ovarian: small, fustat 1 = dead
fo <- survfit(Surv(futime, fustat) ~ rx, data = ovarian)
curve(fo, "surv_ovarian_rx.csv")
summ(fo, "common", "surv_ovarian_summary.csv")
curve(survfit(Surv(futime, fustat) ~ 1, data = ovarian, stype = 2, ctype = 1), "surv_ovarian_fh.csv")
out(lifetable(ovarian$futime, ovarian$fustat, c(200, 400, 600, 800, 1000, 1200)),
    "surv_ovarian_lifetable.csv")

# colon (etype 2: death)
fc <- survfit(Surv(time, status) ~ rx, data = colon)
curve(fc, "surv_colon_rx.csv")
at(fc, c(365, 730, 1095, 1826), "surv_colon_rx_at.csv")
summ(fc, 1826, "surv_colon_summary.csv")
out(lifetable(colon$time, colon$status, c(365, 730, 1095, 1461, 1826, 2191, 2557),
              factor(colon$rx), prefix = "rx="), "surv_colon_lifetable.csv")
out(lifetable(colon$time, colon$status, c(365, 730, 1095, 1461, 1826), factor(colon$rx),
              conf.type = "log-log", conf.int = 0.9, prefix = "rx="),
    "surv_colon_lifetable_loglog.csv")

# delayed entry (left truncation) and weights, on colon with a synthetic entry time
ce <- subset(colon, time > 0)
ce$entry <- floor((ce$id %% 7) * ce$time / 10)
ce$w <- ce$id %% 4 + 1
write.csv(ce[, c("id", "rx", "sex", "entry", "time", "status", "w")], "data/surv_entry.csv",
          row.names = FALSE)
fe <- survfit(Surv(entry, time, status) ~ rx, data = ce)
curve(fe, "surv_colon_entry.csv")
at(fe, c(365, 730, 1826), "surv_colon_entry_at.csv")
summ(fe, "common", "surv_colon_entry_summary.csv")
curve(survfit(Surv(entry, time, status) ~ sex, data = ce, weights = w), "surv_colon_entry_weights.csv")
curve(survfit(Surv(entry, time, status) ~ 1, data = ce, stype = 2, ctype = 1,
              conf.type = "log-log"), "surv_colon_entry_fh.csv")

# edge cases, each a small input written here (data/surv_edge_*.csv)
edge <- function(df, name) {
  write.csv(df, file.path("data", paste0("surv_edge_", name, ".csv")), row.names = FALSE, na = "")
  df
}
e <- edge(data.frame(t = c(3, 5, 7, 7), e = c(0, 0, 0, 0)), "allcensored")
curve(survfit(Surv(t, e) ~ 1, data = e), "surv_edge_allcensored.csv")
summ(survfit(Surv(t, e) ~ 1, data = e), "common", "surv_edge_allcensored_summary.csv")
e <- edge(data.frame(t = 5, e = 1), "one")
curve(survfit(Surv(t, e) ~ 1, data = e), "surv_edge_one.csv")
e <- edge(data.frame(t = c(2, 2, 3, 4, 4), e = c(0, 1, 1, 0, 1)), "tie")
curve(survfit(Surv(t, e) ~ 1, data = e), "surv_edge_tie.csv")
curve(survfit(Surv(t, e) ~ 1, data = e, stype = 2, ctype = 1), "surv_edge_tie_fh.csv")
e <- edge(data.frame(t = c(1, 2, 3, 4, 5, 6), e = c(1, 0, 1, 0, 0, 0),
                     g = c("a", "a", "a", "b", "b", "b")), "noevents")
curve(survfit(Surv(t, e) ~ g, data = e), "surv_edge_noevents.csv")
summ(survfit(Surv(t, e) ~ g, data = e), "common", "surv_edge_noevents_summary.csv")
e <- edge(data.frame(t = c(1, NA, 3, 4, 5, 6, 7), e = c(1, 1, NA, 0, 1, 1, 0),
                     g = c("a", "a", "a", NA, "b", "b", "a")), "missing")
curve(survfit(Surv(t, e) ~ g, data = e), "surv_edge_missing.csv")
e <- edge(data.frame(t = c(0, 0, 0, 1, 2, 2, 3), e = c(1, 0, 1, 1, 0, 1, 1)), "zero")
curve(survfit(Surv(t, e) ~ 1, data = e), "surv_edge_zero.csv")
at(survfit(Surv(t, e) ~ 1, data = e), c(0, 1.5, 3), "surv_edge_zero_at.csv")
summ(survfit(Surv(t, e) ~ 1, data = e), "common", "surv_edge_zero_summary.csv")
# the median where the curve is flat at exactly 0.5 (R averages the two times)
e <- edge(data.frame(t = c(1, 2, 3, 4), e = c(1, 1, 1, 1)), "flatmedian")
summ(survfit(Surv(t, e) ~ 1, data = e), "common", "surv_edge_flatmedian_summary.csv")

# near-tied times (data/neartie.csv, written by cox.R): survfit's timefix makes 0.1 + 0.2 and 0.3
# (and the other pairs) one time, also with delayed entry
nt <- read.csv(file.path("data", "neartie.csv"))
curve(survfit(Surv(time, status) ~ group, data = nt), "surv_neartie.csv")
summ(survfit(Surv(time, status) ~ group, data = nt), "common", "surv_neartie_summary.csv")
curve(survfit(Surv(entry, time, status) ~ 1, data = nt), "surv_neartie_entry.csv")

# delayed entry with non-integer weights, where the curve of stratum a reaches 0 and later
# entries come in: the number at risk is exits minus entries, which plain double sums leave a
# rounding error above the deaths (S = 2.2e-16, with an interval, instead of 0). The expected
# values are survfit's on the weights times 1000 (integers: every sum exact), the counts divided
# by 1000 and the Greenwood variance multiplied by 1000 (it scales as 1 / weight), robust = FALSE
# as lung_fracweights.
set.seed(3)
a1 <- data.frame(g = "a", entry = 0, time = sample(1:100, 30, replace = TRUE), status = 1)
a2 <- data.frame(g = "a", entry = round(runif(40, 120, 300)))
a2$time <- a2$entry + round(rexp(40, 1 / 300)) + 1
a2$status <- rbinom(40, 1, 0.6)
b <- data.frame(g = "b", entry = round(runif(70, 0, 200)))
b$time <- b$entry + round(rexp(70, 1 / 300)) + 1
b$status <- rbinom(70, 1, 0.6)
fw <- rbind(a1, a2, b)
fw$w <- round(runif(nrow(fw), 0.5, 2), 3)
write.csv(fw, "data/surv_entry_fracweights.csv", row.names = FALSE)
fw$wi <- round(fw$w * 1000)
s <- summary(survfit(Surv(entry, time, status) ~ g, data = fw, weights = wi, robust = FALSE),
             censored = TRUE)
se <- s$std.err * sqrt(1000)
ci <- survival:::survfit_confint(s$surv, se / s$surv, logse = TRUE, "log", 0.95)
out(data.frame(stratum = labels(s$strata, length(s$time)), time = s$time,
               n_risk = s$n.risk / 1000, n_event = s$n.event / 1000,
               n_censor = s$n.censor / 1000, surv = s$surv, std_err = se, lower = ci$lower,
               upper = ci$upper), "surv_entry_fracweights.csv")
