"""The CDC ICD-10-CM tabular list (`simple-icd-10-cm`), loaded on first use.

Parsing it takes seconds, and most `hdt` commands (ledger checks, backups, the CLI's help)
never need it; the server loads it before it listens (`warm`).
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def _lazy(name: str) -> ModuleType:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.loader is not None, name
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module


icd10 = _lazy("simple_icd_10_cm")


def warm() -> None:
    """Load the list now rather than in the middle of the first request that needs it."""
    icd10.is_valid_item("A00")


def with_dot(code: str) -> str:
    """An item's code as the list spells it: "I214" is "I21.4". (The library's own `add_dot`
    scans the whole list for each code it has not seen yet: milliseconds a code.) Chapters
    ("9") and categories are shorter than four characters; blocks ("I20-I25") hold a dash."""
    if len(code) < 4 or code[3] in ".-":
        return code
    return code[:3] + "." + code[3:]
