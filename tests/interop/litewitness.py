"""A real witness for the tests: litewitness (filippo.io/torchwood v0.6.1), signing through
an ssh-agent holding an Ed25519 key, with logs registered the way its witnessctl does."""

from __future__ import annotations

import base64
import hashlib
import re
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from tests.api.live import free_port

VERSION = "v0.6.1"


def install() -> Path:
    """`go install` litewitness into the default GOPATH (fast once its caches hold it)."""
    subprocess.run(["go", "install", f"filippo.io/torchwood/cmd/litewitness@{VERSION}"],
                   check=True, capture_output=True)
    gopath = subprocess.run(["go", "env", "GOPATH"], check=True, capture_output=True,
                            text=True).stdout.strip()
    return Path(gopath) / "bin" / "litewitness"


class LiteWitness:
    def __init__(self, binary: Path, directory: Path, name: str) -> None:
        self.binary, self.directory, self.name = binary, directory, name
        directory.mkdir(parents=True, exist_ok=True)
        self.db = directory / "litewitness.db"
        self.agent_sock = directory / "agent.sock"
        self.port = free_port()
        self.vkey = ""
        self._agent: subprocess.Popen[bytes] | None = None
        self.proc: subprocess.Popen[bytes] | None = None
        self._fingerprint = ""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        if self._agent is None:
            self._agent = subprocess.Popen(["ssh-agent", "-D", "-a", str(self.agent_sock)],
                                           stdout=subprocess.DEVNULL,
                                           stderr=subprocess.DEVNULL)
            _wait_for(self.agent_sock.exists, "ssh-agent")
            key = self.directory / "id_ed25519"
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)],
                           check=True)
            subprocess.run(["ssh-add", str(key)], check=True, capture_output=True,
                           env={"SSH_AUTH_SOCK": str(self.agent_sock)})
            listed = subprocess.run(["ssh-keygen", "-l", "-E", "sha256", "-f", f"{key}.pub"],
                                    check=True, capture_output=True, text=True).stdout
            self._fingerprint = listed.split()[1]
        log = (self.directory / "litewitness.log").open("ab")
        self.proc = subprocess.Popen(
            [str(self.binary), "-db", str(self.db), "-name", self.name, "-key",
             self._fingerprint, "-ssh-agent", str(self.agent_sock), "-listen",
             f"127.0.0.1:{self.port}"], stdout=log, stderr=log)

        def up() -> bool:
            assert self.proc is not None and self.proc.poll() is None, self.log()
            try:
                httpx.get(self.url, timeout=1)
            except httpx.TransportError:
                return False
            return True

        _wait_for(up, "litewitness")
        found = re.search(r"vkey=(\S+)", self.log())
        assert found, self.log()
        self.vkey = found.group(1)

    def log(self) -> str:
        path = self.directory / "litewitness.log"
        return path.read_text() if path.exists() else ""

    def register(self, log_key: str) -> None:
        """Witness the log of note verifier key `log_key` (its name is the origin)."""
        origin = log_key.split("+", 1)[0]
        empty = base64.b64encode(hashlib.sha256(b"").digest()).decode()
        with sqlite3.connect(self.db) as db:
            db.execute("INSERT INTO log (origin, tree_size, tree_hash) VALUES (?, 0, ?)",
                       (origin, empty))
            db.execute("INSERT INTO key (origin, key) VALUES (?, ?)", (origin, log_key))

    def cosigned(self, origin: str) -> tuple[int, str]:
        with sqlite3.connect(self.db) as db:
            row = db.execute("SELECT tree_size, tree_hash FROM log WHERE origin = ?",
                             (origin,)).fetchone()
        return int(row[0]), str(row[1])

    def config(self) -> dict[str, str]:
        """This witness as HDT's settings name one."""
        return {"name": self.name, "url": self.url, "key": self.vkey}

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def close(self) -> None:
        self.stop()
        if self._agent is not None:
            self._agent.terminate()
            self._agent.wait()
            self._agent = None


def _wait_for(ready: Callable[[], bool], what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        assert time.monotonic() < deadline, f"{what} did not start"
        time.sleep(0.05)
