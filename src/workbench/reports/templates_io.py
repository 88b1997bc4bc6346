"""The page's own styles and script, shared by report pages (through the nbconvert template) and by
pages written directly (the overview)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["page_css", "page_js", "STATIC"]

STATIC = Path(__file__).parent / "templates" / "workbench" / "static"


def page_css() -> str:
    """The report pages' stylesheet as an inline ``<style>`` element.

    Returns
    -------
    str

    Raises
    ------
    OSError
        The packaged stylesheet is missing.

    Notes
    -----
    Inline, so that a page makes no request of its own.
    """
    return "<style>\n" + (STATIC / "style.css").read_text(encoding="utf-8") + "</style>"


def page_js() -> str:
    """The sortable-tables script as an inline ``<script>`` element.

    Returns
    -------
    str

    Raises
    ------
    OSError
        The packaged script is missing.

    Notes
    -----
    A few lines of plain JavaScript; no library.
    """
    return "<script>\n" + (STATIC / "tables.js").read_text(encoding="utf-8") + "</script>"
