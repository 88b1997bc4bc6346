"""Reports: run the parameterised notebooks, export HTML with provenance, write results and an index.

Modules: :mod:`~workbench.reports.runner` (run one report, build them all),
:mod:`~workbench.reports.parameters` (discovery, strict parameters), :mod:`~workbench.reports.io`
(what notebooks call), :mod:`~workbench.reports.provenance`, :mod:`~workbench.reports.html`,
:mod:`~workbench.reports.tables`, :mod:`~workbench.reports.plots`.
"""

from . import plots
from .io import SAMPLE_STUDY, Inputs, choose, files_read, jsonable, load_inputs, resolve_study, save_results
from .parameters import INJECTED, ReportSpec, check_parameters, find_report, list_reports, missing_requirements
from .paths import NOTEBOOK_DIR, PROJECT_ROOT, SAMPLE_DATA, SAMPLE_DIR
from .provenance import provenance, sha256
from .runner import KERNEL, ReportFailed, ReportSkipped, build, prepare, run_report
from .tables import format_table

__all__ = ["plots", "SAMPLE_STUDY", "Inputs", "choose", "files_read", "jsonable", "load_inputs", "resolve_study",
           "save_results", "missing_requirements", "ReportSkipped", "prepare", "INJECTED", "ReportSpec",
           "check_parameters", "find_report", "list_reports", "NOTEBOOK_DIR", "PROJECT_ROOT", "SAMPLE_DATA",
           "SAMPLE_DIR", "provenance", "sha256", "KERNEL", "ReportFailed", "build", "run_report", "format_table"]
