// The screens' checks put together: proofs are held to the root the pinned key signed, never
// to what the server states beside it. Trees from the published CT vectors; the checkpoint
// signed with RFC 8032's first test key.
import { describe, expect, it } from "vitest";
import * as ed from "@noble/ed25519";
import { fromHex, toBase64, toHex, utf8 } from "./bytes";
import { leafHash } from "./merkle";
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

// transparency-dev's vectors: leaf 5 of the tree of 8, and the roots of trees of 6 and 8.
const ROOT8 = "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328";
const ROOT6 = "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef";
const LEAF5 = toHex(leafHash(fromHex("40414243")));
const PATH5 = [
  "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
  "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
];
const CONSISTENCY_6_8 = [
  "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
  "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
];

const answer = (checkpoint: string, treeSize = 8, proof = PATH5) => ({
  checkpoint,
  entries: [{ entry: { seq: 5, entryHash: LEAF5 }, inclusionProof: proof, treeSize }],
});

describe("provenance", () => {
  it("verifies an entry against the signed root", () => {
    const checked = checkProvenance(answer(sign(8, ROOT8)), KEY);
    expect(checked.checkpoint.ok).toBe(true);
    expect(checked.entries.get(5)).toEqual({ ok: true });
  });

  it("fails every entry when the checkpoint signs another root, whatever the proof", () => {
    const checked = checkProvenance(answer(sign(8, ROOT6)), KEY);
    expect(checked.entries.get(5)).toMatchObject({ ok: false, reason: expect.stringMatching(/^root mismatch/) });
  });

  it("refuses a proof for another tree size than the checkpoint's", () => {
    const checked = checkProvenance(answer(sign(8, ROOT8), 9), KEY);
    expect(checked.entries.get(5)).toEqual({
      ok: false,
      reason: "the proof is for a tree of 9 entries, the signed checkpoint is of 8",
    });
  });

  it("fails the entries of a checkpoint the pinned key did not sign", () => {
    const note = sign(8, ROOT8).replace(`\n8\n`, `\n9\n`);
    const checked = checkProvenance(answer(note), KEY);
    expect(checked.checkpoint.ok).toBe(false);
    expect(checked.entries.get(5)).toMatchObject({ ok: false, reason: expect.stringMatching(/signature does not verify with the pinned key/) });
  });

  it("says a proof hash is not hex", () => {
    const checked = checkProvenance(answer(sign(8, ROOT8), 8, [...PATH5.slice(0, 2), "zz"]), KEY);
    expect(checked.entries.get(5)).toEqual({ ok: false, reason: "a proof hash is not hex" });
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
