# logrank.R - expected values of `pronostic logrank` from R's survival::survdiff on real data
# (tests/golden/data/). Run from tests/golden/: Rscript logrank.R. Writes expected/logrank_*.csv
# with columns group,n,observed,expected,chisq,df,p (observed and expected summed over strata).
suppressPackageStartupMessages(library(survival))
num <- function(x) ifelse(is.na(x), "", sprintf("%.17g", x))
run <- function(name, file, time, event, event_value, by, strata = NULL, rho = 0) {
  d <- read.csv(file.path("data", file))
  d$.time <- d[[time]]
  d$.event <- as.integer(d[[event]] == event_value)
  rhs <- paste(sprintf("`%s`", by), collapse = " + ")
  if (!is.null(strata)) rhs <- paste0(rhs, " + strata(", paste(sprintf("`%s`", strata), collapse = ", "), ")")
  f <- as.formula(paste("Surv(.time, .event) ~", rhs))
  fit <- survdiff(f, data = d, rho = rho)
  obs <- if (is.matrix(fit$obs)) rowSums(fit$obs) else fit$obs
  ex <- if (is.matrix(fit$exp)) rowSums(fit$exp) else fit$exp
  df <- sum(ex > 0) - 1
  labels <- trimws(gsub(" *, *", ",", gsub("`", "", names(fit$n))))
  out <- data.frame(group = c(labels, "test"),
                    n = c(num(as.numeric(fit$n)), ""),
                    observed = c(num(obs), ""), expected = c(num(ex), ""),
                    chisq = c(rep("", length(obs)), num(fit$chisq)),
                    df = c(rep("", length(obs)), as.character(df)),
                    p = c(rep("", length(obs)), num(fit$pvalue)))
  write.csv(out, file.path("expected", paste0("logrank_", name, ".csv")), row.names = FALSE, quote = 1)
}
dir.create("expected", showWarnings = FALSE)
run("lung_sex", "lung.csv", "time", "status", 2, "sex")
run("lung_sex_rho1", "lung.csv", "time", "status", 2, "sex", rho = 1)
run("lung_ecog", "lung.csv", "time", "status", 2, "ph.ecog")
run("lung_sex_strata_ecog", "lung.csv", "time", "status", 2, "sex", "ph.ecog")
run("lung_sex_strata_ecog_rho1", "lung.csv", "time", "status", 2, "sex", "ph.ecog", rho = 1)
run("lung_sex_strata_inst_ecog", "lung.csv", "time", "status", 2, "sex", c("inst", "ph.ecog"))
run("lung_sex_rho05", "lung.csv", "time", "status", 2, "sex", rho = 0.5)
run("veteran_celltype", "veteran.csv", "time", "status", 1, "celltype")
run("veteran_celltype_rho1", "veteran.csv", "time", "status", 1, "celltype", rho = 1)
run("veteran_trt_strata_celltype", "veteran.csv", "time", "status", 1, "trt", "celltype")
run("veteran_trt_prior", "veteran.csv", "time", "status", 1, c("trt", "prior"))
run("ovarian_rx", "ovarian.csv", "futime", "fustat", 1, "rx")
run("ovarian_rx_rho1", "ovarian.csv", "futime", "fustat", 1, "rx", rho = 1)
run("ovarian_rx_strata_resid", "ovarian.csv", "futime", "fustat", 1, "rx", "resid.ds")
run("ovarian_rx_strata_resid_ecog_rho1", "ovarian.csv", "futime", "fustat", 1, "rx",
    c("resid.ds", "ecog.ps"), rho = 1)
run("colon_rx", "colon.csv", "time", "status", 1, "rx")
run("colon_rx_rho1", "colon.csv", "time", "status", 1, "rx", rho = 1)
run("colon_rx_strata_sex", "colon.csv", "time", "status", 1, "rx", "sex")
run("colon_rx_strata_differ_extent", "colon.csv", "time", "status", 1, "rx", c("differ", "extent"))
run("colon_rx_strata_differ_extent_rho1", "colon.csv", "time", "status", 1, "rx",
    c("differ", "extent"), rho = 1)
run("colon_differ_sex", "colon.csv", "time", "status", 1, c("differ", "sex"))
# near-tied times (data/neartie.csv, written by cox.R): survdiff's timefix merges them
run("neartie", "neartie.csv", "time", "status", 1, "group")
run("neartie_strata_rho1", "neartie.csv", "time", "status", 1, "group", "stratum", rho = 1)
