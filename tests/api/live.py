"""A real `hdt serve` process for tests that need one: crash, load and operator tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

PASSWORD = "live test passphrase"
HDT = str(Path(sys.executable).with_name("hdt"))
# uvicorn shuts down gracefully on SIGTERM, then re-raises the signal to report how it ended.
CLEAN_EXIT = {0, -signal.SIGTERM}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def env_for(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HDT_")}
    env.update(HDT_DATA_DIR=str(data_dir), HDT_PORT=str(free_port()), **extra)
    return env


def wait_for_health(base: str, proc: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError(f"no /health answer within {timeout} s")



@dataclass
class LiveServer:
    data_dir: Path
    env: dict[str, str]
    proc: subprocess.Popen[bytes] | None = None
    acknowledged: dict[str, int] = field(default_factory=dict)
    log_path: Path | None = None  # where the server's stderr (its whole log) goes

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.env['HDT_PORT']}"

    def start(self) -> None:
        if self.log_path is None:
            self.proc = subprocess.Popen([HDT, "serve"], env=self.env,
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        else:
            with self.log_path.open("ab") as log:
                self.proc = subprocess.Popen([HDT, "serve"], env=self.env,
                                             stdout=subprocess.DEVNULL, stderr=log)
        wait_for_health(self.base, self.proc, timeout=120)

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=60)

    def call(self, token: str | None, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        answer = httpx.post(f"{self.base}/graphql", json={"query": query, "variables": variables},
                            headers=headers, timeout=30)
        body: dict[str, Any] = answer.json()
        assert not body.get("errors"), body
        data: dict[str, Any] = body["data"]
        return data

    def login(self, username: str) -> str:
        data = self.call(None, "mutation($u: String!, $p: String!) { login(username: $u, "
                         "password: $p) { ... on Session { token } } }",
                         {"u": username, "p": PASSWORD})
        return str(data["login"]["token"])


def start_ward(data_dir: Path, log_path: Path | None = None,
               log_level: str = "WARNING", extra_env: dict[str, str] | None = None,
               before_start: Callable[[], None] | None = None) -> LiveServer:
    """A server with an admin (made by `hdt create-admin`) and an active physician
    `dr.live`, both with PASSWORD; its log goes to `log_path` when one is given.
    `before_start` runs once the ledger exists (made by create-admin), before serving."""
    env = env_for(data_dir, HDT_ADMIN_PASSWORD=PASSWORD, HDT_LOG_LEVEL=log_level,
                  **(extra_env or {}))
    subprocess.run([HDT, "create-admin", "--username", "admin", "--display-name", "Admin"],
                   env=env, check=True, capture_output=True)
    if before_start is not None:
        before_start()
    running = LiveServer(data_dir, env, log_path=log_path)
    running.start()
    admin = running.login("admin")
    register = "mutation($i: RegisterInput!) { register(input: $i) { user { id } } }"
    user = running.call(None, register, {"i": {
        "username": "dr.live", "password": PASSWORD, "displayName": "Dr Live",
        "role": "PHYSICIAN", "specialty": "Emergency medicine", "licenceNumber": "MD-9"}})
    running.call(admin, "mutation($id: ID!) { authorizeUser(id: $id) { user { id } } }",
                 {"id": user["register"]["user"]["id"]})
    return running
