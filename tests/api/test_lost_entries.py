"""A ledger that lost whole entries from its end is refused at start, with every file left as
it was: serving it would hand out seqs the graph believes it has applied, and sign a
checkpoint contradicting the one signed before."""

from __future__ import annotations

import subprocess
from pathlib import Path

from starlette.testclient import TestClient

from api.app import create_app
from tests.api.conftest import ADMIN_PASSWORD, Api, first_admin, make_settings
from tests.api.live import HDT, env_for


def _ward(data_dir: Path) -> list[int]:
    """A stopped server's data: some entries, a signed checkpoint of all of them, and a
    graph that applied them all. Returns the end offset of each entry in entries.log."""
    with TestClient(create_app(make_settings(data_dir))) as client:
        admin = first_admin(client)
        for _ in range(3):
            Api(client).staff(admin, "PHYSICIAN")
        ledger = client.app.state.resources.ledger  # type: ignore[attr-defined]
        return list(ledger._offsets)


def _files(ledger_dir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in ledger_dir.iterdir()
            if p.is_file() and p.name != "lock" and p.stat().st_size}


def _serve(data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([HDT, "serve"], env=env_for(data_dir, HDT_LOG_LEVEL="WARNING"),
                          capture_output=True, text=True, timeout=120)


def test_entries_cut_at_a_record_boundary_refuse_to_serve(data_dir: Path) -> None:
    offsets = _ward(data_dir)
    size = len(offsets) - 1
    ledger_dir = data_dir / "ledger"
    entries = ledger_dir / "entries.log"
    entries.write_bytes(entries.read_bytes()[:offsets[size - 3]])
    before = _files(ledger_dir)
    done = _serve(data_dir)
    assert done.returncode == 2
    line = done.stderr.strip().splitlines()[-1]
    assert line.startswith(
        f"hdt: the ledger holds {size - 3} entries but the latest signed checkpoint covers "
        f"{size}: entries {size - 3}..{size - 1} are missing; restore ")
    assert "hdt restore" in line
    assert _files(ledger_dir) == before  # tree.bin not cut, no checkpoint signed


def test_with_the_checkpoints_and_tree_gone_too_the_graph_names_the_gap(data_dir: Path) -> None:
    offsets = _ward(data_dir)
    size = len(offsets) - 1
    ledger_dir = data_dir / "ledger"
    entries = ledger_dir / "entries.log"
    entries.write_bytes(entries.read_bytes()[:offsets[size - 3]])
    for name in ("checkpoint", "checkpoints.log", "tree.bin"):
        (ledger_dir / name).unlink()
    before = _files(ledger_dir)
    done = _serve(data_dir)
    assert done.returncode == 2
    line = done.stderr.strip().splitlines()[-1]
    assert line.startswith(
        f"hdt: the ledger holds {size - 3} entries but the graph has applied {size}: "
        f"entries {size - 3}..{size - 1} are missing; restore ")
    assert "hdt rebuild --to embedded:///" in line
    assert _files(ledger_dir) == before  # nothing signed over the shorter history


def test_an_operator_who_accepts_the_loss_follows_the_readme(data_dir: Path) -> None:
    """The steps README.md gives ('Entries missing from the ledger'), run as written: the
    server then serves the shorter history, and the next write takes the next free seq."""
    offsets = _ward(data_dir)
    size = len(offsets) - 1
    ledger_dir = data_dir / "ledger"
    entries = ledger_dir / "entries.log"
    entries.write_bytes(entries.read_bytes()[:offsets[size - 3]])
    evidence = data_dir.parent / f"{data_dir.name}-evidence"
    evidence.mkdir()
    for name in ("checkpoint", "checkpoints.log", "tree.bin"):
        (ledger_dir / name).rename(evidence / name)
    assert "the graph has applied" in _serve(data_dir).stderr
    rebuild = subprocess.run(
        [HDT, "rebuild", "--to", f"embedded://{data_dir.resolve()}/graph", "--clear"],
        env=env_for(data_dir), capture_output=True, text=True, timeout=300)
    assert rebuild.returncode == 0, rebuild.stderr
    with TestClient(create_app(make_settings(data_dir))) as client:
        admin = Api(client).login("admin", ADMIN_PASSWORD)
        doctor, _ = Api(client).staff(admin, "PHYSICIAN")  # logs in: the graph has them
        assert doctor.data("{ me { role } }")["me"]["role"] == "PHYSICIAN"
        resources = client.app.state.resources  # type: ignore[attr-defined]
        assert client.portal is not None
        progress = client.portal.call(resources.progress)
        assert resources.ledger.size > size - 3
        assert progress["graph_cursor"] == resources.ledger.size - 1
