"""The data-quality summary of a study: what was read, what was set aside and why, what does not fit.

``workbench check --study S`` prints it and writes it as a short HTML page; reports can show it.
Every figure is a count; no answer text appears except unknown labels, which are redacted.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import WorkbenchError
from ..stats.scales import AGREEMENT_SCALE, get_metric
from .study import Study

__all__ = ["Quality", "quality_summary"]

_GROUP_ROLES = ("area", "service", "unit")


@dataclass(frozen=True)
class Quality:
    """A study's data-quality summary.

    Attributes
    ----------
    study : str
        The study's name.
    file : str
        The responses file.
    read_options : dict
        Read options in effect (given or detected).
    rows_read : int
    dropped : dict
        Reason -> rows set aside.
    answers : DataFrame
        Per metric or statement column: ``column``, ``answered``, ``dont_know``, ``empty``, ``unknown``.
    unknown : DataFrame
        ``column``, ``label``, ``rows``: answers that are not on their scale.
    groups : DataFrame
        Answers per group at the finest level the study maps (``n`` of the first metric) with
        ``below_min_n``.
    duplicated_ids : int
        Respondent ids that occur more than once (0 without an id column).
    errors : list of str
        What stops the study from being used (unconfirmed guesses, unknown labels, missing files).
    """

    study: str
    file: str
    read_options: dict
    rows_read: int
    dropped: dict
    answers: pd.DataFrame = field(repr=False)
    unknown: pd.DataFrame = field(repr=False)
    groups: pd.DataFrame = field(repr=False)
    min_n: int = 5
    duplicated_ids: int = 0
    duplicated_rows: int = 0
    errors: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No errors."""
        return not self.errors

    def to_text(self) -> str:
        """The summary as plain text for the terminal."""
        lines = [f"Study {self.study!r}: {self.file}",
                 f"  read options: {', '.join(f'{k} = {v!r}' for k, v in self.read_options.items()) or 'default'}",
                 f"  rows read: {self.rows_read:,}"]
        for reason, rows in self.dropped.items():
            lines.append(f"  rows set aside ({reason}): {rows:,}")
        lines.append("  answers per column (answered / don't know / empty / unknown):")
        for row in self.answers.itertuples():
            lines.append(f"    {row.column}: {row.answered:,} / {row.dont_know:,} / {row.empty:,} / {row.unknown:,}")
        if len(self.unknown):
            lines.append("  unknown labels:")
            lines += [f"    {r.column}: {r.label!r} ({r.rows:,} rows)" for r in self.unknown.itertuples()]
        small = self.groups[self.groups["below_min_n"]] if len(self.groups) else self.groups
        lines.append(f"  groups: {len(self.groups):,}; below min_n = {self.min_n}: {len(small):,}")
        if self.duplicated_ids:
            lines.append(f"  duplicated respondent ids: {self.duplicated_ids:,} ids in {self.duplicated_rows:,} rows")
        lines.append("  errors:" if self.errors else "  no errors: the study can be used.")
        lines += [f"    - {e}" for e in self.errors]
        return "\n".join(lines)

    def to_html(self) -> str:
        """The summary as a short, self-contained HTML page (every value escaped)."""
        esc = html.escape

        def table(frame: pd.DataFrame, caption: str) -> str:
            if frame.empty:
                return f"<p>{esc(caption)}: none.</p>"
            head = "".join(f"<th scope='col'>{esc(str(c))}</th>" for c in frame.columns)
            body = "".join("<tr>" + "".join(f"<td>{esc(str(v))}</td>" for v in row) + "</tr>"
                           for row in frame.itertuples(index=False))
            return f"<table><caption>{esc(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

        dropped = "".join(f"<li>{esc(k)}: {v:,}</li>" for k, v in self.dropped.items()) or "<li>none</li>"
        errors = "".join(f"<li>{esc(e)}</li>" for e in self.errors)
        verdict = (f"<h2>Errors</h2><ul>{errors}</ul>" if self.errors else "<p><strong>No errors:</strong> the study can "
                   "be used.</p>")
        small = self.groups[self.groups["below_min_n"]] if len(self.groups) else self.groups
        return (
            "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>Data quality: {esc(self.study)}</title><style>body{{font-family:sans-serif;max-width:60em;"
            "margin:2em auto;line-height:1.5;color:#1a1a1a}table{border-collapse:collapse;margin:1em 0}"
            "td,th{border:1px solid #999;padding:.2em .5em;text-align:left}caption{text-align:left;font-weight:bold}"
            "</style></head><body>"
            f"<h1>Data quality: {esc(self.study)}</h1><p>File: <code>{esc(self.file)}</code>; read options: "
            f"{esc(', '.join(f'{k} = {v!r}' for k, v in self.read_options.items()) or 'default')}.</p>"
            f"<p>Rows read: {self.rows_read:,}.</p><h2>Rows set aside</h2><ul>{dropped}</ul>{verdict}"
            + table(self.answers, "Answers per column")
            + table(self.unknown, "Unknown labels")
            + table(small.drop(columns="below_min_n"), f"Groups below min_n = {self.min_n}")
            + f"<p>Duplicated respondent ids: {self.duplicated_ids:,} (in {self.duplicated_rows:,} rows).</p>"
            + table(self.groups.drop(columns="below_min_n"), "Answers per group")
            + "</body></html>"
        )


def quality_summary(study: Study) -> Quality:
    """Read a study's responses and summarise their quality without raising on data problems.

    Parameters
    ----------
    study : Study

    Returns
    -------
    Quality

    Raises
    ------
    StudyError
        The study names no responses.

    Notes
    -----
    Problems that stop a study from being used — unconfirmed guesses of ``workbench init``, named
    files that do not exist, unreadable files, mapped columns that are missing, unknown labels —
    are collected in ``errors`` instead of raised, so that one run lists them all.
    """
    errors = [f"unconfirmed guess: {key} (check it, then remove it from [study] unconfirmed)"
              for key in study.unconfirmed]
    spec = study.input("responses")
    try:
        study.check_files()
    except WorkbenchError as error:
        errors.append(str(error))
    try:
        mapped = study.map_responses()
    except WorkbenchError as error:
        errors.append(str(error))
        empty = pd.DataFrame(columns=["column", "answered", "dont_know", "empty", "unknown"])
        return Quality(study.name, str(spec.path), {}, 0, {}, empty, pd.DataFrame(columns=["column", "label", "rows"]),
                       pd.DataFrame(columns=["group", "n", "below_min_n"]), study.min_n, errors=errors)
    frame = mapped.frame
    rows = []
    for name, source in {**study.metrics, **study.statements}.items():
        scale = AGREEMENT_SCALE if name in study.statements else get_metric(name).scale
        column = name if name in study.statements else get_metric(name).column
        codes = scale.encode(frame[column], column=source)
        unknown = int(mapped.unknown.get(source, pd.Series(dtype="int64")).sum())
        rows.append((source, int(((codes >= 0) & (codes < scale.size)).sum()), int((codes == scale.size).sum()),
                     int((codes < 0).sum()) - unknown, unknown))
    answers = pd.DataFrame(rows, columns=["column", "answered", "dont_know", "empty", "unknown"])
    unknown = pd.DataFrame([(column, label, int(count)) for column, labels in mapped.unknown.items()
                            for label, count in labels.items()], columns=["column", "label", "rows"])
    for column, labels in mapped.unknown.items():
        errors.append(f"column {column!r} has {int(labels.sum())} answers with {len(labels)} unknown labels")
    keys = [r for r in _GROUP_ROLES if r in frame.columns]
    first = next(iter(study.metrics), None)
    if keys and first:
        answered = frame[get_metric(first).column].notna()
        groups = frame.loc[answered].groupby(keys, sort=True).size().rename("n").reset_index()
        groups["below_min_n"] = groups["n"] < study.min_n
    else:
        groups = pd.DataFrame(columns=keys + ["n", "below_min_n"])
    ids = frame["respondent_id"] if "respondent_id" in frame else pd.Series(dtype=object)
    counts = ids.dropna().value_counts()
    dup = counts[counts > 1]
    return Quality(study.name, str(spec.path), dict(mapped.read.options), mapped.read.rows_read,
                   dict(mapped.read.dropped), answers, unknown, groups, study.min_n, int(len(dup)),
                   int(np.sum(dup.to_numpy())), errors)
