# Reference values for tests/test_weighting.py: R survey (Lumley), run as
#   Rscript weighting.R   (in tests/reference; writes weighting_survey.csv and weighting_raked_weights.csv)
# Data: weighting_data.csv = the synthetic sample's Kainuu responses; score = NPS score (+100/0/-100),
# customers_per_year = the unit's volume N_h.
suppressMessages(library(survey))
d <- read.csv("weighting_data.csv", stringsAsFactors = FALSE)
n_h <- ave(d$score, d$unit, FUN = length)
N_h <- d$customers_per_year
out <- list()
add <- function(case, est) out[[length(out) + 1]] <<- data.frame(case = case, estimate = coef(est)[[1]], se = SE(est)[[1]])
# Stratified estimators: strata = units, weights = W_h / n_h (any constant multiple gives the same mean).
add("volume", svymean(~score, svydesign(ids = ~1, strata = ~unit, weights = ~I(N_h / n_h), data = d)))
add("volume_fpc", svymean(~score, svydesign(ids = ~1, strata = ~unit, weights = ~I(N_h / n_h), fpc = ~N_h, data = d)))
add("equal", svymean(~score, svydesign(ids = ~1, strata = ~unit, weights = ~I(1 / n_h), data = d)))
add("sqrt_volume", svymean(~score, svydesign(ids = ~1, strata = ~unit, weights = ~I(sqrt(N_h) / n_h), data = d)))
# Raking to population shares (counts = share x 100000) and the mean of the raked design.
pop <- read.csv("../../data/samples/population_margins.csv", stringsAsFactors = FALSE)
margin <- function(v) { p <- pop[pop$variable == v, ]; df <- data.frame(p$category, Freq = 1e5 * p$share); names(df)[1] <- v; df }
base <- svydesign(ids = ~1, weights = ~1, data = d)
raked <- rake(base, list(~age_group, ~sex, ~language), list(margin("age_group"), margin("sex"), margin("language")),
              control = list(maxit = 100, epsilon = 1e-12))
add("raked", svymean(~score, raked))
by_service <- svyby(~score, ~service, raked, svymean)
for (i in seq_len(nrow(by_service))) out[[length(out) + 1]] <- data.frame(case = paste0("raked:", by_service$service[i]),
  estimate = by_service$score[i], se = by_service$se[i])
write.csv(do.call(rbind, out), "weighting_survey.csv", row.names = FALSE)
w <- weights(raked)
write.csv(data.frame(weight = w / mean(w)), "weighting_raked_weights.csv", row.names = FALSE)
