"""The ledger of published cells: what every table of a build made public, for the disclosure audit.

Each published row of a table about respondents becomes one entry: the report and table, the
measure (a metric and its answer column), the cell (its keys: area, service, unit, month, …), the
published count and value — or that they are hidden and why — and, for weighted scores, the
weight of each unit. The ledger is private: it lives in the build's temporary folder, is read by
:mod:`workbench.privacy.audit` and is deleted with it. It never holds a hidden value.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from .._validate import check_columns
from ..errors import ParameterError

__all__ = ["Entry", "entries_of", "write_entries", "read_entries", "hidden_cells", "KINDS", "LEDGER_ENV", "HIDE_ENV"]

KINDS = ("mean", "weighted", "count")
LEDGER_ENV = "WORKBENCH_LEDGER"  # where a report kernel appends its entries (set by the runner)
HIDE_ENV = "WORKBENCH_HIDE"  # further cells the audit asks a report to hide (set by the runner)


@dataclass(frozen=True)
class Entry:
    """One published cell.

    Attributes
    ----------
    report, table : str
    measure : str
        ``"<metric>:<answer column>"``, e.g. ``"nps:nps"`` or ``"agreement:s1_access"``.
    kind : str
        ``"mean"`` (the value is the cell's mean score), ``"weighted"`` (a weighted mean of unit means
        with ``weights``) or ``"count"`` (only n is published).
    cell : dict
        Key column -> value.
    n : float or None
        The published count; None when hidden.
    value : float or None
        The published value; None when hidden (or for ``kind="count"``).
    suppression : str
        ``"primary"``, ``"secondary"`` or ``""``.
    weights : dict
        For ``kind="weighted"``: {"unit": column, "of": {unit value: weight share}}.
    label : str
        What distinguishes rows with the same cell in one table (e.g. the weighting scheme).
    """

    report: str
    table: str
    measure: str
    kind: str
    cell: dict
    n: float | None
    value: float | None
    suppression: str = ""
    weights: dict = field(default_factory=dict)
    label: str = ""

    @property
    def hidden(self) -> bool:
        """Whether the cell's statistics are hidden."""
        return self.suppression != ""


def _number(value) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return None
    return float(value)


def entries_of(table: pd.DataFrame, *, report: str, name: str, measure: str, keys: Sequence[str], n: str = "n",
               value: str | None = "estimate", kind: str = "mean", weights: pd.DataFrame | None = None,
               label: str | None = None) -> list[Entry]:
    """Ledger entries for the rows of a suppressed table (output of :func:`workbench.suppress`).

    Parameters
    ----------
    table : DataFrame
        With ``suppressed``/``suppression`` columns.
    report, name : str
        The report and the table's name in it.
    measure : str
        ``"<metric>:<column>"``.
    keys : sequence of str
        The columns that name each cell (data columns such as area, unit, month).
    n, value : str
        The count and value columns (``value=None`` for count-only tables).
    kind : str
        ``"mean"``, ``"weighted"`` or ``"count"``.
    weights : DataFrame, optional
        For weighted scores: the keys of each row (plus ``label`` if given), a unit column and
        ``weight`` (shares summing to 1 within each row's group).
    label : str, optional
        A column that tells rows with the same cell apart (e.g. ``scheme``).

    Returns
    -------
    list of Entry

    Raises
    ------
    ParameterError
        An unknown kind, or weights missing for a weighted table.
    DataError
        Missing columns.

    Notes
    -----
    Only what the table publishes is recorded; hidden counts and values are None.

    References
    ----------
    Hundepool, A. et al. (2012). Statistical Disclosure Control, section 4.3 (auditing tables).
    """
    if kind not in KINDS:
        raise ParameterError(f"Unknown ledger kind {kind!r}; valid: {', '.join(KINDS)}.")
    needed = list(keys) + [n] + ([value] if value else []) + ([label] if label else [])
    check_columns(table, needed, role="ledger column")
    if kind == "weighted" and weights is None:
        raise ParameterError("A weighted table needs `weights` (unit weight shares per row) for the audit.")
    suppression = table["suppression"] if "suppression" in table else pd.Series("", index=table.index)
    unit_column = None
    if weights is not None:
        unit_column = next(c for c in weights.columns if c not in (*keys, "weight", label))
    entries = []
    for i, row in table.reset_index(drop=True).iterrows():
        cell = {k: (str(row[k]) if not isinstance(row[k], (int, float)) else row[k]) for k in keys}
        tag = str(row[label]) if label else ""
        share = {}
        if weights is not None:
            mine = weights
            for k in keys:
                mine = mine[mine[k].astype(str) == str(row[k])]
            if label:
                mine = mine[mine[label].astype(str) == tag]
            share = {"unit": unit_column, "of": {str(u): float(w) for u, w in zip(mine[unit_column], mine["weight"])}}
        entries.append(Entry(report, name, measure, kind, cell, _number(row[n]),
                             _number(row[value]) if value else None, str(suppression.iloc[i] or ""), share, tag))
    return entries


def write_entries(entries: Sequence[Entry], path: str | os.PathLike | None = None) -> None:
    """Append entries to the ledger file (``path``, else the file named by $WORKBENCH_LEDGER; none: no-op).

    Parameters
    ----------
    entries : sequence of Entry
    path : str or PathLike, optional

    Returns
    -------
    None

    Raises
    ------
    OSError
        The ledger cannot be written.

    Notes
    -----
    Interactive runs have no ledger; report runs get one from the runner.

    References
    ----------
    JSON Lines (https://jsonlines.org).
    """
    target = path or os.environ.get(LEDGER_ENV)
    if not target:
        return
    with open(target, "a", encoding="utf-8") as handle:
        for entry in entries:
            handle.write(json.dumps(asdict(entry), ensure_ascii=False, sort_keys=True, default=str) + "\n")


def read_entries(paths: Sequence[str | os.PathLike]) -> list[Entry]:
    """Every entry of the given ledger files.

    Parameters
    ----------
    paths : sequence of paths

    Returns
    -------
    list of Entry

    Raises
    ------
    OSError, ValueError
        Unreadable or malformed files.

    Notes
    -----
    Missing files are skipped (a report that published no respondent table writes none).

    References
    ----------
    JSON Lines (https://jsonlines.org).
    """
    out = []
    for path in paths:
        if not Path(path).exists():
            continue
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append(Entry(**json.loads(line)))
    return out


def hidden_cells(report: str, table: str) -> list[Mapping]:
    """The cells the audit asked this report to hide in this table (from $WORKBENCH_HIDE), as key mappings.

    Parameters
    ----------
    report, table : str

    Returns
    -------
    list of mappings

    Raises
    ------
    OSError, ValueError
        A hide plan that cannot be read.

    Notes
    -----
    Empty outside a build (interactive use) and on a build's first run.

    References
    ----------
    Hundepool, A. et al. (2012). Statistical Disclosure Control, section 4.4.
    """
    path = os.environ.get(HIDE_ENV)
    if not path or not Path(path).exists():
        return []
    plan = json.loads(Path(path).read_text(encoding="utf-8"))
    return plan.get(report, {}).get(table, [])
