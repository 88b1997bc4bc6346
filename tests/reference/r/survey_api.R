# survey_api.R -- regenerates survey_api.csv and survey_api_data.csv
# R version 4.2.2 Patched (2022-11-10 r83330); survey 4.1.1 (Debian bookworm r-cran-survey)
# Run: Rscript survey_api.R   (writes into the current directory)
#
# Exact calls (data(api) from survey):
#   srs_fpc     <- svydesign(id=~1, fpc=~fpc, data=apisrs)
#   srs_nofpc   <- svydesign(id=~1, weights=~pw, data=apisrs)
#   strat_fpc   <- svydesign(id=~1, strata=~stype, weights=~pw, fpc=~fpc, data=apistrat)
#   strat_nofpc <- svydesign(id=~1, strata=~stype, weights=~pw, data=apistrat)
#   for each d: svymean(~api00+enroll, d); svytotal(~api00+enroll, d);
#               svymean(~I(sch.wide=="Yes"), d), svytotal(~I(sch.wide=="Yes"), d)  [TRUE component];
#               degf(d);
#               confint(svymean(~api00, d), df=degf(d))   (statistic "ci_mean_t")
#               confint(svymean(~api00, d))               (statistic "ci_mean_normal")
#               svyciprop(~I(sch.wide=="Yes"), d, method=m, level=0.95) for m in logit, beta, likelihood, mean
#                 (svyciprop's default df = degf(d) is used for every method)
#               for "beta": n_eff_raw = p(1-p)/var(p) and the df-adjusted n_eff that survey 4.1.1 uses inside
#                 svyciprop: n_eff_raw * (qt(alpha/2, nrow(d)-1) / qt(alpha/2, degf(d)))^2
#   for srs_fpc and strat_fpc (also the nofpc designs, for completeness):
#               svyby(~api00, ~awards, d, svymean); svyby(~I(sch.wide=="Yes"), ~comp.imp, d, svymean) [TRUE column];
#               svyby(~enroll, ~awards, d, svytotal)
# Numbers are written with the shortest of %.15g/%.16g/%.17g that round-trips exactly to the R double.
suppressMessages(library(survey))
data(api)

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

## 1. data file
cols <- c("cds","stype","dnum","snum","pw","fpc","api00","api99","enroll","sch.wide","awards","comp.imp","both")
stack <- do.call(rbind, lapply(c("apisrs","apistrat","apiclus1"), function(nm) {
  d <- get(nm)[, cols]
  for (v in c("stype","sch.wide","awards","comp.imp","both")) d[[v]] <- as.character(d[[v]])
  data.frame(dataset = nm, d, stringsAsFactors = FALSE, check.names = FALSE)
}))
write_full(stack, "survey_api_data.csv")

## 2. estimates
designs <- list(
  srs_fpc     = list(data = "apisrs",   d = svydesign(id=~1, fpc=~fpc, data=apisrs)),
  srs_nofpc   = list(data = "apisrs",   d = svydesign(id=~1, weights=~pw, data=apisrs)),
  strat_fpc   = list(data = "apistrat", d = svydesign(id=~1, strata=~stype, weights=~pw, fpc=~fpc, data=apistrat)),
  strat_nofpc = list(data = "apistrat", d = svydesign(id=~1, strata=~stype, weights=~pw, data=apistrat))
)
rows <- list()
add <- function(dataset, design, statistic, variable, estimate, se = NA, ci_low = NA, ci_high = NA, df = NA,
                domain_variable = "", domain = "", n_eff = NA, level = NA) {
  rows[[length(rows) + 1]] <<- data.frame(
    case = paste(design, statistic, variable, if (nzchar(domain_variable)) paste0(domain_variable, "=", domain) else "", sep = "|"),
    dataset = dataset, design = design, statistic = statistic, variable = variable,
    domain_variable = domain_variable, domain = domain, estimate = unname(estimate), se = unname(se),
    ci_low = unname(ci_low), ci_high = unname(ci_high), df = unname(df), level = level, n_eff = unname(n_eff),
    stringsAsFactors = FALSE)
}
for (dn in names(designs)) {
  ds <- designs[[dn]]$data; d <- designs[[dn]]$d
  df <- degf(d)
  add(ds, dn, "degf", "", df, df = df)
  for (v in c("api00", "enroll")) {
    f <- as.formula(paste0("~", v))
    m <- svymean(f, d); t <- svytotal(f, d)
    add(ds, dn, "mean", v, coef(m), SE(m))
    add(ds, dn, "total", v, coef(t), SE(t))
  }
  m <- svymean(~I(sch.wide == "Yes"), d); t <- svytotal(~I(sch.wide == "Yes"), d)
  k <- grep("TRUE$", names(coef(m)))
  add(ds, dn, "mean", "sch.wide==Yes", coef(m)[k], SE(m)[k])
  add(ds, dn, "total", "sch.wide==Yes", coef(t)[k], SE(t)[k])
  m <- svymean(~api00, d)
  ci <- confint(m, df = degf(d))
  add(ds, dn, "ci_mean_t", "api00", coef(m), SE(m), ci[1], ci[2], df = degf(d), level = 0.95)
  ci <- confint(m)
  add(ds, dn, "ci_mean_normal", "api00", coef(m), SE(m), ci[1], ci[2], df = Inf, level = 0.95)
  for (meth in c("logit", "beta", "likelihood", "mean")) {
    cp <- svyciprop(~I(sch.wide == "Yes"), d, method = meth, level = 0.95)
    ci <- attr(cp, "ci")
    neff <- NA
    if (meth == "beta") {
      mm <- svymean(~as.numeric(I(sch.wide == "Yes")), d)
      p <- coef(mm); v <- vcov(mm)
      neff_raw <- p * (1 - p) / v
      neff_adj <- neff_raw * (qt(0.025, nrow(d) - 1) / qt(0.025, degf(d)))^2
      add(ds, dn, "ciprop_beta_neff_raw", "sch.wide==Yes", neff_raw, df = degf(d))
      neff <- neff_adj
    }
    add(ds, dn, paste0("ciprop_", meth), "sch.wide==Yes", as.numeric(cp), sqrt(as.numeric(attr(cp, "var"))),
        ci[1], ci[2], df = degf(d), n_eff = neff, level = 0.95)
  }
  # domains
  b <- svyby(~api00, ~awards, d, svymean)
  for (i in seq_len(nrow(b))) add(ds, dn, "domain_mean", "api00", coef(b)[i], SE(b)[i],
                                   domain_variable = "awards", domain = as.character(b$awards[i]))
  b <- svyby(~I(sch.wide == "Yes"), ~comp.imp, d, svymean)
  cn <- grep("TRUE$", colnames(b), value = TRUE); sn <- grep("^se.*TRUE$", colnames(b), value = TRUE)
  cn <- setdiff(cn, sn)
  for (i in seq_len(nrow(b))) add(ds, dn, "domain_mean", "sch.wide==Yes", b[i, cn], b[i, sn],
                                   domain_variable = "comp.imp", domain = as.character(b$comp.imp[i]))
  b <- svyby(~enroll, ~awards, d, svytotal)
  for (i in seq_len(nrow(b))) add(ds, dn, "domain_total", "enroll", coef(b)[i], SE(b)[i],
                                   domain_variable = "awards", domain = as.character(b$awards[i]))
}
out <- do.call(rbind, rows)
write_full(out, "survey_api.csv")
