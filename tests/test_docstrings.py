"""Every public function and class documents itself in numpydoc form (STYLE.md, rule 9).

Functions: Parameters, Returns, Raises, Notes and References. Classes: a summary and an Attributes or
Parameters section. Public means: listed in a module's ``__all__``.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import workbench

SECTIONS = ("Parameters", "Returns", "Raises", "Notes", "References")


def _public():
    seen = set()
    for info in pkgutil.walk_packages(workbench.__path__, "workbench."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if (inspect.isfunction(obj) or inspect.isclass(obj)) and obj.__module__ == info.name and id(obj) not in seen:
                seen.add(id(obj))
                yield f"{info.name}.{name}", obj


PUBLIC = sorted(_public(), key=lambda item: item[0])


def _missing(obj) -> list[str]:
    doc = inspect.getdoc(obj) or ""
    if inspect.isclass(obj):
        needed = ("Attributes",) if "Parameters\n---" not in doc else ("Parameters",)
    else:
        needed = SECTIONS
    return [s for s in needed if f"{s}\n{'-' * len(s)}" not in doc]


@pytest.mark.parametrize("name, obj", PUBLIC, ids=[name for name, _ in PUBLIC])
def test_public_api_is_documented(name, obj):
    assert _missing(obj) == [], name
