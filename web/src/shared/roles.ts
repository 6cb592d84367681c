// Which part of the console a role sees. The server decides what each role may do; this
// only keeps the navigation to what would not be refused.
import type { UserRole } from "../gql/graphql";

export const LEDGER_READERS: UserRole[] = ["ADMIN", "AUDITOR"];

export function canReadLedger(role: UserRole): boolean {
  return LEDGER_READERS.includes(role);
}

export const ROLE_NAMES: Record<UserRole, string> = {
  ADMIN: "Administrator",
  PHYSICIAN: "Physician",
  TRANSPORT: "Transport crew",
  AUDITOR: "Auditor",
  PATIENT: "Patient",
};
