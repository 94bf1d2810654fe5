/**
 * A Shopify orders webhook handler: every delivery is verified (HMAC-SHA256 of the raw body with the app's
 * client secret, X-Shopify-Hmac-Sha256), routed by topic to a typed handler, and processed once: Shopify
 * delivers at least once, so a delivery whose X-Shopify-Webhook-Id was already handled is acknowledged and
 * skipped. A forged delivery is refused with 400. Runs against the mock Shopify, no network.
 */
import { signDelivery, startMockProvider } from "switchboard/testing";
import { createShopifyWebhookRouter, verifyShopifyWebhook } from "../../generated/shopify/index.js";
import { startWebhookEndpoint } from "../shared/webhook-endpoint.js";
import { terminalView, type LiveView } from "../shared/live-view.js";

export interface OrdersResult {
  /** Orders the application recorded (created) and marked paid. */
  readonly created: readonly number[];
  readonly paid: readonly number[];
  /** Deliveries skipped as already processed. */
  readonly duplicates: number;
  /** What the endpoint answered a forged delivery. */
  readonly forgedStatus: number;
}

export async function run(view: LiveView = terminalView()): Promise<OrdersResult> {
  const created: number[] = [];
  const paid: number[] = [];
  const processed = new Set<string>(); // use your database in production: a unique key on the webhook id
  let duplicates = 0;
  let secret = "";

  const router = createShopifyWebhookRouter()
    .on("orders/create", (event) => void created.push((event.payload as { id: number }).id))
    .on("orders/paid", (event) => void paid.push((event.payload as { id: number }).id));

  const endpoint = await startWebhookEndpoint(async (delivery) => {
    const event = await verifyShopifyWebhook(delivery, { secret }); // throws on a bad signature: answered 400
    if (event.id !== undefined && processed.has(event.id)) {
      duplicates += 1;
      view.event("shopify", event.type, `${event.id} already processed, skipped`);
      return;
    }
    view.event("shopify", event.type, event.id);
    await router.dispatch(event);
    if (event.id !== undefined) processed.add(event.id);
  });
  const mock = await startMockProvider("specs/shopify.yaml", { webhookUrl: endpoint.url });
  secret = mock.webhookSecret;
  try {
    const order = { id: 450789469, name: "#1001", email: "ada@example.com", total_price: "25.00", currency: "USD" };
    view.step("a customer places order #1001");
    await mock.trigger("orders/create", { id: "wh-create-1001", payload: order });
    view.step("Shopify delivers the same webhook again (at-least-once delivery)");
    await mock.trigger("orders/create", { id: "wh-create-1001", payload: order });
    view.step("the order is paid");
    await mock.trigger("orders/paid", { id: "wh-paid-1001", payload: { ...order, financial_status: "paid" } });

    view.step("someone posts a forged orders/paid");
    const body = JSON.stringify({ ...order, id: 1, financial_status: "paid" });
    const forged = signDelivery("specs/shopify.yaml", { body, secret: "not-the-app-secret" });
    const answer = await fetch(endpoint.url, { method: "POST", headers: { ...forged.headers, "x-shopify-topic": "orders/paid" }, body });
    view.step(`forged delivery answered ${answer.status}`);
    return { created, paid, duplicates, forgedStatus: answer.status };
  } finally {
    await mock.stop();
    await endpoint.close();
  }
}
