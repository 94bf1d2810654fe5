/**
 * `@switchboard/runtime/webhooks/express`: an Express route handler (Express 4 and 5; typed structurally, so it needs
 * no Express types) that verifies the exact raw body bytes.
 *
 * Where the bytes come from, in order:
 * 1. `req.body` when it is a Buffer (`express.raw()` ran on the route);
 * 2. the bytes kept by `keepRawBody`, when a global `express.json({ verify: keepRawBody })` parsed it;
 * 3. the request stream, when no parser read it (the route is mounted before `express.json()`, or
 *    `express.json()` is mounted on other paths, or its content type did not match).
 * A body that a parser consumed without keeping the bytes is answered 500 and reported to `onError`:
 * a re-serialized body is never verified.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  answerNodeRequest,
  bodyAlreadyConsumed,
  checkAdapterInputs,
  readRawBody,
  type NodeAdapterOptions,
} from "../../internal/webhook-node-io.js";
import type { WebhookHandler } from "../handler.js";

export type { NodeAdapterOptions } from "../../internal/webhook-node-io.js";

const RAW_BODY = Symbol.for("switchboard.webhooks.rawBody");

/** The part of an Express request the adapter reads. */
export type ExpressLikeRequest = IncomingMessage & {
  body?: unknown;
  originalUrl?: string;
  protocol?: string;
  get?(name: string): string | undefined;
};

/**
 * A `verify` callback for body-parser (`express.json({ verify: keepRawBody })`, `express.urlencoded`,
 * `express.text`) that keeps the raw bytes on the request so a webhook route after a global parser
 * still verifies them.
 */
export function keepRawBody(request: IncomingMessage, _response: ServerResponse, buffer: Buffer): void {
  Object.defineProperty(request, RAW_BODY, { value: buffer, enumerable: false, configurable: true });
}

/**
 * Wraps a handler from `createWebhookHandler` as an Express route handler.
 *
 * @example
 * app.post("/webhooks/stripe", createExpressWebhookHandler(createWebhookHandler({ verify, handle })));
 * app.use(express.json()); // other routes may parse JSON; mount it after, on other paths, or with { verify: keepRawBody }
 * // A provider that verifies the endpoint with a GET challenge (Dropbox): route GET to it too.
 * app.all("/webhooks/dropbox", createExpressWebhookHandler(createWebhookHandler({ verify, handle })));
 */
export function createExpressWebhookHandler(
  handler: WebhookHandler,
  options: NodeAdapterOptions<ExpressLikeRequest> = {},
): (request: ExpressLikeRequest, response: ServerResponse, next?: (error?: unknown) => void) => Promise<void> {
  const limit = checkAdapterInputs("createExpressWebhookHandler", handler, options);
  const withUrl: NodeAdapterOptions<ExpressLikeRequest> = { url: expressUrl, ...options };
  return (request, response) => answerNodeRequest(handler, request, response, () => expressRawBody(request, limit), withUrl);
}

function expressRawBody(request: ExpressLikeRequest, limit: number): Promise<Uint8Array> | Uint8Array {
  if (Buffer.isBuffer(request.body)) return request.body;
  const kept = (request as unknown as Record<symbol, unknown>)[RAW_BODY];
  if (Buffer.isBuffer(kept)) return kept;
  if (request.readableEnded) {
    throw bodyAlreadyConsumed(
      "createExpressWebhookHandler",
      "mount the webhook route before express.json(), mount express.json() on other paths, put express.raw() on the route, or parse with express.json({ verify: keepRawBody })",
    );
  }
  return readRawBody(request, limit);
}

/** Express knows the protocol (`trust proxy` decides whether X-Forwarded-Proto counts) and the original URL. */
function expressUrl(request: ExpressLikeRequest): string {
  const protocol = request.protocol ?? "http";
  const host = request.get?.("host") ?? request.headers.host ?? "localhost";
  return `${protocol}://${host}${request.originalUrl ?? request.url ?? "/"}`;
}
