/**
 * validate warns about rate limits that cannot work as written (generator/validate/semantics/rate-limits.ts):
 * each warning on a small spec, with its stable code and file:line:col, and the same spec written so that it
 * works giving none; and every bundled spec validates with no warning at all.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DiagnosticCode, formatDiagnostic } from "../../../../generator/diagnostics.js";
import { loadSpec } from "../../../../generator/load.js";
import { repoRoot } from "../../../helpers/typecheck.js";

const HEAD = `switchboard: 1
provider: { name: acme, title: Acme }
environments:
  live: { baseUrl: https://api.acme.test }
`;

/** The warnings of a spec made of HEAD and `rest`, as `line:col code`, with their messages. */
function warnings(rest: string): { at: string; message: string }[] {
  const result = loadSpec("acme.yaml", HEAD + rest);
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return result.diagnostics.map((d) => ({ at: `${d.line}:${d.column} ${d.code}`, message: d.message }));
}

/** line:col (1-based) of the "|" in `marker`, on the first line of `text` holding the marker without it. */
function position(text: string, marker: string): string {
  const plain = marker.replace("|", "");
  const lines = text.split("\n");
  const index = lines.findIndex((line) => line.includes(plain));
  expect(index, marker).toBeGreaterThanOrEqual(0);
  return `${index + 1}:${lines[index]!.indexOf(plain) + marker.indexOf("|") + 1}`;
}

interface Case {
  readonly name: string;
  readonly code: DiagnosticCode;
  /** The spec that cannot work, after HEAD. */
  readonly broken: string;
  /** Where the warning points: the first line with this text, at the "|" (taken out). */
  readonly at: string;
  readonly says: string;
  /** Replacements that make the same spec work. */
  readonly fix: readonly (readonly [string, string])[];
}

const CASES: Case[] = [
  {
    name: "a bucket mirrors a resource, but no header names one",
    code: DiagnosticCode.ResourceWithoutHeader,
    broken: `rateLimits:
  headers: { limit: x-limit, remaining: x-remaining, reset: x-reset }
  buckets:
    core: { rate: 100, per: 1s, resource: core }
`,
    at: "resource: |core",
    says: 'bucket "core" mirrors the resource "core", but rateLimits.headers declares no resource header',
    fix: [
      [
        "  headers: { limit: x-limit, remaining: x-remaining, reset: x-reset }",
        "  headers: { limit: x-limit, remaining: x-remaining, reset: x-reset, resource: x-resource }",
      ],
    ],
  },
  {
    name: "a bucket of another family mirrors a resource that family cannot name",
    code: DiagnosticCode.ResourceWithoutHeader,
    broken: `rateLimits:
  headers: { limit: x-limit, remaining: x-remaining, reset: x-reset, resource: x-resource }
  families:
    points: { limit: x-points-limit, remaining: x-points-remaining, reset: x-points-reset }
  buckets:
    points: { rate: 100, per: 1s, burst: 100, family: points, resource: core }
`,
    at: "family: points, resource: |core",
    says: "rateLimits.families.points declares no resource header",
    fix: [["reset: x-points-reset }", "reset: x-points-reset, resource: x-resource }"]],
  },
  {
    name: "Retry-After read as epoch seconds",
    code: DiagnosticCode.ResetFormatMismatch,
    broken: `rateLimits:
  headers: { limit: x-limit, remaining: x-remaining, reset: Retry-After, resetFormat: epoch-seconds }
`,
    at: "resetFormat: |epoch-seconds",
    says: "read Retry-After as epoch-seconds, but it carries seconds from now or an HTTP date (RFC 9110, 10.2.3)",
    fix: [["resetFormat: epoch-seconds", "resetFormat: seconds"]],
  },
  {
    name: "a header in milliseconds read with the default format (epoch seconds)",
    code: DiagnosticCode.ResetFormatMismatch,
    broken: `rateLimits:
  headers: { limit: x-limit, remaining: x-remaining, reset: x-reset-ms }
`,
    at: "reset: |x-reset-ms",
    says: "read x-reset-ms, a header in milliseconds, as epoch-seconds",
    fix: [["reset: x-reset-ms }", "reset: x-reset-ms, resetFormat: epoch-ms }"]],
  },
  {
    name: "one header as both the count and the reset",
    code: DiagnosticCode.ResetFormatMismatch,
    broken: `rateLimits:
  headers: { limit: x-limit, remaining: x-rate, reset: X-Rate, resetFormat: seconds }
`,
    at: "reset: |X-Rate",
    says: "read X-Rate as both the reset and the remaining",
    fix: [["reset: X-Rate,", "reset: x-rate-reset,"]],
  },
  {
    name: "a bucket slower than its default queue wait",
    code: DiagnosticCode.BucketSlowerThanQueueWait,
    broken: `rateLimits:
  buckets:
    hourly: { rate: 10, per: 1h }
`,
    at: "rate: |10",
    says: 'bucket "hourly" grants one request every 6 min, longer than its maxQueueWait (30 s): every request that has to queue fails',
    fix: [["per: 1h }", "per: 1h, maxQueueWait: 6m }"]],
  },
  {
    name: "a weighted bucket whose fixed request cost takes longer than its queue wait to refill",
    code: DiagnosticCode.BucketSlowerThanQueueWait,
    broken: `rateLimits:
  families:
    points: { limit: x-points-limit, remaining: x-points-remaining, reset: x-points-reset, cost: { default: 50 } }
  buckets:
    points: { rate: 1, per: 1s, burst: 100, family: points, maxQueueWait: 10s }
`,
    at: "maxQueueWait: |10s",
    says: "grants one request every 50 s, longer than its maxQueueWait (10 s)",
    fix: [["rate: 1, per: 1s", "rate: 10, per: 1s"]],
  },
  {
    name: "a queue wait longer than the default total timeout",
    code: DiagnosticCode.WaitPastDeadline,
    broken: `rateLimits:
  buckets:
    daily: { rate: 100, per: 1d, maxQueueWait: 20m }
`,
    at: "maxQueueWait: |20m",
    says: 'bucket "daily" lets a request queue for 20 min, but the default total timeout (10 min) ends the call first',
    fix: [
      [
        "maxQueueWait: 20m }\n",
        "maxQueueWait: 20m }\noperations:\n  inline:\n    report: { method: POST, path: /reports, timeout: 30m }\n",
      ],
    ],
  },
  {
    name: "a minimum rate-limit wait and a Retry-After maximum longer than the default total timeout",
    code: DiagnosticCode.WaitPastDeadline,
    broken: `rateLimits:
  minWait: 15m
retry:
  retryAfter: { maxWait: 20m }
`,
    at: "minWait: |15m",
    says: "minWait 15 min is longer than the default total timeout (10 min)",
    fix: [
      ["minWait: 15m", "minWait: 5m"],
      ["maxWait: 20m", "maxWait: 5m"],
    ],
  },
  {
    name: "a request cost read from a field no operation's body has",
    code: DiagnosticCode.UnknownCostField,
    broken: `rateLimits:
  families:
    tokens:
      limit: x-limit-tokens
      remaining: x-remaining-tokens
      reset: x-reset-tokens
      cost: { request: $.max_tokens, default: 1 }
  buckets:
    tokens: { rate: 1000, per: 1s, burst: 1000, family: tokens }
operations:
  inline:
    complete:
      method: POST
      path: /complete
      body: { encoding: json, schema: { $ref: "#/operations/schemas/Params" } }
  schemas:
    Params:
      type: object
      properties:
        prompt: { type: string }
        max_token: { type: integer }
`,
    at: "request: |$.max_tokens",
    says: 'no operation\'s request body has "max_tokens": every request costs the default; did you mean "max_token"?',
    fix: [["max_token: { type: integer }", "max_tokens: { type: integer }"]],
  },
  {
    name: "a limitedWhen that only matches 429s",
    code: DiagnosticCode.IneffectiveLimitedWhen,
    broken: `rateLimits:
  limitedWhen:
    - status: 429
      header: { name: x-limit-kind, equals: burst }
`,
    at: "status: |429",
    says: "matches only 429 answers, and every 429 already counts as rate limited",
    fix: [["status: 429", "status: 403"]],
  },
  {
    name: "a limitedWhen on a code errors.codes says is not retryable",
    code: DiagnosticCode.IneffectiveLimitedWhen,
    broken: `rateLimits:
  limitedWhen:
    - status: 400
      body: { path: $.error.code, equals: quota_exceeded }
errors:
  fields: { code: $.error.code, message: $.error.message }
  codes:
    quota_exceeded: { kind: rate_limited, retryable: false, description: The monthly quota is spent. }
`,
    at: "equals: |quota_exceeded",
    says: 'answers with code "quota_exceeded" rate limited, which are always retried after their wait, but errors.codes.quota_exceeded.retryable is false',
    fix: [["retryable: false, description: The monthly quota is spent.", "description: The rate limit was hit."]],
  },
];

describe("validate warns about rate limits that cannot work as written", () => {
  it.each(CASES)("$name: $code at its node, and none once written to work", (c) => {
    const at = `${position(HEAD + c.broken, c.at)} ${c.code}`;
    const found = warnings(c.broken);
    expect(found.map((w) => w.at)).toContain(at);
    expect(found.find((w) => w.at === at)!.message).toContain(c.says);
    const fixed = c.fix.reduce((text, [from, to]) => {
      expect(text, from).toContain(from);
      return text.replace(from, to);
    }, c.broken);
    expect(warnings(fixed)).toEqual([]);
  });

  it("prints each as file:line:col warning code", () => {
    const result = loadSpec("specs/acme.yaml", HEAD + CASES[0]!.broken);
    expect(formatDiagnostic(result.diagnostics[0]!).split("\n")[0]).toMatch(/^specs\/acme\.yaml:8:43 warning SB3015 bucket "core"/);
  });

  it("gives every bundled spec no warning", () => {
    const dir = path.join(repoRoot, "specs");
    const specs = readdirSync(dir).filter((f) => f.endsWith(".yaml"));
    expect(specs.length).toBeGreaterThan(10);
    for (const file of specs) {
      const result = loadSpec(`specs/${file}`, readFileSync(path.join(dir, file), "utf8"));
      expect(
        result.diagnostics.map((d) => formatDiagnostic(d)),
        file,
      ).toEqual([]);
    }
  });
});
