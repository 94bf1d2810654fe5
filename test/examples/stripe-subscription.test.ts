/** examples/stripe-subscription against the mock Stripe: customer, price, subscription, invoice.paid handled. */
import { expect, it } from "vitest";
import { run } from "../../examples/stripe-subscription/main.js";
import { recordingView } from "../../examples/shared/live-view.js";

it("subscribes a customer and marks the invoice paid from the verified invoice.paid webhook", async () => {
  const view = recordingView();
  const result = await run(view);
  expect(result.customer).toMatch(/^cus_/);
  expect(result.subscription).toMatch(/^sub_/);
  expect(result.paidInvoices).toEqual(["in_first"]);
  expect(view.lines).toContain("⚡ stripe webhook invoice.paid verified: evt_invoice_paid");
  expect(view.lines.filter((l) => l.startsWith("→ POST /v1/")).length).toBeGreaterThanOrEqual(4);
  expect(view.lines.some((l) => l.startsWith("↻ retry"))).toBe(true); // the mock's 503s were retried, and shown
  expect(view.lines.join("\n")).not.toContain("sk_test_example");
});
