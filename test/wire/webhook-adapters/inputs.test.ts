import { describe, expect, it } from "vitest";
import { isConfigurationError, type WebhookHandler } from "../../../runtime/index.js";
import { createExpressWebhookHandler } from "../../../runtime/webhooks/adapters/express.js";
import { fastifyWebhookPlugin } from "../../../runtime/webhooks/adapters/fastify.js";
import { createFetchWebhookHandler } from "../../../runtime/webhooks/adapters/fetch.js";
import { createNodeWebhookListener } from "../../../runtime/webhooks/adapters/node-http.js";

const handler: WebhookHandler = async () => ({ status: 200, headers: {}, body: "" });
const notAHandler = {} as WebhookHandler;

describe("adapter factories check their inputs", () => {
  it.each([
    {
      name: "createNodeWebhookListener without a handler",
      make: () => createNodeWebhookListener(notAHandler),
      message: "createNodeWebhookListener needs the handler that createWebhookHandler returns",
    },
    {
      name: "createExpressWebhookHandler without a handler",
      make: () => createExpressWebhookHandler(notAHandler),
      message: "createExpressWebhookHandler needs the handler that createWebhookHandler returns",
    },
    {
      name: "createFetchWebhookHandler without a handler",
      make: () => createFetchWebhookHandler(notAHandler),
      message: "createFetchWebhookHandler needs the handler that createWebhookHandler returns",
    },
    {
      name: "fastifyWebhookPlugin without a handler",
      make: () => fastifyWebhookPlugin(notAHandler, { path: "/x" }),
      message: "fastifyWebhookPlugin needs the handler that createWebhookHandler returns",
    },
    {
      name: "fastifyWebhookPlugin with a relative path",
      make: () => fastifyWebhookPlugin(handler, { path: "x" }),
      message: "fastifyWebhookPlugin needs a path that starts with /",
    },
    {
      name: "a zero body limit",
      make: () => createFetchWebhookHandler(handler, { maxBodyBytes: 0 }),
      message: "maxBodyBytes must be a positive integer, got 0",
    },
  ])("$name throws a ConfigurationError", ({ make, message }) => {
    let thrown: unknown;
    try {
      make();
    } catch (error) {
      thrown = error;
    }
    expect(isConfigurationError(thrown)).toBe(true);
    expect((thrown as Error).message).toBe(message);
  });
});
