"""Provenance: what a reader needs to reproduce a report (inputs and their hashes, parameters,
versions, commit, date)."""

from __future__ import annotations

import datetime as _dt
import hashlib
import html
import subprocess
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from .i18n import catalogue
from .paths import PROJECT_ROOT

__all__ = ["sha256", "provenance", "provenance_markdown", "VERSIONED"]

VERSIONED = ("workbench", "numpy", "pandas", "scipy", "statsmodels", "matplotlib", "pingouin", "papermill",
             "nbconvert", "pyarrow")


def sha256(path: Path) -> str:
    """SHA-256 of a file, read in 1 MiB blocks.

    Parameters
    ----------
    path : Path

    Returns
    -------
    str
        Hex digest.

    Raises
    ------
    OSError
        The file cannot be read.

    Notes
    -----
    Printed in every report's provenance block.
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=PROJECT_ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=PROJECT_ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
        return head + ("-dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"


def provenance(study, parameters: Mapping[str, Any], files: list[str] | None = None) -> dict[str, Any]:
    """What a reader needs to reproduce a report.

    Parameters
    ----------
    study : Study
        The study the report ran on (its file, a tidy data file's study, or the sample's).
    parameters : mapping
        Every parameter's effective value.
    files : list of str, optional
        Every data file the report opened (from its results); the study's own file is added.

    Returns
    -------
    dict
        ``study`` (its file, or a description), ``sample`` (bool), ``files`` (path -> SHA-256 of every
        file read and every ``*_path`` parameter), ``parameters``, ``versions``, ``commit``, ``date``.

    Raises
    ------
    OSError
        A file read by the report can no longer be read.

    Notes
    -----
    The commit is marked ``-dirty`` when tracked files have changes.
    """
    versions = {}
    for package in VERSIONED:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    named = [study.path] if study.path else []
    named += [Path(v) for k, v in parameters.items() if k.endswith("_path") and isinstance(v, str) and v]
    paths = []
    for path in [*map(str, named), *(files or [])]:
        if path not in paths and Path(path).is_file():
            paths.append(path)
    return {
        "study": str(study.path) if study.path else f"tidy data file {study.inputs['responses'].path}",
        "sample": bool(study.is_sample),
        "files": {path: sha256(Path(path)) for path in paths},
        "parameters": dict(parameters),
        "versions": versions,
        "commit": _commit(),
        "date": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


def provenance_markdown(prov: Mapping[str, Any], language: str = "en") -> str:
    """The provenance block shown at the end of a report: collapsed, every value escaped.

    Parameters
    ----------
    prov : mapping
        From :func:`provenance`, optionally with ``set`` (the parameters the user set).
    language : str
        The language of its labels.

    Returns
    -------
    str
        A ``<details class="provenance">`` element that Markdown cells pass through unchanged.

    Raises
    ------
    KeyError
        A provenance mapping without its keys.

    Notes
    -----
    Parameters set by the user are marked. File names and parameter values come from users, so
    everything is escaped with :func:`html.escape` (a file named ``<img onerror=…>`` stays text).
    """
    t = catalogue(language)
    esc = html.escape
    changed = set(prov.get("set", ()))
    marked = f" ({esc(t('page.provenance_set'))})"
    params = ", ".join(f"<code>{esc(str(k))}</code> = <code>{esc(repr(v))}</code>" + (marked if k in changed else "")
                       for k, v in prov["parameters"].items()) or "–"
    files = "".join(f"<li><code>{esc(path)}</code> (SHA-256 <code>{esc(digest)}</code>)</li>"
                    for path, digest in prov["files"].items())
    versions = ", ".join(f"{esc(k)} {esc(v)}" for k, v in prov["versions"].items())
    sample = f" ({esc(t('page.provenance_sample'))})" if prov.get("sample") else ""
    return (
        f"<details class=\"provenance\"><summary>{esc(t('page.provenance'))}</summary>"
        f"<p>{esc(t('page.provenance_study'))}: <code>{esc(prov['study'])}</code>{sample}.</p>"
        f"<p>{esc(t('page.provenance_files'))}:</p><ul>{files}</ul>"
        f"<p>{esc(t('page.provenance_parameters'))}: {params}.</p>"
        f"<p>{esc(t('page.provenance_versions'))}: {versions}. {esc(t('page.provenance_commit'))}: "
        f"<code>{esc(prov['commit'])}</code>. {esc(t('page.provenance_date'))}: {esc(prov['date'])}.</p></details>"
    )
