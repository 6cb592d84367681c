// The physician's screens, under /physician (lazy-loaded: see shared/features.ts).
import { Route, Routes } from "react-router";
import { Page } from "../shared/Page";

function Placeholder() {
  return (
    <Page title="My patients">
      <p>The physician screens are being built.</p>
    </Page>
  );
}

export default function PhysicianRoutes() {
  return (
    <Routes>
      <Route path="patients" element={<Placeholder />} />
    </Routes>
  );
}
