/** The signed content of a delivery, built from the spec's parts: no re-serialisation, only the raw bytes. */
import type { WebhookContentPart, WebhookSignatureDefinition } from "../definition.js";

/** What the parts are filled from. `formParams` is read only when a part needs it. */
export interface ContentInputs {
  readonly body: string | Buffer;
  readonly timestamp?: string | undefined;
  readonly id?: string | undefined;
  readonly url?: string | undefined;
  readonly formParams?: () => FormParams;
}

export type FormParams = Readonly<Record<string, string | readonly string[]>>;

/**
 * The chunks of the signed content, in order; HMACs are fed chunk by chunk without copying the body.
 * Adjacent text parts are joined, so a Stripe-style `t.body` costs two updates, not three.
 */
export function contentChunks(parts: readonly WebhookContentPart[], inputs: ContentInputs): (string | Buffer)[] {
  const chunks: (string | Buffer)[] = [];
  for (const part of parts) {
    const chunk =
      typeof part === "object"
        ? part.literal
        : part === "body"
          ? inputs.body
          : part === "timestamp"
            ? (inputs.timestamp ?? "")
            : part === "id"
              ? (inputs.id ?? "")
              : part === "url"
                ? (inputs.url ?? "")
                : sortedFormParams(inputs.formParams?.() ?? {});
    const last = chunks.length - 1;
    if (typeof chunk === "string" && last >= 0 && typeof chunks[last] === "string") chunks[last] += chunk;
    else chunks.push(chunk);
  }
  return chunks;
}

/** Twilio's concatenation: names sorted by code unit, then name + value, each distinct value once, sorted. */
export function sortedFormParams(params: FormParams): string {
  let text = "";
  for (const name of Object.keys(params).sort()) {
    const value = params[name]!;
    if (typeof value === "string") text += name + value;
    else for (const v of [...new Set(value)].sort()) text += name + v;
  }
  return text;
}

/** A form-encoded body as name -> value, repeated names as arrays (what body parsers hand to Twilio's SDK). */
export function parseForm(body: string | Buffer): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  for (const [name, value] of new URLSearchParams(typeof body === "string" ? body : body.toString("utf8"))) {
    const previous = params[name];
    if (previous === undefined) params[name] = value;
    else if (typeof previous === "string") params[name] = [previous, value];
    else previous.push(value);
  }
  return params;
}

const DEFAULT_PORTS: Readonly<Record<string, string>> = { http: "80", https: "443" };

/** The URL as given, then (with `either`) the same URL with its default port added or removed. */
export function urlVariants(url: string, mode: WebhookSignatureDefinition["urlDefaultPort"]): string[] {
  if (mode === "exact") return [url];
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(.*)$/is.exec(url);
  const port = match && DEFAULT_PORTS[match[1]!.toLowerCase()];
  if (!match || port === undefined) return [url];
  const authority = match[2]!;
  const at = authority.lastIndexOf("@");
  const userinfo = authority.slice(0, at + 1);
  const hostPort = authority.slice(at + 1);
  const portMatch = /:(\d*)$/.exec(hostPort);
  const prefix = `${match[1]}://${userinfo}`;
  if (portMatch === null) return [url, `${prefix}${hostPort}:${port}${match[3]}`];
  if (portMatch[1] === port) return [url, `${prefix}${hostPort.slice(0, portMatch.index)}${match[3]}`];
  return [url];
}

/** One query parameter of a URL (the first of that name, form-decoded), undefined when absent. */
export function queryParam(url: string, name: string): string | undefined {
  const start = url.indexOf("?");
  if (start < 0) return undefined;
  const hash = url.indexOf("#", start);
  const end = hash < 0 ? url.length : hash;
  for (let at = start + 1; at < end; ) {
    let next = url.indexOf("&", at);
    if (next < 0 || next > end) next = end;
    const eq = url.indexOf("=", at);
    const keyEnd = eq >= 0 && eq < next ? eq : next;
    const key = url.slice(at, keyEnd);
    if (key === name || (/[%+]/.test(key) && formDecode(key) === name)) return formDecode(url.slice(Math.min(keyEnd + 1, next), next));
    at = next + 1;
  }
  return undefined;
}

function formDecode(text: string): string {
  if (!/[%+]/.test(text)) return text;
  try {
    return decodeURIComponent(text.replaceAll("+", " "));
  } catch {
    return new URLSearchParams(`x=${text}`).get("x") ?? text;
  }
}
