"""Drafting a study file from a data file (``workbench init FILE``): every guess marked for the user.

Read options are detected as :func:`~workbench.data.readers.read_table` detects them; columns are
recognised by their answer values (0–10, 1–5, 1–7, yes/no, agreement and satisfaction labels, free
text) and by header words in Finnish, Swedish and English. Each guess is written with a comment
saying why, and listed in ``[study] unconfirmed``: ``workbench check`` refuses the study until the
user has looked at each one and removed it from the list.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..stats.scales import AGREEMENT_SCALE, CSAT_SCALE, YES_NO_SCALE, Scale
from .readers import ReadOptions, read_table

__all__ = ["draft_study", "guess_columns"]

# Header words that name a role (lower case, matched as word starts).
_ROLE_WORDS = {
    "area": ("hyvinvointialue", "alue", "kunta", "område", "välfärdsområde", "area", "region"),
    "service": ("palvelu", "tjänst", "service", "palvelualue"),
    "unit": ("yksikkö", "toimipiste", "vastaanotto", "enhet", "verksamhetsställe", "unit", "clinic"),
    "month": ("kuukausi", "månad", "month", "kk"),
    "date": ("vastausaika", "päivämäärä", "pvm", "aika", "datum", "date", "timestamp", "tidpunkt"),
    "respondent_id": ("vastaajan tunnus", "tunnus", "vastaaja", "respondent", "id"),
    "age_group": ("ikäryhmä", "ikä", "ålder", "age"),
    "sex": ("sukupuoli", "kön", "gender", "sex"),
    "language": ("kieli", "asiointikieli", "språk", "language"),
    "channel": ("kanava", "kanal", "channel"),
    "weight": ("paino", "painokerroin", "vikt", "weight"),
    "comment": ("mitä muuta", "kerro", "palaute", "kommentti", "avoin", "vapaa sana", "kommentar", "comment",
                "feedback"),
}
_NPS_WORDS = ("suosittel", "rekommend", "recommend")
_CSAT_WORDS = ("tyytyv", "nöjd", "satisf")
_CES_WORDS = ("vaiva", "helppo", "enkel", "easy", "effort")
_FCR_WORDS = ("ensimmäi", "första", "first contact", "hoidettua", "ratkes")


def _share_on(values: pd.Series, scale: Scale) -> float:
    present = values.dropna()
    return float(scale.is_known(present).mean()) if len(present) else 0.0


def _numbers(values: pd.Series) -> np.ndarray:
    text = values.dropna().astype(str).str.extract(r"^\s*(\d{1,2})(?:\D|$)")[0]
    return pd.to_numeric(text, errors="coerce").dropna().to_numpy()


def guess_columns(frame: pd.DataFrame) -> list[tuple[str, str, str, str]]:
    """What each column looks like: (kind, name, column, reason) with kind ``role``, ``metric`` or ``statement``.

    Parameters
    ----------
    frame : DataFrame
        A data file as read.

    Returns
    -------
    list of (kind, name, column, reason)

    Raises
    ------
    KeyError
        Never for a DataFrame.

    Notes
    -----
    Value sets decide first (a column of 0–10 answers whose header mentions recommending is NPS,
    agreement labels make a statement), header words second; the first column found for a role wins.
    """
    guesses, taken = [], set()
    statement = 0
    for column in frame.columns:
        values = frame[column]
        present = values.dropna()
        if present.empty:
            continue
        header = str(column).lower()
        numbers = _numbers(present)
        numeric_share = len(numbers) / len(present)
        text = present.astype(str)
        if numeric_share > 0.9 and numbers.max() <= 10 and numbers.max() >= 9 and len(np.unique(numbers)) >= 6 \
                and "nps" not in taken and (any(w in header for w in _NPS_WORDS) or numbers.min() == 0):
            guesses.append(("metric", "nps", column, "answers 0–10" + (" and the header mentions recommending"
                                                                       if any(w in header for w in _NPS_WORDS) else "")))
            taken.add("nps")
        elif _share_on(present, YES_NO_SCALE) > 0.95 and "fcr" not in taken and any(w in header for w in _FCR_WORDS):
            guesses.append(("metric", "fcr", column, "yes/no answers about resolving the matter at the first contact"))
            taken.add("fcr")
        elif _share_on(present, AGREEMENT_SCALE) > 0.95 and text.str.contains(r"[a-zåäö]", case=False).any() \
                and not any(w in header for w in _CSAT_WORDS):
            statement += 1
            guesses.append(("statement", f"s{statement}", column, "agreement labels (1–5 with don't know)"))
        elif _share_on(present, CSAT_SCALE) > 0.95 and "csat" not in taken and (
                any(w in header for w in _CSAT_WORDS) or text.str.contains(r"tyytyv|nöjd|satisf", case=False).any()):
            guesses.append(("metric", "csat", column, "satisfaction answers 1–5"))
            taken.add("csat")
        elif numeric_share > 0.9 and set(np.unique(numbers)) <= set(range(1, 8)) and numbers.max() == 7 \
                and "ces" not in taken:
            guesses.append(("metric", "ces", column, "answers 1–7" + (" about effort" if any(
                w in header for w in _CES_WORDS) else "")))
            taken.add("ces")
        elif numeric_share > 0.9 and set(np.unique(numbers)) <= set(range(1, 6)) and len(np.unique(numbers)) >= 4:
            statement += 1
            guesses.append(("statement", f"s{statement}", column, "answers 1–5 (a statement, or CSAT: check)"))
        else:
            role = next((r for r, words in _ROLE_WORDS.items() if r not in taken and any(
                re.search(rf"(^|\W){re.escape(w)}", header) for w in words)), None)
            if role:
                guesses.append(("role", role, column, f"the header names the {role.replace('_', ' ')}"))
                taken.add(role)
            elif values.dtype == object and text.str.len().mean() > 25 and present.nunique() > 0.5 * len(present) \
                    and "comment" not in taken:
                guesses.append(("role", "comment", column, "long, mostly unique texts (open answers)"))
                taken.add("comment")
    return guesses


def _toml(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def draft_study(data_path: str | os.PathLike) -> str:
    """A draft study file (TOML text) for a data file, every guess marked for the user to confirm.

    Parameters
    ----------
    data_path : str or PathLike
        A CSV, Excel or Parquet export.

    Returns
    -------
    str
        TOML that :func:`workbench.read_study` reads; ``[study] unconfirmed`` lists each guess.

    Raises
    ------
    DataError
        The file cannot be read.

    Notes
    -----
    The path is written relative to the folder the study is meant for (the data file's own folder).
    Columns that look like nothing known are listed in a comment, not mapped.
    """
    path = Path(data_path)
    read = read_table(path)
    for header_row in range(2, 6):  # a title row above the header leaves most columns unnamed
        if sum(str(c).startswith("Unnamed:") for c in read.frame.columns) <= len(read.frame.columns) / 2:
            break
        read = read_table(path, ReadOptions(header_row=header_row))
    guesses = guess_columns(read.frame)
    unconfirmed = [f"responses.{ {'role': 'columns', 'metric': 'metrics', 'statement': 'statements'}[k]}.{n}"
                   for k, n, _, _ in guesses]
    options = "".join(f"{key} = {_toml(v) if isinstance(v, str) else v}\n" for key, v in read.options.items()
                      if not (key == "header_row" and v == 1) and not (key == "encoding" and v == "utf-8-sig"))
    out = ["# Drafted by `workbench init`. Check every line marked GUESS, then remove its key from",
           "# [study] unconfirmed; `workbench check --study` refuses the study until the list is empty.",
           "[study]", f"name = {_toml(path.stem)}", 'language = "fi"', "min_n = 5",
           "unconfirmed = [" + ", ".join(_toml(u) for u in unconfirmed) + "]", "",
           "[responses]", f"path = {_toml(path.name)}", options.rstrip(), ""]
    for kind, table in (("role", "columns"), ("metric", "metrics"), ("statement", "statements")):
        out.append(f"[responses.{table}]")
        out += [f"{name} = {_toml(column)}  # GUESS: {reason}" for k, name, column, reason in guesses if k == kind]
        out.append("")
    unmapped = [c for c in read.frame.columns if c not in {g[2] for g in guesses}]
    if unmapped:
        out.append("# Columns not mapped (map them above if a report needs them):")
        out += [f"#   {c}" for c in unmapped]
        out.append("")
    out += ["# Optional inputs (no report ever substitutes sample files for them):",
            "# [volumes]", '# path = "volumes.csv"', '# columns = { unit = "...", customers_per_year = "..." }',
            "# [margins]", '# path = "population_margins.csv"  # variable, category, share', "# [framework]",
            '# path = "framework.toml"',
            "# [events]                            # contact events for the sending plan (report 07)",
            '# path = "contacts.parquet"', '# columns = { person_id = "...", timestamp = "...", unit = "...", '
            'touchpoint = "..." }', "# [rules]", '# path = "sending_rules.toml"', ""]
    return "\n".join(line for line in out if line is not None)
