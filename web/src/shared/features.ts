// The console's features, one per role's work. A feature is a folder under src/ with an
// `index.tsx` (its routes, lazy-loaded so a role downloads only its own screens) and a
// `nav.ts` (its entries in the navigation, small and loaded at once).
import { lazy, type ComponentType, type LazyExoticComponent } from "react";
import type { UserRole } from "../gql/graphql";
import { adminNav } from "../admin/nav";
import { auditNav } from "../auditor/nav";
import { patientNav } from "../patient/nav";
import { physicianNav } from "../physician/nav";
import { transportNav } from "../transport/nav";

export type NavItem = { to: string; label: string };

export type Feature = {
  /** The URL prefix its routes live under, e.g. `/admin`. */
  base: string;
  roles: UserRole[];
  nav: NavItem[];
  Routes: LazyExoticComponent<ComponentType>;
};

export const FEATURES: Feature[] = [
  { base: "/admin", roles: ["ADMIN"], nav: adminNav, Routes: lazy(() => import("../admin")) },
  { base: "/transport", roles: ["TRANSPORT"], nav: transportNav, Routes: lazy(() => import("../transport")) },
  { base: "/physician", roles: ["PHYSICIAN"], nav: physicianNav, Routes: lazy(() => import("../physician")) },
  { base: "/me", roles: ["PATIENT"], nav: patientNav, Routes: lazy(() => import("../patient")) },
  { base: "/audit", roles: ["AUDITOR", "ADMIN"], nav: auditNav, Routes: lazy(() => import("../auditor")) },
];

export function featuresFor(role: UserRole): Feature[] {
  return FEATURES.filter((f) => f.roles.includes(role));
}

/** Where a role lands after login. */
export function homeFor(role: UserRole): string {
  return featuresFor(role)[0]?.nav[0]?.to ?? "/";
}
