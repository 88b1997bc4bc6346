"""HTML pages: a notebook exported without code, with its provenance; the index of a build."""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .parameters import ReportSpec
from .provenance import provenance_markdown

__all__ = ["export_html", "index_html"]


def export_html(notebook_path: Path, prov: Mapping[str, Any]) -> str:
    """The executed notebook as an HTML page without code, with the provenance block after the title.

    Parameters
    ----------
    notebook_path : Path
        The executed notebook.
    prov : mapping
        The provenance (see :func:`workbench.reports.provenance.provenance`).

    Returns
    -------
    str
        The HTML page.

    Raises
    ------
    OSError
        The notebook cannot be read.

    Notes
    -----
    nbconvert's ``lab`` template with inputs and prompts excluded, so readers see narrative, tables
    and figures only.
    """
    import nbformat  # deferred with nbconvert: heavy imports that only report runs need
    from nbconvert import HTMLExporter

    nb = nbformat.read(notebook_path, as_version=4)
    nb.cells.insert(1 if nb.cells and nb.cells[0].cell_type == "markdown" else 0,
                    nbformat.v4.new_markdown_cell(provenance_markdown(prov)))
    exporter = HTMLExporter(template_name="lab")
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(nb)
    return body


def index_html(entries: list[tuple[ReportSpec, Path, Path]]) -> str:
    """The index page of a build: a link to each report with its one-line summary.

    Parameters
    ----------
    entries : list of (ReportSpec, html path, json path)

    Returns
    -------
    str
        The HTML page.

    Raises
    ------
    OSError, ValueError
        A results file cannot be read or is not JSON.

    Notes
    -----
    Every text taken from a results file is HTML-escaped.
    """
    items = []
    for spec, html_path, json_path in entries:
        summary = json.loads(json_path.read_text(encoding="utf-8")).get("summary", "")
        title = spec.name.split("_", 1)[1].replace("_", " ").capitalize()
        items.append(
            f"<li><a href='{html.escape(html_path.name)}'>{html.escape(title)}</a>"
            f" — {html.escape(summary)} <small>(<a href='{html.escape(json_path.name)}'>results</a>)</small></li>"
        )
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Workbench reports</title>"
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.5}</style></head><body>"
        "<h1>Workbench methodology reports</h1>"
        "<p>Customer-experience measurement methodology, computed from the data named in each report's "
        "provenance block. The bundled sample data is synthetic.</p>"
        f"<ul>{''.join(items)}</ul></body></html>"
    )
