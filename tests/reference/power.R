# Reference values for tests/test_planning.py (run: Rscript power.R > power.csv). R package pwr.
# Sample size per group to detect p1 -> p2 (Cohen's h, two-sided, alpha = 0.05):
#   pwr.2p.test(h = ES.h(p2, p1), power = power)$n
# Minimal detectable difference at n per group from baseline p1:
#   h <- pwr.2p.test(n = n, power = power)$h; sin(asin(sqrt(p1)) + h/2)^2 - p1
# NPS / means (normal approximation): n = (qnorm(.975) + qnorm(power))^2 * 2 * var / diff^2.
suppressMessages(library(pwr))
rows <- list()
for (case in list(c(0.5, 0.6, 0.8), c(0.7, 0.8, 0.8), c(0.5, 0.55, 0.9))) {
  n <- pwr.2p.test(h = ES.h(case[2], case[1]), power = case[3])$n
  rows[[length(rows) + 1]] <- data.frame(kind = "n_share", p1 = case[1], value_in = 100 * (case[2] - case[1]), power = case[3], result = n)
}
for (case in list(c(0.5, 400, 0.8), c(0.8, 150, 0.8))) {
  h <- pwr.2p.test(n = case[2], power = case[3])$h
  rows[[length(rows) + 1]] <- data.frame(kind = "mdd_share", p1 = case[1], value_in = case[2], power = case[3],
                                         result = 100 * (sin(asin(sqrt(case[1])) + h / 2)^2 - case[1]))
}
z <- qnorm(0.975) + qnorm(0.8)
rows[[length(rows) + 1]] <- data.frame(kind = "n_nps_worst", p1 = NA, value_in = 10, power = 0.8, result = z^2 * 2 * 10000 / 100)
rows[[length(rows) + 1]] <- data.frame(kind = "mdd_nps_worst", p1 = NA, value_in = 400, power = 0.8, result = z * sqrt(10000 * 2 / 400))
write.csv(do.call(rbind, rows), stdout(), row.names = FALSE)
