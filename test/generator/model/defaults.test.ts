/**
 * Defaults are applied in one place: generator/common/defaults.ts is the table, the model stage fills
 * every omitted field from it, the emitters apply none, and the values a generated definition leaves to
 * the runtime are the runtime's own.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadSpec } from "../../../generator/load.js";
import { DEFAULTS, RUNTIME_DEFAULTS } from "../../../generator/common/defaults.js";
import { parseDuration } from "../../../generator/common/duration.js";
import { parseJsonPath } from "../../../generator/common/json-path.js";
import { IDEMPOTENT_METHODS } from "../../../runtime/policies/retry.js";
import { repoRoot } from "../../helpers/typecheck.js";

// Every section present, every optional field left out.
const omitted = `switchboard: 1
provider: { name: acme, title: Acme }
environments:
  live: { baseUrl: https://api.acme.test }
auth:
  modes:
    key: { type: apiKey, in: header, name: X-Key }
    basic: { type: basic }
    bearer: { type: bearer }
    oauth: { type: oauth2, tokenUrl: https://acme.test/token, grants: [clientCredentials], scopes: { read: Read } }
    app: { type: githubApp, installationTokenUrl: "https://api.acme.test/app/installations/{installationId}/access_tokens" }
rateLimits:
  headers: { remaining: X-Remaining, reset: X-Reset }
  buckets:
    hourly: { rate: 10, per: 1h }
retry:
  idempotency: { header: Idempotency-Key }
  hints: [{ header: X-Should-Retry }]
webhooks:
  signature: { algorithm: hmac-sha256, header: X-Sig, format: { style: single }, content: [body], encoding: hex }
  eventType: { header: X-Event }
`;

function model() {
  const result = loadSpec("specs/acme.yaml", omitted);
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return result.model!.definition;
}

describe("defaults", () => {
  it("a spec that omits every optional field gets each default from the one table", () => {
    const d = model();
    const { auth, oauth2, githubApp, retry, circuitBreaker, webhooks } = DEFAULTS;
    expect(d.encoding).toEqual(DEFAULTS.encoding);
    expect(d.auth.modes).toEqual({
      key: { type: "apiKey", in: "header", name: "x-key", prefix: auth.apiKeyPrefix },
      basic: { type: "basic", passwordOptional: auth.basicPasswordOptional },
      bearer: { type: "bearer", header: auth.bearerHeader, prefix: auth.bearerPrefix },
      oauth: expect.objectContaining({
        pkce: oauth2.pkce,
        tokenEndpointAuthMethod: oauth2.tokenEndpointAuthMethod,
        scopeSeparator: oauth2.scopeSeparator,
        tokenResponse: {
          accessTokenPath: parseJsonPath(oauth2.accessTokenPath),
          refreshTokenPath: parseJsonPath(oauth2.refreshTokenPath),
          expiresInPath: parseJsonPath(oauth2.expiresInPath),
        },
        refreshSkewMs: parseDuration(oauth2.refreshSkew),
        header: oauth2.header,
        prefix: oauth2.prefix,
      }),
      app: expect.objectContaining({
        jwtLifetimeMs: parseDuration(githubApp.jwtLifetime),
        clockSkewMs: parseDuration(githubApp.clockSkew),
        refreshSkewMs: parseDuration(githubApp.refreshSkew),
      }),
    });
    expect(d.rateLimits.headers?.resetFormat).toBe(DEFAULTS.rateLimits.resetFormat);
    expect(d.rateLimits.buckets["hourly"]?.maxQueueWaitMs).toBe(parseDuration(DEFAULTS.rateLimits.maxQueueWait));
    expect(d.retry).toEqual({
      maxAttempts: retry.maxAttempts,
      backoff: { baseMs: parseDuration(retry.base), capMs: parseDuration(retry.cap), jitter: retry.jitter },
      statuses: retry.statuses,
      networkErrors: retry.networkErrors,
      errorCodes: [],
      retryAfter: { headers: retry.retryAfterHeaders, maxWaitMs: parseDuration(retry.maxWait) },
      hints: [{ header: "x-should-retry", retryWhen: retry.hintRetryWhen, stopWhen: retry.hintStopWhen }],
      idempotency: { header: "idempotency-key", methods: retry.idempotencyMethods, prefix: retry.idempotencyPrefix },
      budget: { ratio: retry.budgetRatio, windowMs: parseDuration(retry.budgetWindow), minPerSecond: retry.budgetMinPerSecond },
    });
    expect(d.circuitBreaker).toEqual({
      scope: circuitBreaker.scope,
      threshold: {
        type: "ratio",
        ratio: circuitBreaker.ratio,
        windowMs: parseDuration(circuitBreaker.window),
        minRequests: circuitBreaker.minRequests,
      },
      openForMs: parseDuration(circuitBreaker.openFor),
      halfOpenProbes: circuitBreaker.halfOpenProbes,
    });
    expect(d.errors.when).toEqual(DEFAULTS.errors.when.map((w) => ({ status: [w.status] })));
    expect(d.webhooks).toMatchObject({
      signature: {
        format: { style: "single", prefix: webhooks.signaturePrefix },
        secretEncoding: webhooks.secretEncoding,
        toleranceDirection: webhooks.toleranceDirection,
        urlDefaultPort: webhooks.urlDefaultPort,
      },
      maxBodySize: webhooks.maxBodySize,
      payload: { encoding: webhooks.payloadEncoding, allowEmpty: webhooks.allowEmpty },
      response: { status: webhooks.status },
    });
    // Left to the runtime: absent from the definition.
    expect(d.rateLimits.headers).not.toHaveProperty("resetMeaning");
    expect(d.rateLimits.buckets["hourly"]).not.toHaveProperty("family");
    expect(d.webhooks!.signature).not.toHaveProperty("timestampFormat");
  });

  it("no model or emit file writes a literal fallback of its own", () => {
    // `a ?? <literal>` outside defaults.ts: a number, a non-empty string, a non-empty array, a boolean.
    const fallback = /\?\?\s*(-?\d|"[^"]|'[^']|`|\[\s*[^\]\s]|true\b|false\b)/;
    // Not spec defaults: a diagnostic's path, an operation's id and a method's name derived when absent.
    const allowed = [
      'fromOf.get(document.id) ?? ["operations"]',
      "operationId ?? `${httpMethod} ${path}`",
      'segments[segments.length - 1] ?? "root"',
    ];
    const found: string[] = [];
    for (const folder of ["generator/model", "generator/emit"]) {
      for (const entry of readdirSync(path.join(repoRoot, folder), { recursive: true, withFileTypes: true })) {
        if (!entry.isFile() || !entry.name.endsWith(".ts") || entry.name === "defaults.ts") continue;
        const file = path.join(entry.parentPath, entry.name);
        readFileSync(file, "utf8")
          .split("\n")
          .forEach((line, i) => {
            if (fallback.test(line) && !allowed.some((a) => line.includes(a)))
              found.push(`${path.relative(repoRoot, file)}:${i + 1}: ${line.trim()}`);
          });
      }
    }
    expect(found).toEqual([]);
    // The scan does find a fallback when there is one.
    expect(fallback.test('mode.prefix ?? "Bearer "')).toBe(true);
  });

  it("what a definition leaves to the runtime is the runtime's own default", () => {
    expect([...IDEMPOTENT_METHODS].sort()).toEqual([...RUNTIME_DEFAULTS.idempotentMethods].sort());
    const runtime = (file: string) => readFileSync(path.join(repoRoot, "runtime", file), "utf8");
    const q = JSON.stringify;
    const where: [string, string][] = [
      ["client/client-core.ts", `headers["content-type"] ??= operation.contentType ?? "application/${RUNTIME_DEFAULTS.bodyEncoding}";`],
      ["client/stream.ts", `definition.data === "text"`],
      ["policies/rate-limit-headers.ts", `resetMeaning ?? ${q(RUNTIME_DEFAULTS.resetMeaning)}`],
      ["policies/rate-limit.ts", `policy.family ?? ${q(RUNTIME_DEFAULTS.bucketFamily)}`],
      ["policies/bucket-routing.ts", "operation.buckets ?? []"],
      ["webhooks/sign.ts", "return String(Math.floor(seconds));"],
      ["auth/oauth2.ts", `accept ?? ${q(RUNTIME_DEFAULTS.tokenResponseAccept)}`],
      ["auth/oauth2.ts", `errorPath ?? ${q(RUNTIME_DEFAULTS.tokenResponseErrorPath)}`],
      ["auth/oauth2.ts", `errorDescriptionPath ?? ${q(RUNTIME_DEFAULTS.tokenResponseErrorDescriptionPath)}`],
      [
        "client/client-core.ts",
        `DEFAULT_TOTAL_TIMEOUT_MS = ${RUNTIME_DEFAULTS.totalTimeoutMs.toString().replace(/\B(?=(\d{3})+$)/g, "_")};`,
      ],
    ];
    for (const [file, text] of where) expect(runtime(file), `runtime/${file}`).toContain(text);
  });
});
