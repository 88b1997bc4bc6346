"""The disclosure audit: the differencing attacks of issue 12 are found, and protect() closes them.

Each test builds the published tables the way a report does (``suppress`` then ``entries_of``), so the
audit sees exactly what a reader would, and checks the attack by hand before trusting the audit.
"""

import numpy as np
import pandas as pd
import pytest

import workbench as wb
from workbench.privacy.audit import audit, protect
from workbench.privacy.cells import suppress
from workbench.privacy.ledger import Entry, entries_of

MIN_N = 5


def _responses(sizes: dict, *, month_of=None, seed=0, score=None) -> pd.DataFrame:
    """Responses with an `nps` answer (0–10) per unit; `sizes` unit -> n (or (unit, month) -> n)."""
    rng = np.random.default_rng(seed)
    rows = []
    for key, n in sizes.items():
        unit, month = key if isinstance(key, tuple) else (key, "2025-01")
        answers = np.full(n, score) if score is not None and unit == "hidden" else rng.integers(0, 11, n)
        rows += [{"area": "A", "unit": unit, "month": month, "nps": int(a)} for a in answers]
    return pd.DataFrame(rows)


def _publish(frame: pd.DataFrame, table: str, keys: list, *, within=None, complementary=True, hide=(),
             kind="mean", weights=None, label=None, report="r") -> list[Entry]:
    shown = suppress(frame, min_n=MIN_N, keys=keys + ([label] if label else []), within=within,
                     complementary=complementary, hide=hide)
    return entries_of(shown, report=report, name=table, measure="nps:nps", keys=keys, kind=kind, weights=weights,
                      label=label, value="estimate" if kind != "count" else None)


def _by(responses, keys):
    return wb.estimate(responses, "nps", by=keys or None)


def test_two_small_cells_are_recovered_from_a_total_without_complementary_suppression():
    data = _responses({"u1": 1, "u2": 2, "u3": 40, "u4": 60})
    units = _by(data, ["unit"])
    # the old rule: two hidden cells, nothing added — n = 1 and 2 follow from the total minus the rest
    entries = _publish(units, "units", ["unit"], complementary=False) + _publish(_by(data, []), "total", [])
    result = audit(entries, data, min_n=MIN_N)
    found = {(f.cell["unit"], f.what) for f in result.findings}
    assert ("u1", "count") in found and ("u2", "count") in found
    # by hand: the published total minus the published cells leaves 3 respondents for two cells, each >= 1
    assert len(data) - 40 - 60 == 3
    narrowed = next(f for f in result.findings if f.cell == {"unit": "u1"} and f.what == "count")
    assert narrowed.interval == pytest.approx((1, 2))


def test_complementary_suppression_protects_the_two_cell_total():
    data = _responses({"u1": 1, "u2": 2, "u3": 40, "u4": 60, "u5": 7})
    entries = _publish(_by(data, ["unit"]), "units", ["unit"]) + _publish(_by(data, []), "total", [])
    hidden = {e.cell["unit"] for e in entries if e.hidden}
    assert {"u1", "u2"} < hidden and len(hidden) >= 3
    counts = audit(entries, data, min_n=MIN_N)
    assert not [f for f in counts.findings if f.what == "count"]


def test_a_month_is_recovered_from_its_quarter_and_protect_closes_it():
    sizes = {("u1", "2025-01"): 3, ("u1", "2025-02"): 30, ("u1", "2025-03"): 25, ("u1", "2025-04"): 40,
             ("u2", "2025-01"): 20, ("u2", "2025-02"): 22, ("u2", "2025-03"): 24, ("u2", "2025-04"): 26}
    data = _responses(sizes)
    quarter = data.assign(quarter=wb.data.period_of(data["month"], "quarter"))
    months = _by(data, ["unit", "month"])
    quarters = _by(quarter, ["unit", "quarter"])
    # each table on its own is protected: the month table has no totals (no `within`), the quarter table no small cell
    entries = (_publish(months, "months", ["unit", "month"], complementary=False)
               + _publish(quarters, "quarters", ["unit", "quarter"], complementary=False))
    result = audit(entries, data, min_n=MIN_N)
    january = {"unit": "u1", "month": "2025-01"}
    assert {f.what for f in result.findings if f.cell == january} == {"count", "mean"}
    # by hand: the first quarter's n minus February and March gives January's 3
    q1 = quarters[(quarters["unit"] == "u1") & (quarters["quarter"] == "2025-Q1")]["n"].iloc[0]
    assert q1 - 30 - 25 == 3
    fixed = protect(entries, data, min_n=MIN_N)
    assert fixed.ok and fixed.hide
    assert audit(_apply(entries, fixed.hide), data, min_n=MIN_N).ok


def _apply(entries, plan):
    """The entries with the cells of a hide plan hidden (what a re-run publishes)."""
    out = []
    for e in entries:
        if e.cell in plan.get(e.report, {}).get(e.table, []) and not e.hidden:
            e = Entry(e.report, e.table, e.measure, e.kind, e.cell, None, None, "secondary", e.weights, e.label)
        out.append(e)
    return out


def test_a_complementary_cell_shown_month_by_month_elsewhere_is_hidden_with_its_months():
    # issue 12 on a real build: report 01 hid a complementary area × service cell in its estimates but
    # showed the same cell quarter by quarter in its explorer, so the sum of the quarters gave it back
    sizes = {("hidden", "2025-01"): 3, ("u2", "2025-01"): 6, ("u2", "2025-02"): 6,
             ("u3", "2025-01"): 10, ("u3", "2025-02"): 10, ("u4", "2025-01"): 15, ("u4", "2025-02"): 15}
    data = _responses(sizes, score=10)
    units, months = _by(data, ["unit"]), _by(data, ["unit", "month"])
    entries = (_publish(units, "units", ["unit"]) + _publish(_by(data, []), "total", [])
               + _publish(months, "months", ["unit", "month"], complementary=False))
    partner = next(e.cell["unit"] for e in entries if e.table == "units" and e.suppression == "secondary")
    assert all(e.n is not None for e in entries if e.table == "months" and e.cell["unit"] == partner)
    assert any(f.cell == {"unit": "hidden"} and f.what == "mean" for f in audit(entries, data, min_n=MIN_N).findings)
    fixed = protect(entries, data, min_n=MIN_N)
    assert fixed.ok
    chosen = {c["unit"] for c in fixed.hide["r"].get("units", [])}
    hidden_months = {c["unit"] for c in fixed.hide["r"].get("months", [])}
    assert chosen and chosen <= hidden_months  # the unit hidden to protect it loses its months too
    assert audit(_apply(entries, fixed.hide), data, min_n=MIN_N).ok


def test_weighted_overall_scores_solve_for_hidden_units_and_protect_closes_it():
    # report 03's recovery: equal- and volume-weighted overall scores plus the published unit means leave two
    # equations for the two hidden units' means
    data = _responses({"hidden": 3, "small": 6, "u3": 50, "u4": 60, "u5": 45}, score=10)
    units = _by(data, ["unit"]).assign(area="A")[["area", "unit", "n", "estimate"]]
    entries = _publish(units, "units", ["area", "unit"], within=["area"])
    shares = {"equal": dict.fromkeys(units["unit"], 1 / 5),
              "volume": dict(zip(units["unit"], [0.1, 0.3, 0.2, 0.25, 0.15]))}
    hidden = [e.cell["unit"] for e in entries if e.hidden]
    assert len(hidden) == 2
    means = units.set_index("unit")["estimate"]
    overall_rows, weights = [], []
    for scheme, share in shares.items():
        overall_rows.append({"area": "A", "scheme": scheme, "n": len(data),
                             "estimate": sum(share[u] * means[u] for u in share)})
        weights += [{"area": "A", "scheme": scheme, "unit": u, "weight": w} for u, w in share.items()]
    entries += _publish(pd.DataFrame(overall_rows), "schemes", ["area"], kind="weighted", label="scheme",
                        weights=pd.DataFrame(weights))
    # by hand: two equations, two unknowns -> the hidden unit's NPS of 100 comes back exactly
    a = np.array([[shares[s][u] for u in hidden] for s in shares])
    b = np.array([row["estimate"] - sum(shares[row["scheme"]][u] * means[u] for u in shares[row["scheme"]]
                                        if u not in hidden) for row in overall_rows])
    assert np.linalg.solve(a, b)[hidden.index("hidden")] == pytest.approx(100.0)
    result = audit(entries, data, min_n=MIN_N)
    assert any(f.cell.get("unit") == "hidden" and f.what == "mean" for f in result.findings)
    fixed = protect(entries, data, min_n=MIN_N)
    assert fixed.ok
    assert audit(_apply(entries, fixed.hide), data, min_n=MIN_N).ok


def test_protected_tables_pass_and_the_result_counts_what_was_checked():
    data = _responses({"u1": 2, "u2": 9, "u3": 12, "u4": 30})
    entries = _publish(_by(data, ["unit"]), "units", ["unit"]) + _publish(_by(data, []), "total", [])
    result = audit(entries, data, min_n=MIN_N)
    assert result.ok and result.hidden == sum(e.hidden for e in entries) and result.published == 5 - result.hidden
    assert result.seconds >= 0


def test_measures_the_audit_cannot_relate_to_the_data_are_named():
    data = _responses({"u1": 20, "u2": 30})
    entries = [Entry("r", "t", "nps:missing_column", "mean", {"unit": "u1"}, 20.0, 1.0),
               Entry("r", "t", "nps:nps", "mean", {"ward": "w1"}, 20.0, 1.0)]
    result = audit(entries, data, min_n=MIN_N)
    assert result.not_audited == ["nps:missing_column: column 'missing_column' is not in the responses",
                                  "nps:nps: keys ['ward'] are not in the responses"]


@pytest.mark.parametrize(("argument", "value", "message"), [
    ("min_n", 0, r"min_n"), ("protection", 1.5, r"protection")])
def test_bad_arguments_are_refused(argument, value, message):
    options = {"min_n": MIN_N, "protection": 0.5, argument: value}
    with pytest.raises(wb.ParameterError, match=message):
        audit([], _responses({"u1": 5}), **options)
