/**
 * `@switchboard/runtime/webhooks/fastify`: a Fastify plugin that registers one route, for POST and GET, whose
 * body is kept as the raw Buffer. GET reaches the handler as it does on the node:http and fetch adapters, so
 * a GET challenge the spec declares (Dropbox's `?challenge=`) is answered; any other GET is verified like
 * any delivery (and, unsigned, answered 401). The plugin is encapsulated (not wrapped in fastify-plugin): it removes the JSON and
 * text parsers inside its own context only, so the rest of the application parses bodies as before.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { ConfigurationError } from "../../errors/errors.js";
import { checkAdapterInputs, nodeDelivery } from "../../internal/webhook-node-io.js";
import { webhookErrorResponse, type WebhookHandler, type WebhookResponse } from "../handler.js";

export interface FastifyWebhookOptions {
  /** The route path, relative to the prefix the plugin is registered with. */
  readonly path: string;
  /** The largest body read, in bytes; a larger one is answered 413 `payload_too_large`. @default 1048576 */
  readonly maxBodyBytes?: number;
  /**
   * The full URL the provider posted to.
   * @default `${request.protocol}://${request.host}${request.url}` (Fastify's `trustProxy` decides what counts;
   * on Fastify 4, which has no `request.host`, its `request.hostname`, which there includes the port)
   */
  readonly url?: (request: FastifyRequest) => string;
}

/**
 * @example
 * await app.register(fastifyWebhookPlugin(createWebhookHandler({ verify, handle }), { path: "/webhooks/stripe" }));
 */
export function fastifyWebhookPlugin(
  handler: WebhookHandler,
  options: FastifyWebhookOptions,
): (instance: FastifyInstance, pluginOptions: unknown) => Promise<void> {
  if (typeof options?.path !== "string" || !options.path.startsWith("/"))
    throw new ConfigurationError("fastifyWebhookPlugin needs a path that starts with /");
  const bodyLimit = checkAdapterInputs("fastifyWebhookPlugin", handler, options);
  const url =
    options.url ??
    ((request: FastifyRequest) => `${request.protocol}://${(request as { host?: string }).host ?? request.hostname}${request.url}`);
  return async function switchboardWebhooks(instance) {
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser("*", { parseAs: "buffer", bodyLimit }, (_request, body, done) => done(null, body));
    instance.setErrorHandler((error: { code?: string; statusCode?: number }, _request, reply) => {
      const answer =
        error.code === "FST_ERR_CTP_BODY_TOO_LARGE" ? webhookErrorResponse("payload_too_large") : webhookErrorResponse("internal_error");
      return send(reply, answer);
    });
    instance.route({
      method: ["GET", "POST"],
      url: options.path,
      handler: async (request, reply) => {
        const body = Buffer.isBuffer(request.body) ? request.body : new Uint8Array(0);
        return send(reply, await handler(nodeDelivery(request.raw, body, url(request))));
      },
    });
  };
}

interface ReplyLike {
  code(status: number): ReplyLike;
  headers(values: Record<string, string>): ReplyLike;
  send(payload: string): ReplyLike;
}

function send(reply: ReplyLike, answer: WebhookResponse): ReplyLike {
  return reply.code(answer.status).headers(answer.headers).send(answer.body);
}
