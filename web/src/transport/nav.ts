import type { NavItem } from "../shared/features";

export const transportNav: NavItem[] = [
  { to: "/transport/admit", label: "Admit a patient" },
  { to: "/transport/patients", label: "My patients" },
];
