// The router: the public screens (log in, register, waiting), then the shell with each
// feature the user's role has, lazily loaded under its own URL prefix.
import { Suspense, useEffect, useMemo, useRef, type ReactNode } from "react";
import { BrowserRouter, Navigate, Route, Routes, useLocation } from "react-router";
import { Provider } from "urql";
import { LoginPage } from "./auth/LoginPage";
import { ReauthDialog } from "./auth/ReauthDialog";
import { RegisterPage } from "./auth/RegisterPage";
import { RegisterPatientPage } from "./auth/RegisterPatientPage";
import { WaitingPage } from "./auth/WaitingPage";
import { makeClient } from "./shared/client";
import { FEATURES, homeFor } from "./shared/features";
import { Loading, Page } from "./shared/Page";
import { useSession } from "./shared/session";
import { Shell } from "./shared/Shell";
import type { UserRole } from "./gql/graphql";

function RequireSession({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (!session) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return children;
}

function RequireRole({ roles, children }: { roles: UserRole[]; children: ReactNode }) {
  const session = useSession();
  if (!session || !roles.includes(session.user.role)) return <NotFound />;
  return children;
}

function Home() {
  const session = useSession();
  return <Navigate to={session ? homeFor(session.user.role) : "/login"} replace />;
}

function NotFound() {
  return (
    <Page title="Not found">
      <p>There is no such screen for your role.</p>
    </Page>
  );
}

export function App() {
  const userId = useSession()?.user.id ?? null;
  // A new client (and an empty cache) for each user: nothing one user read is shown to the next.
  const session = useMemo(() => makeClient(), [userId]);
  // Close the previous user's websocket once the next client is in place (not on unmount:
  // React's StrictMode runs effects twice in development).
  const previous = useRef(session);
  useEffect(() => {
    if (previous.current !== session) previous.current.dispose();
    previous.current = session;
  }, [session]);
  return (
    <Provider value={session.client}>
      <BrowserRouter>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route path="/register" element={<RegisterPage />} />
          <Route path="/register/patient" element={<RegisterPatientPage />} />
          <Route path="/waiting" element={<WaitingPage />} />
          <Route
            element={
              <RequireSession>
                <Shell />
              </RequireSession>
            }
          >
            <Route index element={<Home />} />
            {FEATURES.map((feature) => (
              <Route
                key={feature.base}
                path={`${feature.base}/*`}
                element={
                  <RequireRole roles={feature.roles}>
                    <Suspense fallback={<Loading />}>
                      <feature.Routes />
                    </Suspense>
                  </RequireRole>
                }
              />
            ))}
            <Route path="*" element={<NotFound />} />
          </Route>
        </Routes>
        <ReauthDialog />
      </BrowserRouter>
    </Provider>
  );
}
