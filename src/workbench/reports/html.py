"""HTML pages: a notebook exported without code, with its provenance; the index of a build."""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from traitlets.config import Config

from .parameters import ReportSpec
from .i18n import catalogue
from .provenance import provenance_markdown

__all__ = ["export_html", "index_html", "TEMPLATES"]


TEMPLATES = Path(__file__).parent / "templates"


def export_html(notebook_path: Path, prov: Mapping[str, Any], *, language: str = "en", title: str = "",
                sample: bool = False) -> str:
    """The executed notebook as an accessible HTML page without code, provenance collapsed at the end.

    Parameters
    ----------
    notebook_path : Path
        The executed notebook.
    prov : mapping
        The provenance (see :func:`workbench.reports.provenance.provenance`).
    language : str
        The page's language (``lang`` attribute and the texts added here).
    title : str
        The page's ``<title>``.
    sample : bool
        Put the synthetic-sample banner at the top.

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
    The workbench's own nbconvert template (``reports/templates/workbench``): no code, no prompts,
    no external scripts or styles, figures with the alternative text the notebook gave them, cells
    tagged ``remove`` left out.
    """
    import nbformat  # deferred with nbconvert: heavy imports that only report runs need
    from nbconvert import HTMLExporter

    t = catalogue(language)
    nb = nbformat.read(notebook_path, as_version=4)
    nb.metadata["title"] = title or notebook_path.stem
    nb.metadata["skip_link"] = t("page.skip_link")
    nb.cells.append(nbformat.v4.new_markdown_cell(provenance_markdown(prov, language)))
    if sample:
        nb.cells.insert(0, nbformat.v4.new_markdown_cell(f'<div class="sample-banner" role="note">'
                                                         f'{t.html("page.sample_banner")}</div>'))
    config = Config()
    config.TagRemovePreprocessor.remove_cell_tags = ("remove", "parameters", "injected-parameters")
    config.TagRemovePreprocessor.enabled = True
    exporter = HTMLExporter(config=config, template_name="workbench", extra_template_basedirs=[str(TEMPLATES)])
    exporter.register_preprocessor("nbconvert.preprocessors.TagRemovePreprocessor", enabled=True)
    exporter.language_code = language
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(nb)
    return body


def index_html(entries: list[tuple[ReportSpec, Path, Path]], skipped: list[tuple[ReportSpec, str]] = ()) -> str:
    """The index page of a build: a link to each report with its one-line summary.

    Parameters
    ----------
    entries : list of (ReportSpec, html path, json path)
    skipped : list of (ReportSpec, reason)
        Reports the study could not support, listed with what to add.

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
        f"<ul>{''.join(items)}</ul>"
        + ("<h2>Not built</h2><ul>" + "".join(f"<li>{html.escape(spec.name)}: {html.escape(reason)}</li>"
                                               for spec, reason in skipped) + "</ul>" if skipped else "")
        + "</body></html>"
    )
