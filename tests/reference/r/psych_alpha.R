# psych_alpha.R -- regenerates psych_alpha.csv and psych_bfi_items.csv
# R version 4.2.2 Patched (2022-11-10 r83330); psych 2.2.9, psychTools 2.2.9 (bfi data) (Debian bookworm).
# Run: Rscript psych_alpha.R
#
# scale "C_rev45": xC <- na.omit(bfi[, c("C1","C2","C3","C4","C5")]); a <- psych::alpha(xC, keys = c("C4","C5"))
# scale "A2to5":   xA <- na.omit(bfi[, c("A2","A3","A4","A5")]);       a <- psych::alpha(xA)
# Written: a$total (raw_alpha, std.alpha, G6(smc), average_r, S/N, ase, mean, sd, median_r), n = nrow(data),
#   Feldt CI as psych reports it: a$feldt$lower.ci / upper.ci  (psych:::alpha.ci:
#     lower = 1 - (1 - raw_alpha) * qf(0.975, n-1, (n-1)(k-1)), upper = 1 - (1 - raw_alpha) * qf(0.025, n-1, (n-1)(k-1)),
#     recomputed here as feldt_lower_check / feldt_upper_check),
#   Duhachek CI as printed by psych: raw_alpha -/+ 1.96 * ase.
# psych reverses keyed items as min + max - x with min/max over all items of the data (1 and 6 here), i.e. 7 - x.
# psych_bfi_items.csv: the union of both complete-case sets; columns C1..C5 with C4 and C5 ALREADY REVERSED
#   (7 - x), A2..A5 as is; in_C / in_A = row belongs to that scale's complete cases (use those rows only).
#   Checked in the script: alpha() on the written, reversed data without keys gives the same raw_alpha.
suppressMessages({library(psych); library(psychTools)})
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
data(bfi, package = "psychTools")
xC <- na.omit(bfi[, c("C1","C2","C3","C4","C5")])
xA <- na.omit(bfi[, c("A2","A3","A4","A5")])
stopifnot(min(xC) == 1, max(xC) == 6)
aC <- alpha(xC, keys = c("C4","C5"))
aA <- alpha(xA)
row <- function(scale, items, reversed, a, x) {
  n <- nrow(x); k <- ncol(x); t <- a$total
  data.frame(case = paste0("bfi ", scale), scale = scale, items = items, reversed = reversed,
             n = n, k = k, raw_alpha = t$raw_alpha, std_alpha = t$std.alpha, G6_smc = t[["G6(smc)"]],
             average_r = t$average_r, S_N = t[["S/N"]], ase = t$ase, mean = t$mean, sd = t$sd,
             median_r = t$median_r,
             feldt_lower = unname(a$feldt$lower.ci), feldt_upper = unname(a$feldt$upper.ci),
             feldt_lower_check = 1 - (1 - t$raw_alpha) * qf(0.975, n - 1, (n - 1) * (k - 1)),
             feldt_upper_check = 1 - (1 - t$raw_alpha) * qf(0.025, n - 1, (n - 1) * (k - 1)),
             duhachek_lower = t$raw_alpha - 1.96 * t$ase, duhachek_upper = t$raw_alpha + 1.96 * t$ase,
             stringsAsFactors = FALSE)
}
out <- rbind(row("C_rev45", "C1 C2 C3 C4 C5", "C4 C5", aC, xC), row("A2to5", "A2 A3 A4 A5", "", aA, xA))
write_full(out, "psych_alpha.csv")

ids <- sort(union(as.integer(rownames(xC)), as.integer(rownames(xA))))
items <- bfi[as.character(ids), c("C1","C2","C3","C4","C5","A2","A3","A4","A5")]
items$C4 <- 7 - items$C4; items$C5 <- 7 - items$C5
it <- data.frame(bfi_row = ids, items, in_C = as.integer(ids %in% as.integer(rownames(xC))),
                 in_A = as.integer(ids %in% as.integer(rownames(xA))))
it[it$in_C == 0, c("C1","C2","C3","C4","C5")] <- NA   # only complete cases of each scale carry its items
it[it$in_A == 0, c("A2","A3","A4","A5")] <- NA
stopifnot(isTRUE(all.equal(alpha(it[it$in_C == 1, c("C1","C2","C3","C4","C5")])$total$raw_alpha, aC$total$raw_alpha)))
stopifnot(isTRUE(all.equal(alpha(it[it$in_A == 1, c("A2","A3","A4","A5")])$total$raw_alpha, aA$total$raw_alpha)))
write_full(it, "psych_bfi_items.csv")
