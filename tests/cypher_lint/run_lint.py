"""Python side of the Cypher linter: runs ``lint.mjs`` (Neo4j's Cypher front end) from tests.

Why: a Cypher statement with a syntax or semantic error should fail the test suite with the
exact position and Neo4j's own message, instead of failing later against a live database (and
only on the backend that happens to run it). The checking is done by Neo4j's parser and
semantic analysis as published in ``@neo4j-cypher/language-support``; this module installs it
(``npm ci``, once, from the committed lock file) and passes statements to ``lint.mjs``.

Use::

    from tests.cypher_lint.run_lint import errors, lint

    diagnostics = lint({"patient_get.cypher": "MATCH (p:Patient {id: $id}) RETURN p"})
    assert errors(diagnostics) == {}

Each diagnostic is a dict: ``severity`` ("error", "warning", "info", "hint"), ``message``,
``line``, ``column``, ``endLine``, ``endColumn`` (1-based), ``offset`` and ``excerpt``.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

__all__ = [
    "LintToolError",
    "ensure_installed",
    "errors",
    "format_diagnostics",
    "lint",
    "lint_report",
    "neo4j_registry",
]

HERE: Final = Path(__file__).resolve().parent
SCRIPT: Final = HERE / "lint.mjs"
_MARKER: Final = HERE / "node_modules" / "@neo4j-cypher" / "language-support" / "package.json"
_LOCK: Final = HERE / "package-lock.json"
_STAMP: Final = HERE / "node_modules" / ".hdt-lock.sha256"

Diagnostic = dict[str, Any]


class LintToolError(Exception):
    """Node/npm is missing, ``npm ci`` failed, or the lint script could not run."""


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise LintToolError(f"{name} is needed for the Cypher lint (found: none); install Node 20+")
    return path


@contextlib.contextmanager
def _install_lock() -> Iterator[None]:
    """Serialise ``npm ci`` across processes (two test workers must not install at once)."""
    key = hashlib.sha256(str(HERE).encode()).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"hdt-cypher-lint-{key}.lock"
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _lock_digest() -> str:
    return hashlib.sha256(_LOCK.read_bytes()).hexdigest()


def _installed() -> bool:
    """True if node_modules holds what the current package-lock.json asks for."""
    try:
        return _MARKER.is_file() and _STAMP.read_text().strip() == _lock_digest()
    except OSError:
        return False


def ensure_installed() -> None:
    """Run ``npm ci`` if node_modules is missing or older than package-lock.json.

    ``npm ci`` installs exactly the locked versions (the linter's verdicts depend on them);
    after the first run npm's cache makes it take a couple of seconds.
    """
    if _installed():
        return
    with _install_lock():
        if _installed():
            return
        npm = _tool("npm")
        proc = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=HERE,
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            tail = "\n".join((proc.stderr or proc.stdout).splitlines()[-20:])
            raise LintToolError(f"npm ci failed in {HERE} (exit {proc.returncode}):\n{tail}")
        _STAMP.write_text(_lock_digest() + "\n")


def lint_report(
    statements: Mapping[str, str],
    params: Mapping[str, Sequence[str]] | None = None,
    *,
    cypher_version: str = "CYPHER 5",
    schema: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Lint and return lint.mjs's whole report: ``files``, ``errors``, ``warnings``, versions.

    ``params`` maps a statement's key to the parameter names its caller passes; a statement
    without an entry has every ``$name`` it uses declared. ``schema`` is an extra DbSchema for
    the linter, e.g. ``{"procedures": ..., "functions": ...}`` from a real server, which makes
    unknown procedures and functions errors (they are not checked without it).
    """
    ensure_installed()
    node = _tool("node")
    items: list[dict[str, Any]] = []
    for key, text in statements.items():
        item: dict[str, Any] = {"file": key, "text": text}
        if params is not None and key in params:
            item["params"] = list(params[key])
        items.append(item)
    cmd = [node, str(SCRIPT), "--cypher-version", cypher_version]
    with tempfile.TemporaryDirectory(prefix="hdt-cypher-lint-") as tmp:
        if schema is not None:
            schema_file = Path(tmp) / "schema.json"
            schema_file.write_text(json.dumps(schema))
            cmd += ["--schema", str(schema_file)]
        proc = subprocess.run(
            cmd, input=json.dumps(items), capture_output=True, text=True, cwd=HERE, check=False
        )
    # Exit 1 only means "some statement has an error"; the report is on stdout either way.
    if proc.returncode not in (0, 1):
        raise LintToolError(f"lint.mjs failed (exit {proc.returncode}): {proc.stderr.strip()}")
    try:
        report: dict[str, Any] = json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        raise LintToolError(f"lint.mjs printed no JSON report: {proc.stderr.strip()}") from exc
    return report


def lint(
    statements: Mapping[str, str],
    params: Mapping[str, Sequence[str]] | None = None,
    *,
    cypher_version: str = "CYPHER 5",
    schema: Mapping[str, Any] | None = None,
) -> dict[str, list[Diagnostic]]:
    """Lint each statement; return its diagnostics by key (an empty list when clean).

    Keys are free-form (file paths are handy: they show up in failure messages). Warnings such
    as deprecated syntax are included; filter with :func:`errors` to keep only what Neo4j
    would refuse to run.
    """
    report = lint_report(statements, params, cypher_version=cypher_version, schema=schema)
    files: dict[str, list[Diagnostic]] = report["files"]
    return files


def neo4j_registry(uri: str, cypher_version: str = "CYPHER 5") -> dict[str, Any]:
    """The functions and procedures of a running Neo4j, as a DbSchema for ``lint(schema=...)``.

    Why: without a registry the linter does not check procedure and function names at all; with
    the real one (e.g. from a neo4j-local server) a statement calling something Neo4j lacks, such
    as a FalkorDB-only ``db.idx.fulltext.createNodeIndex`` or ``vecf32`` in a statement shared by
    both backends, is an error. ``SHOW ... YIELD *`` rows have exactly the fields the linter's
    registry types expect.
    """
    import neo4j  # only this helper needs the driver

    with neo4j.GraphDatabase.driver(uri, auth=None) as driver:
        functions, _, _ = driver.execute_query("SHOW FUNCTIONS YIELD *")
        procedures, _, _ = driver.execute_query("SHOW PROCEDURES YIELD *")
    return {
        "functions": {cypher_version: {r["name"]: r.data() for r in functions}},
        "procedures": {cypher_version: {r["name"]: r.data() for r in procedures}},
    }


def errors(diagnostics: Mapping[str, list[Diagnostic]]) -> dict[str, list[Diagnostic]]:
    """Only the statements with error-severity diagnostics, and only those diagnostics."""
    found = {
        key: [d for d in items if d.get("severity") == "error"]
        for key, items in diagnostics.items()
    }
    return {key: items for key, items in found.items() if items}


def format_diagnostics(diagnostics: Mapping[str, list[Diagnostic]]) -> str:
    """Render diagnostics one per line, ``key:line:column: severity: message``, for asserts."""
    lines = []
    for key, items in diagnostics.items():
        for d in items:
            message = str(d["message"]).replace("\n", " ")
            lines.append(f"{key}:{d['line']}:{d['column']}: {d['severity']}: {message}")
    return "\n".join(lines)
