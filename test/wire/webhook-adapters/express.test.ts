import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express5, { type Express } from "express";
import express4 from "express4";
import { describe, expect, it } from "vitest";
import { createWebhookHandler, isConfigurationError, type WebhookHandler } from "../../../runtime/index.js";
import { createInboxWebhookHandler, type WebhookInbox } from "../../../runtime/webhooks/inbox/index.js";
import { createExpressWebhookHandler, keepRawBody } from "../../../runtime/webhooks/adapters/express.js";
import {
  itAnswersGetChallenges,
  itAnswersGraphValidation,
  itAnswersHandshakesInAHeader,
  itAnswersSignedHandshakesAfterVerification,
  itHandsTheRawBodyToTheRunner,
  postSigned,
  RAW_BODY,
  recordingHandler,
  TEST_MAX_BODY_BYTES,
} from "../../helpers/webhook-adapter-cases.js";
import { createTestVerifier, type TestEvent } from "../../helpers/test-webhook-signer.js";

async function listen(app: Express, path = "/webhooks/test") {
  const server: Server = await new Promise((resolve) => {
    const started = app.listen(0, "127.0.0.1", () => resolve(started));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    echoUrl: `http://127.0.0.1:${port}/api/echo`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The common layout: the webhook route first, then express.json() for the rest of the app. */
function appWithJsonAfter(express: typeof express5, handler: WebhookHandler, onError?: (error: unknown) => void): Express {
  const app = express();
  app.post("/webhooks/test", createExpressWebhookHandler(handler, { maxBodyBytes: TEST_MAX_BODY_BYTES, ...(onError ? { onError } : {}) }));
  app.use(express.json());
  app.post("/api/echo", (request, response) => void response.json(request.body));
  return app;
}

// Every case runs on both majors the peer range allows (express4 is npm:express@4).
describe.each([
  ["Express 5", express5],
  ["Express 4", express4],
] as const)("createExpressWebhookHandler on %s", (_major, express) => {
  describe("route mounted before a global express.json()", () => {
    itHandsTheRawBodyToTheRunner({ start: (handler) => listen(appWithJsonAfter(express, handler)) });
    itAnswersSignedHandshakesAfterVerification({ start: (handler) => listen(appWithJsonAfter(express, handler)) });
    itAnswersGraphValidation({ start: (handler) => listen(appWithJsonAfter(express, handler)) });
    itAnswersHandshakesInAHeader({ start: (handler) => listen(appWithJsonAfter(express, handler)) });
  });

  describe("route mounted with app.all, so a declared GET challenge reaches the handler", () => {
    itAnswersGetChallenges({
      start: (handler) => {
        const app = express();
        app.all("/webhooks/test", createExpressWebhookHandler(handler, { maxBodyBytes: TEST_MAX_BODY_BYTES }));
        app.use(express.json());
        return listen(app);
      },
    });
  });

  it("works beside express.json() mounted on other paths, which keep parsing JSON", async () => {
    const { handler, events } = recordingHandler();
    const app = express();
    app.use("/api", express.json());
    app.post("/api/echo", (request, response) => void response.json(request.body));
    app.post("/webhooks/test", createExpressWebhookHandler(handler));
    const server = await listen(app);
    try {
      expect((await postSigned(server.url, RAW_BODY)).status).toBe(200);
      expect(events).toHaveLength(1);
      const echo = await fetch(server.echoUrl, { method: "POST", headers: { "content-type": "application/json" }, body: '{"a": 1.0}' });
      expect(await echo.json()).toEqual({ a: 1 });
    } finally {
      await server.close();
    }
  });

  it("takes the Buffer from express.raw() on the route", async () => {
    const { handler, events } = recordingHandler();
    const app = express();
    app.post("/webhooks/test", express.raw({ type: "*/*" }), createExpressWebhookHandler(handler));
    const server = await listen(app);
    try {
      expect((await postSigned(server.url, RAW_BODY)).status).toBe(200);
      expect(events.map((event) => event.id)).toEqual(["evt_raw"]);
    } finally {
      await server.close();
    }
  });

  it("verifies after a global express.json({ verify: keepRawBody }) that parsed the body first", async () => {
    const { handler, events } = recordingHandler();
    const app = express();
    app.use(express.json({ verify: keepRawBody }));
    app.post("/webhooks/test", createExpressWebhookHandler(handler));
    const server = await listen(app);
    try {
      const response = await postSigned(server.url, RAW_BODY);
      expect(response.status).toBe(200);
      expect(events.map((event) => event.id)).toEqual(["evt_raw"]);
    } finally {
      await server.close();
    }
  });

  it("refuses with 500 and a ConfigurationError, never verifying a re-serialized body, after a plain global express.json()", async () => {
    const { handler, events } = recordingHandler();
    const errors: unknown[] = [];
    const app = express();
    app.use(express.json());
    app.post("/webhooks/test", createExpressWebhookHandler(handler, { onError: (error) => errors.push(error) }));
    const server = await listen(app);
    try {
      const response = await postSigned(server.url, RAW_BODY);
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({ error: "internal_error" });
      expect(events).toEqual([]);
      expect(errors).toHaveLength(1);
      expect(isConfigurationError(errors[0])).toBe(true);
      expect((errors[0] as Error).message).toContain("keepRawBody");
    } finally {
      await server.close();
    }
  });

  it("reports a body consumed by a plain global express.json() to the handler's own onError (stage receive), with or without the adapter's", async () => {
    const handlerErrors: [unknown, unknown][] = [];
    const adapterErrors: unknown[] = [];
    const handler = createWebhookHandler<TestEvent>({
      verify: createTestVerifier(),
      handle: () => expect.fail("a consumed body must never reach the handler"),
      onError: (error, context) => handlerErrors.push([error, context]),
    });
    const app = express();
    app.use(express.json());
    app.post("/webhooks/with-option", createExpressWebhookHandler(handler, { onError: (error) => adapterErrors.push(error) }));
    app.post("/webhooks/test", createExpressWebhookHandler(handler));
    const server = await listen(app);
    try {
      for (const url of [server.url.replace("/test", "/with-option"), server.url]) {
        const response = await postSigned(url, RAW_BODY);
        expect(response.status).toBe(500);
        expect(await response.json()).toEqual({ error: "internal_error" });
      }
      expect(adapterErrors).toHaveLength(1);
      expect(handlerErrors).toHaveLength(2);
      for (const [error, context] of handlerErrors) {
        expect(isConfigurationError(error)).toBe(true);
        expect((error as Error).message).toContain("keepRawBody");
        expect(context).toEqual({ stage: "receive" });
      }
      expect(handlerErrors[0]![0]).toBe(adapterErrors[0]);
    } finally {
      await server.close();
    }
  });

  it("reports a consumed body to an inbox receiver's onError too, and answers 500 when the adapter's onError throws", async () => {
    const errors: unknown[] = [];
    const inbox = { enqueue: () => expect.fail("a consumed body must never be stored") } as unknown as WebhookInbox;
    const receiver = createInboxWebhookHandler<TestEvent>({
      verify: createTestVerifier(),
      inbox,
      onError: (error, context) => errors.push(context),
    });
    const app = express();
    app.use(express.json());
    app.post(
      "/webhooks/test",
      createExpressWebhookHandler(receiver, {
        onError: () => {
          throw new Error("the adapter's hook failed");
        },
      }),
    );
    const server = await listen(app);
    try {
      const response = await postSigned(server.url, RAW_BODY);
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({ error: "internal_error" });
      expect(errors).toEqual([{ stage: "receive" }]);
    } finally {
      await server.close();
    }
  });

  it("passes the URL Express saw, with the mount path, to the delivery", async () => {
    const urls: (string | undefined)[] = [];
    const app = express();
    const router = express.Router();
    router.post(
      "/test",
      createExpressWebhookHandler(async (delivery) => {
        urls.push(delivery.url);
        return { status: 200, headers: {}, body: "" };
      }),
    );
    app.use("/webhooks", router);
    const server = await listen(app);
    try {
      await fetch(`${server.url}?q=1`, { method: "POST", body: "{}" });
      expect(urls).toEqual([`${server.url}?q=1`]);
    } finally {
      await server.close();
    }
  });
});
