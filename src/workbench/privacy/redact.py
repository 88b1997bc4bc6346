"""De-identification of free text: personal identity codes, e-mail addresses and phone numbers.

A leaf module (standard library only), so that every layer that shows text — readers' error
messages, text analytics, reports — can redact before anything leaves the process.
"""

from __future__ import annotations

import math
import re

from ..errors import ParameterError

__all__ = ["redact"]

# Finnish personal identity code: DDMMYY, century sign, 3-digit individual number, check character.
_HETU = re.compile(r"\b\d{6}[-+A-FU-Ya-fu-y]\d{3}[0-9A-Ya-y]\b")
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
# Phone numbers: +358 or a leading 0, then 6–12 digits with optional spaces or hyphens.
_PHONE = re.compile(r"(?<![\w+])(?:\+358|00358|0)[\s-]?\d{1,3}(?:[\s-]?\d){5,10}\b")


def redact(text: str | None) -> str | None:
    """Replace personal identity codes, e-mail addresses and phone numbers with placeholders.

    Parameters
    ----------
    text : str or None
        Free text; None and NaN pass through unchanged.

    Returns
    -------
    str or None
        The text with each identifier replaced by ``[id code]``, ``[email]`` or ``[phone]``.

    Raises
    ------
    ParameterError
        ``text`` is neither text nor missing.

    Notes
    -----
    Identity codes: DDMMYY, a century sign, three digits and a check character. Phone numbers:
    +358, 00358 or a leading 0 and 6–12 more digits. Checked on hand-written variants in
    ``tests/privacy/test_redact.py``.

    References
    ----------
    Population Information Act (661/2009) and DVV's description of the personal identity code.

    Examples
    --------
    >>> redact("Soita 040 123 4567 tai mail matti.m@example.fi, hetu 010190-123A.")
    'Soita [phone] tai mail [email], hetu [id code].'
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return text
    if not isinstance(text, str):
        raise ParameterError(f"`redact` takes text; got {type(text).__name__}.")
    text = _HETU.sub("[id code]", text)
    text = _EMAIL.sub("[email]", text)
    return _PHONE.sub("[phone]", text)
