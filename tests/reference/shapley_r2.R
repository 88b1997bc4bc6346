# Reference values for tests/text/test_drivers.py (run here: Rscript shapley_r2.R).
# Shapley decomposition of R² (LMG) by brute force: the average increase of R² over all 4! orders of
# entry, each R² from lm(). Independent of workbench's subset-weight formula and of numpy.
# Data: set.seed(13); four correlated predictors (one binary), n = 60; written to shapley_r2_data.csv.
set.seed(13)
n <- 60
x1 <- rnorm(n); x2 <- 0.6 * x1 + rnorm(n); x3 <- rbinom(n, 1, 0.3); x4 <- rnorm(n)
y <- 1 + 0.8 * x1 + 0.4 * x2 - 1.2 * x3 + rnorm(n)
d <- data.frame(y, x1, x2, x3, x4)
writeLines("# Data of shapley_r2.R (set.seed(13), R's default RNG).", "shapley_r2_data.csv")
suppressWarnings(write.table(d, "shapley_r2_data.csv", sep = ",", row.names = FALSE, append = TRUE))
r2 <- function(vars) if (length(vars) == 0) 0 else summary(lm(reformulate(vars, "y"), data = d))$r.squared
perms <- function(v) if (length(v) <= 1) list(v) else
  do.call(c, lapply(seq_along(v), function(i) lapply(perms(v[-i]), function(p) c(v[i], p))))
vars <- c("x1", "x2", "x3", "x4")
orders <- perms(vars)
phi <- setNames(numeric(length(vars)), vars)
for (p in orders) for (i in seq_along(p)) phi[p[i]] <- phi[p[i]] + r2(p[1:i]) - r2(p[seq_len(i - 1)])
phi <- phi / length(orders)
out <- data.frame(predictor = vars, shapley = phi, r2_full = r2(vars))
writeLines(paste0("# Rscript shapley_r2.R (", R.version.string, "): brute force over all orders with lm()."),
           "shapley_r2.csv")
suppressWarnings(write.table(format(out, digits = 15), "shapley_r2.csv", sep = ",", row.names = FALSE,
                             quote = FALSE, append = TRUE))
