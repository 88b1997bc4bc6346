# power_two_proportions.R -- regenerates power_two_proportions.csv
# R version 4.2.2 Patched (2022-11-10 r83330); pwr 1.3.0 (Debian r-cran-pwr); stats::power.prop.test.
# Run: Rscript power_two_proportions.R
#
# (a) part="n_pwr":  pwr.2p.test(h=ES.h(p2,p1), power=0.8, sig.level=0.05)$n  (two-sided; ES.h = 2asin(sqrt p2) - 2asin(sqrt p1))
#     pwr solves n with uniroot at its default tol (~1.2e-4), so column n is what pwr returns and
#     n_tight solves the same pwr power function  power(n) = 0.8  with uniroot(tol=1e-12).
# (b) part="n_power_prop_test": power.prop.test(p1=p1, p2=p2, power=0.8)$n  (sig.level=0.05, two-sided,
#     strict=FALSE); n_tight = the same call with tol=1e-12.
#     n_ceiling = ceiling(n_tight) = per-group sample size.
# (c) part="mdd_centred": for n per group in 50,100,200,400,1000, d solves
#        pwr.2p.test(h=ES.h(0.5+d/2, 0.5-d/2), n=n, sig.level=0.05)$power = 0.8   (uniroot, tol=1e-14)
#     written as mdd_pp = 100*d (percentage points);
#     part="mdd_max_over_baseline": for p1 on the grid 0, 0.0001, ..., the d with
#        pwr.2p.test(h=ES.h(p1+d, p1), n=n)$power = 0.8 (d found by uniroot; p1+d<=1 required),
#     maximised over the grid (mdd_pp, p1_at_max), plus optimize() refinement (mdd_pp_optimize, p1_optimize);
#     shows the maximum is at p1 = 0.5 - d/2, i.e. the centred case.
suppressMessages(library(pwr))
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
pw <- function(h, n) pwr.2p.test(h = h, n = n, sig.level = 0.05)$power
pairs <- list(c(0.45,0.55), c(0.5,0.6), c(0.4,0.5), c(0.2,0.3), c(0.7,0.8), c(0.05,0.1))
rows <- list()
blank <- data.frame(case = "", part = "", p1 = NA, p2 = NA, h = NA, n = NA, n_tight = NA, n_ceiling = NA,
                    power = 0.8, sig_level = 0.05, n_per_group = NA, mdd_pp = NA, p1_at_max = NA,
                    mdd_pp_optimize = NA, p1_optimize = NA, stringsAsFactors = FALSE)
for (pp in pairs) {
  p1 <- pp[1]; p2 <- pp[2]; h <- ES.h(p2, p1)
  r <- blank; r$part <- "n_pwr"; r$p1 <- p1; r$p2 <- p2; r$h <- h
  r$n <- pwr.2p.test(h = h, power = 0.8, sig.level = 0.05)$n
  r$n_tight <- uniroot(function(n) pw(h, n) - 0.8, c(2 + 1e-10, 1e9), tol = 1e-12)$root
  r$n_ceiling <- ceiling(r$n_tight); r$case <- sprintf("n_pwr %g->%g", p1, p2)
  rows[[length(rows) + 1]] <- r
  r <- blank; r$part <- "n_power_prop_test"; r$p1 <- p1; r$p2 <- p2
  r$n <- power.prop.test(p1 = p1, p2 = p2, power = 0.8)$n
  r$n_tight <- power.prop.test(p1 = p1, p2 = p2, power = 0.8, tol = 1e-12)$n
  r$n_ceiling <- ceiling(r$n_tight); r$case <- sprintf("n_power_prop_test %g->%g", p1, p2)
  rows[[length(rows) + 1]] <- r
}
d_at <- function(p1, n) {           # MDD above baseline p1 (other share p1 + d)
  f <- function(d) pw(ES.h(p1 + d, p1), n) - 0.8
  if (f(1 - p1) < 0) return(NA_real_)   # cannot reach power 0.8 below 1
  uniroot(f, c(1e-12, 1 - p1), tol = 1e-14)$root
}
grid <- seq(0, 1, by = 0.0001)
for (n in c(50, 100, 200, 400, 1000)) {
  dc <- uniroot(function(d) pw(ES.h(0.5 + d/2, 0.5 - d/2), n) - 0.8, c(1e-12, 1 - 1e-12), tol = 1e-14)$root
  r <- blank; r$part <- "mdd_centred"; r$n_per_group <- n; r$mdd_pp <- 100 * dc
  r$p1 <- 0.5 - dc/2; r$p2 <- 0.5 + dc/2; r$h <- ES.h(r$p2, r$p1); r$case <- sprintf("mdd_centred n=%d", n)
  rows[[length(rows) + 1]] <- r
  dg <- vapply(grid, d_at, 0, n = n)
  k <- which.max(dg)
  op <- optimize(function(p) { v <- d_at(p, n); if (is.na(v)) -1 else v }, c(0.3, 0.7), maximum = TRUE, tol = 1e-10)
  r <- blank; r$part <- "mdd_max_over_baseline"; r$n_per_group <- n; r$mdd_pp <- 100 * dg[k]
  r$p1_at_max <- grid[k]; r$p1 <- grid[k]; r$p2 <- grid[k] + dg[k]; r$h <- ES.h(r$p2, r$p1)
  r$mdd_pp_optimize <- 100 * op$objective; r$p1_optimize <- op$maximum
  r$case <- sprintf("mdd_max_over_baseline n=%d", n)
  rows[[length(rows) + 1]] <- r
}
write_full(do.call(rbind, rows), "power_two_proportions.csv")
