"""The witness's rules (C2SP tlog-witness) and cosignatures (tlog-cosignature/v1), on real
keys, real proofs and a real directory."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger.checkpoint import Checkpoint
from ledger.cosignature import (
    CosignatureSigner,
    CosignatureVerifier,
    add_signatures,
    cosignatures,
)
from ledger.errors import InvalidKey, LedgerCorrupted
from ledger.merkle import consistency_proof, root
from ledger.note import NoteSigner
from ledger.witness import (
    AddCheckpoint,
    BadProof,
    BadRequest,
    BadSignature,
    Conflict,
    UnknownLog,
    Witness,
)

ORIGIN = "hospital-a.example/ledger"
LOG = NoteSigner(ORIGIN, Ed25519PrivateKey.from_private_bytes(bytes(range(32))))
LEAVES = [b"entry %d" % i for i in range(50)]


def signed(size: int, leaves: list[bytes] = LEAVES, signer: NoteSigner = LOG) -> str:
    return signer.sign(Checkpoint(signer.name, size, root(leaves[:size])).body())


def request(old: int, size: int, leaves: list[bytes] = LEAVES) -> AddCheckpoint:
    proof = consistency_proof(leaves[:size], old) if old else []
    return AddCheckpoint(old, tuple(proof), signed(size, leaves))


@pytest.fixture
def witness(tmp_path: Path) -> Witness:
    return Witness(tmp_path / "w", "witness.example/w1", [LOG.verifier])


def test_a_cosignature_verifies_under_its_key_text_and_nothing_else() -> None:
    signer = CosignatureSigner("witness.example/w1", Ed25519PrivateKey.generate())
    verifier = CosignatureVerifier.from_key_text(signer.verifier.key_text())
    note = signed(7)
    cosigned = add_signatures(note, [signer.cosign(note[: note.index("\n\n") + 1], 1_800_000_000)])
    assert [(c.witness, c.timestamp) for c in cosignatures(cosigned, [verifier])] == [
        ("witness.example/w1", 1_800_000_000)]
    other = CosignatureSigner("witness.example/w1", Ed25519PrivateKey.generate()).verifier
    assert cosignatures(cosigned, [other]) == []
    forged = cosigned.replace("\n7\n", "\n8\n")
    assert cosignatures(forged, [verifier]) == []
    with pytest.raises(InvalidKey):  # a log's note key is not a cosignature key
        CosignatureVerifier.from_key_text(LOG.verifier.key_text())


def test_the_witness_cosigns_a_log_that_grows_and_says_what_it_holds(witness: Witness) -> None:
    verifier = witness.signer.verifier
    for old, size in ((0, 3), (3, 10), (10, 10), (10, 31)):
        line = witness.add_checkpoint(request(old, size))
        assert len(cosignatures(add_signatures(signed(size), [line]), [verifier])) == 1
    assert witness.latest(ORIGIN).tree_size == 31
    with pytest.raises(Conflict) as conflict:
        witness.add_checkpoint(request(10, 40))
    assert (conflict.value.known, conflict.value.status) == (31, 409)


def test_what_was_cosigned_is_kept_across_a_restart_and_a_torn_last_line(
    tmp_path: Path,
) -> None:
    first = Witness(tmp_path / "w", "witness.example/w1", [LOG.verifier])
    first.add_checkpoint(request(0, 5))
    first.add_checkpoint(request(5, 9))
    first.close()
    with (tmp_path / "w" / "cosigned.log").open("ab") as f:
        f.write(b"hospital-a.example/ledger 12 AAAA")  # a crash mid-write: never answered
    again = Witness(tmp_path / "w", "witness.example/w1", [LOG.verifier])
    assert again.latest(ORIGIN).tree_size == 9
    assert again.latest(ORIGIN).root_hash == root(LEAVES[:9])
    assert again.signer.verifier == first.signer.verifier
    again.add_checkpoint(request(9, 12))
    again.close()


def test_a_history_that_goes_back_refuses_to_start(tmp_path: Path) -> None:
    directory = tmp_path / "w"
    witness = Witness(directory, "witness.example/w1", [LOG.verifier])
    witness.add_checkpoint(request(0, 5))
    witness.close()
    lines = (directory / "cosigned.log").read_text()
    (directory / "cosigned.log").write_text(lines + lines.replace(" 5 ", " 4 "))
    with pytest.raises(LedgerCorrupted):
        Witness(directory, "witness.example/w1", [LOG.verifier])


def test_a_fork_is_refused_at_the_same_size_and_beyond(witness: Witness) -> None:
    fork = [*LEAVES[:4], b"rewritten", *LEAVES[5:]]
    witness.add_checkpoint(request(0, 10))
    with pytest.raises(BadProof):  # same size, another root
        witness.add_checkpoint(AddCheckpoint(10, (), signed(10, fork)))
    with pytest.raises(BadProof):  # the fork's own proof from 10 does not match the root held
        witness.add_checkpoint(request(10, 20, fork))
    assert witness.latest(ORIGIN).root_hash == root(LEAVES[:10])


def test_two_forks_racing_from_one_size_get_one_cosignature_between_them(
    witness: Witness,
) -> None:
    fork = [*LEAVES[:12], b"rewritten", *LEAVES[13:]]
    witness.add_checkpoint(request(0, 10))
    results: list[str] = []
    barrier = threading.Barrier(2)

    def submit(leaves: list[bytes]) -> None:
        barrier.wait()
        try:
            witness.add_checkpoint(request(10, 20, leaves))
            results.append("cosigned")
        except (Conflict, BadProof) as exc:
            results.append(type(exc).__name__)

    threads = [threading.Thread(target=submit, args=(x,)) for x in (LEAVES, fork)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["Conflict", "cosigned"]


@pytest.mark.parametrize(("body", "refusal"), [
    (b"old 0\n", BadRequest),
    (b"new 0\n\n" + signed(3).encode(), BadRequest),
    (b"old 01\n\n" + signed(3).encode(), BadRequest),
    (b"old 0\nnot base64!\n\n" + signed(3).encode(), BadRequest),
    (b"old 0\nAAAA\n\n" + signed(3).encode(), BadRequest),
    (b"old 0\n" + b"A" * 43 + b"=\n" + b"\n" * 0 + b"\n" + signed(3).encode(), BadProof),
    (b"old 4\n\n" + signed(3).encode(), BadRequest),
    (b"old 0\n\n" + signed(3).replace("\n3\n", "\n4\n").encode(), BadSignature),
    (b"old 0\n\n" + signed(3, signer=NoteSigner(ORIGIN, Ed25519PrivateKey.generate())).encode(),
     BadSignature),
    (b"old 0\n\n" + signed(3, signer=NoteSigner("other.example/log",
                                                 Ed25519PrivateKey.generate())).encode(),
     UnknownLog),
    (b"old 0\n\n" + LOG.sign(Checkpoint(ORIGIN, 0, bytes(32)).body()).encode(), BadProof),
])
def test_a_request_the_spec_refuses_gets_its_status(
    witness: Witness, body: bytes, refusal: type[Exception]
) -> None:
    with pytest.raises(refusal):
        witness.add_checkpoint(AddCheckpoint.parse(body))
    assert witness.latest(ORIGIN).tree_size == 0
