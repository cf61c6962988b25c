# export_data.R - write the real data sets of R's survival and relsurv packages as CSV inputs
# for the golden tests (tests/golden/data/). Run from tests/golden/: Rscript export_data.R
suppressPackageStartupMessages({ library(survival); library(relsurv) })
dir.create("data", showWarnings = FALSE)
w <- function(df, name) write.csv(df, file.path("data", name), row.names = FALSE, na = "")
w(survival::lung, "lung.csv")          # NCCTG advanced lung cancer; status 1 = censored, 2 = dead
w(survival::veteran, "veteran.csv")    # VA lung cancer trial; status 1 = dead
w(survival::ovarian, "ovarian.csv")    # ovarian cancer trial; fustat 1 = dead
colon2 <- subset(survival::colon, etype == 2)   # colon cancer trial, death as the event
w(colon2, "colon.csv")
data(colrec, package = "relsurv")      # Slovenian colon and rectal cancer; time in days
w(colrec, "colrec.csv")
# survival's mgus2 (monoclonal gammopathy, 1384 subjects) as competing risks, as in survival's
# vignette "compete": time to progression to a plasma cell malignancy (pcm) or to death before
# it, in months (etime, event 0 = censored, 1 = pcm, 2 = death; status the same as text);
# etime_y: etime in whole years (ties between the event types and censorings); entry_age /
# exit_age: on the age scale (delayed entry at the age at diagnosis); agegroup: 4 age classes
m2 <- survival::mgus2
m2$etime <- with(m2, ifelse(pstat == 0, futime, ptime))
m2$event <- with(m2, ifelse(pstat == 0, 2 * death, 1))
m2$status <- c("censor", "pcm", "death")[m2$event + 1]
m2$etime_y <- round(m2$etime / 12)
m2$entry_age <- m2$age
m2$exit_age <- m2$age + m2$etime / 12
m2$agegroup <- as.character(cut(m2$age, c(0, 60, 70, 80, Inf), right = FALSE,
                                labels = c("lt60", "60-69", "70-79", "80+")))
w(m2[, c("id", "age", "sex", "agegroup", "etime", "event", "status", "etime_y", "entry_age",
         "exit_age")], "mgus2.csv")
