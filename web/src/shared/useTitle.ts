import { useEffect } from "react";

/** Each screen names itself in the tab title, which screen readers announce on navigation. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · HDT console`;
  }, [title]);
}
