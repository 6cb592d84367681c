// Strict byte encodings for what the server sends: hex (hashes) and canonical base64 (note
// signatures, keys, roots). A value that is not exactly one of them is refused, so a
// verifier never checks bytes other than those it was shown.

export class EncodingError extends Error {}

const HEX = /^(?:[0-9a-f]{2})*$/;

export function fromHex(text: string): Uint8Array {
  if (!HEX.test(text)) throw new EncodingError(`not lower-case hex: ${JSON.stringify(text.slice(0, 20))}`);
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

const B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Standard base64 with padding; refuses anything whose re-encoding differs (non-zero pad
 *  bits), as Python's `b64decode(validate=True)` plus the round trip in ledger/note.py do. */
export function fromBase64(text: string): Uint8Array {
  if (!B64.test(text)) throw new EncodingError("not base64");
  const binary = atob(text);
  const out = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  if (toBase64(out) !== text) throw new EncodingError("not canonical base64");
  return out;
}

export function toBase64(bytes: Uint8Array): string {
  // In slices: an entry's ciphertext can be larger than the arguments one call may take.
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
