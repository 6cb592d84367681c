import { useState } from "react";
import { useQuery } from "urql";
import { MedicationTransactionsDocument, type TransactionKind } from "../gql/graphql";
import { Anchor } from "../shared/Anchor";
import { formErrors } from "../shared/errors";
import { ApiForm, SelectField, TextField, text } from "../shared/form";
import { when } from "../shared/format";
import { Loading, Page } from "../shared/Page";
import { Pager, usePages } from "../shared/Pager";

const PAGE = 25;
const KINDS: Record<string, string> = { PRESCRIPTION: "prescriptions", ADMINISTRATION: "administrations" };

export function MedicationTransactions() {
  const [filter, setFilter] = useState<{ kind: TransactionKind | null; medicationCode: string | null }>({ kind: null, medicationCode: null });
  const pages = usePages();
  const [{ data, fetching, error, operation }] = useQuery({
    query: MedicationTransactionsDocument,
    variables: { first: PAGE, after: pages.after, filter },
  });
  const page = data?.medicationTransactions;

  return (
    <Page title="Medication transactions">
      <ApiForm
        id="transaction-filter"
        className="form toolbar"
        errors={formErrors(error)}
        busy={false}
        submitLabel="Show"
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
      </ApiForm>
      {fetching && !page ? <Loading /> : null}
      {page ? (
        <div className="table-wrap">
          <table>
            <caption aria-live="polite">
              {page.totalCount} {KINDS[operation?.variables.filter?.kind ?? ""] ?? "transactions"}
              {operation?.variables.filter?.medicationCode ? ` of RxNorm ${operation.variables.filter.medicationCode}` : ""}
              {fetching ? " · updating…" : ", newest first"}
            </caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Kind</th>
                <th scope="col">Medication</th>
                <th scope="col">Dose</th>
                <th scope="col">Status</th>
                <th scope="col">Patient</th>
                <th scope="col">Warnings</th>
                <th scope="col">Ledger</th>
              </tr>
            </thead>
            <tbody>
              {page.edges.map(({ node: t }) => (
                <tr key={t.id}>
                  <td>{when(t.at)}</td>
                  <td>{t.kind.toLowerCase()}</td>
                  <th scope="row">
                    {t.medication.name} <span className="muted">RxNorm {t.medication.code}</span>
                  </th>
                  <td>
                    {t.dose ?? "—"} {t.unit ?? ""} {t.route?.toLowerCase() ?? ""}
                    {t.frequency ? `, ${t.frequency}` : ""}
                  </td>
                  <td>{t.status ? t.status.toLowerCase() : "—"}</td>
                  <td>
                    <code title={t.patientId}>{t.patientId.slice(0, 8)}</code>
                  </td>
                  <td>{t.warnings.length ? <span className="warning-text">{t.warnings.join("; ")}</span> : "—"}</td>
                  <td>{t.anchor ? <Anchor anchor={t.anchor} /> : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <Pager pages={pages} pageInfo={page?.pageInfo} />
    </Page>
  );
}
