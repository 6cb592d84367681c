// The auditor's screens, under /audit (lazy-loaded: see shared/features.ts). Admins may read
// the ledger too, so they have these routes as well.
import { Route, Routes, useParams } from "react-router";
import { Page } from "../shared/Page";

function Ledger() {
  return (
    <Page title="Ledger">
      <p>The auditor screens are being built.</p>
    </Page>
  );
}

function EntryProof() {
  const { seq } = useParams();
  return (
    <Page title={`Ledger entry ${seq}`}>
      <p>The proof of this entry will be verified here, in the browser.</p>
    </Page>
  );
}

export default function AuditRoutes() {
  return (
    <Routes>
      <Route path="ledger" element={<Ledger />} />
      <Route path="entry/:seq" element={<EntryProof />} />
    </Routes>
  );
}
