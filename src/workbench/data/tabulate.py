"""The one counting pass in memory: group keys and answers to a table of slots, one ``np.bincount``.

Every row lands in a slot ``group * (K + 3) + s`` where ``s`` is 0 for an empty answer, 1..K for the
points, K + 1 for don't know and K + 2 for an answer that is not on the scale; validation is that
last slot, counted in the same pass. Group codes come from what the column already holds:

- integer keys in a short range are their own codes (value - minimum), with no hashing;
- categorical keys are their category codes;
- anything else (text, floats, objects) is factorised once, unsorted; only the distinct values
  are sorted afterwards, and the small table is reordered instead of the codes of every row.

Answers are encoded the same way: integer (and integral float) answers through a lookup table
over their range, categorical answers through their categories, anything else through the
distinct values (:meth:`workbench.Scale.lookup`). The key and answer codes are combined in
place in one ``intp`` buffer, so the pass needs 8 bytes a row of working memory (16 when a
lookup table or factorisation is needed).

The same pass counts the small tables that DuckDB and Ibis return (one row per group and
distinct answer), weighted by their row counts, so every engine shares its keys, order and
errors. numpy and pandas have no grouped count that validates and encodes in the same pass
(pandas' ``groupby([keys, answer]).size()`` is 2–5 times slower and does not validate), hence
this module.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from ..errors import DataError
from ..stats.scales import INVALID, MISSING, Scale, order_answers

__all__ = ["Tabulation", "tabulate"]

_RANGE_LIMIT = 1 << 16  # integer columns spanning more values than this are factorised instead
_DENSE_LIMIT = 50_000_000  # largest dense (groups × slots) table counted without compressing keys


@dataclass(frozen=True)
class Tabulation:
    """Slot counts per group, before groups without answers are dropped.

    Attributes
    ----------
    keys : DataFrame
        One row per group with at least one answer on the scale or don't know, sorted by key.
    table : ndarray, shape (groups, K + 3)
        Count (weighted when weights were given) of each slot: empty, the K points, don't know, invalid.
    rows_read : int
        Rows read.
    totals : ndarray, shape (K + 3,)
        Unweighted rows of each slot over all groups (those left out included).
    groups_without_answers : int
        Groups whose every answer is empty (left out of ``keys``).
    invalid : DataFrame
        Answers not on the scale: ``value`` and ``rows``, most frequent first.
    """

    keys: pd.DataFrame
    table: np.ndarray
    rows_read: int
    totals: np.ndarray
    groups_without_answers: int
    invalid: pd.DataFrame


def tabulate(frame: pd.DataFrame, scale: Scale, *, column: str, keys: list[str],
             weights: np.ndarray | None = None, rows: np.ndarray | None = None) -> Tabulation:
    """Count every slot of every group in one pass over the rows of ``frame``.

    Parameters
    ----------
    frame : DataFrame
        Responses, or a pre-aggregated table (one row per group and answer) with ``rows``.
    scale : Scale
        The scale of the answers.
    column : str
        The answer column.
    keys : list of str
        Group keys (may be empty).
    weights : ndarray, optional
        Weight of each row (validated by the caller); the table then holds weighted counts.
    rows : ndarray, optional
        How many responses each row of ``frame`` stands for (from an engine's GROUP BY).

    Returns
    -------
    Tabulation

    Raises
    ------
    DataError
        Missing group keys (with their row count).

    Notes
    -----
    The result equals ``frame.groupby(keys + [column]).size()`` with answers encoded by
    :meth:`workbench.Scale.lookup` (hypothesis tests in ``tests/data/test_counting.py``). Memory:
    one ``intp`` per row, plus one temporary per row for factorised or looked-up columns.
    """
    n_rows = int(rows.sum()) if rows is not None else len(frame)
    parts = [_key_part(frame[k], k, rows, n_rows) for k in keys]
    slots = scale.size + 3
    if float(np.prod([p.size for p in parts], dtype=np.float64)) * slots > _DENSE_LIMIT:
        parts = [_compressed_keys(frame, keys)]  # too many combinations for a dense table
    sizes = [p.size for p in parts]
    n_groups = int(np.prod(sizes, dtype=np.int64))
    flat, shift, low = _combine(parts, len(frame), slots)
    answer = _AnswerSlots(frame[column], scale)
    answer_shift, answer_low = answer.add_to(flat)
    shift, low, length = shift + answer_shift, low + answer_low, n_groups * slots
    if shift and (low < 0 or shift < -length):
        flat += shift  # negative codes, or a shift too large to absorb in the output: pay the pass
        shift = 0
    counted = _bincount(flat, shift, length, rows).reshape(n_groups, slots)
    if rows is not None:
        counted = np.rint(counted).astype(np.int64)
    table = counted if weights is None else _bincount(flat, shift, length, weights).reshape(n_groups, slots)
    del flat
    invalid = answer.invalid_counts(rows) if counted[:, -1].any() else _no_invalid()
    answered = np.flatnonzero(table[:, 1:-1].sum(axis=1) > 0)
    codes = np.unravel_index(answered, sizes) if parts else ()
    order = _sort_order(parts, codes)
    if order is not None:
        answered, codes = answered[order], tuple(c[order] for c in codes)
    if not parts:
        key_frame = pd.DataFrame(index=range(len(answered)))
    elif parts[0].kind == "compressed":
        key_frame = parts[0].frame.iloc[answered].reset_index(drop=True)
    else:
        key_frame = pd.DataFrame({p.name: p.labels(c) for p, c in zip(parts, codes)})
    with_rows = int((counted.sum(axis=1) > 0).sum())
    return Tabulation(key_frame, table[answered], n_rows, counted.sum(axis=0), with_rows - len(answered), invalid)


@dataclass
class _KeyPart:
    """Codes of one group key: its own values (range), category codes, or factorised codes."""

    name: str
    kind: str  # "range" | "codes" | "compressed"
    size: int
    values: np.ndarray  # the column (range) or the codes (codes, compressed)
    offset: int = 0
    uniques: object = None  # labels of codes 0..size-1
    rank: np.ndarray | None = None  # sorted position of each code, when codes are not in sorted order
    frame: pd.DataFrame | None = None  # compressed: the key combinations

    def labels(self, codes: np.ndarray):
        if self.kind == "range":
            return (codes + self.offset).astype(self.values.dtype)
        return self.uniques.take(codes)


def _key_part(series: pd.Series, name: str, rows: np.ndarray | None, n_rows: int) -> _KeyPart:
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        codes = series.cat.codes.to_numpy()
        if len(codes) and codes.min() < 0:
            _raise_missing(codes < 0, name, rows, n_rows)
        cats = pd.Categorical.from_codes(np.arange(len(dtype.categories)), dtype=dtype)
        return _KeyPart(name, "codes", len(dtype.categories), codes, uniques=cats)
    if isinstance(dtype, np.dtype) and dtype.kind in "iub" and len(series):
        values = series.to_numpy()
        lo, hi = int(values.min()), int(values.max())
        if hi - lo < _RANGE_LIMIT:
            return _KeyPart(name, "range", hi - lo + 1, values, offset=lo)
    codes, uniques = _factorize(series, name, rows, n_rows)
    # Sorting the few distinct values (as pandas would) and reordering the small table afterwards
    # costs nothing; re-sorting the codes of every row is what factorize(sort=True) spends its time on.
    rank = pd.factorize(uniques, sort=True)[0] if len(uniques) > 1 else None
    return _KeyPart(name, "codes", len(uniques), codes, uniques=uniques, rank=rank)


def _factorize(series: pd.Series, name: str, rows, n_rows: int):
    """Codes (unsorted) and distinct values; Arrow-backed text is hashed by Arrow, keeping its int32 indices."""
    array = series.array
    if hasattr(array, "__arrow_array__") and not isinstance(series.dtype, pd.CategoricalDtype):
        chunked = array.__arrow_array__()
        if isinstance(chunked, pa.ChunkedArray) and chunked.num_chunks and pa.types.is_string(chunked.type) | \
                pa.types.is_large_string(chunked.type):
            encoded = chunked.dictionary_encode()
            encoded = encoded.chunk(0) if encoded.num_chunks == 1 else encoded.combine_chunks()
            if encoded.null_count:
                _raise_missing(encoded.is_null().to_numpy(zero_copy_only=False), name, rows, n_rows)
            uniques = pd.Index(pd.array(encoded.dictionary.to_pylist(), dtype=series.dtype))
            return encoded.indices.to_numpy(zero_copy_only=False), uniques
    codes, uniques = pd.factorize(series, sort=False, use_na_sentinel=True)
    if len(codes) and codes.min() < 0:
        _raise_missing(codes < 0, name, rows, n_rows)
    return codes, uniques


def _raise_missing(missing: np.ndarray, name: str, rows: np.ndarray | None, n_rows: int) -> None:
    count = int(rows[missing].sum()) if rows is not None else int(missing.sum())
    raise DataError(f"Group column {name!r} has {count} missing values (of {n_rows} rows); "
                    "fill or drop them first.")


def _compressed_keys(frame: pd.DataFrame, keys: list[str]) -> _KeyPart:
    """Many high-cardinality keys: pandas compresses the observed combinations (no int64 overflow)."""
    grouped = frame.groupby(keys, sort=True)
    codes = grouped.ngroup().to_numpy()
    combos = grouped.size().index.to_frame(index=False)
    return _KeyPart("", "compressed", len(combos), codes, frame=combos)


def _combine(parts: list[_KeyPart], n: int, slots: int) -> tuple[np.ndarray, int, int]:
    """``group * slots`` of every row, built in place in one ``intp`` buffer (Horner's scheme).

    Key offsets are not subtracted row by row: they come back as one ``shift`` (to add to every
    code) with ``low``, the smallest code before shifting, for :func:`_bincount`.
    """
    if not parts:
        return np.zeros(n, dtype=np.intp), 0, 0
    multipliers = [p.size for p in parts[1:]] + [slots]
    flat = np.empty(n, dtype=np.intp)
    np.multiply(parts[0].values, multipliers[0], out=flat, casting="unsafe")
    for part, multiplier in zip(parts[1:], multipliers[1:]):
        np.add(flat, part.values, out=flat, casting="unsafe")
        flat *= multiplier
    strides = np.cumprod(multipliers[::-1])[::-1]
    low = int(sum(p.offset * int(s) for p, s in zip(parts, strides)))
    return flat, -low, low


def _bincount(flat: np.ndarray, shift: int, length: int, weights) -> np.ndarray:
    """``np.bincount(flat + shift)`` without a pass over the rows to add ``shift`` (``flat`` >= 0)."""
    counts = np.bincount(flat, weights=weights, minlength=length - shift)
    if shift > 0:
        return np.concatenate([np.zeros(shift, dtype=counts.dtype), counts[: length - shift]])
    return counts[-shift:] if shift else counts


def _sort_order(parts: list[_KeyPart], codes: tuple) -> np.ndarray | None:
    """Order of the answered groups by key when some key's codes are not sorted; None if they are."""
    if not any(p.rank is not None for p in parts):
        return None
    ranks = [p.rank[c] if p.rank is not None else c for p, c in zip(parts, codes)]
    return np.lexsort(ranks[::-1])


def _no_invalid() -> pd.DataFrame:
    return pd.DataFrame({"value": pd.Series([], dtype=object), "rows": pd.Series([], dtype=np.int64)})


class _AnswerSlots:
    """Slot of each answer (0 empty, 1..K points, K+1 don't know, K+2 invalid), added to the group codes."""

    def __init__(self, series: pd.Series, scale: Scale):
        self.series, self.scale = series, scale
        self.kind, self.missing, self.as_float = "generic", None, False
        dtype = series.dtype
        if isinstance(dtype, pd.CategoricalDtype):
            self.kind = "categorical"
        elif isinstance(dtype, np.dtype) and dtype.kind in "iu" and len(series):
            values = series.to_numpy()
            lo, hi = int(values.min()), int(values.max())
            if hi - lo < _RANGE_LIMIT:
                self.kind, self.values, self.lo, self.hi = "integer", values, lo, hi
        elif isinstance(dtype, np.dtype) and dtype.kind == "f" and len(series):
            self._integral_floats(series.to_numpy())

    def _integral_floats(self, values: np.ndarray) -> None:
        """Whole numbers with missing values (answers read with empty cells) take the integer path."""
        with np.errstate(invalid="ignore"):
            whole = values.astype(np.intp)
        missing = np.isnan(values)
        if missing.all():
            self.kind = "empty"
            return
        if missing.any():
            whole[missing] = whole[np.argmin(missing)]  # any present value: overwritten by slot 0 below
            exact = ((whole == values) | missing).all()
        else:
            missing, exact = None, np.array_equal(whole, values)
        if not exact:
            return  # fractions, infinities or huge numbers: the generic path finds and names them
        lo, hi = int(whole.min()), int(whole.max())
        if hi - lo < _RANGE_LIMIT:
            self.kind, self.values, self.lo, self.hi = "integer", whole, lo, hi
            self.missing, self.as_float = missing, True

    def _slots_of(self, values) -> np.ndarray:
        codes = self.scale.lookup(values)
        slots = codes + 1
        slots[codes == MISSING] = 0
        slots[codes == INVALID] = self.scale.size + 2
        return slots

    def add_to(self, flat: np.ndarray) -> tuple[int, int]:
        """Add each row's slot to ``flat``; returns the (shift, smallest value) still to apply (see _bincount)."""
        if self.kind == "integer":
            span = np.arange(self.lo, self.hi + 1)
            self.lut = self._slots_of(span.astype(float) if self.as_float else span)
            if self.missing is None and np.array_equal(self.lut, np.arange(len(span)) + self.lut[0]):
                np.add(flat, self.values, out=flat, casting="unsafe")  # the slots are the values, shifted
                return int(self.lut[0]) - self.lo, self.lo
            slots = self.lut.take(self.values - self.lo if self.lo else self.values)
            if self.missing is not None:
                slots[self.missing] = 0
            flat += slots
        elif self.kind == "categorical":
            self.lut = np.append(self._slots_of(self.series.cat.categories), 0)  # code -1 (missing) -> 0
            flat += self.lut.take(self.series.cat.codes.to_numpy())
        elif self.kind == "generic":
            self.codes, self.uniques = pd.factorize(self.series, use_na_sentinel=True)
            self.lut = np.append(self._slots_of(self.uniques), 0)
            flat += self.lut.take(self.codes)
        # "empty": every answer is missing, slot 0 for every row
        return 0, 0

    def invalid_counts(self, rows: np.ndarray | None) -> pd.DataFrame:
        """The distinct invalid answers with their rows (called only when the invalid slot is not empty)."""
        if self.kind == "integer":
            index = self.values - self.lo
            values = np.arange(self.lo, self.hi + 1).astype(float if self.as_float else self.values.dtype)
            if self.missing is not None:
                index, rows = index[~self.missing], (rows[~self.missing] if rows is not None else None)
        elif self.kind == "categorical":
            index, rows = _present(self.series.cat.codes.to_numpy(), rows)
            values = np.asarray(self.series.cat.categories, dtype=object)
        else:
            index, rows = _present(self.codes, rows)
            values = np.asarray(self.uniques, dtype=object)
        found = np.bincount(index, weights=rows, minlength=len(values))
        bad = (self.lut[: len(values)] == self.scale.size + 2) & (found > 0)
        pairs = order_answers(values[bad], np.rint(found[bad]))
        return pd.DataFrame({"value": pd.Series([v for v, _ in pairs], dtype=object),
                             "rows": pd.Series([r for _, r in pairs], dtype=np.int64)})


def _present(codes: np.ndarray, rows: np.ndarray | None):
    keep = codes >= 0
    return codes[keep], (rows[keep] if rows is not None else None)
