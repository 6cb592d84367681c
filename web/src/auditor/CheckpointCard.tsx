// The latest signed checkpoint, its signature checked in this browser with the pinned key.
import { useMemo } from "react";
import { toHex } from "./verify/bytes";
import { openCheckpoint, peekCheckpoint, type Checkpoint, type Opened } from "./verify/note";
import { Hash, KeyName, NoKeyPinned, usePinned, Verdict } from "./parts";

export function useOpenedCheckpoint(note: string | undefined): Opened<Checkpoint> | null {
  const pinned = usePinned();
  return useMemo(() => (note && pinned ? openCheckpoint(note, pinned) : null), [note, pinned]);
}

export function CheckpointVerdict({ note, what = "Checkpoint" }: { note: string; what?: string }) {
  const pinned = usePinned();
  const opened = useOpenedCheckpoint(note);
  if (!pinned || !opened) return <NoKeyPinned />;
  if (!opened.ok) {
    return <Verdict ok={false} title={`${what}: signature check failed`} reason={opened.reason} testId="checkpoint-verdict" />;
  }
  return (
    <Verdict ok title={`${what}: signature verified in this browser`} testId="checkpoint-verdict">
      <p>
        Signed by the pinned key <KeyName pinned={pinned} />: the log <code>{opened.value.origin}</code> had{" "}
        <strong data-testid="checkpoint-size">{opened.value.treeSize}</strong> entries, with root{" "}
        <Hash hex={toHex(opened.value.rootHash)} />.
      </p>
    </Verdict>
  );
}

export function NoteText({ note, label }: { note: string; label: string }) {
  const peek = peekCheckpoint(note);
  return (
    <details>
      <summary>
        {label}
        {peek.ok ? ` (says ${peek.value.treeSize} entries; unverified until checked above)` : ""}
      </summary>
      <pre className="note" data-testid="note-text">
        {note}
      </pre>
    </details>
  );
}
