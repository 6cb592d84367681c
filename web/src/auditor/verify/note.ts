// C2SP signed notes and tlog checkpoints, opened in the browser with a key the auditor pinned.
//
// The formats of ledger/note.py and ledger/checkpoint.py (golang.org/x/mod/sumdb/note's):
// a verifier key is "<name>+<hex key hash>+<base64(0x01 || Ed25519 public key)>", the key
// hash the first 4 bytes of SHA-256(name || "\n" || 0x01 || key); a note is text, a blank
// line, then lines "— <name> <base64(key hash || Ed25519 signature of the text)>"; a
// checkpoint's text is origin, tree size and base64 root, one per line. Ed25519 is checked
// by @noble/ed25519 (strict RFC 8032 rules, like OpenSSL on the server) over @noble/hashes'
// SHA-512: no WebCrypto feature the browser may lack, and the same code in node's tests.
import * as ed from "@noble/ed25519";
import { sha256, sha512 } from "@noble/hashes/sha2.js";
import { concat, equal, fromBase64, toBase64, toHex, utf8 } from "./bytes";
import { HASH_SIZE } from "./merkle";

ed.hashes.sha512 = sha512;

const ALG_ED25519 = 0x01;
const SIG_PREFIX = "\u2014 "; // em dash, space
const MAX_NOTE = 1 << 20;

export type VerifierKey = {
  name: string;
  /** The 4-byte key id, as 8 hex digits. */
  keyHash: string;
  publicKey: Uint8Array;
  /** The key as text, exactly as pinned. */
  text: string;
};

export type Checkpoint = { origin: string; treeSize: number; rootHash: Uint8Array };

export type Opened<T> = { ok: true; value: T } | { ok: false; reason: string };

export class InvalidKey extends Error {}

export function keyHash(name: string, publicKey: Uint8Array): Uint8Array {
  return sha256(concat(utf8(name), Uint8Array.of(0x0a, ALG_ED25519), publicKey)).slice(0, 4);
}

function validName(name: string): boolean {
  return name.length > 0 && !/[\s+]/u.test(name);
}

/** Parse a verifier key; throws InvalidKey saying what is wrong with it. */
export function parseVerifierKey(input: string): VerifierKey {
  const text = input.trim();
  const first = text.indexOf("+");
  const second = first < 0 ? -1 : text.indexOf("+", first + 1);
  if (second < 0) throw new InvalidKey("not a note verifier key (want name+hexhash+base64key)");
  const name = text.slice(0, first);
  const hexHash = text.slice(first + 1, second);
  const blob = text.slice(second + 1);
  if (!validName(name) || !/^[0-9a-f]{8}$/.test(hexHash)) {
    throw new InvalidKey("not a note verifier key (want name+hexhash+base64key)");
  }
  let raw: Uint8Array;
  try {
    raw = fromBase64(blob);
  } catch {
    throw new InvalidKey("the key part is not canonical base64");
  }
  if (raw.length !== 33 || raw[0] !== ALG_ED25519) throw new InvalidKey("the verifier key is not an Ed25519 key");
  const publicKey = raw.slice(1);
  if (toHex(keyHash(name, publicKey)) !== hexHash) {
    throw new InvalidKey("the key hash does not match the key's name and bytes");
  }
  return { name, keyHash: hexHash, publicKey, text };
}

function validText(text: string): boolean {
  if (!text.endsWith("\n") || text.startsWith("\n") || text.includes("\n\n")) return false;
  for (const c of text) if (c !== "\n" && c.codePointAt(0)! < 0x20) return false;
  return true;
}

/** The text of `note` if it carries a valid signature by `key`. Signatures by other keys
 *  are skipped; one that names this key and does not verify fails the note. */
export function openNote(note: string, key: VerifierKey): Opened<string> {
  if (note.length > MAX_NOTE) return { ok: false, reason: "malformed note: too long" };
  const split = note.lastIndexOf("\n\n");
  if (split < 0) return { ok: false, reason: "malformed note: no blank line before the signatures" };
  const text = note.slice(0, split + 1);
  const block = note.slice(split + 2);
  if (!validText(text) || !block.endsWith("\n")) return { ok: false, reason: "malformed note" };
  const wantId = key.keyHash;
  let found = false;
  for (const line of block.slice(0, -1).split("\n")) {
    if (!line.startsWith(SIG_PREFIX)) return { ok: false, reason: "malformed note: a signature line must start with an em dash" };
    const rest = line.slice(SIG_PREFIX.length);
    const space = rest.indexOf(" ");
    const name = space < 0 ? rest : rest.slice(0, space);
    const b64 = space < 0 ? "" : rest.slice(space + 1);
    if (!validName(name) || b64.includes(" ")) return { ok: false, reason: "malformed note: bad signature line" };
    let sig: Uint8Array;
    try {
      sig = fromBase64(b64);
    } catch {
      return { ok: false, reason: "malformed note: a signature is not canonical base64" };
    }
    if (sig.length < 5) return { ok: false, reason: "malformed note: a signature is too short" };
    if (name !== key.name || toHex(sig.slice(0, 4)) !== wantId) continue;
    if (!verifyEd25519(sig.slice(4), utf8(text), key.publicKey)) {
      return { ok: false, reason: `signature does not verify with the pinned key ${key.name}+${key.keyHash}` };
    }
    found = true;
  }
  if (!found) return { ok: false, reason: `no signature by the pinned key ${key.name}+${key.keyHash}` };
  return { ok: true, value: text };
}

function verifyEd25519(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    return signature.length === 64 && ed.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false; // a key or signature that is not a curve point verifies nothing
  }
}

/** A checkpoint body: origin, tree size, base64 root (later extension lines are ignored). */
export function parseCheckpoint(text: string): Opened<Checkpoint> {
  const lines = text.split("\n");
  if (lines.length < 4 || lines[lines.length - 1] !== "" || !lines[0]) {
    return { ok: false, reason: "malformed checkpoint: want origin, size and root lines" };
  }
  const [origin, sizeText, rootText] = lines;
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) {
    return { ok: false, reason: "malformed checkpoint: the tree size is not a number" };
  }
  let root: Uint8Array;
  try {
    root = fromBase64(rootText);
  } catch {
    return { ok: false, reason: "malformed checkpoint: the root hash is not base64" };
  }
  if (root.length !== HASH_SIZE) return { ok: false, reason: "malformed checkpoint: the root hash is not 32 bytes" };
  return { ok: true, value: { origin, treeSize: Number(sizeText), rootHash: root } };
}

/** The checkpoint a note states, if the pinned key signed it for the log the key names. */
export function openCheckpoint(note: string, key: VerifierKey): Opened<Checkpoint> {
  const opened = openNote(note, key);
  if (!opened.ok) return opened;
  const checkpoint = parseCheckpoint(opened.value);
  if (checkpoint.ok && checkpoint.value.origin !== key.name) {
    return { ok: false, reason: `the checkpoint is for the log ${JSON.stringify(checkpoint.value.origin)}, the pinned key for ${JSON.stringify(key.name)}` };
  }
  return checkpoint;
}

/** What a note states, its signature NOT checked: to show a note before a key is pinned. */
export function peekCheckpoint(note: string): Opened<Checkpoint> {
  const split = note.indexOf("\n\n");
  return parseCheckpoint(split < 0 ? note : note.slice(0, split + 1));
}

export function sameCheckpoint(a: Checkpoint, b: Checkpoint): boolean {
  return a.origin === b.origin && a.treeSize === b.treeSize && equal(a.rootHash, b.rootHash);
}

export { toBase64 };
