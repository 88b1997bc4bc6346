"""Open-text benchmark (`make bench`): lemmatise, classify and tone 100,000 comments.

The corpus: sample comments (the generator's sentences, so themes and tone have something to find)
with a free sentence of 3-10 words appended to each, drawn with Zipf frequencies from 150,000
Finnish word forms of simplemma's dictionary, so that the vocabulary is as large and as long-tailed
as in real feedback (tens of thousands of distinct forms) and almost every comment is distinct.

Each configuration runs in a fresh interpreter, so the figure includes what a user waits for on a
first run: loading simplemma's dictionaries (or Voikko), redaction, normalisation, tokenisation,
language detection, lemmatisation, themes, tone and suggestions. As in ``benchmarks/run.py``, the
figure is the best of a few runs, to damp the noise of a shared machine. Goal: at most 30 s with
simplemma on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from workbench import sample_data
from workbench.text.lemmas import voikko_available

RUN = r"""
import json, sys, time
import pandas as pd
start = time.perf_counter()
from workbench.text import analyse, classify, suggestions, tone
texts = pd.read_parquet(sys.argv[1])["comment"]
t0 = time.perf_counter()
a = analyse(texts, lemmatiser=sys.argv[2], progress=True)
t1 = time.perf_counter()
themes = classify(a)
t2 = time.perf_counter()
tones = tone(a)
t3 = time.perf_counter()
flags = suggestions(a)
t4 = time.perf_counter()
print(json.dumps({"import": t0 - start, "analyse": t1 - t0, "classify": t2 - t1, "tone": t3 - t2,
                  "suggestions": t4 - t3, "total": t4 - start, "distinct_texts": a.n_texts,
                  "distinct_forms": len(a.words), "tokens": int(len(a.token)),
                  "themes_found": int(themes.to_numpy().any(axis=1).sum()),
                  "negative": int((tones["tone"] == "negative").sum()), "n_suggestions": int(flags.sum())}))
"""


def corpus(size: int, seed: int = 13) -> pd.Series:
    """``size`` synthetic comments with a Zipfian free-text tail (see the module docstring)."""
    from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

    rng = np.random.default_rng(seed)
    responses, _ = sample_data.generate(scale=max(1.0, size / 6000 * 1.1), seed=seed)
    base = responses["comment"].dropna().to_numpy()[:size]
    forms = DefaultDictionaryFactory().get_dictionary("fi")
    pool = np.array([w for w, _ in zip((k for k in forms.keys() if k.isalpha() and k.islower()), range(2_000_000))])
    pool = rng.choice(pool, 150_000, replace=False)
    weights = 1.0 / np.arange(1, len(pool) + 1) ** 1.07
    lengths = rng.integers(3, 11, len(base))
    words = rng.choice(pool, lengths.sum(), p=weights / weights.sum())
    tails = np.split(words, np.cumsum(lengths)[:-1])
    return pd.Series([f"{b} {' '.join(t).capitalize()}." for b, t in zip(base, tails)], name="comment")


def run(path: Path, lemmatiser: str) -> dict:
    done = subprocess.run([sys.executable, "-c", RUN, str(path), lemmatiser], capture_output=True, text=True,
                          check=True)
    sys.stderr.write(done.stderr[-2000:])  # the progress bars
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args(argv)
    texts = corpus(args.comments)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "comments.parquet"
        texts.to_frame().to_parquet(path)
        backends = ["simplemma"] + (["voikko"] if voikko_available() else [])
        for lemmatiser in backends:
            r = min((run(path, lemmatiser) for _ in range(args.repeats)), key=lambda result: result["total"])
            print(f"open text, {len(texts):,} comments ({r['distinct_texts']:,} distinct, {r['tokens']:,} tokens, "
                  f"{r['distinct_forms']:,} distinct word forms), lemmatiser {lemmatiser}, fresh interpreter, "
                  f"best of {args.repeats}:")
            print(f"  import {r['import']:.1f} s, analyse (redact, normalise, tokenise, language, lemmas) "
                  f"{r['analyse']:.1f} s, classify {r['classify']:.1f} s, tone {r['tone']:.1f} s, "
                  f"suggestions {r['suggestions']:.1f} s")
            goal = " (goal <= 30 s)" if lemmatiser == "simplemma" else ""
            print(f"  total {r['total']:.1f} s{goal}; {r['themes_found']:,} comments with a theme, "
                  f"{r['negative']:,} negative, {r['n_suggestions']:,} suggestions")
        if not voikko_available():
            print("Voikko not installed: apt-get install libvoikko1 voikko-fi; pip install workbench[voikko]")


if __name__ == "__main__":
    main()
