/**
 * Every rate-limit number, header name, signature layout and version in the bundled specs against one
 * table of sourced facts, docs/provider-facts.md: a fact the specs state that the table lacks, a row the
 * specs contradict, and a row without a source all fail. After a deliberate, sourced change run
 * `FACTS_WRITE=1 npx vitest run test/specs/provider-facts.test.ts` to rewrite the table (sources kept),
 * then review the diff.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadSpec } from "../../generator/load.js";
import { compareFacts, FACTS_HEADER, factsOf, formatFactsRow, parseFactsTable, type Fact } from "../helpers/provider-facts.js";

const repo = path.resolve(import.meta.dirname, "../..");
const TABLE = path.join(repo, "docs", "provider-facts.md");
const PROVIDERS = ["github", "msgraph", "openai", "resend", "sendgrid", "shopify", "slack", "stripe", "twilio", "vonage"];

const loaded = PROVIDERS.map((name) => {
  const file = path.join(repo, "specs", `${name}.yaml`);
  const result = loadSpec(`specs/${name}.yaml`, readFileSync(file, "utf8"), { path: file });
  if (result.model === undefined) throw new Error(`specs/${name}.yaml does not load`);
  return result.model;
});
const facts: Fact[] = loaded.flatMap(factsOf);
const key = (f: { provider: string; fact: string }) => `${f.provider} ${f.fact}`;

if (process.env.FACTS_WRITE === "1") {
  const previous = new Map(parseFactsTable(readFileSync(TABLE, "utf8")).map((r) => [key(r), r.source]));
  const header = readFileSync(TABLE, "utf8").split(`\n${FACTS_HEADER}`)[0]!;
  const rows = facts.map((f) => {
    const model = loaded.find((m) => m.definition.name === f.provider)!;
    return formatFactsRow(f, previous.get(key(f)) ?? model.sources[f.section]?.[0] ?? "");
  });
  writeFileSync(TABLE, `${header}\n${FACTS_HEADER}\n| --- | --- | --- | --- |\n${rows.join("\n")}\n`);
}

const table = parseFactsTable(readFileSync(TABLE, "utf8"));

describe("docs/provider-facts.md", () => {
  it("agrees with the specs: every stated fact has a row with the same value, every row is stated and sourced", () => {
    expect(compareFacts(facts, table)).toEqual([]);
  });

  it.each([
    ["github", "rateLimits.buckets.primary", "5000 per 1h, concurrency 100"],
    ["github", "rateLimits.buckets.codeSearch", "9 per 1m"],
    ["github", "webhooks.maxBodySize", "26214400"],
    ["stripe", "webhooks.signature.header", "stripe-signature"],
    ["resend", "rateLimits.buckets.team", "2 per 1s"],
    ["openai", "retry.retryAfter.headers", "retry-after-ms, retry-after"],
    ["msgraph", "webhooks.signature.sharedSecret.at", '["value","*","clientState"]'],
    ["vonage", "webhooks.signature.header", "authorization"],
  ])("pins %s %s = %s (guards the extraction itself)", (provider, fact, value) => {
    expect(facts.find((f) => f.provider === provider && f.fact === fact)?.value).toBe(value);
  });

  it("reports a changed value with its line, a missing row, an extra row and a row without a source", () => {
    const [first, second, third, ...rest] = table;
    const mutated = [{ ...first!, value: "999 per 1s" }, { ...third!, source: " " }, ...rest, { ...second!, fact: "rateLimits.buckets.ghost" }];
    const problems = compareFacts(facts, mutated);
    expect(problems).toContain(`${first!.provider} ${first!.fact}: the spec says ${first!.value}, the table (line ${first!.line}) 999 per 1s`);
    expect(problems).toContain(`${second!.provider} ${second!.fact} = ${second!.value}: not in the table`);
    expect(problems).toContain(`line ${second!.line}: ${second!.provider} rateLimits.buckets.ghost is stated by no spec`);
    expect(problems).toContain(`line ${third!.line}: ${third!.provider} ${third!.fact} has no source`);
  });
});
