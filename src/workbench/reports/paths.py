"""Where the project's notebooks and bundled sample data live."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["PROJECT_ROOT", "NOTEBOOK_DIR", "SAMPLE_DATA", "SAMPLE_DIR"]

PROJECT_ROOT = Path(os.environ.get("WORKBENCH_HOME", Path(__file__).resolve().parents[3]))
NOTEBOOK_DIR = PROJECT_ROOT / "notebooks"
SAMPLE_DATA = PROJECT_ROOT / "data" / "samples" / "responses.parquet"
SAMPLE_DIR = SAMPLE_DATA.parent
