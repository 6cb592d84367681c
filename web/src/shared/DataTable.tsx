// Every list of the console is a table of the same make: a caption, a header cell a column
// (`th scope="col"`), the cell that names a row as its `th scope="row"` (what axe and screen
// readers read a row by). A screen describes its columns; this draws them.
import type { ReactNode } from "react";
import { ErrorMessage, Loading } from "./Page";
import { Pager, type PageInfo, type Pages } from "./Pager";

/** `data-*` (and ARIA) attributes the browser tests and the styles read. */
type Attributes = { [name: `data-${string}` | `aria-${string}`]: string | number | undefined };

export type Column<T> = {
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** This column's cell names the row. */
  rowHeader?: boolean;
  className?: string;
  /** A row's own class and attributes for this cell (a verdict's colour, `data-verdict`). */
  attributes?: (row: T) => Attributes & { className?: string };
  /** How many columns this cell covers in a row (the ones after it are not drawn). */
  span?: (row: T) => number;
};

function cells<T>(columns: Column<T>[], row: T): ReactNode[] {
  const out: ReactNode[] = [];
  for (let i = 0; i < columns.length; ) {
    const c = columns[i];
    const span = c.span?.(row) ?? 1;
    const props = { className: c.className, colSpan: span > 1 ? span : undefined, ...c.attributes?.(row) };
    out.push(
      c.rowHeader ? (
        <th key={i} scope="row" {...props}>
          {c.cell(row)}
        </th>
      ) : (
        <td key={i} {...props}>
          {c.cell(row)}
        </td>
      ),
    );
    i += span;
  }
  return out;
}

export type TableProps<T> = {
  caption: ReactNode;
  /** Announce the caption when it changes (a filter's count). */
  liveCaption?: boolean;
  columns: Column<T>[];
  rowKey: (row: T) => string;
  rowAttributes?: (row: T) => Attributes;
  tableAttributes?: Attributes;
  /** Shown instead of the table when there is no row (the table with its count otherwise). */
  empty?: ReactNode;
};

export function DataTable<T>({ rows, ...props }: TableProps<T> & { rows: readonly T[] }) {
  if (rows.length === 0 && props.empty !== undefined) return typeof props.empty === "string" ? <p>{props.empty}</p> : props.empty;
  return (
    <div className="table-wrap">
      <table {...props.tableAttributes}>
        <caption aria-live={props.liveCaption ? "polite" : undefined}>{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((c, i) => (
              <th key={i} scope="col">
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={props.rowKey(row)} {...props.rowAttributes?.(row)}>
              {cells(props.columns, row)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A page of a connection as the API returns it. */
export type Connection<T> = { totalCount: number; pageInfo: PageInfo; edges: readonly { node: T }[] };

/** A paged list: the query's error and first load, the page as a table, and its pager. The
 * previous page stays on screen while the next one loads. `error` is left out by screens whose
 * filter form already shows the errors. */
export function PagedTable<T>({
  page,
  fetching,
  error,
  pages,
  pager,
  caption,
  ...table
}: Omit<TableProps<T>, "caption"> & {
  page: Connection<T> | null | undefined;
  fetching: boolean;
  error?: { message: string; graphQLErrors?: { message: string }[] };
  pages?: Pages;
  pager?: { previous?: string; next?: string; numbered?: boolean };
  caption: (page: Connection<T>) => ReactNode;
}) {
  return (
    <>
      {error ? <ErrorMessage error={error} /> : null}
      {fetching && !page ? <Loading /> : null}
      {page ? <DataTable {...table} caption={caption(page)} rows={page.edges.map((e) => e.node)} /> : null}
      {pages ? <Pager pages={pages} pageInfo={page?.pageInfo} {...pager} /> : null}
    </>
  );
}
