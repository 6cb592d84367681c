// The patient's screens, under /me (lazy-loaded: see shared/features.ts). A patient's account
// reads one twin, their own; every screen here finds its id with `useMyPatient`.
import { Navigate, Route, Routes } from "react-router";
import { AccessPage } from "./AccessPage";
import { ConsentsPage } from "./ConsentsPage";
import { ErasurePage } from "./ErasurePage";
import { ExportPage } from "./ExportPage";
import { MyTwinPage } from "./MyTwinPage";

export default function PatientRoutes() {
  return (
    <Routes>
      <Route index element={<Navigate to="twin" replace />} />
      <Route path="twin" element={<MyTwinPage />} />
      <Route path="access" element={<AccessPage />} />
      <Route path="consents" element={<ConsentsPage />} />
      <Route path="export" element={<ExportPage />} />
      <Route path="erasure" element={<ErasurePage />} />
    </Routes>
  );
}
