# nps_rocks.R -- regenerates nps_rocks.csv
# R version 4.2.2 Patched (2022-11-10 r83330); base R only. CRAN package NPS 1.1 (Brendan Rocks) is not
# installable here (not in Debian, CRAN unreachable), so its functions are TRANSCRIBED below, verbatim in
# substance, from GitHub cran/NPS, file R/Documented_Small_NPS_Functions.r,
# commit 0ad4bd5cdb74fdc8fdb7eef2328d510c4a8f4056 (GPL-2): nps, npc, npvar, nps.var, nps.se, nps.test.
# Input: nps_testdata.csv beside this script (the package's `testdata`; REC = 0..10, BU, Region; copied from
#   the project's shared reference data, GPL-2 like the package).
# Run: Rscript nps_rocks.R   (reads the input from the path above; pass another path as first argument)
#
# Rows kind="group": for all, each BU and each Region: n (= sum(!is.na(npc(x)))), detractors/passives/promoters,
#   nps = nps(x) on Rocks' [-1, 1] scale, nps_pct = 100 * nps, variance = nps.var(x) (= npvar: (p+ + p-) - (p+ - p-)^2,
#   i.e. the population variance of the -1/0/1 scores, divisor n), se = nps.se(x) = sqrt(variance / n),
#   one-sample nps.test(x) (Wald/Z test of NPS = 0, conf 0.95): test_int1, test_int2 exactly as the package returns
#   `int` -- NOTE its one-sample `int` is c(nps + z*se, nps - z*se), i.e. upper limit FIRST --, and
#   wald_low / wald_high = the same two numbers in increasing order; p_value; delta (= |nps|); se_hat.
# Rows kind="two_sample": nps.test(x, y) for every pair of BUs and every pair of Regions (x = first, y = second):
#   nps_x, nps_y, delta = |nps_x - nps_y| (the package takes the ABSOLUTE difference), se_hat =
#   sqrt(var_x/n_x + var_y/n_y), int = delta -/+ z*se_hat (an interval around the absolute difference),
#   p_value = 1 - (2*pnorm(delta/se_hat) - 1), sig = p_value < 0.05.
# Score interval: NPS 1.1 has NO score (or other non-Wald) interval -- nps.test's docs say "Currently only the
#   Wald/Z-test is supported" -- so none is written. The intervals discussed in Rocks (2016, The American
#   Statistician 70(4)) are not in the package and were not transcribed here.
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
## ---- transcribed from cran/NPS R/Documented_Small_NPS_Functions.r @ 0ad4bd5c (roxygen comments dropped) ----
nps <- function(x, breaks = list(0:6, 7:8, 9:10)){
    x2 <- x[!is.na(x)]
    na <- ! x2 %in% unlist(breaks)
    if(mean(na) != 0)
        warning(sum(na), " values outside specified range for Recommend scale (",min(unlist(breaks)), ":", max(unlist(breaks)), "), and excluded.  Use 'breaks' to change this.")
    tab <- table(factor(x, levels=unlist(breaks)))
    (sum(tab[as.character(breaks[[3]])]) - sum(tab[as.character(breaks[[1]])])) / sum(tab)
}
npc <- function(x, breaks = list(0:6, 7:8, 9:10)) {
    if(!is.numeric(x)) {
        message("Warning: Data of class ",paste(class(x), collapse=" ")," supplied; converted to numeric.")
        x <- as.numeric(as.character(factor(x, levels = unlist(breaks))))
        }
    cut(x,
        c(min(unlist(breaks)-1),
            unlist(lapply(breaks, max))),
        labels = c("Detractor","Passive","Promoter")
        )
}
npvar <- function(x) {
    props <- as.numeric(prop.table(x))
    (props[3] + props[1]) - (props[3] - props[1])^2
}
nps.var <- function(x, breaks = list(0:6, 7:8, 9:10))
    npvar(table(npc(x, breaks)))
nps.se <- function(x, breaks = list(0:6, 7:8, 9:10))
   sqrt(nps.var(x)/sum(!is.na(npc(x))))
nps.test <- function(x, y=NULL, test="wald", conf = .95, breaks = list(0:6, 7:8, 9:10)){
    alpha <- 1-conf
    z     <- qnorm(1-alpha/2)
    nps.x <- nps(x)
    var.x <- nps.var(x)
    n.x   <- sum(!is.na(npc(x)))
    type <- if(is.null(y)) "One sample" else "Two sample"
    if(type == "One sample"){
        se.hat  <- sqrt(var.x/n.x)
        int     <- c(nps.x + z * sqrt(var.x/n.x), nps.x - z * se.hat)
        p.value <- 1 - (pnorm(abs(nps.x - 0) / se.hat) * 2 -1)
        delta   <- abs(0 - nps.x)
        nps.y   <- n.y <- NA
    }
    if(type == "Two sample"){
        nps.y  <- nps(y)
        var.y  <- nps.var(y)
        n.y    <- sum(!is.na(npc(y)))
        delta   <- abs(nps.x - nps.y)
        se.hat  <- sqrt((var.x/n.x) + (var.y/n.y))
        int     <- c(delta - z * se.hat, delta + z * se.hat)
        p.value <- 1 - (pnorm(delta / se.hat) * 2 -1)
    }
    out <- list(nps.x = nps.x, nps.y = nps.y, delta = delta, int = int, conf = conf, p.value = p.value, sig = p.value < alpha, se.hat = se.hat, type = type, n.x = n.x, n.y = n.y)
    class(out) <- "nps.test"
    return(out)
}
## ---- end of transcription ----
args <- commandArgs(trailingOnly = TRUE)
path <- if (length(args)) args[1] else "nps_testdata.csv"
d <- read.csv(path, stringsAsFactors = FALSE)
cols <- c("kind","case","grouping","group","group_y","n","n_y","detractors","passives","promoters","nps","nps_pct",
          "variance","se","nps_y","variance_y","delta","se_hat","test_int1","test_int2","wald_low","wald_high",
          "p_value","sig","conf")
rows <- list()
grp <- list(all = list(all = d$REC))
grp$BU <- split(d$REC, d$BU); grp$Region <- split(d$REC, d$Region)
for (g in names(grp)) for (lv in names(grp[[g]])) {
  x <- grp[[g]][[lv]]; cat3 <- table(npc(x)); t1 <- nps.test(x)
  rows[[length(rows) + 1]] <- data.frame(kind = "group", case = paste0(g, "=", lv), grouping = g, group = lv,
    group_y = "", n = sum(!is.na(npc(x))), n_y = NA, detractors = cat3[["Detractor"]], passives = cat3[["Passive"]],
    promoters = cat3[["Promoter"]], nps = nps(x), nps_pct = 100 * nps(x), variance = nps.var(x), se = nps.se(x),
    nps_y = NA, variance_y = NA, delta = t1$delta, se_hat = t1$se.hat, test_int1 = t1$int[1], test_int2 = t1$int[2],
    wald_low = min(t1$int), wald_high = max(t1$int), p_value = t1$p.value, sig = as.integer(t1$sig), conf = t1$conf,
    stringsAsFactors = FALSE)
}
for (g in c("BU", "Region")) {
  lv <- names(grp[[g]]); pr <- combn(lv, 2)
  for (j in seq_len(ncol(pr))) {
    x <- grp[[g]][[pr[1, j]]]; y <- grp[[g]][[pr[2, j]]]; t2 <- nps.test(x, y)
    rows[[length(rows) + 1]] <- data.frame(kind = "two_sample", case = sprintf("%s: %s vs %s", g, pr[1, j], pr[2, j]),
      grouping = g, group = pr[1, j], group_y = pr[2, j], n = t2$n.x, n_y = t2$n.y, detractors = NA, passives = NA,
      promoters = NA, nps = t2$nps.x, nps_pct = 100 * t2$nps.x, variance = nps.var(x), se = nps.se(x),
      nps_y = t2$nps.y, variance_y = nps.var(y), delta = t2$delta, se_hat = t2$se.hat,
      test_int1 = t2$int[1], test_int2 = t2$int[2], wald_low = t2$int[1], wald_high = t2$int[2],
      p_value = t2$p.value, sig = as.integer(t2$sig), conf = t2$conf, stringsAsFactors = FALSE)
  }
}
out <- do.call(rbind, rows)[, cols]
print(out[, c("case", "n", "nps_pct", "variance", "se", "wald_low", "wald_high", "p_value")], digits = 6)
write_full(out, "nps_rocks.csv")
