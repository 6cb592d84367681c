import type { NavItem } from "../shared/features";

// The auditor's screens; `/audit/entry/<seq>` (the proof view every anchor links to) is
// reached from an anchor or an entry, not from the navigation.
export const auditNav: NavItem[] = [
  { to: "/audit/ledger", label: "Ledger" },
  { to: "/audit/provenance", label: "Provenance" },
  { to: "/audit/consistency", label: "Consistency" },
  { to: "/audit/break-glass", label: "Break-glass accesses" },
  { to: "/audit/verify", label: "Verify the ledger" },
  { to: "/audit/key", label: "Pinned key" },
];
