"""Loads the named Cypher statements in `graph/cypher/`, with a folder of overrides per backend."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

CYPHER_DIR = Path(__file__).parent / "cypher"
BACKENDS = ("falkordb", "neo4j")
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


class UnknownStatement(KeyError):
    """No `.cypher` file has that name; a programming error, not a user one."""


@cache
def statement(name: str, backend: str) -> str:
    """The text of statement `name` for `backend`: its backend file if any, else the shared one.

    Cached for the life of the process: statement files are part of the code.
    """
    for path in (CYPHER_DIR / backend / f"{name}.cypher", CYPHER_DIR / f"{name}.cypher"):
        if path.is_file():
            return path.read_text(encoding="utf-8").strip()
    raise UnknownStatement(name)


def schema_statements(backend: str) -> list[tuple[str, str]]:
    """The schema set-up statements of a backend (indexes, constraints), in file-name order."""
    folder = CYPHER_DIR / backend / "schema"
    files = sorted(folder.glob("*.cypher"))
    return [(p.stem, p.read_text(encoding="utf-8").strip()) for p in files]


def all_statement_files() -> list[Path]:
    """Every `.cypher` file in the tree, for the linters and the store tests."""
    return sorted(CYPHER_DIR.rglob("*.cypher"))


def parameters(text: str) -> list[str]:
    """The `$names` a statement expects, in order of first use."""
    return list(dict.fromkeys(_PARAM.findall(text)))
