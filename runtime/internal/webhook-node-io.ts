/** Shared by the node:http, Express and Fastify adapters: raw body reading, deliveries from Node requests, replies. */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import type { TLSSocket } from "node:tls";
import { ConfigurationError } from "../errors/errors.js";
import { positiveInteger } from "../webhooks/dedup-store.js";
import type { WebhookDelivery } from "../webhooks/delivery.js";
import { reportReceiveError, webhookErrorResponse, type WebhookHandler, type WebhookResponse } from "../webhooks/handler.js";

/** 1 MiB, the default limit on a raw webhook body read by an adapter. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export class BodyTooLargeError extends Error {
  override readonly name = "BodyTooLargeError";
}

/** Options every adapter takes. */
export interface AdapterOptions {
  /**
   * The largest body read, in bytes; a larger one is answered 413 `payload_too_large` without being
   * buffered whole or verified. GitHub sends up to 25 MB: raise it there.
   * @default 1048576
   */
  readonly maxBodyBytes?: number;
}

/** Checks what every adapter factory is given: a handler function and a sane body limit. */
export function checkAdapterInputs(adapter: string, handler: unknown, options: AdapterOptions): number {
  if (typeof handler !== "function") throw new ConfigurationError(`${adapter} needs the handler that createWebhookHandler returns`);
  return maxBodyBytes(options);
}

export function maxBodyBytes(options: AdapterOptions): number {
  return positiveInteger("maxBodyBytes", options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
}

/** Reads the request stream to its end, or rejects with `BodyTooLargeError` past `limit` bytes. */
export async function readRawBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLargeError();
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of request) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    length += buffer.length;
    if (length > limit) throw new BodyTooLargeError();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, length);
}

/** The URL a provider posted to, as far as the request tells it; pass `url` to an adapter behind a proxy. */
export function requestUrl(request: IncomingMessage): string {
  const encrypted = (request.socket as Partial<TLSSocket>).encrypted === true;
  return `${encrypted ? "https" : "http"}://${request.headers.host ?? "localhost"}${request.url ?? "/"}`;
}

export function nodeDelivery(request: IncomingMessage, body: Uint8Array, url: string): WebhookDelivery {
  return { headers: request.headers as IncomingHttpHeaders, body, url, method: request.method ?? "POST" };
}

export function writeResponse(response: ServerResponse, reply: WebhookResponse): void {
  response.writeHead(reply.status, { ...reply.headers, "content-length": String(Buffer.byteLength(reply.body)) });
  response.end(reply.body);
}

/** A request whose body a parser already consumed cannot be verified: its bytes are gone. */
export function bodyAlreadyConsumed(adapter: string, advice: string): ConfigurationError {
  return new ConfigurationError(`${adapter}: the request body was already read and parsed, so its raw bytes cannot be verified; ${advice}`);
}

/** Options of the adapters that run on Node's request and response objects. */
export interface NodeAdapterOptions<Request extends IncomingMessage = IncomingMessage> extends AdapterOptions {
  /**
   * The full URL the provider posted to. Schemes that sign the URL (Twilio) need the public one, which
   * a server behind a proxy must say itself.
   * @default `http(s)://${Host header}${request.url}`
   */
  readonly url?: (request: Request) => string;
  /**
   * Called with a request that could not be turned into a delivery (answered 500): a misconfiguration. The
   * handler's own `onError` (createWebhookHandler's, createInboxWebhookHandler's) is told too, as stage `receive`.
   */
  readonly onError?: (error: unknown) => void;
}

/**
 * Gets the raw body from `source`, runs the handler and writes its reply: 413 when the body is over the
 * limit, 500 (and `onError`, the adapter's and the handler's) when `source` throws anything else, such as a
 * consumed body.
 */
export async function answerNodeRequest<Request extends IncomingMessage>(
  handler: WebhookHandler,
  request: Request,
  response: ServerResponse,
  source: () => Promise<Uint8Array> | Uint8Array,
  options: NodeAdapterOptions<Request>,
): Promise<void> {
  let body: Uint8Array;
  try {
    body = await source();
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      // Do not read the rest of an oversized body; close the connection after answering.
      response.setHeader("connection", "close");
      writeResponse(response, webhookErrorResponse("payload_too_large"));
      return;
    }
    try {
      options.onError?.(error);
    } catch {
      // A hook that throws does not change the answer, nor keep the handler's onError from hearing of it.
    }
    reportReceiveError(handler, error);
    writeResponse(response, webhookErrorResponse("internal_error"));
    return;
  }
  const url = options.url ? options.url(request) : requestUrl(request);
  writeResponse(response, await handler(nodeDelivery(request, body, url)));
}
