# metafor_blup.R -- regenerates metafor_blup.csv
# R version 4.2.2 Patched (2022-11-10 r83330); metafor 3.8.1, VGAM 1.1.7 (Debian bookworm packages).
# Run: Rscript metafor_blup.R
#
# part "bcg": dat <- escalc(measure="RR", ai=tpos, bi=tneg, ci=cpos, di=cneg, data=dat.bcg)
#             res <- rma(yi, vi, data=dat, method="DL"); b <- blup(res)   (level 95)
#             one row per trial: yi, vi, tau2, mu = coef(res), mu_se = res$se, blup pred/se/pi.lb/pi.ub.
# part "nps": 12 synthetic units (counts chosen by hand, below). Each response scored -100/0/100
#             (detractor/passive/promoter); yi = unit NPS = 100*(prom - detr)/n.
#             sigma2 = pooled within-unit variance = sum_j sum_i (y_ij - ybar_j)^2 / (N - k)  (one-way ANOVA MSW),
#             vi = sigma2 / n_i;  res <- rma(yi, vi, method="DL"); blup(res).
#             (unit-specific variances would give vi = 0 for the 3-of-3 unit; the pooled MSW avoids that.)
# part "share": 10 synthetic units x/n (by hand, below), fit <- vglm(cbind(x, n-x) ~ 1, betabinomialff,
#             control = vglm.control(epsilon = 1e-14, maxit = 500, criterion = "coefficients"));
#             (shape1, shape2) = Coef(fit).  NOTE: the likelihood is very flat along a+b; with VGAM's default
#             convergence criterion (change in log-likelihood) the shapes are only good to ~5 digits
#             (60.39219 / 46.03271 with epsilon=1e-12), hence the coefficient criterion; the result agrees with
#             nlminb to ~1e-9 relative. Tests should still allow ~1e-6 relative on shape1/shape2.
#             loglik = logLik(fit) (VGAM's value, which includes log choose(n, x));
#             loglik_nochoose = the same minus sum(lchoose(n, x)) (computed here for clarity);
#             cross-check: nlminb() on log-shapes (rel.tol = x.tol = 1e-15) of the beta-binomial log-likelihood
#             -> shape1_nlminb, shape2_nlminb; posterior per unit Beta(x+a, n-x+b):
#             post_mean = (x+a)/(n+a+b), post_lo/hi = qbeta(0.025 / 0.975, x+a, n-x+b).
suppressMessages({library(metafor); library(VGAM)})
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
cols <- c("case","part","unit","ai","bi","ci","di","detractors","passives","promoters","x","n","yi","vi",
          "sigma2","tau2","mu","mu_se","pred","se","pi_lb","pi_ub","shape1","shape2","loglik",
          "loglik_nochoose","shape1_nlminb","shape2_nlminb","post_mean","post_lo","post_hi")
mk <- function(k) { d <- as.data.frame(matrix(NA_real_, k, length(cols))); names(d) <- cols
  d$case <- ""; d$part <- ""; d$unit <- ""; d }

## (a) dat.bcg
dat <- escalc(measure="RR", ai=tpos, bi=tneg, ci=cpos, di=cneg, data=dat.bcg)
res <- rma(yi, vi, data=dat, method="DL")
b <- blup(res)
A <- mk(nrow(dat))
A$part <- "bcg"; A$unit <- paste0("trial", dat$trial); A$case <- paste0("bcg ", A$unit, " (", dat$author, " ", dat$year, ")")
A$ai <- dat$tpos; A$bi <- dat$tneg; A$ci <- dat$cpos; A$di <- dat$cneg
A$yi <- as.numeric(dat$yi); A$vi <- as.numeric(dat$vi)
A$tau2 <- res$tau2; A$mu <- as.numeric(coef(res)); A$mu_se <- res$se
A$pred <- b$pred; A$se <- b$se; A$pi_lb <- b$pi.lb; A$pi_ub <- b$pi.ub

## (b) NPS unit table (synthetic)
nps_units <- data.frame(
  unit       = sprintf("U%02d", 1:12),
  detractors = c(0, 1,  8, 12, 36, 25, 30,  20,  60,  40, 15, 10),
  passives   = c(0, 2,  6, 10, 24, 40, 60,  50, 100,  80, 25, 12),
  promoters  = c(3, 2,  6,  8, 20, 55, 60, 130, 140, 280, 20, 18))
n <- rowSums(nps_units[, 2:4]); N <- sum(n); k <- nrow(nps_units)
yi <- 100 * (nps_units$promoters - nps_units$detractors) / n
ss_within <- nps_units$promoters * (100 - yi)^2 + nps_units$passives * (0 - yi)^2 + nps_units$detractors * (-100 - yi)^2
sigma2 <- sum(ss_within) / (N - k)
vi <- sigma2 / n
res2 <- rma(yi, vi, method = "DL"); b2 <- blup(res2)
B <- mk(k)
B$part <- "nps"; B$unit <- nps_units$unit
B$case <- sprintf("nps %s %d/%d/%d", B$unit, nps_units$detractors, nps_units$passives, nps_units$promoters)
B$detractors <- nps_units$detractors; B$passives <- nps_units$passives; B$promoters <- nps_units$promoters
B$n <- n; B$yi <- yi; B$vi <- vi; B$sigma2 <- sigma2
B$tau2 <- res2$tau2; B$mu <- as.numeric(coef(res2)); B$mu_se <- res2$se
B$pred <- b2$pred; B$se <- b2$se; B$pi_lb <- b2$pi.lb; B$pi_ub <- b2$pi.ub

## (c) binary share table (synthetic) with VGAM beta-binomial
sh <- data.frame(unit = sprintf("S%02d", 1:10),
                 x = c(3, 2, 12, 18, 30, 45, 70,  90, 100, 160),
                 n = c(3, 5, 20, 40, 50, 80, 100, 150, 200, 300))
fit <- vglm(cbind(x, n - x) ~ 1, betabinomialff, data = sh,
            control = vglm.control(epsilon = 1e-14, maxit = 500, criterion = "coefficients"))
ab <- as.numeric(Coef(fit)); a <- ab[1]; bb <- ab[2]
ll <- as.numeric(logLik(fit))
bbll <- function(th) { a <- exp(th[1]); b <- exp(th[2])
  sum(lchoose(sh$n, sh$x) + lbeta(sh$x + a, sh$n - sh$x + b) - lbeta(a, b)) }
op <- nlminb(log(ab) + 0.1, function(th) -bbll(th),
             control = list(rel.tol = 1e-15, x.tol = 1e-15, eval.max = 1e4, iter.max = 1e4))
C <- mk(nrow(sh))
C$part <- "share"; C$unit <- sh$unit; C$case <- sprintf("share %s %d/%d", sh$unit, sh$x, sh$n)
C$x <- sh$x; C$n <- sh$n; C$shape1 <- a; C$shape2 <- bb; C$loglik <- ll
C$loglik_nochoose <- ll - sum(lchoose(sh$n, sh$x))
C$shape1_nlminb <- exp(op$par[1]); C$shape2_nlminb <- exp(op$par[2])
C$post_mean <- (sh$x + a) / (sh$n + a + bb)
C$post_lo <- qbeta(0.025, sh$x + a, sh$n - sh$x + bb); C$post_hi <- qbeta(0.975, sh$x + a, sh$n - sh$x + bb)
cat("VGAM shapes:", a, bb, " nlminb:", exp(op$par), " loglik VGAM:", ll, " own:", bbll(log(ab)), "\n")
write_full(rbind(A, B, C), "metafor_blup.csv")
