"""Theme taxonomies: versioned TOML files that users own and edit without code.

The default (``taxonomy.toml`` beside this module) holds the twelve themes of customer feedback in
health and social services. A file has a ``[taxonomy]`` table (``name``, ``version``, optional
``gap`` and ``description``) and one ``[themes.<id>]`` table per theme:

- ``label`` - ``{ fi = ..., sv = ..., en = ... }``;
- ``terms`` - patterns that mark the theme wherever they occur (syntax: :mod:`~workbench.text.patterns`);
- ``exclude`` - patterns whose words never count for the theme ("odotustila" is a room, not a wait);
- ``[[themes.<id>.rules]]`` - ``terms`` that count only when the same sentence (``scope = "comment"``:
  the same comment) also ``requires`` one of some patterns and has none of ``unless``;
- ``[themes.<id>.subthemes.<sub>]`` - finer themes with the same keys, optionally only for some
  ``services``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import TaxonomyError
from .patterns import check_pattern

__all__ = ["Rule", "Theme", "Taxonomy", "load_taxonomy", "default_taxonomy", "THEME_LANGUAGES"]

THEME_LANGUAGES = ("fi", "sv", "en")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_THEME_KEYS = {"label", "description", "terms", "exclude", "rules", "subthemes"}
_SUBTHEME_KEYS = _THEME_KEYS - {"subthemes"} | {"services"}
_RULE_KEYS = {"terms", "requires", "unless", "scope"}
_HEADER_KEYS = {"name", "version", "gap", "description"}


@dataclass(frozen=True)
class Rule:
    """Patterns that mark a theme, optionally only in the company of others.

    Attributes
    ----------
    terms : tuple of str
        The patterns that mark the theme.
    requires : tuple of str
        At least one must occur in the same scope (empty: no condition).
    unless : tuple of str
        None may occur in the same scope.
    scope : str
        ``"sentence"`` or ``"comment"``.
    """

    terms: tuple[str, ...]
    requires: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    scope: str = "sentence"


@dataclass(frozen=True)
class Theme:
    """One theme (or sub-theme) of a taxonomy.

    Attributes
    ----------
    id : str
        Column name of the theme (``phone``; a sub-theme ``phone.callback``).
    labels : mapping
        The theme's name in Finnish, Swedish and English.
    description : str
        What the theme covers.
    rules : tuple of Rule
        ``terms`` of the file become a rule without conditions, followed by the file's ``rules``.
    exclude : tuple of str
        Patterns whose words never count for this theme.
    services : tuple of str
        Sub-themes only: the services where the sub-theme applies (empty: all).
    """

    id: str
    labels: Mapping[str, str]
    description: str
    rules: tuple[Rule, ...]
    exclude: tuple[str, ...] = ()
    services: tuple[str, ...] = ()


@dataclass(frozen=True)
class Taxonomy:
    """A validated theme taxonomy.

    Attributes
    ----------
    name, version : str
        From the ``[taxonomy]`` table; results name the version they were coded with.
    gap : int
        Words allowed between the words of a multi-word pattern.
    themes : tuple of Theme
        The themes in file order.
    subthemes : tuple of Theme
        All sub-themes (ids ``theme.sub``), in file order.
    source : str
        The file read, or ``"default"``.
    """

    name: str
    version: str
    gap: int
    themes: tuple[Theme, ...]
    subthemes: tuple[Theme, ...] = ()
    source: str = "default"

    @property
    def ids(self) -> list[str]:
        """Theme ids in order."""
        return [t.id for t in self.themes]

    def labels(self, language: str = "en", *, subthemes: bool = False) -> dict[str, str]:
        """Theme id -> label in ``language`` (``fi``, ``sv`` or ``en``)."""
        if language not in THEME_LANGUAGES:
            raise TaxonomyError(f"`language` must be one of {THEME_LANGUAGES}; got {language!r}.")
        themes = self.themes + (self.subthemes if subthemes else ())
        return {t.id: t.labels[language] for t in themes}


def _patterns(value: Any, where: str, key: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise TaxonomyError(f"{where}: key {key!r} must be a list of patterns; got {type(value).__name__}.")
    for i, pattern in enumerate(value, 1):
        problem = check_pattern(pattern)
        if problem:
            raise TaxonomyError(f"{where}: key {key!r}, item {i}: the pattern {problem}.")
    return tuple(p.casefold() for p in value)


def _rule(value: Any, where: str) -> Rule:
    if not isinstance(value, Mapping):
        raise TaxonomyError(f"{where}: each entry of 'rules' must be a table; got {type(value).__name__}.")
    unknown = sorted(set(value) - _RULE_KEYS)
    if unknown:
        raise TaxonomyError(f"{where}: unknown key {unknown[0]!r} in a rule (valid: {', '.join(sorted(_RULE_KEYS))}).")
    if "terms" not in value:
        raise TaxonomyError(f"{where}: a rule has no key 'terms'.")
    scope = value.get("scope", "sentence")
    if scope not in ("sentence", "comment"):
        raise TaxonomyError(f"{where}: key 'scope' must be 'sentence' or 'comment'; got {scope!r}.")
    terms = _patterns(value["terms"], where, "terms")
    if not terms:
        raise TaxonomyError(f"{where}: key 'terms' of a rule is empty.")
    return Rule(terms, _patterns(value.get("requires", []), where, "requires"),
                _patterns(value.get("unless", []), where, "unless"), scope)


def _theme(theme_id: str, value: Any, *, sub_of: str | None = None) -> tuple[Theme, list[Theme]]:
    full = f"{sub_of}.{theme_id}" if sub_of else theme_id
    where = f"Theme {full!r}"
    if not _ID.match(theme_id):
        raise TaxonomyError(f"{where}: the id must be lower case letters, digits and '_' and start with a letter.")
    if not isinstance(value, Mapping):
        raise TaxonomyError(f"{where}: must be a table; got {type(value).__name__}.")
    valid = _SUBTHEME_KEYS if sub_of else _THEME_KEYS
    unknown = sorted(set(value) - valid)
    if unknown:
        raise TaxonomyError(f"{where}: unknown key {unknown[0]!r} (valid: {', '.join(sorted(valid))}).")
    label = value.get("label")
    if not isinstance(label, Mapping) or any(not isinstance(label.get(k), str) or not label.get(k).strip()
                                             for k in THEME_LANGUAGES):
        raise TaxonomyError(f"{where}: key 'label' must give a non-empty text for each of fi, sv and en.")
    rules = []
    if "terms" in value:
        terms = _patterns(value["terms"], where, "terms")
        if terms:
            rules.append(Rule(terms))
    raw_rules = value.get("rules", [])
    if not isinstance(raw_rules, list):
        raise TaxonomyError(f"{where}: key 'rules' must be a list of tables ([[themes.{full}.rules]]).")
    rules += [_rule(r, where) for r in raw_rules]
    if not rules:
        raise TaxonomyError(f"{where}: has no patterns; give key 'terms' or 'rules'.")
    services = value.get("services", [])
    if not isinstance(services, list) or not all(isinstance(s, str) for s in services):
        raise TaxonomyError(f"{where}: key 'services' must be a list of service names.")
    description = value.get("description", "")
    if not isinstance(description, str):
        raise TaxonomyError(f"{where}: key 'description' must be text.")
    theme = Theme(full, dict(label), description, tuple(rules), _patterns(value.get("exclude", []), where, "exclude"),
                  tuple(services))
    subs = []
    raw_subs = value.get("subthemes", {})
    if not isinstance(raw_subs, Mapping):
        raise TaxonomyError(f"{where}: key 'subthemes' must be a table of sub-themes.")
    for sub_id, sub in raw_subs.items():
        subs.append(_theme(sub_id, sub, sub_of=full)[0])
    return theme, subs


def _parse(data: Mapping[str, Any], source: str) -> Taxonomy:
    unknown = sorted(set(data) - {"taxonomy", "themes"})
    if unknown:
        raise TaxonomyError(f"Taxonomy {source!r}: unknown top-level key {unknown[0]!r} (valid: taxonomy, themes).")
    header = data.get("taxonomy")
    if not isinstance(header, Mapping):
        raise TaxonomyError(f"Taxonomy {source!r}: missing table [taxonomy] with keys 'name' and 'version'.")
    bad = sorted(set(header) - _HEADER_KEYS)
    if bad:
        raise TaxonomyError(f"Taxonomy {source!r}: unknown key {bad[0]!r} in [taxonomy] "
                            f"(valid: {', '.join(sorted(_HEADER_KEYS))}).")
    for key in ("name", "version"):
        if not isinstance(header.get(key), str) or not header[key].strip():
            raise TaxonomyError(f"Taxonomy {source!r}: key {key!r} of [taxonomy] must be a non-empty text.")
    gap = header.get("gap", 2)
    if isinstance(gap, bool) or not isinstance(gap, int) or not 0 <= gap <= 5:
        raise TaxonomyError(f"Taxonomy {source!r}: key 'gap' of [taxonomy] must be a whole number 0-5; got {gap!r}.")
    themes = data.get("themes")
    if not isinstance(themes, Mapping) or not themes:
        raise TaxonomyError(f"Taxonomy {source!r}: no themes; add [themes.<id>] tables.")
    parsed, subs = [], []
    for theme_id, value in themes.items():
        theme, children = _theme(theme_id, value)
        parsed.append(theme)
        subs += children
    return Taxonomy(header["name"], header["version"], gap, tuple(parsed), tuple(subs), source)


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Read and validate a taxonomy file (None: the default taxonomy shipped with the package).

    Parameters
    ----------
    path : str or Path, optional
        A TOML file in the format of the module docstring.

    Returns
    -------
    Taxonomy
        Validated: every theme has labels in fi, sv and en and at least one valid pattern.

    Raises
    ------
    TaxonomyError
        A missing or unreadable file, invalid TOML, or an invalid theme; the message names the theme
        and the key (and the item number of a bad pattern).

    Notes
    -----
    Unknown keys are errors, not ignored, so that a misspelt ``exclude`` cannot silently stop
    excluding. Patterns are lower-cased and checked by :func:`~workbench.text.patterns.check_pattern`.

    References
    ----------
    TOML v1.0.0, https://toml.io/en/v1.0.0 (read with the standard library's ``tomllib``).

    Examples
    --------
    >>> tax = load_taxonomy()
    >>> tax.ids[:4]
    ['access', 'phone', 'respect', 'participation']
    """
    if path is None:
        text = resources.files(__package__).joinpath("taxonomy.toml").read_text(encoding="utf-8")
        source = "default"
    else:
        path = Path(path)
        if not path.is_file():
            raise TaxonomyError(f"Taxonomy file {str(path)!r} does not exist.")
        text = path.read_text(encoding="utf-8")
        source = str(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TaxonomyError(f"Taxonomy {source!r} is not valid TOML: {exc}.") from None
    return _parse(data, source)


def default_taxonomy() -> Taxonomy:
    """The taxonomy shipped with the package (``workbench/text/taxonomy.toml``).

    Parameters
    ----------
    None

    Returns
    -------
    Taxonomy
        The twelve default themes: access, phone, respect, participation, competence, information,
        digital, continuity, facilities, costs, safety, language.

    Raises
    ------
    TaxonomyError
        Only if the installed file was damaged.

    Notes
    -----
    Written from the labelling rules in ``tests/reference/text_eval/LABELLING_RULES.md`` and tuned
    on the development half of the evaluation set only; its accuracy on the held-out half is
    reported in ``tests/text/test_evaluation.py``.

    References
    ----------
    THL's harmonised customer-feedback themes (availability, respect, participation, safety,
    information, help); pxtextmining's NHS Friends and Family Test framework.
    """
    return load_taxonomy(None)
