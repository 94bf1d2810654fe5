/**
 * The `switchboard` command. Exit codes: 0 ok, 1 diagnostics or stale output, 2 usage.
 */
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { displayPath, resolveConfig } from "../config.js";
import { formatDiagnostic, hasErrors, sortDiagnostics, type Diagnostic } from "../diagnostics.js";
import type { GenerateResult } from "../generate.js";
import { planGeneration, recordGeneratorStamp } from "../output/manifest.js";
import { starterSpec } from "./scaffold.js";
import { findSpecs } from "../spec-files.js";
import { GENERATOR_VERSION } from "../version.js";
import type { WebhookCliIo } from "./webhook.js";
import { applyChanges, diffOutput } from "../output/write.js";

// The pipeline (generate.ts: ts-morph, prettier, ajv) is imported only by the commands that run it,
// and by `generate` only when some spec has to be regenerated: a no-change run stays fast.
const pipeline = () => import("../generate.js");

export interface CliIo extends WebhookCliIo {
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const HELP: Record<string, string> = {
  main: `switchboard ${GENERATOR_VERSION}: typed API clients from declarative provider specs

Usage: switchboard <command> [options]

Commands:
  generate   Validate every spec and write generated/<provider>/ (or --check it)
  validate   Validate spec files and print every problem
  new        Write a commented starter spec for a provider
  webhook    Sign a webhook body as a provider would (sign), or post a signed delivery (send)
  auth login Authorize with a provider's OAuth 2.0 mode in the browser and store the tokens

Run 'switchboard <command> --help' for a command's options.
Exit codes: 0 ok, 1 diagnostics or stale output, 2 usage error.
`,
  generate: `Usage: switchboard generate [--specs DIR] [--out DIR] [--check] [--force] [--json]

Validates every spec in the specs folder and generates one TypeScript module per provider.
Only files whose content changed are written; files a spec no longer produces are removed.
A spec is skipped when neither it, the documents it imports, the generator nor its output files
changed since the last run (each provider folder records this in switchboard-manifest.json).

Options:
  --specs DIR    Folder with the specs (default: specs)
  --out DIR      Output folder (default: generated)
  --runtime-import SPEC  Module generated code imports the runtime from (default: @switchboard/runtime/contract)
  --check        Write nothing; list missing, stale and orphaned files and exit 1 if there are any
  --force        Regenerate every spec, even those whose inputs and output did not change
  --json         Print the result as JSON on stdout
  -h, --help     Show this help
`,
  validate: `Usage: switchboard validate [--json] FILES...

Checks each spec against the spec language and prints every problem as file:line:col.

Options:
  --json         Print diagnostics as JSON on stdout
  -h, --help     Show this help
`,
  new: `Usage: switchboard new [--specs DIR] PROVIDER

Writes DIR/PROVIDER.yaml, a commented starter spec. PROVIDER is lower case letters, digits and '-'.

Options:
  --specs DIR    Folder to write the spec in (default: specs)
  -h, --help     Show this help
`,
  auth: `Usage: switchboard auth login [options] PROVIDER

Runs the OAuth 2.0 authorization code flow with PKCE for PROVIDER's oauth2 auth mode (RFC 8252):
listens on a free loopback port, prints (and opens) the authorization URL, exchanges the code that
comes back and stores the tokens in an encrypted file (AES-256-GCM).

Secrets come from the environment, never from the command line:
  SWITCHBOARD_CLIENT_SECRET      the OAuth client secret (omit for a public client)
  SWITCHBOARD_TOKEN_KEY          the store's encryption key, base64 of 32 bytes
  SWITCHBOARD_TOKEN_KEY_PREVIOUS former keys, comma-separated, still accepted for reading

Options:
  --client-id ID   OAuth client ID (default: $SWITCHBOARD_CLIENT_ID)
  --mode NAME      Auth mode of the spec (default: its only oauth2 mode)
  --scope SCOPES   Scopes to ask for, separated by spaces or commas
  --store FILE     Token store file (default: .switchboard/tokens.json)
  --key KEY        Store key of the tokens (default: oauth2:<client id>)
  --port N         Loopback port (default: a free one)
  --timeout SECS   Give up after this many seconds (default: 300)
  --no-open        Only print the URL; do not open a browser
  --specs DIR      Folder with the specs (default: specs)
  -h, --help       Show this help
`,
};

class UsageError extends Error {}

type OptionSpec = Record<string, { readonly type: "string" | "boolean" }>;
const HELP_OPTION = { help: { type: "boolean", short: "h" } } as const;

function parse<O extends OptionSpec>(command: string, args: string[], options: O) {
  try {
    return parseArgs({ args, options: { ...options, ...HELP_OPTION }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)}\n\n${HELP[command]}`);
  }
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case "-h":
      case "--help":
      case "help":
        io.stdout(HELP["main"]!);
        return command === undefined ? 2 : 0;
      case "-v":
      case "--version":
        io.stdout(`${GENERATOR_VERSION}\n`);
        return 0;
      case "generate":
        return await generateCommand(rest, io);
      case "validate":
        return await validateCommand(rest, io);
      case "new":
        return await newCommand(rest, io);
      case "webhook":
        return await (await import("./webhook.js")).webhookCommand(rest, io);
      case "auth":
        return await authCommand(rest, io);
      default:
        throw new UsageError(`unknown command "${command}"\n\n${HELP["main"]}`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`switchboard: ${error.message}${error.message.endsWith("\n") ? "" : "\n"}`);
      return 2;
    }
    throw error;
  }
}

function printDiagnostics(io: CliIo, diagnostics: readonly Diagnostic[], texts: ReadonlyMap<string, string>): void {
  for (const d of diagnostics) io.stderr(`${formatDiagnostic(d, texts.get(d.file))}\n\n`);
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  if (diagnostics.length > 0) io.stderr(`${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}\n`);
}

async function generateCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse("generate", args, {
    specs: { type: "string" },
    out: { type: "string" },
    "runtime-import": { type: "string" },
    check: { type: "boolean" },
    force: { type: "boolean" },
    json: { type: "boolean" },
  } as const);
  if (values.help) {
    io.stdout(HELP["generate"]!);
    return 0;
  }
  if (positionals.length > 0)
    throw new UsageError(`generate takes no file arguments (got ${positionals.join(" ")})\n\n${HELP["generate"]}`);
  const config = resolveConfig({
    cwd: io.cwd,
    ...(typeof values.specs === "string" && { specsDir: values.specs }),
    ...(typeof values.out === "string" && { outDir: values.out }),
    ...(typeof values["runtime-import"] === "string" && { runtimeImport: values["runtime-import"] }),
  });
  if (!existsSync(config.specsDir)) throw new UsageError(`specs folder ${displayPath(config, config.specsDir)} does not exist`);
  const started = performance.now();
  const specFiles = await findSpecs(config.specsDir);
  let plan = await planGeneration(config, specFiles, { force: values.force === true });
  let result: GenerateResult =
    plan.regenerate.length > 0 ? await (await pipeline()).generate(config, plan.regenerate) : { specs: [], providers: [], diagnostics: [] };
  const skippedProviders = new Set(plan.skipped.map((s) => s.provider));
  if (result.providers.some((p) => skippedProviders.has(p.provider))) {
    // A changed or new spec names the provider of a skipped one: only a run over both reports that.
    plan = { skipped: [], regenerate: specFiles };
    result = await (await pipeline()).generate(config, specFiles);
  }
  const texts = new Map([...result.specs.map((s) => [s.file, s.text] as const), ...plan.skipped.map((s) => [s.spec, s.specText] as const)]);
  const diagnostics = sortDiagnostics([...result.diagnostics, ...plan.skipped.flatMap((s) => s.warnings)]);
  const failed = hasErrors(diagnostics);
  const changes = failed ? [] : await diffOutput(result.providers, [config.outDir], new Set(plan.skipped.flatMap((s) => s.files)));
  if (!failed && !values.check) {
    await applyChanges(result.providers, changes);
    await recordGeneratorStamp(config);
  }
  // Generated and skipped providers together, in the order of their specs.
  const order = new Map(specFiles.map((file, index) => [displayPath(config, file), index]));
  const providers = [
    ...result.providers.map((p) => ({ ...p, files: new Set(p.files.keys()), skipped: false })),
    ...plan.skipped.map((s) => ({ ...s, files: new Set(s.files), skipped: true })),
  ].sort((a, b) => (order.get(a.spec) ?? 0) - (order.get(b.spec) ?? 0));

  if (values.json) {
    io.stdout(
      `${JSON.stringify(
        {
          ok: !failed && (!values.check || changes.length === 0),
          diagnostics,
          skipped: plan.skipped.length,
          providers: providers.map((p) => ({
            provider: p.provider,
            spec: p.spec,
            operations: p.operations,
            events: p.events,
            errorCodes: p.errorCodes,
            skipped: p.skipped,
            files: [...p.files].map((f) => displayPath(config, f)),
            written: values.check
              ? []
              : changes.filter((c) => c.change !== "orphan" && p.files.has(c.file)).map((c) => displayPath(config, c.file)),
          })),
          changes: changes.map((c) => ({ file: displayPath(config, c.file), change: c.change })),
        },
        null,
        2,
      )}\n`,
    );
  } else {
    printDiagnostics(io, diagnostics, texts);
    if (!failed) {
      for (const p of providers) {
        const touched = changes.filter((c) => p.files.has(c.file)).length;
        const verb = `${values.check ? `${touched} out of date` : `${touched} written`}${p.skipped ? "; skipped: inputs unchanged" : ""}`;
        io.stdout(
          `${p.provider}: ${p.operations} operations, ${p.events} events, ${p.errorCodes} error codes, ${p.files.size} files (${verb}) from ${p.spec} in ${Math.round(p.elapsedMs)} ms\n`,
        );
      }
      if (values.check) {
        for (const c of changes)
          io.stderr(
            `${displayPath(config, c.file)}: ${c.change === "missing" ? "missing" : c.change === "stale" ? "stale (differs from what the spec generates)" : "orphaned (no spec generates it)"}\n`,
          );
        if (changes.length > 0)
          io.stderr(`${changes.length} generated file${changes.length === 1 ? " is" : "s are"} out of date: run 'switchboard generate'\n`);
      } else {
        const removed = changes.filter((c) => c.change === "orphan");
        for (const c of removed) io.stdout(`removed ${displayPath(config, c.file)}\n`);
      }
      io.stdout(`done in ${Math.round(performance.now() - started)} ms\n`);
    }
  }
  if (failed) return 1;
  return values.check && changes.length > 0 ? 1 : 0;
}

async function validateCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse("validate", args, { json: { type: "boolean" } } as const);
  if (values.help) {
    io.stdout(HELP["validate"]!);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError(`validate needs at least one spec file\n\n${HELP["validate"]}`);
  const config = resolveConfig({ cwd: io.cwd });
  const results = [];
  const { readSpec } = await pipeline();
  for (const file of positionals) results.push(await readSpec(config, path.resolve(io.cwd, file)));
  const diagnostics = results.flatMap((r) => r.diagnostics);
  if (values.json) {
    io.stdout(`${JSON.stringify({ ok: !hasErrors(diagnostics), diagnostics }, null, 2)}\n`);
  } else {
    printDiagnostics(io, diagnostics, new Map(results.map((r) => [r.file, r.text])));
    for (const r of results) if (r.model) io.stdout(`${r.file}: ok (${r.model.provider.name})\n`);
  }
  return hasErrors(diagnostics) ? 1 : 0;
}

async function newCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse("new", args, { specs: { type: "string" } } as const);
  if (values.help) {
    io.stdout(HELP["new"]!);
    return 0;
  }
  const [provider, ...extra] = positionals;
  if (provider === undefined || extra.length > 0) throw new UsageError(`new takes exactly one provider name\n\n${HELP["new"]}`);
  if (!/^[a-z][a-z0-9-]*$/.test(provider) || provider.length > 64) {
    throw new UsageError(`"${provider}" is not a provider name: use lower case letters, digits and '-', starting with a letter`);
  }
  const config = resolveConfig({ cwd: io.cwd, ...(typeof values.specs === "string" && { specsDir: values.specs }) });
  const file = path.join(config.specsDir, `${provider}.yaml`);
  if (existsSync(file)) {
    io.stderr(`switchboard: ${displayPath(config, file)} already exists; not overwriting it\n`);
    return 1;
  }
  const schema = fileURLToPath(new URL("schema/spec-v1.schema.json", packageRoot()));
  const schemaPath = path.relative(config.specsDir, schema).split(path.sep).join("/");
  await mkdir(config.specsDir, { recursive: true });
  await writeFile(file, starterSpec(provider, schemaPath), { encoding: "utf8", flag: "wx" });
  io.stdout(`wrote ${displayPath(config, file)}; edit it, then run 'switchboard generate'\n`);
  return 0;
}

async function authCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse("auth", args, {
    "client-id": { type: "string" },
    mode: { type: "string" },
    scope: { type: "string" },
    store: { type: "string" },
    key: { type: "string" },
    port: { type: "string" },
    timeout: { type: "string" },
    "no-open": { type: "boolean" },
    specs: { type: "string" },
  } as const);
  if (values.help) {
    io.stdout(HELP["auth"]!);
    return 0;
  }
  const [sub, provider, ...extra] = positionals;
  if (sub !== "login" || provider === undefined || extra.length > 0) throw new UsageError(`auth takes 'login PROVIDER'\n\n${HELP["auth"]}`);
  const clientId = values["client-id"] ?? process.env["SWITCHBOARD_CLIENT_ID"];
  if (!clientId) throw new UsageError(`--client-id (or SWITCHBOARD_CLIENT_ID) is required\n\n${HELP["auth"]}`);
  const port = values.port === undefined ? 0 : Number(values.port);
  const timeout = values.timeout === undefined ? 300 : Number(values.timeout);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0 to 65535`);
  if (!(timeout > 0)) throw new UsageError(`--timeout must be a positive number of seconds`);
  const config = resolveConfig({ cwd: io.cwd, ...(typeof values.specs === "string" && { specsDir: values.specs }) });
  const spec = await (await pipeline()).readSpec(config, path.join(config.specsDir, `${provider}.yaml`));
  if (!spec.model) {
    printDiagnostics(io, spec.diagnostics, new Map([[spec.file, spec.text]]));
    return 1;
  }
  const modes = Object.entries(spec.model.definition.auth.modes).filter(
    ([name, m]) => m.type === "oauth2" && (values.mode ?? name) === name,
  );
  if (modes.length !== 1) {
    io.stderr(
      `switchboard: ${values.mode ? `${provider} has no oauth2 mode "${values.mode}"` : `${provider} has ${modes.length} oauth2 modes; pick one with --mode`}\n`,
    );
    return 1;
  }
  const [modeName, mode] = modes[0]!;
  if (mode.type !== "oauth2") return 1;
  const { EncryptedFileTokenStore } = await import("@switchboard/runtime/auth/file-store");
  const { loopbackLogin, openInBrowser } = await import("./auth-login.js");
  const storeFile = path.resolve(io.cwd, values.store ?? ".switchboard/tokens.json");
  let store;
  try {
    store = new EncryptedFileTokenStore({ path: storeFile });
  } catch (error) {
    io.stderr(`switchboard: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  await mkdir(path.dirname(storeFile), { recursive: true });
  const secret = process.env["SWITCHBOARD_CLIENT_SECRET"];
  const key = values.key ?? `oauth2:${clientId}`;
  try {
    const tokens = await loopbackLogin(mode, {
      clientId,
      ...(secret && { clientSecret: secret }),
      ...(values.scope && { scopes: values.scope.split(/[\s,]+/).filter(Boolean) }),
      store,
      key,
      port,
      timeoutMs: timeout * 1000,
      onUrl: (url, redirectUri) => {
        io.stdout(
          `Waiting for the redirect to ${redirectUri} (${timeout} s).\nOpen this URL to authorize ${spec.model!.provider.title} (${modeName}):\n\n  ${url}\n\n`,
        );
        if (!values["no-open"]) openInBrowser(url);
      },
    });
    const expires = tokens.expiresAt === undefined ? "does not expire" : `expires ${new Date(tokens.expiresAt).toISOString()}`;
    io.stdout(
      `Stored tokens under "${key}" in ${path.relative(io.cwd, storeFile) || storeFile} (access token ${expires}${tokens.refreshToken ? ", refresh token kept" : ""}).\n`,
    );
    return 0;
  } catch (error) {
    const code = typeof (error as { code?: unknown }).code === "string" ? ` [${(error as { code: string }).code}]` : "";
    io.stderr(`switchboard: login failed${code}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

/** The package root (with a trailing slash), from either the source tree or dist/. */
function packageRoot(): URL {
  const here = new URL(".", import.meta.url);
  return here.pathname.includes("/dist/") ? new URL("../../../", here) : new URL("../../", here);
}
