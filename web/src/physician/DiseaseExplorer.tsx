// The disease explorer: a disease's place in the ICD-10-CM tree (ancestors, descendants),
// the diseases co-occurring with it in my patients, and the path between two diseases, each
// drawn as a graph and listed as links. The URL holds the state (?code=I21.4&to=I50.9).
import { Link } from "react-router";
import { useQueryParams } from "./params";
import { useQuery } from "urql";
import { DiseaseExploreDocument, DiseasePathDocument } from "../gql/graphql";
import { ErrorMessage, Loading, Page } from "../shared/Page";
import { Combobox } from "./Combobox";
import { PathGraph, TreeGraph } from "./DiseaseGraph";
import { diseaseLabel, useDiseaseSearch } from "./search";

function DiseaseLink({ code, display, params }: { code: string; display: string; params: URLSearchParams }) {
  const next = new URLSearchParams(params);
  next.set("code", code);
  return <Link to={`?${next.toString()}`}>{diseaseLabel({ code, display })}</Link>;
}

/** Diseases as links to their own view, under a heading; `none` says why there are none. */
function DiseaseList(props: { title: string; diseases: { code: string; display: string }[]; ordered?: boolean; none: string; params: URLSearchParams }) {
  const items = props.diseases.map((d) => (
    <li key={d.code}>
      <DiseaseLink {...d} params={props.params} />
    </li>
  ));
  return (
    <div>
      <h4>{props.title}</h4>
      {items.length === 0 ? <p>{props.none}</p> : props.ordered ? <ol>{items}</ol> : <ul>{items}</ul>}
    </div>
  );
}

function PathSection({ from, to, ancestors }: { from: string; to: string; ancestors: Set<string> }) {
  const [{ data, fetching, error }] = useQuery({ query: DiseasePathDocument, variables: { from, to } });
  if (error) return <ErrorMessage error={error} />;
  if (fetching && !data) return <Loading />;
  const path = data?.diseasePath;
  if (!path) return <p role="status">No path between {from} and {to}.</p>;
  return (
    <>
      <p role="status">
        {path.length - 1} IS_A links from {from} to {to}.
      </p>
      <PathGraph path={path} ancestorsOfFrom={ancestors} />
      <ol className="path-list">
        {path.map((d) => (
          <li key={d.code}>{diseaseLabel(d)}</li>
        ))}
      </ol>
    </>
  );
}

export function DiseaseExplorer() {
  const [params, setParams] = useQueryParams();
  const code = params.get("code");
  const to = params.get("to");
  const search = useDiseaseSearch();
  const [{ data, fetching, error }] = useQuery({ query: DiseaseExploreDocument, variables: { code: code ?? "" }, pause: !code });
  const disease = data?.disease;

  function set(name: string, value: string) {
    const next = new URLSearchParams(params);
    next.set(name, value);
    setParams(next);
  }

  return (
    <Page title="Disease explorer">
      <div className="grid-2">
        <Combobox id="explore-disease" label="Disease" hint="A code or words of its name" search={search} onPick={(d) => set("code", d.value)} clearOnPick />
        {code ? (
          <Combobox id="explore-to" label="Path to another disease" hint="Pick a second disease to see the path between them" search={search} onPick={(d) => set("to", d.value)} clearOnPick />
        ) : null}
      </div>
      {error ? <ErrorMessage error={error} /> : null}
      {fetching && !disease ? <Loading /> : null}
      {!code ? <p>Search for a disease to see its place in ICD-10-CM.</p> : null}
      {disease && code ? (
        <>
          <h2>
            {disease.code} {disease.display}
          </h2>
          <div className="explorer">
            <section aria-labelledby="tree-title">
              <h3 id="tree-title">In the ICD-10-CM tree</h3>
              <TreeGraph focus={disease} ancestors={disease.ancestors} children={disease.children} />
              <div className="grid-2">
                <DiseaseList title="Ancestors, nearest first" diseases={disease.ancestors} ordered none="None: a chapter." params={params} />
                <DiseaseList title="Descendants, nearest first" diseases={disease.descendants} none="None: a leaf of the tree." params={params} />
              </div>
            </section>
            <section aria-labelledby="co-title">
              <h3 id="co-title">Co-occurring in my patients</h3>
              {disease.coOccurring && disease.coOccurring.length ? (
                <table>
                  <caption>Diseases diagnosed in the same patients, most frequent first</caption>
                  <thead>
                    <tr>
                      <th scope="col">Disease</th>
                      <th scope="col">Patients</th>
                    </tr>
                  </thead>
                  <tbody>
                    {disease.coOccurring.map((c) => (
                      <tr key={c.disease.code}>
                        <th scope="row">
                          <DiseaseLink {...c.disease} params={params} />
                        </th>
                        <td>{c.patients}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : (
                <p>No other disease was diagnosed in the patients with this one that you may read.</p>
              )}
              {disease.treatedBy.length ? (
                <p>Treated by: {disease.treatedBy.map((m) => `${m.name} (RxNorm ${m.code})`).join(", ")}.</p>
              ) : null}
            </section>
            {to ? (
              <section aria-labelledby="path-title">
                <h3 id="path-title">
                  Path from {disease.code} to {to}
                </h3>
                <PathSection from={disease.code} to={to} ancestors={new Set([disease.code, ...disease.ancestors.map((a) => a.code)])} />
              </section>
            ) : null}
          </div>
        </>
      ) : null}
    </Page>
  );
}
