// What the auditor keeps on this computer, per user: the pinned verifier key every check is
// made with, and the checkpoint saved to check the log's growth against later. localStorage,
// so both outlive the session: trusting a key is a decision made once, not at each login.
import { useSyncExternalStore } from "react";
import { InvalidKey, parseVerifierKey, type VerifierKey } from "./verify/note";

export type SavedCheckpoint = { note: string; savedAt: string };

const listeners = new Set<() => void>();
const cache = new Map<string, unknown>();

function storageKey(userId: string, what: "key" | "checkpoint"): string {
  return `hdt.audit.${userId}.${what}`;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function changed(): void {
  cache.clear();
  listeners.forEach((listener) => listener());
}

function read<T>(name: string, parse: (raw: string) => T | null): T | null {
  if (!cache.has(name)) {
    let value: T | null = null;
    try {
      const raw = localStorage.getItem(name);
      value = raw === null ? null : parse(raw);
    } catch {
      value = null;
    }
    cache.set(name, value);
  }
  return cache.get(name) as T | null;
}

function write(name: string, value: string | null): void {
  if (value === null) localStorage.removeItem(name);
  else localStorage.setItem(name, value);
  changed();
}

function parseKey(raw: string): VerifierKey | null {
  try {
    return parseVerifierKey(raw);
  } catch (error) {
    if (error instanceof InvalidKey) return null;
    throw error;
  }
}

export function usePinnedKey(userId: string): VerifierKey | null {
  const name = storageKey(userId, "key");
  return useSyncExternalStore(subscribe, () => read(name, parseKey));
}

/** Pin `text` (already checked by parseVerifierKey), or unpin with null. */
export function pinKey(userId: string, text: string | null): void {
  write(storageKey(userId, "key"), text === null ? null : text.trim());
}

export function useSavedCheckpoint(userId: string): SavedCheckpoint | null {
  const name = storageKey(userId, "checkpoint");
  return useSyncExternalStore(subscribe, () => read(name, (raw) => JSON.parse(raw) as SavedCheckpoint));
}

export function saveCheckpoint(userId: string, note: string | null): void {
  write(storageKey(userId, "checkpoint"), note === null ? null : JSON.stringify({ note, savedAt: new Date().toISOString() }));
}

window.addEventListener("storage", changed);
