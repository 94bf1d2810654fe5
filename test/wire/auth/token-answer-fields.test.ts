/**
 * auth.modes.*.tokenResponse.fields, from the spec through the model to the wire: a loopback token
 * endpoint answering in Salesforce's documented shapes (the code exchange's answer with `instance_url`,
 * `id`, `issued_at` and no `expires_in`; a refresh answer without a refresh token). The kept values come
 * back from finish(), are persisted by the encrypted file store with the tokens, survive a refresh answer
 * that omits them, are read with getTokenFields(), and appear in no event or error message.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OAuth2Authorization } from "../../../runtime/auth/authorization.js";
import { EncryptedFileTokenStore, generateTokenKey } from "../../../runtime/auth/file-store.js";
import { OAuth2TokenManager } from "../../../runtime/auth/token-manager.js";
import type { TokenRequestEvent } from "../../../runtime/client/credentials.js";
import type { OAuth2AuthDefinition } from "../../../runtime/definition.js";
import { modelledOAuth2Mode } from "../../helpers/oauth2-mode.js";
import { json, startLoopbackServer, type LoopbackServer, type RecordedRequest } from "../../helpers/loopback-server.js";
import type { ServerResponse } from "node:http";

const CLIENT = { clientId: "3MVG9-consumer-key", clientSecret: "consumer-SECRET-4e1a" };
const REDIRECT = "https://app.example.test/oauth/callback";
const INSTANCE = "https://mycompany.my.salesforce.com";
const MOVED = "https://mycompany-moved.my.salesforce.com";
const IDENTITY = "https://login.salesforce.com/id/00DB0000000TfcRMAS/005B0000005Bk90IAC";
const KEY = generateTokenKey();

let server: LoopbackServer;
let work: string;
/** The token endpoint's answers, in order, one per request. */
let answers: ((request: RecordedRequest, response: ServerResponse) => void)[] = [];

beforeAll(async () => {
  server = await startLoopbackServer();
  server.handle((request, response) => {
    const next = answers.shift();
    if (!next) return json(response, 500, { error: "unexpected_request" });
    next(request, response);
  });
  work = await mkdtemp(path.join(tmpdir(), "switchboard-fields-"));
});
afterAll(async () => {
  await server?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** Salesforce's web server flow answer (help.salesforce.com, "OAuth 2.0 Web Server Flow"), with a refresh token. */
const codeAnswer = (_request: RecordedRequest, response: ServerResponse) =>
  json(response, 200, {
    access_token: "00DB0000000TfcR!AQQA-access-SECRET-1",
    refresh_token: "5Aep861-refresh-SECRET-1",
    signature: "d/SxeYBxH0GSVko0HMgcUxuZy0PA2cDDz1u7g7JtDHw=",
    scope: "refresh_token api",
    instance_url: INSTANCE,
    id: IDENTITY,
    token_type: "Bearer",
    issued_at: "1558553873237",
  });

/** Salesforce's refresh token flow answer: no refresh token, the org's instance_url (here moved). */
const refreshAnswer = (_request: RecordedRequest, response: ServerResponse) =>
  json(response, 200, {
    access_token: "00DB0000000TfcR!AQQA-access-SECRET-2",
    signature: "SSSbLO/gBhmmyNUvN18ODBDFYHzakxOMgqYtu+hDPsc=",
    scope: "refresh_token api",
    instance_url: MOVED,
    id: IDENTITY,
    token_type: "Bearer",
    issued_at: "1278448384422",
  });

/** An answer with the access token only: what was kept before stays. */
const bareAnswer = (_request: RecordedRequest, response: ServerResponse) =>
  json(response, 200, { access_token: "00DB0000000TfcR!AQQA-access-SECRET-3", token_type: "Bearer" });

function salesforceMode(fields: string): OAuth2AuthDefinition {
  return modelledOAuth2Mode(`      authorizationUrl: https://login.salesforce.com/services/oauth2/authorize
      tokenUrl: ${server.url}/services/oauth2/token
      grants: [authorizationCode, refreshToken]
      tokenEndpointAuthMethod: client_secret_post
      defaultTokenLifetime: 2h
      tokenResponse:
${fields}`);
}

const FIELDS = `        fields:
          instanceUrl: $.instance_url
          identityUrl: $.id
          issuedAt: $.issued_at
`;

describe("tokenResponse.fields (Salesforce's instance_url)", () => {
  it("are modelled as parsed paths, sorted by name", () => {
    expect(salesforceMode(FIELDS).tokenResponse.fields).toEqual({
      identityUrl: ["id"],
      instanceUrl: ["instance_url"],
      issuedAt: ["issued_at"],
    });
    expect(salesforceMode("        accept: application/json\n").tokenResponse.fields).toBeUndefined();
  });

  it("come back from finish(), are persisted, survive a refresh answer without them, and are read with getTokenFields()", async () => {
    const mode = salesforceMode(FIELDS);
    const file = path.join(work, "tokens.json");
    const store = new EncryptedFileTokenStore({ path: file, keys: [KEY] });
    const flow = new OAuth2Authorization(mode, { ...CLIENT, redirectUri: REDIRECT, store, key: "sf:user-1" });
    const { state } = await flow.start();
    answers = [codeAnswer];
    const tokens = await flow.finish(`${REDIRECT}?code=aPrxsmIEeqM9PiQroGEWx1UiMQd95_5JUZ&state=${state}`);
    expect(tokens.fields).toEqual({ instanceUrl: INSTANCE, identityUrl: IDENTITY, issuedAt: "1558553873237" });

    // Another store instance on the same file (another process) reads them back.
    let now = Date.now() + 3 * 3_600_000; // past the 2 h default lifetime
    const events: TokenRequestEvent[] = [];
    const manager = new OAuth2TokenManager(mode, {
      ...CLIENT,
      store: new EncryptedFileTokenStore({ path: file, keys: [KEY] }),
      key: "sf:user-1",
      now: () => now,
      onEvent: (event) => void events.push(event),
    });
    expect(await manager.getTokenFields()).toEqual(tokens.fields);

    answers = [refreshAnswer];
    expect(await manager.getToken()).toBe("00DB0000000TfcR!AQQA-access-SECRET-2");
    expect(new URLSearchParams(server.requests.at(-1)!.body).get("refresh_token")).toBe("5Aep861-refresh-SECRET-1");
    expect(await manager.getTokenFields()).toEqual({ instanceUrl: MOVED, identityUrl: IDENTITY, issuedAt: "1278448384422" });

    now += 3 * 3_600_000;
    answers = [bareAnswer];
    expect(await manager.getToken()).toBe("00DB0000000TfcR!AQQA-access-SECRET-3");
    const reread = await new EncryptedFileTokenStore({ path: file, keys: [KEY] }).get("sf:user-1");
    expect(reread).toMatchObject({ refreshToken: "5Aep861-refresh-SECRET-1", fields: { instanceUrl: MOVED, identityUrl: IDENTITY } });
    expect(await manager.getTokenFields()).toEqual(reread!.fields);

    expect(events.length).toBeGreaterThan(0);
    for (const value of [INSTANCE, MOVED, IDENTITY, "mycompany"]) expect(JSON.stringify(events)).not.toContain(value);
  });

  it("an error answer that quotes a kept value gets it redacted from the message", async () => {
    const mode = salesforceMode(FIELDS);
    const store = new EncryptedFileTokenStore({ path: path.join(work, "redact.json"), keys: [KEY] });
    await store.set("k", {
      accessToken: "at-old-SECRET",
      refreshToken: "rt-old-SECRET",
      expiresAt: 0,
      fields: { instanceUrl: INSTANCE, identityUrl: IDENTITY },
    });
    const manager = new OAuth2TokenManager(mode, { ...CLIENT, store, key: "k", retry: false });
    answers = [(_request, response) => json(response, 400, { error: "invalid_request", error_description: `no such org at ${INSTANCE}` })];
    const error = await manager.getToken().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "oauth_error", error: "invalid_request" });
    expect((error as Error).message).toContain("no such org at [redacted]");
    expect(`${(error as Error).message}${(error as Error).stack}`).not.toContain(INSTANCE);
  });

  it("a manager with no tokens has no fields; tokens without fields have none", async () => {
    const mode = salesforceMode(FIELDS);
    const store = new EncryptedFileTokenStore({ path: path.join(work, "empty.json"), keys: [KEY] });
    const manager = new OAuth2TokenManager(mode, { ...CLIENT, store, key: "k" });
    expect(await manager.getTokenFields()).toBeUndefined();
    await store.set("k", { accessToken: "at" });
    expect(await manager.getTokenFields()).toEqual({});
  });
});
