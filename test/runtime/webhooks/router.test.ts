import { describe, expect, it } from "vitest";
import { isConfigurationError, isWebhookHandlerError, WebhookHandlerError, type WebhookEvent } from "../../../runtime/index.js";
import { WebhookRouter } from "../../../runtime/contract.js";
import { typecheck } from "../../helpers/typecheck.js";

type Paid = WebhookEvent<"invoice.paid", { amount: number }>;
type Created = WebhookEvent<"customer.created", { email: string }>;
type Event = Paid | Created;

const paid: Paid = { type: "invoice.paid", id: "evt_1", payload: { amount: 5 } };
const created: Created = { type: "customer.created", id: undefined, payload: { email: "a@b.test" } };

describe("WebhookRouter.dispatch", () => {
  it("runs the handlers of the event's type and the onAny handlers, in registration order", async () => {
    const calls: string[] = [];
    const router = new WebhookRouter<Event>()
      .onAny((e) => void calls.push(`any1:${e.type}`))
      .on("invoice.paid", async (e) => {
        await Promise.resolve();
        calls.push(`paid:${e.payload.amount}`);
      })
      .on("customer.created", (e) => void calls.push(`created:${e.payload.email}`))
      .on(["invoice.paid", "customer.created"], (e) => void calls.push(`both:${e.type}`))
      .onAny((e) => void calls.push(`any2:${e.type}`));
    await router.dispatch(paid);
    expect(calls).toEqual(["any1:invoice.paid", "paid:5", "both:invoice.paid", "any2:invoice.paid"]);
    calls.length = 0;
    await router.dispatch(created);
    expect(calls).toEqual(["any1:customer.created", "created:a@b.test", "both:customer.created", "any2:customer.created"]);
  });

  it("waits for each handler before starting the next", async () => {
    const calls: string[] = [];
    const router = new WebhookRouter<Event>()
      .on("invoice.paid", async () => {
        await new Promise((r) => setTimeout(r, 5));
        calls.push("slow");
      })
      .on("invoice.paid", () => void calls.push("fast"));
    await router.dispatch(paid);
    expect(calls).toEqual(["slow", "fast"]);
  });

  it("resolves without running anything for an event nobody handles", async () => {
    const router = new WebhookRouter<Event>().on("invoice.paid", () => {
      throw new Error("must not run");
    });
    await expect(router.dispatch(created)).resolves.toBeUndefined();
    expect(router.handles("customer.created")).toBe(false);
    expect(router.handles("invoice.paid")).toBe(true);
  });

  it("rejects with a WebhookHandlerError carrying the handler's error and stops at the first failure", async () => {
    const boom = new Error("db down");
    const calls: string[] = [];
    const router = new WebhookRouter<Event>()
      .on("invoice.paid", () => void calls.push("first"))
      .on("invoice.paid", async () => {
        await Promise.resolve();
        throw boom;
      })
      .onAny(() => void calls.push("after"));
    const error = await router.dispatch(paid).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WebhookHandlerError);
    expect(isWebhookHandlerError(error)).toBe(true);
    const e = error as WebhookHandlerError;
    expect(e.code).toBe("webhook_handler_failed");
    expect(WebhookHandlerError.code).toBe("webhook_handler_failed");
    expect(e.message).toBe('webhook handler #2 failed for event "invoice.paid" (id "evt_1")');
    expect(e.cause).toBe(boom);
    expect([e.eventType, e.eventId, e.handler]).toEqual(["invoice.paid", "evt_1", 2]);
    expect(calls).toEqual(["first"]);
  });

  it("a synchronous throw rejects too, and a later dispatch runs the handlers again", async () => {
    let attempts = 0;
    const router = new WebhookRouter<Event>().on("customer.created", () => {
      attempts++;
      if (attempts === 1) throw new TypeError("flaky");
    });
    await expect(router.dispatch(created)).rejects.toMatchObject({
      code: "webhook_handler_failed",
      message: 'webhook handler #1 failed for event "customer.created"',
    });
    await expect(router.dispatch(created)).resolves.toBeUndefined();
    expect(attempts).toBe(2);
  });

  it("a handler registered during a dispatch runs from the next dispatch on", async () => {
    const calls: string[] = [];
    const router = new WebhookRouter<Event>();
    router.on("invoice.paid", () => {
      calls.push("outer");
      router.on("invoice.paid", () => void calls.push("inner"));
    });
    await router.dispatch(paid);
    expect(calls).toEqual(["outer"]);
  });
});

describe("WebhookRouter input checks", () => {
  const untyped = () => new WebhookRouter({ types: ["invoice.paid", "customer.created"] }) as unknown as WebhookRouter<WebhookEvent>;

  it.each([
    [
      "an unknown event type",
      (r: WebhookRouter<WebhookEvent>) => r.on("invoice.payed", () => {}),
      'WebhookRouter.on: unknown event type "invoice.payed"',
    ],
    ["no event type", (r: WebhookRouter<WebhookEvent>) => r.on([], () => {}), "WebhookRouter.on: no event type given"],
    [
      "a type that is not a string",
      (r: WebhookRouter<WebhookEvent>) => r.on(42 as unknown as string, () => {}),
      "WebhookRouter.on: an event type must be a string",
    ],
    [
      "a handler that is not a function",
      (r: WebhookRouter<WebhookEvent>) => r.on("invoice.paid", "nope" as never),
      "WebhookRouter.on: the handler must be a function",
    ],
    [
      "onAny without a function",
      (r: WebhookRouter<WebhookEvent>) => r.onAny(undefined as never),
      "WebhookRouter.onAny: the handler must be a function",
    ],
  ])("on() refuses %s with a ConfigurationError", (_, call, message) => {
    let thrown: unknown;
    try {
      call(untyped());
    } catch (e) {
      thrown = e;
    }
    expect(isConfigurationError(thrown)).toBe(true);
    expect((thrown as Error).message).toBe(message);
    expect((thrown as { code: string }).code).toBe("configuration");
  });

  it("dispatch() refuses something that is not an event", async () => {
    await expect(untyped().dispatch(null as never)).rejects.toMatchObject({
      code: "configuration",
      message: "WebhookRouter.dispatch: the event must be an object with a string type",
    });
  });

  it("without types, on() takes any string", () => {
    expect(() => new WebhookRouter().on("anything.at_all", () => {})).not.toThrow();
  });
});

describe("WebhookRouter types", () => {
  it("on() narrows the event; a wrong type name or a field of another event does not compile", () => {
    const source = `
import { WebhookRouter, type WebhookEvent } from "@switchboard/runtime/contract";
type Paid = WebhookEvent<"invoice.paid", { amount: number }>;
type Created = WebhookEvent<"customer.created", { email: string }>;
const router = new WebhookRouter<Paid | Created>();
router.on("invoice.paid", (e) => {
  const amount: number = e.payload.amount;
  const type: "invoice.paid" = e.type;
  void amount, type;
});
router.on(["invoice.paid", "customer.created"], (e) => {
  if (e.type === "customer.created") e.payload.email.toLowerCase();
  // @ts-expect-error not narrowed to one event: amount is not on every member
  void e.payload.amount;
});
// A handler may return anything (it is awaited): returning a field is fine when the field exists.
router.on("invoice.paid", (e) => e.payload.amount);
router.on("customer.created", async (e) => e.payload.email);
// @ts-expect-error a type the union does not have
router.on("invoice.payed", () => {});
// @ts-expect-error email belongs to customer.created
router.on("invoice.paid", (e) => e.payload.email);
router.onAny((e) => {
  const t: "invoice.paid" | "customer.created" = e.type;
  void t;
});
// @ts-expect-error dispatch takes only events of the union
void router.dispatch({ type: "other", id: undefined, payload: {} });
`;
    expect(typecheck({ "usage.ts": source }).diagnostics).toEqual([]);
  });
});
