"""A report page as notebooks write it: headings, sentences, tables and figures in the report's language.

A notebook makes one :class:`Page` and calls it for everything a reader sees, so that every word comes
from the catalogue (fi/sv/en), every number in a sentence is formatted for the language, every table
goes through :func:`~workbench.reports.tables.publish` and every figure carries its alternative text::

    page = wb.reports.Page("r01", language="fi", min_n=5)
    page.heading("results")
    page.say("results_intro", groups=len(results))
    shown = page.table(results, "estimates", metric="nps", keys=["area"])
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Mapping

import matplotlib.pyplot as plt

from ..errors import ParameterError
from .i18n import LANGUAGES, Catalogue, catalogue, date_text
from .io import save_results
from .tables import Published, publish

__all__ = ["Page"]


class Page:
    """The writer of one report page.

    Parameters
    ----------
    section : str
        The report's catalogue section, e.g. ``"r01"``.
    language : str
        ``fi``, ``sv`` or ``en``.
    min_n : int
        Publication threshold for tables about respondents.
    round_to : int, optional
        Round published counts to this multiple.

    Attributes
    ----------
    t : Catalogue
        The language's messages.
    language : str
    """

    def __init__(self, section: str, *, language: str, min_n: int, round_to: int | None = None):
        if language not in LANGUAGES:
            raise ParameterError(f"Unknown report language {language!r}; valid: {', '.join(LANGUAGES)}.")
        self.section = section
        self.language = language
        self.min_n = min_n
        self.round_to = round_to
        self.t: Catalogue = catalogue(language)

    def _key(self, key: str) -> str:
        return key if "." in key else f"{self.section}.{key}"

    def text(self, key: str, **values) -> str:
        """A message of this report (or a ``section.key`` of another section) as plain text."""
        return self.t(self._key(key), **values)

    def _show(self, markup: str) -> None:
        from IPython.display import HTML, display  # deferred: only notebooks display

        display(HTML(markup))

    def title(self) -> None:
        """The report's title and what it answers."""
        self._show(f"<h1>{html.escape(self.text('title'))}</h1><p class=\"lead\">{self.t.html(self._key('answers'))}</p>")

    def heading(self, key: str, level: int = 2) -> None:
        """A section heading, with an anchor the overview page links to."""
        anchor = re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")
        self._show(f'<h{level} id="{anchor}">{html.escape(self.text(key))}</h{level}>')

    def say(self, key: str, **values) -> None:
        """A paragraph: the message with its values formatted and escaped."""
        self._show(f"<p>{self.t.html(self._key(key), **values)}</p>")

    def bullets(self, keys: list[str], **values) -> None:
        """A list of messages (e.g. methods and references)."""
        items = "".join(f"<li>{self.t.html(self._key(k), **values)}</li>" for k in keys)
        self._show(f"<ul>{items}</ul>")

    def listing(self, texts: list[str]) -> None:
        """A list of sentences already in the page's language (e.g. one piece of advice per unit), escaped."""
        self._show("<ul>" + "".join(f"<li>{html.escape(text)}</li>" for text in texts) + "</ul>")

    def notice(self, key: str, **values) -> None:
        """A highlighted note: a section left out, and what would bring it back."""
        self._show(f'<div class="wb-notice" role="note">{self.t.html(self._key(key), **values)}</div>')

    def missing(self, name: str, what_key: str) -> None:
        """The notice for a section that needs an input the study does not name."""
        self._show(f'<div class="wb-notice" role="note">'
                   f'{self.t.html("page.missing_input", what=self.text(what_key), input=name)}</div>')

    def table(self, table, name: str, *, caption: str = "", show: bool = True, **options) -> Published:
        """Publish a table (see :func:`workbench.reports.tables.publish`) with this page's language and min_n.

        The caption is the message ``<name>_caption`` of this report when it exists.
        """
        if not caption and self.t.has(f"{self.section}.{name}_caption"):
            caption = self.text(f"{name}_caption")
        return publish(table, name, language=self.language, min_n=self.min_n, caption=caption, show=show,
                       round_to=self.round_to, **options)

    def show(self, published: Published, name: str, *, columns: list[str] | None = None, caption: str = "",
             **options) -> Published:
        """Show a table published earlier (e.g. with ``show=False``, so that a figure drawn from it can come
        first), optionally fewer of its columns; it is not suppressed or recorded again.

        The caption is the message ``<name>_caption`` of this report when none is given.
        """
        frame = published.frame
        if columns is not None:
            frame = frame[list(columns) + [c for c in ("suppressed", "suppression") if c in frame]]
        if not caption and self.t.has(f"{self.section}.{name}_caption"):
            caption = self.text(f"{name}_caption")
        # respondents=False: the rows are already suppressed and in the ledger; the markers come from `suppressed`.
        shown = publish(frame, name, language=self.language, min_n=self.min_n, caption=caption, respondents=False,
                        **options)
        return Published(name, shown.frame, published.respondents)

    def figure(self, fig, alt: str | None = None) -> None:
        """Show a matplotlib figure as a PNG with its alternative text (the finding it shows)."""
        from IPython.display import Image, display  # deferred: only notebooks display

        text = alt or getattr(fig, "workbench_alt", "") or self.text("page.figure_no_finding")
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
        plt.close(fig)
        display(Image(data=buffer.getvalue(), format="png", alt=text))

    def save(self, results_path: str, summary: str, **results) -> None:
        """Save the key results; tables must be published (a DataFrame is refused)."""
        save_results(results_path, summary, **results)

    def date(self, value) -> str:
        """A date in the page's language (CLDR medium format: 1 Jan 2025, 1.1.2025)."""
        return date_text(value, self.language)

    def metric_unit(self, metric: str) -> str:
        """The unit of a metric's results in the page's language (%, NPS points, scale points)."""
        return self.t.metric_unit(metric)

    def value(self, column: str, value) -> str:
        """A data value in the page's language (translated sample names)."""
        return self.t.value(column, value)

    def values(self, mapping: Mapping) -> dict:
        """Several values at once."""
        return {k: self.t.value(k, v) for k, v in mapping.items()}
