"""HDT's own witness (`hdt witness serve`) driven by a Go log built on golang.org/x/mod's note
and tlog packages; transparency-dev/formats verifies the cosignatures it returns."""

from __future__ import annotations

import base64
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger.checkpoint import Checkpoint
from ledger.note import NoteSigner
from ledger.witness import AddCheckpoint
from tests.api.live import HDT, free_port
from tests.interop.conftest import run_go


def genkey(interop: Path, name: str) -> tuple[str, str]:
    lines = subprocess.run([str(interop), "genkey", "-name", name], capture_output=True,
                           text=True, check=True).stdout.split()
    return lines[0], lines[1]


class WitnessProcess:
    def __init__(self, directory: Path, log_keys: list[str]) -> None:
        self.directory, self.log_keys = directory, log_keys
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def vkey(self) -> str:
        return subprocess.run([HDT, "witness", "key", "--dir", str(self.directory), "--name",
                               "witness.test/w1"], capture_output=True, text=True,
                              check=True).stdout.strip()

    def start(self) -> None:
        args = [HDT, "witness", "serve", "--dir", str(self.directory), "--name",
                "witness.test/w1", "--port", str(self.port), "--log-level", "WARNING"]
        for key in self.log_keys:
            args += ["--log", key]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while True:
            assert self.proc.poll() is None, self.proc.stderr.read() if self.proc.stderr else ""
            try:
                httpx.get(self.url, timeout=1)
                return
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the witness did not start"
                time.sleep(0.1)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=30)


@pytest.fixture
def go_log(interop: Path, tmp_path: Path) -> Iterator[tuple[WitnessProcess, str, str]]:
    skey, vkey = genkey(interop, "example.test/go-log")
    witness = WitnessProcess(tmp_path / "witness", [vkey])
    witness.start()
    yield witness, skey, vkey
    witness.stop()


def test_hdts_witness_cosigns_a_go_log_and_refuses_what_the_spec_refuses(
    go_log: tuple[WitnessProcess, str, str], interop: Path
) -> None:
    witness, skey, _ = go_log
    answer = run_go(interop, "witness", "-url", witness.url, "-log-skey", skey,
                    "-witness-vkey", witness.vkey())
    assert answer["cosigned_sizes"] == [3, 8, 13, 20]
    assert answer["conflict_body"] == "20\n"
    assert answer["final_size"] == 30
    assert all(stamp > 1_700_000_000 for stamp in answer["timestamps"])


def test_what_the_witness_cosigned_survives_a_restart(
    go_log: tuple[WitnessProcess, str, str], interop: Path
) -> None:
    witness, skey, _ = go_log
    run_go(interop, "witness", "-url", witness.url, "-log-skey", skey,
           "-witness-vkey", witness.vkey())
    witness.stop()
    witness.start()
    # Starting over from 0 is refused with 409: the witness still holds size 30.
    log = signer_of(skey)
    note = log.sign(Checkpoint("example.test/go-log", 5, bytes(32)).body())
    answer = httpx.post(f"{witness.url}/add-checkpoint", content=AddCheckpoint(0, (), note).body())
    assert (answer.status_code, answer.text) == (409, "30\n")
    assert answer.headers["content-type"] == "text/x.tlog.size"


def signer_of(skey: str) -> NoteSigner:
    """A note signer from x/mod's signer key text PRIVATE+KEY+name+hash+base64(0x01||seed)."""
    _, _, name, _, blob = skey.split("+", 4)
    return NoteSigner(name, Ed25519PrivateKey.from_private_bytes(base64.b64decode(blob)[1:]))
