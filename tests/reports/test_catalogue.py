"""The message catalogues: every language has en's keys, placeholders and plural forms, and every message formats.

The catalogue files are read directly with ``tomllib`` and flattened with
:func:`workbench.reports.i18n.flat_keys`, so the test checks the files as written, not what
:class:`~workbench.reports.i18n.Catalogue` happens to fall back to.
"""

from __future__ import annotations

import string
import tomllib

import pytest

from workbench.reports import i18n
from workbench.reports.i18n import LANGUAGES, flat_keys

FOLDER = i18n._FOLDER
TRANSLATED = [language for language in LANGUAGES if language != "en"]

# Keys whose Finnish and Swedish text is legitimately the same as the English one. Keep it short.
SAME_AS_ENGLISH = {
    # Symbols and bare placeholders: nothing to translate.
    "units.percent",  # "%"
    "table.fewer_than",  # "< {min_n}": the suppression marker stays as is
    "plots.margin_axis",  # "± {axis}"
    "plots.group_base",  # "{group} (n = {n:,})": a name and a count
    "r02.target_value",  # "{target:.2f}": a bare number
    "r01.coverage_other",  # "{method} {low_min:.1%}": a method name and a number
    "plots.alt_burden_part",  # "{scenario} {share}": a translated name and a number
    "r06.language_count",  # "{language} {n:,}": a language's name and a count
    "columns.phi",  # Greek letters of the overdispersion model
    "columns.tau2",
    "columns.sigma2",
    # Proper names of interval methods (authors, or the terms used as names in Finnish and Swedish
    # statistics too); the descriptive ones (adjusted Wald, normal) are translated.
    "values.method.score",
    "values.method.midp",
    "values.method.logit",
    "values.method.wald",
    "values.method.wilson",
    "values.method.beta",
    "values.method.jeffreys",
    "values.method.agresti_coull",
    "values.method.bootstrap",
    "values.method.bayes",
    "values.method.t",
}
# Words that happen to be spelt the same in one language: Swedish "signal" is the SPC term, "per" is Swedish too,
# and "neutral" a tone.
SAME_IN = {"sv": {"columns.signal", "plots.signal", "r02.shortfall_item", "values.tone.neutral"}}

# A few format specs that are numbers but not count/decimal/percent (Python's own formatting).
DUMMY_FLOAT = 0.123456


def _load(language: str) -> dict[str, str]:
    return flat_keys(tomllib.loads((FOLDER / f"{language}.toml").read_text(encoding="utf-8")))


def _fields(message: str) -> set[tuple[str, str, str | None]]:
    """(name, format spec, conversion) of every placeholder of a message."""
    return {(name, spec or "", conversion) for _, name, spec, conversion in string.Formatter().parse(message)
            if name is not None}


def _dummies(message: str) -> dict:
    """A value for every placeholder: a number where the spec formats a number, else a string."""
    values = {}
    for name, spec, _ in _fields(message):
        if not spec:
            values[name] = f"<{name}>"
        elif spec.endswith("%") or "." in spec or spec[-1] in "eEfFgG":
            values[name] = DUMMY_FLOAT
        else:
            values[name] = 1234
    return values


ENGLISH = _load("en")


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_parses_with_messages_as_strings(language):
    messages = _load(language)
    for key, message in messages.items():
        assert isinstance(message, str), f"{language}: {key} is not a string ({type(message).__name__})"
        assert message.strip(), f"{language}: {key} is empty"


@pytest.mark.parametrize("language", TRANSLATED)
def test_same_keys_as_english(language):
    keys = set(_load(language))
    missing = sorted(set(ENGLISH) - keys)
    extra = sorted(keys - set(ENGLISH))
    assert not missing, f"{language}: keys missing (in en): {missing}"
    assert not extra, f"{language}: keys not in en: {extra}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_same_section_order_as_english(language):
    def sections(keys):
        return list(dict.fromkeys(k.rsplit(".", 1)[0] for k in keys))
    assert sections(_load(language)) == sections(ENGLISH), f"{language}: sections are not in en's order"


@pytest.mark.parametrize("language", TRANSLATED)
def test_same_placeholders_and_specs_as_english(language):
    messages = _load(language)
    for key, english in ENGLISH.items():
        if key not in messages:
            continue  # reported by test_same_keys_as_english
        want, got = _fields(english), _fields(messages[key])
        assert got == want, (f"{language}: {key} placeholders differ from en: "
                             f"missing {sorted(want - got)}, extra {sorted(got - want)}")


@pytest.mark.parametrize("language", TRANSLATED)
def test_plural_tables_keep_both_forms(language):
    messages = _load(language)
    # a plural table has a "one" form; a data value that happens to be "other" (values.language.other) is not one
    plurals = {key.rsplit(".", 1)[0] for key in ENGLISH if key.endswith(".one")}
    assert plurals, "en has no plural table: the test would check nothing"
    for base in plurals:
        for form in ("one", "other"):
            assert f"{base}.{form}" in messages, f"{language}: {base} has no '{form}' form"


@pytest.mark.parametrize("language", TRANSLATED)
def test_translated_unless_allowed(language):
    messages = _load(language)
    allowed = SAME_AS_ENGLISH | SAME_IN.get(language, set())
    same = sorted(key for key, english in ENGLISH.items() if messages.get(key) == english and key not in allowed)
    assert not same, f"{language}: identical to the English text (translate, or justify in the allow-list): {same}"
    stale = sorted(key for key in allowed if key in ENGLISH and messages.get(key) != ENGLISH[key])
    assert not stale, f"{language}: allow-listed but no longer identical to en (remove from the list): {stale}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_markup_kept(language):
    messages = _load(language)
    for key, english in ENGLISH.items():
        if key not in messages:
            continue
        for mark in ("**", "`"):
            assert (english.count(mark) > 0) == (messages[key].count(mark) > 0), \
                f"{language}: {key} {'drops' if english.count(mark) else 'adds'} {mark!r} markup"
            assert messages[key].count(mark) % 2 == 0, f"{language}: {key} has an unpaired {mark!r}"
        codes = set(part for i, part in enumerate(english.split("`")) if i % 2)
        got = set(part for i, part in enumerate(messages[key].split("`")) if i % 2)
        assert codes == got, f"{language}: {key} changes what is inside backticks: {sorted(codes ^ got)}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_formats(language):
    messages = _load(language)
    catalogue = i18n.Catalogue(language)
    plain = i18n._Formatter(language, escape=False)
    for key, message in messages.items():
        values = _dummies(message)
        try:
            text = plain.format(message, **values)
        except (ValueError, KeyError, IndexError, TypeError) as error:
            pytest.fail(f"{language}: {key} does not format: {error!r}")
        assert text.strip(), f"{language}: {key} formats to nothing"
    # Through the public API as the reports call it, with the plural form chosen by the count.
    for key, message in messages.items():
        base, form = key.rsplit(".", 1)
        values = _dummies(message)
        if form in ("one", "other"):
            count = 1 if form == "one" else 7
            values = {name: (count if isinstance(v, int) else v) for name, v in values.items()}
            key = base
        try:
            catalogue(key, **values)
            catalogue.html(key, **values)
        except Exception as error:  # noqa: BLE001 - the message names the key
            pytest.fail(f"{language}: {key} fails in Catalogue: {error!r}")


@pytest.mark.parametrize("language", TRANSLATED)
def test_plural_forms_chosen_by_count(language):
    catalogue = i18n.Catalogue(language)
    messages = _load(language)
    for key in ENGLISH:
        if not key.endswith(".one"):
            continue
        base = key.rsplit(".", 1)[0]
        # Every placeholder gets a value (a plural message may have several); every whole number is the count.
        values = _dummies(messages[key])
        one = {name: (1 if isinstance(v, int) else v) for name, v in values.items()}
        seven = {name: (7 if isinstance(v, int) else v) for name, v in values.items()}
        assert catalogue(base, **one) != catalogue(base, **seven).replace("7", "1"), \
            f"{language}: {base} uses the same form for 1 and 7"


@pytest.mark.parametrize(("language", "expected"), [("fi", "\u22123,5"), ("sv", "\u22123,5"), ("en", "-3.5")])
def test_negative_numbers_take_the_languages_minus_sign(language, expected):
    # CLDR's minus for fi and sv is U+2212; Babel writes a custom pattern with a hyphen-minus
    assert i18n.number(-3.5, language, 1) == expected
    assert i18n.number(3.5, language, 1) == expected.lstrip("-\u2212")
    assert i18n.percent(-0.035, language, 1).startswith(expected[0])  # shares too ("−3,5 %")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_negative_value_that_rounds_to_zero_has_no_sign(language):
    # a partial R-indicator of -0.0004 was shown as "-0.000"
    assert i18n.number(-0.0004, language, 3) == i18n.number(0.0, language, 3)
    assert i18n.number(-0.4, language, 0) == "0"
    assert i18n.percent(-0.00001, language, 1) == i18n.percent(0.0, language, 1)
    assert i18n.number(-0.0006, language, 3).lstrip("-\u2212") != i18n.number(-0.0006, language, 3)


def test_scientific_spec_is_formatted_in_the_language():
    assert i18n._Formatter("fi", escape=False).format("{x:.1e}", x=0.000123) == "1,2E\u22124"
    assert i18n._Formatter("en", escape=False).format("{x:.1e}", x=0.000123) == "1.2E-4"


def test_a_sample_units_service_part_is_translated_and_other_values_pass_through():
    finnish = i18n.Catalogue("fi")
    assert finnish.value("unit", "Kainuu / phone service") == "Kainuu / puhelinpalvelu"
    assert finnish.value("unit", "Kainuu / my own clinic") == "Kainuu / my own clinic"
    assert finnish.value("area", "Kainuu") == "Kainuu"
