// The frame around every screen of a logged-in user: who is logged in, the navigation of
// their role (and nothing else), and the screen itself in <main>.
import { Suspense } from "react";
import { NavLink, Outlet, useNavigate } from "react-router";
import { featuresFor } from "./features";
import { Loading } from "./Page";
import { ROLE_NAMES } from "./roles";
import { endSession, useSession } from "./session";

export function Shell() {
  const session = useSession();
  const navigate = useNavigate();
  if (!session) return null;
  const { user } = session;
  const features = featuresFor(user.role);

  function logOut() {
    endSession();
    navigate("/login", { replace: true });
  }

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">HDT console</span>
        <span className="who">
          {user.displayName} <span className="role-badge">{ROLE_NAMES[user.role]}</span>
        </span>
        <button type="button" onClick={logOut}>
          Log out
        </button>
      </header>
      <nav className="sidenav" aria-label="Main">
        {features.map((feature) => (
          <ul key={feature.base}>
            {feature.nav.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to}>{item.label}</NavLink>
              </li>
            ))}
          </ul>
        ))}
      </nav>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
