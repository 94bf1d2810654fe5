/**
 * "Sign in with GitHub": the authorization-code flow with PKCE (S256) against the mock's OAuth server. The
 * application starts the flow (a state and a code challenge, kept server-side), the user's browser goes to
 * GitHub and comes back to the callback with a code, the application exchanges it for a token and reads
 * who signed in. Here `fetch` with `redirect: "manual"` plays the browser (the mock approves at once).
 * No network.
 */
import { OAuth2Authorization, oauth2Mode } from "@switchboard/runtime/auth";
import { startMockProvider } from "switchboard/testing";
import { createGithubClient } from "../../generated/github/index.js";
import { terminalView, type LiveView } from "../shared/live-view.js";

const CLIENT_ID = "Iv1.example";
const CLIENT_SECRET = "example-client-secret";
const REDIRECT_URI = "http://localhost:3000/auth/github/callback";

export interface LoginResult {
  /** The authorization URL carried a PKCE challenge (S256). */
  readonly pkce: boolean;
  /** Who signed in. */
  readonly login: string;
  /** A second use of the same callback is refused (the state is single-use). */
  readonly replayRefused: boolean;
}

export async function run(view: LiveView = terminalView()): Promise<LoginResult> {
  const mock = await startMockProvider("specs/github.yaml", {
    oauthClients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [REDIRECT_URI] }],
  });
  try {
    const flow = new OAuth2Authorization(oauth2Mode(mock.definition, "oauth"), {
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUri: REDIRECT_URI,
      scopes: ["read:user"],
      onEvent: (event) => view.client({ ...event, provider: "github" }),
    });

    view.step("GET /login: redirect the browser to GitHub's authorization page");
    const { url } = await flow.start();
    const authorizationUrl = new URL(url);
    const pkce = authorizationUrl.searchParams.get("code_challenge_method") === "S256";

    view.step("the user approves; GitHub redirects back to the callback with a code");
    const redirect = await fetch(authorizationUrl, { redirect: "manual" });
    const callback = redirect.headers.get("location") ?? "";

    view.step("GET /auth/github/callback: check the state, exchange the code (with the PKCE verifier)");
    const tokens = await flow.finish(callback);

    view.step("read the signed-in user with their token");
    const github = createGithubClient({ auth: { token: tokens.accessToken }, baseUrl: mock.url, onEvent: view.client });
    const user = await github.users.getAuthenticated();
    view.step(`signed in as ${user.login}: start the session`);

    const replayRefused = await flow.finish(callback).then(
      () => false,
      () => true,
    );
    return { pkce, login: user.login, replayRefused };
  } finally {
    await mock.stop();
  }
}
