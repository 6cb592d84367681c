import type { ReactNode } from "react";
import { useTitle } from "./useTitle";

/** A screen: its title as the page's one h1 and as the tab title. */
export function Page({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  useTitle(title);
  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-header">
        <h1 id="page-title" tabIndex={-1}>
          {title}
        </h1>
        {actions}
      </header>
      {children}
    </section>
  );
}

/** The state of a query: loading, refused (the server's own words), or its content. */
export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <p className="loading" role="status">
      {label}
    </p>
  );
}

export function ErrorMessage({ error }: { error: { message: string; graphQLErrors?: { message: string }[] } }) {
  const messages = error.graphQLErrors?.length ? error.graphQLErrors.map((e) => e.message) : [error.message];
  return (
    <div className="error-summary" role="alert">
      {messages.map((m) => (
        <p key={m}>{m}</p>
      ))}
    </div>
  );
}

/** A titled part of a screen: an h2, and the section named by it (`aria-labelledby`). */
export function Section({ id, title, className, children }: { id: string; title: ReactNode; className?: string; children: ReactNode }) {
  return (
    <section className={className} aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}
