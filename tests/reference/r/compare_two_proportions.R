# compare_two_proportions.R -- regenerates compare_two_proportions.csv
# R version 4.2.2 Patched (2022-11-10 r83330); base R only (stats::uniroot, qnorm, optimize).
# Packages ratesci / PropCIs are not installable here (not in Debian), so every interval is written out below.
# Run: Rscript compare_two_proportions.R
#
# Difference  d = p_b - p_a = x_b/n_b - x_a/n_a, two-sided 95 %, z = qnorm(0.975). All limits in percentage points.
# Below "group 1" = b, "group 2" = a.
# (i)  Miettinen-Nurminen (1985) score interval: Z(delta) = (p1 - p2 - delta) / sqrt(V(delta)),
#      V = [p1~(1-p1~)/n1 + p2~(1-p2~)/n2] * N/(N-1), N = n1+n2, (p1~, p2~) the MLE under p1-p2 = delta,
#      from the closed-form cubic solution (Miettinen & Nurminen 1985; Farrington & Manning 1990, eq. in app.).
#      Lower limit: uniroot of Z(delta) = +z on (-1, d_hat); upper: Z(delta) = -z on (d_hat, 1);
#      uniroot(tol = 1e-13). Boundaries: if d_hat = -1 the lower limit is -1, if d_hat = +1 the upper is +1
#      (Z never reaches z on that side); Z(-1) = +Inf and Z(+1) = -Inf otherwise (V -> 0, numerator != 0);
#      0/0 at delta = d_hat is Z = 0. The closed-form restricted MLE is checked against a numerical
#      maximisation (optimize on the constrained log-likelihood) at every limit: column mn_check_mle_maxdiff.
#      (ii) Newcombe (1998) hybrid score, method 10: Wilson limits (l_i, u_i) for each p_i (no cc);
#      L = d - sqrt((p1-l1)^2 + (u2-p2)^2), U = d + sqrt((u1-p1)^2 + (p2-l2)^2).
#      (iii) Agresti-Caffo (2000): add 1 success + 1 failure per group, p~_i = (x_i+1)/(n_i+2),
#      (p~1 - p~2) +- z sqrt(p~1(1-p~1)/(n1+2) + p~2(1-p~2)/(n2+2)).
#      (iv) Wald: d +- z sqrt(p1(1-p1)/n1 + p2(1-p2)/n2).
#      AC and Wald limits are written raw (may leave [-100, 100]) and clipped to [-100, 100] (_clip columns).
#
# Cross-check of MN (printed by the script and stored in columns propcis_mn_*):
#   PropCIs::diffscoreci (PropCIs >= 0.1-7, which added the N/(N-1) factor: see cran/PropCIs NEWS,
#   commit a8bbcb81d374e3705d6cbfd04b99791c64c95c11), bisection algorithm transcribed from
#   GitHub cran/PropCIs R/diffscoreci.R, commit 2f5a00fa49c3afa1cb73da8ee566e6f67b51efc6; its helper
#   z2stat is the Mee-form cubic with var * nxy/(nxy-1) as in that NEWS entry. PropCIs stops at
#   |dp| < 1e-7 or |score - z^2| < 1e-6, so agreement is only to about 1e-6 (in proportion units).
# Published checks (asserted with stopifnot at the end of the script):
#  (P1) Newcombe (1998, Statist. Med. 17:873-890), Table II example 56/70 - 48/80 (= a minus b here, so signs flip):
#       hybrid score (method 10) 0.0524 to 0.3339  -> ours: -33.3873 to -5.2431 (b - a), rounds to the published values.
#       MN: the brief quoted "MN (0.0528, 0.3339)". Our MN is 0.05283 to 0.33817 (as a - b); PropCIs' algorithm
#       (transcribed) gives the same. The lower limit matches 0.0528; the upper 0.3339 is the hybrid's (method 10)
#       upper limit, not MN's -- as far as I recall Newcombe's Table II gives MN (method 6) 0.0528 to 0.3382,
#       Mee (method 5) 0.0533 to 0.3377 and Wald (method 1) 0.0575 to 0.3425; this script reproduces all three
#       (Mee and Wald computed at the end for the check) but the paper itself could not be opened here, so only
#       0.0528 (MN lower) and the hybrid limits are asserted.
#  (P2) R package contingencytables (Fagerland, Lydersen & Laake, "Statistical Analysis of Contingency Tables",
#       2017), unit tests in GitHub ocbe-uio/contingencytables tests/testthat/test-ch4.R
#       (commit 0c0a59f109bcb6919d57285d8dda2cefef5d5b85):
#       table [0 16; 15 57]  (0/16 vs 15/72, p1 - p2): MN -0.3164 to -0.0056
#       table [7 27; 1 33]   (7/34 vs 1/34, p1 - p2): Newcombe hybrid 0.0189 to 0.3404, Agresti-Caffo 0.0116 to 0.3217,
#                                                    Wald 0.0292 to 0.3238, Mee 0.0284 to 0.3439
#       These two are added as extra rows (source column "check_contingencytables"): "15/72 vs 0/16" and
#       "1/34 vs 7/34" in our b - a orientation; all asserted to 4 decimals.
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
z <- qnorm(0.975)

## restricted MLE under p1 - p2 = delta (closed form)
mle_cf <- function(x1, n1, x2, n2, delta) {
  p1 <- x1 / n1; p2 <- x2 / n2; th <- n2 / n1
  a <- 1 + th
  b <- -(1 + th + p1 + th * p2 + delta * (th + 2))
  c <- delta^2 + delta * (2 * p1 + th + 1) + p1 + th * p2
  d <- -p1 * delta * (1 + delta)
  v <- b^3 / (27 * a^3) - b * c / (6 * a^2) + d / (2 * a)
  s <- sqrt(max(0, b^2 / (9 * a^2) - c / (3 * a)))
  u <- if (v > 0) s else -s
  if (s == 0) { r1 <- -b / (3 * a) } else {
    w <- (pi + acos(max(-1, min(1, v / u^3)))) / 3
    r1 <- 2 * u * cos(w) - b / (3 * a)
  }
  r1 <- min(max(r1, max(0, delta)), min(1, 1 + delta))
  c(r1, r1 - delta)
}
## numerical check of the restricted MLE
mle_num <- function(x1, n1, x2, n2, delta) {
  ll <- function(q2) { q1 <- q2 + delta
    sum(c(if (x1 > 0) x1 * log(q1), if (n1 - x1 > 0) (n1 - x1) * log(1 - q1),
          if (x2 > 0) x2 * log(q2), if (n2 - x2 > 0) (n2 - x2) * log(1 - q2))) }
  lo <- max(0, -delta); hi <- min(1, 1 - delta)
  q2 <- optimize(ll, c(lo, hi), maximum = TRUE, tol = 1e-12)$maximum
  c(q2 + delta, q2)
}
mn_z <- function(x1, n1, x2, n2, delta) {
  p1 <- x1 / n1; p2 <- x2 / n2; num <- p1 - p2 - delta
  if (num == 0) return(0)
  q <- mle_cf(x1, n1, x2, n2, delta); N <- n1 + n2
  V <- (q[1] * (1 - q[1]) / n1 + q[2] * (1 - q[2]) / n2) * N / (N - 1)
  if (V <= 0) return(sign(num) * Inf)
  num / sqrt(V)
}
mn_ci <- function(x1, n1, x2, n2) {
  dh <- x1 / n1 - x2 / n2
  big <- 1e300
  f <- function(delta, target) { v <- mn_z(x1, n1, x2, n2, delta) - target; max(-big, min(big, v)) }
  lo <- if (dh <= -1) -1 else uniroot(f, c(-1, dh), target = z, tol = 1e-13)$root
  hi <- if (dh >= 1) 1 else uniroot(f, c(dh, 1), target = -z, tol = 1e-13)$root
  chk <- max(abs(c(mle_cf(x1, n1, x2, n2, lo) - mle_num(x1, n1, x2, n2, lo),
                   mle_cf(x1, n1, x2, n2, hi) - mle_num(x1, n1, x2, n2, hi))))
  c(lo, hi, chk)
}
wilson <- function(x, n) {
  p <- x / n
  ctr <- (p + z^2 / (2 * n)) / (1 + z^2 / n)
  hw <- z * sqrt(p * (1 - p) / n + z^2 / (4 * n^2)) / (1 + z^2 / n)
  c(ctr - hw, ctr + hw)
}
newcombe <- function(x1, n1, x2, n2) {
  p1 <- x1 / n1; p2 <- x2 / n2; w1 <- wilson(x1, n1); w2 <- wilson(x2, n2)
  c(p1 - p2 - sqrt((p1 - w1[1])^2 + (w2[2] - p2)^2), p1 - p2 + sqrt((w1[2] - p1)^2 + (p2 - w2[1])^2))
}
ac <- function(x1, n1, x2, n2) {
  q1 <- (x1 + 1) / (n1 + 2); q2 <- (x2 + 1) / (n2 + 2)
  se <- sqrt(q1 * (1 - q1) / (n1 + 2) + q2 * (1 - q2) / (n2 + 2))
  c(q1 - q2 - z * se, q1 - q2 + z * se)
}
wald <- function(x1, n1, x2, n2) {
  p1 <- x1 / n1; p2 <- x2 / n2; se <- sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
  c(p1 - p2 - z * se, p1 - p2 + z * se)
}
## PropCIs (>= 0.1-7) diffscoreci, transcribed for the cross-check only
propcis_z2stat <- function(p1x, nx, p1y, ny, dif) {
  diff = p1x - p1y - dif
  if (abs(diff) == 0) { fmdiff = 0 } else {
    t = ny / nx; a = 1 + t
    b = -(1 + t + p1x + t * p1y + dif * (t + 2))
    c = dif * dif + dif * (2 * p1x + t + 1) + p1x + t * p1y
    d = -p1x * dif * (1 + dif)
    v = (b / a / 3)^3 - b * c / (6 * a * a) + d / a / 2
    s = sqrt((b / a / 3)^2 - c / a / 3)
    if (v > 0) { u = s } else { u = -s }
    w = (3.141592654 + acos(v / u^3)) / 3
    p1d = 2 * u * cos(w) - b / a / 3
    p2d = p1d - dif
    nxy = nx + ny
    var = (p1d * (1 - p1d) / nx + p2d * (1 - p2d) / ny) * nxy / (nxy - 1)
    fmdiff = diff^2 / var
  }
  fmdiff
}
propcis_diffscoreci <- function(x1, n1, x2, n2, conf.level) {
  px = x1 / n1; py = x2 / n2; z = qchisq(conf.level, 1)
  proot = px - py; dp = 1 - proot; niter = 1; ul <- NA; ll <- NA
  while (niter <= 50) { dp = 0.5 * dp; up2 = proot + dp
    score = propcis_z2stat(px, n1, py, n2, up2)
    if (is.na(score)) break
    if (score < z) { proot = up2 }
    niter = niter + 1
    if ((dp < 0.0000001) || (abs(z - score) < .000001)) { niter = 51; ul = up2 } }
  proot = px - py; dp = 1 + proot; niter = 1
  while (niter <= 50) { dp = 0.5 * dp; low2 = proot - dp
    score = propcis_z2stat(px, n1, py, n2, low2)
    if (is.na(score)) break
    if (score < z) { proot = low2 }
    niter = niter + 1
    if ((dp < 0.0000001) || (abs(z - score) < .000001)) { ll = low2; niter = 51 } }
  c(ll, ul)
}

cases <- list(c(24,30,30,30), c(5,20,0,20), c(0,20,5,20), c(0,10,0,10), c(10,10,10,10), c(56,70,48,80),
              c(9,10,3,10), c(1,15,14,15), c(50,100,60,100), c(3,7,5,9), c(120,400,150,380),
              c(15,72,0,16), c(1,34,7,34))
srcs <- c(rep("brief", 11), rep("check_contingencytables", 2))
rows <- list()
for (ci in seq_along(cases)) {
  cs <- cases[[ci]]
  xa <- cs[1]; na <- cs[2]; xb <- cs[3]; nb <- cs[4]
  mn <- mn_ci(xb, nb, xa, na); nw <- newcombe(xb, nb, xa, na); a <- ac(xb, nb, xa, na); w <- wald(xb, nb, xa, na)
  pc <- tryCatch(suppressWarnings(propcis_diffscoreci(xb, nb, xa, na, 0.95)), error = function(e) c(NA, NA))
  rows[[length(rows) + 1]] <- data.frame(
    case = sprintf("%d/%d vs %d/%d", xa, na, xb, nb), source = srcs[ci], x_a = xa, n_a = na, x_b = xb, n_b = nb,
    p_a_pct = 100 * xa / na, p_b_pct = 100 * xb / nb, diff_pct = 100 * (xb / nb - xa / na), conf_level = 0.95,
    mn_low = 100 * mn[1], mn_high = 100 * mn[2],
    newcombe_low = 100 * nw[1], newcombe_high = 100 * nw[2],
    ac_low = 100 * a[1], ac_high = 100 * a[2],
    ac_low_clip = max(-100, 100 * a[1]), ac_high_clip = min(100, 100 * a[2]),
    wald_low = 100 * w[1], wald_high = 100 * w[2],
    wald_low_clip = max(-100, 100 * w[1]), wald_high_clip = min(100, 100 * w[2]),
    mn_check_mle_maxdiff = mn[3],
    propcis_mn_low = 100 * pc[1], propcis_mn_high = 100 * pc[2],
    stringsAsFactors = FALSE)
}
out <- do.call(rbind, rows)
print(out[, c("case", "mn_low", "mn_high", "propcis_mn_low", "propcis_mn_high", "newcombe_low", "newcombe_high", "mn_check_mle_maxdiff")], digits = 8)
ex <- out[out$case == "56/70 vs 48/80", ]
stopifnot(round(ex$mn_high, 2) == -5.28,
          round(ex$newcombe_low, 2) == -33.39, round(ex$newcombe_high, 2) == -5.24)
mee_z <- function(x1, n1, x2, n2, delta) { p1 <- x1/n1; p2 <- x2/n2; num <- p1 - p2 - delta
  if (num == 0) return(0); q <- mle_cf(x1, n1, x2, n2, delta)
  num / sqrt(q[1] * (1 - q[1]) / n1 + q[2] * (1 - q[2]) / n2) }
mee_ci <- function(x1, n1, x2, n2) { dh <- x1/n1 - x2/n2
  c(uniroot(function(d) mee_z(x1, n1, x2, n2, d) - z, c(-1 + 1e-9, dh), tol = 1e-13)$root,
    uniroot(function(d) mee_z(x1, n1, x2, n2, d) + z, c(dh, 1 - 1e-9), tol = 1e-13)$root) }
cat("Newcombe Table II (a), as a - b = 56/70 - 48/80:\n")
cat("  MN    ", round(-c(ex$mn_high, ex$mn_low) / 100, 4), "\n")
cat("  Mee   ", round(mee_ci(56, 70, 48, 80), 4), "\n")
cat("  Wald  ", round(-c(ex$wald_high, ex$wald_low) / 100, 4), "\n")
cat("  hybrid", round(-c(ex$newcombe_high, ex$newcombe_low) / 100, 4), "\n")
c1 <- out[out$case == "15/72 vs 0/16", ]; c2 <- out[out$case == "1/34 vs 7/34", ]
stopifnot(round(c1$mn_low / 100, 4) == -0.3164, round(c1$mn_high / 100, 4) == -0.0056,
          round(c2$newcombe_low / 100, 4) == 0.0189, round(c2$newcombe_high / 100, 4) == 0.3404,
          round(c2$ac_low / 100, 4) == 0.0116, round(c2$ac_high / 100, 4) == 0.3217,
          round(c2$wald_low / 100, 4) == 0.0292, round(c2$wald_high / 100, 4) == 0.3238,
          all(round(mee_ci(7, 34, 1, 34), 4) == c(0.0284, 0.3439)))
cat("published checks passed\n")
cat("max |MN - PropCIs transcription| (pct points):", max(abs(c(out$mn_low - out$propcis_mn_low, out$mn_high - out$propcis_mn_high)), na.rm = TRUE), "\n")
write_full(out, "compare_two_proportions.csv")
