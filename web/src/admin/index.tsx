// The administrator's screens, under /admin (lazy-loaded: see shared/features.ts).
import { Navigate, Route, Routes } from "react-router";
import { PendingUsers } from "./PendingUsers";

export default function AdminRoutes() {
  return (
    <Routes>
      <Route index element={<Navigate to="users/pending" replace />} />
      <Route path="users/pending" element={<PendingUsers />} />
    </Routes>
  );
}
