# netsurv.R - expected values of the net-survival golden tests (tests/golden/netsurv.cases),
# computed with R's relsurv. Run from tests/golden/: Rscript netsurv.R
# The ratetables are built from the same CSV files pronostic loads (data/*.csv of the repository),
# with relsurv's conventions: age cut points at k * 365.241 days, year cut points on January 1st.
suppressPackageStartupMessages({ library(survival); library(relsurv); library(date) })
dir.create("expected", showWarnings = FALSE)
dir.create("data", showWarnings = FALSE)

# A ratetable from a CSV of daily hazards with columns age, sex, year, value (any order).
ratetable_from_csv <- function(path) {
  d <- read.csv(path, stringsAsFactors = FALSE)
  ages <- sort(unique(d$age)); years <- sort(unique(d$year)); sexes <- c("male", "female")
  a <- array(NA_real_, dim = c(length(ages), length(years), 2),
             dimnames = list(age = ages, year = years, sex = sexes))
  a[cbind(match(d$age, ages), match(d$year, years), match(d$sex, sexes))] <- d$value
  stopifnot(!anyNA(a))
  attributes(a) <- c(attributes(a), list(
    dimid = c("age", "year", "sex"), factor = c(0, 0, 1), type = c(2, 3, 1),
    cutpoints = list(ages * 365.241, mdy.date(1, 1, years), NULL)))
  class(a) <- "ratetable"
  a
}

# relsurv's colrec with the date of diagnosis as ISO text and the age also in years.
data(colrec, package = "relsurv")
iso <- as.Date(as.numeric(colrec$diag), origin = "1960-01-01")
colrec_iso <- data.frame(sex = colrec$sex, age_days = colrec$age,
                         age = colrec$age / 365.241, diag = format(iso, "%Y-%m-%d"),
                         time = colrec$time, stat = colrec$stat, stage = colrec$stage,
                         site = colrec$site)
write.csv(colrec_iso, "data/colrec_iso.csv", row.names = FALSE)

slo <- ratetable_from_csv("../../data/slopop_relsurv.csv")
fr <- ratetable_from_csv("../../data/fr_life_table_insee.csv")
times <- c(1, 3, 5, 10) * 365.241

# summary(fit, times) as pronostic's columns
at_times <- function(fit, times, file, relabel = NULL) {
  s <- summary(fit, times = times, extend = TRUE)
  strata <- if (is.null(s$strata)) rep("all", length(s$time)) else gsub(" ", "", as.character(s$strata))
  if (!is.null(relabel)) strata <- unname(relabel[strata])
  out <- data.frame(stratum = strata, time = s$time, n_risk = s$n.risk, n_event = s$n.event,
                    surv = s$surv, std_err = s$std.err, lower = s$lower, upper = s$upper)
  write.csv(out, file.path("expected", file), row.names = FALSE)
}
# every row of the curve
all_rows <- function(fit, file) {
  strata <- if (is.null(fit$strata)) rep("all", length(fit$time)) else
    rep(gsub(" ", "", names(fit$strata)), fit$strata)
  out <- data.frame(stratum = strata, time = fit$time, n_risk = fit$n.risk,
                    n_event = fit$n.event, n_censor = fit$n.censor, surv = fit$surv,
                    std_err = fit$std.err * fit$surv, lower = fit$lower, upper = fit$upper)
  write.csv(out, file.path("expected", file), row.names = FALSE)
}

d <- colrec
pp <- rs.surv(Surv(time, stat) ~ 1, data = d, ratetable = slo, method = "pohar-perme",
              rmap = list(age = age, sex = sex, year = diag))
all_rows(pp, "netsurv_colrec_pp_all.csv")
at_times(pp, times, "netsurv_colrec_pp.csv")
e2 <- rs.surv(Surv(time, stat) ~ 1, data = d, ratetable = slo, method = "ederer2",
              rmap = list(age = age, sex = sex, year = diag))
all_rows(e2, "netsurv_colrec_e2_all.csv")
at_times(e2, times, "netsurv_colrec_e2.csv")
pps <- rs.surv(Surv(time, stat) ~ sex, data = d, ratetable = slo, method = "pohar-perme",
               rmap = list(age = age, sex = sex, year = diag))
at_times(pps, times, "netsurv_colrec_pp_sex.csv")
e2s <- rs.surv(Surv(time, stat) ~ sex, data = d, ratetable = slo, method = "ederer2",
               rmap = list(age = age, sex = sex, year = diag))
at_times(e2s, times, "netsurv_colrec_e2_sex.csv")
# against relsurv's own slopop object
pp0 <- rs.surv(Surv(time, stat) ~ 1, data = d, ratetable = relsurv::slopop, method = "pohar-perme",
               rmap = list(age = age, sex = sex, year = diag))
at_times(pp0, times, "netsurv_colrec_pp_slopop.csv")

# Grafféo's test (rs.diff) by sex and by site
# One row per group (n, deaths, zh: weighted observed minus expected; rs.diff drops the last
# group's, which is minus the sum of the others), then the test row. rs.diff orders the groups
# by its dummy coding; `labels` names them in that order as pronostic does (col=value), and the
# rows are written in pronostic's order (R's factor order of the values).
diff_out <- function(r, data, by, status, labels, file) {
  ours <- paste0(by, "=", levels(factor(data[[by]])))
  n <- as.vector(r$n)
  zh <- c(as.vector(r$zh), -sum(r$zh))
  ev <- tapply(data[[status]], factor(data[[by]]), sum)
  o <- match(ours, labels)
  out <- data.frame(group = c(ours, "test"), n = c(n[o], NA), events = c(as.vector(ev), NA),
                    obs_minus_exp = c(zh[o], NA), chisq = c(rep(NA, length(o)), r$test.stat),
                    df = c(rep(NA, length(o)), r$df), p = c(rep(NA, length(o)), r$p.value))
  write.csv(out, file.path("expected", file), row.names = FALSE, na = "")
}
diff_out(rs.diff(Surv(time, stat) ~ sex, data = d, ratetable = slo,
                 rmap = list(age = age, sex = sex, year = diag)), d, "sex", "stat",
         c("sex=1", "sex=2"), "netsurv_diff_colrec_sex.csv")
diff_out(rs.diff(Surv(time, stat) ~ stage, data = d, ratetable = slo,
                 rmap = list(age = age, sex = sex, year = diag)), d, "stage", "stat",
         c("stage=1", "stage=99", "stage=3", "stage=2"), "netsurv_diff_colrec_stage.csv")

# A cohort of our own with the French table: 1500 subjects diagnosed 1990-2012 in France,
# ages 20-95, exponential excess hazard, administrative end of follow-up 2015-12-31.
set.seed(20301)
n <- 1500
fr_d <- data.frame(sex = sample(c("male", "female"), n, replace = TRUE),
                   age = round(runif(n, 20, 95), 2))
diag <- as.Date("1990-01-01") + floor(runif(n, 0, 365.25 * 23))
exc <- rexp(n, rate = 0.35 / 365.241)                # excess deaths
pop <- rexp(n, rate = (0.0001 + 0.0000012 * fr_d$age^2) / 365.241 * 0.5)
cens <- as.numeric(as.Date("2015-12-31") - diag)
t <- pmin(exc, pop, cens)
fr_d$time <- pmax(1, round(t))
fr_d$status <- as.integer(t < cens)
fr_d$diag <- format(diag, "%Y-%m-%d")
fr_d$region <- sample(c("nord", "sud"), n, replace = TRUE)
write.csv(fr_d, "data/fr_cohort.csv", row.names = FALSE)
fr_d$sexn <- ifelse(fr_d$sex == "male", 1, 2)
fr_d$agedays <- fr_d$age * 365.241
fr_d$diagdate <- as.date(as.numeric(as.Date(fr_d$diag) - as.Date("1960-01-01")))
ppf <- rs.surv(Surv(time, status) ~ 1, data = fr_d, ratetable = fr, method = "pohar-perme",
               rmap = list(age = agedays, sex = sexn, year = diagdate))
at_times(ppf, times, "netsurv_fr_pp.csv")
all_rows(ppf, "netsurv_fr_pp_all.csv")
e2f <- rs.surv(Surv(time, status) ~ region, data = fr_d, ratetable = fr, method = "ederer2",
               rmap = list(age = agedays, sex = sexn, year = diagdate))
# rs.surv names the strata of a character column by its dummy variable: relabel them
at_times(e2f, times, "netsurv_fr_e2_region.csv",
         relabel = c("regionsud=0" = "region=nord", "regionsud=1" = "region=sud"))
diff_out(rs.diff(Surv(time, status) ~ region, data = fr_d, ratetable = fr,
                 rmap = list(age = agedays, sex = sexn, year = diagdate)), fr_d, "region", "status",
         c("region=nord", "region=sud"), "netsurv_diff_fr_region.csv")

# ICSS 1 age-standardised Pohar-Perme on colrec (Corazziari 2004): the weighted sum of the
# age-group estimates, variance the weighted sum of their variances; log-type limits.
icss1 <- c(0.07, 0.12, 0.23, 0.29, 0.29)
agey <- d$age / 365.241
d$icss <- cut(agey, c(15, 45, 55, 65, 75, Inf), right = FALSE, labels = FALSE)
std_times <- c(1, 3, 5) * 365.241
std_by <- function(data, file) {
  s <- matrix(NA, 5, length(std_times)); se <- s
  for (g in 1:5) {
    f <- rs.surv(Surv(time, stat) ~ 1, data = data[!is.na(data$icss) & data$icss == g, ],
                 ratetable = slo, method = "pohar-perme", rmap = list(age = age, sex = sex, year = diag))
    sm <- summary(f, times = std_times, extend = TRUE)
    s[g, ] <- sm$surv; se[g, ] <- sm$std.err
  }
  est <- colSums(icss1 * s); sest <- sqrt(colSums(icss1^2 * se^2))
  z <- qnorm(0.975)
  out <- data.frame(stratum = "all", time = std_times, surv = est, std_err = sest,
                    lower = exp(log(est) - z * sest / est), upper = exp(log(est) + z * sest / est))
  write.csv(out, file.path("expected", file), row.names = FALSE)
}
std_by(d, "netsurv_colrec_icss1.csv")

# Conditional net survival: 5 years given 1 year survived, S(5)/S(1).
cs <- summary(pp, times = c(1, 5) * 365.241)
write.csv(data.frame(stratum = "all", time = 5 * 365.241, surv = cs$surv[2] / cs$surv[1]),
          file.path("expected", "netsurv_colrec_conditional.csv"), row.names = FALSE)

# Trend across periods of diagnosis on the French cohort: Pohar-Perme at 1 and 5 years per
# period, weighted least squares with weights 1/se^2 and the variances taken as known
# (coefficient covariance (X'WX)^-1), projection to 2030, change last - first period.
periods <- list(c(1990, 1994), c(1995, 1999), c(2000, 2004), c(2005, 2009), c(2010, 2014))
yr <- as.numeric(format(as.Date(fr_d$diag), "%Y"))
res <- NULL
for (h in c(1, 5)) {
  est <- se <- lo <- up <- nn <- ev <- mid <- numeric(0); lab <- character(0)
  for (p in periods) {
    sub <- fr_d[yr >= p[1] & yr <= p[2], ]
    f <- rs.surv(Surv(time, status) ~ 1, data = sub, ratetable = fr, method = "pohar-perme",
                 rmap = list(age = agedays, sex = sexn, year = diagdate))
    s <- summary(f, times = h * 365.241)
    est <- c(est, s$surv); se <- c(se, s$std.err); nn <- c(nn, nrow(sub))
    lo <- c(lo, s$lower); up <- c(up, s$upper)   # relsurv's own (log-type) limits
    ev <- c(ev, sum(sub$status)); mid <- c(mid, (p[1] + p[2] + 1) / 2)
    lab <- c(lab, paste0(p[1], "-", p[2]))
  }
  X <- cbind(1, mid); W <- diag(1 / se^2)
  V <- solve(t(X) %*% W %*% X); b <- V %*% t(X) %*% W %*% est
  z <- qnorm(0.975)
  slope <- b[2]; sse <- sqrt(V[2, 2])
  x0 <- c(1, 2030); proj <- sum(x0 * b); pse <- sqrt(drop(t(x0) %*% V %*% x0))
  k <- length(est); dif <- est[k] - est[1]; dse <- sqrt(se[k]^2 + se[1]^2)
  res <- rbind(res,
    data.frame(period = lab, horizon_years = h, measure = "net", estimate = est,
               lower = lo, upper = up, std_err = se, p = NA, n = nn, events = ev,
               significant = NA),
    data.frame(period = NA, horizon_years = h, measure = "trend_per_year", estimate = slope,
               lower = slope - z * sse, upper = slope + z * sse, std_err = sse,
               p = 2 * pnorm(-abs(slope / sse)), n = NA, events = NA,
               significant = ifelse(2 * pnorm(-abs(slope / sse)) < 0.05, "yes", "no")),
    data.frame(period = NA, horizon_years = h, measure = "projection_2030", estimate = proj,
               lower = max(0, proj - z * pse), upper = min(1, proj + z * pse), std_err = pse,
               p = NA, n = NA, events = NA, significant = NA),
    data.frame(period = paste(lab[k], "vs", lab[1]), horizon_years = h, measure = "improvement",
               estimate = dif, lower = dif - z * dse, upper = dif + z * dse, std_err = dse,
               p = 2 * pnorm(-abs(dif / dse)), n = NA, events = NA,
               significant = ifelse(2 * pnorm(-abs(dif / dse)) < 0.05,
                                    ifelse(dif > 0, "yes", "no (decrease)"), "no")))
}
write.csv(res, file.path("expected", "trend_fr.csv"), row.names = FALSE, na = "")

# The exact scheme (--scheme exact), computed independently: each subject's cumulative expected
# hazard is piecewise linear between its birthday cuts (k * 365.241 days of age) and January
# 1sts, integrated here knot by knot; Pohar-Perme's interval term is log(W(t_k) / W(t_{k-1}))
# over the risk set (the exact integral of the weighted mean hazard), Ederer II's the sum of
# the increments. 400 colrec patients (the computation holds a subjects x times matrix).
set.seed(7)
sub <- colrec_iso[sort(sample(nrow(colrec_iso), 400)), ]
write.csv(sub, "data/colrec_sub.csv", row.names = FALSE)
tab <- read.csv("../../data/slopop_relsurv.csv", stringsAsFactors = FALSE)
ages <- sort(unique(tab$age)); years <- sort(unique(tab$year))
agecut <- ages * 365.241
yearcut <- as.numeric(as.Date(paste0(years, "-01-01")) - as.Date("1970-01-01"))
rate <- function(a, d, s) {
  ia <- pmax(1, findInterval(a, agecut)); iy <- pmax(1, findInterval(d, yearcut))
  sx <- ifelse(s == 1, "male", "female")
  key <- paste(ages[ia], years[iy], sx)
  tab$value[match(key, paste(tab$age, tab$year, tab$sex))]
}
d0 <- as.numeric(as.Date(sub$diag) - as.Date("1970-01-01"))
grid <- sort(unique(sub$time))
# Each subject's cumulative expected hazard at the times `grid`: piecewise linear between its
# birthday cuts and January 1sts, integrated knot by knot.
cumhaz_matrix <- function(age_days, diag_day, sex, grid) {
  L <- matrix(0, length(age_days), length(grid))
  for (i in seq_along(age_days)) {
    a0 <- age_days[i]; tmax <- max(grid)
    knots <- sort(unique(c(0, agecut - a0, yearcut - diag_day[i], tmax)))
    knots <- knots[knots >= 0 & knots <= tmax]
    h <- rate(a0 + knots[-length(knots)], diag_day[i] + knots[-length(knots)], sex[i])
    cum <- c(0, cumsum(h * diff(knots)))
    L[i, ] <- approx(knots, cum, xout = grid)$y
  }
  L
}
L <- cumhaz_matrix(sub$age_days, d0, sub$sex, grid)
Lprev <- cbind(0, L[, -ncol(L), drop = FALSE])
atrisk <- outer(sub$time, grid, ">=")
dead <- outer(sub$time, grid, "==") & sub$stat == 1
W1 <- colSums(atrisk * exp(L)); W0 <- colSums(atrisk * exp(Lprev))
Dw <- colSums(dead * exp(L)); Dw2 <- colSums(dead * exp(2 * L))
n <- colSums(atrisk); d <- colSums(dead)
pp <- cumprod(1 - (Dw / W1 - log(W1 / W0))); pp_se <- sqrt(cumsum(Dw2 / W1^2))
e2 <- cumprod(1 - (d / n - colSums(atrisk * (L - Lprev)) / n)); e2_se <- sqrt(cumsum(d / n^2))
write.csv(data.frame(stratum = "all", time = grid, n_risk = n, n_event = d, surv = pp,
                     std_err = pp * pp_se), file.path("expected", "netsurv_exact_pp.csv"), row.names = FALSE)
write.csv(data.frame(stratum = "all", time = grid, n_risk = n, n_event = d, surv = e2,
                     std_err = e2 * e2_se), file.path("expected", "netsurv_exact_e2.csv"), row.names = FALSE)

# Period analysis (Brenner): follow-up restricted to the calendar window 1997-01-01..1999-12-31
# by delayed entry, exact scheme, same independent integration. A subject enters at
# max(0, from - diag), leaves at min(time, to + 1 day - diag), dead only if death is inside.
from <- as.numeric(as.Date("1997-01-01") - as.Date("1970-01-01"))
to1 <- as.numeric(as.Date("1999-12-31") - as.Date("1970-01-01")) + 1
ent <- pmax(0, from - d0); ext <- pmin(sub$time, to1 - d0)
stp <- as.integer(sub$stat == 1 & sub$time <= to1 - d0)
keep <- ext > ent
ent <- ent[keep]; ext <- ext[keep]; stp <- stp[keep]; kept <- sub[keep, ]; dk <- d0[keep]
grid <- sort(unique(ext))
L <- cumhaz_matrix(kept$age_days, dk, kept$sex, grid)
Lprev <- cbind(0, L[, -ncol(L), drop = FALSE])
atrisk <- outer(ext, grid, ">=") & outer(ent, grid, "<")
dead <- outer(ext, grid, "==") & stp == 1
W1 <- colSums(atrisk * exp(L)); W0 <- colSums(atrisk * exp(Lprev))
Dw <- colSums(dead * exp(L)); Dw2 <- colSums(dead * exp(2 * L))
n <- colSums(atrisk); d <- colSums(dead)
pp <- cumprod(1 - (Dw / W1 - log(W1 / W0))); pp_se <- sqrt(cumsum(Dw2 / W1^2))
write.csv(data.frame(stratum = "all", time = grid, n_risk = n, n_event = d, surv = pp,
                     std_err = pp * pp_se), file.path("expected", "netsurv_exact_period.csv"),
          row.names = FALSE)

# Brenner's individual weighting (--standardise-method brenner) with ICSS 1, exact scheme, the
# same independent integration on the 400 patients: w_i = W_g / (n_g / n), every sum weighted.
grid <- sort(unique(sub$time))
L <- matrix(0, nrow(sub), length(grid))
for (i in seq_len(nrow(sub))) {
  a0 <- sub$age_days[i]; tmax <- max(grid)
  knots <- sort(unique(c(0, agecut - a0, yearcut - d0[i], tmax)))
  knots <- knots[knots >= 0 & knots <= tmax]
  h <- rate(a0 + knots[-length(knots)], d0[i] + knots[-length(knots)], sub$sex[i])
  cum <- c(0, cumsum(h * diff(knots)))
  L[i, ] <- approx(knots, cum, xout = grid)$y
}
g <- cut(sub$age_days / 365.241, c(15, 45, 55, 65, 75, Inf), right = FALSE, labels = FALSE)
ok <- !is.na(g)
wt <- icss1[g] / (tabulate(g, 5)[g] / sum(ok))
L <- L[ok, , drop = FALSE]; wt <- wt[ok]; tt <- sub$time[ok]; ss <- sub$stat[ok]
grid_ok <- grid  # the grid of all subjects; times only of excluded subjects drop out below
Lprev <- cbind(0, L[, -ncol(L), drop = FALSE])
atrisk <- outer(tt, grid, ">="); dead <- outer(tt, grid, "==") & ss == 1
W1 <- colSums(atrisk * wt * exp(L)); W0 <- colSums(atrisk * wt * exp(Lprev))
Dw <- colSums(dead * wt * exp(L)); Dw2 <- colSums(dead * wt^2 * exp(2 * L))
keepk <- grid %in% tt
pp <- cumprod(1 - (Dw / W1 - log(W1 / W0))[keepk]); pp_se <- sqrt(cumsum((Dw2 / W1^2)[keepk]))
write.csv(data.frame(stratum = "all", time = grid[keepk], n_risk = colSums(atrisk)[keepk],
                     n_event = colSums(dead)[keepk], surv = pp, std_err = pp * pp_se),
          file.path("expected", "netsurv_exact_brenner.csv"), row.names = FALSE)

# --at past the last follow-up time: no row, as summary(fit, times) with R's default
# extend = FALSE (and as `pronostic surv --at`).
ext <- data.frame(time = c(100, 200, 300), status = c(1, 0, 1), age = c(60, 65, 70),
                  sex = c(1, 2, 1), year = c("2000-01-01", "2001-06-01", "2002-01-01"))
write.csv(ext, "data/netsurv_extend.csv", row.names = FALSE)
ext$agedays <- ext$age * 365.241
ext$diagdate <- as.date(as.numeric(as.Date(ext$year) - as.Date("1960-01-01")))
fe <- rs.surv(Surv(time, status) ~ 1, data = ext, ratetable = slo, method = "pohar-perme",
              rmap = list(age = agedays, sex = sex, year = diagdate))
se <- summary(fe, times = c(50, 250, 400))
write.csv(data.frame(stratum = "all", time = se$time, n_risk = se$n.risk, surv = se$surv,
                     std_err = se$std.err, lower = se$lower, upper = se$upper),
          file.path("expected", "netsurv_extend.csv"), row.names = FALSE)

# Grafféo's test with a singular variance: the French cohort followed more than 30 days, and a
# group of 6 patients all lost to follow-up before the first death (never at risk when anyone
# dies: a zero row and column of V). rs.diff's solve() stops ("system is exactly singular");
# the expected values use rs.diff's own z and V (taken out of rs.diff with solve() replaced by
# MASS::ginv) and the Moore-Penrose form z' V^+ z over all the groups (V completed with its
# last row and column: its rows sum to zero, and so does z), df the rank of V.
sg <- read.csv("data/fr_cohort.csv", stringsAsFactors = FALSE)
sg <- sg[sg$time > 30, ]
sg$grp <- sg$region
lost <- data.frame(sex = c("male", "female", "female", "male", "female", "male"),
                   age = c(61.5, 72.25, 58, 80.5, 66.75, 49), time = c(3, 7, 12, 15, 20, 28),
                   status = 0, diag = c("2001-03-04", "1998-11-20", "2005-06-30", "2010-01-15",
                                        "1995-08-08", "2008-12-01"), region = "nord",
                   grp = "lost")
sg <- rbind(sg, lost[, names(sg)])
write.csv(sg, "data/netsurv_diff_singular.csv", row.names = FALSE)
sg$sexn <- ifelse(sg$sex == "male", 1, 2)
sg$agedays <- sg$age * 365.241
sg$diagdate <- as.date(as.numeric(as.Date(sg$diag) - as.Date("1960-01-01")))
stopifnot(inherits(try(suppressWarnings(rs.diff(Surv(time, status) ~ grp, data = sg, ratetable = fr,
  rmap = list(age = agedays, sex = sexn, year = diagdate))), silent = TRUE), "try-error"))
rs_diff_zv <- relsurv::rs.diff
body(rs_diff_zv) <- do.call(substitute, list(body(rs_diff_zv), list(solve = quote(MASS::ginv))))
environment(rs_diff_zv) <- asNamespace("relsurv")
rsg <- suppressWarnings(rs_diff_zv(Surv(time, status) ~ grp, data = sg, ratetable = fr,
                                   rmap = list(age = agedays, sex = sexn, year = diagdate)))
C <- rsg$covmat
V <- rbind(cbind(C, -rowSums(C)), c(-colSums(C), sum(C)))
z <- c(as.vector(rsg$zh), -sum(rsg$zh))
rsg$test.stat <- drop(t(z) %*% MASS::ginv(V) %*% z)
rsg$df <- qr(V)$rank
rsg$p.value <- pchisq(rsg$test.stat, rsg$df, lower.tail = FALSE)
diff_out(rsg, sg, "grp", "status", c("grp=lost", "grp=sud", "grp=nord"),
         "netsurv_diff_singular.csv")
