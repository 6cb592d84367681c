import type { NavItem } from "../shared/features";

// The auditor engineer fills this in: one entry per screen, paths under /audit.
// `/audit/entry/<seq>` is the proof view every anchor links to (shared/Anchor.tsx).
export const auditNav: NavItem[] = [{ to: "/audit/ledger", label: "Ledger" }];
