"""`schema.graphql` is what the code serves: clients generate code from that file."""

from __future__ import annotations

from pathlib import Path

from strawberry.printer import print_schema

from api.graphql.schema import schema

SCHEMA_FILE = Path(__file__).parents[1] / "schema.graphql"


def test_schema_file_matches_the_served_schema() -> None:
    exported = print_schema(schema)
    on_disk = SCHEMA_FILE.read_text(encoding="utf-8")
    assert on_disk.strip() == exported.strip(), (
        "schema.graphql is stale: run `strawberry export-schema api.graphql.schema:schema "
        "--output schema.graphql`"
    )
