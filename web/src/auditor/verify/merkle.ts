// RFC 6962 / RFC 9162 §2.1 Merkle tree checks, in the browser, on hashes the server sent.
//
// The same algorithms as ledger/merkle.py (the RFC's own loops), written again here so the
// browser depends on no answer of the server: it recomputes every root itself. Sizes and
// indexes are bigint inside, so the bit arithmetic is exact past 2^31 (JS's `>>` is 32-bit).
// Every check returns a verdict with the reason it failed, never throws on a bad proof.
import { sha256 } from "@noble/hashes/sha2.js";
import { concat, equal, toHex } from "./bytes";

export const HASH_SIZE = 32;

export type Verdict = { ok: true } | { ok: false; reason: string };

const OK: Verdict = { ok: true };
const fail = (reason: string): Verdict => ({ ok: false, reason });

/** MTH({d}) = SHA-256(0x00 || d). */
export function leafHash(data: Uint8Array): Uint8Array {
  return sha256(concat(Uint8Array.of(0), data));
}

/** SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(concat(Uint8Array.of(1), left, right));
}

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

function popCount(n: bigint): number {
  return n.toString(2).replace(/0/g, "").length;
}

function trailingZeros(n: bigint): number {
  let count = 0;
  for (let v = n; v > 0n && (v & 1n) === 0n; v >>= 1n) count++;
  return count;
}

/** How many hashes the audit path of leaf `index` in a tree of `size` has: the inner part
 *  (levels below where the paths to `index` and to the last leaf meet) and the border part
 *  (one per left sibling above it). */
export function inclusionProofSize(index: bigint, size: bigint): number {
  const inner = bitLength(index ^ (size - 1n));
  return inner + popCount(index >> BigInt(inner));
}

/** How many hashes the consistency proof from `oldSize` to `newSize` has (0 < old < new). */
export function consistencyProofSize(oldSize: bigint, newSize: bigint): number {
  const inner = bitLength((oldSize - 1n) ^ (newSize - 1n));
  const border = popCount((oldSize - 1n) >> BigInt(inner));
  const shift = trailingZeros(oldSize);
  const seeded = oldSize === 1n << BigInt(shift) ? 0 : 1;
  return seeded + inner - shift + border;
}

function sizesOk(...values: number[]): boolean {
  return values.every((v) => Number.isSafeInteger(v) && v >= 0);
}

function badHash(hashes: Uint8Array[], what: string): string | null {
  const i = hashes.findIndex((h) => h.length !== HASH_SIZE);
  return i < 0 ? null : `${what} ${i} is ${hashes[i].length} bytes, not ${HASH_SIZE}`;
}

/** The root an audit path leads to (RFC 9162 §2.1.3.2), or why it cannot fit the tree. */
export function rootFromInclusion(
  leaf: Uint8Array,
  index: number,
  size: number,
  proof: Uint8Array[],
): { root: Uint8Array } | { reason: string } {
  if (!sizesOk(index, size) || index >= size) return { reason: `leaf ${index} is outside a tree of ${size} entries` };
  if (leaf.length !== HASH_SIZE) return { reason: `the leaf hash is ${leaf.length} bytes, not ${HASH_SIZE}` };
  const bad = badHash(proof, "proof hash");
  if (bad) return { reason: bad };
  const want = inclusionProofSize(BigInt(index), BigInt(size));
  if (proof.length !== want) return { reason: `proof has ${proof.length} hashes, expected ${want}` };
  let fn = BigInt(index);
  let sn = BigInt(size - 1);
  let r = leaf;
  for (const p of proof) {
    if (sn === 0n) return { reason: `proof has ${proof.length} hashes, expected fewer` };
    if ((fn & 1n) === 1n || fn === sn) {
      r = nodeHash(p, r);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      r = nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) return { reason: `proof has ${proof.length} hashes, expected more` };
  return { root: r };
}

/** Does `proof` put the leaf hash `leaf` at `index` of the tree (`size`, `root`)? */
export function verifyInclusion(
  leaf: Uint8Array,
  index: number,
  size: number,
  proof: Uint8Array[],
  root: Uint8Array,
): Verdict {
  if (root.length !== HASH_SIZE) return fail(`the root is ${root.length} bytes, not ${HASH_SIZE}`);
  const got = rootFromInclusion(leaf, index, size, proof);
  if ("reason" in got) return fail(got.reason);
  if (!equal(got.root, root)) {
    return fail(`root mismatch: the proof leads to ${toHex(got.root)}, the tree's root is ${toHex(root)}`);
  }
  return OK;
}

/** Is the tree (`oldSize`, `oldRoot`) a prefix of (`newSize`, `newRoot`)? RFC 9162
 *  §2.1.4.2, with its edge cases: from size 0 only an empty proof holds, and equal sizes
 *  need an empty proof and equal roots. */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: Uint8Array[],
): Verdict {
  if (!sizesOk(oldSize, newSize)) return fail("tree sizes must be whole numbers");
  if (oldSize > newSize) return fail(`the old tree (${oldSize} entries) is larger than the new one (${newSize})`);
  const bad = badHash([oldRoot, newRoot], "root") ?? badHash(proof, "proof hash");
  if (bad) return fail(bad);
  if (oldSize === 0) return proof.length === 0 ? OK : fail(`proof has ${proof.length} hashes, expected 0`);
  if (oldSize === newSize) {
    if (proof.length !== 0) return fail(`proof has ${proof.length} hashes, expected 0`);
    return equal(oldRoot, newRoot) ? OK : fail("root mismatch: two trees of the same size have different roots");
  }
  const want = consistencyProofSize(BigInt(oldSize), BigInt(newSize));
  if (proof.length !== want) return fail(`proof has ${proof.length} hashes, expected ${want}`);
  const path = [...proof];
  if (isPowerOfTwo(BigInt(oldSize))) path.unshift(oldRoot);
  let fn = BigInt(oldSize - 1);
  let sn = BigInt(newSize - 1);
  while ((fn & 1n) === 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0n) return fail("the proof is longer than the trees allow");
    if ((fn & 1n) === 1n || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) return fail("the proof is shorter than the trees need");
  if (!equal(fr, oldRoot)) return fail(`old root mismatch: the proof leads to ${toHex(fr)}, the old tree's root is ${toHex(oldRoot)}`);
  if (!equal(sr, newRoot)) return fail(`new root mismatch: the proof leads to ${toHex(sr)}, the new tree's root is ${toHex(newRoot)}`);
  return OK;
}

function isPowerOfTwo(n: bigint): boolean {
  return n > 0n && (n & (n - 1n)) === 0n;
}
