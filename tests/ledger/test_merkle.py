"""RFC 6962 hashing and proofs, against published vectors and the RFC's own recursion."""

from __future__ import annotations

import hashlib
import random

import pytest

from ledger import (
    InvalidProof,
    LedgerError,
    MalformedHash,
    ProofOutOfRange,
    RootMismatch,
    WrongProofSize,
    merkle,
)

# Published vectors: transparency-dev/merkle proof/verify_test.go and rfc6962/rfc6962_test.go
# (the same set Certificate Transparency's C++ tests use).
LEAVES = [
    b"",
    b"\x00",
    b"\x10",
    b"\x20\x21",
    b"\x30\x31",
    b"\x40\x41\x42\x43",
    b"\x50\x51\x52\x53\x54\x55\x56\x57",
    b"\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f",
]

h = bytes.fromhex

ROOTS = [  # ROOTS[i] is the root of the tree of the first i + 1 leaves
    h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
    h("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
    h("aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77"),
    h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
    h("4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4"),
    h("76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef"),
    h("ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c"),
    h("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"),
]

INCLUSION = [  # (leaf index, tree size, audit path)
    (0, 1, []),
    (0, 8, [
        h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
        h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
        h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
    ]),
    (5, 8, [
        h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
        h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
        h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
    ]),
    (2, 3, [
        h("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
    ]),
    (1, 5, [
        h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
        h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
        h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
    ]),
]

CONSISTENCY = [  # (old size, new size, proof)
    (1, 1, []),
    (1, 8, [
        h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
        h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
        h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
    ]),
    (6, 8, [
        h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
        h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
        h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
    ]),
    (2, 5, [
        h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
        h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
    ]),
    (6, 7, [
        h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
        h("b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f"),
        h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
    ]),
]

SOME_HASH = h("abacaba000000000000000000000000000000000000000000060061e00123456")


# The RFC's definitions, written as literally as possible, as an oracle for generated sizes.
def rfc_mth(d: list[bytes]) -> bytes:
    n = len(d)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashlib.sha256(b"\x00" + d[0]).digest()
    k = merkle.split_point(n)
    return hashlib.sha256(b"\x01" + rfc_mth(d[:k]) + rfc_mth(d[k:])).digest()


def rfc_path(m: int, d: list[bytes]) -> list[bytes]:
    n = len(d)
    if n == 1:
        return []
    k = merkle.split_point(n)
    if m < k:
        return [*rfc_path(m, d[:k]), rfc_mth(d[k:])]
    return [*rfc_path(m - k, d[k:]), rfc_mth(d[:k])]


def rfc_subproof(m: int, d: list[bytes], b: bool) -> list[bytes]:
    n = len(d)
    if m == n:
        return [] if b else [rfc_mth(d)]
    k = merkle.split_point(n)
    if m <= k:
        return [*rfc_subproof(m, d[:k], b), rfc_mth(d[k:])]
    return [*rfc_subproof(m - k, d[k:], False), rfc_mth(d[:k])]


@pytest.mark.parametrize(
    ("data", "want"),
    [
        (b"", "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
        (b"L123456", "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56"),
    ],
)
def test_leaf_hash_matches_published_vector(data: bytes, want: str) -> None:
    assert merkle.leaf_hash(data).hex() == want


def test_node_hash_matches_published_vector() -> None:
    want = "aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb"
    assert merkle.node_hash(b"N123", b"N456").hex() == want


def test_empty_tree_root_is_sha256_of_nothing() -> None:
    want = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert merkle.root([]).hex() == want == merkle.EMPTY_ROOT.hex()


@pytest.mark.parametrize("size", range(1, 9))
def test_root_of_published_leaves(size: int) -> None:
    assert merkle.root(LEAVES[:size]) == ROOTS[size - 1]


@pytest.mark.parametrize(("index", "size", "proof"), INCLUSION)
def test_inclusion_proof_matches_published_vector(
    index: int, size: int, proof: list[bytes]
) -> None:
    assert merkle.inclusion_proof(LEAVES[:size], index) == proof
    leaf = merkle.leaf_hash(LEAVES[index])
    assert merkle.verify_inclusion(leaf, index, size, proof, ROOTS[size - 1])


@pytest.mark.parametrize(("old", "new", "proof"), CONSISTENCY)
def test_consistency_proof_matches_published_vector(old: int, new: int, proof: list[bytes]) -> None:
    assert merkle.consistency_proof(LEAVES[:new], old) == proof
    assert merkle.verify_consistency(old, new, ROOTS[old - 1], ROOTS[new - 1], proof)


def inclusion_probes(
    index: int, size: int, proof: list[bytes], root: bytes, leaf: bytes
) -> list[tuple[str, int, int, list[bytes], bytes, bytes]]:
    """Every way transparency-dev's corruptInclusionProof bends a good proof, plus bit flips."""
    probes = [
        ("index - 1", index - 1, size, proof, root, leaf),
        ("index + 1", index + 1, size, proof, root, leaf),
        ("index ^ 2", index ^ 2, size, proof, root, leaf),
        ("size * 2", index, size * 2, proof, root, leaf),
        ("size / 2", index, size // 2, proof, root, leaf),
        ("wrong leaf", index, size, proof, root, merkle.leaf_hash(b"WrongLeaf")),
        ("empty root", index, size, proof, merkle.EMPTY_ROOT, leaf),
        ("random root", index, size, proof, SOME_HASH, leaf),
        ("trailing garbage", index, size, [*proof, b""], root, leaf),
        ("trailing root", index, size, [*proof, root], root, leaf),
        ("preceding garbage", index, size, [b"", *proof], root, leaf),
        ("preceding root", index, size, [root, *proof], root, leaf),
    ]
    for i in range(len(proof)):
        for bit in range(8):
            bent = list(proof)
            bent[i] = bytes([bent[i][0] ^ (1 << bit)]) + bent[i][1:]
            probes.append((f"proof[{i}] bit {bit}", index, size, bent, root, leaf))
    if proof:
        probes.append(("removed component", index, size, proof[:-1], root, leaf))
    if len(proof) > 1:
        probes.append(("inserted component", index, size, [proof[0], SOME_HASH, *proof[1:]],
                       root, leaf))
    return probes


@pytest.mark.parametrize(("index", "size", "proof"), INCLUSION)
def test_bent_inclusion_proofs_fail(index: int, size: int, proof: list[bytes]) -> None:
    leaf = merkle.leaf_hash(LEAVES[index])
    accepted = [
        desc
        for desc, i, s, p, r, lf in inclusion_probes(index, size, proof, ROOTS[size - 1], leaf)
        if merkle.verify_inclusion(lf, i, s, p, r)
    ]
    assert accepted == []


def consistency_probes(
    old: int, new: int, proof: list[bytes], r1: bytes, r2: bytes
) -> list[tuple[str, int, int, bytes, bytes, list[bytes]]]:
    """transparency-dev's corruptConsistencyProof, plus every single-bit flip."""
    probes = [
        ("old - 1", old - 1, new, r1, r2, proof),
        ("old + 1", old + 1, new, r1, r2, proof),
        ("old ^ 2", old ^ 2, new, r1, r2, proof),
        ("new * 2", old, new * 2, r1, r2, proof),
        ("new / 2", old, new // 2, r1, r2, proof),
        ("wrong old root", old, new, SOME_HASH, r2, proof),
        ("wrong new root", old, new, r1, SOME_HASH, proof),
        ("swapped roots", old, new, r2, r1, proof),
        ("empty proof", old, new, r1, r2, []),
        ("trailing garbage", old, new, r1, r2, [*proof, b""]),
        ("trailing old root", old, new, r1, r2, [*proof, r1]),
        ("trailing new root", old, new, r1, r2, [*proof, r2]),
        ("preceding garbage", old, new, r1, r2, [b"", *proof]),
        ("preceding old root", old, new, r1, r2, [r1, *proof]),
        ("preceding new root", old, new, r1, r2, [r2, *proof]),
        ("preceding proof[0]", old, new, r1, r2, [proof[0], *proof]),
        ("truncated proof", old, new, r1, r2, proof[:-1]),
    ]
    for i in range(len(proof)):
        for bit in range(8):
            bent = list(proof)
            bent[i] = bytes([bent[i][0] ^ (1 << bit)]) + bent[i][1:]
            probes.append((f"proof[{i}] bit {bit}", old, new, r1, r2, bent))
    return probes


@pytest.mark.parametrize(("old", "new", "proof"), [c for c in CONSISTENCY if c[2]])
def test_bent_consistency_proofs_fail(old: int, new: int, proof: list[bytes]) -> None:
    probes = consistency_probes(old, new, proof, ROOTS[old - 1], ROOTS[new - 1])
    accepted = [d for d, o, n, r1, r2, p in probes if merkle.verify_consistency(o, n, r1, r2, p)]
    assert accepted == []


@pytest.mark.parametrize(
    ("old", "new", "r1", "r2", "proof", "want"),
    [
        (0, 0, merkle.EMPTY_ROOT, merkle.EMPTY_ROOT, [], True),
        (0, 1, merkle.EMPTY_ROOT, ROOTS[0], [], True),
        (1, 1, ROOTS[0], ROOTS[0], [], True),
        (1, 1, ROOTS[0], ROOTS[1], [], False),  # equal sizes, different roots
        (1, 0, ROOTS[0], merkle.EMPTY_ROOT, [], False),  # time travel to the past
        (2, 1, ROOTS[1], ROOTS[0], [], False),
        (1, 2, ROOTS[0], ROOTS[1], [], False),  # empty proof where one is needed
        (0, 1, merkle.EMPTY_ROOT, ROOTS[0], [merkle.EMPTY_ROOT], False),  # proof must be empty
        (1, 1, ROOTS[0], ROOTS[0], [merkle.EMPTY_ROOT], False),
        (1, 1, b"short", b"short", [], False),  # hashes must be 32 bytes
    ],
)
def test_consistency_edge_cases(
    old: int, new: int, r1: bytes, r2: bytes, proof: list[bytes], want: bool
) -> None:
    assert merkle.verify_consistency(old, new, r1, r2, proof) is want


@pytest.mark.parametrize(("index", "size"), [(0, 0), (1, 0), (2, 1), (8, 7), (-1, 3)])
def test_inclusion_outside_the_tree_is_refused(index: int, size: int) -> None:
    with pytest.raises(ValueError, match="outside"):
        merkle.inclusion_proof(LEAVES[:size], index)
    assert not merkle.verify_inclusion(SOME_HASH, index, size, [], merkle.EMPTY_ROOT)


@pytest.mark.parametrize(("old", "new"), [(5, 0), (9, 8), (-1, 2)])
def test_consistency_backwards_is_refused(old: int, new: int) -> None:
    with pytest.raises(ValueError, match="no consistency proof"):
        merkle.consistency_path(old, new, merkle.memory_nodes(LEAVES))


def test_single_leaf_tree_root_is_its_leaf_hash() -> None:
    leaf = merkle.leaf_hash(b"data")
    assert merkle.verify_inclusion(leaf, 0, 1, [], leaf)
    assert not merkle.verify_inclusion(leaf, 0, 1, [], b"")
    assert not merkle.verify_inclusion(b"", 0, 1, [], leaf)


def leaves_of(size: int) -> list[bytes]:
    return [f"leaf {i}".encode() for i in range(size)]


@pytest.mark.parametrize("size", range(0, 65))
def test_every_proof_of_small_trees_agrees_with_the_rfc_and_verifies(size: int) -> None:
    d = leaves_of(size)
    nodes = merkle.memory_nodes(d)
    top = merkle.root(d)
    assert top == rfc_mth(d)
    for m in range(size):
        proof = merkle.inclusion_path(m, size, nodes)
        assert proof == rfc_path(m, d)
        assert merkle.verify_inclusion(merkle.leaf_hash(d[m]), m, size, proof, top)
    for old in range(1, size + 1):
        proof = merkle.consistency_path(old, size, nodes)
        assert proof == rfc_subproof(old, d, True)
        assert merkle.verify_consistency(old, size, rfc_mth(d[:old]), top, proof)


@pytest.mark.parametrize("size", [2, 3, 5, 7, 8, 13, 33, 64])
def test_altering_any_proof_byte_or_position_of_small_trees_fails(size: int) -> None:
    d = leaves_of(size)
    top = merkle.root(d)
    for m in range(size):
        leaf = merkle.leaf_hash(d[m])
        proof = merkle.inclusion_proof(d, m)
        probes = inclusion_probes(m, size, proof, top, leaf)
        assert [p[0] for p in probes if merkle.verify_inclusion(p[5], p[1], p[2], p[3], p[4])] == []
    for old in range(1, size):
        proof = merkle.consistency_proof(d, old)
        probes = consistency_probes(old, size, proof, merkle.root(d[:old]), top)
        assert [p[0] for p in probes if merkle.verify_consistency(*p[1:])] == []


def test_random_large_trees_prove_and_reject() -> None:
    rng = random.Random(6962)
    for size in [rng.randrange(1000, 5000) for _ in range(3)]:
        d = [rng.randbytes(rng.randrange(0, 40)) for _ in range(size)]
        nodes = merkle.memory_nodes(d)
        top = merkle.range_hash(0, size, nodes)
        assert top == rfc_mth(d)
        for m in rng.sample(range(size), 40):
            proof = merkle.inclusion_path(m, size, nodes)
            leaf = merkle.leaf_hash(d[m])
            assert merkle.verify_inclusion(leaf, m, size, proof, top)
            assert not merkle.verify_inclusion(leaf, m ^ 1, size, proof, top)
            assert not merkle.verify_inclusion(leaf, m, size * 2, proof, top)
            i = rng.randrange(len(proof))
            bent = [*proof[:i], bytes([proof[i][0] ^ 1]) + proof[i][1:], *proof[i + 1:]]
            assert not merkle.verify_inclusion(leaf, m, size, bent, top)
        for old in rng.sample(range(1, size), 40):
            proof = merkle.consistency_path(old, size, nodes)
            old_root = merkle.range_hash(0, old, nodes)
            assert merkle.verify_consistency(old, size, old_root, top, proof)
            assert not merkle.verify_consistency(old + 1, size, old_root, top, proof)
            assert not merkle.verify_consistency(old, size * 2, old_root, top, proof)
            i = rng.randrange(len(proof))
            bent = [*proof[:i], proof[i][:-1] + bytes([proof[i][-1] ^ 128]), *proof[i + 1:]]
            assert not merkle.verify_consistency(old, size, old_root, top, bent)


# Why a proof fails: the checkers raise a class per reason, with a message an auditor can act on.
PROOF_5_OF_8 = INCLUSION[2][2]
PROOF_6_TO_8 = CONSISTENCY[2][2]
LEAF_5 = merkle.leaf_hash(LEAVES[5])
BENT_5_OF_8 = [PROOF_5_OF_8[0], bytes([PROOF_5_OF_8[1][0] ^ 1]) + PROOF_5_OF_8[1][1:],
               PROOF_5_OF_8[2]]


@pytest.mark.parametrize(
    ("leaf", "index", "size", "proof", "root", "error", "why"),
    [
        (LEAF_5, 8, 7, [], ROOTS[6], ProofOutOfRange, "leaf index 8 is outside a tree of size 7"),
        (LEAF_5, -1, 8, [], ROOTS[7], ProofOutOfRange, "leaf index -1 is outside"),
        (LEAF_5[:31], 5, 8, PROOF_5_OF_8, ROOTS[7], MalformedHash,
         "the leaf hash is 31 bytes, not 32 bytes"),
        (LEAF_5, 5, 8, PROOF_5_OF_8, b"", MalformedHash, "the root hash is 0 bytes"),
        (LEAF_5, 5, 8, [*PROOF_5_OF_8[:2], b"x"], ROOTS[7], MalformedHash,
         "the proof's hash 2 is 1 byte, not 32 bytes"),
        (LEAF_5, 5, 8, PROOF_5_OF_8[:2], ROOTS[7], WrongProofSize,
         "the proof has 2 hashes; leaf 5 of a tree of 8 needs 3 hashes"),
        (LEAF_5, 17, 300, PROOF_5_OF_8 + PROOF_5_OF_8[:2], ROOTS[7], WrongProofSize,
         "the proof has 5 hashes; leaf 17 of a tree of 300 needs 9 hashes"),
        (LEAF_5, 0, 1, PROOF_5_OF_8[:1], LEAF_5, WrongProofSize,
         "the proof has 1 hash; leaf 0 of a tree of 1 needs no hash"),
        (LEAF_5, 5, 8, BENT_5_OF_8, ROOTS[7], RootMismatch,
         f"root mismatch: .*, the tree's root is {ROOTS[7].hex()[:16]}"),
        (LEAF_5, 4, 8, PROOF_5_OF_8, ROOTS[7], RootMismatch, "root mismatch"),
    ],
)
def test_a_failing_inclusion_proof_says_why(
    leaf: bytes, index: int, size: int, proof: list[bytes], root: bytes,
    error: type[InvalidProof], why: str,
) -> None:
    with pytest.raises(error, match=why):
        merkle.check_inclusion(leaf, index, size, proof, root)
    assert not merkle.verify_inclusion(leaf, index, size, proof, root)


@pytest.mark.parametrize(
    ("old", "new", "r1", "r2", "proof", "error", "why"),
    [
        (6, 5, ROOTS[5], ROOTS[4], [], ProofOutOfRange,
         "a tree of size 6 cannot grow into one of size 5"),
        (6, 8, ROOTS[5][:4], ROOTS[7], PROOF_6_TO_8, MalformedHash,
         "the old root hash is 4 bytes"),
        (6, 8, ROOTS[5], ROOTS[7], [b"", *PROOF_6_TO_8[1:]], MalformedHash,
         "the proof's hash 0 is 0 bytes"),
        (0, 3, merkle.EMPTY_ROOT, ROOTS[2], PROOF_6_TO_8[:1], WrongProofSize,
         "the proof has 1 hash; growing the empty tree needs no hash"),
        (3, 3, ROOTS[2], ROOTS[2], PROOF_6_TO_8[:1], WrongProofSize,
         "the proof has 1 hash; a tree of the same size needs no hash"),
        (3, 3, ROOTS[2], ROOTS[3], [], RootMismatch, "the new root is"),
        (6, 8, ROOTS[5], ROOTS[7], [], WrongProofSize,
         "the proof has no hash; growing a tree of 6 into one of 8 needs 3 hashes"),
        (6, 8, ROOTS[5], ROOTS[7], [*PROOF_6_TO_8, SOME_HASH], WrongProofSize,
         "the proof has 4 hashes; growing a tree of 6 into one of 8 needs 3 hashes"),
        (6, 8, SOME_HASH, ROOTS[7], PROOF_6_TO_8, RootMismatch,
         f"the old root is {SOME_HASH.hex()[:16]}"),
        (6, 8, ROOTS[5], SOME_HASH, PROOF_6_TO_8, RootMismatch,
         f"the new root is {SOME_HASH.hex()[:16]}"),
    ],
)
def test_a_failing_consistency_proof_says_why(
    old: int, new: int, r1: bytes, r2: bytes, proof: list[bytes],
    error: type[InvalidProof], why: str,
) -> None:
    with pytest.raises(error, match=why):
        merkle.check_consistency(old, new, r1, r2, proof)
    assert not merkle.verify_consistency(old, new, r1, r2, proof)


def test_proof_failures_are_ledger_errors_a_caller_can_match() -> None:
    for reason in (ProofOutOfRange, MalformedHash, WrongProofSize, RootMismatch):
        assert issubclass(reason, InvalidProof)
    assert issubclass(InvalidProof, LedgerError)


@pytest.mark.parametrize("size", [1, 2, 3, 5, 8, 13])
def test_every_bent_proof_is_refused_with_a_reason_and_good_ones_pass(size: int) -> None:
    d = leaves_of(size)
    top = merkle.root(d)
    for m in range(size):
        proof = merkle.inclusion_proof(d, m)
        merkle.check_inclusion(merkle.leaf_hash(d[m]), m, size, proof, top)
        for desc, i, s, p, r, lf in inclusion_probes(m, size, proof, top,
                                                     merkle.leaf_hash(d[m])):
            with pytest.raises(InvalidProof):
                merkle.check_inclusion(lf, i, s, p, r)
                pytest.fail(f"inclusion probe {desc!r} was accepted")
    for old in range(1, size):
        proof = merkle.consistency_proof(d, old)
        merkle.check_consistency(old, size, merkle.root(d[:old]), top, proof)
        for desc, *args in consistency_probes(old, size, proof, merkle.root(d[:old]), top):
            with pytest.raises(InvalidProof):
                merkle.check_consistency(*args)
                pytest.fail(f"consistency probe {desc!r} was accepted")
