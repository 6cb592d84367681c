"""`hdt backup` and `hdt restore`: a backup restored into an empty data directory serves the
same twin under the same signed checkpoint; a backup altered in any file is refused, naming
the file, and leaves the data directory empty."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from api.app import create_app
from api.ops import backup as backups
from api.ops.backup import BackupError
from ledger import Ledger, LedgerError, WrongMasterKey
from ledger.verify import verify_ledger
from tests.api.conftest import ADMIN_PASSWORD, Api, first_admin, make_settings
from tests.api.test_graph_audit import Hospital, audit_now, build_hospital, hdt, resources_of
from tests.api.test_restart import FULL_TWIN
from tests.api.test_story import admit_new_patient

CHECKPOINT = "{ ledgerCheckpoint }"
PATIENTS = "{ patients(first: 50) { totalCount edges { node { id givenName status } } } }"


@dataclass
class BackedUp:
    directory: Path
    hospital: Hospital
    answers: dict[str, Any]
    checkpoint: str
    size: int
    root: bytes


def _answers(admin: Api, hospital: Hospital) -> dict[str, Any]:
    return {"twin": admin.data(FULL_TWIN, {"p": hospital.patient_id}),
            "patients": admin.data(PATIENTS)}


@pytest.fixture(scope="module")
def backed_up(short_tmp: Path) -> BackedUp:
    """A hospital built over the endpoint, the server stopped, then backed up."""
    settings = make_settings(short_tmp / "backup-source")
    with TestClient(create_app(settings)) as client:
        hospital = build_hospital(client)
        admin = Api(client).login("admin", ADMIN_PASSWORD)
        answers = _answers(admin, hospital)
        checkpoint = admin.data(CHECKPOINT)["ledgerCheckpoint"]
        ledger = resources_of(client).ledger
        size, root = ledger.size, ledger.root_hash()
    directory = short_tmp / "backup-made"
    report = backups.backup(settings, directory)
    assert not report.server_running and report.master_key_included
    assert (report.tree_size, report.root_hash, report.checkpoint) == (size, root, checkpoint)
    return BackedUp(directory, hospital, answers, checkpoint, size, root)


def test_a_restored_backup_serves_the_same_twin_and_checkpoint(
    backed_up: BackedUp, short_tmp: Path
) -> None:
    settings = make_settings(short_tmp / "restored")
    report = backups.restore(settings, backed_up.directory)
    assert (report.tree_size, report.root_hash, report.checkpoint) == (
        backed_up.size, backed_up.root, backed_up.checkpoint)
    assert sorted(p.name for p in settings.data_dir.iterdir()) == ["keys", "ledger"]
    with TestClient(create_app(settings)) as client:
        admin = Api(client).login("admin", ADMIN_PASSWORD)
        # Checked before the twin is read: a read is itself recorded (the access history).
        assert admin.data(CHECKPOINT)["ledgerCheckpoint"] == backed_up.checkpoint
        ledger = resources_of(client).ledger
        assert (ledger.size, ledger.root_hash()) == (backed_up.size, backed_up.root)
        assert _answers(admin, backed_up.hospital) == backed_up.answers
        assert audit_now(client, settings.data_dir).ok


def _flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def _and_update_the_manifest(alter: Callable[[Path], None], relative: str
                             ) -> Callable[[Path], None]:
    """Alter a file, then rewrite the manifest to match: only the ledger's own checks
    (or the keys) can tell."""
    def tamper(backup: Path) -> None:
        alter(backup / relative)
        manifest = json.loads((backup / "manifest.json").read_text())
        data = (backup / relative).read_bytes()
        manifest["files"][relative] = {"size": len(data),
                                       "sha256": hashlib.sha256(data).hexdigest()}
        (backup / "manifest.json").write_text(json.dumps(manifest))
    return tamper


TAMPERING: list[tuple[str, Callable[[Path], None], type[Exception], str]] = [
    ("entry changed", lambda b: _flip_a_byte(b / "ledger/entries.log"), BackupError,
     "ledger/entries.log does not match the manifest"),
    ("tree changed", lambda b: _flip_a_byte(b / "ledger/tree.bin"), BackupError,
     "ledger/tree.bin does not match the manifest"),
    ("master key replaced", lambda b: (b / "keys/master.key").write_bytes(os.urandom(32)),
     BackupError, "keys/master.key does not match the manifest"),
    ("data key removed", lambda b: next((b / "ledger/keys/subjects").iterdir()).unlink(),
     BackupError, "ledger/keys/subjects/.* is missing from the backup"),
    ("file added", lambda b: (b / "ledger/entries.log.old").write_bytes(b"x"), BackupError,
     "ledger/entries.log.old is not in the manifest"),
    ("manifest missing", lambda b: (b / "manifest.json").unlink(), BackupError,
     "holds no manifest.json"),
    ("entry changed, manifest too",
     _and_update_the_manifest(_flip_a_byte, "ledger/entries.log"), BackupError,
     "the backup's ledger does not verify: entry \\d+ was altered"),
    ("checkpoint changed, manifest too",
     _and_update_the_manifest(lambda p: p.write_text(p.read_text().replace("\n", "\n\n", 1)),
                              "ledger/checkpoint"), BackupError,
     "the backup's ledger does not verify: the latest checkpoint"),
    ("master key replaced, manifest too",
     _and_update_the_manifest(lambda p: p.write_bytes(os.urandom(32)), "keys/master.key"),
     WrongMasterKey, "the master key does not open"),
]


@pytest.mark.parametrize(("alter", "error", "message"), [t[1:] for t in TAMPERING],
                         ids=[t[0] for t in TAMPERING])
def test_an_altered_backup_is_refused_and_nothing_is_restored(
    backed_up: BackedUp, short_tmp: Path, request: pytest.FixtureRequest,
    alter: Callable[[Path], None], error: type[Exception], message: str,
) -> None:
    name = request.node.callspec.id.replace(" ", "-").replace(",", "")
    copy = short_tmp / f"tampered-{name}"
    shutil.copytree(backed_up.directory, copy)
    alter(copy)
    settings = make_settings(short_tmp / f"restore-{name}")
    with pytest.raises(error, match=message):
        backups.restore(settings, copy)
    assert not settings.data_dir.exists() or list(settings.data_dir.iterdir()) == []


def test_restore_needs_an_empty_data_directory(backed_up: BackedUp, short_tmp: Path) -> None:
    settings = make_settings(short_tmp / "not-empty")
    settings.data_dir.mkdir()
    (settings.data_dir / "notes.txt").write_text("keep me")
    with pytest.raises(BackupError, match=r"not empty \(it holds notes\.txt\): restore needs"):
        backups.restore(settings, backed_up.directory)
    assert [p.name for p in settings.data_dir.iterdir()] == ["notes.txt"]


def test_backup_refuses_a_directory_that_is_not_empty(short_tmp: Path) -> None:
    settings = make_settings(short_tmp / "small-source")
    with TestClient(create_app(settings)):
        pass
    target = short_tmp / "busy-target"
    target.mkdir()
    (target / "other").write_text("x")
    with pytest.raises(BackupError, match="busy-target is not empty"):
        backups.backup(settings, target)


def test_a_backup_while_the_server_runs_is_a_signed_prefix(data_dir: Path, short_tmp: Path
                                                            ) -> None:
    """The copy stops at the latest signed checkpoint; what is appended after it is left to
    the next backup, and the copy restores and verifies on its own."""
    settings = make_settings(data_dir)
    with TestClient(create_app(settings)) as client:
        hospital = build_hospital(client)
        ledger = resources_of(client).ledger
        signed = ledger.checkpoint().tree_size
        admit_new_patient(hospital.doctor)
        report = backups.backup(settings, short_tmp / "online-backup")
        assert report.server_running
        assert signed <= report.tree_size <= ledger.size
        assert ledger.root_hash(report.tree_size) == report.root_hash
    restored = make_settings(short_tmp / "online-restored")
    backups.restore(restored, short_tmp / "online-backup")
    verified = verify_ledger(restored.ledger_dir)
    assert verified.ok and verified.tree_size == report.tree_size


def test_the_copy_of_an_open_ledger_stops_exactly_at_its_latest_checkpoint(short_tmp: Path
                                                                           ) -> None:
    """Entries appended after the latest checkpoint, and the data key first made for them,
    are left out: the backup is the signed tree, whatever a writer does meanwhile."""
    settings = make_settings(short_tmp / "open-ledger")
    with TestClient(create_app(settings)) as client:
        first_admin(client)
    master = (settings.keys_dir / "master.key").read_bytes()
    with Ledger.open(settings.ledger_dir, origin=settings.ledger_origin, master_key=master,
                     checkpoint_interval=0) as ledger:
        signed = ledger.checkpoint()
        for _ in range(5):
            ledger.append_sync("test", "Test", ["later"], b"appended after", "later-subject")
        report = backups.backup(settings, short_tmp / "open-ledger-backup")
        assert report.server_running
        assert (report.tree_size, report.checkpoint) == (signed.tree_size, signed.note)
        assert ledger.size == signed.tree_size + 5
    later_key = hashlib.sha256(b"later-subject").hexdigest()
    files = json.loads((short_tmp / "open-ledger-backup" / "manifest.json").read_text())["files"]
    assert f"ledger/keys/subjects/{later_key}.key" not in files
    assert (settings.ledger_dir / "keys" / "subjects" / f"{later_key}.key").exists()
    restored = backups.restore(make_settings(short_tmp / "open-ledger-restored"),
                               short_tmp / "open-ledger-backup")
    assert restored.tree_size == signed.tree_size


def test_a_backup_made_with_an_external_master_key_needs_it_to_restore(short_tmp: Path) -> None:
    key = base64.b64encode(os.urandom(32)).decode()
    settings = make_settings(short_tmp / "env-key-source", master_key=key)
    with TestClient(create_app(settings)) as client:
        first_admin(client)
    report = backups.backup(settings, short_tmp / "env-key-backup")
    assert not report.master_key_included
    with pytest.raises(BackupError, match="set HDT_MASTER_KEY"):
        backups.restore(make_settings(short_tmp / "env-key-a"), short_tmp / "env-key-backup")
    wrong = base64.b64encode(os.urandom(32)).decode()
    with pytest.raises(LedgerError, match="master key"):
        backups.restore(make_settings(short_tmp / "env-key-b", master_key=wrong),
                        short_tmp / "env-key-backup")
    restored = backups.restore(make_settings(short_tmp / "env-key-c", master_key=key),
                               short_tmp / "env-key-backup")
    assert restored.tree_size == report.tree_size


def test_hdt_backup_and_restore_from_the_command_line(backed_up: BackedUp, short_tmp: Path
                                                      ) -> None:
    made = hdt(short_tmp / "backup-source", "backup", str(short_tmp / "cli-backup"))
    assert made.returncode == 0, made.stdout + made.stderr
    assert f"backed up {backed_up.size} ledger entries" in made.stdout
    assert "keep it as secret" in made.stdout
    done = hdt(short_tmp / "cli-restored", "restore", str(short_tmp / "cli-backup"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"restored {backed_up.size} ledger entries" in done.stdout
    assert verify_ledger(short_tmp / "cli-restored" / "ledger").root_hash == backed_up.root
