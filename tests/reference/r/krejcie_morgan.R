# krejcie_morgan.R -- regenerates krejcie_morgan.csv
# R version 4.2.2 Patched (2022-11-10 r83330); base R only.
# Run: Rscript krejcie_morgan.R
#
# published_s: Krejcie, R. V. & Morgan, D. W. (1970). Determining sample size for research activities.
#   Educational and Psychological Measurement 30, 607-610, Table 1 -- typed in below by hand (the only
#   hand-typed numbers); checked against a reproduction of Table 1 (scribd document 479054838, and the
#   article text on studylib.net doc 25399219 for N = 10..140) -- all 90 rows agree.
# Formula (same article): s = X^2 N P(1-P) / (d^2 (N-1) + X^2 P(1-P)), X^2 = 3.841, P = 0.5, d = 0.05
#   formula_s        = that value (unrounded);  formula_ceiling = ceiling(formula_s); formula_round = round(formula_s)
#   formula_s_exact_chisq = same with X^2 = qchisq(0.95, 1) = 3.841458820694124...
#   differs_from_ceiling = 1 if published_s != ceiling(formula_s);  differs_from_round likewise for round().
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
N <- c(10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90, 95, 100, 110, 120, 130, 140, 150,
       160, 170, 180, 190, 200, 210, 220, 230, 240, 250, 260, 270, 280, 290, 300, 320, 340, 360, 380, 400,
       420, 440, 460, 480, 500, 550, 600, 650, 700, 750, 800, 850, 900, 950, 1000, 1100, 1200, 1300, 1400,
       1500, 1600, 1700, 1800, 1900, 2000, 2200, 2400, 2600, 2800, 3000, 3500, 4000, 4500, 5000, 6000, 7000,
       8000, 9000, 10000, 15000, 20000, 30000, 40000, 50000, 75000, 1000000)
S <- c(10, 14, 19, 24, 28, 32, 36, 40, 44, 48, 52, 56, 59, 63, 66, 70, 73, 76, 80, 86, 92, 97, 103, 108,
       113, 118, 123, 127, 132, 136, 140, 144, 148, 152, 155, 159, 162, 165, 169, 175, 181, 186, 191, 196,
       201, 205, 210, 214, 217, 226, 234, 242, 248, 254, 260, 265, 269, 274, 278, 285, 291, 297, 302,
       306, 310, 313, 317, 320, 322, 327, 331, 335, 338, 341, 346, 351, 354, 357, 361, 364,
       367, 368, 370, 375, 377, 379, 380, 381, 382, 384)
stopifnot(length(N) == 90, length(S) == 90)
km <- function(N, X2 = 3.841, P = 0.5, d = 0.05) X2 * N * P * (1 - P) / (d^2 * (N - 1) + X2 * P * (1 - P))
f <- km(N); fe <- km(N, qchisq(0.95, 1))
out <- data.frame(case = paste0("N=", N), N = N, published_s = S, formula_s = f,
                  formula_ceiling = ceiling(f), formula_round = round(f), formula_s_exact_chisq = fe,
                  differs_from_ceiling = as.integer(S != ceiling(f)), differs_from_round = as.integer(S != round(f)))
print(out[out$differs_from_ceiling == 1 | out$differs_from_round == 1, ])
write_full(out, "krejcie_morgan.csv")
