// C2SP tlog-cosignature/v1 (Ed25519), checked in the browser: which witnesses vouched for a
// checkpoint, as ledger/cosignature.py and `hdt ledger verify --witness` check it.
//
// A witness key is "<name>+<hex key id>+<base64(0x04 || Ed25519 public key)>", the key id
// the first 4 bytes of SHA-256(name || "\n" || 0x04 || key); a cosignature is a note
// signature line "— <name> <base64(key id || u64 timestamp || signature)>", the signature
// over "cosignature/v1\ntime <timestamp>\n" followed by the checkpoint's note text.
import * as ed from "@noble/ed25519";
import { sha256 } from "@noble/hashes/sha2.js";
import { concat, fromBase64, toHex, utf8 } from "./bytes";
import { InvalidKey } from "./note";

const ALG_COSIGNATURE_V1 = 0x04;
const SIG_PREFIX = "\u2014 ";

export type WitnessKey = { name: string; keyHash: string; publicKey: Uint8Array; text: string };

export type Cosignature = { witness: string; timestamp: number };

function cosignatureKeyHash(name: string, publicKey: Uint8Array): string {
  return toHex(sha256(concat(utf8(name), Uint8Array.of(0x0a, ALG_COSIGNATURE_V1), publicKey)).slice(0, 4));
}

/** Parse a witness's cosignature/v1 key; throws InvalidKey saying what is wrong. */
export function parseWitnessKey(input: string): WitnessKey {
  const text = input.trim();
  const parts = text.split("+");
  if (parts.length < 3) throw new InvalidKey("not a witness key (want name+hexhash+base64key)");
  const [name, hexHash] = parts;
  const blob = parts.slice(2).join("+");
  if (!name || /\s/u.test(name) || !/^[0-9a-f]{8}$/.test(hexHash)) {
    throw new InvalidKey("not a witness key (want name+hexhash+base64key)");
  }
  let raw: Uint8Array;
  try {
    raw = fromBase64(blob);
  } catch {
    throw new InvalidKey("the key part is not canonical base64");
  }
  if (raw.length !== 33 || raw[0] !== ALG_COSIGNATURE_V1) {
    throw new InvalidKey("not an Ed25519 cosignature/v1 key");
  }
  const publicKey = raw.slice(1);
  if (cosignatureKeyHash(name, publicKey) !== hexHash) {
    throw new InvalidKey("the key hash does not match the key's name and bytes");
  }
  return { name, keyHash: hexHash, publicKey, text };
}

/** The valid cosignatures on `note` by `keys`, one per witness; other lines are ignored. */
export function cosignaturesOn(note: string, keys: WitnessKey[]): Cosignature[] {
  const split = note.lastIndexOf("\n\n");
  if (split < 0) return [];
  const text = note.slice(0, split + 1);
  const found = new Map<string, Cosignature>();
  for (const line of note.slice(split + 2).split("\n")) {
    if (!line.startsWith(SIG_PREFIX)) continue;
    const [name, b64] = line.slice(SIG_PREFIX.length).split(" ");
    const key = keys.find((k) => k.name === name);
    if (!key || found.has(name) || b64 === undefined) continue;
    let sig: Uint8Array;
    try {
      sig = fromBase64(b64);
    } catch {
      continue;
    }
    if (sig.length !== 4 + 8 + 64 || toHex(sig.slice(0, 4)) !== key.keyHash) continue;
    const stamp = new DataView(sig.buffer, sig.byteOffset + 4, 8).getBigUint64(0);
    if (stamp > BigInt(Number.MAX_SAFE_INTEGER)) continue;
    const message = concat(utf8(`cosignature/v1\ntime ${stamp}\n`), utf8(text));
    let ok = false;
    try {
      ok = ed.verify(sig.slice(12), message, key.publicKey, { zip215: false });
    } catch {
      ok = false;
    }
    if (ok) found.set(name, { witness: name, timestamp: Number(stamp) });
  }
  return [...found.values()];
}
