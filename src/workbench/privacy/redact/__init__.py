"""De-identification of Finnish and Swedish free text: find and replace personal identifiers.

Feedback about health and social services is special-category personal data, and reports
are published. Every free text that reaches an output (quotes, group keys, error messages)
passes through :func:`redact` first. The package finds six kinds of identifier:

========== ============== ================================================================== ===============
kind       placeholder    rule                                                               module
========== ============== ================================================================== ===============
id_code    ``[id code]``  Finnish personal identity code, check character verified           :mod:`.codes`
phone      ``[phone]``    ``phonenumbers`` (region FI, leniency VALID) on a normalised copy  :mod:`.phones`
email      ``[email]``    plain and obfuscated (at/(at)/[at]/ät/miukumauku, piste/dot, ＠)   :mod:`.emails`
address    ``[address]``  Finnish/Swedish street name + house number (+ postcode and town)   :mod:`.addresses`
name       ``[name]``     title + name, gazetteer first name/surname (inflected), initials   :mod:`.names`
record     ``[record]``   keyword + value (potilasnumero …), IBAN, or a bare 7+ digit run    :mod:`.records`
========== ============== ================================================================== ===============

:mod:`.engine` runs them and replaces what they find; :mod:`.common` holds the placeholders,
:class:`Identifier` and shared patterns; :mod:`.inflection`, :mod:`.gazetteer` and
:mod:`.titles` build the tables of inflected names, places, titles and street words at import
from the lists in ``names/`` (their source and licence: ``names/SOURCE.md``).

A leaf package: standard library, numpy, pandas and ``phonenumbers`` only, plus the
project's error classes.

Notes
-----
Recall matters more than precision here (a missed identifier is published, a redacted
word is only lost), but the hard negatives of customer feedback are numbers everywhere —
dates, clock times, euro amounts, postcodes, opening hours, doses — and redacting them
would destroy the comments, so every numeric rule carries explicit exclusions for them.
The measured figures per kind come from the hand-labelled corpus in
``tests/reference/redaction_corpus.jsonl`` (described next to it); each detector's docstring
says what its rule covers.
"""

from .common import PLACEHOLDERS, Identifier
from .engine import LABEL_KINDS, find_identifiers, redact, redact_label, redact_series

__all__ = ["Identifier", "find_identifiers", "redact", "redact_label", "redact_series", "PLACEHOLDERS", "LABEL_KINDS"]
