/**
 * The core every generated client delegates to: picks the environment and auth mode, builds the URL,
 * headers and body of one operation call, sends it, and turns the answer into data or a ProviderError.
 * Execution policies (rate limits, retries, circuit breaker) wrap `send` as they land.
 */
import { applyCredentials, type AuthOptions } from "./credentials.js";
import type { AuthModeDefinition, OperationDefinition, ProviderDefinition } from "./definition.js";
import { ConfigurationError, NetworkError, ProviderError } from "./errors.js";
import { encodeForm } from "./form.js";
import { readPath } from "./json-path.js";
import { responseMatches, statusMatches } from "./match.js";
import { fillPlaceholders, resolveVariables } from "./variables.js";

export interface ClientOptions<Environment extends string = string, Auth extends AuthOptions = AuthOptions> {
  /** Which auth mode and the credentials for it. */
  readonly auth: Auth;
  /** @default the environment the spec marks default */
  readonly environment?: Environment;
  /** Overrides the environment's base URL (a proxy, a local mock). */
  readonly baseUrl?: string;
  /** Values for the spec's URL variables ({shop} in a base URL). */
  readonly variables?: Readonly<Record<string, string>>;
  /** Overrides the pinned API version; must be one the spec lists as supported. */
  readonly apiVersion?: string;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Extra headers sent with every request. */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface RequestOptions {
  readonly signal?: AbortSignal;
  /** Extra headers for this call only. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** The parts of one call that depend on its arguments. */
export interface OperationCall {
  /** The path with parameters already encoded (see encodePath). */
  readonly path: string;
  readonly query?: Readonly<Record<string, unknown>>;
  readonly headers?: Readonly<Record<string, unknown>>;
  readonly body?: unknown;
}

const RUNTIME_USER_AGENT = "switchboard/0.1.0";

export class ClientCore {
  readonly definition: ProviderDefinition;
  readonly #options: ClientOptions;
  readonly #baseUrl: string;
  readonly #authMode: AuthModeDefinition | undefined;
  readonly #apiVersion: string | undefined;
  /** Placeholders left in operation paths after encodePath: only {apiVersion}. */
  readonly #pathValues: Readonly<Record<string, string>>;
  readonly #fetch: typeof fetch;

  constructor(definition: ProviderDefinition, options: ClientOptions) {
    this.definition = definition;
    this.#options = options;
    const environment = options.environment ?? definition.defaultEnvironment;
    const env = Object.hasOwn(definition.environments, environment) ? definition.environments[environment] : undefined;
    if (!env)
      throw new ConfigurationError(
        `unknown environment "${environment}" for ${definition.title} (known: ${Object.keys(definition.environments).join(", ")})`,
      );
    const modeName = options.auth.mode ?? definition.auth.defaultMode;
    this.#authMode = modeName !== undefined && Object.hasOwn(definition.auth.modes, modeName) ? definition.auth.modes[modeName] : undefined;
    if (modeName !== undefined && !this.#authMode) {
      throw new ConfigurationError(
        `unknown auth mode "${modeName}" for ${definition.title} (known: ${Object.keys(definition.auth.modes).join(", ")})`,
      );
    }
    const versions = definition.versions;
    this.#apiVersion = options.apiVersion ?? versions?.pinned;
    if (options.apiVersion !== undefined) {
      if (!versions) throw new ConfigurationError(`${definition.title} has no API versions to override`);
      if (Object.keys(versions.supported).length > 0 && !Object.hasOwn(versions.supported, options.apiVersion)) {
        throw new ConfigurationError(
          `API version "${options.apiVersion}" is not supported by this ${definition.title} client (supported: ${Object.keys(versions.supported).join(", ")})`,
        );
      }
    }
    // {apiVersion} is one more placeholder, filled by the same mechanism as the spec's variables.
    const variables = resolveVariables(definition.variables, options.variables);
    this.#pathValues = this.#apiVersion === undefined ? {} : { apiVersion: this.#apiVersion };
    this.#baseUrl = fillPlaceholders(options.baseUrl ?? env.baseUrl, { ...variables, ...this.#pathValues }).replace(/\/+$/, "");
    const unfilled = /\{([^{}]+)\}/.exec(this.#baseUrl);
    if (unfilled) throw new ConfigurationError(`the base URL still has the placeholder {${unfilled[1]}}`);
    const fetchImpl = options.fetch ?? globalThis.fetch;
    if (typeof fetchImpl !== "function") throw new ConfigurationError("no fetch implementation: pass options.fetch");
    this.#fetch = fetchImpl;
  }

  /** Sends one operation call and resolves to the parsed body (undefined when there is none). */
  async request(operation: OperationDefinition, call: OperationCall, options: RequestOptions = {}): Promise<unknown> {
    const url = new URL(this.#baseUrl + fillPlaceholders(call.path, this.#pathValues));
    const headers = new Headers();
    headers.set("accept", "application/json");
    headers.set("user-agent", [this.definition.userAgent, RUNTIME_USER_AGENT].filter(Boolean).join(" "));
    appendQuery(url.searchParams, call.query);
    const versions = this.definition.versions;
    if (versions && this.#apiVersion !== undefined) {
      if (versions.send.in === "header") headers.set(versions.send.name, this.#apiVersion);
      else if (versions.send.in === "query") url.searchParams.set(versions.send.name, this.#apiVersion);
    }
    for (const [name, value] of Object.entries(this.#options.headers ?? {})) headers.set(name, value);
    for (const [name, value] of Object.entries(call.headers ?? {})) if (value !== undefined) headers.set(name, String(value));
    for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value);
    if (this.#authMode) await applyCredentials(this.#authMode, this.#options.auth, headers, url.searchParams);

    let body: string | undefined;
    if (call.body !== undefined) {
      if (operation.bodyEncoding === "form") {
        headers.set("content-type", "application/x-www-form-urlencoded");
        body = encodeForm(call.body as Record<string, unknown>);
      } else if (operation.bodyEncoding === "multipart") {
        throw new ConfigurationError(`operation ${operation.id}: multipart bodies are not supported by this runtime yet`);
      } else {
        headers.set("content-type", "application/json");
        body = JSON.stringify(call.body);
      }
    }

    let response: Response;
    try {
      response = await this.#fetch(url, {
        method: operation.method,
        headers,
        ...(body !== undefined && { body }),
        ...(options.signal && { signal: options.signal }),
      });
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason ?? error;
      throw new NetworkError(
        this.definition.name,
        `${operation.method} ${url.origin}${url.pathname} failed: ${error instanceof Error ? error.message : "network error"}`,
        { cause: error },
      );
    }
    const text = await response.text();
    const parsed = parseBody(text, response.headers.get("content-type"));
    const answer = { status: response.status, headers: response.headers, body: parsed };
    if (this.definition.errors.when.some((matcher) => responseMatches(answer, matcher))) {
      throw this.#providerError(answer, text);
    }
    return parsed;
  }

  #providerError(answer: { status: number; headers: Headers; body: unknown }, text: string): ProviderError {
    const errors = this.definition.errors;
    const field = (path: readonly (string | number)[] | undefined): string | undefined => {
      const value = path ? readPath(answer.body, path) : undefined;
      return typeof value === "string" || typeof value === "number" ? String(value) : undefined;
    };
    const code = field(errors.fields.code);
    const type = field(errors.fields.type);
    const known = code !== undefined && Object.hasOwn(errors.codes, code) ? errors.codes[code] : undefined;
    const rule = errors.rules.find(
      (r) =>
        (r.status === undefined || statusMatches(answer.status, r.status)) &&
        (r.code === undefined || String(r.code) === code) &&
        (r.type === undefined || r.type === type),
    );
    const message = field(errors.fields.message) ?? (text.trim() === "" ? `HTTP ${answer.status}` : text.trim().slice(0, 200));
    const requestId = errors.requestIdHeader ? (answer.headers.get(errors.requestIdHeader) ?? undefined) : undefined;
    const param = field(errors.fields.param);
    const docUrl = field(errors.fields.docUrl);
    return new ProviderError({
      provider: this.definition.name,
      status: answer.status,
      kind: known?.kind ?? rule?.kind ?? defaultKind(answer.status),
      ...(code !== undefined && { providerCode: code }),
      ...(type !== undefined && { type }),
      message,
      ...(param !== undefined && { param }),
      ...(docUrl !== undefined && { docUrl }),
      ...(requestId !== undefined && { requestId }),
      retryable: known?.retryable ?? rule?.retryable ?? this.definition.retry.statuses.includes(answer.status),
      ...(known?.hint !== undefined && { hint: known.hint }),
      raw: answer.body,
    });
  }
}

function defaultKind(status: number): string {
  switch (status) {
    case 401:
      return "authentication";
    case 403:
      return "permission";
    case 404:
      return "not_found";
    case 409:
      return "conflict";
    case 400:
    case 422:
      return "validation";
    case 429:
      return "rate_limited";
    case 408:
    case 504:
      return "timeout";
    default:
      return status >= 500 ? "provider_unavailable" : "unknown";
  }
}

function parseBody(text: string, contentType: string | null): unknown {
  if (text === "") return undefined;
  if (contentType === null || /\bjson\b/i.test(contentType)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

function appendQuery(params: URLSearchParams, query: Readonly<Record<string, unknown>> | undefined): void {
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) params.append(name, String(item));
    else params.set(name, String(value));
  }
}
