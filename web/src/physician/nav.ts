import type { NavItem } from "../shared/features";

export const physicianNav: NavItem[] = [
  { to: "/physician/patients", label: "My patients" },
  { to: "/physician/diseases", label: "Disease explorer" },
  { to: "/physician/break-glass", label: "Emergency access" },
];
