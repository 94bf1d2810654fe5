/**
 * A GitHub App listing an organization's repositories page by page. The client authenticates as an
 * installation: the runtime signs an app JWT (RS256) with the app's private key, trades it for an
 * installation token at the installation-token URL, caches it until shortly before it expires, and sends
 * it on every call. Pages follow GitHub's Link header (`rel="next"`). Runs against the mock GitHub, which
 * mints installation tokens and pages its lists by the Link header too (here the organization holds 7
 * repositories, listed 3 per page). No network.
 */
import { generateKeyPairSync } from "node:crypto";
import { GithubAppTokenProvider } from "@switchboard/runtime/auth";
import { startMockProvider } from "switchboard/testing";
import { createGithubClient } from "../../generated/github/index.js";
import { terminalView, type LiveView } from "../shared/live-view.js";

export interface ReposResult {
  readonly pages: number;
  readonly repositories: readonly string[];
  /** Installation tokens minted (1: cached for every page). */
  readonly tokensMinted: number;
}

export async function run(view: LiveView = terminalView()): Promise<ReposResult> {
  // Your app's private key comes from its settings page (a PEM file); the example makes one.
  const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  const mock = await startMockProvider("specs/github.yaml", { failRate: 0.2, seed: 6, listLength: 7 });
  try {
    const appMode = mock.definition.auth.modes["app"]; // the spec's githubApp mode, its URLs on the mock
    if (appMode?.type !== "githubApp") throw new Error("the GitHub spec declares no githubApp auth mode");
    const installationToken = new GithubAppTokenProvider(appMode, {
      appId: 123456,
      privateKey,
      installationId: 987654, // token requests are reported to the client's onEvent too
    });
    const github = createGithubClient({ auth: { mode: "app", installationToken }, baseUrl: mock.url, onEvent: view.client });

    view.step("list the organization's repositories, 3 per page");
    const repositories: string[] = [];
    let pages = 0;
    for await (const page of github.repos.listForOrg({ org: "acme", perPage: 3 }).pages()) {
      pages += 1;
      view.step(`page ${pages}: ${page.items.length} repositories`);
      for (const repo of page.items) repositories.push(repo.full_name);
    }
    const tokensMinted = mock.requests.filter((r) => r.operation === "app.installationToken" && r.status === 201).length;
    return { pages, repositories, tokensMinted };
  } finally {
    await mock.stop();
  }
}
