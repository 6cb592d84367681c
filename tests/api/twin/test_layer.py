"""The command layer stands apart from the GraphQL edge: importing every module of api/twin,
and the account rules, loads neither strawberry nor graphql-core nor anything of api/graphql."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import api.twin

ROOT = Path(__file__).resolve().parents[3]


def test_no_module_of_the_twin_imports_strawberry_or_the_graphql_edge() -> None:
    modules = sorted(f"api.twin.{m.name}" for m in pkgutil.iter_modules(api.twin.__path__))
    modules.append("api.auth.accounts")
    assert "api.twin.care" in modules and "api.twin.medication" in modules
    program = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))\n")
    loaded = json.loads(subprocess.run([sys.executable, "-c", program], cwd=ROOT, check=True,
                                       capture_output=True, text=True).stdout)
    edge = [name for name in loaded if name.split(".")[0] in {"strawberry", "graphql"}
            or name.startswith("api.graphql")]
    assert edge == []
