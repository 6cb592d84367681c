import { Link, useLocation } from "react-router";
import { Page } from "../shared/Page";

export function WaitingPage() {
  const username = (useLocation().state as { username?: string } | null)?.username;
  return (
    <div className="auth-layout">
      <Page title="Waiting for an administrator">
        <div className="notice" role="status">
          <p>
            {username ? (
              <>
                Your account <strong>{username}</strong> is registered.
              </>
            ) : (
              "Your account is registered."
            )}{" "}
            An administrator must authorize it before you can log in.
          </p>
        </div>
        <p>
          <Link to="/login">Back to log in</Link>
        </p>
      </Page>
    </div>
  );
}
