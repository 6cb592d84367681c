// The administrator's screens, under /admin (lazy-loaded: see shared/features.ts).
import { Navigate, Route, Routes } from "react-router";
import { AssignPhysician } from "./AssignPhysician";
import { DiseaseRecords } from "./DiseaseRecords";
import { DiseaseResults } from "./DiseaseResults";
import { ErasureRequests } from "./ErasureRequests";
import { MedicationTransactions } from "./MedicationTransactions";
import { PatientRecords } from "./PatientRecords";
import { PendingUsers } from "./PendingUsers";
import { Staff } from "./Staff";

export default function AdminRoutes() {
  return (
    <Routes>
      <Route index element={<Navigate to="users/pending" replace />} />
      <Route path="users/pending" element={<PendingUsers />} />
      <Route path="staff" element={<Staff />} />
      <Route path="patients" element={<PatientRecords />} />
      <Route path="patients/:patientId/assign" element={<AssignPhysician />} />
      <Route path="medications" element={<MedicationTransactions />} />
      <Route path="diseases" element={<DiseaseRecords />} />
      <Route path="results" element={<DiseaseResults />} />
      <Route path="erasure-requests" element={<ErasureRequests />} />
    </Routes>
  );
}
