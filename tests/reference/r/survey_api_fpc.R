# survey_api_fpc.R -- regenerates survey_api_fpc.csv
# R version 4.2.2 Patched (2022-11-10 r83330); survey 4.1.1 (Debian bookworm r-cran-survey)
# Run: Rscript survey_api_fpc.R   (writes into the current directory)
#
# api's pw column is stored in single precision (apistrat: 44.209999 for 4421/100), so designs given
# weights=~pw carry that rounding (about 1e-8). svydesign computes the weights from fpc when none are
# given (prob = n_h / N_h), exactly; these designs are the references for weights derived from population
# sizes and for overall() with the strata as units:
#   strat_fpconly <- svydesign(id=~1, strata=~stype, fpc=~fpc, data=apistrat)
#   srs_fpconly   <- svydesign(id=~1, fpc=~fpc, data=apisrs)
#   for each: svymean(~api00+enroll), svytotal(~enroll), svyby(~api00, ~stype, d, svymean) (domains = strata)
#   strat_nofpc_exactw <- svydesign(id=~1, strata=~stype, weights=~I(fpc/n_h), data=apistrat)  (n_h per stratum)
#   svymean(~api00)
suppressMessages(library(survey))
data(api)
num_str <- function(x) vapply(x, function(v) {
  if (is.na(v)) return("NA")
  for (d in 15:17) { s <- sprintf(paste0("%.", d, "g"), v); if (as.numeric(s) == v) return(s) }
  sprintf("%.17g", v)
}, "")
write_full <- function(df, file) {
  isnum <- vapply(df, is.numeric, TRUE)
  for (nm in names(df)[isnum]) df[[nm]] <- num_str(as.numeric(df[[nm]]))
  write.csv(df, file, row.names = FALSE, na = "NA", quote = which(!isnum))
}
apistrat$n_h <- ave(apistrat$fpc, apistrat$stype, FUN = length)
designs <- list(
  strat_fpconly = svydesign(id=~1, strata=~stype, fpc=~fpc, data=apistrat),
  srs_fpconly = svydesign(id=~1, fpc=~fpc, data=apisrs),
  strat_nofpc_exactw = svydesign(id=~1, strata=~stype, weights=~I(fpc/n_h), data=apistrat))
rows <- list()
add <- function(design, statistic, variable, est, se, dv = "", dom = "")
  rows[[length(rows)+1]] <<- data.frame(
    case = paste(design, statistic, variable, if (nzchar(dv)) paste0(dv, "=", dom) else "", sep = "|"),
    design = design, statistic = statistic, variable = variable, domain_variable = dv, domain = dom,
    estimate = unname(est), se = unname(se), stringsAsFactors = FALSE)
for (dn in names(designs)) {
  d <- designs[[dn]]
  for (v in c("api00", "enroll")) { m <- svymean(as.formula(paste0("~", v)), d); add(dn, "mean", v, coef(m), SE(m)) }
  t <- svytotal(~enroll, d); add(dn, "total", "enroll", coef(t), SE(t))
  if (dn != "srs_fpconly") {
    b <- svyby(~api00, ~stype, d, svymean)
    for (i in seq_len(nrow(b))) add(dn, "domain_mean", "api00", coef(b)[i], SE(b)[i], "stype", as.character(b$stype[i]))
  }
}
write_full(do.call(rbind, rows), "survey_api_fpc.csv")
