"""The browser's entry-bytes tests read entries the Python writer made: the committed fixture
must be exactly what `tests/ledger/entry_fixture.py` writes today, and real entries."""

from __future__ import annotations

import base64

from ledger import entry as fmt
from ledger.rfc6962 import leaf_hash
from tests.ledger import entry_fixture


def test_the_committed_fixture_is_what_the_writer_encodes_today() -> None:
    on_disk = entry_fixture.FIXTURE.read_text(encoding="utf-8")
    assert on_disk == entry_fixture.render(), (
        "web/src/auditor/verify/fixtures/entries.json is stale: run "
        "`.venv/bin/python -m tests.ledger.entry_fixture`")


def test_the_fixture_entries_decode_as_ledger_entries_and_chain() -> None:
    prev = fmt.GENESIS_PREV
    for meta in entry_fixture.entries():
        data = base64.b64decode(meta["entryBytes"], validate=True)
        entry = fmt.decode(data, leaf_hash(data))
        assert fmt.encode(entry) == data
        assert (entry.seq, entry.time, entry.actor, entry.action, list(entry.subjects),
                entry.key_subject, entry.prev_hash) == (
            meta["seq"], meta["time"], meta["actor"], meta["action"], meta["subjects"],
            meta["keySubject"], prev)
        assert b"Synth" not in data
        prev = entry.entry_hash
