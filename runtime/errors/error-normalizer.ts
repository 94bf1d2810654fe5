/**
 * Error normalization: reads a provider's error answer the way its spec's `errors` section says and
 * builds the ProviderError subclass of its kind. Pure (no I/O), so every provider's real error bodies
 * can be tested as data; the client calls it for each answer the spec calls an error.
 */
import type { ErrorFieldPath, ErrorsDefinition, JsonPathSegments } from "../definition.js";
import { createProviderError, type ProviderError } from "./errors.js";
import { readPath } from "../internal/json-path.js";
import { statusMatches } from "../client/match.js";
import { createRedactor, REDACTED, type Redactor } from "./redact.js";
import type { ResponseHeaders } from "../transport/transport.js";

/** An answer the spec calls an error. */
export interface ErrorAnswer {
  readonly status: number;
  readonly headers: ResponseHeaders;
  /** The parsed body: JSON, else the text, else undefined. */
  readonly body: unknown;
  /** The body as received; read when `body` is not JSON (HTML, a truncated JSON document). */
  readonly text?: string;
}

export interface NormalizeOptions {
  /** The answer means "rate limited" (429 or rateLimits.limitedWhen): kind rate_limited, retryable. */
  readonly limited?: boolean;
  /** Statuses retried when neither a code nor a rule says (retry.statuses). */
  readonly retryStatuses?: readonly number[];
  /** What the retry rules say when neither a code nor a rule does; replaces retryStatuses. */
  readonly retryable?: (status: number, providerCode: string | undefined, headers: ResponseHeaders) => boolean;
  /** Redacts the headers kept on the error. @default createRedactor(): the built-in secret names */
  readonly redactor?: Pick<Redactor, "isSecret">;
}

/** Builds the normalized error of one answer; never throws, whatever the body. */
export function normalizeError(
  provider: string,
  errors: ErrorsDefinition,
  answer: ErrorAnswer,
  options: NormalizeOptions = {},
): ProviderError {
  const { status, headers } = answer;
  const body = answer.body;
  const text = answer.text ?? (typeof body === "string" ? body : "");
  // A body that is text but starts like JSON was cut short (or is broken): read fields from the text.
  const broken = typeof body === "string" && /^\s*[[{]/.test(body);
  const at = (path: JsonPathSegments): unknown => (broken ? salvage(text, path) : readPath(body, path));
  // A field's paths in order: the first whose value is a non-empty string or a number (or a list whose first item is one) wins.
  const field = (paths: ErrorFieldPath | undefined): string | undefined => {
    for (const path of errorFieldPaths(paths)) {
      const value = scalar(at(path));
      if (value !== undefined) return value;
    }
    return undefined;
  };
  const code = field(errors.fields.code);
  const type = field(errors.fields.type);
  // A message path that yields an object or a list is passed over for a later one that yields text, and read
  // as a message (its message, its items, its fields) only when none does: Zendesk's {"error": {"message"}}
  // after its {"description"}, Shopify's field map when it is the only path.
  const messageValues = errorFieldPaths(errors.fields.message).map(at);
  const messageValue =
    messageValues.find((value) => typeof value !== "object" && describe(value) !== undefined) ??
    messageValues.find((value) => describe(value) !== undefined) ??
    messageValues[0];
  // Shopify's { errors: { title: ["can't be blank"] } }: the first field is the parameter.
  const param =
    field(errors.fields.param) ??
    (errors.fields.param === undefined && isFieldMap(messageValue) ? Object.keys(messageValue)[0] : undefined);
  const trimmed = text.trim();
  const message = describe(messageValue) ?? (trimmed === "" ? `HTTP ${status}` : trimmed.slice(0, 200));
  // A body without a code of its own may still be one the spec names by its message or parameter (SendGrid).
  const knownCode =
    code !== undefined ? (Object.hasOwn(errors.codes, code) ? code : undefined) : matchedCode(errors, status, message, param);
  const known = knownCode !== undefined ? errors.codes[knownCode] : undefined;
  const rule = errors.rules.find(
    (r) =>
      (r.status === undefined || statusMatches(status, r.status)) &&
      (r.code === undefined || String(r.code) === code) &&
      (r.type === undefined || r.type === type),
  );
  const limited = options.limited === true;
  const kind = limited ? "rate_limited" : (known?.kind ?? rule?.kind ?? kindOfStatus(status));
  const docUrl = field(errors.fields.docUrl);
  const requestId =
    (errors.requestIdHeader ? (headers.get(errors.requestIdHeader) ?? undefined) : undefined) ?? field(errors.fields.requestId);
  const isSecret = (options.redactor ?? createRedactor()).isSecret;
  // The ProviderError constructor assigns every field from init, so an absent field and an undefined one
  // make the same error: the optional fields go in as they are, without a conditional spread each.
  return createProviderError({
    provider,
    status,
    kind,
    providerCode: code,
    knownCode,
    type,
    message,
    param,
    docUrl,
    requestId,
    retryable:
      limited ||
      (known?.retryable ??
        rule?.retryable ??
        (options.retryable ? options.retryable(status, code, headers) : (options.retryStatuses?.includes(status) ?? false))),
    hint: known?.hint,
    raw: body,
    headers: {
      get(name) {
        const value = headers.get(name);
        return value !== null && isSecret(name) ? REDACTED : value;
      },
    },
  });
}

/** The first code (in the spec's sorted order) whose `match` patterns all fit an answer that carries no code. */
function matchedCode(errors: ErrorsDefinition, status: number, message: string, param: string | undefined): string | undefined {
  for (const [code, definition] of Object.entries(errors.codes)) {
    const match = definition.match;
    if (match === undefined) continue;
    if (match.status !== undefined && !statusMatches(status, match.status)) continue;
    if (match.message !== undefined && !patternMatches(match.message, message)) continue;
    if (match.param !== undefined && (param === undefined || !patternMatches(match.param, param))) continue;
    return code;
  }
  return undefined;
}

function patternMatches(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern, "iu").test(value);
  } catch {
    return false; // validated when the spec was generated; a hand-written definition cannot crash normalization
  }
}

/** The kind of an answer no code or rule classifies. */
export function kindOfStatus(status: number): string {
  switch (status) {
    case 401:
      return "authentication";
    case 403:
      return "permission";
    case 404:
    case 410:
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

/** An `errors.fields` entry's paths in the order they are tried: one path, or each of a list (`[]` is the body itself). */
export function errorFieldPaths(field: ErrorFieldPath | undefined): readonly JsonPathSegments[] {
  if (field === undefined) return [];
  return field.length > 0 && field.every((item) => Array.isArray(item))
    ? (field as readonly JsonPathSegments[])
    : [field as JsonPathSegments];
}

function scalar(value: unknown): string | undefined {
  if (typeof value === "string") return value === "" ? undefined : value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return Array.isArray(value) ? scalar(value[0]) : undefined;
}

function isFieldMap(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !("message" in value);
}

/** A message field in any of the shapes providers use: a string, a list, an object with a message, a field map. */
function describe(value: unknown, depth = 0): string | undefined {
  if (typeof value === "string") return value.trim() === "" ? undefined : value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (depth > 2 || typeof value !== "object" || value === null) return undefined;
  const message = (value as { message?: unknown }).message;
  if (typeof message === "string") return message;
  const parts = Object.entries(value)
    .slice(0, 5)
    .flatMap(([key, item]) => {
      const text = describe(item, depth + 1);
      return text === undefined ? [] : [Array.isArray(value) ? text : `${key}: ${text}`];
    });
  return parts.length > 0 ? parts.join("; ") : undefined;
}

/**
 * Reads a string or number field out of JSON text that does not parse (a truncated body): the first
 * `"name": value` whose name is the path's last property name. Good enough to keep a code or message.
 */
function salvage(text: string, path: readonly (string | number)[]): string | undefined {
  const last = [...path].reverse().find((segment) => typeof segment === "string");
  if (last === undefined) return undefined;
  const escaped = last.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const match = new RegExp(`"${escaped}"\\s*:\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|(-?\\d+(?:\\.\\d+)?))`).exec(text);
  if (!match) return undefined;
  if (match[2] !== undefined) return match[2];
  try {
    return JSON.parse(`"${match[1]!}"`) as string;
  } catch {
    return match[1];
  }
}
