# cox.R - expected outputs of `pronostic cox` (tests/golden/cox.cases): R's coxph() on the real
# data sets of tests/golden/data/, with efron and breslow ties, strata, factors and delayed
# entry. Run from tests/golden/: Rscript cox.R (or scripts/golden).
suppressPackageStartupMessages(library(survival))
invisible(Sys.setlocale("LC_COLLATE", "C"))   # factor levels in byte order, as pronostic orders them
rd <- function(name) read.csv(file.path("data", name), stringsAsFactors = FALSE)

# One table as pronostic writes it: a row per term, then loglik_null, loglik, n, events,
# iterations with the value in coef.
out <- function(fit, name) {
  b <- coef(fit)
  se <- sqrt(diag(fit$var))
  se[is.na(b)] <- NA
  z <- b / se
  q <- qnorm(0.975)
  terms <- data.frame(term = names(b), coef = b, exp_coef = exp(b), se = se, z = z,
                      p = pchisq(z^2, 1, lower.tail = FALSE),
                      lower = exp(b - q * se), upper = exp(b + q * se))
  extra <- data.frame(term = c("loglik_null", "loglik", "n", "events", "iterations"),
                      coef = c(fit$loglik[1], fit$loglik[2], fit$n, fit$nevent, fit$iter),
                      exp_coef = NA, se = NA, z = NA, p = NA, lower = NA, upper = NA)
  tab <- rbind(terms, extra)
  for (col in names(tab)[-1]) tab[[col]] <- ifelse(is.na(tab[[col]]), "",
                                                    sprintf("%.17g", tab[[col]]))
  write.csv(tab, file.path("expected", paste0("cox_", name, ".csv")), row.names = FALSE,
            quote = FALSE)
}

lung <- rd("lung.csv")
lung$ph.ecog_f <- NULL
out(coxph(Surv(time, status == 2) ~ age + sex + ph.ecog, lung), "lung_efron")
out(coxph(Surv(time, status == 2) ~ age + sex + ph.ecog, lung, ties = "breslow"), "lung_breslow")
lungf <- lung; lungf$ph.ecog <- factor(lungf$ph.ecog)
out(coxph(Surv(time, status == 2) ~ age + sex + ph.ecog + wt.loss, lungf), "lung_factor")
out(coxph(Surv(time, status == 2) ~ age + ph.ecog + pat.karno + strata(sex), lung), "lung_strata")
out(coxph(Surv(time, status == 2) ~ age + ph.ecog + strata(sex, inst), lung, ties = "breslow"),
    "lung_strata2_breslow")

vet <- rd("veteran.csv")
vet$celltype <- factor(vet$celltype)
out(coxph(Surv(time, status) ~ trt + celltype + karno + diagtime + age + prior, vet),
    "veteran_efron")
out(coxph(Surv(time, status) ~ celltype + karno + strata(trt), vet, ties = "breslow"),
    "veteran_strata_breslow")

ova <- rd("ovarian.csv")
out(coxph(Surv(futime, fustat) ~ age + ecog.ps + rx, ova), "ovarian_efron")
out(coxph(Surv(futime, fustat) ~ age + rx + strata(resid.ds), ova, ties = "breslow"),
    "ovarian_strata_breslow")

colon <- rd("colon.csv")
colon$rx <- factor(colon$rx); colon$differ <- factor(colon$differ)
out(coxph(Surv(time, status) ~ rx + sex + age + nodes + differ + obstruct, colon), "colon_efron")
out(coxph(Surv(time, status) ~ rx + age + nodes + strata(extent), colon, ties = "breslow"),
    "colon_strata_breslow")

# Delayed entry and a collinear column, on a derived copy of lung (data/cox_lung_entry.csv):
# entry is a fixed fraction of follow-up, age_months is 12 * age (its coefficient is NA).
le <- lung[!is.na(lung$ph.ecog), ]
set.seed(20261128)
le$entry <- floor(le$time * runif(nrow(le), 0, 0.8))
le$age_months <- 12 * le$age
write.csv(le, file.path("data", "cox_lung_entry.csv"), row.names = FALSE, na = "")
le <- rd("cox_lung_entry.csv")
out(coxph(Surv(entry, time, status == 2) ~ age + sex + ph.ecog, le), "lung_entry_efron")
out(coxph(Surv(entry, time, status == 2) ~ age + ph.ecog + strata(sex), le, ties = "breslow"),
    "lung_entry_strata_breslow")
out(coxph(Surv(time, status == 2) ~ age + sex + age_months, le), "lung_singular")

# Edge cases on small data sets written here (data/cox_edge_*.csv).
wr <- function(df, name) { write.csv(df, file.path("data", name), row.names = FALSE, na = "");
                           rd(name) }
z <- wr(data.frame(t = c(0, 0, 1, 2, 3, 4, 0, 5), s = c(1, 0, 1, 1, 0, 1, 1, 0),
                   x = c(1, 0, 0, 1, 1, 0, 2, 1)), "cox_edge_zero.csv")
out(coxph(Surv(t, s) ~ x, z), "edge_zero")
sep <- wr(data.frame(a = 0, t = 1:8, s = c(1, 1, 1, 1, 0, 1, 0, 1), x = c(1, 1, 1, 1, 0, 0, 0, 0),
                     age = c(50, 61, 45, 70, 66, 58, 49, 72)), "cox_edge_separated.csv")
out(suppressWarnings(coxph(Surv(t, s) ~ x + age, sep)), "edge_separated")
out(suppressWarnings(coxph(Surv(a, t, s) ~ x + age, sep)), "edge_separated_entry")
out(suppressWarnings(coxph(Surv(t, s) ~ x, sep, iter.max = 3)), "edge_noconverge")
out(suppressWarnings(coxph(Surv(a, t, s) ~ x, sep, iter.max = 3)), "edge_noconverge_entry")
cen <- wr(data.frame(t = c(1, 2, 3, 4, 5), s = 0, x = c(1, 2, 3, 4, 5)), "cox_edge_censored.csv")
out(coxph(Surv(t, s) ~ x, cen), "edge_censored")
mis <- wr(data.frame(t = c(5, 8, NA, 3, 9, 12, 4, 7, 10, 2),
                     s = c(1, 0, 1, 1, NA, 1, 1, 0, 1, 1),
                     x = c(1.5, 2, 3, NA, 1, 0.5, 2.5, 3.5, 1, 2),
                     g = c("a", "b", "a", "b", "a", "", "b", "a", "b", "a")), "cox_edge_missing.csv")
mis$g[mis$g == ""] <- NA
out(coxph(Surv(t, s) ~ x + g, mis), "edge_missing")

# Case weights (karno as a positive weight): model-based variance, as coxph without cluster.
out(coxph(Surv(time, status) ~ trt + age + celltype, vet, weights = karno), "veteran_weights")

# Near-tied times (data/neartie.csv, written here with 17 significant digits; surv.R and
# logrank.R read it too): pairs such as 0.1 + 0.2 and 0.3 that coxph's timefix (aeqSurv) makes
# equal, absolutely (differences below sqrt(eps)) or relative to the mean time (10 and 100 with
# differences of 3e-8 and 1e-7), and entry times just below exit times of other rows.
base <- c(0.3, 0.7, 1.1, 2.5, 4, 10, 100)
variant <- c(0.1 + 0.2, 0.1 * 7, 3.3 / 3, 2.5 * (1 + 1e-12), 4 + 1e-10, 10 * (1 + 3e-9),
             100 * (1 + 1e-9))
i <- seq_len(5 * length(base))
k <- (i - 1) %/% 5 + 1
pos <- (i - 1) %% 5 + 1
nt <- data.frame(id = i,
                 time = ifelse(pos %in% c(1, 4, 5) & !(pos == 5 & k %% 2 == 0), base[k], variant[k]),
                 status = as.integer(pos %in% c(1, 2, 5)),
                 group = ifelse(pos %in% c(1, 3) | (pos == 5 & k %% 2 == 1), "a", "b"),
                 stratum = ifelse(i %% 2 == 0, "s2", "s1"),
                 x = round(sin(i) * 2, 3))
nt$entry <- ifelse(nt$time >= 2.5 & i %% 2 == 1, 0.3 - 1e-12,
                   ifelse(nt$time >= 10 & i %% 3 == 0, 1.1 - 1e-11, 0))
ntw <- nt
for (col in c("time", "entry")) ntw[[col]] <- sprintf("%.17g", nt[[col]])
write.csv(ntw, file.path("data", "neartie.csv"), row.names = FALSE, quote = FALSE)
nt <- rd("neartie.csv")
out(coxph(Surv(time, status) ~ x + group, nt), "neartie_efron")
out(coxph(Surv(time, status) ~ x + strata(stratum), nt, ties = "breslow"), "neartie_strata_breslow")
out(coxph(Surv(entry, time, status) ~ x + group, nt), "neartie_entry_efron")
