"""Scales and metrics: a metric is a scale plus a scoring vector (DESIGN.md, principle 2).

A :class:`Scale` lists its valid points in order and the non-substantive codes
("don't know", *en osaa sanoa*) that leave the base. A :class:`Metric` gives every
point a score; the estimate is ``sum(score_k * p_k)`` and the per-response variance
``sum(score_k**2 * p_k) - estimate**2``. One code path serves every metric.

A user-defined metric needs no change to the package::

    >>> import workbench as wb
    >>> four = wb.Scale("agree 1-4", points=(1, 2, 3, 4))
    >>> top_box = wb.Metric("top_box", four, {4: 100}, label="Top box (share of 4)")
    >>> top_box.is_binary
    True
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._validate import show_values
from ..errors import MetricError, ScaleError
from ..privacy.redact import redact

__all__ = ["Scale", "Metric", "METRICS", "get_metric", "NPS_SCALE", "AGREEMENT_SCALE", "YES_NO_SCALE", "CSAT_SCALE",
           "CES_SCALE", "DONT_KNOW_LABELS", "normal_key"]

MISSING = -1  # code of an empty answer (item non-response): not in the base, not counted
INVALID = -2  # code of an answer that is not on the scale (from Scale.lookup; encode raises instead)


# A label that starts with its scale point: "10 - Erittäin todennäköisesti", "5 = Täysin samaa mieltä",
# "1) Täysin eri mieltä", "7: Erittäin helppoa" (Webropol, Questback, Forms exports).
_NUMBER_PREFIX = re.compile(r"^\s*(\d{1,2})\s*(?:[-–—:=).]\s*|\s+)\D")


def normal_key(value: Any) -> Hashable:
    """The form under which an answer is looked up: lower-case text with white space folded, integral floats as int.

    Parameters
    ----------
    value : any
        An answer or a label.

    Returns
    -------
    hashable

    Raises
    ------
    TypeError
        Never for answers read from files.

    Notes
    -----
    "Täysin  samaa mieltä " and "täysin samaa mieltä" match; 5.0 and 5 match.

    References
    ----------
    Unicode white space as Python's ``str.split`` defines it.
    """
    if isinstance(value, str):
        return re.sub(r"\s+", " ", value.replace("’", "'").replace("\u00a0", " ")).strip().lower()
    if isinstance(value, (bool, np.bool_)):
        return int(value)
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return int(value)
    if isinstance(value, np.integer):
        return int(value)
    return value


@dataclass(frozen=True)
class Scale:
    """The valid answers to one question.

    Parameters
    ----------
    name : str
        A short name, shown in errors.
    points : sequence
        The substantive answers in order (low to high), e.g. ``range(11)`` or ``("no", "yes")``.
    dont_know : sequence, optional
        Codes of non-substantive answers; they leave the base and are counted in ``n_dont_know``.
    aliases : mapping, optional
        Other spellings of a point or a don't-know code (``{"kyllä": "yes", 1: "yes"}``).
        Text is matched case-insensitively after stripping white space.
    """

    name: str
    points: tuple
    dont_know: tuple = ()
    aliases: Mapping[Any, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "points", tuple(self.points))
        object.__setattr__(self, "dont_know", tuple(self.dont_know))
        object.__setattr__(self, "aliases", dict(self.aliases))
        if len(self.points) < 2:
            raise MetricError(f"Scale {self.name!r} needs at least two points; got {self.points!r}.")
        keys = [normal_key(p) for p in self.points] + [normal_key(d) for d in self.dont_know]
        if len(set(keys)) != len(keys):
            raise MetricError(f"Scale {self.name!r} lists a point or code twice: {keys!r}.")
        targets = {normal_key(p) for p in self.points} | {normal_key(d) for d in self.dont_know}
        unknown = [t for t in self.aliases.values() if normal_key(t) not in targets]
        if unknown:
            raise MetricError(f"Scale {self.name!r}: aliases point to unknown answers {show_values(unknown)}.")

    @property
    def size(self) -> int:
        """Number of substantive points."""
        return len(self.points)

    def _lookup(self) -> dict:
        """Map a normalised answer to its code: 0..size-1 for points, size for don't know."""
        table: dict = {}
        for i, p in enumerate(self.points):
            table[normal_key(p)] = i
        for d in self.dont_know:
            table[normal_key(d)] = self.size
        for alias, target in self.aliases.items():
            table[normal_key(alias)] = table[normal_key(target)]
        return table

    def _integer_range(self) -> tuple[int, int] | None:
        """(first, last) when the points are consecutive integers; enables the arithmetic fast path."""
        pts = self.points
        if all(isinstance(p, (int, np.integer)) and not isinstance(p, bool) for p in pts):
            if list(pts) == list(range(int(pts[0]), int(pts[0]) + len(pts))):
                return int(pts[0]), int(pts[-1])
        return None

    def encode(self, values: pd.Series, *, column: str) -> np.ndarray:
        """Codes of the answers: 0..size-1 for points, ``size`` for don't know, -1 for empty.

        One vectorised pass: integer columns are checked and shifted arithmetically; any
        other column is factorised and only its distinct values are looked up.

        Raises
        ------
        ScaleError
            Naming the column, the offending values with their row counts, and the total.
        """
        rng = self._integer_range()
        dk_codes = [normal_key(d) for d in self.dont_know]
        if rng is not None and pd.api.types.is_integer_dtype(values.dtype) and not isinstance(
            values.dtype, pd.CategoricalDtype
        ):
            if pd.api.types.is_extension_array_dtype(values.dtype):  # nullable Int64: missing values need the general path
                return self._encode_generic(values, column=column)
            arr = values.to_numpy()
            lo, hi = rng
            codes = arr.astype(np.int64, copy=False) - lo
            bad = (codes < 0) | (codes > hi - lo)
            if bad.any():
                dk = np.isin(arr, [d for d in dk_codes if isinstance(d, int)])
                real_bad = bad & ~dk
                if real_bad.any():
                    found, rows = np.unique(arr[real_bad], return_counts=True)
                    raise self.invalid_error(found, rows, column=column, total=len(values))
                codes = np.where(dk, self.size, codes)
            return codes
        return self._encode_generic(values, column=column)

    def _encode_generic(self, values: pd.Series, *, column: str) -> np.ndarray:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        mapped = np.append(self.lookup(uniques), MISSING)  # factorize's -1 (missing) indexes the last slot
        bad = mapped[:-1] == INVALID
        if bad.any():
            rows = np.bincount(codes[codes >= 0], minlength=len(uniques))
            raise self.invalid_error(np.asarray(uniques, dtype=object)[bad], rows[bad], column=column,
                                     total=len(values))
        return mapped[codes]

    def lookup(self, values) -> np.ndarray:
        """Code of each of a few distinct answers, without raising.

        Parameters
        ----------
        values : sequence
            Distinct answers (the uniques of a column, or the rows of a count table).

        Returns
        -------
        ndarray of int64
            0..size-1 for points, ``size`` for don't know, ``MISSING`` (-1) for empty answers (missing
            values and blank text) and ``INVALID`` (-2) for anything else.

        Notes
        -----
        As :meth:`encode` matches answers (:func:`normal_key`, numeric text, labels starting with their
        point). A Python loop over the *distinct* values only: every counting path (pandas, DuckDB, Ibis)
        encodes through it, so all paths agree on every answer.
        """
        table = self._lookup()
        out = np.empty(len(values), dtype=np.int64)
        for i, value in enumerate(np.asarray(values, dtype=object)):
            if not isinstance(value, str) and _is_missing(value):
                out[i] = MISSING
                continue
            code = self._code_of(value, table)
            out[i] = INVALID if code is None else code
        return out

    def invalid_error(self, values, rows, *, column: str, total: int) -> ScaleError:
        """The error for answers that are not on the scale, naming values, row counts and the total.

        Parameters
        ----------
        values : sequence
            The distinct offending answers.
        rows : sequence of int
            Rows holding each of them.
        column : str
            The answer column, named in the message.
        total : int
            Rows read.

        Returns
        -------
        ScaleError
            For the caller to raise. Values are listed by row count (most first), then by value; text
            is redacted and cut at 40 characters.

        Notes
        -----
        Every counting path builds its message here, so the same data gives the same message
        whichever engine counted it.
        """
        pairs = order_answers(values, rows)
        listed = ", ".join(f"{shown_answer(v)!r} ({r} rows)" for v, r in pairs[:8])
        if len(pairs) > 8:
            listed += f", … ({len(pairs) - 8} more values)"
        non_numeric = any(isinstance(v, str) for v, _ in pairs)
        kind = "non-numeric or unknown answers" if non_numeric else "answers outside the scale"
        valid = show_values(self.points, 12) + (f" or don't know {show_values(self.dont_know)}" if self.dont_know else "")
        return ScaleError(
            f"Column {column!r} has {kind}: {listed}; {sum(r for _, r in pairs)} of {total} rows. "
            f"Scale {self.name!r} accepts {valid}."
        )

    def unknown(self, values: pd.Series) -> pd.Series:
        """The answers that are not points, don't-know codes or aliases of the scale, with their row counts.

        Labels pass through :func:`workbench.redact` and are cut at 40 characters, so the result may
        be shown (a data-quality summary lists it).
        """
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        table = self._lookup()
        bad = [i for i, u in enumerate(np.asarray(uniques, dtype=object)) if self._code_of(u, table) is None]
        counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
        return pd.Series({shown_answer(uniques[i]): int(counts[i]) for i in bad}, dtype="int64").sort_values(ascending=False)

    def is_known(self, values: pd.Series) -> np.ndarray:
        """Whether each answer is a point, a don't-know code, an alias or empty (one lookup per distinct value)."""
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        table = self._lookup()
        known = np.array([self._code_of(u, table) is not None for u in np.asarray(uniques, dtype=object)] + [True])
        return known[codes]

    def _code_of(self, value, table) -> int | None:
        key = normal_key(value)
        if key == "":
            return MISSING
        code = table.get(key) if isinstance(key, Hashable) else None
        if code is None and isinstance(key, str):
            try:
                number = float(key.replace(",", "."))
            except ValueError:
                prefix = _NUMBER_PREFIX.match(key)
                number = float(prefix.group(1)) if prefix else None
            if number is not None and math.isfinite(number):
                code = table.get(normal_key(number))
        return code


def _is_missing(value: Any) -> bool:
    """A missing scalar (None, NaN, pd.NA, NaT)."""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def order_answers(values, rows) -> list[tuple[Any, int]]:
    """(answer, rows) pairs with rows, most frequent first, then numbers by value, then text.

    The one order of offending answers in errors and data-quality tables, on every counting path.
    """
    pairs = [(v.item() if isinstance(v, np.generic) else v, int(r)) for v, r in zip(values, rows) if r > 0]

    def key(pair):
        value = pair[0]
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        return (-pair[1], 0 if number else 1, float(value) if number else 0.0, "" if number else str(value))

    return sorted(pairs, key=key)


def shown_answer(value):
    """An answer as it may appear in a message: numbers as they are, text redacted and cut at 40 characters."""
    if isinstance(value, np.generic):
        value = value.item()
    if not isinstance(value, str):
        return value
    text = redact(value)
    return text if len(text) <= 40 else text[:39] + "…"


@dataclass(frozen=True)
class Metric:
    """A scale with a score for every point.

    Parameters
    ----------
    name : str
        Lower-case name; also the default column to read.
    scale : Scale
    scores : mapping or sequence
        A score per point: a sequence as long as ``scale.points``, or a mapping from
        point to score where unlisted points score 0.
    label : str, optional
        A human-readable name for tables and figures.
    unit : str, optional
        Unit of the estimate; derived when omitted ("%" for shares, "NPS points", "scale points").
    column : str, optional
        The answer column read by default; the metric's name when omitted
        (``csat_mean`` reads ``csat``, ``ces_mean`` reads ``ces``).
    """

    name: str
    scale: Scale
    scores: Any
    label: str = ""
    unit: str = ""
    column: str = ""

    def __post_init__(self) -> None:
        if isinstance(self.scores, Mapping):
            keyed = {normal_key(k): float(v) for k, v in self.scores.items()}
            pts = [normal_key(p) for p in self.scale.points]
            unknown = [k for k in keyed if k not in pts]
            if unknown:
                raise MetricError(
                    f"Metric {self.name!r} scores unknown points {show_values(unknown)}; "
                    f"scale {self.scale.name!r} has {show_values(self.scale.points, 12)}."
                )
            values = tuple(keyed.get(p, 0.0) for p in pts)
        else:
            values = tuple(float(v) for v in self.scores)
            if len(values) != self.scale.size:
                raise MetricError(
                    f"Metric {self.name!r} has {len(values)} scores for {self.scale.size} scale points."
                )
        if not all(math.isfinite(v) for v in values):
            raise MetricError(f"Metric {self.name!r} has non-finite scores {values!r}.")
        if len(set(values)) < 2:
            raise MetricError(f"Metric {self.name!r} gives every point the same score {values[0]!r}.")
        object.__setattr__(self, "scores", values)
        if not self.label:
            object.__setattr__(self, "label", self.name)
        if not self.column:
            object.__setattr__(self, "column", self.name)
        if not self.unit:
            unit = "%" if self.is_binary else ("NPS points" if self.levels.tolist() == [-100, 0, 100] else "scale points")
            object.__setattr__(self, "unit", unit)

    @property
    def levels(self) -> np.ndarray:
        """The distinct scores, ascending. Estimators work on counts per level."""
        return np.unique(np.asarray(self.scores, dtype=float))

    @property
    def level_matrix(self) -> np.ndarray:
        """(points × levels) 0/1 matrix that collapses point counts to level counts."""
        scores = np.asarray(self.scores, dtype=float)
        return (scores[:, None] == self.levels[None, :]).astype(np.int64)

    @property
    def is_trinomial(self) -> bool:
        """Three equally spaced levels (NPS): its variance, score interval and skewness have closed forms."""
        return three_equal_levels(self.levels)

    @property
    def is_binary(self) -> bool:
        """Two levels, 0 and 100: a share in percent, eligible for proportion intervals."""
        return self.levels.tolist() == [0.0, 100.0]

    @property
    def bounds(self) -> tuple[float, float]:
        return float(self.levels[0]), float(self.levels[-1])


def three_equal_levels(levels) -> bool:
    """Whether score levels are three equally spaced values (such as NPS's -100, 0, 100)."""
    levels = np.asarray(levels, dtype=float)
    return len(levels) == 3 and bool(np.isclose(levels[1] - levels[0], levels[2] - levels[1]))


# Answer labels of Finnish, Swedish and English questionnaires (THL-style wording and the usual
# Webropol/Questback/Forms variants). Numbers with a label ("10 - Erittäin todennäköisesti") need no
# entry: their leading number is read.
DONT_KNOW_LABELS = ("en osaa sanoa", "eos", "en tiedä", "ei koske minua", "vet inte", "kan inte säga",
                    "berör mig inte", "ej tillämpligt", "don't know", "dont know", "do not know", "dk",
                    "not applicable", "n/a")
_YES = ("yes", "kyllä", "kylla", "joo", "ja", "y", "true")
_NO = ("no", "ei", "nej", "n", "false")
_AGREEMENT_LABELS = {
    1: ("täysin eri mieltä", "helt av annan åsikt", "helt oenig", "strongly disagree"),
    2: ("jokseenkin eri mieltä", "osittain eri mieltä", "delvis av annan åsikt", "delvis oenig", "disagree"),
    3: ("ei samaa eikä eri mieltä", "en samaa enkä eri mieltä", "varken av samma eller annan åsikt", "varken eller",
        "neither agree nor disagree"),
    4: ("jokseenkin samaa mieltä", "osittain samaa mieltä", "delvis av samma åsikt", "delvis enig", "agree"),
    5: ("täysin samaa mieltä", "helt av samma åsikt", "helt enig", "strongly agree"),
}
_SATISFACTION_LABELS = {
    1: ("erittäin tyytymätön", "mycket missnöjd", "very dissatisfied"),
    2: ("tyytymätön", "melko tyytymätön", "missnöjd", "dissatisfied"),
    3: ("ei tyytyväinen eikä tyytymätön", "varken nöjd eller missnöjd", "neither satisfied nor dissatisfied"),
    4: ("tyytyväinen", "melko tyytyväinen", "nöjd", "satisfied"),
    5: ("erittäin tyytyväinen", "mycket nöjd", "very satisfied"),
}


def _labels(table: Mapping[int, tuple]) -> dict:
    return {label: point for point, labels in table.items() for label in labels}


NPS_SCALE = Scale("recommendation 0-10", points=range(11))
CSAT_SCALE = Scale("satisfaction 1-5", points=range(1, 6), aliases=_labels(_SATISFACTION_LABELS))
CES_SCALE = Scale("effort 1-7", points=range(1, 8))
YES_NO_SCALE = Scale(
    "yes/no",
    points=("no", "yes"),
    aliases={0: "no", 1: "yes", **{label: "yes" for label in _YES[1:]}, **{label: "no" for label in _NO[1:]}},
)
AGREEMENT_SCALE = Scale(
    "agreement 1-5",
    points=range(1, 6),
    dont_know=(6,),
    aliases={**_labels(_AGREEMENT_LABELS), **{label: 6 for label in DONT_KNOW_LABELS}},
)

METRICS: dict[str, Metric] = {
    m.name: m
    for m in (
        Metric("nps", NPS_SCALE, [-100] * 7 + [0, 0] + [100, 100], label="Net Promoter Score"),
        Metric("csat", CSAT_SCALE, {4: 100, 5: 100}, label="CSAT (share 4–5)"),
        Metric("csat_mean", CSAT_SCALE, list(range(1, 6)), label="CSAT mean (1–5)", column="csat"),
        Metric("ces", CES_SCALE, {5: 100, 6: 100, 7: 100}, label="CES (share 5–7, easy)"),
        Metric("ces_mean", CES_SCALE, list(range(1, 8)), label="CES mean (1–7)", column="ces"),
        Metric("fcr", YES_NO_SCALE, {"yes": 100}, label="First contact resolution (share yes)"),
        Metric("agreement", AGREEMENT_SCALE, {4: 100, 5: 100}, label="Agreement (share 4–5)"),
        Metric("agreement_mean", AGREEMENT_SCALE, list(range(1, 6)), label="Agreement mean (1–5)"),
    )
}
"""The built-in metrics by name."""


def get_metric(metric: str | Metric) -> Metric:
    """A :class:`Metric` from its exact name or itself.

    Parameters
    ----------
    metric : str or Metric

    Returns
    -------
    Metric

    Raises
    ------
    MetricError
        An unknown name; the message lists the built-in metrics.

    Notes
    -----
    Built-in: nps (0–10; 9–10 promoters +100, 0–6 detractors −100), csat (share 4–5 of 1–5), csat_mean,
    ces (share 5–7 of 1–7), ces_mean, fcr (share yes), agreement (share 4–5 of 1–5 + don't know) and
    agreement_mean.

    References
    ----------
    Reichheld, F. F. (2003). The one number you need to grow. Harvard Business Review 81(12).
    """
    if isinstance(metric, Metric):
        return metric
    if isinstance(metric, str) and metric in METRICS:
        return METRICS[metric]
    raise MetricError(
        f"Unknown metric {metric!r}; built-in metrics: {', '.join(map(repr, METRICS))}, "
        "or pass a workbench.Metric."
    )
