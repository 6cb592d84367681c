// The auditor's screens, under /audit (lazy-loaded: see shared/features.ts). Admins may read
// the ledger too, so they have these routes as well. Every proof and signature is checked in
// this browser (verify/*.ts) with the key the auditor pinned; the server is trusted for nothing.
import { Route, Routes } from "react-router";
import "./auditor.css";
import { BreakGlassPage } from "./BreakGlassPage";
import { ConsistencyPage } from "./ConsistencyPage";
import { EntryPage } from "./EntryPage";
import { KeyPage } from "./KeyPage";
import { LedgerPage } from "./LedgerPage";
import { ProvenancePage } from "./ProvenancePage";
import { VerifyLedgerPage } from "./VerifyLedgerPage";

export default function AuditRoutes() {
  return (
    <Routes>
      <Route path="ledger" element={<LedgerPage />} />
      <Route path="entry/:seq" element={<EntryPage />} />
      <Route path="provenance" element={<ProvenancePage />} />
      <Route path="provenance/:nodeId" element={<ProvenancePage />} />
      <Route path="consistency" element={<ConsistencyPage />} />
      <Route path="break-glass" element={<BreakGlassPage />} />
      <Route path="verify" element={<VerifyLedgerPage />} />
      <Route path="key" element={<KeyPage />} />
    </Routes>
  );
}
