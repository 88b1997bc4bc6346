"""Every public function and class documents itself in numpydoc form (STYLE.md, rule 9).

Functions: Parameters, Returns, Raises and Notes; methodological functions (statistics, planning,
weighting, benchmarks, text, journey, privacy) also References. Classes: an Attributes or Parameters
section; exceptions: a docstring. Public means: listed in the ``__all__`` of a public module.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import workbench

SECTIONS = ("Parameters", "Returns", "Raises", "Notes")
METHODOLOGICAL = ("workbench.stats", "workbench.planning", "workbench.weighting", "workbench.benchmarks",
                  "workbench.text", "workbench.journey", "workbench.privacy")


def _public():
    seen = set()
    for info in pkgutil.walk_packages(workbench.__path__, "workbench."):
        if info.name.endswith("__main__") or any(part.startswith("_") for part in info.name.split(".")):
            continue
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if (inspect.isfunction(obj) or inspect.isclass(obj)) and obj.__module__ == info.name and id(obj) not in seen:
                seen.add(id(obj))
                yield f"{info.name}.{name}", obj


PUBLIC = sorted(_public(), key=lambda item: item[0])


def _missing(name: str, obj) -> list[str]:
    doc = inspect.getdoc(obj) or ""
    if inspect.isclass(obj) and issubclass(obj, BaseException):
        return [] if doc else ["docstring"]
    if inspect.isclass(obj):
        needed = ("Attributes",) if "Parameters\n---" not in doc else ("Parameters",)
    else:
        needed = SECTIONS + (("References",) if name.startswith(METHODOLOGICAL) else ())
        if not inspect.signature(obj).parameters:
            needed = tuple(s for s in needed if s != "Parameters")
    return [s for s in needed if f"{s}\n{'-' * len(s)}" not in doc]


@pytest.mark.parametrize("name, obj", PUBLIC, ids=[name for name, _ in PUBLIC])
def test_public_api_is_documented(name, obj):
    assert _missing(name, obj) == [], name
