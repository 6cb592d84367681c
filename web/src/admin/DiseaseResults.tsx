import { useState } from "react";
import { useQuery } from "urql";
import { DiseaseResultsDocument } from "../gql/graphql";
import { BarChart, ColumnChart } from "../shared/charts";
import { FilterForm, TextField, text } from "../shared/form";
import { stageName } from "../shared/format";
import { Loading, Page } from "../shared/Page";

export function DiseaseResults() {
  const [range, setRange] = useState<{ from: string | null; to: string | null }>({ from: null, to: null });
  const [{ data, fetching, error }] = useQuery({ query: DiseaseResultsDocument, variables: range });
  const results = data?.diseaseResults;
  return (
    <Page title="Disease results">
      <FilterForm
        id="results-range"
        error={error}
        onSubmit={(form) => setRange({ from: text(form, "from"), to: text(form, "to") })}
      >
        <TextField name="from" label="From (inclusive)" type="date" />
        <TextField name="to" label="To (exclusive)" type="date" />
      </FilterForm>
      {fetching && !results ? <Loading /> : null}
      {results ? (
        <div className="charts">
          <BarChart
            caption="Patients per disease"
            valueLabel="patients"
            data={results.perDisease.map((d) => ({ label: `${d.disease.code} ${d.disease.display}`, value: d.patients }))}
          />
          <BarChart caption="Patients per stage of care" valueLabel="patients" data={results.perStage.map((s) => ({ label: stageName(s.stage), value: s.patients }))} />
          <ColumnChart caption="Diagnoses per day" valueLabel="diagnoses" data={everyDay(results.overTime)} />
        </div>
      ) : null}
    </Page>
  );
}

/** The API lists the days that had diagnoses; a time axis needs the days between as zeros. */
function everyDay(days: { day: string; diagnoses: number }[]): { label: string; value: number }[] {
  if (days.length === 0) return [];
  const counts = new Map(days.map((d) => [d.day, d.diagnoses]));
  const out: { label: string; value: number }[] = [];
  const last = new Date(`${days[days.length - 1].day}T00:00:00Z`);
  for (let at = new Date(`${days[0].day}T00:00:00Z`); at <= last && out.length < 3660; at.setUTCDate(at.getUTCDate() + 1)) {
    const day = at.toISOString().slice(0, 10);
    out.push({ label: day, value: counts.get(day) ?? 0 });
  }
  return out;
}
