import Fastify5 from "fastify";
import Fastify4 from "fastify4";
import { describe, expect, it } from "vitest";
import type { WebhookHandler } from "../../../runtime/index.js";
import { fastifyWebhookPlugin, type FastifyWebhookOptions } from "../../../runtime/webhooks/adapters/fastify.js";
import {
  itAnswersGetChallenges,
  itAnswersGraphValidation,
  itAnswersHandshakesInAHeader,
  itAnswersSignedHandshakesAfterVerification,
  itHandsTheRawBodyToTheRunner,
  RAW_BODY,
  TEST_MAX_BODY_BYTES,
} from "../../helpers/webhook-adapter-cases.js";

async function startFastify(Fastify: typeof Fastify5, handler: WebhookHandler, options: Partial<FastifyWebhookOptions> = {}) {
  const app = Fastify();
  app.post("/api/echo", async (request) => request.body);
  await app.register(fastifyWebhookPlugin(handler, { path: "/test", maxBodyBytes: TEST_MAX_BODY_BYTES, ...options }), {
    prefix: "/webhooks",
  });
  const base = await app.listen({ port: 0, host: "127.0.0.1" });
  return { url: `${base}/webhooks/test`, echoUrl: `${base}/api/echo`, close: () => app.close() };
}

// Every case runs on both majors the peer range allows (fastify4 is npm:fastify@4).
describe.each([
  ["Fastify 5", Fastify5],
  // The adapter's types come from whichever "fastify" the application has; here that is 5, so 4's factory
  // is typed as 5's for the shared helper (the run below is what shows 4 works).
  ["Fastify 4", Fastify4 as unknown as typeof Fastify5],
] as const)("fastifyWebhookPlugin on %s", (_major, Fastify) => {
  itHandsTheRawBodyToTheRunner({ start: (handler) => startFastify(Fastify, handler) });
  itAnswersSignedHandshakesAfterVerification({ start: (handler) => startFastify(Fastify, handler) });
  itAnswersGetChallenges({ start: (handler) => startFastify(Fastify, handler) });
  itAnswersGraphValidation({ start: (handler) => startFastify(Fastify, handler) });
  itAnswersHandshakesInAHeader({ start: (handler) => startFastify(Fastify, handler) });

  it("takes a body sent without a Content-Type as raw bytes", async () => {
    const bodies: string[] = [];
    const server = await startFastify(Fastify, async (delivery) => {
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
    const plain = await startFastify(Fastify, record);
    const proxied = await startFastify(Fastify, record, { url: (request) => `https://hooks.example.com${request.url}` });
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
