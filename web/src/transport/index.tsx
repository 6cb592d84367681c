// The transport crew's screens, under /transport (lazy-loaded: see shared/features.ts).
import { Navigate, Route, Routes } from "react-router";
import { Page } from "../shared/Page";

function Placeholder() {
  return (
    <Page title="Admit a patient">
      <p>Coming next.</p>
    </Page>
  );
}

export default function TransportRoutes() {
  return (
    <Routes>
      <Route index element={<Navigate to="admit" replace />} />
      <Route path="admit" element={<Placeholder />} />
    </Routes>
  );
}
