// The browser's Merkle checks against published vectors (transparency-dev/merkle's
// proof/verify_test.go and rfc6962_test.go, the set Certificate Transparency's C++ tests use:
// the same as tests/ledger/test_merkle.py), against the RFC's recursive definitions, and
// against every way transparency-dev bends a good proof.
import { describe, expect, it } from "vitest";
import { sha256 } from "@noble/hashes/sha2.js";
import { concat, fromHex, toHex, utf8 } from "./bytes";
import { consistencyProofSize, inclusionProofSize, leafHash, nodeHash, verifyConsistency, verifyInclusion } from "./merkle";

const h = fromHex;
const LEAVES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"].map(h);
const ROOTS = [
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
].map(h);

const INCLUSION: [number, number, string[]][] = [
  [0, 1, []],
  [0, 8, [
    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
  ]],
  [5, 8, [
    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  ]],
  [2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]],
  [1, 5, [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
  ]],
];

const CONSISTENCY: [number, number, string[]][] = [
  [1, 1, []],
  [1, 8, [
    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
  ]],
  [6, 8, [
    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  ]],
  [2, 5, [
    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
  ]],
  [6, 7, [
    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
    "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  ]],
];

const SOME_HASH = h("abacaba000000000000000000000000000000000000000000060061e00123456");
const EMPTY_ROOT = sha256(new Uint8Array());

// The RFC's definitions, written as literally as possible: an oracle for generated trees.
const k = (n: number) => 2 ** Math.ceil(Math.log2(n) - 1);
function mth(d: Uint8Array[]): Uint8Array {
  if (d.length === 0) return EMPTY_ROOT;
  if (d.length === 1) return sha256(concat(Uint8Array.of(0), d[0]));
  const s = k(d.length);
  return sha256(concat(Uint8Array.of(1), mth(d.slice(0, s)), mth(d.slice(s))));
}
function path(m: number, d: Uint8Array[]): Uint8Array[] {
  if (d.length === 1) return [];
  const s = k(d.length);
  return m < s ? [...path(m, d.slice(0, s)), mth(d.slice(s))] : [...path(m - s, d.slice(s)), mth(d.slice(0, s))];
}
function subproof(m: number, d: Uint8Array[], b: boolean): Uint8Array[] {
  if (m === d.length) return b ? [] : [mth(d)];
  const s = k(d.length);
  return m <= s
    ? [...subproof(m, d.slice(0, s), b), mth(d.slice(s))]
    : [...subproof(m - s, d.slice(s), false), mth(d.slice(0, s))];
}

const flip = (hash: Uint8Array, bit: number) => Uint8Array.from(hash, (b, i) => (i === 0 ? b ^ (1 << bit) : b));

function inclusionProbes(index: number, size: number, proof: Uint8Array[], root: Uint8Array, leaf: Uint8Array) {
  const probes: [string, Uint8Array, number, number, Uint8Array[], Uint8Array][] = [
    ["index - 1", leaf, index - 1, size, proof, root],
    ["index + 1", leaf, index + 1, size, proof, root],
    ["index ^ 2", leaf, index ^ 2, size, proof, root],
    ["size * 2", leaf, index, size * 2, proof, root],
    ["size / 2", leaf, index, Math.floor(size / 2), proof, root],
    ["wrong leaf", leafHash(utf8("WrongLeaf")), index, size, proof, root],
    ["empty root", leaf, index, size, proof, EMPTY_ROOT],
    ["random root", leaf, index, size, proof, SOME_HASH],
    ["trailing garbage", leaf, index, size, [...proof, new Uint8Array()], root],
    ["trailing root", leaf, index, size, [...proof, root], root],
    ["preceding garbage", leaf, index, size, [new Uint8Array(), ...proof], root],
    ["preceding root", leaf, index, size, [root, ...proof], root],
  ];
  proof.forEach((_, i) => {
    for (let bit = 0; bit < 8; bit++) {
      probes.push([`proof[${i}] bit ${bit}`, leaf, index, size, proof.map((p, j) => (j === i ? flip(p, bit) : p)), root]);
    }
  });
  if (proof.length) probes.push(["removed component", leaf, index, size, proof.slice(0, -1), root]);
  if (proof.length > 1) probes.push(["inserted component", leaf, index, size, [proof[0], SOME_HASH, ...proof.slice(1)], root]);
  return probes;
}

function consistencyProbes(old: number, size: number, proof: Uint8Array[], r1: Uint8Array, r2: Uint8Array) {
  const probes: [string, number, number, Uint8Array, Uint8Array, Uint8Array[]][] = [
    ["old - 1", old - 1, size, r1, r2, proof],
    ["old + 1", old + 1, size, r1, r2, proof],
    ["old ^ 2", old ^ 2, size, r1, r2, proof],
    ["new * 2", old, size * 2, r1, r2, proof],
    ["new / 2", old, Math.floor(size / 2), r1, r2, proof],
    ["wrong old root", old, size, SOME_HASH, r2, proof],
    ["wrong new root", old, size, r1, SOME_HASH, proof],
    ["swapped roots", old, size, r2, r1, proof],
    ["empty proof", old, size, r1, r2, []],
    ["trailing garbage", old, size, r1, r2, [...proof, new Uint8Array()]],
    ["trailing old root", old, size, r1, r2, [...proof, r1]],
    ["trailing new root", old, size, r1, r2, [...proof, r2]],
    ["preceding garbage", old, size, r1, r2, [new Uint8Array(), ...proof]],
    ["preceding old root", old, size, r1, r2, [r1, ...proof]],
    ["preceding new root", old, size, r1, r2, [r2, ...proof]],
    ["preceding proof[0]", old, size, r1, r2, [proof[0], ...proof]],
    ["truncated proof", old, size, r1, r2, proof.slice(0, -1)],
  ];
  proof.forEach((_, i) => {
    for (let bit = 0; bit < 8; bit++) {
      probes.push([`proof[${i}] bit ${bit}`, old, size, r1, r2, proof.map((p, j) => (j === i ? flip(p, bit) : p))]);
    }
  });
  return probes;
}

describe("RFC 6962 hashes", () => {
  it("match the published leaf and node vectors", () => {
    expect(toHex(leafHash(new Uint8Array()))).toBe("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
    expect(toHex(leafHash(utf8("L123456")))).toBe("395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56");
    expect(toHex(nodeHash(utf8("N123"), utf8("N456")))).toBe("aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb");
  });

  it("give the published roots through the RFC's definition", () => {
    for (let size = 1; size <= 8; size++) expect(toHex(mth(LEAVES.slice(0, size)))).toBe(toHex(ROOTS[size - 1]));
  });
});

describe("inclusion (RFC 9162 2.1.3.2)", () => {
  it.each(INCLUSION)("verifies the published proof of leaf %i in a tree of %i", (index, size, proof) => {
    const hashes = proof.map(h);
    expect(verifyInclusion(leafHash(LEAVES[index]), index, size, hashes, ROOTS[size - 1])).toEqual({ ok: true });
    expect(hashes.length).toBe(inclusionProofSize(BigInt(index), BigInt(size)));
  });

  it.each(INCLUSION)("refuses every bent proof of leaf %i in a tree of %i", (index, size, proof) => {
    const probes = inclusionProbes(index, size, proof.map(h), ROOTS[size - 1], leafHash(LEAVES[index]));
    const accepted = probes.filter(([, leaf, i, s, p, r]) => verifyInclusion(leaf, i, s, p, r).ok).map(([d]) => d);
    expect(accepted).toEqual([]);
  });

  it("names the reason: a root mismatch, or a proof of the wrong length", () => {
    const [index, size, proof] = INCLUSION[2];
    const hashes = proof.map(h);
    const bent = verifyInclusion(leafHash(LEAVES[index]), index, size, [flip(hashes[0], 0), ...hashes.slice(1)], ROOTS[size - 1]);
    expect(bent).toMatchObject({ ok: false, reason: expect.stringMatching(/^root mismatch/) });
    const short = verifyInclusion(leafHash(LEAVES[index]), index, size, hashes.slice(1), ROOTS[size - 1]);
    expect(short).toEqual({ ok: false, reason: "proof has 2 hashes, expected 3" });
    const outside = verifyInclusion(leafHash(LEAVES[0]), 8, 8, hashes, ROOTS[7]);
    expect(outside).toEqual({ ok: false, reason: "leaf 8 is outside a tree of 8 entries" });
  });

  it("agrees with the RFC's PATH on every leaf of every tree up to 40, and refuses a neighbour's", () => {
    for (let size = 1; size <= 40; size++) {
      const d = Array.from({ length: size }, (_, i) => utf8(`leaf ${i}`));
      const root = mth(d);
      for (let m = 0; m < size; m++) {
        const proof = path(m, d);
        expect(proof.length).toBe(inclusionProofSize(BigInt(m), BigInt(size)));
        expect(verifyInclusion(leafHash(d[m]), m, size, proof, root).ok).toBe(true);
        if (size > 1) expect(verifyInclusion(leafHash(d[m]), m ^ 1, size, proof, root).ok).toBe(false);
      }
    }
  });
});

describe("consistency (RFC 9162 2.1.4.2)", () => {
  it.each(CONSISTENCY)("verifies the published proof from %i to %i", (old, size, proof) => {
    expect(verifyConsistency(old, size, ROOTS[old - 1], ROOTS[size - 1], proof.map(h))).toEqual({ ok: true });
  });

  it.each(CONSISTENCY.filter(([, , p]) => p.length))("refuses every bent proof from %i to %i", (old, size, proof) => {
    const probes = consistencyProbes(old, size, proof.map(h), ROOTS[old - 1], ROOTS[size - 1]);
    const accepted = probes.filter(([, o, s, r1, r2, p]) => verifyConsistency(o, s, r1, r2, p).ok).map(([d]) => d);
    expect(accepted).toEqual([]);
  });

  it.each([
    [0, 0, EMPTY_ROOT, EMPTY_ROOT, [], true],
    [0, 1, EMPTY_ROOT, ROOTS[0], [], true],
    [1, 1, ROOTS[0], ROOTS[0], [], true],
    [1, 1, ROOTS[0], ROOTS[1], [], false],
    [1, 0, ROOTS[0], EMPTY_ROOT, [], false],
    [2, 1, ROOTS[1], ROOTS[0], [], false],
    [1, 2, ROOTS[0], ROOTS[1], [], false],
    [0, 1, EMPTY_ROOT, ROOTS[0], [EMPTY_ROOT], false],
    [1, 1, ROOTS[0], ROOTS[0], [EMPTY_ROOT], false],
    [1, 1, utf8("short"), utf8("short"), [], false],
  ] as [number, number, Uint8Array, Uint8Array, Uint8Array[], boolean][])(
    "edge case %i -> %i gives %s",
    (old, size, r1, r2, proof, want) => {
      expect(verifyConsistency(old, size, r1, r2, proof).ok).toBe(want);
    },
  );

  it("agrees with the RFC's PROOF between every pair of trees up to 40 leaves", () => {
    const d = Array.from({ length: 40 }, (_, i) => utf8(`leaf ${i}`));
    for (let size = 1; size <= 40; size++) {
      const root = mth(d.slice(0, size));
      for (let old = 1; old < size; old++) {
        const proof = subproof(old, d.slice(0, size), true);
        expect(proof.length).toBe(consistencyProofSize(BigInt(old), BigInt(size)));
        expect(verifyConsistency(old, size, mth(d.slice(0, old)), root, proof)).toEqual({ ok: true });
        expect(verifyConsistency(old, size, mth(d.slice(0, old)), mth(d.slice(0, size - 1)), proof).ok).toBe(false);
      }
    }
  });

  it("names the reason when the old root does not match", () => {
    const [old, size, proof] = CONSISTENCY[2];
    const verdict = verifyConsistency(old, size, SOME_HASH, ROOTS[size - 1], proof.map(h));
    expect(verdict).toMatchObject({ ok: false, reason: expect.stringMatching(/^old root mismatch/) });
  });
});
