// What the auditor's screens check, put together from the pieces: a signed checkpoint opened
// with the pinned key, each entry's audit path against the root THAT checkpoint signs (never
// against the root the server states beside it), and a consistency proof between two signed
// checkpoints. Pure functions of the server's answer and the pinned key.
import { EncodingError, fromHex } from "./bytes";
import { checkEntryBytes, type ServedEntry } from "./entry";
import { verifyConsistency, verifyInclusion, type Verdict } from "./merkle";
import { openCheckpoint, type Checkpoint, type Opened, type VerifierKey } from "./note";

export type ProvenAnswer = {
  checkpoint: string;
  entries: { entry: ServedEntry; inclusionProof: string[]; treeSize: number }[];
};

export type CheckedProvenance = {
  checkpoint: Opened<Checkpoint>;
  /** The verdict on each entry, by seq. */
  entries: Map<number, Verdict>;
};

function hashes(hex: string[], what: string): Uint8Array[] | string {
  try {
    return hex.map(fromHex);
  } catch (error) {
    if (error instanceof EncodingError) return `${what} is not hex`;
    throw error;
  }
}

/** One entry's audit path, checked against a checkpoint already opened with the pinned key.
 *  The leaf is the hash of the entry's own bytes, recomputed here, and those bytes must say
 *  what the server states beside them (verify/entry.ts): the proof then covers the metadata
 *  shown, not only a hash. The seq the path is for is the one the bytes carry. */
export function checkInclusion(checkpoint: Checkpoint, entry: ServedEntry, proofHex: string[], statedTreeSize: number): Verdict {
  const read = checkEntryBytes(entry);
  if (!read.ok) return { ok: false, reason: read.reason };
  if (statedTreeSize !== checkpoint.treeSize) {
    return { ok: false, reason: `the proof is for a tree of ${statedTreeSize} entries, the signed checkpoint is of ${checkpoint.treeSize}` };
  }
  const leaf = fromHex(read.facts.leafHash);
  const proof = hashes(proofHex, "a proof hash");
  if (typeof proof === "string") return { ok: false, reason: proof };
  return verifyInclusion(leaf, read.facts.seq, checkpoint.treeSize, proof, checkpoint.rootHash);
}

/** A provenance answer: its checkpoint opened with `key`, then every entry's proof. An entry
 *  whose checkpoint does not open fails with the checkpoint's reason: its root is unproven.
 *  With `nodeId` (the id the browser asked about), each entry's bytes must name it. */
export function checkProvenance(answer: ProvenAnswer, key: VerifierKey, nodeId?: string): CheckedProvenance {
  const checkpoint = openCheckpoint(answer.checkpoint, key);
  const entries = new Map<number, Verdict>();
  for (const e of answer.entries) {
    let verdict: Verdict = checkpoint.ok
      ? checkInclusion(checkpoint.value, e.entry, e.inclusionProof, e.treeSize)
      : { ok: false, reason: `the checkpoint is not verified: ${checkpoint.reason}` };
    if (verdict.ok && nodeId !== undefined && !e.entry.subjects.includes(nodeId)) {
      // The subjects were just held equal to the bytes' by checkInclusion.
      verdict = { ok: false, reason: `the entry's bytes do not name ${nodeId} as a subject` };
    }
    entries.set(e.entry.seq, verdict);
  }
  return { checkpoint, entries };
}

/** Is the older signed checkpoint a prefix of the newer one, by the server's proof? */
export function checkConsistency(older: Checkpoint, newer: Checkpoint, proofHex: string[]): Verdict {
  if (older.origin !== newer.origin) return { ok: false, reason: "the two checkpoints are of different logs" };
  if (older.treeSize > newer.treeSize) {
    return { ok: false, reason: `the saved checkpoint is of ${older.treeSize} entries, more than the current ${newer.treeSize}: the log went back` };
  }
  const proof = hashes(proofHex, "a proof hash");
  if (typeof proof === "string") return { ok: false, reason: proof };
  return verifyConsistency(older.treeSize, newer.treeSize, older.rootHash, newer.rootHash, proof);
}
