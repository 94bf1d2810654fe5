/** examples/github-oauth-login against the mock's OAuth server: code + PKCE, the user read with the token. */
import { expect, it } from "vitest";
import { run } from "../../examples/github-oauth-login/main.js";
import { recordingView } from "../../examples/shared/live-view.js";

it("signs the user in with the authorization code and PKCE, and refuses the same callback twice", async () => {
  const view = recordingView();
  const result = await run(view);
  expect(result.pkce).toBe(true);
  expect(result.login).toBe("octocat"); // the login the mock makes up from the response schema
  expect(result.replayRefused).toBe(true);
  expect(view.lines.some((l) => /^🔑 token authorization_code success .*\/login\/oauth\/access_token 200$/.test(l))).toBe(true);
  expect(view.lines.some((l) => l.startsWith("← 200 users/get-authenticated in "))).toBe(true);
  expect(view.lines.join("\n")).not.toContain("example-client-secret");
});
