import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { WebhookHandler } from "../../../runtime/index.js";
import { createFetchWebhookHandler } from "../../../runtime/webhooks/adapters/fetch.js";
import {
  itAnswersGetChallenges,
  itAnswersGraphValidation,
  itAnswersHandshakesInAHeader,
  itAnswersSignedHandshakesAfterVerification,
  itHandsTheRawBodyToTheRunner,
  TEST_MAX_BODY_BYTES,
} from "../../helpers/webhook-adapter-cases.js";

async function startHono(handler: WebhookHandler) {
  const onWebhook = createFetchWebhookHandler(handler, { maxBodyBytes: TEST_MAX_BODY_BYTES });
  const app = new Hono();
  // A JSON middleware elsewhere in the app, as real apps have: it parses c.req for its own routes.
  app.use("/api/*", async (c, next) => {
    c.set("parsed" as never, (await c.req.json()) as never);
    await next();
  });
  app.post("/api/echo", (c) => c.json(c.get("parsed" as never)));
  app.on(["GET", "POST"], "/webhooks/test", (c) => onWebhook(c.req.raw));
  const server: ServerType = await new Promise((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(started));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/test`,
    echoUrl: `http://127.0.0.1:${port}/api/echo`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("createFetchWebhookHandler on Hono (served by @hono/node-server)", () => {
  itHandsTheRawBodyToTheRunner({ start: (handler) => startHono(handler) });
  itAnswersSignedHandshakesAfterVerification({ start: (handler) => startHono(handler) });
  itAnswersGetChallenges({ start: (handler) => startHono(handler) });
  itAnswersGraphValidation({ start: (handler) => startHono(handler) });
  itAnswersHandshakesInAHeader({ start: (handler) => startHono(handler) });

  it("hands the Request's URL and method to the delivery", async () => {
    const seen: [string | undefined, string | undefined][] = [];
    const server = await startHono(async (delivery) => {
      seen.push([delivery.url, delivery.method]);
      return { status: 202, headers: { "x-test": "1" }, body: "ok" };
    });
    try {
      const response = await fetch(`${server.url}?q=1`, { method: "POST", body: "{}" });
      expect(response.status).toBe(202);
      expect(response.headers.get("x-test")).toBe("1");
      expect(await response.text()).toBe("ok");
      expect(seen).toEqual([[`${server.url}?q=1`, "POST"]]);
    } finally {
      await server.close();
    }
  });
});
