// Pieces the auditor's screens share: the verdict box (green or red, always with words),
// hashes shown in full, and the notice that no key is pinned yet.
import type { ReactNode } from "react";
import { Link } from "react-router";
import { useSession } from "../shared/session";
import type { Column } from "../shared/DataTable";
import { usePinnedKey } from "./pin";
import type { EntryFacts } from "./verify/entry";
import type { VerifierKey } from "./verify/note";

export function useUserId(): string {
  return useSession()?.user.id ?? "";
}

export function usePinned(): VerifierKey | null {
  return usePinnedKey(useUserId());
}

/** A check's outcome. A failure is an alert: it is the one thing on the screen that matters. */
export function Verdict({
  ok,
  title,
  reason,
  children,
  testId,
}: {
  ok: boolean;
  title: string;
  reason?: string;
  children?: ReactNode;
  testId?: string;
}) {
  return (
    <div className={ok ? "verdict ok" : "verdict failed"} role={ok ? "status" : "alert"} data-testid={testId} data-verdict={ok ? "ok" : "failed"}>
      <p className="verdict-title">
        <span aria-hidden="true">{ok ? "✔ " : "✘ "}</span>
        {title}
      </p>
      {reason ? <p className="reason">Reason: {reason}</p> : null}
      {children ? <div className="detail">{children}</div> : null}
    </div>
  );
}

export function Hash({ hex }: { hex: string }) {
  return <code className="hash">{hex}</code>;
}

export function KeyName({ pinned }: { pinned: VerifierKey }) {
  return (
    <code>
      {pinned.name}+{pinned.keyHash}
    </code>
  );
}

export function NoKeyPinned() {
  return (
    <div className="warning" role="status">
      <p>
        No key is pinned: nothing can be verified in this browser yet. <Link to="/audit/key">Pin the ledger's public key</Link> first.
      </p>
    </div>
  );
}

export function shortHex(hex: string): string {
  return hex.slice(0, 12);
}

/** A row of an entry list: its seq, and what its bytes say (null when they cannot be read). */
export type EntryRow = { seq: number; facts: EntryFacts | null };

/** The columns the ledger and provenance lists share: the seq, linked to the entry's proof,
 *  then what the entry's bytes say, each "—" when they cannot be read. */
export function entryColumns<T extends EntryRow>(): Record<"seq" | "time" | "action" | "actor" | "hash", Column<T>> {
  return {
    seq: {
      header: "Seq",
      rowHeader: true,
      cell: (r) => (
        <Link to={`/audit/entry/${r.seq}`} aria-label={`Entry ${r.seq}: its proof`}>
          #{r.seq}
        </Link>
      ),
    },
    time: { header: "Time", cell: (r) => r.facts?.time ?? "—" },
    action: { header: "Action", cell: (r) => r.facts?.action ?? "—" },
    actor: { header: "Actor", cell: (r) => (r.facts ? <code>{r.facts.actor}</code> : "—") },
    hash: {
      header: "Hash of its bytes",
      cell: (r) => (r.facts ? <code title={r.facts.leafHash}>{shortHex(r.facts.leafHash)}</code> : "its bytes cannot be read"),
    },
  };
}
