"""The console's operations are checked against the server's schema at build time: a schema
change that breaks one of them fails `npm run build` (at its codegen step), naming it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.web.browser import ROOT

WEB = ROOT / "web"


def _codegen(schema: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(WEB / "node_modules" / ".bin" / "graphql-codegen"), "--config", "codegen.ts"],
        cwd=WEB, env={**os.environ, "HDT_CONSOLE_SCHEMA": str(schema)},
        capture_output=True, text=True, timeout=240)


def test_a_schema_that_renames_a_field_the_console_reads_fails_the_build(
        tmp_path: Path) -> None:
    schema = (ROOT / "schema.graphql").read_text()
    assert schema.count("  entryHash: String!") == 2  # Anchor's and LedgerEntryMeta's
    broken = tmp_path / "schema.graphql"
    broken.write_text(schema.replace("  entryHash: String!", "  leafHash: String!"))
    answer = _codegen(broken)
    assert answer.returncode != 0
    assert 'Cannot query field "entryHash" on type "Anchor"' in answer.stdout + answer.stderr
