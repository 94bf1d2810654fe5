/**
 * A provider that behaves as its spec says, on a loopback port: it checks credentials per the auth
 * section (and is the OAuth server), enforces the declared rate limits with the declared headers,
 * injects faults, honours idempotency keys, validates request bodies against the operations' schemas,
 * answers with examples, fixtures or data made up from the response schema, and sends signed webhooks
 * for the declared events. Everything provider-specific comes from the spec.
 */
import { createHash, generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type {
  AuthModeDefinition,
  PaginationDefinition,
  ProviderDefinition,
  RateLimitBucketDefinition,
  RateLimitsDefinition,
  ValueLocation,
} from "@switchboard/runtime/contract";
import { takesIdempotencyKey } from "@switchboard/runtime/contract";
import { signWebhook } from "@switchboard/runtime";
import { errorAnswer, type MockErrorKind } from "./errors.js";
import { parseFormBody } from "./form.js";
import { MockOAuthServer, type MockOAuthClient } from "./oauth.js";
import { formatReset, MockRateLimits, rateLimitHeaders } from "./rate-limit.js";
import { MockCollections, objectDigits, pageOf } from "./collections.js";
import { synthesize, validateValue, withFreshId, type SchemaProblem } from "./schema.js";
import { loadMockSpec, type MockOperation, type MockSpec } from "./spec.js";

/** The mock's time source: the same `Clock` a client takes, or anything with `now()`. */
export interface MockClock {
  now(): number;
}

export interface MockProviderOptions {
  /** @default 0: any free port */
  readonly port?: number;
  /** @default "127.0.0.1" */
  readonly host?: string;
  /** Share it with the client (see fastClock) to cross long waits quickly. @default Date.now */
  readonly clock?: MockClock;
  /** Share of API requests answered 503 before they take effect, 0 to 1. @default 0 */
  readonly failRate?: number;
  /** Share of API requests whose connection is reset after they took effect (the answer is lost). @default 0 */
  readonly resetRate?: number;
  /** Delay before every answer, real milliseconds. @default 0 */
  readonly latencyMs?: number;
  /** Windows, in clock milliseconds since the mock started, during which every API request gets 503. */
  readonly outages?: readonly { readonly from: number; readonly to: number }[];
  /** Seed of the fault dice, for reproducible runs. @default 1 */
  readonly seed?: number;
  /**
   * Static credentials accepted (bearer tokens, API keys, Basic usernames). @default any non-empty value
   * in the place the auth section says
   */
  readonly credentials?: readonly string[];
  /** OAuth clients the mock's authorization server knows. @default any client id (and secret) */
  readonly oauthClients?: readonly MockOAuthClient[];
  /** Lifetime of the access tokens the mock issues, clock ms. @default 3,600,000 */
  readonly tokenLifetimeMs?: number;
  /**
   * Limits the provider enforces beyond the spec's buckets, by name: numbers it does not publish (an
   * account's concurrency at Twilio, a SendGrid endpoint's limit). The mock enforces them like declared
   * buckets and sends the spec's rate-limit headers for them; give a client the same ones under
   * `rateLimits.add` when the provider sends no headers to learn them from.
   */
  readonly limits?: Readonly<Record<string, MockBucket>>;
  /** Requests already spent per bucket when the mock starts (another process used the quota). */
  readonly usedQuota?: Readonly<Record<string, number>>;
  /** Where `trigger` posts webhook deliveries unless told otherwise. */
  readonly webhookUrl?: string;
  /**
   * The secret webhooks are signed with (a PEM private key for Ed25519 / ECDSA schemes).
   * @default a fresh secret (or key pair) in the form the spec's secretEncoding expects
   */
  readonly webhookSecret?: string;
  /** Whole objects answers start from, by the value of a `const` property (Stripe's fixtures by `object`). */
  readonly fixtures?: Readonly<Record<string, unknown>>;
  /** Items per list page when the request does not say (its `limit`, `per_page`, `PageSize`...). @default 2 */
  readonly pageSize?: number;
  /** Items a list holds before anything was created under its path: made up from the item schema. @default 5 */
  readonly listLength?: number;
  /** false: accept any body. @default true */
  readonly validateBodies?: boolean;
  /** Called with each request once it is answered (or reset). */
  readonly onRequest?: (record: MockRequestRecord) => void;
  /**
   * Serve the control endpoints under `/__switchboard/` (for the command line): GET requests (the log),
   * GET webhook-secret (what a verifier needs), POST trigger?event=E, rate-limit?count=N, outage?on=true|false, expire-token. @default false
   */
  readonly controlEndpoints?: boolean;
}

/** A limit of the provider's that the spec does not declare (durations in clock ms). */
export type MockBucket = Pick<RateLimitBucketDefinition, "rate" | "perMs"> &
  Partial<Pick<RateLimitBucketDefinition, "burst" | "concurrency" | "appliesTo" | "perOperation" | "resource">>;

/** One request as the mock saw it. Credentials are never kept. */
export interface MockRequestRecord {
  readonly seq: number;
  /** Clock epoch ms. */
  readonly at: number;
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** The operation id, or "oauth.token", "oauth.authorize", "oauth.revoke", "app.installationToken". */
  readonly operation?: string;
  readonly status: number;
  /** What the mock did instead of serving it normally. */
  readonly fault?: "failure" | "reset" | "outage" | "rate_limited" | "forced_rate_limit";
  readonly idempotencyKey?: string;
  /**
   * The rate-limit counts the request was taken from (`bucket`, or `bucket:operation` for a per-operation
   * bucket); empty when it was refused or never reached the limits (a fault, a failed credential check).
   */
  readonly buckets: readonly string[];
  /** The stored answer of an earlier request with the same idempotency key was replayed. */
  readonly replayed: boolean;
  /** A write that took effect (a non-idempotent operation answered with success, the answer possibly lost). */
  readonly applied: boolean;
  /** The parsed body (JSON or form), undefined when empty. */
  readonly body?: unknown;
}

export interface TriggerOptions {
  /** The payload; @default made up from the event's payload schema */
  readonly payload?: unknown;
  /** @default options.webhookUrl */
  readonly to?: string;
  /** @default a fresh evt id */
  readonly id?: string;
}

export interface TriggerResult {
  readonly status: number;
  readonly body: string;
  /** What was sent: headers (lower-case), body and URL. */
  readonly sent: { readonly url: string; readonly headers: Readonly<Record<string, string>>; readonly body: string };
}

export interface MockProvider {
  /** Base URL to give the client (`baseUrl`), including the environment's path prefix. */
  readonly url: string;
  readonly spec: MockSpec;
  /** Every request so far, in arrival order. */
  readonly requests: readonly MockRequestRecord[];
  /** The secret (or public key) a verifier needs for the mock's webhooks. */
  readonly webhookSecret: string;
  /** The provider definition with every URL (environments, OAuth, installation tokens) pointing at the mock. */
  readonly definition: ProviderDefinition;
  /** Signs and posts a delivery of `eventType`; resolves with the receiver's answer. */
  trigger(eventType: string, options?: TriggerOptions): Promise<TriggerResult>;
  /** The next `count` API requests get the provider's 429. */
  forceRateLimit(count?: number): void;
  /** Every API request gets 503 until `endOutage`. */
  startOutage(): void;
  endOutage(): void;
  /** Issued tokens (or the one given) stop working, as if they had expired. */
  expireToken(token?: string): void;
  /** Forgets the request log (not the state: tokens, limits, idempotency keys). */
  clearLog(): void;
  stop(): Promise<void>;
}

const CONTROL_PREFIX = "/__switchboard/";

class Dice {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0 || 1;
  }
  /** mulberry32: a fixed sequence per seed. */
  next(): number {
    let t = (this.#state += 0x6d2b79f5);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

interface StoredAnswer {
  readonly bodyHash: string;
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const json = (status: number, value: unknown, headers: Record<string, string> = {}): Answer => ({
  status,
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(value),
});

function checkRate(name: string, value: number | undefined): number {
  const v = value ?? 0;
  if (!(v >= 0 && v <= 1)) throw new RangeError(`${name} must be between 0 and 1, got ${v}`);
  return v;
}

/**
 * Starts a mock of the provider a spec describes. `spec` is a spec file's path or a loaded MockSpec.
 * Stop it with `stop()`.
 */
export async function startMockProvider(spec: string | MockSpec, options: MockProviderOptions = {}): Promise<MockProvider> {
  const loaded = typeof spec === "string" ? loadMockSpec(spec) : spec;
  const mock = new MockServer(loaded, options);
  await mock.listen(options.port ?? 0, options.host ?? "127.0.0.1");
  return mock.api();
}

class MockServer {
  readonly #spec: MockSpec;
  readonly #definition: ProviderDefinition;
  readonly #options: MockProviderOptions;
  readonly #clock: MockClock;
  readonly #startedAt: number;
  readonly #server: Server;
  readonly #dice: Dice;
  readonly #limits: MockRateLimits;
  readonly #oauth: MockOAuthServer;
  readonly #idempotent = new Map<string, StoredAnswer>();
  readonly #collections = new MockCollections();
  /** Objects made up so far: the source of their ids. */
  #objects = 0;
  readonly #log: MockRequestRecord[] = [];
  readonly #failRate: number;
  readonly #resetRate: number;
  readonly #basePath: string;
  readonly #signingSecret: string | undefined;
  readonly #verificationSecret: string;
  #forced429 = 0;
  #outage = false;
  #seq = 0;
  #url = "";

  constructor(spec: MockSpec, options: MockProviderOptions) {
    this.#spec = spec;
    this.#definition = spec.definition;
    this.#options = options;
    this.#clock = options.clock ?? { now: () => Date.now() };
    this.#startedAt = this.#clock.now();
    this.#failRate = checkRate("failRate", options.failRate);
    this.#resetRate = checkRate("resetRate", options.resetRate);
    this.#dice = new Dice(options.seed ?? 1);
    this.#limits = new MockRateLimits(withLimits(this.#definition.rateLimits, options.limits), options.usedQuota);
    this.#oauth = new MockOAuthServer(this.#definition, {
      clock: this.#clock,
      tokenLifetimeMs: options.tokenLifetimeMs ?? 3_600_000,
      ...(options.oauthClients !== undefined && { clients: options.oauthClients }),
    });
    const environment = this.#definition.environments[this.#definition.defaultEnvironment];
    this.#basePath = environment === undefined ? "" : basePathOf(environment.baseUrl);
    const secrets = webhookSecrets(this.#definition, options.webhookSecret);
    this.#signingSecret = secrets.signing;
    this.#verificationSecret = secrets.verification;
    this.#server = createServer((request, response) => {
      this.#handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain" });
        response.end(`mock failure: ${error instanceof Error ? error.message : String(error)}`);
      });
    });
  }

  async listen(port: number, host: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once("error", reject);
      this.#server.listen(port, host, () => resolve());
    });
    const address = this.#server.address() as AddressInfo;
    const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
    this.#url = `http://${shownHost}:${address.port}`;
  }

  api(): MockProvider {
    const self = this;
    return {
      get url() {
        return `${self.#url}${self.#basePath}`;
      },
      spec: this.#spec,
      get requests() {
        return self.#log;
      },
      webhookSecret: this.#verificationSecret,
      get definition() {
        return self.#pointedDefinition();
      },
      trigger: (type, options) => this.#trigger(type, options ?? {}),
      forceRateLimit: (count = 1) => {
        this.#forced429 += count;
      },
      startOutage: () => {
        this.#outage = true;
      },
      endOutage: () => {
        this.#outage = false;
      },
      expireToken: (token) => this.#oauth.expire(token),
      clearLog: () => {
        this.#log.length = 0;
      },
      stop: () =>
        new Promise<void>((resolve) => {
          this.#server.closeAllConnections();
          this.#server.close(() => resolve());
        }),
    };
  }

  #pointedDefinition(): ProviderDefinition {
    const origin = this.#url;
    const point = (url: string): string => {
      const parsed = new URL(url.replace(/\{([^{}]+)\}/g, "__$1__"));
      return `${origin}${parsed.pathname.replace(/__([^_/]+)__/g, "{$1}")}${parsed.search}`;
    };
    const modes: Record<string, AuthModeDefinition> = {};
    for (const [name, mode] of Object.entries(this.#definition.auth.modes)) {
      if (mode.type === "oauth2")
        modes[name] = {
          ...mode,
          tokenUrl: point(mode.tokenUrl),
          ...(mode.authorizationUrl !== undefined && { authorizationUrl: point(mode.authorizationUrl) }),
          ...(mode.revocationUrl !== undefined && { revocationUrl: point(mode.revocationUrl) }),
        };
      else if (mode.type === "githubApp") modes[name] = { ...mode, installationTokenUrl: point(mode.installationTokenUrl) };
      else modes[name] = mode;
    }
    const environments = Object.fromEntries(
      Object.keys(this.#definition.environments).map((name) => [name, { baseUrl: `${origin}${this.#basePath}` }]),
    );
    return { ...this.#definition, environments, auth: { ...this.#definition.auth, modes } };
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(request.url ?? "/", "http://mock");
    const now = this.#clock.now();
    const method = (request.method ?? "GET").toUpperCase();
    const contentType = String(request.headers["content-type"] ?? "");
    const body = parseBody(raw, contentType);
    const base: Omit<MockRequestRecord, "status" | "replayed" | "applied" | "buckets"> = {
      seq: ++this.#seq,
      at: now,
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      ...(body !== undefined && { body }),
    };
    if (this.#options.controlEndpoints === true && url.pathname.startsWith(CONTROL_PREFIX))
      return this.#send(response, await this.#control(method, url));
    const oauth = this.#oauth.handle(method, url, request.headers, raw);
    if (oauth !== undefined) {
      this.#push({ ...base, operation: oauth.operation, status: oauth.answer.status, buckets: [], replayed: false, applied: false });
      return this.#send(response, oauth.answer);
    }
    const path =
      this.#basePath !== "" && url.pathname.startsWith(this.#basePath) ? url.pathname.slice(this.#basePath.length) || "/" : url.pathname;
    const operation = this.#spec.operations.find((op) => op.method === method && op.pattern.test(path));
    let counted: readonly string[] = [];
    const record = (answer: Answer, extra: Partial<MockRequestRecord> = {}): Answer => {
      this.#push({
        ...base,
        ...(operation && { operation: operation.id }),
        status: answer.status,
        buckets: counted,
        replayed: false,
        applied: false,
        ...extra,
      });
      return answer;
    };

    const since = now - this.#startedAt;
    if (this.#outage || (this.#options.outages ?? []).some((o) => since >= o.from && since < o.to))
      return this.#send(
        response,
        record(this.#error("provider_unavailable", "The service is down for maintenance (mock outage)."), { fault: "outage" }),
      );
    const roll = this.#failRate > 0 || this.#resetRate > 0 ? this.#dice.next() : 1;
    if (roll < this.#failRate)
      return this.#send(response, record(this.#error("provider_unavailable", "Service unavailable (mock fault)."), { fault: "failure" }));
    const reset = roll < this.#failRate + this.#resetRate;

    if (operation === undefined)
      return this.#send(response, record(this.#error("not_found", `Unrecognized request URL (${method}: ${url.pathname}).`)));

    const auth = this.#authenticate(request.headers, url);
    if (auth !== "ok")
      return this.#send(
        response,
        record(this.#error("authentication", auth === "expired" ? "The access token expired." : "Invalid credentials.")),
      );

    if (this.#forced429 > 0) {
      this.#forced429--;
      return this.#send(response, record(this.#limited(now, now + 1000), { fault: "forced_rate_limit" }));
    }
    const decision = this.#limits.take(operation, now);
    response.once("close", decision.release);
    counted = decision.counted;
    const limitHeaders = decision.tightest ? rateLimitHeaders(this.#limits.definition, decision.tightest, now) : {};
    if (!decision.allowed)
      return this.#send(response, record(this.#limited(now, decision.tightest!.resetAt, limitHeaders), { fault: "rate_limited" }));

    const idem = this.#definition.retry.idempotency;
    const key = idem && takesIdempotencyKey(idem, operation) ? headerText(request.headers[idem.header.toLowerCase()]) : undefined;
    const bodyHash = createHash("sha256").update(`${operation.id}\n${raw}`).digest("hex");
    if (key !== undefined) {
      const stored = this.#idempotent.get(key);
      if (stored !== undefined && stored.bodyHash !== bodyHash)
        return this.#send(
          response,
          record(
            this.#error(
              "idempotency_conflict",
              `Keys for idempotent requests can only be used with the same parameters they were first used with (key ${key}).`,
            ),
            { idempotencyKey: key },
          ),
        );
      if (stored !== undefined) {
        const replay = { status: stored.status, headers: { ...stored.headers, ...limitHeaders }, body: stored.body };
        return this.#send(response, record(replay, { idempotencyKey: key, replayed: true, ...(reset && { fault: "reset" }) }), reset);
      }
    }

    if (this.#options.validateBodies !== false && operation.body !== undefined) {
      const problem = this.#checkBody(operation, body, raw);
      if (problem !== undefined) return this.#send(response, record(problem, key === undefined ? {} : { idempotencyKey: key }));
    }

    const answer = this.#success(operation, body, now, url, path);
    answer.headers = { ...answer.headers, ...limitHeaders };
    if (this.#definition.errors.requestIdHeader) answer.headers[this.#definition.errors.requestIdHeader] = `req_mock_${base.seq}`;
    if (key !== undefined) this.#idempotent.set(key, { bodyHash, status: answer.status, headers: answer.headers, body: answer.body });
    const applied = !operation.idempotent;
    return this.#send(
      response,
      record(answer, { applied, ...(key !== undefined && { idempotencyKey: key }), ...(reset && { fault: "reset" }) }),
      reset,
    );
  }

  #push(record: MockRequestRecord): void {
    this.#log.push(record);
    this.#options.onRequest?.(record);
  }

  async #control(method: string, url: URL): Promise<Answer> {
    const action = url.pathname.slice(CONTROL_PREFIX.length);
    const q = url.searchParams;
    try {
      if (method === "GET" && action === "requests") return json(200, this.#log);
      if (method === "GET" && action === "webhook-secret") return json(200, { secret: this.#verificationSecret });
      if (method !== "POST") return json(405, { error: "use POST" });
      switch (action) {
        case "trigger": {
          const result = await this.#trigger(q.get("event") ?? "", q.has("to") ? { to: q.get("to")! } : {});
          return json(200, { status: result.status, url: result.sent.url });
        }
        case "rate-limit":
          this.#forced429 += Number(q.get("count") ?? "1") || 1;
          return json(200, { ok: true });
        case "outage":
          this.#outage = q.get("on") !== "false";
          return json(200, { outage: this.#outage });
        case "expire-token":
          this.#oauth.expire(q.get("token") ?? undefined);
          return json(200, { ok: true });
      }
      return json(404, { error: `no control action ${JSON.stringify(action)}` });
    } catch (error) {
      if (error instanceof MockUsageError) return json(400, { error: error.code, message: error.message });
      throw error;
    }
  }

  /** Sends the answer after the configured latency (the request holds its place under concurrency caps meanwhile). */
  #send(response: ServerResponse, answer: Answer, reset = false): void {
    const latency = this.#options.latencyMs ?? 0;
    if (latency > 0) setTimeout(() => this.#sendNow(response, answer, reset), latency);
    else this.#sendNow(response, answer, reset);
  }

  #sendNow(response: ServerResponse, answer: Answer, reset: boolean): void {
    if (reset) {
      response.socket?.destroy();
      return;
    }
    response.writeHead(answer.status, { ...answer.headers, "content-length": Buffer.byteLength(answer.body) });
    response.end(answer.body);
  }

  #error(kind: MockErrorKind, message: string, param?: string): Answer {
    const answer = errorAnswer(this.#definition, kind, message, param);
    const headers: Record<string, string> = {};
    if (this.#definition.errors.requestIdHeader) headers[this.#definition.errors.requestIdHeader] = `req_mock_${this.#seq}`;
    return json(answer.status, answer.body, headers);
  }

  #limited(now: number, resetAt: number, headers: Record<string, string> = {}): Answer {
    const answer = this.#error("rate_limited", "Too many requests; slow down (mock rate limit).");
    const retryAfter = this.#definition.retry.retryAfter.headers[0];
    const extra: Record<string, string> = { ...headers };
    if (retryAfter !== undefined) extra[retryAfter] = formatReset("seconds", resetAt, now);
    return { ...answer, headers: { ...answer.headers, ...extra } };
  }

  #authenticate(headers: IncomingMessage["headers"], url: URL): "ok" | "missing" | "expired" {
    const modes = Object.values(this.#definition.auth.modes);
    if (modes.length === 0) return "ok";
    let result: "missing" | "expired" = "missing";
    for (const mode of modes) {
      const presented = presentedCredential(mode, headers, url);
      if (presented === undefined || presented === "") continue;
      const issued = this.#oauth.tokenState(presented);
      if (issued === "valid") return "ok";
      if (issued === "expired") {
        result = "expired";
        continue;
      }
      if (mode.type === "oauth2" || mode.type === "githubApp") continue;
      if (this.#options.credentials === undefined || this.#options.credentials.includes(presented)) return "ok";
    }
    return result;
  }

  #checkBody(operation: MockOperation, body: unknown, raw: string): Answer | undefined {
    const declared = operation.body!;
    if (raw === "") {
      if (!declared.required) return undefined;
      return this.#error("validation", "The request needs a body.");
    }
    if (declared.schema === undefined || declared.encoding === "raw" || declared.encoding === "multipart") return undefined;
    const problems = validateValue(declared.schema, body, { coerce: declared.encoding === "form" });
    const first = problems.find((p) => p.reason === "missing") ?? problems[0];
    if (first === undefined) return undefined;
    const param = paramName(first, declared.encoding);
    const message =
      first.reason === "missing"
        ? `Missing required param: ${param}.`
        : `Invalid value for ${param === "" ? "the body" : param}: ${first.message}.`;
    return this.#error("validation", message, param === "" ? undefined : param);
  }

  #success(operation: MockOperation, body: unknown, now: number, url: URL, path: string): Answer {
    // An operation that declares no answer is answered 200 {}, or, when it pages, a page of objects with
    // only an id: what the spec says of its lists (where the items and the cursor go) is still true.
    const success = operation.responses[0] ?? (operation.pagination !== undefined ? UNTYPED_PAGE : undefined);
    if (success === undefined) return json(200, {});
    if (success.empty) return { status: success.status, headers: {}, body: "" };
    // An object created here before is answered as it was created.
    const own = operation.method === "GET" && /\}[^/]*$/.test(operation.path) ? this.#collections.retrieve(path) : undefined;
    if (own !== undefined) return json(success.status, own);
    let value: unknown =
      success.examples.length > 0
        ? withFreshId(structuredClone(success.examples[0]), this.#nextDigits())
        : this.#madeUp(success.schema, now);
    // A create or update answers with what was sent: the fields the request set, where the answer has them.
    // A list is neither, even when it is a POST (a search that takes its filters and cursor in the body).
    if (
      operation.pagination === undefined &&
      (!operation.idempotent || operation.method === "POST" || operation.method === "PATCH" || operation.method === "PUT")
    )
      value = overlay(value, body);
    let headers: Record<string, string> = {};
    if (operation.pagination !== undefined) {
      const page = pageOf(
        operation.pagination,
        value,
        this.#listItems(operation.pagination, success.schema, value, path, now),
        { url: new URL(url.pathname + url.search, this.#url), body, queryParams: operation.queryParams },
        this.#options.pageSize ?? 2,
      );
      value = page.body;
      headers = page.headers;
    } else if (operation.method === "POST" && !/\}[^/]*$/.test(operation.path)) this.#collections.created(path, value);
    return json(success.status, value, headers);
  }

  #nextDigits(): string {
    return objectDigits(this.#options.seed ?? 1, ++this.#objects);
  }

  /** An answer made up from the schema: fixtures first, ids unique per object and stable per seed. */
  #madeUp(schema: MockOperation["responses"][number]["schema"], now: number): unknown {
    if (schema === undefined) return {};
    return synthesize(schema, {
      sequence: this.#seq,
      now,
      objectDigits: () => this.#nextDigits(),
      ...(this.#options.fixtures !== undefined && { fixtures: this.#options.fixtures }),
    });
  }

  /** What a list holds: the objects created under its path, else `listLength` made up from the answer's item schema. */
  #listItems(
    pagination: PaginationDefinition,
    schema: MockOperation["responses"][number]["schema"],
    skeleton: unknown,
    path: string,
    now: number,
  ): unknown[] {
    const stored = this.#collections.list(path);
    if (stored.length > 0) return stored;
    const itemsOf = (answer: unknown): unknown[] => {
      let node = answer;
      for (const segment of pagination.items)
        node = typeof node === "object" && node !== null ? (node as Record<string, unknown>)[segment] : undefined;
      return Array.isArray(node) ? node : [];
    };
    const made: unknown[] = [];
    if (schema === undefined) {
      const given = itemsOf(skeleton);
      if (given.length > 0) return given;
      for (let i = 0; i < (this.#options.listLength ?? 5); i++) made.push({ id: this.#nextDigits() });
      return made;
    }
    for (let i = 0; i < (this.#options.listLength ?? 5); i++) made.push(...itemsOf(this.#madeUp(schema, now)).slice(0, 1));
    return made;
  }

  async #trigger(eventType: string, options: TriggerOptions): Promise<TriggerResult> {
    const webhooks = this.#definition.webhooks;
    if (webhooks === undefined) throw new MockUsageError("mock_no_webhooks", `${this.#definition.name}'s spec declares no webhooks`);
    if (!Object.hasOwn(this.#spec.events, eventType))
      throw new MockUsageError(
        "mock_unknown_event",
        `${this.#definition.name}'s spec declares no event ${JSON.stringify(eventType)}; declared: ${Object.keys(this.#spec.events).join(", ")}`,
      );
    const to = options.to ?? this.#options.webhookUrl;
    if (to === undefined)
      throw new MockUsageError("mock_no_webhook_url", "trigger needs a URL: pass { to } or start the mock with webhookUrl");
    if (this.#signingSecret === undefined)
      throw new MockUsageError("mock_no_signing_key", "pass webhookSecret: the private key the mock signs this provider's webhooks with");
    const now = this.#clock.now();
    const id = options.id ?? `evt_mock_${++this.#seq}`;
    const schema = this.#spec.events[eventType];
    let payload: unknown = options.payload ?? (schema === undefined ? {} : this.#madeUp(schema, now));
    const headers: Record<string, string> = {};
    if (options.payload === undefined) {
      payload = place(payload, webhooks.eventType, eventType, headers);
      payload = place(payload, webhooks.eventId, id, headers);
    } else {
      placeHeaders(webhooks.eventType, eventType, headers);
      placeHeaders(webhooks.eventId, id, headers);
    }
    const formLocation = [...(webhooks.eventType ?? []), ...(webhooks.eventId ?? [])].some((l) => "form" in l);
    const form = webhooks.payload.encoding === "form" || (webhooks.payload.encoding === "auto" && formLocation);
    // A text payload (payload.encoding text) given as a string is sent as it is; anything else as JSON.
    const text = form
      ? new URLSearchParams(flatStrings(payload)).toString()
      : webhooks.payload.encoding === "text" && typeof payload === "string"
        ? payload
        : JSON.stringify(payload);
    const signed = signWebhook(webhooks, { body: text, secret: this.#signingSecret, timestamp: Math.floor(now / 1000), id, url: to });
    const sentHeaders = { ...headers, ...signed.headers };
    const target = signed.url ?? to;
    const answer = await fetch(target, { method: "POST", headers: sentHeaders, body: text });
    return { status: answer.status, body: await answer.text(), sent: { url: target, headers: sentHeaders, body: text } };
  }
}

/** A mock used the wrong way (an undeclared event, no webhook URL); `code` is stable. */

/** The success answer of a paged operation that declares none: a JSON object with no schema. */
const UNTYPED_PAGE: MockOperation["responses"][number] = { status: 200, empty: false, examples: [] };

export class MockUsageError extends Error {
  override readonly name = "MockUsageError";
  constructor(
    readonly code: "mock_no_webhooks" | "mock_unknown_event" | "mock_no_webhook_url" | "mock_no_signing_key",
    message: string,
  ) {
    super(message);
  }
}

/** The spec's rate limits with the provider's undeclared ones added. */
function withLimits(declared: RateLimitsDefinition, limits: Readonly<Record<string, MockBucket>> | undefined): RateLimitsDefinition {
  if (limits === undefined) return declared;
  const buckets: Record<string, RateLimitBucketDefinition> = { ...declared.buckets };
  for (const [name, bucket] of Object.entries(limits)) {
    if (Object.hasOwn(buckets, name)) throw new RangeError(`the spec already declares the rate-limit bucket "${name}"`);
    if (!(bucket.rate > 0 && bucket.perMs > 0)) throw new RangeError(`the limit "${name}" needs a positive rate and perMs`);
    buckets[name] = { maxQueueWaitMs: 0, ...bucket };
  }
  return { ...declared, buckets };
}

function basePathOf(baseUrl: string): string {
  try {
    const path = new URL(baseUrl.replace(/\{([^{}]+)\}/g, "x")).pathname.replace(/\/+$/, "");
    return path.includes("{") ? "" : path;
  } catch {
    return "";
  }
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function parseBody(raw: string, contentType: string): unknown {
  if (raw === "") return undefined;
  if (/json/i.test(contentType)) {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return raw;
    }
  }
  if (/x-www-form-urlencoded/i.test(contentType)) return parseFormBody(raw);
  return raw;
}

/** The credential a request presents in the place `mode` says, without its prefix. */
function presentedCredential(mode: AuthModeDefinition, headers: IncomingMessage["headers"], url: URL): string | undefined {
  const header = (name: string) => headerText(headers[name.toLowerCase()]);
  switch (mode.type) {
    case "apiKey": {
      const value = mode.in === "header" ? header(mode.name) : (url.searchParams.get(mode.name) ?? undefined);
      return value?.startsWith(mode.prefix) ? value.slice(mode.prefix.length) : undefined;
    }
    case "basic": {
      const value = header("authorization");
      if (!value?.startsWith("Basic ")) return undefined;
      const decoded = Buffer.from(value.slice(6), "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      return colon < 0 ? decoded : decoded.slice(0, colon);
    }
    case "bearer":
    case "oauth2": {
      const value = header(mode.header);
      return value?.startsWith(mode.prefix) ? value.slice(mode.prefix.length) : undefined;
    }
    case "githubApp": {
      const value = header("authorization");
      return value?.startsWith("Bearer ") ? value.slice(7) : value?.startsWith("token ") ? value.slice(6) : undefined;
    }
  }
}

/** The failing parameter as the provider's clients write it: form keys with brackets, JSON paths dotted. */
function paramName(problem: SchemaProblem, encoding: string): string {
  const [head, ...rest] = problem.path;
  if (head === undefined) return "";
  return encoding === "form" ? `${head}${rest.map((s) => `[${s}]`).join("")}` : problem.path.join(".");
}

/** `base` with the request's fields written over it where `base` (an object) has them or is open. */
function overlay(base: unknown, sent: unknown): unknown {
  if (typeof base !== "object" || base === null || Array.isArray(base)) return base;
  if (typeof sent !== "object" || sent === null || Array.isArray(sent)) return base;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(sent as Record<string, unknown>)) {
    if (!Object.hasOwn(out, key)) continue;
    const current = out[key];
    if (typeof value === "object" && value !== null && !Array.isArray(value) && typeof current === "object" && current !== null)
      out[key] = overlay(current, value);
    else if (typeof value === typeof current || current === null) out[key] = value;
    else if (typeof current === "number" && typeof value === "string" && Number.isFinite(Number(value))) out[key] = Number(value);
    else if (typeof current === "boolean" && (value === "true" || value === "false")) out[key] = value === "true";
  }
  return out;
}

/** Writes `value` at the first location of `where`: a body path (payload copied) or a header. */
function place(payload: unknown, where: readonly ValueLocation[] | undefined, value: string, headers: Record<string, string>): unknown {
  const location = where?.[0];
  if (location === undefined) return payload;
  if ("header" in location) {
    headers[location.header.toLowerCase()] = value;
    return payload;
  }
  const root: Record<string, unknown> =
    typeof payload === "object" && payload !== null && !Array.isArray(payload) ? { ...(payload as Record<string, unknown>) } : {};
  const path = "body" in location ? location.body : [location.form];
  let node = root;
  for (const segment of path.slice(0, -1)) {
    const key = String(segment);
    node[key] = typeof node[key] === "object" && node[key] !== null ? { ...(node[key] as Record<string, unknown>) } : {};
    node = node[key] as Record<string, unknown>;
  }
  node[String(path[path.length - 1])] = value;
  return root;
}

function placeHeaders(where: readonly ValueLocation[] | undefined, value: string, headers: Record<string, string>): void {
  const location = where?.[0];
  if (location !== undefined && "header" in location) headers[location.header.toLowerCase()] = value;
}

function flatStrings(payload: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof payload === "object" && payload !== null)
    for (const [key, value] of Object.entries(payload as Record<string, unknown>))
      if (value !== undefined && value !== null) out[key] = typeof value === "string" ? value : JSON.stringify(value);
  return out;
}

/** The secret the mock signs with and the one a verifier checks with, in the spec's secret encoding. */
function webhookSecrets(definition: ProviderDefinition, given: string | undefined): { signing?: string; verification: string } {
  const signature = definition.webhooks?.signature;
  if (signature === undefined) return { verification: "" };
  const asymmetric = signature.algorithm === "ed25519" || signature.algorithm === "ecdsa-p256-sha256";
  if (asymmetric) {
    if (given !== undefined) return { signing: given, verification: "" };
    const pair =
      signature.algorithm === "ed25519" ? generateKeyPairSync("ed25519") : generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    const signing = pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const verification =
      signature.secretEncoding === "base64-spki"
        ? pair.publicKey.export({ type: "spki", format: "der" }).toString("base64")
        : pair.publicKey.export({ type: "spki", format: "pem" }).toString();
    return { signing, verification };
  }
  if (given !== undefined) return { signing: given, verification: given };
  const bytes = randomBytes(24);
  const secret =
    signature.secretEncoding === "base64"
      ? bytes.toString("base64")
      : signature.secretEncoding === "whsec-base64"
        ? `whsec_${bytes.toString("base64")}`
        : `whsec_mock_${bytes.toString("hex")}`;
  return { signing: secret, verification: secret };
}
