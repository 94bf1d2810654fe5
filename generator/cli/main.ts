/**
 * The `switchboard` command. Exit codes: 0 ok, 1 diagnostics or stale output, 2 usage.
 */
import { existsSync, readFileSync, watch } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import {
  CONFIG_FILE,
  ConfigFileError,
  displayPath,
  readConfigFile,
  resolveConfig,
  type GeneratorConfig,
  type GeneratorOptions,
} from "../config.js";
import { didYouMean } from "../common/did-you-mean.js";
import { formatDiagnostic, hasErrors, sortDiagnostics, type Diagnostic } from "../diagnostics.js";
import type { GenerateResult } from "../generate.js";
import { planGeneration, recordGeneratorStamp } from "../output/manifest.js";
import { progressLine } from "./progress.js";
import { starterSpec } from "./scaffold.js";
import { findSpecs } from "../spec-files.js";
import { GENERATOR_VERSION } from "../version.js";
import type { WebhookCliIo } from "./webhook.js";
import type { MockCliIo } from "./mock.js";
import { applyChanges, diffOutput } from "../output/write.js";

// The pipeline (generate.ts: prettier, ajv) is imported only by the commands that run it,
// and by `generate` only when some spec has to be regenerated: a no-change run stays fast.
const pipeline = () => import("../generate.js");

export interface CliIo extends WebhookCliIo, Pick<MockCliIo, "untilStopped"> {
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Whether stderr is a terminal: `generate` then shows its progress there (bin/switchboard.js sets it). */
  readonly stderrIsTTY?: boolean;
  /** Ends `generate --watch` when aborted (bin/switchboard.js aborts it on SIGINT / SIGTERM). */
  readonly signal?: AbortSignal;
}

const HELP: Record<string, string> = {
  main: `switchboard ${GENERATOR_VERSION}: typed API clients from declarative provider specs

Usage: switchboard <command> [options]

Commands:
  init       Write switchboard.config.json (specs folder, output folder, runtime import)
  add        Copy a bundled provider's spec into the specs folder ('switchboard add' lists them)
  generate   Validate every spec and write generated/<provider>/ (or --check it, or --watch)
  validate   Validate spec files and print every problem
  new        Write a commented starter spec for a provider
  webhook    Sign a webhook body as a provider would (sign), post a signed delivery (send), or list and
             replay an inbox's dead letters (replay)
  mock       Serve a mock of a provider, driven by its spec (limits, faults, OAuth, webhooks)
  auth login Authorize with a provider's OAuth 2.0 mode in the browser and store the tokens

Run 'switchboard <command> --help' for a command's options.
Exit codes: 0 ok, 1 diagnostics or stale output, 2 usage error.
`,
  init: `Usage: switchboard init [--specs DIR] [--out DIR] [--runtime-import SPEC]

Writes switchboard.config.json in the current folder, creates the specs folder, and prints the step
to add to CI. Every command reads the file from the folder it runs in; command-line options win.

Options:
  --specs DIR    Folder with the specs (default: specs)
  --out DIR      Output folder (default: generated)
  --runtime-import SPEC  Module generated code imports the runtime from (default: @switchboard/runtime/contract)
  -h, --help     Show this help
`,
  add: `Usage: switchboard add [--specs DIR] PROVIDER...
       switchboard add            (lists the bundled providers)

Copies the spec of each bundled PROVIDER into the specs folder. A spec that imports an OpenAPI document
imports the slice of it that ships in this package (switchboard/providers/PROVIDER/...), so nothing else
needs to be installed. Never overwrites a file.

Options:
  --specs DIR    Folder to write the spec in (default: specs, or "specs" of switchboard.config.json)
  -h, --help     Show this help
`,
  generate: `Usage: switchboard generate [--specs DIR] [--out DIR] [--check] [--force] [--json] [--watch]

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
  --watch        Generate, then again whenever a file in the specs folder or the config file changes
                 (imported documents are not watched); stop with Ctrl-C
  -h, --help     Show this help

Options not given come from switchboard.config.json in the current folder, if there is one.
`,
  validate: `Usage: switchboard validate [--json] [--specs DIR] [FILES...]

Checks each spec against the spec language and prints every problem as file:line:col. Without FILES,
every spec (*.yaml, *.yml) of the specs folder.

Options:
  --json         Print diagnostics as JSON on stdout
  --specs DIR    Folder with the specs, when no FILES are given (default: specs)
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
  SWITCHBOARD_CLIENT_SECRET      the OAuth client secret (required unless the mode says
                                 tokenEndpointAuthMethod: none)
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
    throw new UsageError(`${optionError(command, error, Object.keys(options))}\nRun 'switchboard ${command} --help' for its options.`);
  }
}

/** node:util parseArgs' error as one line of our own: the option, what is wrong, and a did-you-mean. */
function optionError(command: string, error: unknown, known: readonly string[]): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  const option = /'(-[^' ]*)/.exec(message)?.[1] ?? "";
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const name = option.replace(/^-+/, "").replace(/=.*$/, "");
    const hint = didYouMean(name, known);
    return `${command} has no option ${option}${hint.replace(/"([^"]+)"/, "--$1")}`;
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    return message.includes("argument missing") ? `${option} needs a value` : `${option} takes no value`;
  }
  return message;
}

/** Options from switchboard.config.json in the working folder, overridden by the given flags. */
function loadConfig(io: CliIo, flags: Omit<GeneratorOptions, "cwd">): GeneratorConfig {
  let fromFile: Omit<GeneratorOptions, "cwd">;
  try {
    fromFile = readConfigFile(io.cwd, (file) => (existsSync(file) ? readFileSync(file, "utf8") : undefined));
  } catch (error) {
    if (error instanceof ConfigFileError) throw new UsageError(error.message);
    throw error;
  }
  return resolveConfig({ cwd: io.cwd, ...fromFile, ...flags });
}

const COMMANDS = ["init", "add", "generate", "validate", "new", "webhook", "auth", "help"];

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
      case "init":
        return await initCommand(rest, io);
      case "add":
        return await addCommand(rest, io);
      case "generate":
        return await generateCommand(rest, io);
      case "validate":
        return await validateCommand(rest, io);
      case "new":
        return await newCommand(rest, io);
      case "webhook":
        return await (await import("./webhook.js")).webhookCommand(rest, io);
      case "mock":
        return await (await import("./mock.js")).mockCommand(rest, io);
      case "auth":
        return await authCommand(rest, io);
      default:
        throw new UsageError(`unknown command "${command}"${didYouMean(command, COMMANDS)}\nRun 'switchboard --help' for the commands.`);
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
    watch: { type: "boolean" },
  } as const);
  if (values.help) {
    io.stdout(HELP["generate"]!);
    return 0;
  }
  if (positionals.length > 0)
    throw new UsageError(`generate takes no file arguments (got ${positionals.join(" ")})\n\n${HELP["generate"]}`);
  if (values.watch && (values.check || values.json))
    throw new UsageError(`--watch cannot be combined with ${values.check ? "--check" : "--json"}`);
  const config = loadConfig(io, {
    ...(typeof values.specs === "string" && { specsDir: values.specs }),
    ...(typeof values.out === "string" && { outDir: values.out }),
    ...(typeof values["runtime-import"] === "string" && { runtimeImport: values["runtime-import"] }),
  });
  if (!existsSync(config.specsDir)) throw new UsageError(`specs folder ${displayPath(config, config.specsDir)} does not exist`);
  if (!values.watch) return await generateOnce(config, values, io);
  return await watchAndGenerate(config, values, io);
}

type GenerateFlags = { readonly check?: boolean; readonly force?: boolean; readonly json?: boolean };

/**
 * `generate --watch`: one run, then another whenever a file in the specs folder or the config file
 * changes (changes within 100 ms make one run), until io.signal aborts. Exit code: the last run's.
 */
async function watchAndGenerate(config: GeneratorConfig, flags: GenerateFlags, io: CliIo): Promise<number> {
  let code = await generateOnce(config, flags, io);
  io.stdout(`watching ${displayPath(config, config.specsDir)}/ and ${CONFIG_FILE} (Ctrl-C to stop)\n`);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const rerun = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(async () => {
        io.stdout(`change detected; generating\n`);
        code = await generateOnce(config, flags, io).catch((error: unknown) => {
          io.stderr(`switchboard: ${error instanceof Error ? error.message : String(error)}\n`);
          return 1;
        });
      });
    }, 100);
  };
  const watchers = [
    watch(config.specsDir, rerun),
    ...(existsSync(path.join(config.cwd, CONFIG_FILE)) ? [watch(path.join(config.cwd, CONFIG_FILE), rerun)] : []),
  ];
  await new Promise<void>((resolve) => {
    if (io.signal === undefined || io.signal.aborted) return resolve();
    io.signal.addEventListener("abort", () => resolve(), { once: true });
  });
  for (const w of watchers) w.close();
  clearTimeout(timer);
  await running;
  return code;
}

async function generateOnce(config: GeneratorConfig, values: GenerateFlags, io: CliIo): Promise<number> {
  const started = performance.now();
  const specFiles = await findSpecs(config.specsDir);
  let plan = await planGeneration(config, specFiles, { force: values.force === true });
  const progress = progressLine(io.stderr, io.stderrIsTTY);
  let result: GenerateResult =
    plan.regenerate.length > 0
      ? await (await pipeline()).generate(config, plan.regenerate, progress.update)
      : { specs: [], providers: [], diagnostics: [] };
  const skippedProviders = new Set(plan.skipped.map((s) => s.provider));
  if (result.providers.some((p) => skippedProviders.has(p.provider))) {
    // A changed or new spec names the provider of a skipped one: only a run over both reports that.
    plan = { skipped: [], regenerate: specFiles };
    result = await (await pipeline()).generate(config, specFiles, progress.update);
  }
  progress.clear();
  const texts = new Map([...result.specs.map((s) => [s.file, s.text] as const), ...plan.skipped.map((s) => [s.spec, s.specText] as const)]);
  const diagnostics = sortDiagnostics([...result.diagnostics, ...plan.skipped.flatMap((s) => s.warnings)]);
  const failed = hasErrors(diagnostics);
  const changes = failed ? [] : await diffOutput(result.providers, [config.outDir], new Set(plan.skipped.flatMap((s) => s.files)));
  if (!failed && !values.check) await applyChanges(result.providers, changes);
  // Output that is what this generator writes (after writing it, or found so by --check) gets its stamp:
  // the next run, --check included, skips what did not change instead of regenerating everything.
  if (!failed && (!values.check || changes.length === 0)) await recordGeneratorStamp(config);
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
  const { values, positionals } = parse("validate", args, { json: { type: "boolean" }, specs: { type: "string" } } as const);
  if (values.help) {
    io.stdout(HELP["validate"]!);
    return 0;
  }
  const config = loadConfig(io, typeof values.specs === "string" ? { specsDir: values.specs } : {});
  const files = positionals.length > 0 ? positionals.map((file) => path.resolve(io.cwd, file)) : await specsOf(config);
  const results = [];
  const { readSpec } = await pipeline();
  for (const file of files) results.push(await readSpec(config, file));
  const diagnostics = results.flatMap((r) => r.diagnostics);
  if (values.json) {
    io.stdout(`${JSON.stringify({ ok: !hasErrors(diagnostics), diagnostics }, null, 2)}\n`);
  } else {
    printDiagnostics(io, diagnostics, new Map(results.map((r) => [r.file, r.text])));
    for (const r of results) if (r.model) io.stdout(`${r.file}: ok (${r.model.provider.name})\n`);
  }
  return hasErrors(diagnostics) ? 1 : 0;
}

/** Every spec of the specs folder, for a command given no files; none is a usage error. */
async function specsOf(config: GeneratorConfig): Promise<string[]> {
  const where = displayPath(config, config.specsDir);
  const files = await findSpecs(config.specsDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT" || error.code === "ENOTDIR")
      throw new UsageError(`no specs folder ${where}: give spec files, or --specs DIR`);
    throw error;
  });
  if (files.length === 0) throw new UsageError(`no spec files (*.yaml) in ${where}: give spec files, or --specs DIR`);
  return files;
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
  const config = loadConfig(io, typeof values.specs === "string" ? { specsDir: values.specs } : {});
  const file = path.join(config.specsDir, `${provider}.yaml`);
  if (existsSync(file)) {
    io.stderr(`switchboard: ${displayPath(config, file)} already exists; not overwriting it\n`);
    return 1;
  }
  await mkdir(config.specsDir, { recursive: true });
  await writeFile(file, starterSpec(provider, schemaPathFrom(config.specsDir)), { encoding: "utf8", flag: "wx" });
  io.stdout(`wrote ${displayPath(config, file)}; edit it, then run 'switchboard generate'\n`);
  return 0;
}

/** The spec schema shipped in this package, as a path relative to a specs folder (for `$schema`). */
function schemaPathFrom(specsDir: string): string {
  const schema = fileURLToPath(new URL("schema/spec-v1.schema.json", packageRoot()));
  return path.relative(specsDir, schema).split(path.sep).join("/");
}

async function initCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse("init", args, {
    specs: { type: "string" },
    out: { type: "string" },
    "runtime-import": { type: "string" },
  } as const);
  if (values.help) {
    io.stdout(HELP["init"]!);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`init takes no arguments (got ${positionals.join(" ")})\n\n${HELP["init"]}`);
  const file = path.join(io.cwd, CONFIG_FILE);
  if (existsSync(file)) {
    io.stderr(`switchboard: ${CONFIG_FILE} already exists; not overwriting it\n`);
    return 1;
  }
  const settings = {
    specs: values.specs ?? "specs",
    out: values.out ?? "generated",
    runtimeImport: values["runtime-import"] ?? "@switchboard/runtime/contract",
  };
  const config = resolveConfig({ cwd: io.cwd, specsDir: settings.specs, outDir: settings.out, runtimeImport: settings.runtimeImport });
  await writeFile(file, `${JSON.stringify(settings, null, 2)}\n`, { encoding: "utf8", flag: "wx" });
  await mkdir(config.specsDir, { recursive: true });
  const bundled = await bundledProviders();
  io.stdout(
    `wrote ${CONFIG_FILE} (specs: ${displayPath(config, config.specsDir)}/, output: ${displayPath(config, config.outDir)}/, runtime import: ${settings.runtimeImport})\n` +
      `next: 'npx switchboard add PROVIDER' (bundled: ${bundled.map((p) => p.provider).join(", ")}) or 'npx switchboard new PROVIDER', then 'npx switchboard generate'\n` +
      `CI: after installing dependencies, run this step; it fails when ${displayPath(config, config.outDir)}/ is missing or stale:\n` +
      `  npx switchboard generate --check\n`,
  );
  return 0;
}

interface BundledProvider {
  readonly provider: string;
  readonly title: string;
  /** Path of the spec inside providers/. */
  readonly spec: string;
  /** Files the spec imports from its own folder (an OpenAPI slice and its license), relative to it. */
  readonly files?: readonly string[];
}

/** The providers this package bundles (providers/index.json, written by scripts/bundle-providers.js). */
async function bundledProviders(): Promise<BundledProvider[]> {
  try {
    const index = JSON.parse(await readFile(new URL("providers/index.json", packageRoot()), "utf8")) as { providers: BundledProvider[] };
    return index.providers;
  } catch {
    return [];
  }
}

async function addCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse("add", args, { specs: { type: "string" } } as const);
  if (values.help) {
    io.stdout(HELP["add"]!);
    return 0;
  }
  const bundled = await bundledProviders();
  if (positionals.length === 0) {
    for (const p of bundled) io.stdout(`${p.provider.padEnd(12)} ${p.title}\n`);
    return 0;
  }
  const byName = new Map(bundled.map((p) => [p.provider, p]));
  for (const name of positionals) {
    if (!byName.has(name))
      throw new UsageError(
        `no bundled provider "${name}"${didYouMean(name, byName.keys())} (bundled: ${[...byName.keys()].join(", ")}); 'switchboard new ${name}' starts a spec of your own`,
      );
  }
  const config = loadConfig(io, typeof values.specs === "string" ? { specsDir: values.specs } : {});
  await mkdir(config.specsDir, { recursive: true });
  let code = 0;
  for (const name of new Set(positionals)) {
    const entry = byName.get(name)!;
    const file = path.join(config.specsDir, `${name}.yaml`);
    if (existsSync(file)) {
      io.stderr(`switchboard: ${displayPath(config, file)} already exists; not overwriting it\n`);
      code = 1;
      continue;
    }
    const text = await readFile(new URL(`providers/${entry.spec}`, packageRoot()), "utf8");
    const schemaLine = `# yaml-language-server: $schema=${schemaPathFrom(config.specsDir)}`;
    const adapted = /^# yaml-language-server: \$schema=.*$/m.test(text)
      ? text.replace(/^# yaml-language-server: \$schema=.*$/m, schemaLine)
      : `${schemaLine}\n${text}`;
    await writeFile(file, adapted, { encoding: "utf8", flag: "wx" });
    io.stdout(`added ${displayPath(config, file)} (${entry.title})\n`);
    // The documents it imports from beside it; a copy the application already has is kept (it may be wider).
    const specDir = path.posix.dirname(entry.spec);
    for (const relative of entry.files ?? []) {
      const target = path.join(config.specsDir, ...relative.split("/"));
      if (existsSync(target)) {
        io.stdout(`kept ${displayPath(config, target)} (already there)\n`);
        continue;
      }
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, await readFile(new URL(`providers/${specDir}/${relative}`, packageRoot())), { flag: "wx" });
      io.stdout(`added ${displayPath(config, target)}\n`);
    }
  }
  if (code === 0) io.stdout(`next: 'npx switchboard generate'\n`);
  return code;
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
  const config = loadConfig(io, typeof values.specs === "string" ? { specsDir: values.specs } : {});
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
  const secret = process.env["SWITCHBOARD_CLIENT_SECRET"];
  if (mode.tokenEndpointAuthMethod !== "none" && !secret) {
    // Checked before any URL is printed: without it the exchange fails only after the user consented.
    io.stderr(
      `switchboard: ${provider}'s mode "${modeName}" authenticates the client with ${mode.tokenEndpointAuthMethod}: set SWITCHBOARD_CLIENT_SECRET to the client secret\n`,
    );
    return 1;
  }
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
    // Names only: the values (an org's URL, a workspace id) are kept as secret as the tokens.
    const kept = Object.keys(tokens.fields ?? {});
    if (kept.length > 0) io.stdout(`Kept from the token answer: ${kept.join(", ")} (read them with getTokenFields()).\n`);
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
