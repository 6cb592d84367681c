// Pin the ledger's public key: pasted from a source the auditor trusts (the operator, `hdt
// ledger public-key` on the ledger's host). The key the server offers can be pinned too, with
// the warning that doing so trusts the very server the checks are meant to hold to account.
import { useState } from "react";
import { useClient } from "urql";
import { LedgerPublicKeyDocument } from "../gql/graphql";
import { NO_ERRORS, type FormErrors } from "../shared/errors";
import { ApiForm, TextArea } from "../shared/form";
import { ErrorMessage, Page, Section } from "../shared/Page";
import { pinKey } from "./pin";
import { usePinned, useUserId } from "./parts";
import { InvalidKey, parseVerifierKey } from "./verify/note";

export function KeyPage() {
  const userId = useUserId();
  const pinned = usePinned();
  const client = useClient();
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [done, setDone] = useState<string | null>(null);
  const [offered, setOffered] = useState<string | null>(null);
  const [offerError, setOfferError] = useState<{ message: string } | null>(null);
  const [asking, setAsking] = useState(false);

  function pin(text: string, how: string) {
    try {
      const key = parseVerifierKey(text);
      pinKey(userId, key.text);
      setErrors(NO_ERRORS);
      setDone(`Pinned ${key.name}+${key.keyHash} ${how}.`);
    } catch (error) {
      if (!(error instanceof InvalidKey)) throw error;
      setDone(null);
      setErrors({ form: [], fields: { key: error.message } });
    }
  }

  async function askServer() {
    setAsking(true);
    const result = await client.query(LedgerPublicKeyDocument, {}, { requestPolicy: "network-only" }).toPromise();
    setAsking(false);
    setOfferError(result.error ?? null);
    setOffered(result.data?.ledgerPublicKey ?? null);
  }

  return (
    <Page title="Pinned key">
      <p>
        Every check on these screens is made in this browser with the key pinned here, kept on this computer for your
        account. The server's answers are checked against it, never trusted.
      </p>
      {done ? (
        <div className="saved" role="status">
          <p>{done}</p>
        </div>
      ) : null}
      <Section id="pinned-h" title="The key you pinned" className="audit-section">
        {pinned ? (
          <div className="card cards-stack">
            <dl className="details">
              <dt>Key name</dt>
              <dd>{pinned.name}</dd>
              <dt>Key hash</dt>
              <dd>
                <code>{pinned.keyHash}</code>
              </dd>
              <dt>Key</dt>
              <dd>
                <code className="hash" data-testid="pinned-key">
                  {pinned.text}
                </code>
              </dd>
            </dl>
            <div className="actions">
              <button
                type="button"
                onClick={() => {
                  pinKey(userId, null);
                  setDone("The key is unpinned: nothing will be verified until you pin one.");
                }}
              >
                {`Unpin ${pinned.name}+${pinned.keyHash}`}
              </button>
            </div>
          </div>
        ) : (
          <p>No key is pinned yet.</p>
        )}
      </Section>
      <Section id="paste-h" title={pinned ? "Pin another key" : "Pin a key"} className="audit-section">
        <ApiForm
          id="pin-key"
          errors={errors}
          busy={false}
          submitLabel="Pin this key"
          onSubmit={(data) => pin(String(data.get("key") ?? ""), "from the key you pasted")}
        >
          <TextArea
            name="key"
            label="Ledger verifier key"
            hint="name+hash+key, e.g. hdt.local/ledger+1a2b3c4d+AbC…, as `hdt ledger public-key` prints it on the ledger's host"
            required
            spellCheck={false}
            autoComplete="off"
          />
        </ApiForm>
      </Section>
      <Section id="offer-h" title="The key this server offers" className="audit-section">
        <div className="warning">
          <p>
            <strong>Pinning the key the server sends trusts the server.</strong> A server that rewrote its ledger would
            send the key of the rewritten one. Compare it with a key you got another way before you pin it.
          </p>
        </div>
        <div className="actions">
          <button type="button" onClick={askServer} disabled={asking} aria-busy={asking}>
            {asking ? "Asking…" : "Show the server's key"}
          </button>
        </div>
        {offerError ? <ErrorMessage error={offerError} /> : null}
        {offered !== null ? (
          <div className="card">
            <p>
              The server says its key is <code className="hash">{offered}</code>
            </p>
            {pinned ? (
              <p>{offered.trim() === pinned.text ? "It is the key you pinned." : "It is NOT the key you pinned."}</p>
            ) : null}
            <div className="actions">
              <button type="button" onClick={() => pin(offered, "as the server offered it (trusting the server)")}>
                Pin the server's key, trusting the server
              </button>
            </div>
          </div>
        ) : null}
      </Section>
    </Page>
  );
}
