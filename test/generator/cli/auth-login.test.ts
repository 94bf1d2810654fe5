/**
 * `switchboard auth login PROVIDER` end to end: the spec's oauth2 mode pointed at oidc-provider on
 * loopback, the printed URL walked with HTTP, the redirect landing on the CLI's loopback listener, the
 * tokens in the encrypted store, no secret in the output; a client without the secret its mode needs
 * refused before any URL; and a clean timeout.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { loopbackLogin } from "../../../generator/cli/auth-login.js";
import { main } from "../../../generator/cli/main.js";
import { loadSpec } from "../../../generator/load.js";
import { MemoryTokenStore } from "../../../runtime/auth/token-store.js";
import type { OAuth2AuthDefinition } from "../../../runtime/definition.js";
import { EncryptedFileTokenStore, generateTokenKey } from "../../../runtime/auth/file-store.js";
import { CONFIDENTIAL, loginWithHttp, startOidcServer, type OidcServer } from "../../helpers/oidc-server.js";

const repo = path.resolve(import.meta.dirname, "../../..");
let oidc: OidcServer;
let work: string;
const KEY = generateTokenKey();

beforeAll(async () => {
  oidc = await startOidcServer();
  work = await mkdtemp(path.join(tmpdir(), "switchboard-login-"));
  // GitHub's spec with its oauth mode pointed at the test server (which wants client_secret_basic).
  const spec = (await readFile(path.join(repo, "specs", "github.yaml"), "utf8"))
    .replace("https://github.com/login/oauth/authorize", `${oidc.issuer}/auth`)
    .replace("https://github.com/login/oauth/access_token", `${oidc.issuer}/token`)
    .replace("tokenEndpointAuthMethod: client_secret_post", "tokenEndpointAuthMethod: client_secret_basic")
    // Values of the test server's answer to keep beside the tokens: the CLI names them, never prints them.
    .replace("accept: application/json\n", "accept: application/json\n        fields: { tokenType: $.token_type, grantedScope: $.scope }\n")
    // The copy lives outside the repository, where the events and operations imports (npm packages)
    // cannot resolve; operations is the last section.
    .replace(/\n  eventsImport:\n(?: {4}.*\n)+/, "\n")
    .replace(/\noperations:\n[\s\S]*$/, "\n");
  await mkdir(path.join(work, "specs"));
  await writeFile(path.join(work, "specs", "github.yaml"), spec);
  process.env["SWITCHBOARD_CLIENT_SECRET"] = CONFIDENTIAL.clientSecret;
  process.env["SWITCHBOARD_TOKEN_KEY"] = KEY;
});

afterAll(async () => {
  delete process.env["SWITCHBOARD_CLIENT_SECRET"];
  delete process.env["SWITCHBOARD_TOKEN_KEY"];
  await oidc?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** The oauth mode of the test copy of GitHub's spec, as the CLI reads it. */
async function readSpecMode(): Promise<OAuth2AuthDefinition> {
  const file = path.join(work, "specs", "github.yaml");
  const spec = loadSpec(file, await readFile(file, "utf8"));
  const mode = spec.model!.definition.auth.modes["oauth"];
  if (mode?.type !== "oauth2") throw new Error("the test spec has no oauth2 mode");
  return mode;
}

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function io(onStdout?: (text: string) => void) {
  const out = { stdout: "", stderr: "" };
  return {
    out,
    io: {
      cwd: work,
      stdout: (t: string) => {
        out.stdout += t;
        onStdout?.(t);
      },
      stderr: (t: string) => void (out.stderr += t),
    },
  };
}

describe("switchboard auth login", () => {
  it("--help documents the command and where secrets come from", async () => {
    const { out, io: cli } = io();
    expect(await main(["auth", "--help"], cli)).toBe(0);
    expect(out.stdout).toContain("Usage: switchboard auth login [options] PROVIDER");
    expect(out.stdout).toContain("SWITCHBOARD_CLIENT_SECRET");
    const main2 = io();
    expect(await main([], main2.io)).toBe(2);
    expect(main2.out.stdout).toContain("auth login");
  });

  it("exits 2 without a provider", async () => {
    const { out, io: cli } = io();
    expect(await main(["auth", "login"], cli)).toBe(2);
    expect(out.stderr).toContain("auth takes 'login PROVIDER'");
  });

  it("authorizes through the loopback redirect and stores the tokens encrypted", async () => {
    let callback: Promise<Response> | undefined;
    const { out, io: cli } = io((text) => {
      const url = /^\s+(http:\/\/127\.0\.0\.1:\d+\/auth\?\S+)$/m.exec(text)?.[1];
      // Walk the server's login and consent pages, then follow the redirect to the CLI's listener.
      if (url) callback = loginWithHttp(url).then((redirect) => fetch(redirect));
    });
    const code = await main(
      [
        "auth",
        "login",
        "github",
        "--client-id",
        CONFIDENTIAL.clientId,
        "--scope",
        "openid,offline_access,api:read",
        "--no-open",
        "--timeout",
        "30",
      ],
      cli,
    );
    expect(out.stderr).toBe("");
    expect(code).toBe(0);
    const landing = await callback!;
    expect(landing.status).toBe(200);
    expect(await landing.text()).toContain("Signed in.");
    expect(out.stdout).toMatch(/Waiting for the redirect to http:\/\/127\.0\.0\.1:\d+\/callback \(30 s\)/);
    expect(out.stdout).toContain(`Stored tokens under "oauth2:${CONFIDENTIAL.clientId}" in .switchboard/tokens.json`);
    const store = new EncryptedFileTokenStore({ path: path.join(work, ".switchboard", "tokens.json"), keys: [KEY] });
    const tokens = await store.get(`oauth2:${CONFIDENTIAL.clientId}`);
    expect(await oidc.isActive(tokens!.accessToken)).toBe(true);
    expect(tokens!.fields).toEqual({ grantedScope: "openid api:read", tokenType: "Bearer" });
    expect(out.stdout).toContain("Kept from the token answer: grantedScope, tokenType (read them with getTokenFields()).\n");
    for (const secret of [tokens!.accessToken, tokens!.refreshToken!, CONFIDENTIAL.clientSecret, "Bearer", "openid api:read"])
      expect(out.stdout).not.toContain(secret);
  });

  it("without SWITCHBOARD_CLIENT_SECRET for a client_secret_* mode: exit 1 before any URL is printed, no token request, no store", async () => {
    delete process.env["SWITCHBOARD_CLIENT_SECRET"];
    try {
      const before = oidc.tokenRequests.length;
      const { out, io: cli } = io();
      const store = path.join(work, "no-secret", "tokens.json");
      const args = ["auth", "login", "github", "--client-id", CONFIDENTIAL.clientId, "--no-open", "--timeout", "5", "--store", store];
      expect(await main(args, cli)).toBe(1);
      expect(out.stderr).toBe(
        `switchboard: github's mode "oauth" authenticates the client with client_secret_basic: set SWITCHBOARD_CLIENT_SECRET to the client secret\n`,
      );
      expect(out.stdout).toBe("");
      expect(oidc.tokenRequests.length).toBe(before);
      await expect(readFile(store)).rejects.toMatchObject({ code: "ENOENT" });
    } finally {
      process.env["SWITCHBOARD_CLIENT_SECRET"] = CONFIDENTIAL.clientSecret;
    }
  });

  it("loopbackLogin refuses a client without the secret its mode needs before handing out a URL, and closes its listener", async () => {
    const spec = await readSpecMode();
    const port = await freePort();
    const urls: string[] = [];
    const login = loopbackLogin(spec, {
      clientId: CONFIDENTIAL.clientId,
      store: new MemoryTokenStore(),
      port,
      timeoutMs: 5000,
      onUrl: (url) => void urls.push(url),
    });
    await expect(login).rejects.toMatchObject({ name: "ConfigurationError", message: expect.stringContaining("needs a clientSecret") });
    expect(urls).toEqual([]);
    await expect(fetch(`http://127.0.0.1:${port}/callback`)).rejects.toThrow();
  });

  it("times out cleanly: exit 1, a login_timeout message, the listener closed", async () => {
    let redirect = "";
    const { out, io: cli } = io((text) => {
      redirect = /Waiting for the redirect to (\S+)/.exec(text)?.[1] ?? redirect;
    });
    const code = await main(["auth", "login", "github", "--client-id", CONFIDENTIAL.clientId, "--no-open", "--timeout", "0.5"], cli);
    expect(code).toBe(1);
    expect(out.stderr).toBe("switchboard: login failed [login_timeout]: no authorization arrived within 1 s\n");
    await expect(fetch(redirect)).rejects.toThrow();
  });
});
