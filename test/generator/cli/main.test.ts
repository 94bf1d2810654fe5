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
      /^stripe: 35 operations, 8 events, 8 error codes, 18 files \(18 written\) from specs\/stripe\.yaml in \d+ ms$/m,
    );
    const files = [...(await snapshotTree(path.join(work, "generated"))).keys()].sort();
    expect(files).toEqual([
      "stripe/client.ts",
      "stripe/errors.ts",
      "stripe/index.ts",
      "stripe/resources/customers.ts",
      "stripe/resources/events.ts",
      "stripe/resources/invoices.ts",
      "stripe/resources/payment-intents.ts",
      "stripe/resources/prices.ts",
      "stripe/resources/products.ts",
      "stripe/resources/refunds.ts",
      "stripe/resources/subscriptions.ts",
      "stripe/resources/webhook-endpoints.ts",
      "stripe/switchboard-manifest.json",
      "stripe/types.ts",
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
    expect(second.stdout).toContain(flags.length === 0 ? "18 files (0 written; skipped: inputs unchanged)" : "18 files (0 written)");
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
    expect(stale).toHaveLength(18);
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
    expect(parsed.providers[0]?.written).toHaveLength(18);
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

  it("without files validates every spec of the specs folder, and says so when there is none", async () => {
    await writeFile(path.join(work, "specs", "bad.yaml"), "switchboard: 2\n");
    const all = await run(work, "validate");
    expect(all.code).toBe(1);
    expect(all.stderr).toContain("specs/bad.yaml:1:14 error SB2004");
    expect(all.stdout).toContain("specs/stripe.yaml: ok (stripe)");
    const none = await run(work, "validate", "--specs", "elsewhere");
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("no specs folder elsewhere: give spec files, or --specs DIR");
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
    [["new"], 2],
    [["generate", "extra"], 2],
    [[], 2],
    [["--help"], 0],
    [["generate", "--help"], 0],
    [["validate", "--help"], 0],
    [["new", "--help"], 0],
    [["init", "--help"], 0],
    [["add", "--help"], 0],
  ])("switchboard %j exits %i", async (argv, code) => {
    const result = await run(work, ...argv);
    expect(result.code).toBe(code);
    expect(result.stdout + result.stderr).toContain("Usage: switchboard");
  });

  it("prints help texts with nothing left unfilled", async () => {
    for (const argv of [["--help"], ...["init", "add", "generate", "validate", "new", "webhook", "mock"].map((c) => [c, "--help"])]) {
      const result = await run(work, ...argv);
      expect(result.stdout, argv.join(" ")).not.toMatch(/\$\{|undefined/);
    }
  });

  it.each([
    [["frobnicate"], `switchboard: unknown command "frobnicate"\nRun 'switchboard --help' for the commands.\n`],
    [["generat"], `switchboard: unknown command "generat"; did you mean "generate"?\nRun 'switchboard --help' for the commands.\n`],
    [["generate", "--nope"], `switchboard: generate has no option --nope\nRun 'switchboard generate --help' for its options.\n`],
    [
      ["generate", "--chek"],
      `switchboard: generate has no option --chek; did you mean --check?\nRun 'switchboard generate --help' for its options.\n`,
    ],
    [["generate", "--specs"], `switchboard: --specs needs a value\nRun 'switchboard generate --help' for its options.\n`],
    [["generate", "--check=yes"], `switchboard: --check takes no value\nRun 'switchboard generate --help' for its options.\n`],
    [["generate", "--watch", "--check"], `switchboard: --watch cannot be combined with --check\n`],
  ])("switchboard %j says what is wrong in its own words and exits 2", async (argv, stderr) => {
    const result = await run(work, ...argv);
    expect(result).toEqual({ code: 2, stdout: "", stderr });
  });
});

describe("switchboard init and switchboard.config.json", () => {
  it("writes the config file and the specs folder, prints the CI step, and never overwrites", async () => {
    const fresh = await mkdtemp(path.join(tmpdir(), "switchboard-init-"));
    try {
      const result = await run(fresh, "init");
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(
        "wrote switchboard.config.json (specs: specs/, output: generated/, runtime import: @switchboard/runtime/contract)",
      );
      expect(result.stdout).toContain("\n  npx switchboard generate --check\n");
      expect(JSON.parse(await readFile(path.join(fresh, "switchboard.config.json"), "utf8"))).toEqual({
        specs: "specs",
        out: "generated",
        runtimeImport: "@switchboard/runtime/contract",
      });
      expect((await stat(path.join(fresh, "specs"))).isDirectory()).toBe(true);
      const again = await run(fresh, "init", "--out", "elsewhere");
      expect(again).toMatchObject({ code: 1, stderr: "switchboard: switchboard.config.json already exists; not overwriting it\n" });
    } finally {
      await rm(fresh, { recursive: true, force: true });
    }
  });

  it("gives generate its folders and runtime import; command-line options win", async () => {
    await run(work, "init", "--out", "src/clients", "--runtime-import", "#runtime");
    expect((await run(work, "generate")).code).toBe(0);
    const client = await readFile(path.join(work, "src", "clients", "stripe", "client.ts"), "utf8");
    expect(client).toContain('from "#runtime"');
    expect((await run(work, "generate", "--out", "other")).code).toBe(0);
    expect((await stat(path.join(work, "other", "stripe", "client.ts"))).isFile()).toBe(true);
  });

  it("rejects an unknown key with a did-you-mean, and JSON that does not parse", async () => {
    await writeFile(path.join(work, "switchboard.config.json"), JSON.stringify({ spec: "specs" }));
    expect(await run(work, "generate")).toMatchObject({
      code: 2,
      stderr: 'switchboard: switchboard.config.json: unknown key "spec"; did you mean "specs"? (keys: specs, out, runtimeImport)\n',
    });
    await writeFile(path.join(work, "switchboard.config.json"), "{ specs: ");
    expect((await run(work, "generate")).stderr).toMatch(/^switchboard: switchboard\.config\.json: not JSON \(/);
  });
});

describe("switchboard add", () => {
  it("lists the bundled providers: every spec in specs/", async () => {
    const result = await run(work, "add");
    expect(result.code).toBe(0);
    const listed = result.stdout
      .trim()
      .split("\n")
      .map((l) => l.split(/\s+/)[0]);
    const specs = (await readdir(path.join(repo, "specs"))).filter((f) => f.endsWith(".yaml")).map((f) => f.slice(0, -5));
    expect(listed.sort()).toEqual(specs.sort());
    // README names them too.
    const readme = (await readFile(path.join(repo, "README.md"), "utf8")).replace(/\s+/g, " ");
    expect(readme).toContain(`(\`npx switchboard add\` lists them: ${specs.sort().join(", ")})`);
  });

  it("copies a bundled spec whose $schema line resolves from the specs folder, and it generates", async () => {
    const fresh = await mkdtemp(path.join(tmpdir(), "switchboard-add-"));
    try {
      await run(fresh, "init", "--specs", "api/specs");
      const result = await run(fresh, "add", "twilio");
      // The OpenAPI slice the spec imports from beside it comes along, with its license.
      expect(result).toMatchObject({
        code: 0,
        stdout:
          "added api/specs/twilio.yaml (Twilio)\n" +
          "added api/specs/openapi/twilio_api_v2010.LICENSE\n" +
          "added api/specs/openapi/twilio_api_v2010.json\n" +
          "next: 'npx switchboard generate'\n",
      });
      const spec = await readFile(path.join(fresh, "api", "specs", "twilio.yaml"), "utf8");
      const schema = /^# yaml-language-server: \$schema=(.+)$/m.exec(spec)![1]!;
      expect(path.resolve(fresh, "api", "specs", schema)).toBe(path.join(repo, "schema", "spec-v1.schema.json"));
      const generated = await run(fresh, "generate");
      expect(generated.code).toBe(0);
      expect(generated.stdout).toMatch(/^twilio: \d+ operations/m);
      expect(await run(fresh, "add", "twilio")).toMatchObject({
        code: 1,
        stderr: "switchboard: api/specs/twilio.yaml already exists; not overwriting it\n",
      });
    } finally {
      await rm(fresh, { recursive: true, force: true });
    }
  });

  it("names the bundled providers, with a did-you-mean, for one it does not have", async () => {
    const result = await run(work, "add", "strpe");
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^switchboard: no bundled provider "strpe"; did you mean "stripe"\? \(bundled: .*stripe.*\); 'switchboard new strpe' starts a spec of your own\n$/,
    );
  });
});

describe("switchboard generate --check and --watch", () => {
  it("--check records the generator stamp when the output is current, so the next check skips", async () => {
    expect((await run(work, "generate")).code).toBe(0);
    const stamp = path.join(work, "node_modules", ".cache", "switchboard", "generate.json");
    await rm(stamp);
    const first = await run(work, "generate", "--check");
    expect(first.code).toBe(0);
    expect(first.stdout).not.toContain("skipped");
    await stat(stamp);
    const second = await run(work, "generate", "--check");
    expect(second.stdout).toContain("(0 out of date; skipped: inputs unchanged)");
  });

  it("--watch generates, regenerates when a spec changes, and stops when aborted", async () => {
    const stop = new AbortController();
    let stdout = "";
    const seen = (text: string) =>
      new Promise<void>((resolve) => {
        const poll = setInterval(() => {
          if (stdout.includes(text)) {
            clearInterval(poll);
            resolve();
          }
        }, 20);
      });
    const running = main(["generate", "--watch"], { cwd: work, stdout: (t) => void (stdout += t), stderr: () => {}, signal: stop.signal });
    await seen("watching specs/ and switchboard.config.json");
    const file = path.join(work, "specs", "stripe.yaml");
    await writeFile(file, (await readFile(file, "utf8")).replace("title: Stripe", "title: Stripe Payments"));
    await seen("change detected; generating\nstripe: ");
    await seen("done in");
    stop.abort();
    expect(await running).toBe(0);
    expect(await readFile(path.join(work, "generated", "stripe", "client.ts"), "utf8")).toContain("Stripe Payments");
  });
});
