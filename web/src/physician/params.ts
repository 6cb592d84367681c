// The URL's query as state (react-router's useSearchParams brings in code that names an
// external URL in a message, which the serving test rightly forbids in the bundle).
import { useMemo } from "react";
import { useLocation, useNavigate } from "react-router";

export function useQueryParams(): [URLSearchParams, (next: URLSearchParams, options?: { replace?: boolean }) => void] {
  const { search, pathname } = useLocation();
  const navigate = useNavigate();
  const params = useMemo(() => new URLSearchParams(search), [search]);
  return [params, (next, options) => navigate({ pathname, search: `?${next.toString()}` }, { replace: options?.replace })];
}
