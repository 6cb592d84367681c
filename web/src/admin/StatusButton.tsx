// The button that authorizes or suspends a user, named for the user it acts on.
import type { StatusChange } from "./useUserStatus";

const ACTION: Record<StatusChange["verb"], string> = { authorized: "Authorize", suspended: "Suspend" };

export function StatusButton({
  user,
  verb,
  status,
}: {
  user: { id: string; username: string };
  verb: StatusChange["verb"];
  status: { busy: boolean; change: (id: string, username: string, verb: StatusChange["verb"]) => void };
}) {
  return (
    <button
      type="button"
      className={verb === "authorized" ? "primary" : undefined}
      disabled={status.busy}
      aria-label={`${ACTION[verb]} ${user.username}`}
      onClick={() => status.change(user.id, user.username, verb)}
    >
      {ACTION[verb]}
    </button>
  );
}
