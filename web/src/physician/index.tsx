// The physician's screens, under /physician (lazy-loaded: see shared/features.ts).
import { Navigate, Route, Routes } from "react-router";
import "./physician.css";
import { BreakGlassPage } from "./BreakGlassPage";
import { DiagnosisPage } from "./DiagnosisPage";
import { DischargePage } from "./DischargePage";
import { DiseaseExplorer } from "./DiseaseExplorer";
import { MedicationsPage } from "./MedicationsPage";
import { PatientsPage } from "./PatientsPage";
import { PrescribePage } from "./PrescribePage";
import { SurgeryPage } from "./SurgeryPage";
import { TwinPage } from "./TwinPage";

export default function PhysicianRoutes() {
  return (
    <Routes>
      <Route index element={<Navigate to="patients" replace />} />
      <Route path="patients" element={<PatientsPage />} />
      <Route path="patients/:id" element={<TwinPage />} />
      <Route path="patients/:id/diagnose" element={<DiagnosisPage />} />
      <Route path="patients/:id/prescribe" element={<PrescribePage />} />
      <Route path="patients/:id/medications" element={<MedicationsPage />} />
      <Route path="patients/:id/surgery" element={<SurgeryPage />} />
      <Route path="patients/:id/discharge" element={<DischargePage />} />
      <Route path="break-glass" element={<BreakGlassPage />} />
      <Route path="diseases" element={<DiseaseExplorer />} />
    </Routes>
  );
}
