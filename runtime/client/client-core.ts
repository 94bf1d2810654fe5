/**
 * The core every generated client delegates to. It builds one operation call (URL, headers, body,
 * idempotency key) once, then runs attempts through the execution policies, each a small object of its
 * own file: circuit breaker -> rate limiter -> transport with the attempt's timeout; after each
 * attempt the response re-synchronises the rate limiter and the retry rules decide what comes next.
 * One AbortSignal (the caller's, bounded by the total timeout) reaches every wait and every request.
 */
import { bucketsFor, takesIdempotencyKey } from "../policies/bucket-routing.js";
import { BreakerPolicy, CircuitBreaker, type BreakerOutcome } from "../policies/circuit-breaker.js";
import { systemClock, type Clock } from "../clock.js";
import { Deadline, TimeoutPolicy } from "../policies/timeout.js";
import { Stop, wrap, type Policy, type Step } from "../policies/policy.js";
import { ThrottlePolicy, type ThrottledContext } from "../policies/throttle.js";
import { applyCredentials, renewCredentials, type AuthOptions, type TokenRequestOptions } from "./credentials.js";
import { ApiPromise } from "./api-promise.js";
import type { StreamContext } from "./stream.js";
import type {
  AuthModeDefinition,
  CircuitBreakerDefinition,
  OperationDefinition,
  ProviderDefinition,
  RateLimitBucketDefinition,
  RetryDefinition,
} from "../definition.js";
import {
  ConfigurationError,
  isSwitchboardError,
  NetworkError,
  TimeoutError,
  type CallOutcome,
  type ProviderError,
} from "../errors/errors.js";
import { classifyAnswer, classifyFailure, specRetryable } from "./classify.js";
import { declared } from "../internal/declared.js";
import { normalizeError, type ErrorAnswer } from "../errors/error-normalizer.js";
import type { CallEmit, ClientEvent, ClientEventListener } from "./events.js";
import { encodeForm } from "./form.js";
import { anyResponseMatches } from "./match.js";
import type { RateLimitFamilies } from "../policies/rate-limit-headers.js";
import { mergeClientParts, missingPart, type ClientParts, type HeaderSync } from "./parts.js";
import { RateLimiter, type AcquireRoute, type Permit } from "../policies/rate-limit.js";
import { MemoryRateLimitStore, type LimiterStore } from "../policies/rate-limit-store.js";
import { createRedactor, type Redactor } from "../errors/redact.js";
import { IDEMPOTENT_METHODS, retryAfterMs, RetryBudget, RetryPolicy } from "../policies/retry.js";
import { defaultTransport } from "../transport/default.js";
import { fetchTransport } from "../transport/fetch.js";
import {
  TRANSPORT_TIMEOUT_CODES,
  type ResponseHeaders,
  type Transport,
  type TransportRequest,
  type TransportResponse,
} from "../transport/transport.js";
import { fillPlaceholders } from "./variables.js";
import { heldCredentials, type HeldCredential } from "./auth-choice.js";
import { checkVersion, readDeprecation } from "../versions/versions.js";

/** Changes to the spec's retry policy. */
export interface RetryOverrides {
  /** Attempts in all, the first included; 1 turns retries off. */
  readonly maxAttempts?: number;
  readonly backoff?: Partial<RetryDefinition["backoff"]>;
  /** The longest Retry-After or reset the client waits for; a longer one fails at once with RateLimitError. */
  readonly maxWaitMs?: number;
  /** Retry budget; false: no budget. */
  readonly budget?: Partial<RetryDefinition["budget"]> | false;
}

/** Changes to one of the spec's buckets, or false to drop it. */
export type BucketOverrides =
  false | Partial<Pick<RateLimitBucketDefinition, "rate" | "perMs" | "burst" | "concurrency" | "maxQueueWaitMs">>;

/** A bucket of the application's own: a rate per window, optionally a burst and a cap on requests in flight. */
export type AddedBucket = Pick<RateLimitBucketDefinition, "rate" | "perMs"> &
  Partial<Pick<RateLimitBucketDefinition, "burst" | "concurrency" | "maxQueueWaitMs" | "appliesTo" | "perOperation">>;

export interface RateLimitOptions {
  /** Per-bucket changes, by the spec's bucket name. */
  readonly buckets?: Readonly<Record<string, BucketOverrides>>;
  /**
   * Buckets the spec does not declare: your account's own limits where the provider publishes no number
   * (Twilio's concurrency per account, a SendGrid endpoint's limit). A name the spec declares is refused.
   */
  readonly add?: Readonly<Record<string, AddedBucket>>;
  /**
   * Where bucket state lives: a MemoryRateLimitStore, or a shared store that runs behind the store guard
   * (RedisRateLimitStore, SqliteRateLimitStore, or your own through `guardRateLimitStore`).
   * @default a MemoryRateLimitStore of this client's own
   */
  readonly store?: LimiterStore;
  /** Separates quotas in a shared store: one per account or credential. @default the provider's name */
  readonly key?: string;
}

export type CircuitBreakerOverrides = Partial<Pick<CircuitBreakerDefinition, "scope" | "threshold" | "openForMs" | "halfOpenProbes">>;

export interface TimeoutOptions {
  /** Each attempt, from its start to the end of its body, on every transport. @default 60 s */
  readonly attemptMs?: number;
  /**
   * The whole call: every wait (the rate limiter's queue, credentials and a token renewal, retry delays)
   * and every attempt ends at this deadline, with a TimeoutError of scope "total". @default 10 min
   */
  readonly totalMs?: number;
  /**
   * Streamed answers: the stream ends with a TimeoutError of scope "idle" when no byte arrives for this
   * long while it is being read. `totalMs` and `attemptMs` bound only opening the stream (up to its
   * headers), since a streamed answer may rightly last longer than any call. 0: no idle limit.
   * @default the attempt timeout
   */
  readonly idleMs?: number;
}

export interface ClientOptions<Environment extends string = string, Auth extends AuthOptions = AuthOptions> {
  /**
   * Which auth mode and the credentials for it; or credentials for several modes, the first the default,
   * for a spec whose operations name the mode they are sent with (an app's JWT and an installation token).
   */
  readonly auth: Auth | readonly Auth[];
  /** @default the environment the spec marks default */
  readonly environment?: Environment;
  /**
   * Overrides the environment's base URL (a proxy, a local mock). Next-page URLs the provider writes on the
   * environment's base URL (a Link header, Klaviyo's links.next) are moved onto this one.
   */
  readonly baseUrl?: string;
  /** Values for the spec's URL variables ({shop} in a base URL). */
  readonly variables?: Readonly<Record<string, string>>;
  /** Overrides the pinned API version; must be one the spec lists as supported. */
  readonly apiVersion?: string;
  /** Extra headers sent with every request. */
  readonly headers?: Readonly<Record<string, string>>;
  /** How requests are sent. @default undici on Node (the global fetch when SWITCHBOARD_TRANSPORT=fetch), fetch elsewhere */
  readonly transport?: Transport;
  /** Shorthand for `transport: fetchTransport(fetch)`. */
  readonly fetch?: typeof fetch;
  /** false: no retries at all. */
  readonly retry?: false | RetryOverrides;
  /** false: no client-side rate limiting (the provider's answers still pause nothing). */
  readonly rateLimits?: false | RateLimitOptions;
  /** false: no circuit breaker. */
  readonly circuitBreaker?: false | CircuitBreakerOverrides;
  readonly timeout?: TimeoutOptions;
  /** Receives every ClientEvent, secrets redacted. */
  readonly onEvent?: ClientEventListener;
  /** More header and query names to redact from events and errors. */
  readonly redact?: readonly string[];
  /** For tests: the time source of every policy. */
  readonly clock?: Clock;
  /** For tests: the jitter source. @default Math.random */
  readonly random?: () => number;
}

export interface RequestOptions {
  /** Cancels the call: a queued request leaves the queue, a wait ends, an attempt in flight is aborted. */
  readonly signal?: AbortSignal;
  /** Extra headers for this call only. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The idempotency key for this call; one is generated when the spec declares idempotency for the method. */
  readonly idempotencyKey?: string;
  readonly retry?: false | RetryOverrides;
  readonly timeout?: TimeoutOptions;
  /** false: this call skips the client-side rate limiter. */
  readonly rateLimit?: false;
  /**
   * The API version of this call only; must be one the spec lists as supported (else
   * UnsupportedVersionError). The answer is migrated to the client's version when the spec declares how.
   */
  readonly apiVersion?: string;
}

/** The parts of one call that depend on its arguments. */
export interface OperationCall {
  /** The path with parameters already encoded (see encodePath). */
  readonly path: string;
  /**
   * A URL the provider handed out (a Link header's next page, Twilio's next_page_uri), absolute or
   * relative to the base URL. It replaces `path` and `query`, and must stay on the base URL's origin:
   * credentials are never sent anywhere else.
   */
  readonly url?: string;
  readonly query?: Readonly<Record<string, unknown>>;
  readonly headers?: Readonly<Record<string, unknown>>;
  readonly body?: unknown;
}

/** A provider's answer, parsed. */
export interface ApiResponse {
  readonly status: number;
  readonly headers: ResponseHeaders;
  /** JSON when the answer is JSON, the text otherwise, undefined when empty. */
  readonly body: unknown;
  readonly requestId: string | undefined;
}

const RUNTIME_USER_AGENT = "switchboard/0.1.0";
/** The attempt timeout when neither the call, the operation nor the client sets one (and a stream's idle limit). */
export const DEFAULT_ATTEMPT_TIMEOUT_MS = 60_000;
const DEFAULT_TOTAL_TIMEOUT_MS = 600_000;

/** A request built once per call and sent as is on every attempt. */
interface PreparedRequest {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string | Uint8Array | undefined;
  readonly idempotencyKey: string | undefined;
}

/** One call: what it keeps across its attempts, and what the policies and its latest attempt record (policy.ts). */
interface CallPlan extends ThrottledContext {
  readonly operation: OperationDefinition;
  readonly prepared: PreparedRequest;
  readonly apiVersion: string | undefined;
  /** Repeating the request cannot apply it twice: an idempotent method, or an idempotency key. */
  readonly safe: boolean;
  /** A streamed operation: which answers are the stream (the transport hands their body over unread). */
  readonly streamWhen: ((status: number, headers: ResponseHeaders) => boolean) | undefined;
  /** An attempt is in flight: whatever ends the call now, the provider may have applied it. */
  inFlight: boolean;
  /** The worst of the finished attempts: "unknown" once any of them may have been applied. */
  outcome: CallOutcome;
  /** A 401 renewed the credentials once already: a second 401 is an error. */
  renewed: boolean;
  /** The answer to return. */
  result: ApiResponse | undefined;
}

export class ClientCore {
  readonly definition: ProviderDefinition;
  readonly #options: ClientOptions;
  readonly #baseUrl: string;
  readonly #credentials: readonly HeldCredential[];
  readonly #apiVersion: string | undefined;
  /** The environment's base URL when the client's was overridden: URLs the provider writes on it are moved onto the client's. */
  readonly #environmentBaseUrl: string | undefined;
  /** The base URL holds {apiVersion}, filled once: a per-call version cannot change it. */
  readonly #versionInBaseUrl: boolean;
  /** Placeholders left in operation paths after encodePath: only {apiVersion}. */
  readonly #pathValues: Readonly<Record<string, string>>;
  readonly #transport: Transport;
  readonly #clock: Clock;
  readonly #retry: RetryDefinition | undefined;
  readonly #limiter: RateLimiter | undefined;
  /** retry -> circuit breaker -> rate limit -> attempt timeout, around #attempt. */
  readonly #policies: Policy<CallPlan>;
  readonly #attempt: Step<CallPlan> = (plan) => this.#send(plan);
  readonly #buckets: Readonly<Record<string, RateLimitBucketDefinition>>;
  /** Every header family of the spec's rateLimits, the "requests" family first. */
  readonly #families: RateLimitFamilies;
  /** The header-sync part, when the spec declares header families (parts.ts). */
  readonly #headerSync: HeaderSync | undefined;
  /** The parts the spec needs, merged (parts.ts). */
  readonly #parts: ClientParts;
  readonly #bucketsByOperation = new Map<string, readonly string[]>();
  readonly #breakerDefinition: CircuitBreakerDefinition | undefined;
  readonly #breakers = new Map<string, CircuitBreaker>();
  /** The base URL's scheme and authority, the breaker's key when its scope is the host. */
  #hostKey: string | undefined;
  readonly #redactor: Redactor;
  /** Token-request events of this client's calls, into its event stream. */
  readonly #onTokenRequest: TokenRequestOptions["onTokenRequest"];
  #closed = false;
  /** The retry rules' opinion of an error answer that no code or rule classifies (normalizeError). */
  readonly #specRetryable: (status: number, providerCode: string | undefined, headers: ResponseHeaders) => boolean;
  /** The spec's error rules applied to an error answer (or a stream's error event), with this client's retry rules and redaction. */
  readonly #normalize = (answer: ErrorAnswer, limited = false): ProviderError =>
    normalizeError(this.definition.name, this.definition.errors, answer, {
      limited,
      retryable: this.#specRetryable,
      redactor: this.#redactor,
    });
  readonly #userAgent: string;
  /** Versions whose lifecycle this client has checked (and warned about when deprecated): the deprecatedVersionWarnings part's. */
  readonly #checkedVersions = new Set<string>();
  /** Deprecation signals already reported, per operation. */
  readonly #reportedDeprecations = new Map<string, string>();

  /**
   * `parts`: what the spec's features need beyond the core (parts.ts; the generated `create<Provider>Core`
   * passes them). A definition that declares a feature without its part is refused with ConfigurationError.
   */
  constructor(definition: ProviderDefinition, options: ClientOptions, parts: readonly ClientParts[] = NO_PARTS) {
    this.definition = definition;
    const merged = (this.#parts = mergeClientParts(definition, parts));
    const headerSync = (this.#headerSync = merged.headerSync);
    this.#options = options;
    const environment = options.environment ?? definition.defaultEnvironment;
    const env = declared(definition.environments, environment, "environment", definition.title);
    this.#credentials = heldCredentials(definition, options.auth);
    const versions = definition.versions;
    this.#apiVersion = options.apiVersion === undefined ? versions?.pinned : checkVersion(definition.title, versions, options.apiVersion);
    // {apiVersion} is one more placeholder, filled by the same mechanism as the spec's variables.
    // Without the urlVariables part the spec declares none: a value given for one is refused all the same.
    const variables = merged.variables ? merged.variables(definition.title, definition.variables, options.variables) : NO_VARIABLES;
    if (!merged.variables)
      for (const name of Object.keys(options.variables ?? {})) declared(definition.variables, name, "variable", definition.title);
    this.#pathValues = this.#apiVersion === undefined ? {} : { apiVersion: this.#apiVersion };
    const baseUrl = options.baseUrl ?? env.baseUrl;
    this.#versionInBaseUrl = baseUrl.includes("{apiVersion}");
    this.#baseUrl = fillPlaceholders(baseUrl, { ...variables, ...this.#pathValues }).replace(/\/+$/, "");
    if (options.baseUrl !== undefined) this.#environmentBaseUrl = fillPlaceholders(env.baseUrl, { ...variables, ...this.#pathValues });
    const unfilled = /\{([^{}]+)\}/.exec(this.#baseUrl);
    if (unfilled) throw new ConfigurationError(`the base URL still has the placeholder {${unfilled[1]}}`);
    this.#transport = options.transport ?? (options.fetch ? fetchTransport(options.fetch) : defaultTransport());
    this.#clock = options.clock ?? systemClock;
    this.#userAgent = [definition.userAgent, RUNTIME_USER_AGENT].filter(Boolean).join(" ");

    this.#retry = options.retry === false ? undefined : mergeRetry(definition.retry, options.retry);
    const rules = this.#retry ?? definition.retry;
    this.#specRetryable = (status, providerCode, headers) => specRetryable(rules, status, providerCode, headers);
    const budget = this.#retry && this.#retry.budget.ratio < Infinity ? new RetryBudget(this.#retry.budget) : undefined;
    this.#buckets = options.rateLimits === false ? {} : mergeBuckets(definition, options.rateLimits?.buckets, options.rateLimits?.add);
    this.#families = headerSync ? headerSync.families(definition.rateLimits) : NO_FAMILIES;
    // Declared headers without a bucket still limit: the limiter learns buckets from the headers alone.
    if (options.rateLimits !== false && (Object.keys(this.#buckets).length > 0 || this.#families.length > 0)) {
      const rateLimits = options.rateLimits;
      this.#limiter = new RateLimiter({
        provider: definition.name,
        buckets: this.#buckets,
        store: rateLimits?.store ?? new MemoryRateLimitStore(),
        clock: this.#clock,
        keyPrefix: rateLimits?.key ?? definition.name,
        families: this.#families.map((family) => family.policy),
        ...(headerSync && { allowance: headerSync.allowance, familySync: headerSync.familySync }),
        onStoreEvent: (event) => safeEmit(options.onEvent, { ...event, provider: definition.name }),
      });
    }
    const onEvent = options.onEvent;
    this.#onTokenRequest = onEvent && ((event) => safeEmit(onEvent, { ...event, provider: definition.name }));
    this.#breakerDefinition = options.circuitBreaker === false ? undefined : { ...definition.circuitBreaker, ...options.circuitBreaker };
    const secretNames: string[] = [...(options.redact ?? [])];
    for (const mode of Object.values(definition.auth.modes)) if (mode.type === "apiKey") secretNames.push(mode.name);
    const idempotencyHeader = definition.retry.idempotency?.header;
    this.#redactor = createRedactor(secretNames, idempotencyHeader ? [idempotencyHeader] : []);
    this.#policies = wrap<CallPlan>(
      new RetryPolicy(this.#clock, options.random ?? Math.random, budget),
      new BreakerPolicy(this.#clock),
      new ThrottlePolicy(definition.name, this.#limiter, this.#families, definition.rateLimits.minWaitMs, this.#clock, headerSync),
      new TimeoutPolicy(this.#clock),
    );
  }

  /** What a generated method returns: the call, sent now, as an `ApiPromise` of its typed answer. */
  call<Response extends ApiResponse = ApiResponse>(
    operation: OperationDefinition,
    call: OperationCall,
    options?: RequestOptions,
  ): ApiPromise<Response> {
    return new ApiPromise(this.send(operation, call, options));
  }

  /**
   * What the contract's `openStream` (./stream.ts) builds a streamed call's EventStream from; the
   * streamed-answers part makes it from what only the core has: its clock, its timeouts, a way to open
   * the call through the pipeline and the spec's error rules. This hook keeps the stream reader out of
   * applications that stream nothing.
   */
  streamContext(operation: OperationDefinition, call: OperationCall, options: RequestOptions = NO_OPTIONS): StreamContext {
    return this.#streams().context(this.definition.name, operation, options, this.#options.timeout, this.#clock, this.#normalize, () =>
      this.send(operation, call, options),
    );
  }

  /**
   * Releases what the client holds: the transport's connection pool (when it offers close()), the rate
   * limiter's timers; calls waiting in its queue fail. Later calls fail with ConfigurationError.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#limiter?.close(new ConfigurationError(`this ${this.definition.title} client was closed`));
    await this.#transport.close?.();
  }

  /** Sends one operation call and resolves to the parsed body (undefined when there is none). */
  request(operation: OperationDefinition, call: OperationCall, options: RequestOptions = NO_OPTIONS): Promise<unknown> {
    return this.send(operation, call, options).then(bodyOf);
  }

  /**
   * Sends one operation call and resolves to the whole answer: status, headers, body, request id. The
   * request is prepared once (prepare, pure but for credentials), then every attempt runs through the
   * policies (retry -> circuit breaker -> rate limit -> attempt timeout) around #send: the transport, then
   * the verdict on what came back (classify.ts).
   */
  async send(operation: OperationDefinition, call: OperationCall, options: RequestOptions = NO_OPTIONS): Promise<ApiResponse> {
    if (this.#closed) throw new ConfigurationError(`this ${this.definition.title} client was closed`);
    const apiVersion =
      options.apiVersion === undefined
        ? this.#apiVersion
        : checkVersion(this.definition.title, this.definition.versions, options.apiVersion);
    const deadline = new Deadline(
      this.definition.name,
      // An operation whose own attempt timeout is longer (a long generation) is not cut by the default total.
      options.timeout?.totalMs ?? this.#options.timeout?.totalMs ?? Math.max(DEFAULT_TOTAL_TIMEOUT_MS, operation.timeoutMs ?? 0),
      options.signal,
      this.#clock,
    );
    let plan: CallPlan | undefined;
    try {
      // A call written at the pinned version (the generated types' shape), sent at another one: without the
      // versionRequestMigrations part no migration changes requests, and the call goes as written.
      const rewritten = apiVersion !== undefined ? this.#parts.rewriteCall?.(this.definition, operation.id, call, apiVersion) : undefined;
      if (rewritten) call = rewritten.call;
      const preparing = this.#prepare(operation, call, options, apiVersion, deadline);
      const prepared = preparing instanceof Promise ? await deadline.bound(preparing) : preparing;
      plan = this.#plan(operation, options, prepared, apiVersion, deadline, call.body);
      if (rewritten) plan.emit?.(rewritten.event);
      const running = this.#policies.execute(this.#attempt, plan);
      if (running instanceof Promise) await running;
      return plan.result!;
    } catch (error) {
      throw plan ? describeCall(plan, error) : error;
    } finally {
      deadline.dispose();
    }
  }

  /** What one call keeps across its attempts. */
  #plan(
    operation: OperationDefinition,
    options: RequestOptions,
    prepared: PreparedRequest,
    apiVersion: string | undefined,
    deadline: Deadline,
    body: unknown,
  ): CallPlan {
    const throttled = options.rateLimit !== false && this.#limiter !== undefined;
    const buckets = throttled ? this.#bucketsOf(operation) : NO_BUCKETS;
    const emit = this.#options.onEvent ? this.#emitter(operation, prepared) : undefined;
    const retry = options.retry === false || !this.#retry ? undefined : mergeRetry(this.#retry, options.retry);
    const plan: CallPlan = {
      operation,
      prepared,
      apiVersion,
      retry,
      rules: retry ?? this.definition.retry,
      // The spec's timeout of this operation overrides the client's; a per-call timeout overrides both.
      attemptMs: options.timeout?.attemptMs ?? operation.timeoutMs ?? this.#options.timeout?.attemptMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS,
      deadline,
      streamWhen: operation.stream ? this.#streams().isStream : undefined,
      buckets,
      throttled,
      route: throttled ? { operation: operation.id, costs: this.#headerSync?.readCosts(this.#families, body) } : NO_ROUTE,
      breaker: this.#breakerFor(buckets),
      safe: IDEMPOTENT_METHODS.has(operation.method) || operation.idempotent || prepared.idempotencyKey !== undefined,
      emit,
      attempts: 0,
      inFlight: false,
      outcome: "not_processed",
      renewed: false,
      result: undefined,
      permits: NO_PERMITS,
      probe: false,
      timeoutMs: 0,
      startedAt: 0,
      endedAt: 0,
      response: undefined,
      breakerOutcome: "neutral",
      failure: undefined,
      verdict: undefined,
      askedMs: undefined,
      limited: false,
      waitMs: undefined,
      renewing: undefined,
      stop: undefined,
    };
    // Warns once per client (event) and once per process about a deprecated version; without the
    // deprecatedVersionWarnings part the spec marks no version deprecated.
    const checkVersionLifecycle = this.#parts.checkVersionLifecycle;
    if (checkVersionLifecycle && apiVersion !== undefined)
      checkVersionLifecycle(this.definition, apiVersion, this.#clock, this.#checkedVersions, emit);
    return plan;
  }

  /** One attempt, once the policies let it through: the transport, then the verdict on what came back. */
  async #send(plan: CallPlan): Promise<CallPlan> {
    plan.response = undefined;
    plan.failure = undefined;
    plan.verdict = undefined;
    plan.askedMs = undefined;
    plan.limited = false;
    plan.waitMs = undefined;
    const attempt = ++plan.attempts;
    plan.emit?.({
      type: "request",
      attempt,
      headers: this.#redactor.headers(plan.prepared.headers),
      idempotencyKey: plan.prepared.idempotencyKey,
    });
    plan.inFlight = true;
    let response: TransportResponse;
    try {
      response = await this.#transport(transportRequest(plan));
    } catch (error) {
      this.#failedAttempt(plan, error);
      return plan;
    }
    try {
      this.#answered(plan, response);
    } catch (error) {
      // Reading the answer failed (a migration, an observer's getter): the call ends with it.
      plan.endedAt = this.#clock.now();
      plan.breakerOutcome = "neutral";
      plan.stop = new Stop(error);
    }
    return plan;
  }

  /**
   * A network failure or timeout: the error and the verdict on it. A caller's abort, a deadline that has
   * passed, or anything thrown while describing the failure stops the call.
   */
  #failedAttempt(plan: CallPlan, thrown: unknown): void {
    const now = (plan.endedAt = this.#clock.now());
    let error: NetworkError | TimeoutError;
    try {
      error = this.#attemptError(plan, thrown);
    } catch (stopping) {
      plan.breakerOutcome = "neutral";
      plan.stop = new Stop(stopping);
      return;
    }
    const timedOut = error instanceof TimeoutError;
    const errorCode = error instanceof TimeoutError ? undefined : error.errorCode;
    const verdict = classifyFailure(plan.rules, plan.safe, { timedOut, errorCode });
    settleAttempt(plan, verdict.outcome);
    plan.breakerOutcome = verdict.breaker;
    plan.failure = error;
    plan.verdict = verdict;
    plan.emit?.({
      type: "attemptFailed",
      attempt: plan.attempts,
      errorCode: timedOut ? "TIMEOUT" : (errorCode ?? "NETWORK"),
      durationMs: now - plan.startedAt,
    });
    // Out of time: the call ends with the total timeout (the breaker still counts the attempt).
    if (now >= plan.deadline.at) plan.stop = new Stop(plan.deadline.expired());
  }

  /** What a rejected attempt becomes; a caller's abort is thrown. */
  #attemptError(plan: CallPlan, error: unknown): NetworkError | TimeoutError {
    if (plan.deadline.signal?.aborted) throw plan.deadline.signal.reason;
    const errorCode = networkErrorCode(error);
    if (errorCode !== undefined && TRANSPORT_TIMEOUT_CODES.has(errorCode)) {
      return new TimeoutError(this.definition.name, "attempt", plan.timeoutMs);
    }
    const where = this.#redactor.url(plan.prepared.url.split("?")[0]!);
    return new NetworkError(this.definition.name, `${plan.operation.method} ${where} failed: ${errorCode ?? describe(error)}`, {
      cause: error,
      ...(errorCode !== undefined && { errorCode }),
    });
  }

  /**
   * An HTTP answer: the response to return, a renewal of the credentials (a 401 the auth mode can
   * answer: the same attempt is made again once they are renewed), or the normalized error and the verdict
   * on it. A rate-limited answer is marked `limited`: the rate-limit policy pauses and says when to retry.
   */
  #answered(plan: CallPlan, response: TransportResponse): void {
    const now = (plan.endedAt = this.#clock.now());
    const { operation, apiVersion, emit } = plan;
    plan.response = response;
    // A streamed answer's body stays unread; one read whole (a JSON answer, or a transport that ignores
    // streamWhen) is matched against the error rules, and on success parsed as the stream.
    const stream = response.stream;
    const body = stream ?? parseBody(response.body, response.headers.get("content-type"));
    const answer = { status: response.status, headers: response.headers, body };
    const requestId = this.definition.errors.requestIdHeader
      ? (response.headers.get(this.definition.errors.requestIdHeader) ?? undefined)
      : undefined;
    emit?.({ type: "response", attempt: plan.attempts, status: response.status, durationMs: now - plan.startedAt, requestId });
    if (emit) this.#reportDeprecation(operation.id, response.headers, apiVersion, now, emit);

    const limitedAnswer = response.status === 429 || anyResponseMatches(answer, this.definition.rateLimits.limitedWhen);
    const failed = limitedAnswer || anyResponseMatches(answer, this.definition.errors.when);
    if (!failed) {
      plan.breakerOutcome = breakerOutcome(response.status);
      const shaped = plan.streamWhen
        ? (stream ?? this.#streams().text(response.body))
        : apiVersion === this.#apiVersion
          ? body
          : this.#migrate(body, apiVersion!, emit);
      plan.result = { status: response.status, headers: response.headers, body: shaped, requestId };
      return;
    }
    stream?.cancel();
    if (response.status === 401 && !plan.renewed) {
      const credential = this.#credentialFor(plan.operation);
      const renewing = credential
        ? renewCredentials(
            credential.mode,
            credential.auth,
            plan.prepared.headers,
            {},
            new TokenRequestContext(plan.deadline, this.#onTokenRequest),
          )
        : undefined;
      if (renewing) {
        plan.breakerOutcome = "success";
        settleAttempt(plan, "not_processed");
        plan.renewed = true;
        plan.renewing = renewing;
        return;
      }
    }

    const error = this.#normalize({ ...answer, text: response.body }, limitedAnswer);
    const rules = plan.rules;
    const askedMs = retryAfterMs(response.headers, rules.retryAfter.headers, now);
    const verdict = classifyAnswer(rules, plan.safe, {
      status: response.status,
      kind: error.kind,
      providerCode: error.providerCode,
      specRetryable: error.retryable,
      askedWait: askedMs !== undefined,
      hint: hintDecision(rules, response.headers),
    });
    settleAttempt(plan, verdict.outcome);
    plan.breakerOutcome = verdict.breaker;
    // The error says what the pipeline did or would do, and when the provider asked to be called again.
    Object.assign(error, { retryable: verdict.retryable }, askedMs !== undefined && { retryAt: now + askedMs });
    plan.failure = error;
    plan.verdict = verdict;
    plan.askedMs = askedMs;
    // A code the spec classifies as rate_limited (Slack's ok:false "ratelimited") counts like a 429.
    plan.limited = error.kind === "rate_limited";
  }

  /** Deprecation, Sunset and provider deprecation headers, reported once per operation and value. */
  #reportDeprecation(operationId: string, headers: ResponseHeaders, apiVersion: string | undefined, now: number, emit: CallEmit): void {
    const signal = readDeprecation(headers, this.definition.versions?.deprecationHeaders ?? NO_HEADERS, now);
    if (!signal) return;
    const key = `${signal.deprecation}|${signal.sunset}|${Object.values(signal.notices).join("|")}`;
    if (this.#reportedDeprecations.get(operationId) === key) return;
    this.#reportedDeprecations.set(operationId, key);
    emit({ type: "deprecation", apiVersion, ...signal });
  }

  /**
   * A per-call version's answer, migrated to the client's version when the spec declares how (without the
   * versionMigrations part it declares no migration: the answer stays as it is, outcome "unknown").
   */
  #migrate(body: unknown, from: string, emit: CallEmit | undefined): unknown {
    const versions = this.definition.versions!;
    const to = this.#apiVersion ?? versions.pinned;
    const result = this.#parts.migratePayload?.(versions, body, from, to) ?? { payload: body, to, outcome: "unknown" as const };
    emit?.({ type: "migration", from, to: result.to, outcome: result.outcome });
    return result.payload;
  }

  /** Builds the request; synchronous unless credentials come from a function or the body is multipart. */
  #prepare(
    operation: OperationDefinition,
    call: OperationCall,
    options: RequestOptions,
    apiVersion: string | undefined,
    deadline: Deadline,
  ): PreparedRequest | Promise<PreparedRequest> {
    const headers: Record<string, string> = {
      accept: operation.stream ? this.#streams().accept(operation.stream) : "application/json",
      "user-agent": this.#userAgent,
    };
    let query: Record<string, unknown> = call.query ?? NO_QUERY;
    const versions = this.definition.versions;
    if (versions && apiVersion !== undefined) {
      if (versions.send.in === "header") headers[versions.send.name] = apiVersion;
      else if (versions.send.in === "query") query = { ...query, [versions.send.name]: apiVersion };
      else if (apiVersion !== this.#apiVersion) {
        if (this.#versionInBaseUrl) throw new ConfigurationError("the base URL holds {apiVersion}: choose the version per client");
        call = { ...call, path: fillPlaceholders(call.path, { apiVersion }) };
      }
    }
    // The client's headers, then the operation's header parameters, then the call's: the last one wins.
    if (this.#options.headers) mergeHeaders(headers, this.#options.headers);
    if (call.headers) mergeHeaders(headers, call.headers);
    if (options.headers) mergeHeaders(headers, options.headers);
    const credentialQuery: Record<string, string> = {};
    const credential = this.#credentialFor(operation);
    const applied = credential
      ? applyCredentials(
          credential.mode,
          credential.auth,
          headers,
          credentialQuery,
          new TokenRequestContext(deadline, this.#onTokenRequest),
        )
      : undefined;
    if (applied) return applied.then(() => this.#finishPrepare(operation, call, options, headers, query, credentialQuery));
    return this.#finishPrepare(operation, call, options, headers, query, credentialQuery);
  }

  #finishPrepare(
    operation: OperationDefinition,
    call: OperationCall,
    options: RequestOptions,
    headers: Record<string, string>,
    query: Readonly<Record<string, unknown>>,
    credentialQuery: Record<string, string>,
  ): PreparedRequest | Promise<PreparedRequest> {
    const idempotencyKey = this.#idempotencyKey(operation, headers, options);

    const encoding = this.definition.encoding;
    let body: string | Uint8Array | undefined;
    if (call.body !== undefined) {
      // A Content-Type the client's or the call's headers set wins, as every header given does.
      if (operation.bodyEncoding === "form") {
        headers["content-type"] ??= "application/x-www-form-urlencoded";
        body = encodeForm(call.body as Record<string, unknown>, { arrays: encoding.form, literalBrackets: encoding.literalBrackets });
      } else if (operation.bodyEncoding === "multipart" || operation.bodyEncoding === "raw") {
        const encodeBody = this.#parts.encodeBody;
        if (!encodeBody) throw missingPart(this.definition, "multipartAndRawBodies");
        const encoded = encodeBody(operation, call.body, headers, encoding.form);
        if (encoded instanceof Promise) {
          const url = this.#url(operation, call, query, credentialQuery);
          return encoded.then((bytes) => ({ url, headers, body: bytes, idempotencyKey }));
        }
        body = encoded;
      } else {
        headers["content-type"] ??= operation.contentType ?? "application/json";
        body = JSON.stringify(call.body);
      }
    }
    return { url: this.#url(operation, call, query, credentialQuery), headers, body, idempotencyKey };
  }

  #url(
    operation: OperationDefinition,
    call: OperationCall,
    query: Readonly<Record<string, unknown>>,
    credentialQuery: Record<string, string>,
  ): string {
    if (call.url !== undefined) {
      const providerUrl = this.#parts.providerUrl;
      if (!providerUrl) throw missingPart(this.definition, "providerUrls");
      return providerUrl(this.definition.title, this.#baseUrl, call.url, credentialQuery, this.#environmentBaseUrl);
    }
    const encoding = this.definition.encoding;
    let queryString = !hasValue(query)
      ? ""
      : encodeForm(query, { arrays: encoding.query, styles: operation.queryStyles, literalBrackets: encoding.literalBrackets });
    // Credentials in the query are rare (most modes are headers): no encoding pass for an empty one.
    const credentials = hasValue(credentialQuery) ? encodeForm(credentialQuery) : "";
    if (credentials !== "") queryString = queryString === "" ? credentials : `${queryString}&${credentials}`;
    const path = call.path.includes("{") ? fillPlaceholders(call.path, this.#pathValues) : call.path;
    const base = operation.baseUrl !== undefined && this.#options.baseUrl === undefined ? operation.baseUrl : this.#baseUrl;
    return base + path + (queryString === "" ? "" : `?${queryString}`);
  }

  /** One key per logical call, reused by every attempt: the caller's, a header they set, or a new one. */
  #idempotencyKey(operation: OperationDefinition, headers: Record<string, string>, options: RequestOptions): string | undefined {
    const idempotency = this.definition.retry.idempotency;
    if (!idempotency) {
      if (options.idempotencyKey !== undefined) throw new ConfigurationError(`${this.definition.title} declares no idempotency key header`);
      return undefined;
    }
    const name = idempotency.header;
    let key = options.idempotencyKey ?? headers[name];
    if (key === undefined && takesIdempotencyKey(idempotency, operation)) key = `${idempotency.prefix}${crypto.randomUUID()}`;
    if (key === undefined) return undefined;
    if (key === "" || (idempotency.maxLength !== undefined && key.length > idempotency.maxLength)) {
      throw new ConfigurationError(`the idempotency key must be 1 to ${idempotency.maxLength ?? "any"} characters`);
    }
    headers[name] = key;
    return key;
  }

  /** The credential an operation is sent with: the client's first, unless it names its modes (the operationAuthModes part). */
  #credentialFor(operation: OperationDefinition): HeldCredential | undefined {
    if (operation.auth === undefined) return this.#credentials[0];
    const credentialFor = this.#parts.credentialFor;
    if (!credentialFor) throw missingPart(this.definition, "operationAuthModes");
    return credentialFor(this.#credentials, operation, this.definition.title);
  }

  /** The streamed-answers part, which a streamed operation needs (parts.ts). */
  #streams(): NonNullable<ClientParts["streams"]> {
    const streams = this.#parts.streams;
    if (!streams) throw missingPart(this.definition, "streamedAnswers");
    return streams;
  }

  #bucketsOf(operation: OperationDefinition): readonly string[] {
    let buckets = this.#bucketsByOperation.get(operation.id);
    if (!buckets) {
      buckets = bucketsFor(operation, this.#buckets);
      this.#bucketsByOperation.set(operation.id, buckets);
    }
    return buckets;
  }

  #breakerFor(buckets: readonly string[]): CircuitBreaker | undefined {
    const definition = this.#breakerDefinition;
    if (!definition) return undefined;
    const key =
      definition.scope === "host"
        ? (this.#hostKey ??= this.#baseUrl.replace(/^(\w+:\/\/[^/]+).*$/, "$1"))
        : definition.scope === "bucket"
          ? (buckets[0] ?? "default")
          : this.definition.name;
    let breaker = this.#breakers.get(key);
    if (!breaker) {
      const listener = this.#options.onEvent;
      breaker = new CircuitBreaker(key, this.definition.name, definition, {
        onStateChange: (k, from, to) =>
          safeEmit(listener, { type: "breakerStateChange", provider: this.definition.name, key: k, from, to }),
      });
      this.#breakers.set(key, breaker);
    }
    return breaker;
  }

  #emitter(operation: OperationDefinition, prepared: PreparedRequest): CallEmit {
    const listener = this.#options.onEvent;
    const provider = this.definition.name;
    const url = this.#redactor.url(prepared.url);
    return (event) =>
      safeEmit(listener, Object.assign(event, { provider, operation: operation.id, method: operation.method, url }) as ClientEvent);
  }
}

const NO_PARTS: readonly ClientParts[] = [];
const NO_VARIABLES: Readonly<Record<string, string>> = {};
const NO_FAMILIES: RateLimitFamilies = [];
const NO_PERMITS: readonly Permit[] = [];
const NO_BUCKETS: readonly string[] = [];
const NO_ROUTE: AcquireRoute = {};
const NO_OPTIONS: RequestOptions = Object.freeze({});
const NO_QUERY: Readonly<Record<string, unknown>> = Object.freeze({});
const NO_HEADERS: readonly string[] = [];
const bodyOf = (response: ApiResponse): unknown => response.body;

/** Merges one finished attempt's outcome into the call's. */
function settleAttempt(plan: CallPlan, outcome: CallOutcome): void {
  plan.inFlight = false;
  if (outcome === "unknown") plan.outcome = "unknown";
}

/**
 * Puts what the call knows on the error it rejects with: whether the provider may have applied it,
 * the attempts made and the idempotency key, so the caller can retry by hand with the same key.
 */
function describeCall(plan: CallPlan, error: unknown): unknown {
  if (isSwitchboardError(error) && error.outcome === undefined) {
    Object.assign(
      error,
      { outcome: plan.inFlight ? "unknown" : plan.outcome, attempts: plan.attempts },
      plan.prepared.idempotencyKey !== undefined && { idempotencyKey: plan.prepared.idempotencyKey },
    );
  }
  return error;
}

/**
 * What a token source is asked with: the call's signal, made only when a token request reads it, and the
 * client's event listener. A class, so the getter lives on its prototype: an object literal with a
 * getter costs a dictionary-mode object per call, even when the token is a plain string that never reads it.
 */
class TokenRequestContext implements TokenRequestOptions {
  readonly #deadline: Deadline;
  /** Set only when the client has a listener, as the object literal this replaces did. */
  declare readonly onTokenRequest?: NonNullable<TokenRequestOptions["onTokenRequest"]>;

  constructor(deadline: Deadline, onTokenRequest: TokenRequestOptions["onTokenRequest"]) {
    this.#deadline = deadline;
    if (onTokenRequest) (this as { onTokenRequest?: typeof onTokenRequest }).onTokenRequest = onTokenRequest;
  }

  get signal(): AbortSignal {
    return this.#deadline.abortSignal;
  }
}

function transportRequest(plan: CallPlan): TransportRequest {
  const { prepared } = plan;
  const signal = plan.deadline.signal;
  const request: { -readonly [K in keyof TransportRequest]: TransportRequest[K] } = {
    method: plan.operation.method,
    url: prepared.url,
    headers: prepared.headers,
    timeoutMs: plan.timeoutMs,
  };
  if (prepared.body !== undefined) request.body = prepared.body;
  if (plan.streamWhen) request.streamWhen = plan.streamWhen;
  if (signal) request.signal = signal;
  return request;
}

/** Copies the set (not undefined) values of `extra` into `headers`, names lower-cased. */
function mergeHeaders(headers: Record<string, string>, extra: Readonly<Record<string, unknown>>): void {
  for (const name in extra) {
    const value = extra[name];
    if (value !== undefined && Object.hasOwn(extra, name)) headers[name.toLowerCase()] = String(value);
  }
}

/** Whether the query has a parameter to send (generated calls pass every declared one, most undefined). */
function hasValue(query: Readonly<Record<string, unknown>>): boolean {
  for (const name in query) if (query[name] !== undefined) return true;
  return false;
}

function safeEmit(listener: ClientEventListener | undefined, event: ClientEvent): void {
  if (!listener) return;
  try {
    listener(event);
  } catch {
    // An observer's failure must never change what the call does.
  }
}

function mergeRetry(base: RetryDefinition, overrides: RetryOverrides | undefined): RetryDefinition {
  if (!overrides) return base;
  return {
    ...base,
    ...(overrides.maxAttempts !== undefined && { maxAttempts: Math.max(1, overrides.maxAttempts) }),
    backoff: { ...base.backoff, ...overrides.backoff },
    retryAfter: { ...base.retryAfter, ...(overrides.maxWaitMs !== undefined && { maxWaitMs: overrides.maxWaitMs }) },
    budget: overrides.budget === false ? { ratio: Infinity, windowMs: 1000, minPerSecond: 0 } : { ...base.budget, ...overrides.budget },
  };
}

/** How long a request waits for a slot of an added bucket, as for a declared one (the spec language's default). */
const DEFAULT_ADDED_QUEUE_WAIT_MS = 30_000;

function mergeBuckets(
  definition: ProviderDefinition,
  overrides: Readonly<Record<string, BucketOverrides>> = {},
  added: Readonly<Record<string, AddedBucket>> = {},
): Record<string, RateLimitBucketDefinition> {
  const base = definition.rateLimits.buckets;
  for (const name of Object.keys(overrides)) declared(base, name, "rate-limit bucket", definition.title);
  const merged: Record<string, RateLimitBucketDefinition> = {};
  for (const [name, bucket] of Object.entries(base)) {
    const override = Object.hasOwn(overrides, name) ? overrides[name] : undefined;
    if (override !== false) merged[name] = { ...bucket, ...override };
  }
  for (const [name, bucket] of Object.entries(added)) {
    if (Object.hasOwn(base, name))
      throw new ConfigurationError(`${definition.title} already declares the rate-limit bucket "${name}": change it under buckets`);
    if (!(bucket.rate > 0 && bucket.perMs > 0)) throw new ConfigurationError(`the added bucket "${name}" needs a positive rate and perMs`);
    merged[name] = { maxQueueWaitMs: DEFAULT_ADDED_QUEUE_WAIT_MS, ...bucket };
  }
  return merged;
}

/** A provider hint header: true (retry), false (do not), undefined (no opinion). */
function hintDecision(retry: RetryDefinition, headers: ResponseHeaders): boolean | undefined {
  for (const hint of retry.hints) {
    const value = headers.get(hint.header);
    if (value === null) continue;
    if (value === hint.retryWhen) return true;
    if (value === hint.stopWhen) return false;
  }
  return undefined;
}

/** 5xx counts against the provider; 4xx and rate limits are the caller's business and count as neither. */
function breakerOutcome(status: number): BreakerOutcome {
  if (status >= 500) return "failure";
  return status === 429 ? "neutral" : "success";
}

function networkErrorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 4; current = (current as { cause?: unknown }).cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^[A-Z][A-Z0-9_]*$/.test(code)) return code;
  }
  return undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : "network error";
}

/** The last content type found to be JSON: a provider answers with the same one call after call. */
let jsonContentType = "application/json";

function isJson(contentType: string | null): boolean {
  if (contentType === null || contentType === jsonContentType) return true;
  if (!/\bjson\b/i.test(contentType)) return false;
  jsonContentType = contentType;
  return true;
}

function parseBody(text: string, contentType: string | null): unknown {
  if (text === "") return undefined;
  if (isJson(contentType)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}
