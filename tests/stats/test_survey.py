"""Design-based estimation against R survey 4.1.1 on its own api data: svymean, svytotal, svyby, svyciprop,
confint and degf, from counts, from respondents and through `overall`; raked designs (the ?rake example with
and without clusters, and unequal starting weights); the linear-time engine against the dense computation.

References: tests/reference/r/survey_api.csv (survey_api.R), survey_api_fpc.csv (survey_api_fpc.R),
survey_rake.csv (survey_rake.R) and survey_rake_tight.csv (survey_rake_tight.R); see
tests/reference/r/README.md.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import workbench as wb
import workbench._validate as validate
from workbench.stats.variance import (calibration_residuals, design_structure, group_means, group_variances,
                                      stratified_total_variance)
from conftest import REFERENCE

R = REFERENCE / "r"
API = pd.read_csv(R / "survey_api_data.csv")
SURVEY = pd.read_csv(R / "survey_api.csv").set_index("case")
RAKE = pd.read_csv(R / "survey_rake.csv").set_index("case")
RAKE_TIGHT = pd.read_csv(R / "survey_rake_tight.csv").set_index("case")
EXACT_WEIGHTS = pd.read_csv(R / "survey_api_fpc.csv").set_index("case")  # weights from fpc, not api's float32 pw
TIGHT = 1e-9  # R writes every double exactly (shortest round-trip form)

DESIGNS = {
    "srs_fpc": ("apisrs", dict(weights="pw", population="fpc")),
    "srs_nofpc": ("apisrs", dict(weights="pw")),
    "strat_fpc": ("apistrat", dict(weights="pw", strata="stype", population="fpc")),
    "strat_nofpc": ("apistrat", dict(weights="pw", strata="stype")),
}
MARGINS = {"stype": {"E": 4421, "H": 755, "M": 1018}, "sch.wide": {"No": 1072, "Yes": 5122}}


def api(name):
    return API[API["dataset"] == name].reset_index(drop=True)


def numeric(column, data):
    """A metric whose score is the column's own value (api00, enroll)."""
    values = sorted(data[column].unique())
    return wb.Metric(column, wb.Scale(column, points=values), list(values))


SCH_WIDE = wb.Metric("sch_wide", wb.Scale("No/Yes", points=("No", "Yes")), {"Yes": 100}, column="sch.wide")


def _metric(variable, data):
    return SCH_WIDE if variable == "sch.wide==Yes" else numeric(variable, data)


def _scale(variable):
    return 100.0 if variable == "sch.wide==Yes" else 1.0  # our shares are in percent


@pytest.mark.parametrize("design_name", list(DESIGNS))
@pytest.mark.parametrize("statistic, variable", [("mean", "api00"), ("mean", "enroll"), ("mean", "sch.wide==Yes"),
                                                 ("total", "api00"), ("total", "enroll"), ("total", "sch.wide==Yes")])
def test_means_and_totals_agree_with_svymean_and_svytotal(design_name, statistic, variable):
    dataset, kwargs = DESIGNS[design_name]
    data = api(dataset)
    function = wb.estimate if statistic == "mean" else wb.total
    row = function(data, _metric(variable, data), design=wb.Design(**kwargs), method="wald").iloc[0]
    ref = SURVEY.loc[f"{design_name}|{statistic}|{variable}|"]
    scale = _scale(variable) if statistic == "mean" else 1.0
    assert row["estimate"] / scale == pytest.approx(ref["estimate"], rel=TIGHT)
    assert row["se"] / scale == pytest.approx(ref["se"], rel=TIGHT)
    assert row["df"] == SURVEY.loc[f"{design_name}|degf||", "estimate"]


@pytest.mark.parametrize("design_name", list(DESIGNS))
@pytest.mark.parametrize("method, statistic", [("t", "ci_mean_t"), ("wald", "ci_mean_normal")])
def test_t_and_normal_intervals_agree_with_confint(design_name, method, statistic):
    dataset, kwargs = DESIGNS[design_name]
    data = api(dataset)
    row = wb.estimate(data, numeric("api00", data), design=wb.Design(**kwargs), method=method).iloc[0]
    ref = SURVEY.loc[f"{design_name}|{statistic}|api00|"]
    assert row["ci_low"] == pytest.approx(ref["ci_low"], rel=TIGHT)
    assert row["ci_high"] == pytest.approx(ref["ci_high"], rel=TIGHT)


@pytest.mark.parametrize("design_name", list(DESIGNS))
@pytest.mark.parametrize("method", ["logit", "beta"])
def test_share_intervals_stay_in_range_and_agree_with_svyciprop(design_name, method):
    dataset, kwargs = DESIGNS[design_name]
    data = api(dataset)
    row = wb.estimate(data, SCH_WIDE, design=wb.Design(**kwargs), method=method).iloc[0]
    ref = SURVEY.loc[f"{design_name}|ciprop_{method}|sch.wide==Yes|"]
    # R's logit interval comes from svyglm's iterative fit, whose estimate differs from the exact mean by
    # 5e-10 (relative) on apistrat; that is the limit of the agreement.
    assert row["ci_low"] / 100 == pytest.approx(ref["ci_low"], rel=TIGHT)
    assert row["ci_high"] / 100 == pytest.approx(ref["ci_high"], rel=TIGHT)
    assert 0 <= row["ci_low"] <= row["estimate"] <= row["ci_high"] <= 100


def test_shares_under_a_design_default_to_the_logit_interval():
    data = api("apistrat")
    assert wb.estimate(data, SCH_WIDE, design=wb.Design(weights="pw", strata="stype")).loc[0, "method"] == "logit"
    assert wb.estimate(data, numeric("api00", data), design=wb.Design(weights="pw")).loc[0, "method"] == "wald"


def test_logit_interval_at_zero_percent_is_undefined_with_a_warning_and_beta_is_not():
    data = pd.DataFrame({"fcr": ["no"] * 20, "w": np.linspace(1, 2, 20)})
    with pytest.warns(wb.WorkbenchWarning, match=r"The logit interval is undefined where every weighted answer is "
                                                  r"the same \(1 estimates at 0 % or 100 %\); use method='beta'"):
        logit = wb.estimate(data, "fcr", design=wb.Design(weights="w"), method="logit").iloc[0]
    assert np.isnan(logit["ci_low"]) and np.isnan(logit["ci_high"])
    beta = wb.estimate(data, "fcr", design=wb.Design(weights="w"), method="beta").iloc[0]
    # Korn-Graubard with n* = n at p = 0: the Clopper-Pearson upper limit 1 - 0.025^(1/20)
    assert beta["ci_low"] == 0 and beta["ci_high"] == pytest.approx(100 * (1 - 0.025 ** (1 / 20)), rel=1e-12)


@pytest.mark.parametrize("design_name", list(DESIGNS))
@pytest.mark.parametrize("statistic, variable, by", [("domain_mean", "api00", "awards"),
                                                     ("domain_mean", "sch.wide==Yes", "comp.imp"),
                                                     ("domain_total", "enroll", "awards")])
def test_domains_agree_with_svyby(design_name, statistic, variable, by):
    dataset, kwargs = DESIGNS[design_name]
    data = api(dataset)
    function = wb.estimate if statistic == "domain_mean" else wb.total
    result = function(data, _metric(variable, data), design=wb.Design(**kwargs), by=by, method="wald")
    assert len(result) == 2
    scale = _scale(variable) if statistic == "domain_mean" else 1.0
    for _, row in result.iterrows():
        ref = SURVEY.loc[f"{design_name}|{statistic}|{variable}|{by}={row[by]}"]
        assert row["estimate"] / scale == pytest.approx(ref["estimate"], rel=TIGHT)
        assert row["se"] / scale == pytest.approx(ref["se"], rel=TIGHT)


@pytest.mark.parametrize("population, case", [(6194, "srs_fpc"), ("fpc", "srs_fpc"), (None, "srs_nofpc")])
@pytest.mark.parametrize("variable", ["api00", "enroll", "sch.wide==Yes"])
def test_the_counts_path_gives_svymean_of_a_simple_random_sample(population, case, variable):
    data = api("apisrs")
    design = wb.Design(population=population) if population is not None else None
    row = wb.estimate(data, _metric(variable, data), design=design, method="wald").iloc[0]
    ref = SURVEY.loc[f"{case}|mean|{variable}|"]
    assert row["estimate"] / _scale(variable) == pytest.approx(ref["estimate"], rel=TIGHT)
    assert row["se"] / _scale(variable) == pytest.approx(ref["se"], rel=TIGHT)
    if population is not None:
        total = wb.total(data, _metric(variable, data), design=design).iloc[0]
        ref = SURVEY.loc[f"{case}|total|{variable}|"]
        assert total["estimate"] == pytest.approx(ref["estimate"], rel=TIGHT)
        assert total["se"] == pytest.approx(ref["se"], rel=TIGHT)


@pytest.mark.parametrize("method, statistic", [("t", "ci_mean_t"), ("wald", "ci_mean_normal")])
def test_the_counts_path_t_and_wald_intervals_agree_with_confint(method, statistic):
    data = api("apisrs")
    row = wb.estimate(data, numeric("api00", data), design=wb.Design(population=6194), method=method).iloc[0]
    ref = SURVEY.loc[f"srs_fpc|{statistic}|api00|"]
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((ref["ci_low"], ref["ci_high"]), rel=TIGHT)


def test_counts_and_respondents_give_the_same_simple_random_sample():
    """Without `by` the count path (population) and the design path (weights N/n, fpc) are one design."""
    data = api("apisrs")
    metric = numeric("api00", data)
    counts = wb.estimate(data, metric, design=wb.Design(population=6194), method="wald").iloc[0]
    design = wb.estimate(data, metric, design=wb.Design(weights="pw", population="fpc"), method="wald").iloc[0]
    for column in ("estimate", "se", "ci_low", "ci_high"):
        assert counts[column] == pytest.approx(design[column], rel=1e-12)


@pytest.mark.parametrize("fpc, case", [(True, "strat_fpconly"), (False, "strat_nofpc_exactw")])
def test_overall_with_strata_as_units_is_svymean_of_the_stratified_design(fpc, case):
    data = api("apistrat")
    volumes = {"E": 4421, "H": 755, "M": 1018}
    row = wb.overall(data, numeric("api00", data), unit="stype", scheme="volume", volumes=volumes, fpc=fpc).iloc[0]
    ref = EXACT_WEIGHTS.loc[f"{case}|mean|api00|"]
    assert row["estimate"] == pytest.approx(ref["estimate"], rel=TIGHT)
    assert row["se"] == pytest.approx(ref["se"], rel=TIGHT)


@pytest.mark.parametrize("weighted", [False, True])
def test_pooled_overall_honours_fpc(weighted):
    data = api("apisrs").assign(unit="all")
    design = wb.Design(weights="pw") if weighted else None
    metric = numeric("api00", data)
    with_fpc = wb.overall(data, metric, unit="unit", scheme="pooled", volumes={"all": 6194}, fpc=True,
                          design=design).iloc[0]
    without = wb.overall(data, metric, unit="unit", scheme="pooled", design=design).iloc[0]
    assert with_fpc["se"] == pytest.approx(SURVEY.loc["srs_fpc|mean|api00|", "se"], rel=TIGHT)
    assert without["se"] == pytest.approx(SURVEY.loc["srs_nofpc|mean|api00|", "se"], rel=TIGHT)


@pytest.mark.parametrize("case, dataset, strata", [("strat_fpconly", "apistrat", "stype"),
                                                   ("srs_fpconly", "apisrs", None)])
def test_population_sizes_give_the_weights_as_svydesign_does(case, dataset, strata):
    data = api(dataset)
    design = wb.Design(strata=strata, population="fpc")
    for function, statistic, variable in [(wb.estimate, "mean", "api00"), (wb.estimate, "mean", "enroll"),
                                          (wb.total, "total", "enroll")]:
        row = function(data, numeric(variable, data), design=design, method="wald").iloc[0]
        ref = EXACT_WEIGHTS.loc[f"{case}|{statistic}|{variable}|"]
        assert row["estimate"] == pytest.approx(ref["estimate"], rel=TIGHT)
        assert row["se"] == pytest.approx(ref["se"], rel=TIGHT)


def test_by_strata_the_design_path_and_the_counts_path_agree_with_svyby():
    """A domain that is a stratum is that stratum's own simple random sample."""
    data = api("apistrat")
    metric = numeric("api00", data)
    sizes = {"E": 4421, "H": 755, "M": 1018}
    domains = wb.estimate(data, metric, by="stype", design=wb.Design(strata="stype", population="fpc"), method="wald")
    groups = wb.estimate(data, metric, by="stype", design=wb.Design(population=sizes), method="wald")
    for frame in (domains, groups):
        for _, row in frame.iterrows():
            ref = EXACT_WEIGHTS.loc[f"strat_fpconly|domain_mean|api00|stype={row['stype']}"]
            assert row["estimate"] == pytest.approx(ref["estimate"], rel=TIGHT)
            assert row["se"] == pytest.approx(ref["se"], rel=TIGHT)


# --- raking -------------------------------------------------------------------------------------------


def _rake_rows(design, data, prefix, by):
    rows = []
    for statistic, variable in [("mean", "api00"), ("mean", "enroll"), ("total", "enroll")]:
        function = wb.estimate if statistic == "mean" else wb.total
        rows.append((f"{prefix}|{statistic}|{variable}|",
                     function(data, numeric(variable, data), design=design, method="wald").iloc[0]))
    for _, row in wb.estimate(data, numeric("api00", data), design=design, by=by, method="wald").iterrows():
        rows.append((f"{prefix}|domain_mean|api00|{by}={row[by]}", row))
    return rows


@pytest.mark.parametrize("version, reference, rel", [
    ("b_noclusters|r0_tight", RAKE, TIGHT),
    # calibrate() stops at its own tolerance (epsilon 1e-7 on the weights): agreement 8e-10
    ("b_noclusters|c0_calibrate_raking", RAKE, 1e-8),
])
def test_raked_design_without_clusters_agrees_with_r_rake_and_calibrate(version, reference, rel):
    data = api("apiclus1")
    raked = wb.rake(data, MARGINS, weights="pw", tol=1e-14, max_iter=1000)
    for case, row in _rake_rows(raked.design, data, version, "awards"):
        ref = reference.loc[case]
        assert row["estimate"] == pytest.approx(ref["estimate"], rel=rel), case
        assert row["se"] == pytest.approx(ref["se"], rel=rel), case
    weights = pd.read_csv(R / "survey_rake_weights.csv")
    np.testing.assert_allclose(raked.design.weights, weights["weight_r0_tight"], rtol=1e-12)


@pytest.mark.parametrize("version", ["rclus1_tight", "cclus1_calibrate_raking"])
def test_raked_clustered_design_agrees_with_the_rake_help_page_example_converged(version):
    data = api("apiclus1")
    start = wb.Design(weights="pw", clusters="dnum", population="fpc")
    raked = wb.rake(data, MARGINS, design=start, tol=1e-14, max_iter=1000)
    rows = _rake_rows(raked.design, data, f"a2_clusters_converged|{version}", "stype")
    assert rows[0][1]["df"] == 14
    for case, row in rows:
        ref = RAKE_TIGHT.loc[case]
        assert row["estimate"] == pytest.approx(ref["estimate"], rel=TIGHT), case
        assert row["se"] == pytest.approx(ref["se"], rel=TIGHT), case


def test_raked_se_uses_the_starting_weights_as_calibrate_does_not_rakes_backfitting():
    """apistrat's weights differ by stratum: calibrate() regresses with them, rake()'s variance does not."""
    data = api("apistrat")
    margins = {"sch.wide": {"No": 1072, "Yes": 5122}, "awards": {"No": 2694, "Yes": 3500}}
    start = wb.Design(weights="pw", strata="stype", population="fpc")
    raked = wb.rake(data, margins, design=start, tol=1e-14, max_iter=1000)
    rows = dict(_rake_rows(raked.design, data, "c_unequal_start_weights|cstrat_calibrate_raking", "comp.imp"))
    for case, row in rows.items():
        assert row["se"] == pytest.approx(RAKE_TIGHT.loc[case, "se"], rel=TIGHT), case
    rake_se = RAKE_TIGHT.loc["c_unequal_start_weights|rstrat_tight|mean|enroll|", "se"]
    assert abs(rows["c_unequal_start_weights|cstrat_calibrate_raking|mean|enroll|"]["se"] / rake_se - 1) > 0.05


def test_the_help_page_rake_stops_early_so_only_its_own_weights_reproduce_its_estimate():
    """survey_rake.csv's rclus1 used rake()'s default (4 cycles); with R's weights the estimate is exact."""
    data = api("apiclus1")
    weights = pd.read_csv(R / "survey_rake_weights.csv")
    raked = wb.rake(data, MARGINS, design=wb.Design(weights="pw", clusters="dnum", population="fpc"))
    as_r = wb.Design(weights=weights["weight_rclus1"].to_numpy(), calibration=raked.design.calibration,
                     clusters="dnum", population="fpc")
    row = wb.estimate(data, numeric("api00", data), design=as_r, method="wald").iloc[0]
    ref = RAKE.loc["a_helppage|rclus1|mean|api00|"]
    assert row["estimate"] == pytest.approx(ref["estimate"], rel=TIGHT)
    # R's variance uses the weights of each post-stratification step of its last (unconverged) cycle
    assert row["se"] == pytest.approx(ref["se"], rel=1e-5)


# --- the engine ---------------------------------------------------------------------------------------


def _dense_variances(u, w, group, n_groups, strata, clusters, fpc, calibration, start):
    """Respondents × groups influence values, residualised, summed to PSUs: the textbook computation."""
    U = np.zeros((len(u), n_groups))
    U[np.arange(len(u)), group] = u
    U = calibration_residuals(U, start, calibration)
    Z = U * w[:, None]
    psu = strata * 10_000 + (clusters if clusters is not None else np.arange(len(u)))
    ids, first, inverse = np.unique(psu, return_index=True, return_inverse=True)
    totals = np.zeros((len(ids), n_groups))
    np.add.at(totals, inverse, Z)
    psu_strata = strata[first]
    variance = np.zeros(n_groups)
    for h in np.unique(psu_strata):
        variance += fpc[h] * stratified_total_variance(totals[psu_strata == h])
    return variance


@settings(max_examples=60, deadline=None)
@given(st.integers(20, 300), st.integers(1, 8), st.integers(1, 4), st.booleans(), st.booleans(),
       st.integers(0, 2**31 - 1))
def test_engine_equals_the_dense_computation(n, n_groups, n_strata, clustered, calibrated, seed):
    rng = np.random.default_rng(seed)
    group = rng.integers(0, n_groups, n)
    strata = np.sort(rng.integers(0, n_strata, n))
    strata = np.unique(strata, return_inverse=True)[1]
    clusters = rng.integers(0, max(2, n // 6), n) if clustered else None
    w = rng.uniform(0.2, 5.0, n)
    y = rng.normal(size=n)
    fpc = rng.uniform(0.3, 1.0, strata.max() + 1)
    X = start = None
    if calibrated:
        X = np.column_stack([np.ones(n), rng.integers(0, 2, n), rng.integers(0, 3, n) == 2])
        start = rng.uniform(0.5, 2.0, n)
    structure = design_structure(n, strata, clusters, fpc)
    W = np.bincount(group, w, n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        ybar = np.bincount(group, w * y, n_groups) / W
    u = (y - ybar[group]) / W[group]
    fast = group_variances(u, w, group, n_groups, structure, calibration=X, start_weights=start)
    dense = _dense_variances(u, w, group, n_groups, strata, clusters, fpc, X, start if start is not None else w)
    np.testing.assert_allclose(fast, dense, rtol=1e-9, atol=1e-12 * max(1.0, dense.max()))


def test_engine_covariances_give_the_variance_of_a_contrast():
    rng = np.random.default_rng(3)
    n = 400
    group, strata, clusters = rng.integers(0, 3, n), rng.integers(0, 2, n), rng.integers(0, 40, n)
    y, w = rng.normal(size=n), rng.uniform(1, 3, n)
    structure = design_structure(n, strata, clusters)
    _, variance, covariance = group_means(y, w, group, 3, structure, pairs=[(0, 1)])
    W = np.bincount(group, w, 3)
    ybar = np.bincount(group, w * y, 3) / W
    u = np.where(group == 1, (y - ybar[1]) / W[1], 0.0) - np.where(group == 0, (y - ybar[0]) / W[0], 0.0)
    contrast = _dense_variances(u, w, np.zeros(n, dtype=int), 1, strata, clusters, np.ones(2), None, w)[0]
    assert variance[0] + variance[1] - 2 * covariance[0] == pytest.approx(contrast, rel=1e-10)


# --- bad input ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("design, error, match", [
    (dict(weights="pw", strata="stype", population=6194), wb.ParameterError,
     r"`population` is one number but the design has 3 strata; give a column or a mapping from stratum to size"),
    (dict(weights="pw", population={"E": 4421}), wb.ParameterError,
     r"`population` as a mapping gives one size per stratum; the design has no `strata`"),
    (dict(weights="pw", strata="stype", population={"E": 4421}), wb.DataError,
     r"`population` has no size for strata \['H', 'M'\] \(2 of 3 strata\)"),
    (dict(weights="pw", strata="stype", population={"E": 4421, "H": 7, "M": 1018}), wb.DataError,
     r"`population` is smaller than the sampled respondents in strata \['H'\] \(population \[7\.0\], sample \[50\.0\]\)"),
    (dict(weights="pw", strata="dnum", population="stype"), wb.DataError,
     r"Population column 'stype' has 200 missing or non-numeric values \(of 200 rows\)"),
    (dict(weights="pw", strata="awards", population="fpc"), wb.DataError,
     r"Population column 'fpc' must be constant within each stratum; it varies in strata \['No', 'Yes'\]"),
    (dict(weights="pw", clusters="nowhere"), wb.DataError, r"Cluster column \['nowhere'\] not found in the data"),
])
def test_bad_designs(design, error, match):
    with pytest.raises(error, match=match):
        wb.estimate(api("apistrat"), numeric("api00", api("apistrat")), design=wb.Design(**design))


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(method="score"), wb.MethodError, r"With a respondent-level design \(weights, strata, clusters or raking\) the "
                                           r"interval methods are 'wald', 't'; got 'score'"),
    (dict(method="logit"), wb.MethodError, r"the interval methods are 'wald', 't'; got 'logit'"),
])
def test_design_methods_are_checked(kwargs, error, match):
    data = api("apisrs")
    with pytest.raises(error, match=match):
        wb.estimate(data, numeric("api00", data), design=wb.Design(weights="pw"), **kwargs)


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(), wb.ParameterError, r"A population total needs the population's scale"),
    (dict(design=wb.Design(population=6194), method="logit"), wb.MethodError, r"Totals take method 'wald' or 't'; "
                                                                             r"got 'logit'"),
])
def test_total_needs_the_population(kwargs, error, match):
    data = api("apisrs")
    with pytest.raises(error, match=match):
        wb.total(data, numeric("enroll", data), **kwargs)


def test_a_design_with_counts_is_an_error():
    counts = wb.count(api("apisrs"), SCH_WIDE)
    with pytest.raises(wb.ParameterError, match=r"A design with weights, strata, clusters or raking needs "
                                                r"respondent-level data, not a count table"):
        wb.estimate(counts, SCH_WIDE, design=wb.Design(weights=np.ones(200)))


def test_data_too_large_for_memory_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(validate, "available_memory", lambda: 1000)
    with pytest.raises(wb.DataError, match=r"A design-based estimate works on every respondent and needs about "
                                           r"0\.0 GB for 200 rows \(160 bytes a row\); 0\.0 GB is available"):
        wb.estimate(api("apisrs"), SCH_WIDE, design=wb.Design(weights="pw"))
    with pytest.raises(wb.DataError, match=r"Raking works on every respondent"):
        wb.rake(api("apiclus1"), MARGINS)


@pytest.mark.parametrize("make, error, match", [
    (lambda: wb.Design(clusters=["a", "b"]), wb.ParameterError, r"`clusters` must be one column name; got \['a', 'b'\]"),
    (lambda: wb.Design(strata=3), wb.ParameterError, r"`strata` must be one column name; got 3"),
])
def test_design_arguments_are_checked(make, error, match):
    with pytest.raises(error, match=match):
        make()


@pytest.mark.parametrize("change, design, error, match", [
    (lambda d: d.assign(stype=d["stype"].where(d.index > 2)), dict(weights="pw", strata="stype"), wb.DataError,
     r"Stratum column 'stype' has 3 missing values \(of 200 rows\)"),
    (lambda d: d.assign(dnum=d["dnum"].where(d.index > 0)), dict(weights="pw", clusters="dnum"), wb.DataError,
     r"Cluster column 'dnum' has 1 missing values \(of 200 rows\)"),
    (lambda d: d, dict(weights="pw", population=-3), wb.DataError,
     r"`population` sizes must be positive numbers; got \[-3\.0\]"),
    (lambda d: d, dict(weights="pw", population=[6194]), wb.ParameterError,
     r"`population` must be a column name, a mapping or a number; got \[6194\]"),
])
def test_bad_design_data(change, design, error, match):
    data = change(api("apistrat"))
    with pytest.raises(error, match=match):
        wb.estimate(data, SCH_WIDE, design=wb.Design(**design))


def test_rake_takes_the_starting_weights_once_and_from_an_uncalibrated_design():
    data = api("apiclus1")
    with pytest.raises(wb.ParameterError, match=r"Pass the starting weights in `weights` or in `design`, not both"):
        wb.rake(data, MARGINS, weights="pw", design=wb.Design(weights="pw"))
    raked = wb.rake(data, MARGINS, weights="pw")
    with pytest.raises(wb.ParameterError, match=r"`design` is already calibrated; rake from the design it started"):
        wb.rake(data, MARGINS, design=raked.design)
