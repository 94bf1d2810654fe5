/** examples/shopify-orders-webhook against the mock Shopify: verified, routed by topic, processed once, forgeries refused. */
import { expect, it } from "vitest";
import { run } from "../../examples/shopify-orders-webhook/main.js";
import { recordingView } from "../../examples/shared/live-view.js";

it("records the order once despite the redelivery, marks it paid, and refuses a forged delivery", async () => {
  const view = recordingView();
  const result = await run(view);
  expect(result).toEqual({ created: [450789469], paid: [450789469], duplicates: 1, forgedStatus: 400 });
  expect(view.lines).toContain("⚡ shopify webhook orders/create verified: wh-create-1001 already processed, skipped");
});
