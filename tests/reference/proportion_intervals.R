# Reference values for tests/test_intervals.py (run: Rscript proportion_intervals.R > proportion_intervals.csv)
# Wilson = prop.test(correct = FALSE); Clopper-Pearson (beta) = binom.test;
# Jeffreys = Beta(x + 1/2, n - x + 1/2) quantiles (Brown, Cai & DasGupta 2001, eq. 5), with their
# L(0) = 0 and U(n) = 1 (section 4.1.2).
cases <- data.frame(x = c(0, 1, 7, 15, 48, 120, 299), n = c(20, 20, 20, 50, 60, 400, 300))
conf <- c(0.95, 0.9)
rows <- list()
for (i in seq_len(nrow(cases))) for (cl in conf) {
  x <- cases$x[i]; n <- cases$n[i]
  w <- prop.test(x, n, conf.level = cl, correct = FALSE)$conf.int
  b <- binom.test(x, n, conf.level = cl)$conf.int
  a <- (1 - cl) / 2
  j <- qbeta(c(a, 1 - a), x + 0.5, n - x + 0.5)
  if (x == 0) j[1] <- 0
  if (x == n) j[2] <- 1
  rows[[length(rows) + 1]] <- data.frame(x = x, n = n, confidence = cl,
    wilson_low = w[1], wilson_high = w[2], beta_low = b[1], beta_high = b[2],
    jeffreys_low = j[1], jeffreys_high = j[2])
}
write.csv(do.call(rbind, rows), stdout(), row.names = FALSE)
