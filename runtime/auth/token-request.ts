/**
 * Token requests (OAuth refresh, client credentials, revocation, GitHub App installation tokens) through the same
 * policies as a call: a deadline of their own (the request is shared by every call waiting for the
 * token), the RetryPolicy with a small attempt count, and `tokenRequest` events with no secret in them.
 *
 * What may be repeated depends on the grant. A client-credentials or installation-token request is safe
 * to send again whatever happened to the last one. A refresh may rotate the refresh token: once the
 * server may have processed it, sending the old refresh token again can revoke the whole grant (refresh
 * token reuse detection), so a refresh is retried only after a failure that says the request was not
 * processed (connection refused before sending, 429, 503 with Retry-After) and otherwise fails with
 * `outcome: "unknown"`.
 */
import type { Clock } from "../clock.js";
import type { RetryDefinition } from "../definition.js";
import { NetworkError, TimeoutError, isSwitchboardError, type CallOutcome } from "../errors/errors.js";
import type { AttemptVerdict } from "../client/classify.js";
import type { TokenRequestEvent, TokenRequestOptions } from "../client/credentials.js";
import { Stop, type AttemptContext } from "../policies/policy.js";
import { RetryPolicy, retryAfterMs, type RetryReason } from "../policies/retry.js";
import { Deadline } from "../policies/timeout.js";
import type { TokenHttpRequest, TokenHttpResponse } from "./oauth2.js";

export type TokenGrant = TokenRequestEvent["grant"];

/** Retry settings of token requests. */
export interface TokenRetryOptions {
  /** Attempts in all, the first included. @default 3 */
  readonly maxAttempts?: number;
  /** Longest Retry-After honoured; a longer one fails at once. @default 10 s */
  readonly maxWaitMs?: number;
  /** First backoff, doubled per retry (full jitter), capped at 2 s. @default 200 */
  readonly baseMs?: number;
}

export interface TokenSendOptions {
  readonly grant: TokenGrant;
  readonly fetch: typeof fetch;
  readonly clock: Clock;
  /** Time limit of the request, retries and waits included. */
  readonly timeoutMs: number;
  /** Ends the request early with its reason (a request made for one caller, not shared: a revocation). */
  readonly signal?: AbortSignal;
  /** Repeating the request after an ambiguous failure is safe (not a refresh that may rotate). */
  readonly replaySafe: boolean;
  readonly retry?: TokenRetryOptions | false;
  /** Values that must never appear in an event or error message (secrets, the refresh token). */
  readonly secrets: readonly (string | undefined)[];
  /** Where the events go; a listener that throws is ignored. */
  readonly listeners: Iterable<(event: TokenRequestEvent) => void>;
  readonly random?: () => number;
}

/** A token endpoint's answer, with what the attempts came to. */
export interface TokenAnswer extends TokenHttpResponse {
  /** "unknown" when an attempt may have been processed (a 5xx, a reset or timeout after sending). */
  readonly outcome: CallOutcome;
  readonly attempts: number;
}

/**
 * The last answer (any status: the caller reads its OAuth error) after the retries the grant allows, or
 * a NetworkError / TimeoutError that carries `outcome` and `attempts`.
 */
export async function sendWithPolicies(request: TokenHttpRequest, options: TokenSendOptions): Promise<TokenAnswer> {
  const { clock } = options;
  const endpoint = endpointOf(request.url);
  const emit = (event: Omit<TokenRequestEvent, "type" | "grant" | "endpoint">): void => {
    const full: TokenRequestEvent = { type: "tokenRequest", grant: options.grant, endpoint, ...event };
    for (const listener of options.listeners) {
      try {
        listener(full);
      } catch {
        // An observer's failure never changes the request.
      }
    }
  };
  const deadline = new Deadline("token endpoint", options.timeoutMs, options.signal, clock);
  const retry = options.retry === false ? undefined : retryDefinition(options.retry);
  const context = newContext(deadline, retry, options.timeoutMs);
  // RetryPolicy reports its retries through the call's emit: forward them as token-request events.
  (context as { emit: AttemptContext["emit"] }).emit = (event) => {
    if (event.type === "retry") emit({ phase: "retry", attempt: event.attempt, delayMs: event.delayMs });
  };
  let answer: TokenHttpResponse | undefined;
  let outcome: CallOutcome = "not_processed";
  const attempt = async (call: AttemptContext): Promise<AttemptContext> => {
    call.attempts++;
    call.failure = undefined;
    call.verdict = undefined;
    call.askedMs = undefined;
    call.startedAt = clock.now();
    emit({ phase: "start", attempt: call.attempts });
    try {
      const response = await options.fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        redirect: "manual",
        signal: deadline.abortSignal,
      });
      const body = await response.text();
      answer = { status: response.status, headers: response.headers, body };
      call.endedAt = clock.now();
      const durationMs = call.endedAt - call.startedAt;
      const status = response.status;
      const asked = retryAfterMs(response.headers, RETRY_AFTER, call.endedAt);
      const notProcessed = status === 429 || (status === 503 && asked !== undefined);
      const serverError = status >= 500 || status === 429 || status === 408;
      if (!serverError) {
        emit({ phase: status >= 200 && status < 300 ? "success" : "failure", attempt: call.attempts, status, durationMs });
        return call;
      }
      if (!notProcessed) outcome = "unknown";
      emit({ phase: "failure", attempt: call.attempts, status, durationMs });
      call.askedMs = asked;
      call.failure = new HttpAnswer(status);
      call.verdict = verdict(notProcessed, options.replaySafe, status === 429 ? "rate_limited" : "status");
      return call;
    } catch (error) {
      call.endedAt = clock.now();
      const timedOut = error instanceof TimeoutError || (error instanceof Error && error.name === "TimeoutError");
      const errorCode = timedOut ? "timeout" : networkCode(error);
      const notSent = errorCode !== undefined && NOT_SENT.has(errorCode);
      if (!notSent) outcome = "unknown";
      emit({ phase: "failure", attempt: call.attempts, errorCode: errorCode ?? "network", durationMs: call.endedAt - call.startedAt });
      if (options.signal?.aborted) {
        call.stop = new Stop(options.signal.reason);
        return call;
      }
      call.failure = timedOut
        ? new TimeoutError("token endpoint", "total", options.timeoutMs)
        : new NetworkError("token endpoint", `token request to ${endpoint} failed${errorCode ? ` (${errorCode})` : ""}`, {
            ...(errorCode !== undefined && { errorCode }),
          });
      call.verdict = verdict(notSent, options.replaySafe, timedOut ? "timeout" : "network");
      return call;
    }
  };
  try {
    const policy = new RetryPolicy(clock, options.random ?? Math.random, undefined);
    await policy.execute(attempt, context);
    return { ...answer!, outcome, attempts: context.attempts };
  } catch (error) {
    // The last attempt's HTTP answer goes back to the caller, which reads its OAuth error.
    if (error instanceof HttpAnswer && answer) return { ...answer, outcome, attempts: context.attempts };
    // The caller's abort ends it as aborts end calls: with the caller's reason.
    if (options.signal?.aborted && error === options.signal.reason) throw error;
    const failed = isSwitchboardError(error) ? error : new NetworkError("token endpoint", `token request to ${endpoint} failed`);
    throw describeTokenFailure(failed, { outcome, attempts: context.attempts }, options);
  } finally {
    deadline.dispose();
  }
}

/**
 * Puts the token request's fate on its error (`outcome`, `attempts`), says when a refresh was not
 * repeated because it may have been processed, and removes every secret from the message.
 */
export function describeTokenFailure<E>(
  error: E,
  fate: { readonly outcome: CallOutcome; readonly attempts: number },
  options: Pick<TokenSendOptions, "replaySafe" | "secrets" | "grant">,
): E {
  if (!(error instanceof Error)) return error;
  if ((error as { outcome?: unknown }).outcome === undefined) Object.assign(error, { outcome: fate.outcome, attempts: fate.attempts });
  if (!options.replaySafe && fate.outcome === "unknown" && !error.message.includes("outcome unknown"))
    error.message += `; not repeated: the server may have processed it and ${options.grant === "authorization_code" ? "used up the single-use code" : "rotated the refresh token"} (outcome unknown)`;
  error.message = redactText(error.message, options.secrets);
  // The stack's first line repeats the message as it was when the error was made.
  if (typeof error.stack === "string") error.stack = redactText(error.stack, options.secrets);
  return error;
}

/** `text` with every given secret (4 characters or more) replaced by `[redacted]`. */
export function redactText(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) if (secret !== undefined && secret.length >= 4) out = out.split(secret).join("[redacted]");
  return out;
}

/** Listeners of the token-request events: the manager's own and the waiting calls'. */
export function listenersOf(
  own: ((event: TokenRequestEvent) => void) | undefined,
  options: TokenRequestOptions | undefined,
  into: Set<(event: TokenRequestEvent) => void>,
): void {
  if (own) into.add(own);
  if (options?.onTokenRequest) into.add(options.onTokenRequest);
}

/** Host and path of an endpoint, without query or credentials. */
export function endpointOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname}`;
  } catch {
    return "(invalid url)";
  }
}

const RETRY_AFTER: readonly string[] = ["retry-after-ms", "retry-after"];
/** Network failures that mean nothing reached the server. */
const NOT_SENT: ReadonlySet<string> = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"]);

/** A retryable HTTP answer, as the retry policy's failure; the answer itself is read by the caller. */
class HttpAnswer extends Error {
  constructor(readonly status: number) {
    super(`token endpoint answered HTTP ${status}`);
  }
}

function verdict(notProcessed: boolean, replaySafe: boolean, reason: RetryReason): AttemptVerdict {
  return {
    outcome: notProcessed ? "not_processed" : "unknown",
    retryable: notProcessed || replaySafe,
    reason,
    breaker: "neutral",
  };
}

function networkCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[A-Z][A-Z0-9_]{1,40}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function retryDefinition(options: TokenRetryOptions | undefined): RetryDefinition {
  return {
    maxAttempts: Math.max(1, options?.maxAttempts ?? 3),
    backoff: { baseMs: options?.baseMs ?? 200, capMs: 2000, jitter: "full" },
    statuses: [],
    networkErrors: [],
    errorCodes: [],
    retryAfter: { headers: RETRY_AFTER, maxWaitMs: options?.maxWaitMs ?? 10_000 },
    hints: [],
    budget: { ratio: 1, windowMs: 10_000, minPerSecond: 1 },
  };
}

function newContext(deadline: Deadline, retry: RetryDefinition | undefined, timeoutMs: number): AttemptContext {
  return {
    deadline,
    retry,
    buckets: [],
    breaker: undefined,
    attemptMs: timeoutMs,
    emit: undefined,
    attempts: 0,
    permits: [],
    probe: false,
    timeoutMs,
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
}
