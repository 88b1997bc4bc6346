import os

os.environ.setdefault("MPLBACKEND", "Agg")

from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from browser import chromium  # noqa: E402, F401  (the session's headless Chromium, for the browser tests)

REFERENCE = Path(__file__).parent / "reference"
ROOT = Path(__file__).resolve().parents[1]


def read_reference(name: str) -> pd.DataFrame:
    """A reference table; lines starting with # document where the values come from."""
    return pd.read_csv(REFERENCE / name, comment="#")


@pytest.fixture
def small_responses() -> pd.DataFrame:
    """A small mixed data set with two units and two periods."""
    rng = np.random.default_rng(7)
    size = 400
    return pd.DataFrame({
        "unit": rng.choice(["a", "b"], size),
        "period": rng.choice(["2025", "2026"], size),
        "nps": rng.integers(0, 11, size),
        "csat": rng.integers(1, 6, size),
        "fcr": rng.choice(["kyllä", "ei"], size),
        "s1": rng.choice([1, 2, 3, 4, 5, 6], size),
    })
