// The GraphQL clients: one for the logged-in user (token on every request, a new password
// asked for when the server answers UNAUTHENTICATED, then the same request sent again), and
// one without a token for login and registration. Subscriptions go over graphql-ws.
import { createClient as createWsClient } from "graphql-ws";
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from "urql";
import { currentToken, requestReauth } from "./session";

const MAX_REAUTH = 2;

async function isUnauthenticated(response: Response): Promise<boolean> {
  if (response.status === 401) return true;
  try {
    const body = (await response.clone().json()) as {
      errors?: { extensions?: { code?: string } }[];
    };
    return (body.errors ?? []).some((e) => e.extensions?.code === "UNAUTHENTICATED");
  } catch {
    return false;
  }
}

/** fetch with the session's token. An expired session pauses the request, not the screen:
 *  the caller's promise stays pending while the password modal is open, then the request
 *  is sent again with the new token (an UNAUTHENTICATED request ran nothing on the server). */
export const authFetch: typeof fetch = async (input, init) => {
  for (let attempt = 0; ; attempt++) {
    const token = currentToken();
    const headers = new Headers(init?.headers);
    if (token) headers.set("Authorization", `Bearer ${token}`);
    const response = await fetch(input, { ...init, headers });
    if (!token || attempt >= MAX_REAUTH || !(await isUnauthenticated(response))) return response;
    if (!(await requestReauth())) return response;
  }
};

function socketUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === "https:" ? "wss:" : "ws:"}//${host}/graphql`;
}

/** The client of one user's session; `dispose` closes its websocket when the user changes. */
export function makeClient(): { client: Client; dispose: () => void } {
  const ws = createWsClient({
    url: socketUrl(),
    lazy: true,
    connectionParams: () => ({ token: currentToken() }),
  });
  const client = new Client({
    url: "/graphql",
    fetch: authFetch,
    preferGetMethod: false,
    requestPolicy: "cache-and-network",
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query || "" };
          return {
            subscribe(sink) {
              const dispose = ws.subscribe(input, sink);
              return { unsubscribe: dispose };
            },
          };
        },
      }),
    ],
  });
  return { client, dispose: () => void ws.dispose() };
}

/** For login and registration: never sends a token, never asks for a password. */
export const anonymousClient = new Client({
  url: "/graphql",
  preferGetMethod: false,
  requestPolicy: "network-only",
  exchanges: [fetchExchange],
});
