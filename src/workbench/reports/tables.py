"""Tables for people: every published table passes through :func:`publish`.

Publishing a table about respondents (1) suppresses its small cells (every statistic of a cell below
``min_n``, plus complementary cells and those the build's audit asks for), (2) records its cells in
the build's ledger for the disclosure audit, (3) shows it complete — no truncation — with headers in
the report's language, units in the headers and one format per kind of number, sortable, and
(4) writes CSV and Excel downloads beside the report. Its result is what figures draw and what
:func:`workbench.reports.save_results` saves, so nothing reaches an output without passing here.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..privacy.cells import PRIMARY, suppress, visible_rows
from ..privacy.ledger import entries_of, hidden_cells, write_entries
from ..privacy.redact import redact, redact_label
from ..stats.scales import METRICS, get_metric
from .i18n import Catalogue, catalogue, number, percent

__all__ = ["Published", "publish", "format_table", "column_kind", "TRANSLATED", "DOWNLOADS_ENV", "REPORT_ENV"]

DOWNLOADS_ENV = "WORKBENCH_DOWNLOADS"  # where a report kernel writes its table downloads (set by the runner)
REPORT_ENV = "WORKBENCH_REPORT"  # the running report's name (set by the runner)

# How each column's numbers are shown. "metric": in the metric's unit; "share": a 0–1 share as %;
# "count": a whole number; "decimal2"/"decimal3": two/three decimals; "number": the table's digits (one by
# default), no unit; "p": a p-value; "level": a confidence level.
_KINDS = {
    "count": ("n", "units", "n_complete", "n_dont_know", "n_a", "n_b", "n_in_benchmark", "units_in_benchmark",
              "responses_needed", "invitations_needed", "n_to_verify", "customers_per_year", "customers_per_period",
              "mean_n", "n_eff", "months_needed", "rank", "rank_low", "rank_high", "rank_raw", "rank_adjusted",
              "rank_change", "planned_n", "n_needed", "n_for_moe", "n_for_reliability", "iterations", "rows",
              "percentile", "period_months", "min_n", "count", "n_per_period", "population", "longest_window", "touchpoints",
              "comments", "mentions", "tone_comments", "suggestions",
              # the sending plan (report 07): people, contacts, invitations, days
              "persons", "persons_affected", "candidates", "contacts", "events", "invitations", "invitations_planned",
              "expected_invitations", "invitations_without", "removed", "needed", "periods_needed",
              "cooldown_that_would", "response_cooldown_that_would", "draw"),
    "metric": ("estimate", "se", "ci_low", "ci_high", "moe", "raw", "adjusted", "adjustment", "difference",
               "estimate_a", "estimate_b", "benchmark", "limit_low", "limit_high", "value", "target", "gain", "mdi",
               "center", "contribution", "abc", "baseline", "peer median", "top quartile", "ABC",
               "baseline + MDI", "target_moe", "detectable", "pooled", "equal", "volume",
               "sqrt_volume", "capped", "spread", "volume_moe", "estimate_raked", "moe_raked", "nps_mentioned",
               "nps_not_mentioned", "impact", "estimate_before", "estimate_recent"),
    "share": ("invite_share", "dont_know_share", "weight", "p_top", "icc", "max_unit_weight", "ceiling", "coverage",
              "response_rate", "share_of_respondents", "share", "target_share", "achieved", "min", "max", "mean_cov",
              "mean_coverage", "lowest_coverage", "highest_coverage", "expected_share",
              "population_share", "weighted_share", "r2_share", "r2_low", "r2_high", "share_of_r2",
              "p_meet", "current_rate", "rate", "share_of_events", "share_of_candidates", "share_of_persons",
              "cumulative_share", "propensity"),
    # Reliability coefficients (0–1, read against 0.7 and 0.8), not shares of anything.
    "decimal2": ("reliability_at_mean_n", "threshold", "reliability_target"),
    "decimal3": ("alpha", "deff", "phi", "z", "skewness", "partial_unconditional", "partial_conditional",
                 "r_indicator"),
    # Variances in the metric's unit squared (τ² of NPS is in the hundreds), means of agreement scales: no unit.
    "number": ("between_var", "within_var", "tau2", "sigma2", "mean"),
    "p": ("p_value",),
    "level": ("confidence",),
}
_KIND_OF = {column: kind for kind, columns in _KINDS.items() for column in columns}
_LONG_TEXT = 24  # characters of a text cell beyond which it may wrap
_PROSE = 60  # characters of a text cell read as prose
# Columns whose values are translated from another column's section of the catalogue (values.<section>).
_VALUE_SECTION = {"recommended": "metric", "runner_up": "metric", "set_aside": "metric", "flag_inner": "flag"}
TRANSLATED = ("service", "flag", "flag_inner", "status", "scheme", "option", "statement", "metric", "signal", "chart",
              "overdispersion", "recommended", "runner_up", "set_aside", "period", "method", "unit")

# Structural columns: their values name places, services, units, periods and categories, and only
# contact details and codes are redacted from them (privacy.redact.redact_label); every other text
# column (a comment used as a group key, a quote, a reason) is redacted in full.
LABEL_COLUMNS = {"area", "service", "unit", "month", "quarter", "year", "period", "channel", "age_group", "sex",
                 "language", "first_visit", "scheme", "method", "metric", "statement", "variable", "category",
                 "touchpoint", "survey", "flag", "status", "option", "theme", "tone"}


def _redacted(frame: pd.DataFrame) -> pd.DataFrame:
    """The table with identifiers replaced in every text column (the input is not modified)."""
    out = frame
    for column in frame.columns:
        values = frame[column]
        if not (pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values)):
            continue
        clean = redact_label if column in LABEL_COLUMNS else redact
        mapping = {v: clean(v) for v in pd.unique(values) if isinstance(v, str)}
        if any(k != v for k, v in mapping.items()):
            out = out.copy() if out is frame else out
            out[column] = values.map(lambda v: mapping.get(v, v) if isinstance(v, str) else v)
    return out


def column_kind(column: str, values: pd.Series) -> str:
    """How a column's values are shown: ``metric``, ``share``, ``count``, ``decimal3``, ``p``, ``level``,
    ``number`` (other numbers) or ``text``.

    Parameters
    ----------
    column : str
    values : Series

    Returns
    -------
    str

    Raises
    ------
    TypeError
        Never for a pandas Series.

    Notes
    -----
    One format per kind of number across every report (issue 14): counts whole with thousands
    grouped, metric values with one decimal in the metric's unit, shares as percentages.
    """
    if column in _KIND_OF:
        return _KIND_OF[column]
    if column.startswith("n_"):
        return "count"
    if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
        return "text"
    return "number"


@dataclass(frozen=True)
class Published:
    """A table as published: suppressed, recorded, shown.

    Attributes
    ----------
    name : str
    frame : DataFrame
        The suppressed table (statistics of hidden cells missing; ``suppressed``/``suppression``
        columns). Figures draw it; results files save it.
    respondents : bool
        Whether the table is about respondents (suppressed and audited).
    """

    name: str
    frame: pd.DataFrame = field(repr=False)
    respondents: bool = True

    @property
    def visible(self) -> pd.DataFrame:
        """The rows not suppressed: what a sentence or a figure may quote."""
        return visible_rows(self.frame)


def _unit(metric: str | None, t: Catalogue, unit: str | None = None) -> str:
    if unit:
        return t(f"units.{unit}")
    if not metric:
        return ""
    return t.metric_unit(metric)


def _header(column: str, kind: str, metric: str | None, t: Catalogue, unit: str | None = None) -> str:
    key = f"columns.{column}"
    if not t.has(key):
        raise ParameterError(f"The {t.language} catalogue has no header for column {column!r} (add columns.{column}).")
    label = t(key)
    if kind == "metric" and (metric or unit):
        return f"{label} ({_unit(metric, t, unit)})"
    if kind == "share":
        return f"{label} (%)"
    return label


def _cell(value, kind: str, digits: int, t: Catalogue) -> tuple[str, str | None]:
    """(text, sort value) of one value."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return "", None
    if kind == "text":
        if isinstance(value, (bool, np.bool_)):
            return t("table.yes") if value else t("table.no"), None
        return str(value), None
    x = float(value)
    if kind == "count":
        return number(x, t.language, 0), repr(x)
    if kind == "share":
        return percent(x, t.language, 1), repr(x)
    if kind == "p":
        return ("< " + number(0.001, t.language, 3)) if x < 0.001 else number(x, t.language, 3), repr(x)
    if kind == "level":
        return percent(x, t.language, 0 if round(x * 100, 6).is_integer() else 1), repr(x)
    if kind == "decimal3":
        return number(x, t.language, 3), repr(x)
    if kind == "decimal2":
        return number(x, t.language, 2), repr(x)
    return number(x, t.language, digits), repr(x)


def _translated(column: str, text: str, t: Catalogue, labels: Mapping | None) -> str:
    """A text value as readers see it: the given label (redacted as the column's values are: labels come from
    the user's files, e.g. a taxonomy), else the catalogue's name of each comma-separated part."""
    if labels is not None:
        return (redact_label if column in LABEL_COLUMNS else redact)(str(labels.get(text, text)))
    # Some columns list several values ("beyond limits, run of 8"); each is translated on its own.
    return ", ".join(t.value(_VALUE_SECTION.get(column, column), part) for part in text.split(", "))


def _display(frame: pd.DataFrame, *, metric: str | None, t: Catalogue, min_n: int | None, digits: int,
             translate: Sequence, value_labels: Mapping[str, Mapping] | None = None, unit: str | None = None,
             n: str = "n") -> tuple[list[str], list[list[tuple]], list[str]]:
    """Headers, rows of (text, sort value, css class) and the columns shown."""
    frame = _redacted(frame)
    # a pair (column, by): the column's values are named in the section given by the row's value of `by`
    section_by = {c[0]: c[1] for c in translate if not isinstance(c, str)}
    translate = {c for c in translate if isinstance(c, str)}
    hidden = frame["suppressed"].to_numpy(bool) if "suppressed" in frame else np.zeros(len(frame), dtype=bool)
    primary = (frame["suppression"] == PRIMARY).to_numpy() if "suppression" in frame else hidden
    columns = [c for c in frame.columns if c not in ("suppressed", "suppression")]
    kinds = {c: column_kind(c, frame[c]) for c in columns}
    headers = [_header(c, kinds[c], metric, t, unit) for c in columns]
    rows = []
    for i in range(len(frame)):
        row = []
        for c in columns:
            value = frame[c].iat[i]
            if hidden[i] and (value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))):
                marker = t("table.fewer_than", min_n=min_n) if (c == n and primary[i] and min_n) else \
                    t("table.suppressed")
                row.append((marker, None, "hidden-cell"))
                continue
            text, sort = _cell(value, kinds[c], digits, t)
            if kinds[c] == "text" and text and c in section_by:
                text = t.value(str(frame[section_by[c]].iat[i]), text)
            elif kinds[c] == "text" and text and (c in translate or c in (value_labels or {})):
                text = _translated(c, text, t, (value_labels or {}).get(c))
            row.append((text, sort, "num" if sort is not None else ""))  # text was redacted with the frame
        rows.append(row)
    return headers, rows, columns


def _cell_html(text: str, cls: str) -> str:
    """A cell's content; long names may wrap (a table of units then fits the page without scrolling sideways)."""
    if not cls and len(text) > _LONG_TEXT:
        # prose (a comment) wraps at a reading width, names at a column's
        return f'<span class="wrap{" prose" if len(text) > _PROSE else ""}">{html.escape(text)}</span>'
    return html.escape(text)


def _html_table(name: str, caption: str, headers: list[str], rows: list[list[tuple]], t: Catalogue,
                downloads: dict) -> str:
    ident = re.sub(r"[^a-z0-9-]+", "-", name.lower())
    head = "".join(f'<th scope="col" aria-sort="none"><button type="button">{html.escape(h)}</button></th>'
                   for h in headers)
    body = "".join("<tr>" + "".join(
        f'<td class="{cls}"' + (f' data-value="{html.escape(sort)}"' if sort is not None else "") +
        f">{_cell_html(text, cls)}</td>" for text, sort, cls in row) + "</tr>" for row in rows)
    links = "".join(f'<a href="{html.escape(href)}" download>{html.escape(t("table.download_" + kind))}</a>'
                    for kind, href in downloads.items())
    return (f'<div class="wb-table-block"><div class="wb-table-wrap" role="region" tabindex="0" '
            f'aria-labelledby="cap-{ident}"><table class="wb-table" id="table-{ident}">'
            f'<caption id="cap-{ident}">{html.escape(caption)} '
            f'<span class="rows">({html.escape(t("table.rows", rows=len(rows)))})</span></caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
            + (f'<p class="wb-downloads">{html.escape(t("table.downloads"))}: {links}</p>' if links else "")
            + "</div>")


def _write_downloads(name: str, headers: list[str], rows: list[list[tuple]]) -> dict:
    """CSV and Excel files of the table as shown (numbers as numbers), in $WORKBENCH_DOWNLOADS."""
    folder = os.environ.get(DOWNLOADS_ENV)
    if not folder:
        return {}
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    values = [[float(sort) if sort is not None else text for text, sort, _ in row] for row in rows]
    table = pd.DataFrame(values, columns=headers)
    safe = re.sub(r"[^A-Za-z0-9_-]+", "_", name)
    table.to_csv(folder / f"{safe}.csv", index=False, encoding="utf-8-sig")
    with pd.ExcelWriter(folder / f"{safe}.xlsx", engine="xlsxwriter") as writer:
        writer.book.set_properties({"created": pd.Timestamp("2026-01-01").to_pydatetime()})
        table.to_excel(writer, index=False, sheet_name=safe[:31])
    prefix = os.environ.get("WORKBENCH_DOWNLOADS_HREF", "")
    return {"csv": f"{prefix}{safe}.csv", "xlsx": f"{prefix}{safe}.xlsx"}


def publish(table: pd.DataFrame, name: str, *, language: str, min_n: int | None = None, metric: str | None = None,
            column: str | None = None, keys: Sequence[str] | None = None, within=None, kind: str = "mean",
            weights: pd.DataFrame | None = None, label: str | None = None, measure_column: str | None = None,
            caption: str = "", digits: int = 1, translate: Sequence = TRANSLATED,
            value_labels: Mapping[str, Mapping] | None = None, respondents: bool = True, round_to: int | None = None,
            hide: Sequence = (), show: bool = True, n: str = "n", unit: str | None = None,
            complementary: bool = True) -> Published:
    """Suppress, record, show and offer for download one table of a report.

    Parameters
    ----------
    table : DataFrame
        A results table (keys first, then ``n`` and statistics).
    name : str
        The table's name in the report (its downloads are named after it).
    language : str
        ``fi``, ``sv`` or ``en``.
    min_n : int, optional
        Required for tables about respondents.
    metric : str, optional
        The metric the values are in (for units in headers and for the audit).
    column : str, optional
        The answer column (default: the metric's own).
    keys : sequence of str, optional
        The columns that name a cell; default the columns before ``n``.
    within : str or list, optional
        Groups whose totals are published (complementary suppression works within them).
    kind, weights, label
        For the audit (:func:`workbench.privacy.ledger.entries_of`): ``"mean"``, ``"weighted"``
        (with unit ``weights`` per row) or ``"count"``.
    measure_column : str, optional
        A column naming the answer column of each row (e.g. ``statement``).
    caption : str
        The table's caption (from the catalogue).
    digits : int
        Decimals of metric values.
    translate : sequence of str or (str, str)
        Text columns whose values the catalogue translates (sample service names, flags, statuses); a
        value listing several ("beyond limits, run of 8") is translated part by part. A pair
        ``(column, by)`` names each value of ``column`` in the catalogue section given by the row's ``by``
        (R-indicator categories by their variable: ``language: fi`` is Finnish, ``service: imaging`` a
        service). Only the page and downloads show the words; the published frame keeps the codes.
    value_labels : mapping, optional
        Column -> {value: label}: how the values of a column are shown when the data names them (e.g.
        statement id -> the wording the study gives, theme id -> the taxonomy's name); the table itself
        keeps the values. Labels are redacted as the column's values are.
    respondents : bool
        False for tables about no respondents (sample-size examples, coverage): not suppressed.
    round_to : int, optional
        Round published counts to this multiple.
    hide : sequence of mappings
        Further cells to hide, e.g. those hidden in the table this one is derived from.
    show : bool
        Display the table (False: only record it, e.g. for a results file).
    n : str
        The respondent count column that decides suppression (e.g. ``comments`` in a table of theme
        shares, whose base is the comments of each group; ``persons`` or ``contacts`` in the sending plan).
        Its primary hidden cells show "< min_n".
    unit : str, optional
        A ``units.<unit>`` of the catalogue for the headers of metric columns whose values are in no
        metric's unit (theme shares in ``percent``, NPS impacts in ``nps``).
    complementary : bool
        Secondary suppression (False only for rows that add up to no published total, e.g. themes,
        or the effects of the sending rules, which overlap).

    Returns
    -------
    Published

    Raises
    ------
    ParameterError
        A respondent table without ``min_n``, a column without a header in the catalogue.
    DataError
        Missing columns.

    Notes
    -----
    The cells to hide beyond the small ones come from the build's audit ($WORKBENCH_HIDE); the
    ledger entries go to $WORKBENCH_LEDGER. Text in cells is redacted. Downloads hold exactly what the
    page shows.

    References
    ----------
    Hundepool, A. et al. (2012). Statistical Disclosure Control, ch. 4. WCAG 2.1 (tables: headers,
    captions, keyboard).
    """
    t = catalogue(language)
    report = os.environ.get(REPORT_ENV, "")
    frame = _redacted(table.reset_index(drop=True))
    if respondents:
        if min_n is None:
            raise ParameterError(f"Table {name!r} is about respondents: give `min_n`.")
        frame = suppress(frame, min_n=min_n, n=n, keys=keys, within=within, hide=[*hidden_cells(report, name), *hide],
                         round_to=round_to, complementary=complementary)
        cell_keys = [k for k in (keys if keys is not None else list(frame.columns[: list(frame.columns).index(n)]))
                     if k != label and k != measure_column]
        if metric in METRICS:
            answer = column or get_metric(metric).column
            if measure_column:
                for value, part in frame.groupby(measure_column, sort=False):
                    write_entries(entries_of(part, report=report, name=name, measure=f"{metric}:{value}",
                                             keys=cell_keys, n=n, kind=kind, weights=weights, label=label,
                                             value="estimate" if kind != "count" else None))
            else:
                write_entries(entries_of(frame, report=report, name=name, measure=f"{metric}:{answer}", keys=cell_keys,
                                         n=n, kind=kind, weights=weights, label=label,
                                         value="estimate" if kind != "count" and "estimate" in frame else None))
    if show:
        from IPython.display import HTML, display  # deferred: only notebooks display

        headers, rows, _ = _display(frame, metric=metric, t=t, min_n=min_n, digits=digits, translate=translate,
                                    value_labels=value_labels, unit=unit, n=n)
        downloads = _write_downloads(name, headers, rows)
        display(HTML(_html_table(name, caption or name, headers, rows, t, downloads)))
    return Published(name, frame, respondents)


def format_table(table: pd.DataFrame, *, digits: int = 1, min_n: int | None = None, language: str = "en",
                 metric: str | None = None) -> pd.DataFrame:
    """A display copy with headers and numbers in the language; hidden cells shown as such.

    Parameters
    ----------
    table : DataFrame
        Usually the output of :func:`workbench.suppress`.
    digits : int
        Decimals of metric values.
    min_n : int, optional
        Shown in "< min_n" for primary hidden counts.
    language : str
    metric : str, optional
        For units in headers.

    Returns
    -------
    DataFrame
        Text columns with human headers; the ``suppressed`` flags dropped.

    Raises
    ------
    ParameterError
        A column without a header in the catalogue.

    Notes
    -----
    The same formatting as :func:`publish`, for use outside reports.
    """
    t = catalogue(language)
    headers, rows, _ = _display(table.reset_index(drop=True), metric=metric, t=t, min_n=min_n, digits=digits,
                                translate=())
    return pd.DataFrame([[text for text, _, _ in row] for row in rows], columns=headers)
