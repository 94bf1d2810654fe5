/**
 * `switchboard mock SPEC`: runs the spec-driven mock provider (switchboard/testing) on a port until
 * interrupted, printing one line per request. The webhook secret is read like `webhook`'s (--secret,
 * --secret-file, SWITCHBOARD_WEBHOOK_SECRET) and never printed.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { parseDuration } from "../common/duration.js";

export interface MockCliIo {
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Resolves when the mock should stop. @default the first SIGINT or SIGTERM */
  readonly untilStopped?: (mock: { readonly url: string }) => Promise<void>;
}

export const MOCK_HELP = `Usage: switchboard mock SPEC [--port N] [--fail-rate R] [--reset-rate R] [--latency D]
                        [--outage FROM-TO]... [--webhook-to URL] [--seed N] [--fixtures FILE] [SECRET]

Serves a mock of the provider SPEC describes (a spec file, or a provider name in --specs) until
interrupted: credentials checked as its auth section says, its OAuth endpoints, its declared rate
limits and headers, idempotency keys, request bodies validated against the operations' schemas,
answers from examples or made up from the response schemas. Prints one line per request.

Options:
  --port N            Port to listen on (default: any free port; the URL is printed)
  --host H            Address to listen on (default: 127.0.0.1)
  --fail-rate R       Share of API requests answered 503, 0 to 1 (default 0)
  --reset-rate R      Share of API requests whose connection is reset after they took effect (default 0)
  --latency D         Delay before every answer: 250ms, 1s (default 0)
  --outage FROM-TO    Answer 503 from FROM to TO after start, durations: 10s-40s (repeatable)
  --seed N            Seed of the fault dice (default 1)
  --fixtures FILE     JSON objects answers start from, keyed by their "object" const ({"resources": {...}} too)
  --webhook-to URL    Where POST /__switchboard/trigger?event=E sends signed deliveries
  --specs DIR         Folder with the specs, for a provider name (default: specs)
  -h, --help          Show this help

SECRET (the webhook signing secret; a PEM private key for ECDSA/Ed25519 schemes) is one of
--secret S, --secret-file FILE, or SWITCHBOARD_WEBHOOK_SECRET; without one, HMAC deliveries are signed
with a fresh secret, readable at GET /__switchboard/webhook-secret, never printed.

Control endpoints: GET /__switchboard/requests (the log as JSON); POST /__switchboard/trigger?event=E,
/rate-limit?count=N, /outage?on=true|false, /expire-token.
`;

class MockCliUsageError extends Error {}

function rate(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!(value >= 0 && value <= 1)) throw new MockCliUsageError(`--${name} must be a number from 0 to 1, got ${JSON.stringify(text)}`);
  return value;
}

function duration(name: string, text: string): number {
  try {
    return /^\d+$/.test(text) ? Number(text) : parseDuration(text);
  } catch {
    throw new MockCliUsageError(`--${name}: ${JSON.stringify(text)} is not a duration (250ms, 10s, 2m)`);
  }
}

export async function mockCommand(args: string[], io: MockCliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        "fail-rate": { type: "string" },
        "reset-rate": { type: "string" },
        latency: { type: "string" },
        outage: { type: "string", multiple: true },
        seed: { type: "string" },
        fixtures: { type: "string" },
        "webhook-to": { type: "string" },
        specs: { type: "string" },
        secret: { type: "string" },
        "secret-file": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    io.stderr(`switchboard: ${error instanceof Error ? error.message : String(error)}\n\n${MOCK_HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(MOCK_HELP);
    return 0;
  }
  try {
    if (positionals.length !== 1) throw new MockCliUsageError("name one spec file or provider");
    const given = positionals[0]!;
    const asFile = path.resolve(io.cwd, given);
    const file = existsSync(asFile) ? asFile : path.resolve(io.cwd, values.specs ?? "specs", `${given}.yaml`);
    if (!existsSync(file)) throw new MockCliUsageError(`no spec ${JSON.stringify(given)} (looked for ${asFile} and ${file})`);
    const port = values.port === undefined ? 0 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new MockCliUsageError(`--port must be a port number, got ${values.port}`);
    const outages = (values.outage ?? []).map((text) => {
      const [from, to, ...extra] = text.split("-");
      if (from === undefined || to === undefined || extra.length > 0)
        throw new MockCliUsageError(`--outage wants FROM-TO, got ${JSON.stringify(text)}`);
      const window = { from: duration("outage", from), to: duration("outage", to) };
      if (window.to <= window.from) throw new MockCliUsageError(`--outage ${text}: TO must be after FROM`);
      return window;
    });
    if (values.secret !== undefined && values["secret-file"] !== undefined)
      throw new MockCliUsageError("pass --secret or --secret-file, not both");
    let secret = values.secret ?? (io.env ?? process.env)["SWITCHBOARD_WEBHOOK_SECRET"];
    if (values["secret-file"] !== undefined)
      secret = (await readFile(path.resolve(io.cwd, values["secret-file"]), "utf8")).replace(/\r?\n$/, "");
    let fixtures: Record<string, unknown> | undefined;
    if (values.fixtures !== undefined) {
      const document = JSON.parse(await readFile(path.resolve(io.cwd, values.fixtures), "utf8")) as Record<string, unknown>;
      fixtures = (typeof document.resources === "object" && document.resources !== null ? document.resources : document) as Record<
        string,
        unknown
      >;
    }
    const failRate = rate("fail-rate", values["fail-rate"]);
    const resetRate = rate("reset-rate", values["reset-rate"]);
    const { startMockProvider, loadMockSpec, MockSpecError } = await import("../../testing/index.js");
    let spec;
    try {
      spec = loadMockSpec(file);
    } catch (error) {
      if (error instanceof MockSpecError) {
        io.stderr(`${error.message}\n`);
        return 1;
      }
      throw error;
    }
    const mock = await startMockProvider(spec, {
      port,
      ...(values.host !== undefined && { host: values.host }),
      ...(failRate !== undefined && { failRate }),
      ...(resetRate !== undefined && { resetRate }),
      ...(values.latency !== undefined && { latencyMs: duration("latency", values.latency) }),
      outages,
      ...(values.seed !== undefined && { seed: Number(values.seed) }),
      ...(fixtures !== undefined && { fixtures }),
      ...(values["webhook-to"] !== undefined && { webhookUrl: values["webhook-to"] }),
      ...(secret !== undefined && secret !== "" && { webhookSecret: secret }),
      controlEndpoints: true,
      onRequest: (r) =>
        io.stdout(
          `${r.method} ${r.path} ${r.status}${r.operation ? ` ${r.operation}` : ""}${r.fault ? ` [${r.fault}]` : ""}${r.replayed ? " [replayed]" : ""}\n`,
        ),
    });
    io.stdout(`switchboard mock: ${spec.definition.title} at ${mock.url}\n`);
    try {
      await (io.untilStopped ?? untilSignal)(mock);
    } finally {
      await mock.stop();
    }
    return 0;
  } catch (error) {
    if (error instanceof MockCliUsageError) {
      io.stderr(`switchboard: ${error.message}\n\n${MOCK_HELP}`);
      return 2;
    }
    throw error;
  }
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
