"""Reports in Finnish, Swedish and English: a message catalogue and locale-aware number formats.

Every word a reader sees comes from ``reports/catalogue/{en,fi,sv}.toml`` (a test checks that every
key exists in every language, with the same placeholders). Numbers follow the locale through Babel:
decimal comma and a (narrow no-break) space between thousands in Finnish and Swedish, "12,3 %".

A message is formatted with ``str.format`` fields whose format specs are read as number formats:
``{n:,}`` a count, ``{moe:.1f}`` one decimal, ``{share:.1%}`` a percentage. Values that are not
numbers are escaped for HTML, so a unit named ``<img onerror=…>`` stays text. Messages may use
``**bold**``, ``*italics*`` and ```code``` in :meth:`Catalogue.html`.
"""

from __future__ import annotations

import datetime
import html
import re
import string
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent, format_scientific

from ..errors import ParameterError
from ..stats.scales import get_metric

__all__ = ["LANGUAGES", "Catalogue", "catalogue", "d3_locale", "number", "percent", "date_text", "flat_keys"]

LANGUAGES = ("fi", "sv", "en")
_FOLDER = Path(__file__).parent / "catalogue"
_SPEC = re.compile(r"^(?P<comma>,)?(?:\.(?P<digits>\d+))?(?P<kind>[fde%])?$")
_LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}
_MINUS = {code: Locale.parse(locale).number_symbols["latn"]["minusSign"] for code, locale in _LOCALES.items()}


def number(value: float, language: str, digits: int = 1) -> str:
    """A number in the language's format with ``digits`` decimals (thousands grouped).

    Parameters
    ----------
    value : float
    language : str
        ``fi``, ``sv`` or ``en``.
    digits : int

    Returns
    -------
    str

    Raises
    ------
    KeyError
        An unknown language.

    Notes
    -----
    Babel's CLDR patterns: fi_FI and sv_FI write 1 234,5 (narrow no-break space), en_GB 1,234.5. A
    minus sign is the CLDR one (U+2212 in Finnish and Swedish); a value that rounds to zero has none.

    References
    ----------
    Unicode CLDR number formatting; Babel ``format_decimal``.
    """
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    if round(float(value), digits) == 0:
        value = 0.0  # -0.0004 at three decimals is 0.000: a sign on zero reads as a finding
    return _cldr_minus(format_decimal(value, format=pattern, locale=_LOCALES[language]), language)


def _cldr_minus(text: str, language: str) -> str:
    """Babel writes custom patterns with a hyphen-minus; CLDR's minus for Finnish and Swedish is U+2212."""
    return _MINUS[language] + text[1:] if text.startswith("-") else text


def d3_locale(language: str) -> dict:
    """The language's number symbols as a d3-format locale (for Vega charts: vega-embed ``formatLocale``).

    Parameters
    ----------
    language : str
        ``fi``, ``sv`` or ``en``.

    Returns
    -------
    dict
        ``decimal``, ``thousands``, ``grouping``, ``currency`` and ``minus`` as d3-format reads them.

    Raises
    ------
    KeyError
        A language outside :data:`LANGUAGES`.

    Notes
    -----
    The symbols come from CLDR through Babel, as for :func:`number`, so a chart's tooltips and axes
    write numbers as the page's tables do (decimal comma and U+2212 minus in Finnish and Swedish).
    """
    symbols = Locale.parse(_LOCALES[language]).number_symbols["latn"]
    return {"decimal": symbols["decimal"], "thousands": symbols["group"], "grouping": [3],
            "currency": ["", "\u00a0€"] if language != "en" else ["€", ""], "minus": _MINUS[language]}


def percent(share: float, language: str, digits: int = 1) -> str:
    """A share (0–1) as a percentage in the language's format: "12,3 %" in Finnish and Swedish.

    Parameters
    ----------
    share : float
    language : str
    digits : int

    Returns
    -------
    str

    Raises
    ------
    KeyError
        An unknown language.

    Notes
    -----
    Finnish and Swedish put a no-break space before the percent sign (CLDR).

    References
    ----------
    Unicode CLDR; Babel ``format_percent``.
    """
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "") + "\u00a0%"
    if language == "en":
        pattern = pattern.replace("\u00a0%", "%")
    if round(float(share) * 100, digits) == 0:
        share = 0.0  # no "-0.0%"
    return _cldr_minus(format_percent(share, format=pattern, locale=_LOCALES[language]), language)


def date_text(value, language: str) -> str:
    """A date in the language's medium format: "1 Jan 2025" (en), "1.1.2025" (fi), "1 jan. 2025" (sv).

    Parameters
    ----------
    value : date, datetime, Timestamp or ISO text
    language : str
        ``fi``, ``sv`` or ``en``.

    Returns
    -------
    str

    Raises
    ------
    KeyError
        An unknown language.
    ValueError
        Text that is not a date.

    Notes
    -----
    Babel's CLDR date patterns, so that no report writes dates in one language's order.

    References
    ----------
    Unicode CLDR date formats; Babel ``format_date``.
    """
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value[:10])
    elif isinstance(value, datetime.datetime):
        value = value.date()
    return format_date(value, format="medium", locale=_LOCALES[language])


class _Formatter(string.Formatter):
    def __init__(self, language: str, escape: bool):
        super().__init__()
        self.language = language
        self.escape = escape

    def format_field(self, value: Any, spec: str) -> str:
        match = _SPEC.match(spec)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and match and spec:
            digits = int(match["digits"]) if match["digits"] is not None else 0
            if match["kind"] == "%":
                return percent(value, self.language, digits)
            if match["kind"] == "e":
                pattern = "0." + "0" * digits + "E0" if digits else "0E0"
                return format_scientific(value, format=pattern, locale=_LOCALES[self.language])
            return number(value, self.language, digits)
        text = super().format_field(value, spec)
        return html.escape(text) if self.escape else text


def flat_keys(tree: dict, prefix: str = "") -> dict:
    """A nested catalogue as ``{"section.key": message}``.

    Parameters
    ----------
    tree : dict
    prefix : str

    Returns
    -------
    dict

    Raises
    ------
    AttributeError
        Never for a parsed TOML document.

    Notes
    -----
    Used by the completeness test and by :class:`Catalogue`.
    """
    out = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flat_keys(value, name + "."))
        else:
            out[name] = value
    return out


@lru_cache(maxsize=None)
def _load(language: str) -> dict:
    return flat_keys(tomllib.loads((_FOLDER / f"{language}.toml").read_text(encoding="utf-8")))


def _count(values: dict) -> int | None:
    """The first whole number among a message's values: it picks the plural form."""
    return next((v for v in values.values() if isinstance(v, (int, np.integer)) and not isinstance(v, bool)), None)


class Catalogue:
    """The messages of one language.

    Parameters
    ----------
    language : str
        ``fi``, ``sv`` or ``en``.

    Attributes
    ----------
    language : str
    """

    def __init__(self, language: str):
        if language not in LANGUAGES:
            raise ParameterError(f"Unknown report language {language!r}; valid: {', '.join(LANGUAGES)}.")
        self.language = language
        self._messages = _load(language)

    def has(self, key: str) -> bool:
        """Whether the catalogue has this key."""
        return key in self._messages

    def raw(self, key: str, count: float | None = None) -> str:
        """The message as written in the catalogue.

        A message written as a table of plural forms (``{one = "…", other = "…"}``) is chosen by
        ``count`` with the language's CLDR plural rule (Babel).
        """
        if key not in self._messages and f"{key}.other" in self._messages:
            form = "other" if count is None else Locale.parse(self.language).plural_form(abs(count))
            return self._messages.get(f"{key}.{form}", self._messages[f"{key}.other"])
        try:
            return self._messages[key]
        except KeyError:
            raise ParameterError(f"The {self.language} catalogue has no message {key!r}.") from None

    def __call__(self, key: str, **values) -> str:
        """The message as plain text, numbers formatted for the language (plural form by the first whole number)."""
        return _Formatter(self.language, escape=False).format(self.raw(key, _count(values)), **values)

    def html(self, key: str, **values) -> str:
        """The message as HTML: values escaped, ``**bold**``, ``*italics*`` (titles of works) and ```code``` marked up."""
        text = _Formatter(self.language, escape=True).format(html.escape(self.raw(key, _count(values)), quote=False),
                                                             **values)
        text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
        text = re.sub(r"(?<![*\w])\*(?![\s*])(.+?)(?<![\s*])\*(?![*\w])", r"<em>\1</em>", text)  # *Journal title*
        return re.sub(r"`(.+?)`", r"<code>\1</code>", text)

    def metric_unit(self, metric: str) -> str:
        """The unit a metric's results are in: "%" for shares, NPS points, or scale points."""
        info = get_metric(metric)
        return self(f"units.{'percent' if info.is_binary else 'nps' if info.is_trinomial else 'scale'}")

    def value(self, column: str, value: Any) -> str:
        """A data value shown in the language: the catalogue's translation when it has one (sample names).

        A unit named "area / service" (the sample's) gets its service part translated.
        """
        key = f"values.{column}.{value}"
        if key in self._messages:
            return self._messages[key]
        if column == "unit" and isinstance(value, str) and " / " in value:
            head, _, service = value.rpartition(" / ")
            return f"{head} / {self._messages.get(f'values.service.{service}', service)}"
        return str(value)


def catalogue(language: str) -> Catalogue:
    """The catalogue of a language (``fi``, ``sv`` or ``en``).

    Parameters
    ----------
    language : str

    Returns
    -------
    Catalogue

    Raises
    ------
    ParameterError
        An unknown language.

    Notes
    -----
    Catalogues are read once per process.

    References
    ----------
    Act on the Provision of Digital Services (306/2019): public content in Finnish and Swedish.
    """
    return Catalogue(language)
