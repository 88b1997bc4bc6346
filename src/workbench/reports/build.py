"""Builds that fail safely: one report or all of them, audited, swapped in whole.

A build writes into a staging folder beside ``--out`` and swaps it in only when every report ran and
the disclosure audit passed, so a reader never sees a mix of two builds. A lock on ``--out`` keeps two
builds apart. SIGTERM or SIGINT stops the kernels (their connection files live in a private runtime
folder that is removed) and removes the staging and private folders. The ledger of published cells and
the audit's hide plans stay private and are deleted.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ..errors import ParameterError, WorkbenchError
from ..privacy.audit import audit, protect
from ..privacy.ledger import read_entries
from .io import resolve_study
from .overview import write_overview
from .parameters import list_reports
from .runner import ReportSkipped, execute, prepare

__all__ = ["build", "run_report", "BuildInterrupted", "DisclosureError", "OutputError"]


class BuildInterrupted(WorkbenchError):
    """The build was stopped by a signal; nothing it wrote was kept."""


class DisclosureError(WorkbenchError):
    """The audit found a hidden cell that the published tables narrow down, even after hiding more."""


class OutputError(WorkbenchError):
    """``--out`` cannot be used: it is a file, cannot be created, or another build holds it."""


def _usable(out: Path) -> Path:
    out = Path(out).absolute()
    if out.exists() and not out.is_dir():
        raise OutputError(f"--out {str(out)!r} is a file, not a folder.")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"--out {str(out)!r} cannot be created ({error.strerror}).") from None
    if not os.access(out.parent, os.W_OK):
        raise OutputError(f"--out {str(out)!r} cannot be written (no permission on {str(out.parent)!r}).")
    return out


@contextlib.contextmanager
def _lock(out: Path):
    path = out.parent / f".{out.name}.lock"
    handle = open(path, "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise OutputError(f"Another build is writing to {str(out)!r} (lock {str(path)!r}); wait for it to finish.") \
            from None
    try:
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def _kill_kernels(runtime: Path) -> None:
    """Stop every process started with a connection file in ``runtime`` (Linux /proc)."""
    marker = str(runtime).encode()
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            if marker in (entry / "cmdline").read_bytes():
                os.kill(int(entry.name), signal.SIGKILL)
        except (OSError, ValueError):
            continue


@contextlib.contextmanager
def _guarded(out: Path):
    """Staging and private folders, a private Jupyter runtime folder, and signal handling around a build."""
    staging = out.parent / f".{out.name}.building-{os.getpid()}"
    private = Path(tempfile.mkdtemp(prefix="workbench-private-"))
    runtime = private / "runtime"
    runtime.mkdir()
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    saved_runtime = os.environ.get("JUPYTER_RUNTIME_DIR")

    def stop(signum, frame):
        raise BuildInterrupted(f"Build stopped by signal {signal.Signals(signum).name}; nothing was kept.")

    for sig in previous:
        signal.signal(sig, stop)
    os.environ["JUPYTER_RUNTIME_DIR"] = str(runtime)
    # a kernel's connection file (with its key) goes to tempfile's folder (jupyter_client's
    # write_connection_file), so point that at the private runtime folder for the build
    saved_tempdir, tempfile.tempdir = tempfile.tempdir, str(runtime)
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    try:
        yield staging, private
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if saved_runtime is None:
            os.environ.pop("JUPYTER_RUNTIME_DIR", None)
        else:
            os.environ["JUPYTER_RUNTIME_DIR"] = saved_runtime
        tempfile.tempdir = saved_tempdir
        _kill_kernels(runtime)
        shutil.rmtree(private, ignore_errors=True)
        shutil.rmtree(staging, ignore_errors=True)


def _swap(staging: Path, out: Path) -> None:
    """Put the staging folder in place of ``out`` (the old build is removed after the rename)."""
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        os.rename(out, old)
    os.rename(staging, out)
    shutil.rmtree(old, ignore_errors=True)


def _audit(specs, study, data, staging: Path, private: Path, runs: dict, progress) -> dict:
    """Audit the build's ledger; hide more and run the affected reports again; fail if still disclosive."""
    the_study = resolve_study(study or "", data or "")
    responses = the_study.responses()
    entries = read_entries(sorted(private.glob("*.ledger.jsonl")))
    result = protect(entries, responses, min_n=the_study.min_n)
    rounds, plan = 0, {}
    while result.hide and rounds < 3:
        rounds += 1
        for name, tables in result.hide.items():  # the plans add up: a re-run keeps the earlier hides
            for table, cells in tables.items():
                known = plan.setdefault(name, {}).setdefault(table, [])
                known += [cell for cell in cells if cell not in known]
        for name in sorted(result.hide):
            spec, params, the_study_ = runs[name]
            progress(f"audit: {name} hides {sum(map(len, result.hide[name].values()))} more cells; running it again")
            execute(spec, params, the_study_, study=study, data=data, folder=staging, private=private,
                    hide=plan)
        entries = read_entries(sorted(private.glob("*.ledger.jsonl")))
        result = protect(entries, responses, min_n=the_study.min_n)
    final = audit(entries, responses, min_n=the_study.min_n)
    if not final.ok:
        raise DisclosureError("The disclosure audit found hidden cells that the published tables narrow down: "
                              + "; ".join(map(str, final.findings[:5])) + ".")
    summary = {"published": final.published, "hidden": final.hidden, "seconds": round(final.seconds, 3),
               "rounds": rounds, "not_audited": final.not_audited}
    progress(f"audit: {final.published} published and {final.hidden} hidden cells checked in "
             f"{final.seconds:.2f} s; nothing can be narrowed down")
    return summary


def build(out: str | Path = "reports", *, study: str | Path | None = None, data: str | Path | None = None,
          notebook_dir: str | Path | None = None, parameters: Mapping[str, Any] | None = None,
          progress: Callable[[str], None] = print) -> list[Path]:
    """Run every report the data supports, audit them together, and swap the build in whole.

    Parameters
    ----------
    out : str or Path
        Output folder.
    study, data : str or Path, optional
        A study file or a tidy responses file; neither: the bundled sample.
    notebook_dir : str or Path, optional
    parameters : mapping, optional
        Parameters given to every report that has them (e.g. ``language``).
    progress : callable
        Receives one line per step.

    Returns
    -------
    list of Path
        The overview page, then each report's HTML.

    Raises
    ------
    OutputError
        ``out`` is a file, cannot be created, or another build holds it.
    ReportFailed, ParameterError, StudyError, DataError
        A report failed (nothing is swapped in).
    DisclosureError
        The audit could not protect every hidden cell (nothing is swapped in).
    BuildInterrupted
        SIGTERM or SIGINT (kernels stopped, temporary files removed, the previous build untouched).

    Notes
    -----
    A report whose requirements the study does not meet is skipped; the progress and the overview
    say why.
    """
    out = _usable(Path(out))
    specs = list_reports(notebook_dir)
    unknown = sorted(set(parameters or {}) - {k for spec in specs for k in spec.parameters})
    if unknown:  # a parameter no report has would be ignored without a word
        raise ParameterError(f"No report has the parameter(s) {unknown}; see `workbench list`.")
    with _lock(out), _guarded(out) as (staging, private):
        runs, entries, skipped = {}, [], []
        for i, spec in enumerate(specs, 1):
            progress(f"[{i}/{len(specs)}] {spec.name} …")
            start = time.perf_counter()
            own = {k: v for k, v in (parameters or {}).items() if k in spec.parameters}
            try:
                spec, params, the_study = prepare(spec.name, own, study=study, data=data, notebook_dir=notebook_dir)
            except ReportSkipped as reason:
                progress(f"[{i}/{len(specs)}] {spec.name} skipped: {reason}")
                skipped.append((spec.name, str(reason)))
                continue
            runs[spec.name] = (spec, params, the_study)
            html_path, json_path = execute(spec, params, the_study, study=study, data=data, folder=staging,
                                           private=private)
            progress(f"[{i}/{len(specs)}] {spec.name} done in {time.perf_counter() - start:.1f} s")
            entries.append(spec.name)
        summary = _audit(specs, study, data, staging, private, runs, progress)
        chosen = resolve_study(study or "", data or "")
        language = (parameters or {}).get("language") or chosen.language
        index = write_overview(staging, [runs[name][0] for name in entries], skipped, language=language, audit=summary,
                               sample=chosen.is_sample)
        _swap(staging, out)
    progress(f"overview: {out / index.name}")
    return [out / index.name] + [out / f"{name}.html" for name in entries]


def run_report(name: str, parameters: Mapping[str, Any] | None = None, *, study: str | Path | None = None,
               data: str | Path | None = None, out: str | Path = "reports",
               notebook_dir: str | Path | None = None) -> tuple[Path, Path]:
    """Run one report into ``out`` (audited on its own), and refresh the overview page.

    Parameters
    ----------
    name : str
        Report name, with or without its number prefix.
    parameters : mapping, optional
    study, data : str or Path, optional
        As in :func:`build`.
    out : str or Path
    notebook_dir : str or Path, optional

    Returns
    -------
    (html_path, json_path) : Paths

    Raises
    ------
    ParameterError, StudyError, DataError
        Before anything runs (unknown parameters, invalid study, missing input files).
    ReportSkipped
        The study lacks what the report needs.
    ReportFailed, DisclosureError, OutputError, BuildInterrupted
        As :func:`build`.

    Notes
    -----
    The report's files replace its previous ones; the overview is rewritten from every report's
    results in ``out``, so its summary of this report is current.
    """
    out = _usable(Path(out))
    spec, params, the_study = prepare(name, parameters, study=study, data=data, notebook_dir=notebook_dir)
    with _lock(out), _guarded(out) as (staging, private):
        execute(spec, params, the_study, study=study, data=data, folder=staging, private=private)
        _audit([spec], study, data, staging, private, {spec.name: (spec, params, the_study)}, lambda _: None)
        out.mkdir(parents=True, exist_ok=True)
        for path in staging.iterdir():
            target = out / path.name
            if path.is_dir():
                shutil.rmtree(target, ignore_errors=True)
            os.replace(path, target)
        present = [s for s in list_reports(notebook_dir) if (out / f"{s.name}.json").exists()]
        previous = out / "overview.json"
        skipped = json.loads(previous.read_text(encoding="utf-8")).get("skipped", []) if previous.exists() else []
        write_overview(out, present, [tuple(s) for s in skipped if s[0] not in {p.name for p in present}],
                       language=params.get("language") or the_study.language, audit=None, sample=the_study.is_sample)
    return out / f"{spec.name}.html", out / f"{spec.name}.json"
