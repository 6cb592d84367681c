// The transport crew's screens, under /transport (lazy-loaded: see shared/features.ts).
import { Navigate, Route, Routes } from "react-router";
import { AdmitPatient } from "./AdmitPatient";
import { MyPatients } from "./MyPatients";

export default function TransportRoutes() {
  return (
    <Routes>
      <Route index element={<Navigate to="admit" replace />} />
      <Route path="admit" element={<AdmitPatient />} />
      <Route path="patients" element={<MyPatients />} />
    </Routes>
  );
}
