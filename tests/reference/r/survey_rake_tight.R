# survey_rake_tight.R -- regenerates survey_rake_tight.csv
# R version 4.2.2 Patched (2022-11-10 r83330); survey 4.1.1 (Debian bookworm r-cran-survey)
# Run: Rscript survey_rake_tight.R   (writes into the current directory)
#
# survey_rake.R's version (a) is the ?rake help-page example with rake()'s default control
# (maxit = 10, epsilon = 1), which stops after 4 cycles with the stype margin off by up to 0.04;
# a fully converged raking cannot agree with it beyond about 1e-5. This script adds the same designs
# raked to convergence, so the clustered variance can be checked to 1e-6 and better:
#   (a2) dclus1 <- svydesign(id=~dnum, weights=~pw, data=apiclus1, fpc=~fpc)
#        rclus1_tight <- rake(dclus1, list(~stype,~sch.wide), list(pop.types, pop.schwide),
#                             control = list(maxit = 1000, epsilon = 1e-12, verbose = FALSE))
#        cclus1 <- calibrate(dclus1, ~stype+sch.wide, population = c(`(Intercept)` = 6194, stypeH = 755,
#                            stypeM = 1018, sch.wideYes = 5122), calfun = "raking", epsilon = 1e-12)
#        svymean(~api00), svymean(~enroll), svytotal(~enroll), degf, svyby(~api00, ~stype, ., svymean)
#   (c)  unequal starting weights: dstrat <- svydesign(id=~1, strata=~stype, weights=~pw, fpc=~fpc, data=apistrat)
#        rstrat_tight <- rake(dstrat, list(~sch.wide, ~awards), list(pop.schwide, pop.awards), control as above)
#        cstrat <- calibrate(dstrat, ~sch.wide+awards, population = c(`(Intercept)` = 6194,
#                            sch.wideYes = 5122, awardsYes = 3500), calfun = "raking", epsilon = 1e-12)
#        with pop.awards <- data.frame(awards = c("No", "Yes"), Freq = c(2694, 3500)) (invented margin).
#        rake()'s variance regresses the influence values on the margins with equal weights (10 backfitting
#        sweeps of unweighted category means of x / weights, svyrecvar's "raking" branch); calibrate() with
#        the starting weights (qr on sqrt(w) X, greg_calibration). With pw unequal across strata they differ;
#        the workbench follows calibrate() (Deville & Sarndal 1992). Both are written.
#   weights per row (apiclus1 and apistrat) -> survey_rake_tight_weights.csv
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
tight <- list(maxit = 1000, epsilon = 1e-12, verbose = FALSE)
pop.types   <- data.frame(stype=c("E","H","M"), Freq=c(4421,755,1018))
pop.schwide <- data.frame(sch.wide=c("No","Yes"), Freq=c(1072,5122))
pop.awards  <- data.frame(awards=c("No","Yes"), Freq=c(2694,3500))
dclus1 <- svydesign(id=~dnum, weights=~pw, data=apiclus1, fpc=~fpc)
rclus1_tight <- rake(dclus1, list(~stype,~sch.wide), list(pop.types, pop.schwide), control = tight)
cclus1 <- calibrate(dclus1, ~stype+sch.wide,
                    population = c(`(Intercept)` = 6194, stypeH = 755, stypeM = 1018, sch.wideYes = 5122),
                    calfun = "raking", epsilon = 1e-12)
dstrat <- svydesign(id=~1, strata=~stype, weights=~pw, fpc=~fpc, data=apistrat)
rstrat_tight <- rake(dstrat, list(~sch.wide, ~awards), list(pop.schwide, pop.awards), control = tight)
cstrat <- calibrate(dstrat, ~sch.wide+awards,
                    population = c(`(Intercept)` = 6194, sch.wideYes = 5122, awardsYes = 3500),
                    calfun = "raking", epsilon = 1e-12)
rows <- list()
add <- function(version, design, statistic, variable, est, se, dv = "", dom = "", df = NA)
  rows[[length(rows)+1]] <<- data.frame(
    case = paste(version, design, statistic, variable, if (nzchar(dv)) paste0(dv, "=", dom) else "", sep = "|"),
    version = version, design = design, statistic = statistic, variable = variable,
    domain_variable = dv, domain = dom, estimate = unname(est), se = unname(se), df = df,
    stringsAsFactors = FALSE)
one <- function(version, dn, d, byvar) {
  for (s in list(c("mean","api00"), c("mean","enroll"), c("total","enroll"))) {
    f <- as.formula(paste0("~", s[2]))
    r <- if (s[1] == "mean") svymean(f, d) else svytotal(f, d)
    add(version, dn, s[1], s[2], coef(r), SE(r), df = degf(d))
  }
  b <- svyby(~api00, as.formula(paste0("~", byvar)), d, svymean)
  for (i in seq_len(nrow(b))) add(version, dn, "domain_mean", "api00", coef(b)[i], SE(b)[i], byvar,
                                   as.character(b[[byvar]][i]))
}
one("a2_clusters_converged", "rclus1_tight", rclus1_tight, "stype")
one("a2_clusters_converged", "cclus1_calibrate_raking", cclus1, "stype")
one("c_unequal_start_weights", "rstrat_tight", rstrat_tight, "comp.imp")
one("c_unequal_start_weights", "cstrat_calibrate_raking", cstrat, "comp.imp")
write_full(do.call(rbind, rows), "survey_rake_tight.csv")
w <- rbind(
  data.frame(dataset = "apiclus1", row = seq_len(nrow(apiclus1)), snum = apiclus1$snum,
             weight_rake = weights(rclus1_tight), weight_calibrate = weights(cclus1)),
  data.frame(dataset = "apistrat", row = seq_len(nrow(apistrat)), snum = apistrat$snum,
             weight_rake = weights(rstrat_tight), weight_calibrate = weights(cstrat)))
write_full(w, "survey_rake_tight_weights.csv")
