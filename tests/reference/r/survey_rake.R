# survey_rake.R -- regenerates survey_rake.csv and survey_rake_weights.csv
# R version 4.2.2 Patched (2022-11-10 r83330); survey 4.1.1 (Debian bookworm r-cran-survey)
# Run: Rscript survey_rake.R
#
# (a) the ?rake help-page example, verbatim:
#   data(api)
#   dclus1 <- svydesign(id=~dnum, weights=~pw, data=apiclus1, fpc=~fpc)
#   pop.types   <- data.frame(stype=c("E","H","M"), Freq=c(4421,755,1018))
#   pop.schwide <- data.frame(sch.wide=c("No","Yes"), Freq=c(1072,5122))
#   rclus1 <- rake(dclus1, list(~stype,~sch.wide), list(pop.types, pop.schwide))
#   svymean(~api00, rclus1); svytotal(~enroll, rclus1); svyby(~api00, ~stype, rclus1, svymean)
#   (also svymean(~enroll, rclus1) and degf(rclus1))
# (b) same raking on an unclustered design, no fpc:
#   d0 <- svydesign(id=~1, weights=~pw, data=apiclus1)
#   r0 <- rake(d0, list(~stype,~sch.wide), list(pop.types, pop.schwide))
#   svymean(~api00, r0); svymean(~enroll, r0); svytotal(~enroll, r0); svyby(~api00, ~awards, r0, svymean)
#   c0 <- calibrate(d0, ~stype+sch.wide,
#                   population=c(`(Intercept)`=6194, stypeH=755, stypeM=1018, sch.wideYes=5122), calfun="raking")
#   svymean(~api00, c0)  (and svymean(~enroll, c0), svytotal(~enroll, c0))
#   weights(r0) per row -> survey_rake_weights.csv (with snum, stype, sch.wide, and weights(c0) too)
# rake() defaults: control=list(maxit=10, epsilon=1, verbose=FALSE) -- epsilon=1 is an absolute
# tolerance on the margin totals, so the raked weights are NOT fully converged; a column
# with control=list(maxit=1000, epsilon=1e-12) ("r0_tight") is written too for comparison.
# survey 4.1.1 rake(): each cycle post-stratifies on stype then sch.wide; it stops when
# max|change in the weighted stype x sch.wide table between cycles| < epsilon (epsilon >= 1 is absolute,
# epsilon < 1 is multiplied by sum(weights)). With the default, r0 stops after 4 cycles; its sch.wide
# margin is exact (1072/5122) but its stype margin is 4420.963 / 755.009 / 1018.028, not 4421/755/1018.
# calibrate(calfun="raking") converges to its own tolerance (default epsilon=1e-7), so c0 agrees with
# r0_tight to about 1e-9 relative, not to the last digit.
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

dclus1 <- svydesign(id=~dnum, weights=~pw, data=apiclus1, fpc=~fpc)
pop.types   <- data.frame(stype=c("E","H","M"), Freq=c(4421,755,1018))
pop.schwide <- data.frame(sch.wide=c("No","Yes"), Freq=c(1072,5122))
rclus1 <- rake(dclus1, list(~stype,~sch.wide), list(pop.types, pop.schwide))

d0 <- svydesign(id=~1, weights=~pw, data=apiclus1)
r0 <- rake(d0, list(~stype,~sch.wide), list(pop.types, pop.schwide))
r0_tight <- rake(d0, list(~stype,~sch.wide), list(pop.types, pop.schwide),
                 control = list(maxit = 1000, epsilon = 1e-12, verbose = FALSE))
c0 <- calibrate(d0, ~stype+sch.wide,
                population=c(`(Intercept)`=6194, stypeH=755, stypeM=1018, sch.wideYes=5122), calfun="raking")

rows <- list()
add <- function(version, design, statistic, variable, est, se, dv = "", dom = "", df = NA)
  rows[[length(rows)+1]] <<- data.frame(
    case = paste(version, design, statistic, variable, if (nzchar(dv)) paste0(dv, "=", dom) else "", sep = "|"),
    version = version, design = design, statistic = statistic, variable = variable,
    domain_variable = dv, domain = dom, estimate = unname(est), se = unname(se), df = df,
    stringsAsFactors = FALSE)
one <- function(version, dn, d, stats) {
  for (s in stats) {
    f <- as.formula(paste0("~", s[2]))
    r <- if (s[1] == "mean") svymean(f, d) else svytotal(f, d)
    add(version, dn, s[1], s[2], coef(r), SE(r), df = degf(d))
  }
}
one("a_helppage", "rclus1", rclus1, list(c("mean","api00"), c("mean","enroll"), c("total","enroll")))
b <- svyby(~api00, ~stype, rclus1, svymean)
for (i in seq_len(nrow(b))) add("a_helppage", "rclus1", "domain_mean", "api00", coef(b)[i], SE(b)[i], "stype", as.character(b$stype[i]))
for (x in list(list("r0", r0), list("r0_tight", r0_tight), list("c0_calibrate_raking", c0))) {
  one("b_noclusters", x[[1]], x[[2]], list(c("mean","api00"), c("mean","enroll"), c("total","enroll")))
  b <- svyby(~api00, ~awards, x[[2]], svymean)
  for (i in seq_len(nrow(b))) add("b_noclusters", x[[1]], "domain_mean", "api00", coef(b)[i], SE(b)[i], "awards", as.character(b$awards[i]))
}
# raw (unraked) d0 for reference
one("b_noclusters", "d0_unraked", d0, list(c("mean","api00"), c("mean","enroll"), c("total","enroll")))
write_full(do.call(rbind, rows), "survey_rake.csv")

w <- data.frame(row = seq_len(nrow(apiclus1)), snum = apiclus1$snum, dnum = apiclus1$dnum,
                stype = as.character(apiclus1$stype), sch.wide = as.character(apiclus1$sch.wide),
                pw = apiclus1$pw, weight_r0 = weights(r0), weight_r0_tight = weights(r0_tight),
                weight_c0_calibrate_raking = weights(c0), weight_rclus1 = weights(rclus1),
                stringsAsFactors = FALSE, check.names = FALSE)
write_full(w, "survey_rake_weights.csv")
