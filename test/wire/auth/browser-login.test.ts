/**
 * The native-app login end to end in a real browser: headless Chromium (Debian's package, driven by
 * playwright-core) opens the authorization URL that `loopbackLogin` prints, signs in and consents on
 * oidc-provider's own pages, is redirected to the loopback callback, and the tokens end up in the
 * encrypted file store. Never skipped: without /usr/bin/chromium this test fails (`.ci/run` installs it).
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { loopbackLogin } from "../../../generator/cli/auth-login.js";
import { EncryptedFileTokenStore, generateTokenKey } from "../../../runtime/auth/file-store.js";
import { OAuth2TokenManager } from "../../../runtime/auth/token-manager.js";
import { CONFIDENTIAL, SCOPES, startOidcServer, type OidcServer } from "../../helpers/oidc-server.js";

const CHROMIUM = "/usr/bin/chromium";
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

let oidc: OidcServer;
let dir: string;
let browser: BrowserContext;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install the Debian package chromium (.ci/run does)`);
  oidc = await startOidcServer();
  dir = await mkdtemp(join(tmpdir(), "switchboard-browser-"));
  browser = await chromium.launchPersistentContext(join(dir, "profile"), { executablePath: CHROMIUM, headless: true, args: FLAGS });
});

afterAll(async () => {
  await browser?.close();
  await oidc?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

it("loopbackLogin: Chromium logs in and consents on the server's pages, lands on the loopback callback, tokens are stored encrypted", async () => {
  const store = new EncryptedFileTokenStore({ path: join(dir, "tokens.json"), keys: [generateTokenKey()] });
  const mode = oidc.mode();
  const page = await browser.newPage();
  let redirect = "";
  const tokens = await loopbackLogin(mode, {
    ...CONFIDENTIAL,
    scopes: SCOPES,
    store,
    timeoutMs: 30_000,
    onUrl: async (url, redirectUri) => {
      redirect = redirectUri;
      await page.goto(url);
      await page.fill('input[name="login"]', "alice");
      await page.fill('input[name="password"]', "wonderland");
      await page.click('button[type="submit"]');
      await page.waitForSelector('button:has-text("Continue")');
      await page.click('button:has-text("Continue")');
    },
  });
  await page.waitForURL((url) => url.toString().startsWith(redirect));
  expect(page.url().startsWith(`${redirect}?`)).toBe(true);
  expect(await page.textContent("body")).toContain("Signed in. You can close this window.");
  expect(redirect).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);

  expect(await store.get(`oauth2:${CONFIDENTIAL.clientId}`)).toEqual(tokens);
  expect(await oidc.isActive(tokens.accessToken)).toBe(true);
  const raw = await readFile(join(dir, "tokens.json"), "utf8");
  expect(raw).not.toContain(tokens.accessToken);
  expect(raw).not.toContain(tokens.refreshToken!);
  // The stored grant is usable by a token manager reading the same store.
  const manager = new OAuth2TokenManager(mode, { ...CONFIDENTIAL, store });
  expect(await manager.getToken()).toBe(tokens.accessToken);
});
