"""Every `.cypher` file passes Neo4j's own front end, and every one has a reason to exist."""

from __future__ import annotations

import re
from pathlib import Path

from graph.cypher import CYPHER_DIR, all_statement_files, parameters
from graph.falkordb_store import UNIQUE_KEYS
from tests.cypher_lint.run_lint import errors, format_diagnostics, lint, neo4j_registry

ROOT = Path(__file__).parents[2]
_CONSTRAINT = re.compile(r"FOR \(n:(\w+)\) REQUIRE n\.(\w+) IS UNIQUE")


def _texts(files: list[Path]) -> dict[str, str]:
    return {str(p.relative_to(CYPHER_DIR)): p.read_text(encoding="utf-8") for p in files}


def test_shared_and_neo4j_statements_pass_neo4j_front_end(neo4j_local_uri: str) -> None:
    """Checked against the functions and procedures a real Neo4j 5.26 has, with the
    parameters each file uses declared."""
    files = [p for p in all_statement_files() if "falkordb" not in p.parts]
    texts = _texts(files)
    found = errors(lint(texts, {k: parameters(v) for k, v in texts.items()},
                        schema=neo4j_registry(neo4j_local_uri)))
    assert not found, format_diagnostics(found)


def test_falkordb_only_statements_parse_as_cypher() -> None:
    files = [p for p in all_statement_files() if "falkordb" in p.parts]
    texts = _texts(files)
    found = errors(lint(texts, {k: parameters(v) for k, v in texts.items()}))
    assert not found, format_diagnostics(found)


def test_every_shared_statement_is_used_by_the_code() -> None:
    source = "\n".join(p.read_text() for p in [*ROOT.glob("api/**/*.py"),
                                                *ROOT.glob("graph/**/*.py")])
    unused = [
        p.stem for p in all_statement_files()
        if p.parent == CYPHER_DIR and not p.stem.startswith("apply_")
        and f'"{p.stem}"' not in source
    ]
    assert not unused, f"statements no code runs: {unused}"


def test_both_backends_enforce_the_same_unique_keys() -> None:
    neo4j = {
        _CONSTRAINT.search(p.read_text()).groups()  # type: ignore[union-attr]
        for p in (CYPHER_DIR / "neo4j" / "schema").glob("constraint_*.cypher")
    }
    assert neo4j == set(UNIQUE_KEYS)


def test_no_python_module_builds_cypher_from_strings() -> None:
    """Cypher lives in .cypher files; Python passes parameters, never pieces of a query."""
    keywords = re.compile(r"""["'][^"'\n]*\b(MATCH|MERGE|CREATE|DETACH DELETE)\s*\(""")
    offenders = [
        str(p.relative_to(ROOT)) for p in [*ROOT.glob("api/**/*.py"), *ROOT.glob("graph/**/*.py"),
                                            *ROOT.glob("ledger/**/*.py")]
        if keywords.search(p.read_text())
    ]
    assert not offenders
