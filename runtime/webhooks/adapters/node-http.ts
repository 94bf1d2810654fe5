/**
 * `@switchboard/runtime/webhooks/node`: a `node:http` request listener (also usable as Connect-style
 * middleware that ends the response) that reads the raw body bytes and runs a webhook handler.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { answerNodeRequest, checkAdapterInputs, readRawBody, type NodeAdapterOptions } from "../../internal/webhook-node-io.js";
import type { WebhookHandler } from "../handler.js";

export type { NodeAdapterOptions } from "../../internal/webhook-node-io.js";

/**
 * Wraps a handler from `createWebhookHandler` as `(request, response) => Promise<void>`, for
 * `http.createServer(listener)` or a route of a framework that gives Node's request and response.
 * The request stream must not have been read by anything before: the exact bytes are what is verified.
 *
 * @example
 * http.createServer(createNodeWebhookListener(createWebhookHandler({ verify, handle }))).listen(3000);
 */
export function createNodeWebhookListener(
  handler: WebhookHandler,
  options: NodeAdapterOptions = {},
): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  const limit = checkAdapterInputs("createNodeWebhookListener", handler, options);
  return (request, response) => answerNodeRequest(handler, request, response, () => readRawBody(request, limit), options);
}
