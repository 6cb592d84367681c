"""Cosigned checkpoints kept beside the ledger, and `hdt ledger verify --witness …
--min-cosignatures K` refusing one with fewer valid cosignatures."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from typer.testing import CliRunner

from ledger.checkpoint import read_latest
from ledger.cli import app
from ledger.cosignature import CosignatureSigner, add_signatures
from ledger.cosigned import COSIGNED, publish_cosigned, read_cosigned
from tests.ledger.conftest import MakeLedger, fill

runner = CliRunner()
W1 = CosignatureSigner("witness.example/w1", Ed25519PrivateKey.generate())
W2 = CosignatureSigner("witness.example/w2", Ed25519PrivateKey.generate())


def cosign(note: str, *witnesses: CosignatureSigner) -> str:
    text = note[: note.index("\n\n") + 1]
    return add_signatures(note, [w.cosign(text) for w in witnesses])


@pytest.fixture
def ledger_dir(open_ledger: MakeLedger, tmp_path: Path) -> Path:
    led = open_ledger()
    fill(led, 10)
    led.close()
    return tmp_path / "ledger"


def verify(ledger_dir: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["verify", str(ledger_dir), *args])
    return result.exit_code, result.stdout, result.stderr


def keys(*witnesses: CosignatureSigner) -> list[str]:
    return [a for w in witnesses for a in ("--witness", w.verifier.key_text())]


def test_k_valid_cosignatures_pass_and_fewer_fail(ledger_dir: Path) -> None:
    note = read_latest(ledger_dir)
    assert note is not None
    assert publish_cosigned(ledger_dir, cosign(note, W1))
    code, _, err = verify(ledger_dir, *keys(W1, W2), "--min-cosignatures", "2")
    assert code == 1 and "1 valid cosignature(s) (witness.example/w1)" in err
    (ledger_dir / COSIGNED).write_text(cosign(note, W1, W2))
    code, out, _ = verify(ledger_dir, *keys(W1, W2), "--min-cosignatures", "2")
    assert code == 0 and "cosigned by 2 of 2 witness(es)" in out


def test_a_cosignature_by_a_key_not_given_counts_for_nothing(ledger_dir: Path) -> None:
    note = read_latest(ledger_dir)
    assert note is not None
    impostor = CosignatureSigner("witness.example/w2", Ed25519PrivateKey.generate())
    (ledger_dir / COSIGNED).write_text(cosign(note, W1, impostor))
    code, _, err = verify(ledger_dir, *keys(W1, W2), "--min-cosignatures", "2")
    assert code == 1 and "1 valid cosignature(s)" in err


def test_a_cosigned_checkpoint_the_log_did_not_sign_fails(ledger_dir: Path) -> None:
    note = read_latest(ledger_dir)
    assert note is not None
    forged = note.replace("\n10\n", "\n11\n")
    (ledger_dir / COSIGNED).write_text(cosign(forged, W1, W2))
    code, _, err = verify(ledger_dir, *keys(W1, W2), "--min-cosignatures", "2")
    assert code == 1 and "FAILED" in err


def test_asking_for_cosignatures_without_a_cosigned_checkpoint_or_keys_is_an_error(
    ledger_dir: Path,
) -> None:
    code, _, err = verify(ledger_dir, *keys(W1), "--min-cosignatures", "1")
    assert code == 2 and COSIGNED in err
    code, _, err = verify(ledger_dir, *keys(W1), "--min-cosignatures", "2")
    assert code == 2 and "needs at least that many --witness keys" in err
    code, _, err = verify(ledger_dir, "--witness", "not a key", "--min-cosignatures", "1")
    assert code == 2 and "--witness" in err


def test_the_kept_cosigned_checkpoint_never_goes_back_and_gains_cosignatures(
    open_ledger: MakeLedger,
) -> None:
    led = open_ledger()
    fill(led, 3)
    small = led.checkpoint().note
    fill(led, 3)
    large = led.checkpoint().note
    kept = cosign(large, W1)
    assert publish_cosigned(led.path, kept)
    assert not publish_cosigned(led.path, cosign(small, W1, W2))
    assert read_cosigned(led.path) == kept
    more = cosign(large, W1, W2)  # the same tree, a later cosignature: kept with it
    assert publish_cosigned(led.path, more)
    assert not publish_cosigned(led.path, kept)
    assert read_cosigned(led.path) == more
