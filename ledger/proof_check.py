"""Checking inclusion and consistency proofs (RFC 9162 2.1.3.2 and 2.1.4.2): hashes only.

As transparency-dev/merkle's `proof.VerifyInclusion` and `proof.VerifyConsistency`, a check
says why a proof fails: it raises an `InvalidProof` whose class and message name the reason
(out of range, a malformed hash, a proof of the wrong length, a root mismatch). Proof
*building* lives apart, in `ledger.proof`.

Both checks climb the tree the same way (`_climb`): a proof for leaf `index` of a tree of
`size` is `inner` hashes, whose side is given by the bits of `index`, then `border` hashes
that are all left siblings, where the path runs along the tree's right edge. Knowing those two
counts up front is what lets a check name the length a proof should have had.
"""

from __future__ import annotations

from collections.abc import Sequence

from ledger.errors import MalformedHash, ProofOutOfRange, RootMismatch, WrongProofSize
from ledger.rfc6962 import HASH_SIZE, node_hash


def check_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root_hash: bytes
) -> None:
    """Returns iff `proof` shows the leaf hash `leaf` at `index` in the tree (`size`,
    `root_hash`); raises an `InvalidProof` saying why not."""
    _check_hashes(root=root_hash)
    _match(root_from_inclusion(leaf, index, size, proof), root_hash, "the tree's")


def root_from_inclusion(leaf: bytes, index: int, size: int, proof: Sequence[bytes]) -> bytes:
    """The root an audit path leads to from leaf hash `leaf`; raises an `InvalidProof` if the
    path cannot belong to leaf `index` of a tree of `size`."""
    if not 0 <= index < size:
        raise ProofOutOfRange(f"leaf index {index} is outside a tree of size {size}")
    _check_hashes(leaf=leaf, proof=proof)
    inner, border = _decompose(index, size)
    _check_length(proof, inner + border, f"leaf {index} of a tree of {size}")
    return _climb(leaf, proof[:inner], proof[inner:], index)


def check_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    """Returns iff `proof` shows the tree (old_size, old_root) is a prefix of (new_size,
    new_root); raises an `InvalidProof` saying why not.

    The usual edge cases: from size 0 an empty proof holds (any tree extends the empty one),
    and equal sizes need an empty proof and equal roots.
    """
    if not 0 <= old_size <= new_size:
        raise ProofOutOfRange(f"a tree of size {old_size} cannot grow into one of size "
                              f"{new_size}")
    _check_hashes(old_root=old_root, new_root=new_root, proof=proof)
    if old_size == 0:
        _check_length(proof, 0, "growing the empty tree")
        return
    if old_size == new_size:
        _check_length(proof, 0, "a tree of the same size")
        _match(old_root, new_root, "the new")
        return
    # The proof is the inclusion path of leaf old_size - 1 in the new tree, less the levels
    # below the largest complete subtree the old tree ends with: that subtree's root (`seed`)
    # comes first, unless it is the whole old tree, whose root the checker already has.
    inner, border = _decompose(old_size - 1, new_size)
    shift = (old_size & -old_size).bit_length() - 1
    inner -= shift
    start = 0 if old_size == 1 << shift else 1
    _check_length(proof, start + inner + border,
                  f"growing a tree of {old_size} into one of {new_size}")
    seed = old_root if start == 0 else proof[0]
    path = proof[start:]
    mask = (old_size - 1) >> shift
    _match(_climb(seed, path[:inner], path[inner:], mask, left_only=True), old_root, "the old")
    _match(_climb(seed, path[:inner], path[inner:], mask), new_root, "the new")


def _decompose(index: int, size: int) -> tuple[int, int]:
    """How many of the path's hashes are inner (below where the paths of `index` and of the
    last leaf meet) and how many are on the right border above."""
    inner = (index ^ (size - 1)).bit_length()
    return inner, (index >> inner).bit_count()


def _climb(seed: bytes, inner: Sequence[bytes], border: Sequence[bytes], index: int, *,
           left_only: bool = False) -> bytes:
    """RFC 9162's verification loop, written once: hash `seed` up the tree with each sibling,
    on the left where bit i of `index` is 1, else on the right; every border sibling is on
    the left. `left_only` skips right siblings: what the old tree of a consistency proof,
    which ends at the seed's right edge, is built from."""
    for i, sibling in enumerate(inner):
        if index >> i & 1:
            seed = node_hash(sibling, seed)
        elif not left_only:
            seed = node_hash(seed, sibling)
    for sibling in border:
        seed = node_hash(sibling, seed)
    return seed


def _check_hashes(proof: Sequence[bytes] = (), **named: bytes) -> None:
    for name, value in named.items():
        if not _is_hash(value):
            raise MalformedHash(f"the {name.replace('_', ' ')} hash is {_size_of(value)}, "
                                f"not {HASH_SIZE} bytes")
    for i, value in enumerate(proof):
        if not _is_hash(value):
            raise MalformedHash(f"the proof's hash {i} is {_size_of(value)}, not {HASH_SIZE} "
                                "bytes")


def _check_length(proof: Sequence[bytes], needed: int, what: str) -> None:
    if len(proof) != needed:
        raise WrongProofSize(f"the proof has {_hashes(len(proof))}; {what} needs "
                             f"{_hashes(needed)}")


def _match(computed: bytes, expected: bytes, whose: str) -> None:
    if computed != expected:
        raise RootMismatch(f"root mismatch: the proof leads to {computed.hex()[:16]}…, "
                           f"{whose} root is {expected.hex()[:16]}…")


def _is_hash(value: object) -> bool:
    return isinstance(value, bytes) and len(value) == HASH_SIZE


def _size_of(value: object) -> str:
    if not isinstance(value, bytes):
        return f"a {type(value).__name__}"
    return "1 byte" if len(value) == 1 else f"{len(value)} bytes"


def _hashes(n: int) -> str:
    return "no hash" if n == 0 else "1 hash" if n == 1 else f"{n} hashes"
