"""Reports: run the parameterised notebooks, export HTML with provenance, write results and an index.

Modules: :mod:`~workbench.reports.runner` (run one report, build them all),
:mod:`~workbench.reports.parameters` (discovery, strict parameters), :mod:`~workbench.reports.io`
(what notebooks call), :mod:`~workbench.reports.provenance`, :mod:`~workbench.reports.html`,
:mod:`~workbench.reports.tables`, :mod:`~workbench.reports.plots`.
"""

from . import plots
from .io import jsonable, load_data, sample_file, save_results
from .parameters import INJECTED, ReportSpec, check_parameters, find_report, list_reports
from .paths import NOTEBOOK_DIR, PROJECT_ROOT, SAMPLE_DATA, SAMPLE_DIR
from .provenance import provenance, sha256
from .runner import KERNEL, ReportFailed, build, run_report
from .tables import format_table

__all__ = ["plots", "jsonable", "load_data", "sample_file", "save_results", "INJECTED", "ReportSpec",
           "check_parameters", "find_report", "list_reports", "NOTEBOOK_DIR", "PROJECT_ROOT", "SAMPLE_DATA",
           "SAMPLE_DIR", "provenance", "sha256", "KERNEL", "ReportFailed", "build", "run_report", "format_table"]
