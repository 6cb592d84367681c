import type { NavItem } from "../shared/features";

// The physician engineer fills this in: one entry per screen, paths under /physician.
export const physicianNav: NavItem[] = [{ to: "/physician/patients", label: "My patients" }];
