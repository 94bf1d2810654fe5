/**
 * Typed recovery (issue 17, item 4): the generated recover<Provider>Error runs the application's handler
 * for a known code, else the recovery the spec declares (Stripe's idempotency_key_in_use: wait and retry
 * with the same key; Twilio's queue overflow: schedule for later), else rethrows. Error answers are the
 * providers' documented bodies (test/fixtures/errors/), normalized by the generated normalizers; the
 * same-key retry goes over a loopback server.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createStripeClient,
  normalizeStripeError,
  recoverStripeError,
  type StripeRecoveryHandlers,
} from "../../../generated/stripe/index.js";
import { normalizeTwilioError, recoverTwilioError } from "../../../generated/twilio/index.js";
import { normalizeSendgridError, recoverSendgridError } from "../../../generated/sendgrid/index.js";
import { isUnrecoveredError, type RecoveryEvent } from "../../../runtime/index.js";
import { startLoopbackServer, type LoopbackServer } from "../../helpers/loopback-server.js";

const fixtures = path.resolve(import.meta.dirname, "../../fixtures/errors");

/** A fixture's answer as the generated normalizer reads it. */
function answer(file: string) {
  const { response } = JSON.parse(readFileSync(path.join(fixtures, file), "utf8")) as {
    response: { status: number; headers: Record<string, string>; body: unknown };
  };
  return { status: response.status, headers: new Headers(response.headers), body: response.body };
}

/** A clock whose waits return at once and are recorded. */
function recordingClock() {
  const waits: number[] = [];
  return { waits, clock: { sleep: async (ms: number) => void waits.push(ms) } };
}

describe("recover<Provider>Error with the application's handlers", () => {
  it("card declined: the handler tells the user", async () => {
    const error = normalizeStripeError(answer("stripe/card-declined.json"));
    const handlers = {
      card_declined: ({ error }) => `Your card was declined (${error?.kind}); please use another card.`,
      expired_card: () => "Your card has expired.",
      incorrect_cvc: () => "Check the security code.",
    } satisfies StripeRecoveryHandlers<string, "card_declined" | "expired_card" | "incorrect_cvc">;
    await expect(recoverStripeError(error, handlers)).resolves.toBe("Your card was declined (card_declined); please use another card.");
  });

  it("invalid phone number (Twilio 21211): the handler marks the number undeliverable", async () => {
    const undeliverable = new Set<string>();
    const error = normalizeTwilioError(answer("twilio/21211-400.json"));
    const outcome = await recoverTwilioError(error, {
      "21211": ({ code }) => {
        undeliverable.add("+1555");
        return `undeliverable (${code})`;
      },
    });
    expect(outcome).toBe("undeliverable (21211)");
    expect([...undeliverable]).toEqual(["+1555"]);
  });

  it("invalid email (SendGrid, a code the spec gives by field): the handler drops the recipient from the list", async () => {
    const list = [[{ email: "ada@example.com" }], [{ email: "not-an-address" }], [{ email: "grace@example.com" }]];
    const error = normalizeSendgridError(answer("sendgrid/invalid-recipient-400.json"));
    expect(error.knownCode).toBe("invalid_recipient_email");
    expect(error.providerCode).toBeUndefined();
    const kept = await recoverSendgridError(error, {
      invalid_recipient_email: ({ error }) => {
        const index = Number(/^personalizations\.(\d+)\./.exec(error?.param ?? "")?.[1]);
        return list.filter((_, i) => i !== index);
      },
    });
    expect(kept).toEqual([[{ email: "ada@example.com" }], [{ email: "grace@example.com" }]]);
  });

  it("a SendGrid error on another field gets no code and is thrown again", async () => {
    const error = normalizeSendgridError(answer("sendgrid/validation-400.json"));
    expect(error.knownCode).toBeUndefined();
    await expect(recoverSendgridError(error, { invalid_recipient_email: () => "dropped" })).rejects.toBe(error);
  });

  it("a code without a handler or a built-in recovery is thrown again, or goes to otherwise", async () => {
    const error = normalizeTwilioError(answer("twilio/20003-401.json"));
    await expect(recoverTwilioError(error, { "21211": () => "x" })).rejects.toBe(error);
    await expect(recoverTwilioError(error, {}, { otherwise: (e) => e === error })).resolves.toBe(true);
    const foreign = new Error("not a provider error");
    await expect(recoverStripeError(foreign, { card_declined: () => 1 })).rejects.toBe(foreign);
  });

  it("an application handler wins over the built-in recovery", async () => {
    const events: RecoveryEvent[] = [];
    const outcome = await recoverTwilioError(
      "30001",
      { "30001": () => "handled" },
      { schedule: () => "scheduled", onRecovery: (e) => events.push(e) },
    );
    expect(outcome).toBe("handled");
    expect(events).toEqual([{ provider: "twilio", code: "30001", by: "handler" }]);
  });
});

describe("built-in recoveries the specs declare", () => {
  it("Twilio 30001 (queue overflow, a failed message's ErrorCode): scheduled for later, one minute", async () => {
    const scheduled: number[] = [];
    const events: RecoveryEvent[] = [];
    const outcome = await recoverTwilioError(
      "30001",
      {},
      {
        schedule: (delayMs, failure) => {
          scheduled.push(delayMs);
          return failure.code;
        },
        onRecovery: (e) => events.push(e),
      },
    );
    expect(outcome).toBe("30001");
    expect(scheduled).toEqual([60_000]);
    expect(events).toEqual([{ provider: "twilio", code: "30001", by: "scheduleLater", afterMs: 60_000 }]);
  });

  it("without a scheduler, scheduleLater does not apply and a bare code is thrown as UnrecoveredError", async () => {
    const thrown = await recoverTwilioError("30001", {}).catch((e: unknown) => e);
    expect(isUnrecoveredError(thrown)).toBe(true);
    expect(thrown).toMatchObject({ code: "unrecovered", provider: "twilio", failureCode: "30001" });
    expect((thrown as Error).message).toBe('no recovery for twilio code "30001"');
    const unknown = await recoverTwilioError("99999", {}).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ code: "unrecovered", failureCode: "99999" });
  });

  describe("Stripe idempotency_key_in_use over loopback", () => {
    let server: LoopbackServer;
    beforeAll(async () => {
      server = await startLoopbackServer();
    });
    afterAll(() => server.close());

    const inUse = JSON.stringify({
      error: {
        code: "idempotency_key_in_use",
        message: "There is currently another in-progress request using this Idempotency Key.",
        type: "idempotency_error",
      },
    });

    it("waits one second, then makes the call again with the same Idempotency-Key", async () => {
      server.requests.length = 0;
      let calls = 0;
      server.handle((_req, res) => {
        calls += 1;
        if (calls === 1) {
          res.writeHead(409, { "content-type": "application/json" });
          res.end(inUse);
          return;
        }
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ id: "cus_1", object: "customer", email: "ada@example.com" }));
      });
      const stripe = createStripeClient({ auth: { token: "sk_test_x" }, baseUrl: server.url, retry: false });
      const { waits, clock } = recordingClock();
      const create = (idempotencyKey?: string) =>
        stripe.customers.create({ body: { email: "ada@example.com" } }, idempotencyKey === undefined ? {} : { idempotencyKey });
      const customer = await create().catch((e: unknown) =>
        recoverStripeError(e, { card_declined: () => undefined }, { retry: (key) => create(key), clock }),
      );
      expect(customer?.id).toBe("cus_1");
      expect(waits).toEqual([1000]);
      const keys = server.requests.map((r) => r.headers["idempotency-key"]);
      expect(keys).toHaveLength(2);
      expect(typeof keys[0]).toBe("string");
      expect(keys[1]).toBe(keys[0]);
    });

    it("gives up after maxRetries and throws the last failure", async () => {
      server.requests.length = 0;
      server.handle((_req, res) => {
        res.writeHead(409, { "content-type": "application/json" });
        res.end(inUse);
      });
      const stripe = createStripeClient({ auth: { token: "sk_test_x" }, baseUrl: server.url, retry: false });
      const { waits, clock } = recordingClock();
      const create = (idempotencyKey?: string) =>
        stripe.customers.create({ body: { email: "ada@example.com" } }, idempotencyKey === undefined ? {} : { idempotencyKey });
      const thrown = await create()
        .catch((e: unknown) => recoverStripeError(e, {}, { retry: (key) => create(key), clock, maxRetries: 2 }))
        .catch((e: unknown) => e);
      expect(thrown).toMatchObject({ provider: "stripe", knownCode: "idempotency_key_in_use" });
      expect(waits).toEqual([1000, 1000]);
      expect(server.requests).toHaveLength(3);
      expect(new Set(server.requests.map((r) => r.headers["idempotency-key"])).size).toBe(1);
    });

    it("without options.retry the error is thrown again (nothing can repeat the call)", async () => {
      const error = normalizeStripeError({ status: 409, headers: new Headers(), body: JSON.parse(inUse) });
      await expect(recoverStripeError(error, {})).rejects.toBe(error);
    });
  });
});
