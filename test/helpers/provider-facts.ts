/**
 * The facts of a spec that must match the provider exactly, one line each: every rate-limit number, every
 * header name, the retry policy (attempts, backoff, statuses), extra token-request parameters, the webhook
 * signature layout and the versions. Read from the loaded model (defaults
 * applied), so what is checked is what the runtime will do.
 */
import type { SpecModel } from "../../generator/model/ir.js";

export interface Fact {
  readonly provider: string;
  /** A dotted key into the spec's behaviour: rateLimits.buckets.primary. */
  readonly fact: string;
  /** The value as one line of text. */
  readonly value: string;
  /** The spec section whose sources cite it. */
  readonly section: string;
}

const DEFAULT_MAX_BODY = 1_048_576;

const per = (ms: number): string => {
  for (const [unit, size] of [
    ["h", 3_600_000],
    ["m", 60_000],
    ["s", 1000],
  ] as const)
    if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
};

export function factsOf(model: SpecModel): Fact[] {
  const d = model.definition;
  const provider = d.name;
  const out: Fact[] = [];
  const add = (section: string, fact: string, value: unknown) => {
    if (value === undefined) return;
    out.push({ provider, fact, value: typeof value === "string" ? value : JSON.stringify(value), section });
  };
  for (const [name, bucket] of Object.entries(d.rateLimits.buckets)) {
    const parts = [`${bucket.rate} per ${per(bucket.perMs)}`];
    if (bucket.burst !== undefined) parts.push(`burst ${bucket.burst}`);
    if (bucket.concurrency !== undefined) parts.push(`concurrency ${bucket.concurrency}`);
    if (bucket.perOperation) parts.push("per operation");
    add("rateLimits", `rateLimits.buckets.${name}`, parts.join(", "));
    add("rateLimits", `rateLimits.buckets.${name}.resource`, bucket.resource);
  }
  const h = d.rateLimits.headers;
  if (h !== undefined) {
    for (const key of ["limit", "remaining", "used", "reset", "resource"] as const)
      add("rateLimits", `rateLimits.headers.${key}`, h[key]?.toLowerCase());
    if (h.reset !== undefined) add("rateLimits", "rateLimits.headers.resetFormat", h.resetFormat);
  }
  // The retry policy only where the spec writes one with its sources: without, it is Switchboard's default.
  if (model.sources["retry"] !== undefined) {
    const b = d.retry.backoff;
    add("retry", "retry.maxAttempts", d.retry.maxAttempts);
    add("retry", "retry.backoff", `${per(b.baseMs)} to ${per(b.capMs)}, ${b.growth ?? "exponential"}, jitter ${b.jitter}`);
    add("retry", "retry.statuses", d.retry.statuses.join(", "));
  }
  add("retry", "retry.retryAfter.headers", d.retry.retryAfter.headers.map((x) => x.toLowerCase()).join(", "));
  d.retry.hints.forEach((hint, i) => add("retry", `retry.hints.${i}.header`, hint.header.toLowerCase()));
  if (d.retry.idempotency) {
    add("retry", "retry.idempotency.header", d.retry.idempotency.header.toLowerCase());
    add("retry", "retry.idempotency.maxLength", d.retry.idempotency.maxLength);
  }
  for (const [name, mode] of Object.entries(d.auth.modes)) {
    if (mode.type !== "oauth2") continue;
    for (const [grant, params] of Object.entries(mode.tokenRequestParams ?? {}))
      add("auth", `auth.modes.${name}.tokenRequestParams.${grant}`, new URLSearchParams(params).toString());
  }
  add("errors", "errors.requestIdHeader", d.errors.requestIdHeader?.toLowerCase());
  if (d.versions) {
    add("versions", "versions.pinned", d.versions.pinned);
    add("versions", "versions.supported", Object.keys(d.versions.supported).sort().join(", "));
    if (d.versions.send.in !== "path") add("versions", `versions.send.${d.versions.send.in}`, d.versions.send.name.toLowerCase());
    if (d.versions.deprecationHeaders.length > 0)
      add("versions", "versions.deprecationHeaders", d.versions.deprecationHeaders.map((x) => x.toLowerCase()).join(", "));
  }
  const w = d.webhooks;
  if (w !== undefined) {
    const s = w.signature;
    add("webhooks", "webhooks.signature.algorithm", s.algorithm);
    // A shared secret has no signature header, layout or encoding: only where the secret is.
    const shared = s.sharedSecret;
    if (shared !== undefined)
      add("webhooks", `webhooks.signature.sharedSecret.${"at" in shared ? "at" : "header"}`, "at" in shared ? shared.at : shared.header);
    add("webhooks", "webhooks.signature.jwt", s.jwt);
    w.handshakes?.forEach((h) => add("webhooks", `webhooks.handshakes.${h.name}`, h));
    if (s.algorithm === "shared-secret") return out;
    add("webhooks", "webhooks.signature.header", s.header.toLowerCase());
    add("webhooks", "webhooks.signature.timestampHeader", s.timestampHeader?.toLowerCase());
    add("webhooks", "webhooks.signature.idHeader", s.idHeader?.toLowerCase());
    s.alternativeHeaders.forEach((alt, i) => add("webhooks", `webhooks.signature.alternativeHeaders.${i}`, alt));
    add("webhooks", "webhooks.signature.format", s.format);
    add("webhooks", "webhooks.signature.content", s.content);
    add("webhooks", "webhooks.signature.encoding", s.encoding);
    add("webhooks", "webhooks.signature.secretEncoding", s.secretEncoding);
    add(
      "webhooks",
      "webhooks.signature.tolerance",
      s.toleranceMs === undefined ? undefined : `${per(s.toleranceMs)} ${s.toleranceDirection}`,
    );
    const headers = (w.apiVersion ?? []).flatMap((at) => ("header" in at ? [at.header.toLowerCase()] : []));
    if (headers.length > 0) add("webhooks", "webhooks.apiVersion.headers", headers.join(", "));
    // Only a limit the spec sets: the default (1 MiB) is Switchboard's, not the provider's.
    if (w.maxBodySize !== DEFAULT_MAX_BODY) add("webhooks", "webhooks.maxBodySize", w.maxBodySize);
  }
  return out;
}

const escape = (text: string) => text.replaceAll("|", "\\|");
const unescape = (text: string) => text.replaceAll("\\|", "|");

/** Rows of the facts table: `| provider | fact | value | source |`. */
/** The facts table's header row. */
export const FACTS_HEADER = "| provider | fact | value | source |";

export function parseFactsTable(markdown: string): (Omit<Fact, "section"> & { readonly source: string; readonly line: number })[] {
  const rows: (Omit<Fact, "section"> & { source: string; line: number })[] = [];
  // Only the facts table: from its header row to the first line that is not a table row (other tables
  // on the page, such as "Corrections not applied", are not facts).
  let inTable = false;
  markdown.split("\n").forEach((text, i) => {
    if (text.startsWith(FACTS_HEADER)) inTable = true;
    else if (!text.startsWith("|")) inTable = false;
    if (!inTable || text.startsWith("| provider") || text.startsWith("| ---")) return;
    const cells = text
      .slice(2, -2)
      .split(/ (?<!\\)\| /)
      .map((c) => unescape(c.replace(/^`|`$/g, "")));
    const [provider, fact, value, source] = cells;
    if (provider && fact && value !== undefined && source !== undefined) rows.push({ provider, fact, value, source, line: i + 1 });
  });
  return rows;
}

export function formatFactsRow(fact: Omit<Fact, "section">, source: string): string {
  return `| ${fact.provider} | \`${fact.fact}\` | \`${escape(fact.value)}\` | ${escape(source)} |`;
}

type Row = ReturnType<typeof parseFactsTable>[number];
const key = (f: { provider: string; fact: string }) => `${f.provider} ${f.fact}`;

/** What disagrees between the specs' facts and the table: missing rows, other values, extra rows, rows without a source. */
export function compareFacts(facts: readonly Fact[], table: readonly Row[]): string[] {
  const rows = new Map(table.map((r) => [key(r), r]));
  const stated = new Set(facts.map(key));
  return [
    ...facts.flatMap((f) => {
      const row = rows.get(key(f));
      if (row === undefined) return [`${key(f)} = ${f.value}: not in the table`];
      return row.value === f.value ? [] : [`${key(f)}: the spec says ${f.value}, the table (line ${row.line}) ${row.value}`];
    }),
    ...table.filter((r) => !stated.has(key(r))).map((r) => `line ${r.line}: ${key(r)} is stated by no spec`),
    ...table.filter((r) => r.source.trim() === "").map((r) => `line ${r.line}: ${key(r)} has no source`),
  ];
}
