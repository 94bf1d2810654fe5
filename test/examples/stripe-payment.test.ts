/** examples/stripe-payment against the mock Stripe with lost answers: paid once, fulfilled from the webhook. */
import { expect, it } from "vitest";
import { run } from "../../examples/stripe-payment/main.js";
import { recordingView } from "../../examples/shared/live-view.js";

it("creates the payment intent once despite lost answers, confirms it and fulfils the order from payment_intent.succeeded", async () => {
  const view = recordingView();
  const result = await run(view);
  expect(result.paymentIntent).toMatch(/^pi_/);
  expect(result.message).toBe("Payment received.");
  expect(result.applied).toBe(1);
  expect(result.fulfilled).toEqual(["order_1001"]);
  expect(view.lines).toContain("⚡ stripe webhook payment_intent.succeeded verified: evt_pi_succeeded");
  expect(view.lines.some((l) => l.startsWith("✗ paymentIntents.create attempt 1 got no answer"))).toBe(true);
});
