"""The overview page (``index.html``): what a manager opens first.

Headline figures with their intervals and n, the units the funnels flag, planning shortfalls, the
weighting recommendation and the top themes of the open answers — each linking to the section that
explains it — then every report with its one-line summary, the reports the data could not support,
and an interactive per-unit explorer (Altair/Vega-Lite, inlined: no server, no CDN). Each report
contributes its items through the ``overview`` list it saves with its results.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from .i18n import catalogue, d3_locale
from .parameters import ReportSpec
from .templates_io import page_css, page_js

__all__ = ["write_overview", "explorer_html", "KINDS"]

KINDS = ("headline", "flag", "shortfall", "advice", "theme")


def explorer_html(records: list[dict], *, language: str) -> str:
    """An interactive chart of unit results, filtered by area, service and period (Vega-Lite, inlined).

    Parameters
    ----------
    records : list of dict
        Published unit results: ``area``, ``service``, ``unit``, ``period``, ``n``, ``estimate``,
        ``ci_low``, ``ci_high`` (hidden cells are left out).
    language : str

    Returns
    -------
    str
        An HTML fragment with the chart and its inlined libraries (about 0.9 MB).

    Raises
    ------
    ValueError
        Records without the columns.

    Notes
    -----
    Rendered as SVG, so that tests can count what is shown; tooltips give n and the interval.
    """
    import altair as alt  # deferred: Altair and its inlined Vega bundle are needed only for the overview

    t = catalogue(language)
    frame = pd.DataFrame(records).rename(columns={"quarter": "period"})
    if "suppressed" in frame:
        frame = frame[~frame["suppressed"].astype(bool)]
    frame = frame[frame["estimate"].notna()]
    if frame.empty:
        return ""
    for column in ("service", "unit"):  # the reader's language, in the chart and in the filters alike
        if column in frame:
            frame[column] = frame[column].map(lambda value, column=column: t.value(column, value))

    def dropdown(column: str):
        options = sorted(frame[column].astype(str).unique())
        return alt.param(name=f"choose_{column}", value=options[-1] if column == "period" else None,
                         bind=alt.binding_select(options=[None, *options],
                                                 labels=[t("overview.all"), *options],
                                                 name=t(f"overview.filter_{column}") + " "))

    params = {column: dropdown(column) for column in ("area", "service", "period") if column in frame}
    test = " && ".join(f"(choose_{c} === null || datum.{c} === choose_{c})" for c in params)
    base = alt.Chart(frame).transform_filter(test).encode(
        # one sort for both layers (sort="-x" would sort the rules by ci_low and the points by estimate,
        # and Vega warns of the conflicting domains in the console)
        y=alt.Y("unit:N", sort=alt.EncodingSortField("estimate", op="mean", order="descending"),
                title=t("overview.unit"), axis=alt.Axis(labelLimit=260)),
        tooltip=[alt.Tooltip("unit:N", title=t("overview.unit")), alt.Tooltip("n:Q", title=t("columns.n")),
                 alt.Tooltip("estimate:Q", title=t("columns.estimate"), format=".1f"),
                 alt.Tooltip("ci_low:Q", title=t("columns.ci_low"), format=".1f"),
                 alt.Tooltip("ci_high:Q", title=t("columns.ci_high"), format=".1f")])
    rules = base.mark_rule(color="#6b9ac4").encode(x=alt.X("ci_low:Q", title=t("overview.estimate_axis")), x2="ci_high:Q")
    points = base.mark_point(filled=True, color="#0072B2", size=45).encode(x=alt.X("estimate:Q", title=t("overview.estimate_axis")))
    chart = (rules + points).add_params(*params.values()).properties(width=620, height=alt.Step(14))
    return chart.to_html(inline=True, embed_options={"renderer": "svg", "actions": False,
                                                                "formatLocale": d3_locale(language)}, fullhtml=False)


def _items(results: dict, kind: str) -> list[dict]:
    return [item for item in results.get("overview", []) if item.get("kind") == kind]


def write_overview(folder: Path, specs: Sequence[ReportSpec], skipped: Sequence[tuple], *, language: str,
                   audit: dict | None, sample: bool = False) -> Path:
    """Write ``index.html`` (and ``overview.json``) from the results of the reports in ``folder``.

    Parameters
    ----------
    folder : Path
        Where the reports' HTML and JSON are.
    specs : sequence of ReportSpec
        The reports that ran, in order.
    skipped : sequence of (name, reason)
    language : str
    audit : dict, optional
        The disclosure audit's summary.
    sample : bool
        Whether the build ran on the bundled synthetic sample.

    Returns
    -------
    Path
        The overview page.

    Raises
    ------
    OSError, ValueError
        A results file that cannot be read.

    Notes
    -----
    Every text from a results file is escaped; the page makes no external request.
    """
    t = catalogue(language)
    esc = html.escape
    sections = {kind: [] for kind in KINDS}
    listing, explorer = [], ""
    for spec in specs:
        results = json.loads((folder / f"{spec.name}.json").read_text(encoding="utf-8"))
        section = "r" + spec.name[:2]
        title = t(f"{section}.title") if t.has(f"{section}.title") else spec.name
        for kind in KINDS:
            for item in _items(results, kind):
                href = f"{spec.name}.html" + (f"#{item['anchor']}" if item.get("anchor") else "")
                sections[kind].append(f'<li>{esc(item["text"])} <a href="{esc(href)}">{esc(title)}</a></li>')
        listing.append(f'<li><a href="{esc(spec.name)}.html">{esc(title)}</a> — {esc(results.get("summary", ""))} '
                       f'<span class="downloads">(<a href="{esc(spec.name)}.json">{esc(t("overview.results"))}</a>)'
                       "</span></li>")
        if results.get("explorer") and not explorer:
            explorer = explorer_html(results["explorer"], language=language)
    parts = [f"<h1>{esc(t('overview.title'))}</h1><p class=\"lead\">{t.html('overview.lead')}</p>"]
    if sample:
        parts.insert(0, f'<div class="sample-banner" role="note">{t.html("page.sample_banner")}</div>')
    for kind in KINDS:
        if sections[kind]:
            parts.append(f'<h2 id="{kind}">{esc(t("overview." + kind))}</h2><ul>{"".join(sections[kind])}</ul>')
    if explorer:
        parts.append(f'<h2 id="explorer">{esc(t("overview.explorer"))}</h2><p>{t.html("overview.explorer_help")}</p>'
                     f'<div class="wb-explorer">{explorer}</div>')
    parts.append(f'<h2 id="reports">{esc(t("overview.reports"))}</h2><ul>{"".join(listing)}</ul>')
    if skipped:
        items = "".join(f"<li>{esc(name)}: {esc(reason)}</li>" for name, reason in skipped)
        parts.append(f'<h2 id="not-built">{esc(t("overview.not_built"))}</h2><ul>{items}</ul>')
    if audit:
        parts.append(f'<p class="audit">{t.html("overview.audit", published=audit["published"], hidden=audit["hidden"], seconds=audit["seconds"])}</p>')
    page = (f'<!DOCTYPE html><html lang="{esc(language)}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{esc(t("overview.title"))}'
            f"</title>{page_css()}</head><body><a class=\"skip-link\" href=\"#content\">{esc(t('page.skip_link'))}</a>"
            f'<main id="content">{"".join(parts)}</main>{page_js()}</body></html>')
    index = folder / "index.html"
    index.write_text(page, encoding="utf-8")
    (folder / "overview.json").write_text(json.dumps({"skipped": [list(s) for s in skipped], "audit": audit},
                                                     ensure_ascii=False, indent=1), encoding="utf-8")
    return index
