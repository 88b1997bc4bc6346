"""Reports: run the parameterised notebooks in the reader's language, publish tables safely, export HTML
with provenance, audit what a build publishes, and write the overview page.

Modules: :mod:`~workbench.reports.build` (one report or all, audited, swapped in whole),
:mod:`~workbench.reports.runner` (preparing and executing one notebook),
:mod:`~workbench.reports.parameters` (discovery, strict parameters, requirements),
:mod:`~workbench.reports.io` (inputs and results of notebooks), :mod:`~workbench.reports.page` (what
notebooks write with), :mod:`~workbench.reports.tables` (publishing tables),
:mod:`~workbench.reports.i18n` (fi/sv/en catalogue, number formats), :mod:`~workbench.reports.html`,
:mod:`~workbench.reports.overview`, :mod:`~workbench.reports.provenance`, :mod:`~workbench.reports.plots`,
:mod:`~workbench.reports.sending` (the sending plan's rules and advice in words).
"""

from . import plots
from .build import BuildInterrupted, DisclosureError, OutputError, build, run_report
from .i18n import LANGUAGES, catalogue
from .io import SAMPLE_STUDY, Inputs, choose, files_read, jsonable, load_inputs, resolve_study, save_results
from .page import Page
from .parameters import INJECTED, ReportSpec, check_parameters, find_report, list_reports, missing_requirements
from .paths import NOTEBOOK_DIR, PROJECT_ROOT, SAMPLE_DATA, SAMPLE_DIR
from .provenance import provenance, sha256
from .runner import KERNEL, ReportFailed, ReportSkipped, prepare
from .sending import advice_text, rules_table
from .tables import Published, format_table, publish

__all__ = ["plots", "BuildInterrupted", "DisclosureError", "OutputError", "build", "run_report", "LANGUAGES",
           "catalogue", "SAMPLE_STUDY", "Inputs", "choose", "files_read", "jsonable", "load_inputs", "resolve_study",
           "save_results", "Page", "INJECTED", "ReportSpec", "check_parameters", "find_report", "list_reports",
           "missing_requirements", "NOTEBOOK_DIR", "PROJECT_ROOT", "SAMPLE_DATA", "SAMPLE_DIR", "provenance", "sha256",
           "KERNEL", "ReportFailed", "ReportSkipped", "prepare", "advice_text", "rules_table", "Published", "format_table",
           "publish"]
