/**
 * Per-operation auth modes (issue #15): a client holds credentials for several modes and each operation
 * is sent with the mode its spec names (GitHub's /app endpoints with the app's JWT, the others with the
 * installation token), a public operation (`auth: []`) without any, and an operation whose mode the
 * client does not hold fails before anything is sent. Over a loopback server; the spec side (the model
 * and the did-you-mean check) at the end.
 */
import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createGithubClient } from "../../../generated/github/index.js";
import { createAppJwt } from "../../../runtime/auth/index.js";
import { ClientCore, operationAuthModes, type TokenProvider } from "../../../runtime/contract.js";
import { ConfigurationError, isConfigurationError } from "../../../runtime/index.js";
import { json, useLoopbackServer } from "../../helpers/loopback-server.js";
import { loadAcme, specText } from "../../helpers/openapi-client.js";
import { op, testDefinition } from "../../helpers/test-provider.js";

const server = useLoopbackServer();
const authorizations = () => server.requests.map((r) => r.headers["authorization"]);

describe("a GitHub client holding an installation token and the app's JWT", () => {
  it("sends /app with a freshly signed app JWT and the other operations with the installation token", async () => {
    server.handle((_req, res) => json(res, 200, { id: 1 }));
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pem = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
    const github = createGithubClient({
      baseUrl: server.url,
      retry: false,
      auth: [{ token: "ghs_installation" }, { mode: "appJwt", token: () => createAppJwt({ appId: 42, privateKey: pem }) }],
    });
    await github.apps.getAuthenticated();
    await github.users.getAuthenticated();
    const [app, user] = authorizations();
    expect(user).toBe("Bearer ghs_installation");
    const jwt = app!.replace(/^Bearer /, "");
    const claims = JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString()) as { iss: string };
    expect(claims.iss).toBe("42");
  });

  it("fails an /app call with ConfigurationError, before sending it, when the client holds no app JWT", async () => {
    server.handle((_req, res) => json(res, 200, {}));
    const github = createGithubClient({ baseUrl: server.url, auth: { token: "ghs_installation" } });
    const error = await github.apps.listInstallations().catch((e: unknown) => e);
    expect(isConfigurationError(error)).toBe(true);
    expect((error as Error).message).toBe(
      'GitHub operation apps/list-installations is sent with the auth mode "appJwt"; this client holds credentials for: token',
    );
    expect((error as Error).message).not.toContain("ghs_installation");
    expect(server.requests).toHaveLength(0);
  });

  it("refuses credentials for one mode twice", () => {
    expect(() => createGithubClient({ auth: [{ token: "a" }, { mode: "token", token: "b" }] })).toThrow(ConfigurationError);
  });
});

describe("operations that name their modes, on a core", () => {
  const definition = testDefinition({
    auth: {
      defaultMode: "key",
      modes: {
        key: { type: "bearer", header: "authorization", prefix: "Bearer " },
        partner: { type: "apiKey", in: "query", name: "partner_key", prefix: "" },
      },
    },
  });
  const core = (auth: ConstructorParameters<typeof ClientCore>[1]["auth"]) =>
    new ClientCore(definition, { auth, baseUrl: server.url, retry: false }, [operationAuthModes]);

  it("sends a public operation (auth: []) without credentials, and the others with the default", async () => {
    server.handle((_req, res) => json(res, 200, {}));
    const client = core([{ token: "t1" }, { mode: "partner", apiKey: "p1" }]);
    await client.send(op("GET", "/status", { auth: [] }), { path: "/status" });
    await client.send(op("GET", "/things"), { path: "/things" });
    await client.send(op("GET", "/partner", { auth: ["partner", "key"] }), { path: "/partner" });
    expect(authorizations()).toEqual([undefined, "Bearer t1", undefined]);
    expect(server.requests.map((r) => r.url)).toEqual(["/status", "/things", "/partner?partner_key=p1"]);
  });

  it("takes the first listed mode the client holds", async () => {
    server.handle((_req, res) => json(res, 200, {}));
    await core({ token: "t1" }).send(op("GET", "/partner", { auth: ["partner", "key"] }), { path: "/partner" });
    expect(authorizations()).toEqual(["Bearer t1"]);
    expect(server.requests[0]!.url).toBe("/partner");
  });

  it("renews the operation's own token after a 401", async () => {
    let calls = 0;
    server.handle((req, res) => json(res, req.headers["authorization"] === "Bearer fresh" ? 200 : 401, {}));
    const invalidated: string[] = [];
    const provider: TokenProvider = {
      getToken: () => (++calls === 1 ? "stale" : "fresh"),
      invalidate: (token) => void invalidated.push(token),
    };
    const twoModes = testDefinition({
      auth: {
        defaultMode: "key",
        modes: {
          key: { type: "bearer", header: "authorization", prefix: "Bearer " },
          app: { type: "bearer", header: "authorization", prefix: "Bearer " },
        },
      },
    });
    const client = new ClientCore(
      twoModes,
      {
        auth: [{ token: "default" }, { mode: "app", token: provider }],
        baseUrl: server.url,
        retry: false,
      },
      [operationAuthModes],
    );
    const answer = await client.send(op("GET", "/app", { auth: ["app"] }), { path: "/app" });
    expect(answer.status).toBe(200);
    expect(invalidated).toEqual(["stale"]);
    expect(authorizations()).toEqual(["Bearer stale", "Bearer fresh"]);
  });
});

describe("auth in the spec", () => {
  const spec = (auth: unknown) =>
    specText(
      { inline: { "status.get": { method: "GET", path: "/status", auth } } },
      { auth: { modes: { key: { type: "bearer" }, partner: { type: "apiKey", in: "header", name: "X-Partner" } } } },
    );

  it("hands the runtime the operation's modes", () => {
    const result = loadAcme(spec(["partner"]));
    expect(result.diagnostics).toEqual([]);
    expect(result.model!.groups[0]!.operations[0]!.definition.auth).toEqual(["partner"]);
    expect(loadAcme(spec([])).model!.groups[0]!.operations[0]!.definition.auth).toEqual([]);
  });

  it("names an unknown mode at its position with a suggestion", () => {
    const [d] = loadAcme(spec(["partnr"])).diagnostics;
    expect(`${d!.code} ${d!.message}`).toBe(
      'SB3006 the operation is sent with the auth mode "partnr", which is not declared under auth.modes; did you mean "partner"?',
    );
    expect(d!.line).toBeGreaterThan(1);
  });
});
