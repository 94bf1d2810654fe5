/**
 * Error answers in the provider's own shape, built from the spec's `errors` section: the code, type,
 * message and param written at the paths `errors.fields` names (the first of a list), the markers
 * `errors.when` needs (Slack's `ok: false`), and a status and code the spec maps to the wanted kind.
 * Every candidate is read back with the runtime's own normalizer and kept only when it comes out as
 * the wanted kind.
 */
import type { ErrorsDefinition, ProviderDefinition } from "@switchboard/runtime/contract";
import { errorFieldPaths, normalizeError } from "@switchboard/runtime/contract";

export type MockErrorKind =
  "validation" | "authentication" | "permission" | "not_found" | "idempotency_conflict" | "rate_limited" | "provider_unavailable";

export interface MockErrorAnswer {
  readonly status: number;
  readonly body: unknown;
}

const DEFAULT_STATUS: Readonly<Record<MockErrorKind, number>> = {
  validation: 400,
  authentication: 401,
  permission: 403,
  not_found: 404,
  idempotency_conflict: 400,
  rate_limited: 429,
  provider_unavailable: 503,
};

/** Kinds whose answers keep their HTTP status even where the provider reports method failures as 200. */
const TRANSPORT_KINDS: readonly MockErrorKind[] = ["rate_limited", "provider_unavailable"];

interface Candidate {
  readonly status: number;
  readonly code?: string;
  readonly type?: string;
}

function setPath(target: Record<string, unknown>, path: readonly (string | number)[] | undefined, value: unknown): void {
  if (path === undefined || path.length === 0 || value === undefined) return;
  let node: Record<string, unknown> = target;
  for (const segment of path.slice(0, -1)) {
    const key = String(segment);
    if (typeof node[key] !== "object" || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[String(path[path.length - 1])] = value;
}

function candidates(errors: ErrorsDefinition, kind: MockErrorKind): Candidate[] {
  const fallback = DEFAULT_STATUS[kind];
  const statusOf = (patterns: readonly (number | string)[] | undefined): number => {
    const exact = patterns?.find((p): p is number => typeof p === "number");
    if (exact !== undefined) return exact;
    const range = patterns?.find((p): p is string => typeof p === "string");
    return range !== undefined && String(fallback)[0] !== range[0] ? Number(`${range[0]}00`) : fallback;
  };
  const out: Candidate[] = [];
  for (const [code, entry] of Object.entries(errors.codes)) if (entry.kind === kind) out.push({ status: fallback, code });
  for (const rule of errors.rules)
    if (rule.kind === kind)
      out.push({
        status: statusOf(rule.status),
        ...(rule.code !== undefined && { code: String(rule.code) }),
        ...(rule.type !== undefined && { type: rule.type }),
      });
  return [...out, { status: fallback }];
}

/** The body markers that make an answer an error (`errors.when` body conditions), for 2xx error answers. */
function okStatusMarker(errors: ErrorsDefinition): { status: number; path: readonly (string | number)[]; value: unknown } | undefined {
  for (const matcher of errors.when) {
    const status = matcher.status?.find((s): s is number => typeof s === "number" && s >= 200 && s < 300);
    if (status !== undefined && matcher.body?.equals !== undefined) return { status, path: matcher.body.path, value: matcher.body.equals };
  }
  return undefined;
}

/** An error answer of `kind` in the provider's shape, with `message` (and `param`) where the spec reads them. */
export function errorAnswer(definition: ProviderDefinition, kind: MockErrorKind, message: string, param?: string): MockErrorAnswer {
  const errors = definition.errors;
  const marker = okStatusMarker(errors);
  const typed = errors.rules.filter((r) => r.type !== undefined && r.kind === kind);
  let first: MockErrorAnswer | undefined;
  for (const candidate of candidates(errors, kind)) {
    const type = candidate.type ?? typed[0]?.type;
    const status =
      marker !== undefined && candidate.code !== undefined && !TRANSPORT_KINDS.includes(kind) ? marker.status : candidate.status;
    const body: Record<string, unknown> = {};
    if (marker !== undefined && status === marker.status) setPath(body, marker.path, marker.value);
    const code = candidate.code !== undefined && /^\d+$/.test(candidate.code) ? Number(candidate.code) : candidate.code;
    // A field read from several paths is written at its first.
    const [codePath] = errorFieldPaths(errors.fields.code);
    const [messagePath] = errorFieldPaths(errors.fields.message);
    setPath(body, codePath, code);
    setPath(body, errorFieldPaths(errors.fields.type)[0], type);
    if (messagePath !== codePath || code === undefined) setPath(body, messagePath, message);
    setPath(body, errorFieldPaths(errors.fields.param)[0], param);
    const answer = { status, body };
    first ??= answer;
    const normalized = normalizeError(
      definition.name,
      errors,
      {
        status,
        headers: { get: () => null },
        body,
      },
      { limited: status === 429 },
    );
    if (normalized.kind === kind) return answer;
  }
  return first!;
}
