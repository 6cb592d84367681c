// The server's searches as suggestion lists for a Combobox.
import { useCallback } from "react";
import { useClient } from "urql";
import { DiseaseSearchDocument, MedicationSearchDocument } from "../gql/graphql";
import type { Suggestion } from "./Combobox";

export function diseaseLabel(d: { code: string; display: string }): string {
  return `${d.code} ${d.display}`;
}

export function useDiseaseSearch(): (text: string) => Promise<Suggestion[]> {
  const client = useClient();
  return useCallback(
    async (text: string) => {
      const result = await client.query(DiseaseSearchDocument, { text }, { requestPolicy: "network-only" }).toPromise();
      return (result.data?.diseaseSearch ?? []).map((d) => ({ value: d.code, label: diseaseLabel(d) }));
    },
    [client],
  );
}

export function useMedicationSearch(): (text: string) => Promise<Suggestion[]> {
  const client = useClient();
  return useCallback(
    async (text: string) => {
      const result = await client.query(MedicationSearchDocument, { text }, { requestPolicy: "network-only" }).toPromise();
      return (result.data?.medicationSearch ?? [])
        .filter((m) => /^\d+$/.test(m.code))
        .map((m) => ({ value: m.code, label: `${m.name} (RxNorm ${m.code})` }));
    },
    [client],
  );
}
