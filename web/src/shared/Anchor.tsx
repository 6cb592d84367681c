// Where a change is anchored in the ledger: its seq and a short entry hash, linked to the
// auditor's proof view for the roles that may read the ledger.
import { Link } from "react-router";
import type { AnchorFieldsFragment } from "../gql/graphql";
import { useSession } from "./session";
import { canReadLedger } from "./roles";

export function proofPath(seq: number): string {
  return `/audit/entry/${seq}`;
}

export function shortHash(hash: string): string {
  return hash.slice(0, 12);
}

export function Anchor({ anchor }: { anchor: AnchorFieldsFragment }) {
  const session = useSession();
  const label = (
    <>
      entry <strong>#{anchor.seq}</strong> <code title={anchor.entryHash}>{shortHash(anchor.entryHash)}</code>
    </>
  );
  return (
    <span className="anchor" data-seq={anchor.seq}>
      Anchored as{" "}
      {session && canReadLedger(session.user.role) ? (
        <Link to={proofPath(anchor.seq)}>
          {label}
          <span className="visually-hidden"> (see its proof)</span>
        </Link>
      ) : (
        label
      )}
    </span>
  );
}

/** What the server acknowledged: shown only once the answer is in. */
export function Saved({ what, anchor }: { what: string; anchor: AnchorFieldsFragment }) {
  return (
    <div className="saved" role="status">
      <p>
        {what} <Anchor anchor={anchor} />
      </p>
    </div>
  );
}
