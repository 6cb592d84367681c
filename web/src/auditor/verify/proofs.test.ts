// The screens' checks put together: proofs are held to the root the pinned key signed, never
// to what the server states beside it, and start from the leaf hash of the entry's own bytes.
// Inclusion over a tree of the Python ledger's entries (fixtures/entries.json); consistency
// over the published CT vectors; the checkpoint signed with RFC 8032's first test key.
import { describe, expect, it } from "vitest";
import * as ed from "@noble/ed25519";
import fixture from "./fixtures/entries.json";
import { fromBase64, fromHex, toBase64, toHex, utf8 } from "./bytes";
import { leafHash, nodeHash } from "./merkle";
import { keyHash, openCheckpoint, parseVerifierKey } from "./note";
import { checkConsistency, checkProvenance } from "./proofs";

const seed = fromHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
const pub = ed.getPublicKey(seed);
const NAME = "hdt.local/ledger";
const KEY = parseVerifierKey(`${NAME}+${toHex(keyHash(NAME, pub))}+${toBase64(Uint8Array.of(1, ...pub))}`);
const sign = (size: number, rootHex: string) => {
  const body = `${NAME}\n${size}\n${toBase64(fromHex(rootHex))}\n`;
  return `${body}\n\u2014 ${NAME} ${toBase64(Uint8Array.of(...keyHash(NAME, pub), ...ed.sign(utf8(body), seed)))}\n`;
};

// transparency-dev's vectors: the roots of trees of 6 and 8, and the proof between them.
const ROOT8 = "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328";
const ROOT6 = "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef";
const CONSISTENCY_6_8 = [
  "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
  "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
];

// The three entries the Python ledger wrote, as a tree of 3: root = H(H(l0, l1), l2); the
// audit path of entry 1 is [l0, l2].
const ENTRIES = fixture.entries;
const LEAVES = ENTRIES.map((e) => leafHash(fromBase64(e.entryBytes)));
const ROOT3 = toHex(nodeHash(nodeHash(LEAVES[0], LEAVES[1]), LEAVES[2]));
const PATH1 = [toHex(LEAVES[0]), toHex(LEAVES[2])];

const answer = (checkpoint: string, treeSize = 3, proof = PATH1, entry = ENTRIES[1]) => ({
  checkpoint,
  entries: [{ entry, inclusionProof: proof, treeSize }],
});

describe("provenance", () => {
  it("verifies an entry from its own bytes up to the signed root", () => {
    const checked = checkProvenance(answer(sign(3, ROOT3)), KEY);
    expect(checked.checkpoint.ok).toBe(true);
    expect(checked.entries.get(1)).toEqual({ ok: true });
  });

  it("fails every entry when the checkpoint signs another root, whatever the proof", () => {
    const checked = checkProvenance(answer(sign(3, ROOT6)), KEY);
    expect(checked.entries.get(1)).toMatchObject({ ok: false, reason: expect.stringMatching(/^root mismatch/) });
  });

  it("refuses a proof for another tree size than the checkpoint's", () => {
    const checked = checkProvenance(answer(sign(3, ROOT3), 9), KEY);
    expect(checked.entries.get(1)).toEqual({
      ok: false,
      reason: "the proof is for a tree of 9 entries, the signed checkpoint is of 3",
    });
  });

  it("fails the entries of a checkpoint the pinned key did not sign", () => {
    const note = sign(3, ROOT3).replace(`\n3\n`, `\n4\n`);
    const checked = checkProvenance(answer(note), KEY);
    expect(checked.checkpoint.ok).toBe(false);
    expect(checked.entries.get(1)).toMatchObject({ ok: false, reason: expect.stringMatching(/signature does not verify with the pinned key/) });
  });

  it("says a proof hash is not hex", () => {
    const checked = checkProvenance(answer(sign(3, ROOT3), 3, [PATH1[0], "zz"]), KEY);
    expect(checked.entries.get(1)).toEqual({ ok: false, reason: "a proof hash is not hex" });
  });

  it("fails an entry whose metadata the bytes do not say, though its hash is proven", () => {
    const checked = checkProvenance(answer(sign(3, ROOT3), 3, PATH1, { ...ENTRIES[1], action: "PatientDischarged" }), KEY);
    expect(checked.entries.get(1)).toEqual({
      ok: false,
      reason: 'the entry\'s bytes say action "VitalsRecorded", the server says "PatientDischarged"',
    });
  });

  it("fails a proven entry that does not touch the node asked about", () => {
    const checked = checkProvenance(answer(sign(3, ROOT3)), KEY, "enc-77");
    expect(checked.entries.get(1)).toEqual({ ok: false, reason: "the entry's bytes do not name enc-77 as a subject" });
    expect(checkProvenance(answer(sign(3, ROOT3)), KEY, "pat-0b1e").entries.get(1)).toEqual({ ok: true });
  });

  it("proves the leaf hash of the bytes, not the entry hash the server states", () => {
    // The bytes of entry 0 served as entry 1's, with entry 1's hash beside them: the path
    // of entry 1 would verify its stated hash, but the bytes do not hash to it.
    const swapped = { ...ENTRIES[0], seq: 1, entryHash: ENTRIES[1].entryHash };
    const checked = checkProvenance(answer(sign(3, ROOT3), 3, PATH1, swapped), KEY);
    expect(checked.entries.get(1)).toEqual({
      ok: false,
      reason: `the entry bytes hash to ${ENTRIES[0].entryHash}, not the entry hash ${ENTRIES[1].entryHash}`,
    });
    // And bytes that hash to what is stated, at another seq, fail the path.
    const moved = { ...ENTRIES[0] };
    const atOne = checkProvenance({ checkpoint: sign(3, ROOT3), entries: [{ entry: moved, inclusionProof: PATH1, treeSize: 3 }] }, KEY);
    expect(atOne.entries.get(0)).toMatchObject({ ok: false, reason: expect.stringMatching(/^root mismatch/) });
  });
});

describe("consistency between signed checkpoints", () => {
  const open = (size: number, root: string) => {
    const opened = openCheckpoint(sign(size, root), KEY);
    if (!opened.ok) throw new Error(opened.reason);
    return opened.value;
  };

  it("verifies the published proof from 6 to 8 against the signed roots", () => {
    expect(checkConsistency(open(6, ROOT6), open(8, ROOT8), CONSISTENCY_6_8)).toEqual({ ok: true });
  });

  it("refuses a log that went back", () => {
    expect(checkConsistency(open(8, ROOT8), open(6, ROOT6), [])).toMatchObject({ ok: false, reason: expect.stringMatching(/the log went back/) });
  });

  it("refuses the proof when the saved root is not the one the tree had", () => {
    expect(checkConsistency(open(6, ROOT8), open(8, ROOT8), CONSISTENCY_6_8)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^old root mismatch/),
    });
  });
});
