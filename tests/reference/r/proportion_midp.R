# proportion_midp.R -- regenerates proportion_midp.csv
# R version 4.2.2 Patched (2022-11-10 r83330); base R only (pbinom, dbinom, uniroot).
# Run: Rscript proportion_midp.R
#
# Lancaster's mid-p interval of a binomial proportion (Agresti & Gottard 2007; exactci's midp=TRUE):
#   lower L(x): P(X > x; L) + P(X = x; L)/2 = alpha/2   (L(0) = 0)
#   upper U(x): P(X < x; U) + P(X = x; U)/2 = alpha/2   (U(n) = 1)
# solved with uniroot(tol = 1e-14), for n = 1, 5, 10, 20, 50, 200 and every x, at confidence 0.95 and 0.90.
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
for (conf in c(0.95, 0.90)) for (n in c(1, 5, 10, 20, 50, 200)) for (x in 0:n) {
  a2 <- (1 - conf) / 2
  lo <- if (x == 0) 0 else uniroot(function(p) pbinom(x, n, p, lower.tail = FALSE) + dbinom(x, n, p) / 2 - a2,
                                   c(0, 1), tol = 1e-14)$root
  hi <- if (x == n) 1 else uniroot(function(p) pbinom(x - 1, n, p) + dbinom(x, n, p) / 2 - a2,
                                   c(0, 1), tol = 1e-14)$root
  rows[[length(rows) + 1]] <- data.frame(n = n, x = x, confidence = conf, midp_low = lo, midp_high = hi)
}
write_full(do.call(rbind, rows), "proportion_midp.csv")
