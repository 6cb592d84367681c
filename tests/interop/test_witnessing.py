"""HDT's witness client against real witnesses (litewitness, torchwood v0.6.1): cosigned
checkpoints published and verified offline, a stalled witness that blocks nothing, and a
split view (two servers, one key, two histories) caught."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from ledger.checkpoint import SignedCheckpoint
from tests.api.live import HDT, LiveServer, free_port, start_ward
from tests.interop.conftest import Ward
from tests.interop.litewitness import LiteWitness

AUDIT = """{ cosignedCheckpoint { treeSize quorum cosignatures { witness key timestamp } }
  witnesses { name lagEntries lastError } }"""


def new_ward(data_dir: Path, register_with: list[LiteWitness],
             witness_configs: list[dict[str, str]], quorum: int, **extra: str) -> Ward:
    """A ward whose ledger (made by create-admin) is registered with the litewitnesses in
    `register_with` before it starts, with the witnesses of `witness_configs` configured."""
    env = {"HDT_WITNESSES": json.dumps(witness_configs), "HDT_WITNESS_QUORUM": str(quorum),
           "HDT_CHECKPOINT_INTERVAL": "0.2", **extra}

    def register() -> None:
        key = (data_dir / "ledger" / "keys" / "signing.pub").read_text().strip()
        for w in register_with:
            w.register(key)

    return Ward(start_ward(data_dir, log_path=data_dir.with_suffix(".log"), extra_env=env,
                           before_start=register))


def eventually(check: Callable[[], Any], what: str, timeout: float = 60,
               pause: float = 0.1) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        assert time.monotonic() < deadline, f"never: {what}"
        time.sleep(pause)


def progress(ward: Ward) -> dict[str, Any]:
    answer: dict[str, Any] = httpx.get(f"{ward.base}/ready").json()["progress"]
    return answer


def cosigned_size(ward: Ward) -> int:
    answer = httpx.get(f"{ward.base}/ledger/cosigned-checkpoint")
    return SignedCheckpoint.of(answer.text).tree_size if answer.status_code == 200 else -1


def verify(ward: Ward, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([HDT, "ledger", "verify", str(ward.ledger_dir),
                           "--public-key", str(ward.ledger_dir / "keys" / "signing.pub"),
                           *args], capture_output=True, text=True)


def test_two_litewitnesses_cosign_and_the_ledger_verifies_offline_with_their_keys(
    witnesses: list[LiteWitness], short_tmp: Path
) -> None:
    ward = new_ward(short_tmp / "cosigned", witnesses, [w.config() for w in witnesses], 2)
    try:
        seqs = ward.write(30)
        size = max(seqs) + 1
        eventually(lambda: cosigned_size(ward) >= size, "a checkpoint cosigned by both")
        status = eventually(lambda: all(
            w["lag_entries"] == 0 for w in progress(ward)["witnessing"]["witnesses"].values())
            and progress(ward)["witnessing"], "both witnesses caught up")
        assert status["quorum"] == 2
        assert set(status["witnesses"]) == {"witness.test/w1", "witness.test/w2"}
        note = httpx.get(f"{ward.base}/ledger/cosigned-checkpoint").text
        assert note.count("\n— witness.test/w") == 2
        metrics = httpx.get(f"{ward.base}/metrics").text
        assert 'hdt_witness_lag_entries{witness="witness.test/w1"} 0.0' in metrics
        for w in witnesses:  # what litewitness itself recorded as cosigned
            assert w.cosigned(ward.ledger_origin)[0] >= size
        admin = ward.server.login("admin")
        audit = ward.server.call(admin, AUDIT, {})
        assert audit["cosignedCheckpoint"]["treeSize"] >= size
        assert audit["cosignedCheckpoint"]["quorum"] == 2
        assert sorted((c["witness"], c["key"]) for c in audit["cosignedCheckpoint"][
            "cosignatures"]) == sorted((w.name, w.vkey) for w in witnesses)
        assert [w["lagEntries"] for w in audit["witnesses"]] == [0, 0]
    finally:
        ward.server.stop()
    keys = [arg for w in witnesses for arg in ("--witness", w.vkey)]
    ok = verify(ward, *keys, "--min-cosignatures", "2")
    assert ok.returncode == 0, ok.stderr
    assert "cosigned by 2 of 2 witness(es)" in ok.stdout
    one = verify(ward, "--witness", witnesses[0].vkey, "--min-cosignatures", "2")
    assert one.returncode == 2 and "needs at least that many" in one.stderr
    strangers = ["--witness", _stranger_key(), "--witness", witnesses[0].vkey]
    refused = verify(ward, *strangers, "--min-cosignatures", "2")
    assert refused.returncode == 1, refused.stdout
    assert "1 valid cosignature(s)" in refused.stderr


def _stranger_key() -> str:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from ledger.cosignature import CosignatureSigner
    return CosignatureSigner("witness.test/w2", Ed25519PrivateKey.generate()).verifier.key_text()


class StalledWitness:
    """Accepts connections and never answers: a witness hung mid-request."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.held: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def close(self) -> None:
        self.sock.close()
        for conn in self.held:
            conn.close()


def test_a_stalled_witness_blocks_no_write_and_its_lag_is_reported(
    witnesses: list[LiteWitness], short_tmp: Path
) -> None:
    stalled = StalledWitness()
    live = witnesses[0]
    configs = [live.config(), {"name": "witness.test/stalled", "url": stalled.url,
                               "key": witnesses[1].vkey}]
    ward = new_ward(short_tmp / "stalled", [live], configs, 1,
                    HDT_WITNESS_TIMEOUT_SECONDS="1")
    try:
        seqs = ward.write(60)
        assert sorted(seqs) == list(range(min(seqs), max(seqs) + 1))
        size = max(seqs) + 1
        eventually(lambda: cosigned_size(ward) >= size, "the live witness's cosignature")
        report = eventually(lambda: (s := progress(ward)["witnessing"]["witnesses"])
                            ["witness.test/stalled"]["last_error"] and s, "a timeout")
        assert report["witness.test/w1"]["lag_entries"] == 0
        assert report["witness.test/stalled"]["cosigned_size"] == 0
        assert report["witness.test/stalled"]["lag_entries"] >= size
        assert "Timeout" in report["witness.test/stalled"]["last_error"]
        metrics = httpx.get(f"{ward.base}/metrics").text
        assert f'hdt_witness_lag_entries{{witness="witness.test/stalled"}} {float(size)}' in \
            metrics
    finally:
        ward.server.stop()
        stalled.close()


def test_two_servers_with_one_key_and_two_histories_are_caught_by_the_witness(
    witnesses: list[LiteWitness], short_tmp: Path
) -> None:
    witness = witnesses[0]
    configs = [witness.config()]
    a = new_ward(short_tmp / "split-a", [witness], configs, 1)
    a.write(5)
    a.server.stop()
    # B: a copy of A (same keys, same history so far); then each goes its own way.
    shutil.copytree(a.server.data_dir, short_tmp / "split-b", symlinks=True,
                    ignore=shutil.ignore_patterns("*.sock", "lock"))
    b_env = {**a.server.env, "HDT_DATA_DIR": str(short_tmp / "split-b"),
             "HDT_PORT": str(free_port())}
    b_server = LiveServer(short_tmp / "split-b", b_env)
    a.server.start()
    size_a = max(a.write(20)) + 1
    eventually(lambda: cosigned_size(a) >= size_a, "A cosigned")
    b_server.start()
    b = Ward(b_server)
    try:
        size_b = max(b.write(40)) + 1
        assert size_b > size_a
        error = eventually(lambda: progress(b)["witnessing"]["witnesses"]["witness.test/w1"]
                           ["last_error"], "the witness refusing B")
        assert "422" in error or "another history" in error
        assert cosigned_size(b) < size_a  # B's own trees were never cosigned past the fork
        held_size, held_root = witness.cosigned(a.ledger_origin)
        a_note = httpx.get(f"{a.base}/ledger/cosigned-checkpoint").text
        assert (held_size, held_root) == (SignedCheckpoint.of(a_note).tree_size,
                                          a_note.split("\n")[2])
    finally:
        b_server.stop()
        a.server.stop()


def test_a_witness_that_goes_down_blocks_no_write_and_catches_up_when_back(
    witnesses: list[LiteWitness], short_tmp: Path
) -> None:
    witness = witnesses[0]
    ward = new_ward(short_tmp / "down", [witness], [witness.config()], 1)
    try:
        first = max(ward.write(5)) + 1
        eventually(lambda: cosigned_size(ward) >= first, "the first cosignature")
        witness.stop()
        seqs = ward.write(40)
        assert sorted(seqs) == list(range(first, first + 40))  # every write acknowledged
        down = eventually(lambda: (w := progress(ward)["witnessing"]["witnesses"]
                                   ["witness.test/w1"])["last_error"] and w, "the failure seen")
        assert down["lag_entries"] > 0 and down["cosigned_size"] < first + 40
        assert cosigned_size(ward) < first + 40
        witness.start()
        eventually(lambda: cosigned_size(ward) >= first + 40, "the catch-up", 90)
        back = progress(ward)["witnessing"]["witnesses"]["witness.test/w1"]
        assert (back["lag_entries"], back["last_error"]) == (0, None)
        assert witness.cosigned(ward.ledger_origin)[0] == first + 40
    finally:
        ward.server.stop()
