// A ledger entry's own bytes, read in the browser: the server's `entryBytes` (the canonical
// RFC 8785 JSON that ledger/entry.py writes, payload still sealed) are hashed here, and the
// metadata the screens show is read from them, never taken from the fields beside them.
//
// checkEntryBytes recomputes the RFC 6962 leaf hash, so a proof can be checked from the bytes
// up; it requires the bytes to be exactly the canonical form (so no two readers can read them
// differently: no duplicate key, no extra field, no other spelling) and every field the server
// states beside them to say the same. Pure functions; a failure says why, nothing throws.
import { EncodingError, fromBase64, toHex } from "./bytes";
import { leafHash } from "./merkle";

/** What the API serves for an entry (`LedgerEntryMeta`). */
export type ServedEntry = {
  seq: number;
  time: string;
  actor: string;
  action: string;
  subjects: string[];
  entryHash: string;
  prevHash: string;
  keySubject: string;
  entryBytes: string;
};

/** What the bytes say, with the leaf hash recomputed from them (hex, as the server writes). */
export type EntryFacts = {
  seq: number;
  time: string;
  actor: string;
  action: string;
  subjects: string[];
  keySubject: string;
  prevHash: string;
  leafHash: string;
};

/** `facts` is set whenever the bytes could be read, even if a check failed: the screens show
 *  what the bytes say, not what the server says beside them. */
export type EntryCheck = { ok: true; facts: EntryFacts } | { ok: false; reason: string; facts: EntryFacts | null };

const FATAL_UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

const isString = (v: unknown): v is string => typeof v === "string";
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Parse canonical entry bytes; a string says why they are not an entry. */
export function readEntryBytes(bytes: Uint8Array): Omit<EntryFacts, "leafHash"> | string {
  let text: string;
  let obj: unknown;
  try {
    text = FATAL_UTF8.decode(bytes);
    obj = JSON.parse(text);
  } catch {
    return "the entry bytes are not UTF-8 JSON";
  }
  if (!isObject(obj) || !isObject(obj.chain) || !isObject(obj.event) || !isObject(obj.payload)) {
    return "the entry bytes are not a ledger entry: chain, event or payload missing";
  }
  const { chain, event, payload } = obj;
  const { seq, time, prev } = chain;
  const { action, actor, key_subject, subjects } = event;
  if (
    typeof seq !== "number" ||
    !Number.isSafeInteger(seq) ||
    seq < 0 ||
    ![time, prev, action, actor, key_subject, payload.ciphertext, payload.nonce].every(isString) ||
    !Array.isArray(subjects) ||
    !subjects.every(isString)
  ) {
    return "the entry bytes are not a ledger entry: a field is missing or of the wrong type";
  }
  let prevBytes: Uint8Array;
  try {
    prevBytes = fromBase64(prev as string);
    fromBase64(payload.ciphertext as string);
    fromBase64(payload.nonce as string);
  } catch (error) {
    if (error instanceof EncodingError) return "the entry bytes are not a ledger entry: a hash or the payload is not canonical base64";
    throw error;
  }
  if (prevBytes.length !== 32) return "the entry bytes are not a ledger entry: its previous hash is not 32 bytes";
  // RFC 8785 of these values (integers, strings, sorted ASCII keys) is what JSON.stringify
  // writes for them in this key order; anything else (a duplicate key, an extra field,
  // spaces, another escape) is not the writer's form.
  const canonical = JSON.stringify({
    chain: { prev, seq, time },
    event: { action, actor, key_subject, subjects },
    payload: { ciphertext: payload.ciphertext, nonce: payload.nonce },
  });
  if (canonical !== text) return "the entry bytes are not in the ledger's canonical form";
  return {
    seq,
    time: time as string,
    actor: actor as string,
    action: action as string,
    subjects: subjects as string[],
    keySubject: key_subject as string,
    prevHash: toHex(prevBytes),
  };
}

const show = (v: unknown) => JSON.stringify(v);

/** The served entry's bytes against its hash and against every field served beside them. */
export function checkEntryBytes(entry: ServedEntry): EntryCheck {
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(entry.entryBytes);
  } catch (error) {
    if (error instanceof EncodingError) return { ok: false, reason: "the entry bytes are not canonical base64", facts: null };
    throw error;
  }
  const leaf = toHex(leafHash(bytes));
  const read = readEntryBytes(bytes);
  const facts = typeof read === "string" ? null : { ...read, leafHash: leaf };
  if (leaf !== entry.entryHash) {
    return { ok: false, reason: `the entry bytes hash to ${leaf}, not the entry hash ${entry.entryHash}`, facts };
  }
  if (typeof read === "string" || !facts) return { ok: false, reason: read as string, facts: null };
  const pairs: [string, unknown, unknown][] = [
    ["seq", facts.seq, entry.seq],
    ["time", facts.time, entry.time],
    ["action", facts.action, entry.action],
    ["actor", facts.actor, entry.actor],
    ["subjects", facts.subjects, entry.subjects],
    ["key subject", facts.keySubject, entry.keySubject],
    ["previous hash", facts.prevHash, entry.prevHash],
  ];
  for (const [name, bytesSay, serverSays] of pairs) {
    if (show(bytesSay) !== show(serverSays)) {
      return { ok: false, reason: `the entry's bytes say ${name} ${show(bytesSay)}, the server says ${show(serverSays)}`, facts };
    }
  }
  return { ok: true, facts };
}

/** Does `entry` (already read) follow `before` in the chain? Both from their own bytes. */
export function checkChainLink(before: EntryFacts, entry: EntryFacts): { ok: true } | { ok: false; reason: string } {
  if (entry.seq !== before.seq + 1) return { ok: false, reason: `entry ${entry.seq} does not follow entry ${before.seq}` };
  if (entry.prevHash !== before.leafHash) {
    return { ok: false, reason: `its previous hash ${entry.prevHash} is not the hash of entry ${before.seq}'s bytes, ${before.leafHash}` };
  }
  return { ok: true };
}
