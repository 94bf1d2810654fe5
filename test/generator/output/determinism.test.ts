/**
 * Generation is a pure function of the spec's content: the same spec gives byte-identical output
 * twice, whatever the order of keys in maps whose order means nothing, wherever the spec and the
 * output folder are on disk, whatever the time zone and locale; and nothing about the machine (paths,
 * user, host name, clock) leaks into the output.
 */
import { readFileSync } from "node:fs";
import { cp, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { resolveConfig } from "../../../generator/config.js";
import { emitProvider } from "../../../generator/emit/emit.js";
import { formatTypeScript } from "../../../generator/output/format.js";
import { generate } from "../../../generator/generate.js";
import { loadSpec } from "../../../generator/load.js";
import { random, shuffleKeys } from "../../helpers/shuffle.js";
import { repoRoot } from "../../helpers/typecheck.js";

const SPEC_FILE = "specs/stripe.yaml";
const stripeText = readFileSync(path.join(repoRoot, SPEC_FILE), "utf8");

/** Provider files (relative path -> formatted text) for a spec text, in memory. */
async function render(text: string, file = SPEC_FILE): Promise<Map<string, string>> {
  const result = loadSpec(file, text);
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const out = new Map<string, string>();
  for (const f of emitProvider(result.model!, { runtimeImport: "@switchboard/runtime/contract", generatorVersion: "0.1.0" })) {
    out.set(f.path, await formatTypeScript(f.text));
  }
  return out;
}

/** The header names the spec's sha256, which changes with any byte of the spec: blank it out. */
function withoutHash(files: ReadonlyMap<string, string>): Map<string, string> {
  return new Map([...files].map(([p, t]) => [p, t.replace(/sha256 [0-9a-f]{64}/g, "sha256 <hash>")]));
}

/** Stripe's spec with more entries in the maps the test shuffles. */
function richSpec(): Record<string, unknown> {
  const doc = parse(stripeText) as Record<string, Record<string, Record<string, unknown>>>;
  doc["environments"]!["sandbox"] = { baseUrl: "https://sandbox.stripe.test", description: "A second environment." };
  doc["environments"]!["eu"] = { baseUrl: "https://eu.stripe.test" };
  doc["errors"]!["codes"]!["10"] = { kind: "validation" };
  doc["errors"]!["codes"]!["2"] = { kind: "validation" };
  doc["errors"]!["codes"]!["Zebra"] = { kind: "validation" };
  doc["errors"]!["codes"]!["ärger"] = { kind: "validation" };
  (doc["webhooks"]!["events"] as Record<string, unknown>)["account.updated"] = { description: "An account changed." };
  (doc["webhooks"]!["events"] as Record<string, unknown>)["Ünïcode.event"] = {};
  (doc["operations"]!["inline"] as Record<string, unknown>)["refunds.create"] = {
    method: "POST",
    path: "/v1/refunds",
    body: { encoding: "form" },
    params: { z: { in: "query" }, a: { in: "header" }, m: { in: "query" } },
    buckets: ["search", "global"],
  };
  (doc["operations"]!["inline"] as Record<string, unknown>)["charges.capture"] = {
    method: "POST",
    path: "/v1/charges/{charge}/capture/{b}/{a}",
  };
  return doc;
}

describe("determinism", () => {
  it("the same spec generates byte-identical output twice", async () => {
    const first = await render(stripeText);
    const second = await render(stripeText);
    expect([...second.keys()]).toEqual([...first.keys()]);
    for (const [file, text] of first) expect(second.get(file), file).toBe(text);
  });

  it("the order of keys in maps does not change the output", async () => {
    const rich = richSpec();
    const baseline = withoutHash(await render(stringify(rich)));
    expect(baseline.size).toBeGreaterThan(5);
    await fc.assert(
      fc.asyncProperty(fc.integer(), async (seed) => {
        const shuffled = stringify(shuffleKeys(rich, random(seed)));
        const output = withoutHash(await render(shuffled));
        expect([...output.keys()]).toEqual([...baseline.keys()]);
        for (const [file, text] of baseline) expect(output.get(file), file).toBe(text);
      }),
      { numRuns: 8 },
    );
  });

  it("YAML style (flow or block, quoting, comments) does not change the output", async () => {
    const rich = richSpec();
    const block = withoutHash(await render(stringify(rich)));
    const flow = withoutHash(
      await render(`# a comment\n${stringify(rich, { defaultStringType: "QUOTE_DOUBLE", collectionStyle: "flow" })}`),
    );
    expect(flow).toEqual(block);
  });
});

describe("nothing about the machine leaks into the output", () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), "switchboard-determinism-"));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it("specs at different absolute paths, in another time zone and locale, give the same files", async () => {
    const runs: Map<string, string>[] = [];
    const saved = { TZ: process.env["TZ"], LANG: process.env["LANG"], LC_ALL: process.env["LC_ALL"] };
    try {
      for (const [dir, tz, lang] of [
        ["a", "UTC", "C"],
        ["somewhere/much/deeper", "Pacific/Kiritimati", "tr_TR.UTF-8"],
      ] as const) {
        process.env["TZ"] = tz;
        process.env["LANG"] = lang;
        process.env["LC_ALL"] = lang;
        const cwd = path.join(work, dir);
        await cp(path.join(repoRoot, SPEC_FILE), path.join(cwd, SPEC_FILE));
        const config = resolveConfig({ cwd });
        const result = await generate(config);
        expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        const [provider] = result.providers;
        runs.push(
          new Map([...provider!.files].map(([file, text]) => [path.relative(config.outDir, file).split(path.sep).join("/"), text])),
        );
      }
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
    expect(runs[1]).toEqual(runs[0]);

    const forbidden = [
      work,
      repoRoot,
      os.tmpdir(),
      os.homedir(),
      os.hostname(),
      // A user name can be a common word ("root"): look for it as a path segment.
      `/${os.userInfo().username}/`,
      new Date().toISOString().slice(0, 10),
      String(new Date().getFullYear()) +
        "-" +
        String(new Date().getMonth() + 1).padStart(2, "0") +
        "-" +
        String(new Date().getDate()).padStart(2, "0"),
    ].filter((s) => s.length >= 3 && !stripeText.includes(s));
    for (const [file, text] of runs[0]!) {
      for (const needle of forbidden) expect(text.includes(needle), `${file} contains ${needle}`).toBe(false);
      // Timestamps: an ISO date-time, or a clock time.
      expect(text, file).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}|\b\d{2}:\d{2}:\d{2}\b/);
      // Paths in the output are relative, with forward slashes.
      expect(text, file).not.toMatch(/(^|[\s"'`(])(\/(home|tmp|root|Users|var|private|work)\/|[A-Za-z]:\\)/m);
      if (file.endsWith(".json")) expect(JSON.parse(text), file).toMatchObject({ spec: "specs/stripe.yaml" });
      else expect(text.split("\n")[1], file).toMatch(/^\/\/ Source: specs\/stripe\.yaml \(sha256 [0-9a-f]{64}\)$/);
    }
  });
});
