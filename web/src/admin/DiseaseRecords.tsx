// Disease records whose hash was generated, each with the ledger proof the server gives (the
// auditor's screen verifies proofs in the browser: each anchor links there), and the form
// that hashes and anchors a disease record.
import { useState } from "react";
import { useMutation, useQuery } from "urql";
import { DiseaseRecordsDocument, GenerateDiseaseHashDocument, type GenerateDiseaseHashMutation } from "../gql/graphql";
import { Anchor, Saved, shortHash } from "../shared/Anchor";
import { formErrors } from "../shared/errors";
import { ApiForm, TextField, text } from "../shared/form";
import { when } from "../shared/format";
import { PagedTable } from "../shared/DataTable";
import { Page } from "../shared/Page";
import { usePages } from "../shared/Pager";

const PAGE = 20;

export function DiseaseRecords() {
  const pages = usePages();
  const [{ data, fetching, error }, refetch] = useQuery({ query: DiseaseRecordsDocument, variables: { first: PAGE, after: pages.after } });
  const [state, generate] = useMutation(GenerateDiseaseHashDocument);
  const [generated, setGenerated] = useState<GenerateDiseaseHashMutation["generateDiseaseHash"] | null>(null);
  const page = data?.diseaseRecords;

  async function submit(form: FormData) {
    setGenerated(null);
    const result = await generate({ code: text(form, "code") ?? "" });
    if (result.data) {
      setGenerated(result.data.generateDiseaseHash);
      refetch({ requestPolicy: "network-only" });
    }
  }

  return (
    <Page title="Disease records">
      <h2>Generate a disease hash code</h2>
      <ApiForm id="generate" errors={formErrors(state.error)} busy={state.fetching} submitLabel="Generate and anchor" busyLabel="Anchoring…" onSubmit={submit}>
        <TextField name="code" label="ICD-10-CM code" hint="e.g. I21.4" required autoComplete="off" autoCapitalize="characters" />
      </ApiForm>
      {generated ? (
        <>
          <Saved what={`${generated.disease.code} ${generated.disease.display}: record hash ${shortHash(generated.recordHash)}…`} anchor={generated.anchor} />
          <p className="hash">
            Record hash <code>{generated.recordHash}</code>
          </p>
        </>
      ) : null}

      <h2>Anchored disease records</h2>
      <PagedTable
        page={page}
        fetching={fetching}
        error={error}
        pages={pages}
        empty="No disease record has been hashed yet."
        caption={(page) => `${page.totalCount} ${page.totalCount === 1 ? "disease record" : "disease records"}, each proven in the tree of its page`}
        rowKey={(r) => r.disease.code}
        columns={[
          { header: "Disease", rowHeader: true, cell: (r) => `${r.disease.code} ${r.disease.display}` },
          { header: "Record hash", cell: (r) => <code title={r.recordHash}>{shortHash(r.recordHash)}</code> },
          { header: "Generated", cell: (r) => when(r.generatedAt) },
          { header: "Anchor", cell: (r) => <Anchor anchor={r.anchor} /> },
          {
            header: "Proof",
            cell: (r) => (
              <details>
                <summary>
                  {r.inclusionProof.length} hashes to the root of {r.treeSize} entries
                </summary>
                <p>
                  Root <code>{r.rootHash}</code>
                </p>
                <ol className="proof">
                  {r.inclusionProof.map((h, i) => (
                    <li key={`${i}-${h}`}>
                      <code>{h}</code>
                    </li>
                  ))}
                </ol>
              </details>
            ),
          },
        ]}
      />
    </Page>
  );
}
