import { useState } from "react";
import { useQuery } from "urql";
import { MedicationTransactionsDocument, type TransactionKind } from "../gql/graphql";
import { Anchor } from "../shared/Anchor";
import { FilterForm, SelectField, TextField, text } from "../shared/form";
import { when } from "../shared/format";
import { PagedTable } from "../shared/DataTable";
import { Page } from "../shared/Page";
import { usePages } from "../shared/Pager";

const PAGE = 25;
const KINDS: Record<string, string> = { PRESCRIPTION: "prescriptions", ADMINISTRATION: "administrations" };

export function MedicationTransactions() {
  const [filter, setFilter] = useState<{ kind: TransactionKind | null; medicationCode: string | null }>({ kind: null, medicationCode: null });
  const pages = usePages();
  const [{ data, fetching, error, operation }] = useQuery({
    query: MedicationTransactionsDocument,
    variables: { first: PAGE, after: pages.after, filter },
  });

  return (
    <Page title="Medication transactions">
      <FilterForm
        id="transaction-filter"
        error={error}
        onSubmit={(form) => {
          pages.reset();
          setFilter({ kind: text(form, "filter.kind") as TransactionKind | null, medicationCode: text(form, "filter.medicationCode") });
        }}
      >
        <SelectField
          name="filter.kind"
          label="Kind"
          empty="Prescriptions and administrations"
          options={[
            { value: "PRESCRIPTION", label: "Prescriptions" },
            { value: "ADMINISTRATION", label: "Administrations" },
          ]}
        />
        <TextField name="filter.medicationCode" label="RxNorm code" inputMode="numeric" hint="e.g. 1191 for aspirin" />
      </FilterForm>
      <PagedTable
        page={data?.medicationTransactions}
        fetching={fetching}
        pages={pages}
        liveCaption
        caption={(page) => (
          <>
            {page.totalCount} {KINDS[operation?.variables.filter?.kind ?? ""] ?? "transactions"}
            {operation?.variables.filter?.medicationCode ? ` of RxNorm ${operation.variables.filter.medicationCode}` : ""}
            {fetching ? " · updating…" : ", newest first"}
          </>
        )}
        rowKey={(t) => t.id}
        columns={[
          { header: "When", cell: (t) => when(t.at) },
          { header: "Kind", cell: (t) => t.kind.toLowerCase() },
          {
            header: "Medication",
            rowHeader: true,
            cell: (t) => (
              <>
                {t.medication.name} <span className="muted">RxNorm {t.medication.code}</span>
              </>
            ),
          },
          {
            header: "Dose",
            cell: (t) => (
              <>
                {t.dose ?? "—"} {t.unit ?? ""} {t.route?.toLowerCase() ?? ""}
                {t.frequency ? `, ${t.frequency}` : ""}
              </>
            ),
          },
          { header: "Status", cell: (t) => (t.status ? t.status.toLowerCase() : "—") },
          { header: "Patient", cell: (t) => <code title={t.patientId}>{t.patientId.slice(0, 8)}</code> },
          { header: "Warnings", cell: (t) => (t.warnings.length ? <span className="warning-text">{t.warnings.join("; ")}</span> : "—") },
          { header: "Ledger", cell: (t) => (t.anchor ? <Anchor anchor={t.anchor} /> : "—") },
        ]}
      />
    </Page>
  );
}
