"""Canonical entry bytes: RFC 8785 exactly, stable, and read back to the same values."""

from __future__ import annotations

import dataclasses
import json

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger import entry as fmt
from ledger.entry import LedgerEntry
from ledger.merkle import leaf_hash

text = st.text(max_size=20)
digests = st.binary(min_size=32, max_size=32)


@st.composite
def entries(draw: st.DrawFn) -> LedgerEntry:
    return LedgerEntry(
        seq=draw(st.integers(0, 2**53 - 1)),
        time=fmt.format_time(draw(st.integers(0, 253402300799999))),
        actor=draw(text),
        action=draw(text),
        subjects=tuple(draw(st.lists(text, max_size=4))),
        prev_hash=draw(digests),
        key_subject=draw(text.filter(bool)),
        nonce=draw(st.binary(min_size=12, max_size=12)),
        ciphertext=draw(st.binary(max_size=64)),
        entry_hash=b"",
    )


def as_object(e: LedgerEntry) -> dict[str, object]:
    return {
        "chain": {"prev": fmt.b64(e.prev_hash), "seq": e.seq, "time": e.time},
        "event": {"action": e.action, "actor": e.actor, "key_subject": e.key_subject,
                  "subjects": list(e.subjects)},
        "payload": {"ciphertext": fmt.b64(e.ciphertext), "nonce": fmt.b64(e.nonce)},
    }


@settings(max_examples=300)
@given(entries())
def test_entry_bytes_are_rfc8785_of_the_whole_entry(e: LedgerEntry) -> None:
    assert fmt.encode(e) == rfc8785.dumps(as_object(e))


@settings(max_examples=300)
@given(entries())
def test_associated_data_is_rfc8785_of_the_public_metadata(e: LedgerEntry) -> None:
    obj = as_object(e)
    del obj["payload"]
    assert fmt.entry_aad(e) == rfc8785.dumps(obj)


@settings(max_examples=300)
@given(entries())
def test_decode_reads_back_what_encode_wrote(e: LedgerEntry) -> None:
    data = fmt.encode(e)
    back = fmt.decode(data, leaf_hash(data))
    assert back == dataclasses.replace(e, entry_hash=leaf_hash(data))
    assert fmt.encode(back) == data


@settings(max_examples=200)
@given(entries())
def test_every_entry_starts_with_its_chain_links_then_its_time(e: LedgerEntry) -> None:
    data = fmt.encode(e)
    prefix = fmt.chain_prefix(e.prev_hash, e.seq)
    assert data.startswith(prefix)
    after = data[len(prefix) + fmt.TIME_LEN :]
    assert data[len(prefix) : len(prefix) + fmt.TIME_LEN] == e.time.encode()
    assert after.startswith(fmt.AFTER_TIME)


def test_known_entry_bytes_do_not_drift() -> None:
    """Pinned bytes: any change to the format breaks old ledgers and must be deliberate."""
    e = LedgerEntry(7, "2026-11-25T13:40:00.123Z", "user:1", "graph.upsert", ("patient:é",),
                    bytes(32), "patient:é", bytes(12), b"\x01\x02", b"")
    want = (
        '{"chain":{"prev":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","seq":7,'
        '"time":"2026-11-25T13:40:00.123Z"},"event":{"action":"graph.upsert",'
        '"actor":"user:1","key_subject":"patient:é","subjects":["patient:é"]},'
        '"payload":{"ciphertext":"AQI=","nonce":"AAAAAAAAAAAAAAAA"}}'
    ).encode()
    assert fmt.encode(e) == want
    want_hash = "83d5127c172f589ab72f2ed90e837d06a48396f9bac073757d32397db048d4ef"
    assert leaf_hash(fmt.encode(e)).hex() == want_hash


@pytest.mark.parametrize(
    ("ms", "text"),
    [
        (0, "1970-01-01T00:00:00.000Z"),
        (1_795_614_000_123, "2026-11-25T13:40:00.123Z"),
        (253402300799999, "9999-12-31T23:59:59.999Z"),
    ],
)
def test_time_is_fixed_width_iso_utc_with_milliseconds(ms: int, text: str) -> None:
    assert fmt.format_time(ms) == text
    assert fmt.parse_time(text) == ms
    assert len(text) == fmt.TIME_LEN


@settings(max_examples=200)
@given(st.integers(0, 253402300799999), st.integers(0, 253402300799999))
def test_time_text_orders_as_time_does(a: int, b: int) -> None:
    assert (fmt.format_time(a) <= fmt.format_time(b)) == (a <= b)


@pytest.mark.parametrize(
    ("actor", "action", "subjects", "key_subject"),
    [
        (1, "a", [], "k"),  # not a string
        ("a", "a", "patient:1", "k"),  # subjects must be a sequence, not a string
        ("a", "a", [b"x"], "k"),
        ("a", "a", [], ""),  # no data key without a subject
        ("\ud800", "a", [], "k"),  # a lone surrogate has no UTF-8 form
    ],
)
def test_metadata_json_cannot_carry_exactly_is_refused(
    actor: object, action: str, subjects: object, key_subject: str
) -> None:
    with pytest.raises(ValueError):
        fmt.event_bytes(actor, action, subjects, key_subject)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "data",
    [b"{}", b"[]", b"not json", b'{"chain":{"prev":"!!","seq":1,"time":"x"},"event":{},'
     b'"payload":{}}', json.dumps({"chain": {"seq": "1"}}).encode()],
)
def test_decode_refuses_what_is_not_an_entry(data: bytes) -> None:
    with pytest.raises(ValueError):
        fmt.decode(data, b"")


@pytest.mark.parametrize(
    "value",
    ["", "plain", 'quote " and backslash \\', "\b\t\n\f\r", "\x00\x01\x1f\x7f", "\u2028\u2029",
     "é ü 漢字 🙂", "\ufeff", "</script>", "a/b"],
)
def test_event_bytes_match_the_rfc8785_package_on_escapes(value: str) -> None:
    want = rfc8785.dumps({"action": value, "actor": value, "key_subject": value or "k",
                          "subjects": [value, value]})
    assert fmt.event_bytes(value, value, [value, value], value or "k") == want


@settings(max_examples=500)
@given(st.text(), st.text(), st.lists(st.text()), st.text(min_size=1))
def test_event_bytes_match_the_rfc8785_package(
    actor: str, action: str, subjects: list[str], key: str
) -> None:
    want = rfc8785.dumps({"action": action, "actor": actor, "key_subject": key,
                          "subjects": subjects})
    assert fmt.event_bytes(actor, action, subjects, key) == want
