/**
 * The auth subpath exports resolve in the built package; `@switchboard/runtime/auth` loads nothing outside the
 * package (it runs in browsers and workers: WebCrypto and fetch only), `@switchboard/runtime/auth/file-store`
 * only Node built-ins. A generated client takes a managed token source in its `auth` option.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGithubClient, githubDefinition } from "../../../generated/github/index.js";
import { oauth2Mode, OAuth2TokenManager } from "../../../runtime/auth/token-manager.js";
import { MemoryTokenStore } from "../../../runtime/auth/token-store.js";
import { externalImports } from "../../helpers/external-imports.js";
import { startLoopbackServer, type LoopbackServer } from "../../helpers/loopback-server.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));

describe("auth subpath exports of the built package", () => {
  it("@switchboard/runtime/auth and @switchboard/runtime/auth/file-store resolve and export their entry points", () => {
    expect(existsSync(resolve(root, "runtime/dist/auth/index.js")), "run `npm run build` first (npm test does)").toBe(true);
    const script = `
      const names = {};
      for (const path of ["@switchboard/runtime/auth", "@switchboard/runtime/auth/file-store"]) names[path] = Object.keys(await import(path)).sort();
      console.log(JSON.stringify(names));`;
    const names = JSON.parse(
      execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: root, encoding: "utf8" }),
    ) as Record<string, string[]>;
    expect(names["@switchboard/runtime/auth"]).toEqual(
      expect.arrayContaining([
        "OAuth2Authorization",
        "OAuth2TokenManager",
        "GithubAppTokenProvider",
        "createAppJwt",
        "ReauthorizationRequiredError",
        "MemoryTokenStore",
        "processTokenResponse",
      ]),
    );
    expect(names["@switchboard/runtime/auth/file-store"]).toEqual([
      "EncryptedFileTokenStore",
      "PREVIOUS_TOKEN_KEYS_ENV",
      "TOKEN_KEY_ENV",
      "generateTokenKey",
    ]);
  });

  it("@switchboard/runtime/auth loads nothing outside the package; the file store only Node built-ins", () => {
    expect([...externalImports(root, "runtime/dist/auth/index.js")]).toEqual([]);
    expect([...externalImports(root, "runtime/dist/auth/file-store.js")].every((s) => s.startsWith("node:"))).toBe(true);
  });
});

describe("a generated client with a managed token source", () => {
  let api: LoopbackServer;
  beforeAll(async () => {
    api = await startLoopbackServer();
  });
  afterAll(async () => {
    await api?.close();
  });

  it("createGithubClient({ auth: { mode: 'oauth', accessToken: OAuth2TokenManager } }) sends the managed token", async () => {
    const store = new MemoryTokenStore();
    await store.set("gh", { accessToken: "gho_managed" });
    const manager = new OAuth2TokenManager(oauth2Mode(githubDefinition, "oauth"), {
      clientId: "cid",
      clientSecret: "cs",
      store,
      key: "gh",
    });
    const github = createGithubClient({ auth: { mode: "oauth", accessToken: manager }, baseUrl: api.url, rateLimits: false });
    await github.users.getAuthenticated();
    expect(api.requests.at(-1)!.headers.authorization).toBe("Bearer gho_managed");
    expect(() => oauth2Mode(githubDefinition, "app")).toThrowError(
      expect.objectContaining({ code: "configuration", message: 'GitHub has no oauth2 auth mode "app"' }),
    );
  });
});
