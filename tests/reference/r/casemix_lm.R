# casemix_lm.R -- regenerates casemix_data.csv and casemix_lm.csv
# R version 4.2.2 Patched (2022-11-10 r83330); base R (stats::lm) only.
# Run: Rscript casemix_lm.R
#
# Data: RNGkind("Mersenne-Twister", "Inversion", "Rejection"); set.seed(20240611); 2,000 respondents,
#   unit U1..U8 drawn with unequal probabilities, age_group ("18-34","35-49","50-64","65+") with a
#   unit-specific distribution, sex ("F","M") with a unit-specific share, score y in {-100, 0, 100}
#   (detractor/passive/promoter) drawn from probabilities depending on unit, age_group and sex.
# Model: fit <- lm(y ~ factor(unit) + factor(age_group) + factor(sex), data = d)   (treatment coding)
# Adjusters x = the dummy columns of factor(age_group) and factor(sex) in model.matrix(fit)
#   (first level dropped): "factor(age_group)35-49", "factor(age_group)50-64", "factor(age_group)65+", "factor(sex)M".
# Per unit: n, raw_mean = mean(y), xbar_<dummy> = unit mean of each dummy, adjustment = sum(beta * (xbar_unit - xbar_all)),
#   adjusted = raw_mean - adjustment  (xbar_all = mean over all 2,000 rows).
#   Check (stopifnot): adjusted == predict(fit, unit = u, adjusters at xbar_all) to 1e-9.
# kind = "coef" rows: every lm coefficient (term, estimate, se), adjuster = 1 for the four adjuster dummies.
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
RNGkind("Mersenne-Twister", "Inversion", "Rejection"); set.seed(20240611)
N <- 2000
units <- paste0("U", 1:8); ages <- c("18-34", "35-49", "50-64", "65+")
unit <- sample(units, N, replace = TRUE, prob = c(0.30, 0.20, 0.15, 0.12, 0.10, 0.07, 0.04, 0.02))
age_prob <- rbind(c(.55,.25,.15,.05), c(.10,.20,.30,.40), c(.25,.25,.25,.25), c(.40,.30,.20,.10),
                  c(.05,.15,.35,.45), c(.30,.40,.20,.10), c(.15,.15,.30,.40), c(.60,.20,.10,.10))
male_share <- c(.30, .65, .50, .40, .55, .70, .25, .50)
ui <- match(unit, units)
age_group <- vapply(ui, function(i) sample(ages, 1, prob = age_prob[i, ]), "")
sex <- ifelse(runif(N) < male_share[ui], "M", "F")
lin <- c(0.0, 0.3, -0.2, 0.5, 0.1, -0.4, 0.2, 0.6)[ui] + c(-0.5, -0.1, 0.3, 0.7)[match(age_group, ages)] +
       ifelse(sex == "M", -0.3, 0)
p_pro <- plogis(lin - 0.2); p_det <- plogis(-lin - 1.0) * (1 - p_pro)
u <- runif(N)
y <- ifelse(u < p_pro, 100, ifelse(u < p_pro + p_det, -100, 0))
d <- data.frame(id = seq_len(N), unit = unit, age_group = age_group, sex = sex, y = y, stringsAsFactors = FALSE)
write_full(d, "casemix_data.csv")

fit <- lm(y ~ factor(unit) + factor(age_group) + factor(sex), data = d)
X <- model.matrix(fit)
adj_cols <- grep("^factor\\(age_group\\)|^factor\\(sex\\)", colnames(X), value = TRUE)
beta <- coef(fit)[adj_cols]
xbar_all <- colMeans(X[, adj_cols])
U <- do.call(rbind, lapply(units, function(un) {
  k <- d$unit == un
  xb <- colMeans(X[k, adj_cols, drop = FALSE])
  adjustment <- sum(beta * (xb - xbar_all))
  raw <- mean(d$y[k])
  r <- data.frame(kind = "unit", case = paste0("unit ", un), unit = un, term = "", n = sum(k),
                  raw_mean = raw, adjustment = adjustment, adjusted = raw - adjustment,
                  estimate = NA_real_, se = NA_real_, adjuster = NA_real_, stringsAsFactors = FALSE)
  for (j in seq_along(adj_cols)) r[[paste0("xbar_", adj_cols[j])]] <- xb[j]
  for (j in seq_along(adj_cols)) r[[paste0("xbar_all_", adj_cols[j])]] <- xbar_all[j]
  r
}))
# check: adjusted = fitted value for the unit at the overall adjuster means
for (i in seq_along(units)) {
  x0 <- setNames(rep(0, ncol(X)), colnames(X)); x0["(Intercept)"] <- 1
  tn <- paste0("factor(unit)", units[i]); if (tn %in% names(x0)) x0[tn] <- 1
  x0[adj_cols] <- xbar_all
  stopifnot(abs(sum(coef(fit) * x0) - U$adjusted[i]) < 1e-9)
}
sm <- summary(fit)$coefficients
C <- data.frame(kind = "coef", case = paste0("coef ", rownames(sm)), unit = "", term = rownames(sm), n = NA_real_,
                raw_mean = NA_real_, adjustment = NA_real_, adjusted = NA_real_,
                estimate = sm[, 1], se = sm[, 2], adjuster = as.numeric(rownames(sm) %in% adj_cols),
                stringsAsFactors = FALSE)
for (nm in setdiff(names(U), names(C))) C[[nm]] <- NA_real_
write_full(rbind(U, C[, names(U)]), "casemix_lm.csv")
print(U[, c("unit", "n", "raw_mean", "adjustment", "adjusted")]); print(beta)
print(table(d$unit, d$age_group)); print(table(d$unit, d$sex)); print(table(d$y))
