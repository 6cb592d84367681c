"""The Cypher lint tool itself works: Neo4j's front end accepts good Cypher and pins bad Cypher.

Why: the graph test over ``graph/cypher/**/*.cypher`` trusts this tool; if the linter silently
reported nothing (e.g. its semantic analysis failed to load), every statement would "pass".
All samples go through one run of the linter (each run loads ~6 MB of JavaScript, ~1.5 s).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.cypher_lint.run_lint import errors, format_diagnostics, lint, lint_report, neo4j_registry

SAMPLES = {
    "good.cypher": "MATCH (p:Patient {id: $id}) RETURN p",
    "bad.cypher": "MATCH (p:Patient RETURN p",
    # These need Neo4j's semantic analysis, not just the grammar: proof that it is loaded.
    "undefined.cypher": "MATCH (n) RETURN m",
    "types.cypher": "RETURN 1 + true AS x",
    "exists.cypher": "MATCH (a) WHERE exists(a.name) RETURN a",
    "deprecated.cypher": "MATCH (n) RETURN id(n) AS i",
    "params_missing.cypher": "MATCH (p:Patient {id: $id}) RETURN p",
    "params_given.cypher": "MATCH (p:Patient {id: $id}) RETURN p",
    # FalkorDB-only procedures and functions.
    "fulltext.cypher": "CALL db.idx.fulltext.createNodeIndex('Patient', 'name')",
    "vector.cypher": "RETURN vecf32([1.0, 2.0]) AS v",
}
PARAMS = {"params_missing.cypher": [], "params_given.cypher": ["id"]}


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    return lint_report(SAMPLES, PARAMS)


def test_good_statement_is_clean_with_its_parameters_declared(report: dict[str, Any]) -> None:
    assert report["files"]["good.cypher"] == []


def test_syntax_error_is_reported_with_position(report: dict[str, Any]) -> None:
    first = report["files"]["bad.cypher"][0]
    assert first["severity"] == "error"
    assert (first["line"], first["column"], first["excerpt"]) == (1, 18, "RETURN")
    assert first["message"].startswith("Invalid input 'RETURN'")
    rendered = format_diagnostics(report["files"])
    assert "bad.cypher:1:18: error: Invalid input 'RETURN'" in rendered


def test_semantic_errors_are_reported(report: dict[str, Any]) -> None:
    found = errors(report["files"])
    assert found["undefined.cypher"][0]["message"] == "Variable `m` not defined"
    assert "Type mismatch" in found["types.cypher"][0]["message"]
    assert "no longer supported" in found["exists.cypher"][0]["message"]


def test_declared_parameters_are_checked_when_given(report: dict[str, Any]) -> None:
    missing = report["files"]["params_missing.cypher"]
    assert [d["message"] for d in missing] == ["Parameter $id is not defined."]
    assert report["files"]["params_given.cypher"] == []


def test_deprecations_are_warnings_not_errors(report: dict[str, Any]) -> None:
    [warning] = report["files"]["deprecated.cypher"]
    assert warning["severity"] == "warning"
    assert "deprecated" in warning["message"]


def test_unknown_procedures_and_functions_pass_without_a_registry(
    report: dict[str, Any],
) -> None:
    assert report["files"]["fulltext.cypher"] == []
    assert report["files"]["vector.cypher"] == []


def test_counts_and_versions(report: dict[str, Any]) -> None:
    assert report["errors"] == sum(len(v) for v in errors(report["files"]).values()) == 6
    assert report["warnings"] == 1
    assert report["cypherVersion"] == "CYPHER 5"
    assert report["version"].startswith("2.0.0-")


def test_with_a_registry_unknown_procedures_are_errors() -> None:
    schema: dict[str, Any] = {"procedures": {"CYPHER 5": {}}, "functions": {"CYPHER 5": {}}}
    found = errors(lint({"q": SAMPLES["fulltext.cypher"]}, schema=schema))
    assert "is not present in the database" in found["q"][0]["message"]


def test_registry_from_a_real_neo4j(neo4j_local_uri: str) -> None:
    """Against Neo4j's own function and procedure list, FalkorDB-only names are errors."""
    schema = neo4j_registry(neo4j_local_uri)
    assert "count" in schema["functions"]["CYPHER 5"]
    assert "db.labels" in schema["procedures"]["CYPHER 5"]
    result = lint(
        {
            "neo4j_ok.cypher": (
                "CALL db.labels() YIELD label "
                "RETURN label, count(*) AS n, toUpper(label) AS u, elementId(null) AS e"
            ),
            "fulltext.cypher": SAMPLES["fulltext.cypher"],
            "vector.cypher": SAMPLES["vector.cypher"],
        },
        schema=schema,
    )
    assert result["neo4j_ok.cypher"] == []
    found = errors(result)
    assert (
        "db.idx.fulltext.createNodeIndex is not present" in found["fulltext.cypher"][0]["message"]
    )
    assert "vecf32 is not present" in found["vector.cypher"][0]["message"]
