import type { NavItem } from "../shared/features";

export const adminNav: NavItem[] = [
  { to: "/admin/users/pending", label: "Pending users" },
  { to: "/admin/staff", label: "Physicians and crews" },
  { to: "/admin/patients", label: "Patient records" },
  { to: "/admin/medications", label: "Medication transactions" },
  { to: "/admin/diseases", label: "Disease records" },
  { to: "/admin/results", label: "Disease results" },
  { to: "/admin/erasure-requests", label: "Erasure requests" },
];
