"""The disclosure audit: can anything published narrow down a hidden cell?

Published counts and means are linear in the counts ``n_f`` and score sums ``s_f`` of the finest
cells of the data (e.g. unit × month): a unit's n is the sum of its months', an area's mean times
its n is the sum of its units' score sums, a weighted overall score is Σ_h W_h s_h / n_h. Given
everything a build publishes, the feasible interval of a hidden cell's count and mean is found by
linear programming, as τ-Argus's audit does: minimise and maximise it subject to the published
values (``scipy.optimize.linprog``, HiGHS). A hidden cell below ``min_n`` is protected when

- its count can be anything from 1 to ``min_n - 1`` (the tables say no more than "< min_n"), and
- its mean cannot be narrowed to less than ``protection`` (default 50 %) of the scale's range,
  even by someone who knows every cell's count exactly (a conservative assumption that makes the
  value problem linear).

:func:`protect` hides further published cells — the same cell elsewhere, the smallest sibling,
then the smallest enclosing total — until every hidden cell is protected, and says which.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

from .._validate import check_in_range, check_positive
from ..stats.scales import get_metric
from .ledger import Entry

__all__ = ["Finding", "AuditResult", "audit", "protect"]

_TOL = 1e-6


@dataclass(frozen=True)
class Finding:
    """A hidden cell that the published tables narrow down.

    Attributes
    ----------
    report, table, measure : str
    cell : dict
    what : str
        ``"count"`` or ``"mean"``.
    interval : (float, float)
        What an attacker can infer.
    prior : (float, float)
        What the tables claim to allow.
    """

    report: str
    table: str
    measure: str
    cell: dict
    what: str
    interval: tuple
    prior: tuple

    def __str__(self) -> str:
        keys = ", ".join(f"{k} = {v}" for k, v in self.cell.items())
        return (f"{self.report} / {self.table}: the {self.what} of the hidden cell ({keys}) of {self.measure} can be "
                f"narrowed to [{self.interval[0]:.4g}, {self.interval[1]:.4g}] (allowed: "
                f"[{self.prior[0]:.4g}, {self.prior[1]:.4g}])")


@dataclass(frozen=True)
class AuditResult:
    """What the audit checked and found.

    Attributes
    ----------
    published, hidden : int
        Entries published and hidden.
    findings : list of Finding
        Hidden cells narrowed down (empty when everything is protected).
    hide : dict
        Report -> table -> list of cells hidden further by :func:`protect`.
    not_audited : list of str
        Measures or cells the audit could not relate to the data (with why).
    seconds : float
    """

    published: int
    hidden: int
    findings: list = field(default_factory=list)
    hide: dict = field(default_factory=dict)
    not_audited: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """No hidden cell can be narrowed down."""
        return not self.findings


def _scores(responses: pd.DataFrame, measure: str):
    metric_name, column = measure.split(":", 1)
    metric = get_metric(metric_name)
    codes = metric.scale.encode(responses[column], column=column)
    base = (codes >= 0) & (codes < metric.scale.size)
    scores = np.zeros(len(responses))
    scores[base] = np.asarray(metric.scores, dtype=float)[codes[base]]
    return base, scores, metric.bounds


def _derived(responses: pd.DataFrame, dims: set) -> pd.DataFrame:
    """The responses with coarser time keys derived from ``month`` (quarter, year) when asked for."""
    extra = {}
    if "month" in responses and ("quarter" in dims or "year" in dims):
        month = responses["month"].astype(str)
        extra["year"] = month.str[:4]
        extra["quarter"] = month.str[:4] + "-Q" + ((month.str[5:7].astype(int) - 1) // 3 + 1).astype(str)
    return responses.assign(**{k: v for k, v in extra.items() if k in dims}) if extra else responses


class _Problem:
    """The finest cells of one measure and the membership of every ledger entry."""

    def __init__(self, responses: pd.DataFrame, measure: str, entries: list[Entry]):
        dims = sorted({k for e in entries for k in e.cell})
        frame = _derived(responses, set(dims))
        self.missing = [d for d in dims if d not in frame.columns]
        dims = [d for d in dims if d in frame.columns]
        base, scores, (self.low, self.high) = _scores(frame, measure)
        finest = pd.DataFrame({d: frame.loc[base, d].astype(str).to_numpy() for d in dims})
        finest["_s"] = scores[base]
        grouped = finest.groupby(dims, sort=True, dropna=False) if dims else finest.assign(_g=0).groupby("_g")
        self.keys = grouped.size().index.to_frame(index=False) if dims else pd.DataFrame(index=range(1))
        self.n = grouped.size().to_numpy(dtype=float)
        self.s = grouped["_s"].sum().to_numpy(dtype=float)
        self.dims = dims
        self._codes = {}  # per key: integer codes of the finest cells and value -> code
        for d in dims:
            codes, values = pd.factorize(self.keys[d].to_numpy(dtype=object))
            self._codes[d] = (codes, {v: i for i, v in enumerate(values)})

    def members(self, cell: dict) -> np.ndarray | None:
        mask = np.ones(len(self.n), dtype=bool)
        for key, value in cell.items():
            if key not in self._codes:
                return None
            codes, lookup = self._codes[key]
            mask &= codes == lookup.get(str(value), -1)
        return mask


class _Polytope:
    """``{x : A_eq x = b_eq, A_ub x <= b_ub, bounds}`` with the variables that equalities fix eliminated.

    Most finest cells are published outright (a row of one variable), so after substituting them,
    and the cells that become fixed in turn, only the hidden cells and the few totals that tie them
    together remain: the linear programmes have tens of variables instead of thousands. HiGHS
    presolves too, but building and handing over the full matrices for each of hundreds of
    programmes cost seconds; this is done once per measure.
    """

    def __init__(self, a_eq, b_eq, a_ub, b_ub, low: np.ndarray, high: np.ndarray):
        size = len(low)
        self.fixed = np.full(size, np.nan)
        a_eq = csr_matrix((0, size)) if a_eq is None else csr_matrix(a_eq)
        b_eq = np.zeros(0) if b_eq is None else np.asarray(b_eq, dtype=float)
        rows = np.ones(a_eq.shape[0], dtype=bool)
        while True:  # substitute rows with one free variable until none is left
            free = np.isnan(self.fixed)
            sub = a_eq[:, free]
            nnz = np.diff(sub.indptr)
            singles = np.flatnonzero(rows & (nnz == 1))
            if not len(singles):
                break
            free_index = np.flatnonzero(free)
            known = np.where(free, 0.0, self.fixed)
            rest = b_eq - a_eq @ known
            for r in singles:
                column = free_index[sub.indices[sub.indptr[r]]]
                if np.isnan(self.fixed[column]):
                    self.fixed[column] = rest[r] / sub.data[sub.indptr[r]]
                rows[r] = False
        self.free = np.flatnonzero(np.isnan(self.fixed))
        known = np.where(np.isnan(self.fixed), 0.0, self.fixed)
        keep = rows & (np.diff(a_eq[:, self.free].indptr) > 0)
        self.a_eq = a_eq[keep][:, self.free] if keep.any() else None
        self.b_eq = (b_eq - a_eq @ known)[keep] if keep.any() else None
        if a_ub is not None:
            a_ub = csr_matrix(a_ub)
            sub = a_ub[:, self.free]
            live = np.diff(sub.indptr) > 0
            self.a_ub = sub[live] if live.any() else None
            self.b_ub = (np.asarray(b_ub, dtype=float) - a_ub @ known)[live] if live.any() else None
        else:
            self.a_ub = self.b_ub = None
        self.bounds = list(zip(np.asarray(low, dtype=float)[self.free], np.asarray(high, dtype=float)[self.free]))
        self.known = known

    def interval(self, mask: np.ndarray) -> tuple[float, float]:
        """min and max of the sum of the masked variables."""
        constant = self.known[mask].sum()
        objective = mask[self.free].astype(float)
        if not objective.any():
            return constant, constant
        out = []
        for sign in (1.0, -1.0):
            res = linprog(sign * objective, A_ub=self.a_ub, b_ub=self.b_ub, A_eq=self.a_eq, b_eq=self.b_eq,
                          bounds=self.bounds, method="highs")
            out.append(constant + sign * res.fun if res.status == 0 else np.nan)
        return out[0], out[1]


class _Constraints:
    """The published equations and the hidden cells' priors of one measure, as sparse matrices."""

    def __init__(self, problem: _Problem, entries: list[Entry], min_n: int):
        size = len(problem.n)
        self.masks = [problem.members(e.cell) for e in entries]
        eq, eq_b, ub, ub_b, val, val_b = [], [], [], [], [], []
        self.eq_entry, self.val_entry = [], []  # the entry behind each published equation
        for index, (entry, mask) in enumerate(zip(entries, self.masks)):
            if mask is None or not mask.any():
                continue
            if entry.n is not None:
                eq.append(mask)
                eq_b.append(problem.n[mask].sum())
                self.eq_entry.append(index)
            elif entry.suppression == "primary":  # shown as "< min_n": between 1 and min_n - 1
                ub += [(mask, 1.0), (mask, -1.0)]
                ub_b += [min_n - 1, -1.0]
            else:  # shown as suppressed: at least min_n (it would be marked "< min_n" otherwise)
                ub.append((mask, -1.0))
                ub_b.append(-float(min_n))
            if entry.value is None:
                continue
            if entry.kind == "mean":
                val.append(mask.astype(float))
                val_b.append(problem.s[mask].sum())
                self.val_entry.append(index)
            elif entry.kind == "weighted" and entry.weights and entry.weights["unit"] in problem.dims:
                coefficients, target = np.zeros(size), 0.0
                for value, weight in entry.weights["of"].items():
                    part = mask & (problem.keys[entry.weights["unit"]] == value).to_numpy()
                    if part.any():
                        coefficients[part] = weight / problem.n[part].sum()
                        target += weight * problem.s[part].sum() / problem.n[part].sum()
                val.append(coefficients)
                val_b.append(target)
                self.val_entry.append(index)
        a_eq = np.vstack(eq).astype(float) if eq else None
        a_ub = np.vstack([m.astype(float) * sign for m, sign in ub]) if ub else None
        a_val = np.vstack(val) if val else None
        low, high = problem.low * problem.n, problem.high * problem.n
        self.counts = _Polytope(a_eq, eq_b or None, a_ub, ub_b or None, np.zeros(size), np.full(size, np.inf))
        self.sums = _Polytope(a_val, val_b or None, None, None, low, high)
        # the whole programmes, for `binding` (the polytopes eliminate the published rows, and their duals)
        self._programmes = {"count": (a_eq, eq_b, a_ub, ub_b or None, (0, None), self.eq_entry),
                            "mean": (a_val, val_b, None, None, list(zip(low, high)), self.val_entry)}

    def count_interval(self, mask: np.ndarray) -> tuple[float, float]:
        return self.counts.interval(mask)

    def sum_interval(self, mask: np.ndarray) -> tuple[float, float]:
        return self.sums.interval(mask)

    def binding(self, mask: np.ndarray, what: str) -> list[int]:
        """The entries whose published equations pin the cell's bounds, most binding first.

        The dual values (marginals) of the equality constraints at the minimum and the maximum
        certify each bound as a combination of published values; hiding one of those entries is
        what can widen it. Solved without the presolve, so that every published row has its dual.
        """
        a_eq, b_eq, a_ub, b_ub, bounds, owners = self._programmes["count" if what == "count" else "mean"]
        if a_eq is None:
            return []
        weight = np.zeros(len(owners))
        for sign in (1.0, -1.0):
            res = linprog(sign * mask.astype(float), A_ub=a_ub, b_ub=b_ub, A_eq=csr_matrix(a_eq),
                          b_eq=np.asarray(b_eq, dtype=float), bounds=bounds, method="highs")
            if res.status == 0:
                weight += np.abs(res.eqlin.marginals)
        order = np.argsort(-weight, kind="stable")
        return [owners[i] for i in order if weight[i] > _TOL]


def _check(problem: _Problem, constraints: _Constraints, entry: Entry, mask: np.ndarray, min_n: int,
           protection: float) -> list[Finding]:
    """The findings about one primary hidden cell (empty when it is protected)."""
    found = []
    low, high = constraints.count_interval(mask)
    if not (low <= 1 + _TOL and high >= min_n - 1 - _TOL):
        found.append(Finding(entry.report, entry.table, entry.measure, entry.cell, "count", (low, high),
                             (1, min_n - 1)))
    n_true = problem.n[mask].sum()
    low, high = constraints.sum_interval(mask)
    if (high - low) / n_true < protection * (problem.high - problem.low) - _TOL:
        found.append(Finding(entry.report, entry.table, entry.measure, entry.cell, "mean",
                             (low / n_true, high / n_true), (problem.low, problem.high)))
    return found


def _measure_findings(problem: _Problem, entries: list[Entry], min_n: int, protection: float,
                      only: list[dict] | None = None) -> list[Finding]:
    constraints = _Constraints(problem, entries, min_n)
    findings, seen = [], set()
    for entry, mask in zip(entries, constraints.masks):
        key = tuple(sorted(entry.cell.items()))
        if entry.suppression != "primary" or mask is None or not mask.any() or key in seen:
            continue
        if only is not None and entry.cell not in only:
            continue
        seen.add(key)
        findings += _check(problem, constraints, entry, mask, min_n, protection)
    return findings


def audit(entries: list[Entry], responses: pd.DataFrame, *, min_n: int, protection: float = 0.5,
          only: list | None = None) -> AuditResult:
    """Check that nothing a build published narrows down a hidden cell (see the module docstring).

    Parameters
    ----------
    entries : list of Entry
        Every published cell of the build (:mod:`workbench.privacy.ledger`).
    responses : DataFrame
        The responses the build ran on (mapped: role and metric columns).
    min_n : int
    protection : float
        Smallest share of the scale's range a hidden cell's mean must keep, in (0, 1].
    only : list of (measure, cell), optional
        Check only these hidden cells (the others are known to be protected: hiding more never
        narrows a cell down).

    Returns
    -------
    AuditResult

    Raises
    ------
    ParameterError
        Bad ``min_n`` or ``protection``.

    Notes
    -----
    Counts: LP over the finest cells' counts with the published counts as equalities and the hidden
    ones as "between 1 and min_n − 1" (primary, shown "< min_n") or "at least min_n" (secondary, shown as
    suppressed). Means: LP over the
    finest cells' score sums, counts fixed at their true values, with published means and weighted
    scores as equalities. LP relaxations, as τ-Argus's audit. Second moments (standard errors) are
    not audited: they add information about a hidden cell only when its count and mean are already
    narrowed down, which this audit prevents. Checked on the disclosures of issue 12 in
    ``tests/privacy/test_audit.py``.

    References
    ----------
    Hundepool, A. et al. (2012). Statistical Disclosure Control. Wiley, section 4.3 (audit) and 4.4.
    de Wolf, P.-P. & Hundepool, A., τ-Argus manual (Statistics Netherlands).
    """
    min_n = check_positive(min_n, "min_n", integer=True)
    protection = check_in_range(protection, "protection", 0.0, 1.0)
    start = time.perf_counter()
    by_measure = defaultdict(list)
    for entry in entries:
        by_measure[entry.measure].append(entry)
    findings, not_audited = [], []
    for measure, group in by_measure.items():
        column = measure.split(":", 1)[-1]
        if column not in responses.columns:
            not_audited.append(f"{measure}: column {column!r} is not in the responses")
            continue
        problem = _Problem(responses, measure, group)
        if problem.missing:
            not_audited.append(f"{measure}: keys {problem.missing} are not in the responses")
        cells = None if only is None else [cell for m, cell in only if m == measure]
        if cells is not None and not cells:
            continue
        findings += _measure_findings(problem, group, min_n, protection, cells)
    return AuditResult(sum(not e.hidden for e in entries), sum(e.hidden for e in entries), findings, {}, not_audited,
                       time.perf_counter() - start)


def _column(entry: Entry) -> str:
    return entry.measure.split(":", 1)[-1]


def _candidates(finding: Finding, entries: list[Entry], problem: _Problem, min_n: int) -> list[int]:
    """Published entries whose hiding could protect the finding: those whose equations pin its bounds
    (LP duals), then its siblings in its table and the totals that contain it."""
    target = problem.members(finding.cell)
    same = [i for i, e in enumerate(entries) if e.measure == finding.measure]
    measure = [entries[i] for i in same]
    pinned = [same[j] for j in _Constraints(problem, measure, min_n).binding(target, finding.what)
              if not entries[same[j]].hidden]
    shown = [i for i in same if not entries[i].hidden]
    siblings = [i for i in shown if entries[i].report == finding.report and entries[i].table == finding.table
                and set(entries[i].cell) == set(finding.cell)
                and (m := problem.members(entries[i].cell)) is not None and not (m & target).any()]
    parents = [i for i in shown if (m := problem.members(entries[i].cell)) is not None and (target & ~m).sum() == 0
               and m.sum() > target.sum()]

    def closeness(i):  # siblings in the same group first (sharing most keys), then the smallest
        shared = sum(str(entries[i].cell[k]) == str(v) for k, v in finding.cell.items())
        return -shared, entries[i].n or np.inf

    ordered = pinned[:12] + sorted(siblings, key=closeness)[:6] + \
        sorted(parents, key=lambda i: problem.n[problem.members(entries[i].cell)].sum())[:6]
    return list(dict.fromkeys(ordered))


def _refines(entry: Entry, chosen: Entry, parts: bool) -> bool:
    """``entry`` is ``chosen``'s cell, or with ``parts`` a part of it by more keys (its quarters, its units)."""
    if not parts or not chosen.cell:  # every cell is a part of the whole: hiding a total never hides them all
        return entry.cell == chosen.cell
    return all(k in entry.cell and str(entry.cell[k]) == str(v) for k, v in chosen.cell.items())


def _hidden_with(entries: list[Entry], chosen: Entry, parts: bool = True) -> tuple[list[Entry], list[Entry]]:
    """The entries after hiding ``chosen``, every other publication of that cell's count and, with ``parts``,
    its published parts by more keys (a cell hidden in one table but shown quarter by quarter in another is
    their sum); the ones hidden."""
    out, newly = [], []
    for entry in entries:
        if not entry.hidden and _column(entry) == _column(chosen) and _refines(entry, chosen, parts):
            entry = Entry(entry.report, entry.table, entry.measure, entry.kind, entry.cell, None, None, "secondary",
                          entry.weights, entry.label)
            newly.append(entry)
        out.append(entry)
    return out, newly


def _slack(finding: Finding, result: AuditResult) -> float:
    """How far the finding's cell is from protection after a change (larger is better; inf when protected)."""
    same = [f for f in result.findings if f.measure == finding.measure and f.cell == finding.cell]
    if not same:
        return np.inf
    return -sum((f.prior[1] - f.prior[0]) - (f.interval[1] - f.interval[0]) for f in same)


def protect(entries: list[Entry], responses: pd.DataFrame, *, min_n: int, protection: float = 0.5,
            rounds: int = 50) -> AuditResult:
    """Hide further published cells until the audit finds nothing, and say which.

    Parameters
    ----------
    entries : list of Entry
    responses : DataFrame
    min_n : int
    protection : float
    rounds : int
        Largest number of cells hidden one at a time.

    Returns
    -------
    AuditResult
        ``hide`` lists the cells to hide (report -> table -> cells); ``findings`` what remains
        unprotected after ``rounds`` (then the build fails naming them).

    Raises
    ------
    ParameterError
        Bad arguments.

    Notes
    -----
    Each round takes the first unprotected cell and tries its candidates — the smallest published
    siblings in its table (hiding one adds an unknown) and the smallest published totals that contain
    it (hiding one removes an equation) — each together with every other publication of that cell's
    count (same answer column and keys); it keeps the one that protects the cell best (then the one
    hiding fewest entries) and audits again.

    References
    ----------
    Hundepool, A. et al. (2012). Statistical Disclosure Control, section 4.4 (secondary suppression).
    """
    rounds = check_positive(rounds, "rounds", integer=True)
    start = time.perf_counter()
    current = list(entries)
    hide: dict = defaultdict(lambda: defaultdict(list))
    result = audit(current, responses, min_n=min_n, protection=protection)
    open_findings = list(result.findings)
    for _ in range(rounds):
        if not open_findings:
            break
        finding = open_findings[0]
        same_measure = [e for e in current if e.measure == finding.measure]
        problem = _Problem(responses, finding.measure, same_measure)
        target = [(finding.measure, finding.cell)]
        best = None
        for i in _candidates(finding, current, problem, min_n):  # the candidate that protects the cell best
            # a sibling is hidden with its parts; a total that contains the cell is hidden alone (with its
            # parts it would take the cell's whole group)
            trial, newly = _hidden_with(current, current[i], parts=set(current[i].cell) >= set(finding.cell))
            checked = audit([e for e in trial if e.measure == finding.measure], responses, min_n=min_n,
                            protection=protection, only=target)
            score = _slack(finding, checked)
            if best is None or score > best[0] or (score == best[0] and len(newly) < len(best[2])):
                best = (score, trial, newly)
            if score == np.inf:  # the candidates come in order of preference
                break
        if best is None:
            break
        current = best[1]
        for entry in best[2]:
            if entry.cell not in hide[entry.report][entry.table]:
                hide[entry.report][entry.table].append(entry.cell)
        # hiding more only widens what an attacker can infer, so cells found protected stay protected:
        # only the open findings need checking again
        cells = list({(f.measure, tuple(sorted(f.cell.items()))): (f.measure, f.cell) for f in open_findings}.values())
        open_findings = audit(current, responses, min_n=min_n, protection=protection, only=cells).findings
    result = audit(current, responses, min_n=min_n, protection=protection)
    plan = {report: dict(tables) for report, tables in hide.items()}
    return AuditResult(result.published, result.hidden, result.findings, plan, result.not_audited,
                       time.perf_counter() - start)
