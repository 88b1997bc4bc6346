# proportion_jeffreys.R -- regenerates proportion_jeffreys.csv
# R version 4.2.2 Patched (2022-11-10 r83330); base R (stats::qbeta) only.
# Run: Rscript proportion_jeffreys.R
#
# Jeffreys interval, Brown, Cai & DasGupta (2001, Statist. Sci. 16:101-133, sec. 4.1.2):
#   lower = qbeta(alpha/2,   x + 0.5, n - x + 0.5), except lower = 0 when x = 0
#   upper = qbeta(1-alpha/2, x + 0.5, n - x + 0.5), except upper = 1 when x = n
# for n in 1,5,10,20,50, x in 0..n, conf in 0.95, 0.90.
#
# NOTE on binom::binom.bayes (package binom not installable here; source read from
# GitHub cran/binom R/binom.bayes.R, commit 9e17da09dbe412a171583731d7882abe4f5593fe):
# binom.bayes(x, n, type="central", prior.shape1=.5, prior.shape2=.5) is NOT identical to the
# BCD Jeffreys interval at the boundaries: for x==0 or x==n it uses the full alpha in ONE tail
# (alpha is only halved for !ends), i.e. at x=0: lower=0, upper=qbeta(1-alpha, .5, n+.5);
# at x=n: lower=qbeta(alpha, n+.5, .5), upper=1. For 0<x<n the two agree exactly.
# Columns bb_central_lower/upper reproduce binom.bayes(type="central") with those lines
# transcribed (not the package itself), so tests can tell the two conventions apart.
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
rows <- list()
for (conf in c(0.95, 0.90)) for (n in c(1, 5, 10, 20, 50)) {
  x <- 0:n; a <- 1 - conf
  lo <- qbeta(a/2, x + 0.5, n - x + 0.5); hi <- qbeta(1 - a/2, x + 0.5, n - x + 0.5)
  lo[x == 0] <- 0; hi[x == n] <- 1
  # binom.bayes(type="central") transcription
  ends <- x == 0 | x == n
  al <- rep(a, length(x)); al[!ends] <- al[!ends] * 0.5
  blo <- qbeta(al, x + 0.5, n - x + 0.5); bhi <- qbeta(1 - al, x + 0.5, n - x + 0.5)
  blo[x == 0] <- 0; bhi[x == n] <- 1
  rows[[length(rows) + 1]] <- data.frame(
    case = sprintf("x=%d,n=%d,conf=%.2f", x, n, conf), x = x, n = n, conf_level = conf,
    p_hat = x / n, lower = lo, upper = hi, bb_central_lower = blo, bb_central_upper = bhi,
    stringsAsFactors = FALSE)
}
write_full(do.call(rbind, rows), "proportion_jeffreys.csv")
