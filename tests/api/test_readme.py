"""The README's GraphQL examples, every one, in the README's order, against a server as `make
serve` leaves it: a real `hdt demo --if-empty` (a few patients), then the real app. Each
`<placeholder>` takes the id an earlier answer gave; each block's `# as ...` line says whose
token it needs. An example that breaks fails here."""

from __future__ import annotations

import re
import subprocess
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from api.app import create_app
from tests.api.conftest import Api, make_settings
from tests.api.live import HDT, env_for

README = Path(__file__).parents[2] / "README.md"
BLOCK = re.compile(r"```graphql\n(.*?)```", re.S)
PLACEHOLDER = re.compile(r"<([a-z][a-z ]*)>")
CALLER = re.compile(r"#\s*as ([^:;]+)")
# what an answer gives to the placeholders of later examples: field -> (placeholder, key)
GIVES = {"admitPatient": ("patient", "patientId"), "recordDiagnosis": ("diagnosis id", "id"),
         "prescribeMedication": ("prescription id", "id"), "recordSurgery": ("surgery id", "id"),
         "invitePatient": ("invitation code", "code")}
ROLES = {"PHYSICIAN": "physician user id", "TRANSPORT": "crew user id"}


@dataclass(frozen=True)
class Example:
    caller: str
    """As the README says it: `nobody`, `ADMIN`, or a role with the username in brackets."""
    text: str


def examples(readme: str) -> list[Example]:
    """Every operation of every graphql block; a block must say whose token it needs."""
    found = []
    for block in BLOCK.findall(readme):
        caller: str | None = None
        lines: list[str] = []
        depth = 0
        for line in textwrap.dedent(block).splitlines():
            stripped = line.strip()
            if depth == 0 and (not stripped or stripped.startswith("#")):
                if (said := CALLER.match(stripped)) is not None:
                    caller = said.group(1).strip()
                continue
            assert caller is not None, f"README: no '# as ...' line before {stripped!r}"
            lines.append(line)
            depth += line.count("{") - line.count("}")
            if depth == 0:
                found.append(Example(caller, "\n".join(lines)))
                lines = []
        assert depth == 0 and not lines, f"README: unbalanced braces in {block!r}"
    return found


def test_examples_are_read_whole() -> None:
    """The reader itself: every `mutation` and `query` of the README becomes one example."""
    text = README.read_text(encoding="utf-8")
    found = examples(text)
    in_blocks = "".join(BLOCK.findall(text))
    assert len(found) == len(re.findall(r"^\s*(?:mutation|query) ", in_blocks, re.M)) >= 15
    assert [e.caller for e in found][:2] == ["nobody", "nobody"]


@pytest.mark.timeout(1800)  # the demo loads the whole ICD-10-CM tree and the ANSM catalogue
def test_every_readme_example_runs_after_make_serve(short_tmp: Path) -> None:
    data_dir = short_tmp / "readme"
    subprocess.run([HDT, "demo", "--if-empty", "--patients", "3"], env=env_for(data_dir),
                   check=True, capture_output=True, timeout=1700)
    found = examples(README.read_text(encoding="utf-8"))
    values: dict[str, str] = {}
    tokens: dict[str, str] = {}
    answers: dict[str, Any] = {}
    with TestClient(create_app(make_settings(data_dir))) as client:
        for example in found:
            missing = set(PLACEHOLDER.findall(example.text)) - values.keys()
            assert not missing, f"README: no earlier answer gives {missing}: {example.text}"
            text = PLACEHOLDER.sub(lambda m: values[m.group(1)], example.text)
            if example.caller == "nobody":
                token = None
            else:
                named = re.search(r"\((\S+)\)", example.caller)
                username = named.group(1) if named else example.caller.lower()
                assert username in tokens, f"README: {username} has not logged in yet"
                token = tokens[username]
            body = Api(client, token).post(text)
            assert not body.get("errors") and body.get("data"), (text, body)
            data: dict[str, Any] = body["data"]
            answers.update(data)
            if "login" in data:
                assert "token" in data["login"], (text, data)
                [username] = re.findall(r'login\(username: "([^"]+)"', text)
                tokens[username] = data["login"]["token"]
            if "register" in data:
                [role] = re.findall(r"role: (\w+)", text)
                values[ROLES[role]] = data["register"]["user"]["id"]
            for field, (placeholder, key) in GIVES.items():
                if field in data:
                    values[placeholder] = data[field][key]
    # what the README says of the answers holds
    assert any(w.startswith("interacts with warfarin taken at home (CONTRAINDICATED)")
               for w in answers["prescribeMedication"]["warnings"])
    assert answers["twin"]["patient"]["status"] == "DISCHARGED"
    assert len(answers["provenance"]["entries"][0]["inclusionProof"][0]) == 64, "hex"
