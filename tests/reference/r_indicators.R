# Reference values for workbench.journey.representativeness (R-indicators and partial R-indicators).
# An independent computation in base R: the propensity model is glm() on the UNIT-level data (the workbench
# fits cell counts with statsmodels), and the indicators are computed unit by unit from the published
# formulas (Schouten, Cobben & Bethlehem 2009, Survey Methodology 35(1); Schouten, Shlomo & Skinner 2011,
# JOS 27(2); partials divided by N and R by N - 1 as in the RISQ code, de Heij, Schouten & Shlomo 2010).
#
# Run from the repository root:  Rscript tests/reference/r_indicators.R
# Writes tests/reference/r_indicators_data.csv (the units) and tests/reference/r_indicators.csv (the values).

age_levels <- c("18-34", "35-64", "65+")
lang_levels <- c("fi", "sv", "other")
rows <- list()
# A deterministic population of 600 units: every age x language cell, with invitation counts chosen so that
# older and Finnish-speaking contacts are invited more often (no random numbers, so nothing depends on RNGs).
sizes <- matrix(c(90, 30, 40,
                  120, 40, 30,
                  150, 60, 40), nrow = 3, byrow = TRUE)
invited <- matrix(c(20, 5, 6,
                    45, 10, 6,
                    80, 25, 10), nrow = 3, byrow = TRUE)
for (i in 1:3) for (j in 1:3) {
  n <- sizes[i, j]; k <- invited[i, j]
  rows[[length(rows) + 1]] <- data.frame(age_group = age_levels[i], language = lang_levels[j],
                                         y = c(rep(1, k), rep(0, n - k)))
}
units <- do.call(rbind, rows)
units$age_group <- factor(units$age_group, levels = age_levels)
units$language <- factor(units$language, levels = lang_levels)
write.csv(units, "tests/reference/r_indicators_data.csv", row.names = FALSE)

fit <- glm(y ~ age_group + language, family = binomial, data = units)
rho <- fitted(fit)
N <- length(rho)
rho_bar <- mean(rho)
S <- sqrt(sum((rho - rho_bar)^2) / (N - 1))
out <- data.frame(kind = "R", variable = "", category = "", value = 1 - 2 * S)
out <- rbind(out, data.frame(kind = "sd_propensity", variable = "", category = "", value = S))
for (z in c("age_group", "language")) {
  other <- setdiff(c("age_group", "language"), z)
  cell_mean <- ave(rho, units[[other]])          # mean propensity within cells of the other variable
  between_total <- 0; within_total <- 0
  for (k in levels(units[[z]])) {
    in_k <- units[[z]] == k
    between <- sum(in_k) * (mean(rho[in_k]) - rho_bar)^2 / N
    within <- sum((rho[in_k] - cell_mean[in_k])^2) / N
    between_total <- between_total + between; within_total <- within_total + within
    out <- rbind(out, data.frame(kind = "Pu_category", variable = z, category = k,
                                 value = sign(mean(rho[in_k]) - rho_bar) * sqrt(between)))
    out <- rbind(out, data.frame(kind = "Pc_category", variable = z, category = k, value = sqrt(within)))
  }
  out <- rbind(out, data.frame(kind = "Pu", variable = z, category = "", value = sqrt(between_total)))
  out <- rbind(out, data.frame(kind = "Pc", variable = z, category = "", value = sqrt(within_total)))
}
out$value <- sprintf("%.12f", out$value)
con <- file("tests/reference/r_indicators.csv", "w")
writeLines(c("# Produced by tests/reference/r_indicators.R (R glm on unit-level data + published formulas).",
             paste0("# ", R.version.string)), con)
write.csv(out, con, row.names = FALSE, quote = TRUE)
close(con)
