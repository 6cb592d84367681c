"""Record framing: whole records read back; a torn tail is told apart from damage."""

from __future__ import annotations

import pytest

from ledger.errors import LedgerCorrupted, TornTail
from ledger.merkle import leaf_hash
from ledger.store import HEADER, encode_frame, frames

BODIES = [b"first", b"", b"third record" * 10]


def log_of(bodies: list[bytes]) -> bytes:
    return b"".join(encode_frame(b, leaf_hash(b)) for b in bodies)


def read(buf: bytes) -> list[bytes]:
    return [buf[s:e] for s, e, _ in frames(buf)]


def test_whole_records_read_back() -> None:
    assert read(log_of(BODIES)) == BODIES
    assert read(b"") == []


def test_every_cut_inside_the_last_record_is_a_torn_tail_at_its_start() -> None:
    buf = log_of(BODIES)
    last_start = len(log_of(BODIES[:-1]))
    for cut in range(last_start + 1, len(buf)):
        with pytest.raises(TornTail) as info:
            read(buf[:cut])
        assert (info.value.seq, info.value.offset) == (2, last_start)


@pytest.mark.parametrize("zeros", [1, HEADER.size, 100])
def test_zero_bytes_after_the_last_record_are_a_torn_tail(zeros: int) -> None:
    buf = log_of(BODIES)
    with pytest.raises(TornTail) as info:
        read(buf + bytes(zeros))
    assert info.value.offset == len(buf)


def test_any_flipped_byte_is_damage_naming_its_record_not_a_torn_tail() -> None:
    buf = log_of(BODIES)
    starts = [len(log_of(BODIES[:i])) for i in range(len(BODIES))]
    for pos in range(len(buf)):
        bent = bytearray(buf)
        bent[pos] ^= 0x41
        with pytest.raises(LedgerCorrupted) as info:
            read(bytes(bent))
        want = max(i for i, s in enumerate(starts) if s <= pos)
        assert info.value.seq == want, pos
        assert not isinstance(info.value, TornTail), pos  # the header checksum covers lengths
