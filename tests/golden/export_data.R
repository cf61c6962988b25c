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
