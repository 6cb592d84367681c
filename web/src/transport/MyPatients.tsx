import { useQuery } from "urql";
import { CrewPatientsDocument } from "../gql/graphql";
import { ErrorMessage, Loading, Page } from "../shared/Page";
import { stageName, when } from "../shared/format";
import { Pager, usePages } from "../shared/Pager";

const PAGE = 25;

export function MyPatients() {
  const pages = usePages();
  const [{ data, fetching, error }] = useQuery({ query: CrewPatientsDocument, variables: { first: PAGE, after: pages.after } });
  const page = data?.patients;
  return (
    <Page title="My patients">
      {error ? <ErrorMessage error={error} /> : null}
      {fetching && !page ? <Loading /> : null}
      {page ? (
        page.edges.length === 0 ? (
          <p>You have brought in no patient yet.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <caption>
                {page.totalCount} patients you brought in, most recently admitted first
              </caption>
              <thead>
                <tr>
                  <th scope="col">Patient</th>
                  <th scope="col">Born</th>
                  <th scope="col">MRN</th>
                  <th scope="col">Admitted</th>
                  <th scope="col">Status</th>
                  <th scope="col">Stage</th>
                </tr>
              </thead>
              <tbody>
                {page.edges.map(({ node }) => (
                  <tr key={node.id}>
                    <th scope="row">
                      {node.familyName}, {node.givenName}
                    </th>
                    <td>{node.birthDate}</td>
                    <td>{node.mrn ?? "—"}</td>
                    <td>{when(node.admittedAt)}</td>
                    <td>{node.status.toLowerCase()}</td>
                    <td>{stageName(node.currentStage)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
      <Pager pages={pages} pageInfo={page?.pageInfo} />
    </Page>
  );
}
