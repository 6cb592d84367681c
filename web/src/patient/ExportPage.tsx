// The export with its proofs (`hdt-proven-export/1`): my twin as a FHIR R4 Bundle, each
// ledger entry naming me with its inclusion proof, and the signed checkpoint. It is saved as
// a file; anyone with the ledger's public key checks it offline, without this server.
import { useState } from "react";
import { useClient } from "urql";
import { MyProvenExportDocument, type PatientRowFragment } from "../gql/graphql";
import { ErrorMessage, Section } from "../shared/Page";
import { WithMyPatient } from "./useMyPatient";

export function ExportPage() {
  return <WithMyPatient title="Export">{(patient) => <Export patient={patient} />}</WithMyPatient>;
}

function Export({ patient }: { patient: PatientRowFragment }) {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Parameters<typeof ErrorMessage>[0]["error"] | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const fileName = `hdt-export-${patient.id}.json`;

  async function download() {
    setBusy(true);
    setError(null);
    setDone(null);
    const result = await client.query(MyProvenExportDocument, { patientId: patient.id }, { requestPolicy: "network-only" }).toPromise();
    setBusy(false);
    if (!result.data) {
      setError(result.error ?? { message: "The export could not be made." });
      return;
    }
    const url = URL.createObjectURL(new Blob([result.data.exportProven], { type: "application/json" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = fileName;
    document.body.append(link);
    link.click();
    link.remove();
    URL.revokeObjectURL(url);
    setDone(fileName);
  }

  return (
    <>
      <p>
        Your whole twin as a FHIR R4 Bundle, with the proof that every ledger entry about you is in the hospital's signed
        ledger. Making it is recorded as a read of your record.
      </p>
      <div className="actions">
        <button type="button" className="primary" onClick={download} disabled={busy} aria-busy={busy}>
          {busy ? "Preparing…" : "Download my export"}
        </button>
      </div>
      {error ? <ErrorMessage error={error} /> : null}
      {done ? (
        <p className="saved" role="status">
          Saved as <code>{done}</code>.
        </p>
      ) : null}
      <Section id="check" title="Check it offline">
        <p>
          Anyone holding the ledger's public key (the hospital publishes it; on the ledger's host,{" "}
          <code>hdt ledger public-key</code> prints it) can check the file without this server:
        </p>
        <pre>
          <code>{`hdt ledger check-export ${fileName} --public-key hdt.pub`}</code>
        </pre>
        <p>It answers OK with the number of entries proven in the signed tree, or says which proof fails.</p>
      </Section>
    </>
  );
}
