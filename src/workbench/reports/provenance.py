"""Provenance: what a reader needs to reproduce a report (inputs and their hashes, parameters,
versions, commit, date)."""

from __future__ import annotations

import datetime as _dt
import hashlib
import subprocess
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from .paths import PROJECT_ROOT

__all__ = ["sha256", "provenance", "provenance_markdown", "VERSIONED"]

VERSIONED = ("workbench", "numpy", "pandas", "scipy", "statsmodels", "matplotlib", "pingouin", "papermill",
             "nbconvert", "pyarrow")


def sha256(path: Path) -> str:
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


def provenance(data_path: Path, parameters: Mapping[str, Any]) -> dict[str, Any]:
    """What a reader needs to reproduce a report."""
    versions = {}
    for package in VERSIONED:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    files = {k: sha256(Path(v)) for k, v in parameters.items()
             if k.endswith("_path") and isinstance(v, str) and v and Path(v).is_file()}
    return {
        "data": str(data_path),
        "data_sha256": sha256(data_path),
        "files_sha256": files,
        "parameters": dict(parameters),
        "versions": versions,
        "commit": _commit(),
        "date": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


def provenance_markdown(prov: Mapping[str, Any]) -> str:
    changed = set(prov.get("set", ()))
    params = ", ".join(f"`{k}` = `{v!r}`" + (" (set)" if k in changed else "")
                       for k, v in prov["parameters"].items()) or "none"
    versions = ", ".join(f"{k} {v}" for k, v in prov["versions"].items())
    return (
        "<div class='provenance'>\n\n"
        "**Provenance.** "
        f"Data: `{prov['data']}` (SHA-256 `{prov['data_sha256']}`). "
        f"Parameters: {params}. "
        + "".join(f"`{k}` SHA-256 `{h}`. " for k, h in prov.get("files_sha256", {}).items())
        + f"Versions: {versions}. "
        f"Commit: `{prov['commit']}`. Generated: {prov['date']}.\n\n</div>"
    )
