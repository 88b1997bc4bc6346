"""Tokenisation: words with their sentence, clause and sentence-final punctuation.

Punctuation is not kept as tokens; it is kept as structure. Every word token carries the number of
its sentence and clause (a comma, semicolon, colon or dash starts a new clause) and how its
sentence ends (``?`` marks questions, ``!`` exclamations). Redaction placeholders such as
``[phone]`` are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Tokens", "tokenise", "QUESTION", "EXCLAMATION"]

QUESTION, EXCLAMATION = 1, 2

_TOKEN = re.compile(
    r"\[[^\[\]\s]{1,20}(?: [^\[\]\s]{1,20})?\]"      # a placeholder left by redaction or normalisation
    r"|[^\W\d_]+(?:[-'’][^\W\d_]+)*(?:-[^\W\d_]*)?"    # a word, with inner hyphens (e-lasku, takaisinsoitto-)
    r"|\d+(?:[.,:]\d+)*"                               # a number (7.00, 2,5)
    r"|€|%"
    r"|[.!?…]+|[,;:–—]|(?<!\w)-(?!\w)"                 # sentence and clause punctuation
)
_SENTENCE_END = set(".!?…")
_CLAUSE = {",", ";", ":", "–", "—", "-"}
_STRUCTURE = _SENTENCE_END | set(",;:–—-[")  # first characters of tokens that are not words


@dataclass(frozen=True)
class Tokens:
    """The word tokens of one text with their structure.

    Attributes
    ----------
    words : list of str
        Word and number tokens in order (placeholders and punctuation removed).
    sentence : list of int
        Sentence number of each token, from 0.
    clause : list of int
        Clause number of each token, from 0, counted over the whole text.
    mark : list of int
        How each token's sentence ends: 0 (full stop or nothing), ``QUESTION`` or ``EXCLAMATION``.
    """

    words: list[str]
    sentence: list[int]
    clause: list[int]
    mark: list[int]


def tokenise(text: str) -> Tokens:
    """Split one normalised text into word tokens with sentence and clause numbers.

    Parameters
    ----------
    text : str
        Output of :func:`workbench.text.normalise.normalise`.

    Returns
    -------
    Tokens
        Words in order, each with its sentence number, clause number and sentence-final mark.

    Raises
    ------
    TypeError
        ``text`` is not a string.

    Notes
    -----
    A regular expression in the spirit of simplemma's ``RegexTokenizer``, kept here because the
    analysis also needs the sentence and clause structure that word lists drop. A full stop inside
    a number (``7.00``) does not end a sentence.

    References
    ----------
    Jurafsky, D. & Martin, J. H. Speech and Language Processing, ch. 2 (tokenisation).

    Examples
    --------
    >>> t = tokenise("jono oli pitkä, mutta hoitaja ihana! voisiko [phone] soittaa?")
    >>> t.words, t.sentence, t.clause, t.mark
    (['jono', 'oli', 'pitkä', 'mutta', 'hoitaja', 'ihana', 'voisiko', 'soittaa'], [0, 0, 0, 0, 0, 0, 1, 1], [0, 0, 0, 1, 1, 1, 2, 2], [2, 2, 2, 2, 2, 2, 1, 1])
    """
    if not isinstance(text, str):
        raise TypeError(f"`tokenise` takes text; got {type(text).__name__}.")
    words: list[str] = []
    sentence: list[int] = []
    clause: list[int] = []
    ends: list[int] = []
    add_word, add_sentence, add_clause = words.append, sentence.append, clause.append
    s = c = 0
    started = 0  # index of the first token of the current sentence
    for tok in _TOKEN.findall(text):
        if tok[0] not in _STRUCTURE:  # the common case: a word or a number
            add_word(tok)
            add_sentence(s)
            add_clause(c)
        elif tok[0] in _SENTENCE_END:
            if len(words) > started:
                mark = QUESTION if "?" in tok else EXCLAMATION if "!" in tok else 0
                ends.extend([mark] * (len(words) - started))
                started = len(words)
                s += 1
                c += 1
        elif tok in _CLAUSE:
            if clause and clause[-1] == c:
                c += 1
    ends.extend([0] * (len(words) - started))
    return Tokens(words, sentence, clause, ends)
