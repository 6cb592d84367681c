// Signed notes against golang.org/x/mod/sumdb/note's published key and signatures (the same
// vectors as tests/ledger/test_note.py) and Ed25519 against RFC 8032's test vectors: the
// browser's checks agree with implementations other than ours.
import { describe, expect, it } from "vitest";
import * as ed from "@noble/ed25519";
import { fromHex, toBase64, utf8 } from "./bytes";
import { openCheckpoint, openNote, parseCheckpoint, parseVerifierKey, InvalidKey, keyHash } from "./note";

const PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_SIG =
  "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
const ENOCH_SIG =
  "\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

describe("Ed25519 (RFC 8032 section 7.1)", () => {
  it.each([
    [
      "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
      "",
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
    ],
    [
      "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
      "72",
      "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
    ],
  ])("test vector with key %s", (pub, msg, sig) => {
    // note.ts sets the SHA-512 @noble/ed25519 uses; importing it is enough.
    expect(ed.verify(fromHex(sig), fromHex(msg), fromHex(pub), { zip215: false })).toBe(true);
    const bent = fromHex(sig);
    bent[10] ^= 1;
    expect(ed.verify(bent, fromHex(msg), fromHex(pub), { zip215: false })).toBe(false);
  });
});

describe("verifier keys", () => {
  it("parses the published key and recomputes its hash", () => {
    const key = parseVerifierKey(PETER_VKEY);
    expect(key.name).toBe("PeterNeumann");
    expect(key.keyHash).toBe("c74f20a3");
    expect(Array.from(keyHash(key.name, key.publicKey))).toEqual(Array.from(fromHex("c74f20a3")));
  });

  it.each([
    ["", /not a note verifier key/],
    ["PeterNeumann+c74f20a3", /not a note verifier key/],
    ["Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", /not a note verifier key/],
    ["PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", /not a note verifier key/],
    ["PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", /key hash does not match/],
    ["PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T", /base64/],
    ["PeterNeumann+c74f20a3+AhpcQcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW=", /base64|Ed25519/],
    ["EnochRoot+c74f20a3+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop", /key hash does not match/],
  ])("refuses %j", (text, reason) => {
    expect(() => parseVerifierKey(text)).toThrow(InvalidKey);
    expect(() => parseVerifierKey(text)).toThrow(reason);
  });
});

describe("signed notes", () => {
  const peter = parseVerifierKey(PETER_VKEY);
  const enoch = parseVerifierKey(ENOCH_VKEY);

  it("opens the published note by either key, whatever the order of signatures", () => {
    expect(openNote(TEXT + "\n" + PETER_SIG, peter)).toEqual({ ok: true, value: TEXT });
    expect(openNote(TEXT + "\n" + ENOCH_SIG + PETER_SIG, peter)).toEqual({ ok: true, value: TEXT });
    expect(openNote(TEXT + "\n" + PETER_SIG + ENOCH_SIG, enoch)).toEqual({ ok: true, value: TEXT });
  });

  it("refuses a note signed only by another key", () => {
    expect(openNote(TEXT + "\n" + ENOCH_SIG, peter)).toEqual({
      ok: false,
      reason: "no signature by the pinned key PeterNeumann+c74f20a3",
    });
  });

  it("says the signature does not verify when the text or the signature was altered", () => {
    const reason = "signature does not verify with the pinned key PeterNeumann+c74f20a3";
    const altered = TEXT.replace("cryptography", "cryptographY") + "\n" + PETER_SIG;
    expect(openNote(altered, peter)).toEqual({ ok: false, reason });
    const sig = PETER_SIG.slice(0, 40) + (PETER_SIG[40] === "A" ? "B" : "A") + PETER_SIG.slice(41);
    expect(openNote(TEXT + "\n" + sig, peter)).toEqual({ ok: false, reason });
  });

  it.each([
    TEXT,
    TEXT + "\n",
    TEXT + "\n" + PETER_SIG.slice(0, -1),
    "\x01" + TEXT + "\n" + PETER_SIG,
    TEXT + "\n" + PETER_SIG.replace("PeterNeumann", "Bad Name"),
    TEXT + "\n" + PETER_SIG + "Unexpected line.\n",
    TEXT + "\n" + PETER_SIG.slice(0, 60) + "ABCD" + PETER_SIG.slice(60),
  ])("refuses the malformed or forged note %#", (note) => {
    expect(openNote(note, peter).ok).toBe(false);
  });
});

describe("checkpoints", () => {
  // A checkpoint signed with RFC 8032's first test key, as the ledger writes one.
  const seed = fromHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  const pub = ed.getPublicKey(seed);
  const name = "hdt.local/ledger";
  const id = keyHash(name, pub);
  const key = parseVerifierKey(`${name}+${Array.from(id, (b) => b.toString(16).padStart(2, "0")).join("")}+${toBase64(Uint8Array.of(1, ...pub))}`);
  const sign = (body: string, signer = name) =>
    `${body}\n\u2014 ${signer} ${toBase64(Uint8Array.of(...id, ...ed.sign(utf8(body), seed)))}\n`;
  const root = toBase64(new Uint8Array(32).fill(7));

  it("opens a checkpoint the pinned key signed, for the log it names", () => {
    const opened = openCheckpoint(sign(`${name}\n42\n${root}\n`), key);
    expect(opened.ok && opened.value.treeSize).toBe(42);
    expect(opened.ok && opened.value.origin).toBe(name);
  });

  it("refuses a checkpoint for another log, even signed by the key", () => {
    const opened = openCheckpoint(sign(`other.example/log\n42\n${root}\n`), key);
    expect(opened).toMatchObject({ ok: false, reason: expect.stringMatching(/for the log "other.example\/log"/) });
  });

  it.each([
    [`${name}\n042\n${root}\n`, /tree size/],
    [`${name}\n-1\n${root}\n`, /tree size/],
    [`${name}\n42\nAAAA\n`, /32 bytes/],
    [`${name}\n42\n`, /want origin, size and root/],
  ])("refuses the malformed body %j", (body, reason) => {
    expect(parseCheckpoint(body)).toMatchObject({ ok: false, reason: expect.stringMatching(reason) });
  });
});
