import type { ClinicalRisk, InteractionSeverity } from "../gql/graphql";

export const RISK_LABEL: Record<ClinicalRisk, string> = {
  LOW: "Low",
  LOW_MEDIUM: "Low–medium",
  MEDIUM: "Medium",
  HIGH: "High",
};

export const SEVERITY_LABEL: Record<InteractionSeverity, string> = {
  CONTRAINDICATED: "Contraindicated",
  AVOID: "Avoid",
  PRECAUTION: "Precaution",
  CAUTION: "Caution",
};
