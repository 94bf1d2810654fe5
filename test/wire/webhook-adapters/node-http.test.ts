import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { createNodeWebhookListener } from "../../../runtime/webhooks/adapters/node-http.js";
import {
  itAnswersGetChallenges,
  itAnswersGraphValidation,
  itAnswersHandshakesInAHeader,
  itAnswersSignedHandshakesAfterVerification,
  itHandsTheRawBodyToTheRunner,
  TEST_MAX_BODY_BYTES,
} from "../../helpers/webhook-adapter-cases.js";
import type { WebhookHandler } from "../../../runtime/index.js";

async function startNode(handler: WebhookHandler, options: Parameters<typeof createNodeWebhookListener>[1] = {}) {
  const server = createServer(createNodeWebhookListener(handler, { maxBodyBytes: TEST_MAX_BODY_BYTES, ...options }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/test?x=1`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe("createNodeWebhookListener on a node:http server", () => {
  itHandsTheRawBodyToTheRunner({ start: (handler) => startNode(handler) });
  itAnswersSignedHandshakesAfterVerification({ start: (handler) => startNode(handler) });
  itAnswersGetChallenges({ start: (handler) => startNode(handler) });
  itAnswersGraphValidation({ start: (handler) => startNode(handler) });
  itAnswersHandshakesInAHeader({ start: (handler) => startNode(handler) });

  it("passes the full URL, the method and the raw headers in the delivery", async () => {
    const seen: { url: string | undefined; method: string | undefined; header: unknown }[] = [];
    const server = await startNode(async (delivery) => {
      seen.push({ url: delivery.url, method: delivery.method, header: delivery.headers["x-extra"] });
      return { status: 204, headers: {}, body: "" };
    });
    try {
      const response = await fetch(server.url, { method: "POST", headers: { "X-Extra": "1" }, body: "{}" });
      expect(response.status).toBe(204);
      expect(seen).toEqual([{ url: server.url, method: "POST", header: "1" }]);
    } finally {
      await server.close();
    }
  });

  it("uses the url option for the delivery URL behind a proxy", async () => {
    const urls: (string | undefined)[] = [];
    const server = await startNode(
      async (delivery) => {
        urls.push(delivery.url);
        return { status: 200, headers: {}, body: "" };
      },
      { url: (request) => `https://hooks.example.com${request.url ?? ""}` },
    );
    try {
      await fetch(server.url, { method: "POST", body: "{}" });
      expect(urls).toEqual(["https://hooks.example.com/webhooks/test?x=1"]);
    } finally {
      await server.close();
    }
  });
});
