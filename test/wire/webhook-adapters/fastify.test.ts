import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import type { WebhookHandler } from "../../../runtime/index.js";
import { fastifyWebhookPlugin, type FastifyWebhookOptions } from "../../../runtime/webhooks/adapters/fastify.js";
import {
  itAnswersSignedHandshakesAfterVerification,
  itHandsTheRawBodyToTheRunner,
  RAW_BODY,
  TEST_MAX_BODY_BYTES,
} from "../../helpers/webhook-adapter-cases.js";

async function startFastify(handler: WebhookHandler, options: Partial<FastifyWebhookOptions> = {}) {
  const app = Fastify();
  app.post("/api/echo", async (request) => request.body);
  await app.register(fastifyWebhookPlugin(handler, { path: "/test", maxBodyBytes: TEST_MAX_BODY_BYTES, ...options }), {
    prefix: "/webhooks",
  });
  const base = await app.listen({ port: 0, host: "127.0.0.1" });
  return { url: `${base}/webhooks/test`, echoUrl: `${base}/api/echo`, close: () => app.close() };
}

describe("fastifyWebhookPlugin on Fastify 5", () => {
  itHandsTheRawBodyToTheRunner({ start: (handler) => startFastify(handler) });
  itAnswersSignedHandshakesAfterVerification({ start: (handler) => startFastify(handler) });

  it("takes a body sent without a Content-Type as raw bytes", async () => {
    const bodies: string[] = [];
    const server = await startFastify(async (delivery) => {
      bodies.push(Buffer.from(delivery.body).toString("utf8"));
      return { status: 200, headers: {}, body: "" };
    });
    try {
      const response = await fetch(server.url, { method: "POST", body: new Blob([RAW_BODY]) });
      expect(response.status).toBe(200);
      expect(bodies).toEqual([RAW_BODY]);
    } finally {
      await server.close();
    }
  });

  it("passes the request URL to the delivery, or the url option's", async () => {
    const urls: (string | undefined)[] = [];
    const record: WebhookHandler = async (delivery) => {
      urls.push(delivery.url);
      return { status: 200, headers: {}, body: "" };
    };
    const plain = await startFastify(record);
    const proxied = await startFastify(record, { url: (request) => `https://hooks.example.com${request.url}` });
    try {
      await fetch(`${plain.url}?q=1`, { method: "POST", body: "{}" });
      await fetch(proxied.url, { method: "POST", body: "{}" });
      expect(urls).toEqual([`${plain.url}?q=1`, "https://hooks.example.com/webhooks/test"]);
    } finally {
      await plain.close();
      await proxied.close();
    }
  });
});
