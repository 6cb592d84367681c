// The logged-in session: kept in memory, and in sessionStorage so a reload of the tab keeps
// it (it dies with the tab; the strict CSP leaves no way for injected script to read it).
// Also the one place that asks for the password again when the server says the token expired.
import { useSyncExternalStore } from "react";
import type { UserRole } from "../gql/graphql";

export type SessionUser = {
  id: string;
  username: string;
  displayName: string;
  role: UserRole;
};

export type Session = { token: string; expiresAt: string; user: SessionUser };

type State = { session: Session | null; reauthPending: boolean };

const KEY = "hdt.session";
const listeners = new Set<() => void>();
let state: State = { session: load(), reauthPending: false };
let reauthWaiters: ((ok: boolean) => void)[] = [];

function load(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

function set(next: Partial<State>): void {
  state = { ...state, ...next };
  if ("session" in next) {
    if (next.session) sessionStorage.setItem(KEY, JSON.stringify(next.session));
    else sessionStorage.removeItem(KEY);
  }
  listeners.forEach((listener) => listener());
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function currentToken(): string | null {
  return state.session?.token ?? null;
}

export function useSessionState(): State {
  return useSyncExternalStore(subscribe, () => state);
}

export function useSession(): Session | null {
  return useSessionState().session;
}

export function startSession(session: Session): void {
  set({ session });
}

/** Forget the token. Requests waiting for a new password are answered with their error. */
export function endSession(): void {
  const waiters = reauthWaiters;
  reauthWaiters = [];
  set({ session: null, reauthPending: false });
  waiters.forEach((resolve) => resolve(false));
}

/** Ask the user for their password again; resolves true once a fresh token is in place.
 *  Concurrent callers share one prompt. Nothing on screen unmounts meanwhile. */
export function requestReauth(): Promise<boolean> {
  if (!state.session) return Promise.resolve(false);
  const waiting = new Promise<boolean>((resolve) => reauthWaiters.push(resolve));
  if (!state.reauthPending) set({ reauthPending: true });
  return waiting;
}

export function completeReauth(session: Session): void {
  const waiters = reauthWaiters;
  reauthWaiters = [];
  set({ session, reauthPending: false });
  waiters.forEach((resolve) => resolve(true));
}
