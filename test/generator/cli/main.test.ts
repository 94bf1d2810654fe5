import { cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../../generator/cli/main.js";

const repo = path.resolve(import.meta.dirname, "../../..");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(cwd: string, ...argv: string[]): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { cwd, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

async function snapshotTree(dir: string): Promise<Map<string, { text: string; mtimeMs: number }>> {
  const out = new Map<string, { text: string; mtimeMs: number }>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out.set(path.relative(dir, file), { text: await readFile(file, "utf8"), mtimeMs: (await stat(file)).mtimeMs });
  }
  return out;
}

let work: string;

beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), "switchboard-cli-"));
  await cp(path.join(repo, "specs", "stripe.yaml"), path.join(work, "specs", "stripe.yaml"), { recursive: true });
});

afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("switchboard generate", () => {
  it("writes one folder per provider and prints one line per provider", async () => {
    const result = await run(work, "generate");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^stripe: 8 operations, 8 events, 8 error codes, 10 files \(10 written\) from specs\/stripe\.yaml in \d+ ms$/m,
    );
    const files = [...(await snapshotTree(path.join(work, "generated"))).keys()].sort();
    expect(files).toEqual([
      "stripe/client.ts",
      "stripe/errors.ts",
      "stripe/index.ts",
      "stripe/resources/customers.ts",
      "stripe/resources/payment-intents.ts",
      "stripe/switchboard-manifest.json",
      "stripe/verify-webhook.ts",
      "stripe/versions.ts",
      "stripe/webhook-payloads.ts",
      "stripe/webhooks.ts",
    ]);
  });

  it.each([[[]], [["--force"]]])("run twice in a row (then with %j) leaves the tree byte-identical and rewrites nothing", async (flags) => {
    expect((await run(work, "generate")).code).toBe(0);
    const first = await snapshotTree(path.join(work, "generated"));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await run(work, "generate", ...flags);
    expect(second.code).toBe(0);
    // Unchanged inputs skip the spec (incremental.test.ts); --force runs the whole pipeline.
    expect(second.stdout).toContain(flags.length === 0 ? "10 files (0 written; skipped: inputs unchanged)" : "10 files (0 written)");
    const after = await snapshotTree(path.join(work, "generated"));
    expect([...after.keys()]).toEqual([...first.keys()]);
    for (const [file, { text, mtimeMs }] of first) {
      expect(after.get(file)?.text).toBe(text);
      expect(after.get(file)?.mtimeMs).toBe(mtimeMs);
    }
  });

  it("--check exits 0 on fresh output and writes nothing when output is missing", async () => {
    const missing = await run(work, "generate", "--check");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("generated/stripe/client.ts: missing");
    await expect(stat(path.join(work, "generated"))).rejects.toThrow();
    expect((await run(work, "generate")).code).toBe(0);
    const fresh = await run(work, "generate", "--check");
    expect(fresh.code).toBe(0);
    expect(fresh.stderr).toBe("");
  });

  it("--check after editing a spec exits 1 and names exactly the stale files", async () => {
    expect((await run(work, "generate")).code).toBe(0);
    const spec = path.join(work, "specs", "stripe.yaml");
    const text = await readFile(spec, "utf8");
    await writeFile(spec, text.replace("summary: Retrieve a customer.", "summary: Retrieve one customer."));
    const before = await snapshotTree(path.join(work, "generated"));
    const check = await run(work, "generate", "--check");
    expect(check.code).toBe(1);
    // The spec hash in every header (and the manifest) changed, so every file is stale; the edited resource among them.
    expect(check.stderr).toContain("generated/stripe/resources/customers.ts: stale");
    const stale = check.stderr.split("\n").filter((l) => l.endsWith(": stale (differs from what the spec generates)"));
    expect(stale).toHaveLength(10);
    expect(await snapshotTree(path.join(work, "generated"))).toEqual(before);
  });

  it("removes files no spec generates any more, and --check reports them as orphaned", async () => {
    expect((await run(work, "generate")).code).toBe(0);
    const spec = path.join(work, "specs", "stripe.yaml");
    const text = await readFile(spec, "utf8");
    const withoutIntents = text.slice(0, text.indexOf("    paymentIntents.create:"));
    await writeFile(spec, withoutIntents);
    const check = await run(work, "generate", "--check");
    expect(check.code).toBe(1);
    expect(check.stderr).toContain("generated/stripe/resources/payment-intents.ts: orphaned (no spec generates it)");
    const regenerated = await run(work, "generate");
    expect(regenerated.code).toBe(0);
    expect(regenerated.stdout).toContain("removed generated/stripe/resources/payment-intents.ts");
    expect((await run(work, "generate", "--check")).code).toBe(0);
  });

  it("never deletes a hand-written file in the output folder", async () => {
    expect((await run(work, "generate")).code).toBe(0);
    const mine = path.join(work, "generated", "stripe", "extra.ts");
    await writeFile(mine, "export const mine = 1;\n");
    expect((await run(work, "generate", "--check")).code).toBe(0);
    expect((await run(work, "generate")).code).toBe(0);
    expect(await readFile(mine, "utf8")).toBe("export const mine = 1;\n");
  });

  it("reports spec errors with file:line:col and exits 1 without writing", async () => {
    await writeFile(
      path.join(work, "specs", "broken.yaml"),
      "switchboard: 1\nprovider:\n  name: broken\n  titel: Broken\nenvironments:\n  live: { baseUrl: https://x.example }\n",
    );
    const result = await run(work, "generate");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('specs/broken.yaml:4:3 error SB2001 unknown property "titel" in provider; did you mean "title"?');
    expect(result.stderr).toContain("specs/broken.yaml:2:1 error SB2003");
    await expect(stat(path.join(work, "generated"))).rejects.toThrow();
  });

  it("rejects two specs for the same provider", async () => {
    await cp(path.join(work, "specs", "stripe.yaml"), path.join(work, "specs", "stripe-copy.yaml"));
    const result = await run(work, "generate");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/specs\/stripe\.yaml:1:1 error SB4001 provider "stripe" is already defined by specs\/stripe-copy\.yaml/);
  });

  it("--json prints a machine-readable result", async () => {
    const result = await run(work, "generate", "--json");
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as { ok: boolean; providers: { provider: string; files: string[]; written: string[] }[] };
    expect(parsed.ok).toBe(true);
    expect(parsed.providers[0]?.provider).toBe("stripe");
    expect(parsed.providers[0]?.written).toHaveLength(10);
  });

  it("honours --specs and --out", async () => {
    const result = await run(work, "generate", "--specs", "specs", "--out", "src/clients");
    expect(result.code).toBe(0);
    expect((await stat(path.join(work, "src", "clients", "stripe", "index.ts"))).isFile()).toBe(true);
  });
});

describe("switchboard validate", () => {
  it("exits 0 for a valid spec and 1 with diagnostics for an invalid one", async () => {
    expect((await run(work, "validate", "specs/stripe.yaml")).code).toBe(0);
    await writeFile(path.join(work, "bad.yaml"), "switchboard: 2\n");
    const bad = await run(work, "validate", "bad.yaml");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("bad.yaml:1:14 error SB2004 switchboard must be 1, found number 2");
    expect(bad.stderr).toContain("> 1 | switchboard: 2");
  });

  it("reports a missing file as a diagnostic, not a crash", async () => {
    const result = await run(work, "validate", "nope.yaml");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("nope.yaml:1:1 error SB1005 cannot read the spec: no such file");
  });
});

describe("switchboard new", () => {
  it("scaffolds a starter spec that validates and generates", async () => {
    const created = await run(work, "new", "acme-pay");
    expect(created.code).toBe(0);
    const text = await readFile(path.join(work, "specs", "acme-pay.yaml"), "utf8");
    expect(text.startsWith("# yaml-language-server: $schema=")).toBe(true);
    expect((await run(work, "validate", "specs/acme-pay.yaml")).code).toBe(0);
    expect((await run(work, "generate")).code).toBe(0);
    expect((await run(work, "new", "acme-pay")).code).toBe(1);
  });

  it("rejects a provider name that is not lower-case kebab", async () => {
    const result = await run(work, "new", "Acme Pay");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("is not a provider name");
  });
});

describe("usage", () => {
  it.each([
    [["frobnicate"], 2],
    [["generate", "--nope"], 2],
    [["generate", "extra"], 2],
    [["validate"], 2],
    [["new"], 2],
    [[], 2],
    [["--help"], 0],
    [["generate", "--help"], 0],
    [["validate", "--help"], 0],
    [["new", "--help"], 0],
  ])("switchboard %j exits %i", async (argv, code) => {
    const result = await run(work, ...argv);
    expect(result.code).toBe(code);
    expect(result.stdout + result.stderr).toContain("Usage: switchboard");
  });
});
