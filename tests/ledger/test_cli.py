"""The `hdt ledger` CLI on a copy of the files: clear verdicts, JSON proofs, one-line errors."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ledger import merkle
from ledger.checkpoint import open_checkpoint
from ledger.cli import app
from ledger.note import NoteVerifier
from tests.ledger.conftest import MakeLedger, fill

runner = CliRunner()


@pytest.fixture
def ledger_dir(open_ledger: MakeLedger, tmp_path: Path) -> Path:
    led = open_ledger()
    fill(led, 10)
    led.close()
    return tmp_path / "ledger"


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_verify_says_yes_with_size_and_root(ledger_dir: Path) -> None:
    code, out, _ = run("verify", str(ledger_dir))
    assert code == 0
    assert out.startswith("OK ledger verified: 10 entries, tree size 10, root ")


def test_verify_with_a_public_key_file_and_a_held_checkpoint(ledger_dir: Path,
                                                             tmp_path: Path) -> None:
    held = tmp_path / "held.note"
    held.write_text((ledger_dir / "checkpoint").read_text())
    for flag in ([], ["--pem"]):
        key = tmp_path / "key"
        key.write_text(run("public-key", str(ledger_dir), *flag)[1])
        code, out, _ = run("verify", str(ledger_dir), "--public-key", str(key),
                           "--checkpoint", str(held))
        assert code == 0 and "OK" in out and "note:" not in out


def test_verify_of_an_altered_entry_fails_naming_it(ledger_dir: Path) -> None:
    data = bytearray((ledger_dir / "entries.log").read_bytes())
    data[len(data) // 2] ^= 0x04
    (ledger_dir / "entries.log").write_bytes(bytes(data))
    code, _, err = run("verify", str(ledger_dir))
    assert code == 1
    assert "verification FAILED: entry " in err and " was altered" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("setup", "expect"),
    [
        ("missing", "holds no ledger"),
        ("cut", "cut short"),
        ("wrong-key", "does not verify"),
        ("garbage-key", "not a note verifier key"),
        ("no-key-file", "cannot read public key"),
    ],
)
def test_bad_input_gives_one_clear_line(
    ledger_dir: Path, tmp_path: Path, setup: str, expect: str
) -> None:
    target, extra = ledger_dir, []
    if setup == "missing":
        target = tmp_path / "nowhere"
    elif setup == "cut":
        data = (ledger_dir / "entries.log").read_bytes()
        (ledger_dir / "entries.log").write_bytes(data[:-5])
    elif setup == "wrong-key":
        key = tmp_path / "k"
        key.write_text(NoteVerifier("hdt.local/ledger", bytes(32)).key_text())
        extra = ["--public-key", str(key)]
    elif setup == "garbage-key":
        key = tmp_path / "k"
        key.write_text("garbage")
        extra = ["--public-key", str(key)]
    elif setup == "no-key-file":
        extra = ["--public-key", str(tmp_path / "absent")]
    code, out, err = run("verify", str(target), *extra)
    assert code != 0
    lines = err.strip().splitlines()
    assert len(lines) == 1 and expect in lines[0], err
    assert "Traceback" not in out + err


def test_prove_prints_a_proof_that_verifies_against_the_checkpoint(ledger_dir: Path) -> None:
    code, out, _ = run("prove", str(ledger_dir), "3")
    assert code == 0
    proof = json.loads(out)
    key = NoteVerifier.from_key_text(run("public-key", str(ledger_dir))[1])
    head = open_checkpoint(run("checkpoint", str(ledger_dir))[1], key)
    assert (proof["tree_size"], base64.b64decode(proof["root_hash"])) == (10, head.root_hash)
    assert merkle.verify_inclusion(
        base64.b64decode(proof["leaf_hash"]), proof["leaf_index"], proof["tree_size"],
        [base64.b64decode(p) for p in proof["inclusion_proof"]], head.root_hash)
    code, out, _ = run("prove", str(ledger_dir), "3", "--size", "5")
    assert code == 0 and json.loads(out)["tree_size"] == 5


def test_consistency_prints_a_proof_that_verifies(ledger_dir: Path) -> None:
    code, out, _ = run("consistency", str(ledger_dir), "4", "10")
    assert code == 0
    doc = json.loads(out)
    assert merkle.verify_consistency(
        doc["old_size"], doc["new_size"], base64.b64decode(doc["old_root"]),
        base64.b64decode(doc["new_root"]), [base64.b64decode(p) for p in
                                            doc["consistency_proof"]])


@pytest.mark.parametrize("args", [("prove", "10"), ("prove", "2", "--size", "11"),
                                  ("consistency", "5", "4"), ("consistency", "1", "11")])
def test_proofs_outside_the_ledger_are_one_line_errors(ledger_dir: Path,
                                                       args: tuple[str, ...]) -> None:
    code, _, err = run(args[0], str(ledger_dir), *args[1:])
    assert code == 2 and len(err.strip().splitlines()) == 1


def test_python_dash_m_ledger_runs_the_same_app(ledger_dir: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "ledger", "verify", str(ledger_dir)],
                          capture_output=True, text=True, timeout=60,
                          cwd=Path(__file__).parents[2])
    assert done.returncode == 0 and done.stdout.startswith("OK ledger verified: 10 entries")


def test_verify_tree_size_checks_a_prefix_past_a_half_written_entry(ledger_dir: Path) -> None:
    with (ledger_dir / "entries.log").open("ab") as f:
        f.write(b"\x00\x00\x01\x00\x12")  # a frame header being written
    assert run("verify", str(ledger_dir))[0] == 1
    code, out, _ = run("verify", str(ledger_dir), "--tree-size", "10")
    assert code == 0 and out.startswith("OK ledger verified: the first 10 entries, tree size 10")
    code, out, _ = run("verify", str(ledger_dir), "--tree-size", "4")
    assert code == 0 and "the first 4 entries" in out
    code, _, err = run("verify", str(ledger_dir), "--tree-size", "11")
    assert code == 1 and "ends in the middle of entry 10" in err
    code, out, err = run("verify", str(ledger_dir), "--tree-size", "-1")
    assert code == 2 and "Traceback" not in out + err
