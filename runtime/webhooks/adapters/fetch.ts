/**
 * `@switchboard/runtime/webhooks/fetch`: a Fetch API handler, `(request: Request) => Promise<Response>`, for
 * Hono (`c.req.raw`), Next.js route handlers, Deno, Bun and workers. The body is read as bytes from
 * the request stream, never through `request.json()`.
 */
import { checkAdapterInputs, type AdapterOptions } from "../../internal/webhook-node-io.js";
import { webhookErrorResponse, type WebhookHandler, type WebhookResponse } from "../handler.js";

export type FetchWebhookOptions = AdapterOptions;

/**
 * @example
 * // Hono
 * app.post("/webhooks/stripe", (c) => onWebhook(c.req.raw));
 * // Next.js app router: app/webhooks/stripe/route.ts
 * export const POST = createFetchWebhookHandler(createWebhookHandler({ verify, handle }));
 */
export function createFetchWebhookHandler(
  handler: WebhookHandler,
  options: FetchWebhookOptions = {},
): (request: Request) => Promise<Response> {
  const limit = checkAdapterInputs("createFetchWebhookHandler", handler, options);
  return async (request) => {
    const body = await readBody(request, limit);
    if (body === undefined) return toResponse(webhookErrorResponse("payload_too_large"));
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return toResponse(await handler({ headers, body, url: request.url, method: request.method }));
  };
}

/** The body's bytes, or `undefined` past `limit` (the stream is cancelled, not read to its end). */
async function readBody(request: Request, limit: number): Promise<Uint8Array | undefined> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) return undefined;
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.byteLength;
    if (length > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

function toResponse(answer: WebhookResponse): Response {
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}
