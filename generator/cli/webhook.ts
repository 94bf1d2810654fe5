/**
 * `switchboard webhook sign|send`: deliveries signed exactly as a provider would sign them, for local
 * testing. The secret is read from --secret, --secret-file or SWITCHBOARD_WEBHOOK_SECRET and is never
 * printed; only what the provider itself would send (headers derived from it, and for a shared-secret scheme
 * the body that repeats it) is. A scheme that writes into the body (a shared secret, a timestamp or the
 * signature in the JSON body) has that body printed and sent.
 */
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { isDeepStrictEqual, parseArgs } from "node:util";
import {
  handshakeAnswerContent,
  type HandshakeValueLocation,
  type ValueLocation,
  type WebhookHandshakeDefinition,
  type WebhooksDefinition,
} from "@switchboard/runtime/contract";
import { signWebhook, type SignedWebhook } from "@switchboard/runtime";
import { resolveConfig } from "../config.js";
import { readSpec } from "../generate.js";
import type { SpecModel } from "../model/ir.js";

export interface WebhookCliIo {
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** The whole of standard input (for --body -). */
  readonly readStdin?: () => Promise<Buffer>;
  /** Environment variables; SWITCHBOARD_WEBHOOK_SECRET is read from here. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

export const WEBHOOK_HELP = `Usage: switchboard webhook sign PROVIDER [--body FILE|-] [--timestamp N] [--url U] [--id ID] [--json] SECRET
       switchboard webhook send PROVIDER EVENT --to URL [--body FILE|-] SECRET
       switchboard webhook send PROVIDER --handshake NAME --to URL SECRET
       switchboard webhook replay (--sqlite FILE | --redis URL) [ID... | --all]   (see webhook replay --help)

sign prints the headers PROVIDER would send with the body (default: standard input), one per line;
with --json, {"headers": {...}, "url": ...}. For a scheme that writes into the body (a shared secret
repeated there, as Microsoft Graph's clientState; a timestamp or the signature in the body, as Linear's
webhookTimestamp or Mailgun's signature object) sign also prints that body, since that is what the
provider sends. send posts a correctly signed delivery of EVENT to URL
(the body defaults to a minimal event that names EVENT where the spec locates the type; for a text
payload, a line of text that names it) and prints the response status; it exits 1 unless the answer is
2xx. With --handshake, send posts the spec's named verification challenge (signed when the provider
signs it) with a random value and exits 0 only when the endpoint answers 2xx with exactly that value (in
the response header the spec names, where it answers in a header; or, for a JSON answer the spec spells
out, exactly that JSON: its literals, the value, and an HMAC of the value under SECRET where the spec asks
for one).

SECRET is one of:
  --secret S          the signing secret as the provider hands it out (PEM private key for ECDSA/Ed25519)
  --secret-file FILE  read it from a file
  (neither)           read it from the environment variable SWITCHBOARD_WEBHOOK_SECRET
The secret is never printed, except where a shared-secret scheme sends it: in the body, or as its header.

Options:
  --specs DIR         Folder with the specs (default: specs)
  --timestamp N       Unix seconds to sign with (default: now); for a scheme that writes its timestamps
                      in milliseconds or RFC 3339, the timestamp exactly as it is to be sent
  --method M          The request method, for schemes that sign it (default: POST)
  --url U             The URL the delivery is posted to (schemes such as Twilio's sign it)
  --id ID             The message id, for schemes that sign one (default: msg_<random>)
  --content-type T    Content-Type to send (default: what the spec's payload encoding implies)
  -h, --help          Show this help
`;

class WebhookUsageError extends Error {}

const OPTIONS = {
  specs: { type: "string" },
  secret: { type: "string" },
  "secret-file": { type: "string" },
  body: { type: "string" },
  timestamp: { type: "string" },
  url: { type: "string" },
  id: { type: "string" },
  method: { type: "string" },
  handshake: { type: "string" },
  to: { type: "string" },
  "content-type": { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export async function webhookCommand(args: readonly string[], io: WebhookCliIo): Promise<number> {
  if (args[0] === "replay") return (await import("./webhook-replay.js")).webhookReplayCommand(args.slice(1), io);
  try {
    return await run(args, io);
  } catch (error) {
    if (!(error instanceof WebhookUsageError)) throw error;
    io.stderr(`switchboard: ${error.message}\n\n${WEBHOOK_HELP}`);
    return 2;
  }
}

async function run(args: readonly string[], io: WebhookCliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new WebhookUsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(WEBHOOK_HELP);
    return 0;
  }
  const [action, provider, ...rest] = positionals;
  if (action !== "sign" && action !== "send") throw new WebhookUsageError(`webhook takes sign, send or replay, not ${action ?? "nothing"}`);
  if (provider === undefined) throw new WebhookUsageError(`webhook ${action} needs a provider`);
  if (action === "sign" && rest.length > 0) throw new WebhookUsageError(`webhook sign takes one provider (got ${rest.join(" ")})`);
  if (action === "send" && values.handshake === undefined && rest.length !== 1)
    throw new WebhookUsageError("webhook send takes a provider and one event type");
  if (action === "send" && values.handshake !== undefined && rest.length !== 0)
    throw new WebhookUsageError("webhook send --handshake takes a provider and no event type");
  if (action === "send" && values.to === undefined) throw new WebhookUsageError("webhook send needs --to URL");
  const model = await findSpec(values.specs, provider, io);
  const definition = model.definition.webhooks;
  if (definition === undefined) throw new WebhookUsageError(`${provider}'s spec declares no webhooks`);
  // Unix seconds, or for a scheme that writes its timestamps otherwise (ms, RFC 3339), the text as sent.
  const format = definition.signature.timestampFormat;
  const timestamp = values.timestamp === undefined || format !== undefined ? values.timestamp : Number(values.timestamp);
  if (typeof timestamp === "number" && !(Number.isInteger(timestamp) && timestamp >= 0))
    throw new WebhookUsageError(`--timestamp must be unix seconds`);
  const secret = await readSecret(values, io);
  if (action === "send" && values.handshake !== undefined) return sendHandshake(definition, values.handshake, values.to!, secret, io);
  const event = rest[0];
  const body =
    values.body !== undefined
      ? await readBody(values.body, io)
      : action === "sign"
        ? await readBody("-", io)
        : exampleBody(definition, event!);
  const url = values.url ?? values.to;
  const signed: SignedWebhook = signWebhook(definition, {
    body,
    secret,
    ...(timestamp !== undefined && { timestamp }),
    ...(values.id !== undefined && { id: values.id }),
    ...(values.method !== undefined && { method: values.method }),
    ...(url !== undefined && { url }),
    ...(values["content-type"] !== undefined && { contentType: values["content-type"] }),
  });
  const headers = { ...signed.headers, ...eventHeaders(definition, event) };

  if (action === "sign") {
    // A scheme that writes into the body (a shared secret, a timestamp, the signature): print that body.
    const sent = signed.body !== undefined ? { body: signed.body } : {};
    if (values.json) io.stdout(`${JSON.stringify({ headers, ...(signed.url !== undefined && { url: signed.url }), ...sent }, null, 2)}\n`);
    else {
      for (const [name, value] of Object.entries(headers)) io.stdout(`${name}: ${value}\n`);
      if (signed.url !== undefined && signed.url !== url) io.stdout(`# post to ${signed.url}\n`);
      if (signed.body !== undefined) io.stdout(`\n${signed.body}\n`);
    }
    return 0;
  }
  if (event !== undefined && model.events.length > 0 && !model.events.some((e) => e.type === event))
    io.stderr(`switchboard: warning: ${provider}'s spec declares no event "${event}"; sending it anyway\n`);
  const target = signed.url ?? values.to!;
  const delivered = await deliver(target, { method: "POST", headers, body: signed.body ?? body }, io);
  if (delivered === undefined) return 1;
  io.stdout(`POST ${target}: ${delivered.response.status} ${delivered.response.statusText}\n`);
  return delivered.response.ok ? 0 : 1;
}

/** Sends one request and reads its answer; undefined (said on stderr) when the endpoint cannot be reached. */
async function deliver(
  target: string,
  init: RequestInit,
  io: WebhookCliIo,
): Promise<{ readonly response: Response; readonly text: string } | undefined> {
  try {
    const response = await (io.fetch ?? fetch)(target, init);
    return { response, text: await response.text() };
  } catch (error) {
    // fetch's own message is "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, ...) is its cause.
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    const code = typeof (cause as { code?: unknown }).code === "string" ? `${(cause as { code: string }).code}: ` : "";
    const message = cause instanceof Error ? cause.message : String(cause);
    io.stderr(`switchboard: could not deliver to ${target}: ${code}${message.replace(/\s+/g, " ")}\n`);
    return undefined;
  }
}

/** Posts the named challenge with a random value; 0 when the endpoint echoes exactly that value. */
async function sendHandshake(definition: WebhooksDefinition, name: string, to: string, secret: string, io: WebhookCliIo): Promise<number> {
  const handshake = definition.handshakes?.find((h) => h.name === name);
  if (handshake === undefined) {
    const names = (definition.handshakes ?? []).map((h) => h.name);
    throw new WebhookUsageError(`no handshake "${name}" in the spec${names.length > 0 ? ` (it declares ${names.join(", ")})` : ""}`);
  }
  const challenge = `sb_challenge_${randomUUID().replaceAll("-", "")}`;
  const headers: Record<string, string> = {};
  const body: Record<string, unknown> = {};
  let url = to;
  const put = (at: HandshakeValueLocation, value: string | number) => {
    if ("header" in at) headers[at.header] = String(value);
    else if ("query" in at) url += `${url.includes("?") ? "&" : "?"}${encodeURIComponent(at.query)}=${encodeURIComponent(value)}`;
    else setPath(body, at.body, value);
  };
  put(handshake.when.at, handshake.when.equals ?? challenge);
  if (handshake.echo !== undefined) put(handshake.echo, challenge);
  const method = handshake.method ?? "POST";
  // A JSON body where the spec locates a value in one; otherwise none (Asana's handshake POST has none).
  const text = method === "GET" || method === "HEAD" ? undefined : Object.keys(body).length > 0 ? JSON.stringify(body) : "";
  if (handshake.authenticated) {
    const signed = signWebhook(definition, { body: text ?? "", secret, url, method, contentType: "application/json" });
    Object.assign(headers, signed.headers);
  }
  const delivered = await deliver(url, { method, headers, ...(text !== undefined && { body: text }) }, io);
  if (delivered === undefined) return 1;
  const { response, text: answer } = delivered;
  const respond = handshake.respond;
  if (typeof respond === "object" && "header" in respond) {
    // Only the header counts: an echo in the body instead fails the provider's setup (Asana's X-Hook-Secret).
    const echoed = response.ok && response.headers.get(respond.header) === challenge;
    io.stdout(
      `${method} ${to} (${name}): ${response.status} ${response.statusText}, challenge ${echoed ? "echoed" : "NOT echoed"} in the ${respond.header} header\n`,
    );
    return echoed ? 0 : 1;
  }
  if (typeof respond === "string") {
    const echoed = response.ok && (answer.trim() === challenge || (respond === "json" && jsonOf(answer)?.challenge === challenge));
    io.stdout(`${method} ${to} (${name}): ${response.status} ${response.statusText}, challenge ${echoed ? "echoed" : "NOT echoed"}\n`);
    return echoed ? 0 : 1;
  }
  const answered = response.ok && isDeepStrictEqual(jsonOf(answer), JSON.parse(expectedAnswer(definition, handshake, challenge, secret)));
  io.stdout(
    `${method} ${to} (${name}): ${response.status} ${response.statusText}, ${answered ? "answered as the spec says" : "NOT answered as the spec says"}\n`,
  );
  return answered ? 0 : 1;
}

/** The JSON answer the spec asks for: literals, the challenge, and an HMAC of it under the secret (a signed challenge only). */
function expectedAnswer(definition: WebhooksDefinition, handshake: WebhookHandshakeDefinition, challenge: string, secret: string): string {
  const echo = handshake.echo !== undefined ? challenge : undefined;
  const key = handshake.authenticated ? secret : undefined;
  return handshakeAnswerContent(handshake, echo, key, definition.signature.secretEncoding).body;
}

function jsonOf(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

async function findSpec(specsDir: string | undefined, provider: string, io: WebhookCliIo): Promise<SpecModel> {
  const config = resolveConfig({ cwd: io.cwd, ...(specsDir !== undefined && { specsDir }) });
  const named = path.join(config.specsDir, `${provider}.yaml`);
  const candidates = existsSync(named)
    ? [named]
    : existsSync(config.specsDir)
      ? (await readdir(config.specsDir))
          .filter((f) => /\.ya?ml$/.test(f))
          .sort()
          .map((f) => path.join(config.specsDir, f))
      : [];
  for (const file of candidates) {
    const result = await readSpec(config, file);
    if (result.model?.provider.name === provider) return result.model;
    if (file === named && result.model === undefined)
      throw new WebhookUsageError(`${result.file} has errors: run 'switchboard validate ${result.file}'`);
  }
  throw new WebhookUsageError(`no spec for provider "${provider}" in ${path.relative(io.cwd, config.specsDir) || "."}`);
}

async function readSecret(values: { secret?: string; "secret-file"?: string }, io: WebhookCliIo): Promise<string> {
  if (values.secret !== undefined && values["secret-file"] !== undefined)
    throw new WebhookUsageError("pass --secret or --secret-file, not both");
  if (values.secret !== undefined) return values.secret;
  if (values["secret-file"] !== undefined) {
    try {
      return (await readFile(path.resolve(io.cwd, values["secret-file"]), "utf8")).replace(/\r?\n$/, "");
    } catch {
      throw new WebhookUsageError(`cannot read the secret file ${values["secret-file"]}`);
    }
  }
  const fromEnv = (io.env ?? process.env)["SWITCHBOARD_WEBHOOK_SECRET"];
  if (fromEnv === undefined || fromEnv === "")
    throw new WebhookUsageError("no secret: pass --secret, --secret-file or set SWITCHBOARD_WEBHOOK_SECRET");
  return fromEnv;
}

async function readBody(source: string, io: WebhookCliIo): Promise<Buffer> {
  if (source === "-") {
    if (io.readStdin === undefined) throw new WebhookUsageError("no standard input to read the body from: pass --body FILE");
    return io.readStdin();
  }
  try {
    return await readFile(path.resolve(io.cwd, source));
  } catch {
    throw new WebhookUsageError(`cannot read the body file ${source}`);
  }
}

/** A minimal body naming the event where the spec locates the type (and an id where it locates one). */
function exampleBody(definition: WebhooksDefinition, event: string): Buffer {
  // A text payload names nothing in its body (validate keeps the type and id in headers): a line of text.
  if (definition.payload.encoding === "text") return Buffer.from(`switchboard sample delivery: ${event}\n`);
  const form =
    definition.payload.encoding === "form" || (definition.payload.encoding === "auto" && first(definition.eventType, "form") !== undefined);
  if (form) {
    const params = new URLSearchParams();
    const typeField = first(definition.eventType, "form");
    const idField = first(definition.eventId, "form");
    if (idField !== undefined) params.set(idField.form, `sb_${randomUUID()}`);
    if (typeField !== undefined) params.set(typeField.form, event);
    return Buffer.from(params.toString());
  }
  const body: Record<string, unknown> = {};
  // A shared secret's place (Graph: value[*].clientState) made to exist, with one item per array.
  const shared = definition.signature.sharedSecret;
  if (shared !== undefined && "at" in shared) setPath(body, shared.at, "");
  const idPath = first(definition.eventId, "body");
  if (idPath !== undefined) setPath(body, idPath.body, `evt_sb_${randomUUID().replaceAll("-", "")}`);
  const typePath = first(definition.eventType, "body");
  if (typePath !== undefined) setPath(body, typePath.body, event);
  return Buffer.from(JSON.stringify(body));
}

/** Headers that carry the event's type and id where the spec locates them in headers (GitHub, Shopify). */
function eventHeaders(definition: WebhooksDefinition, event: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  const typeHeader = first(definition.eventType, "header");
  if (event !== undefined && typeHeader !== undefined) headers[typeHeader.header] = event;
  const idHeader = first(definition.eventId, "header");
  const signed = [definition.signature.idHeader, ...definition.signature.alternativeHeaders.map((s) => s.idHeader)];
  if (event !== undefined && idHeader !== undefined && !signed.includes(idHeader.header)) headers[idHeader.header] = randomUUID();
  return headers;
}

function first<K extends "header" | "body" | "form">(
  locations: readonly ValueLocation[] | undefined,
  kind: K,
): Extract<ValueLocation, Record<K, unknown>> | undefined {
  return locations?.find((l): l is Extract<ValueLocation, Record<K, unknown>> => kind in l);
}

/** Sets `value` at `segments`, making the objects on the way (and an array of one item for a `*` or index segment). */
function setPath(target: Record<string, unknown>, segments: readonly (string | number)[], value: unknown): void {
  let node: Record<string | number, unknown> = target;
  segments.forEach((segment, index) => {
    const key = segment === "*" ? 0 : segment;
    const next = segments[index + 1];
    if (index === segments.length - 1) node[key] = value;
    else node = (node[key] ??= next === "*" || typeof next === "number" ? [] : {}) as Record<string | number, unknown>;
  });
}
