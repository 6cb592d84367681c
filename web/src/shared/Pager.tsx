// Key-set paging as the API gives it: a cursor to the next page; going back pops a cursor.
import { useState } from "react";

export type Pages = { after: string | null; depth: number; next: (cursor: string) => void; previous: () => void; reset: () => void };

export type PageInfo = { hasNextPage: boolean; endCursor?: string | null };

export function usePages(): Pages {
  const [cursors, setCursors] = useState<string[]>([]);
  return {
    after: cursors.length ? cursors[cursors.length - 1] : null,
    depth: cursors.length,
    next: (cursor) => setCursors([...cursors, cursor]),
    previous: () => setCursors(cursors.slice(0, -1)),
    reset: () => setCursors([]),
  };
}

/** Previous and next page buttons, hidden while there is a single page. A screen whose caption
 * already says the page number leaves the counter out (`numbered={false}`). */
export function Pager({
  pages,
  pageInfo,
  previous = "Previous page",
  next = "Next page",
  numbered = true,
}: {
  pages: Pages;
  pageInfo?: PageInfo;
  previous?: string;
  next?: string;
  numbered?: boolean;
}) {
  const hasNext = !!pageInfo?.hasNextPage && !!pageInfo.endCursor;
  if (pages.depth === 0 && !hasNext) return null;
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" disabled={pages.depth === 0} onClick={pages.previous}>
        {previous}
      </button>
      {numbered ? <span>Page {pages.depth + 1}</span> : null}
      <button type="button" disabled={!hasNext} onClick={() => pageInfo?.endCursor && pages.next(pageInfo.endCursor)}>
        {next}
      </button>
    </nav>
  );
}
