"""The rules stand apart from the GraphQL edge: importing every module of the command layer
(api/twin), of knowledge (api/knowledge), of auth (api/auth), of the witness client and
server (api/witness) and of operations (api/ops)
loads neither strawberry nor graphql-core nor anything of api/graphql."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import api.auth
import api.knowledge
import api.ops
import api.twin
import api.witness

ROOT = Path(__file__).resolve().parents[3]


def test_no_module_of_the_twin_imports_strawberry_or_the_graphql_edge() -> None:
    modules = sorted(f"{package.__name__}.{m.name}"
                     for package in (api.twin, api.knowledge, api.auth, api.witness, api.ops)
                     for m in pkgutil.iter_modules(package.__path__))
    assert {"api.twin.care", "api.knowledge.search", "api.auth.accounts",
            "api.ops.demo"} <= set(modules)
    program = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))\n")
    loaded = json.loads(subprocess.run([sys.executable, "-c", program], cwd=ROOT, check=True,
                                       capture_output=True, text=True).stdout)
    edge = [name for name in loaded if name.split(".")[0] in {"strawberry", "graphql"}
            or name.startswith("api.graphql")]
    assert edge == []
