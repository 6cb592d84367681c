import type { NavItem } from "../shared/features";

// The patient's own screens: their twin first (where they land after logging in).
export const patientNav: NavItem[] = [
  { to: "/me/twin", label: "My twin" },
  { to: "/me/access", label: "Who accessed my record" },
  { to: "/me/consents", label: "My consents" },
  { to: "/me/export", label: "Export" },
  { to: "/me/erasure", label: "Erase my record" },
];
