/**
 * Stripe subscription billing: a customer, a product and its monthly price, a subscription, and the
 * `invoice.paid` webhook verified and handled. Runs against the mock Stripe (one request in five fails
 * with a 503 and is retried with the same Idempotency-Key), no network.
 */
import { startMockProvider } from "switchboard/testing";
import { createStripeClient, verifyStripeWebhook } from "../../generated/stripe/index.js";
import { startWebhookEndpoint } from "../shared/webhook-endpoint.js";
import { terminalView, type LiveView } from "../shared/live-view.js";

export interface SubscriptionResult {
  readonly customer: string;
  readonly subscription: string;
  /** Invoices the application marked paid from `invoice.paid` deliveries. */
  readonly paidInvoices: readonly string[];
}

export async function run(view: LiveView = terminalView()): Promise<SubscriptionResult> {
  const paidInvoices: string[] = [];
  let secret = "";
  // The application's endpoint: verify first, then act on the typed event.
  const endpoint = await startWebhookEndpoint(async (delivery) => {
    const event = await verifyStripeWebhook(delivery, { secret });
    view.event("stripe", event.type, event.id);
    if (event.type === "invoice.paid") {
      const invoice = event.payload as { data: { object: { id: string } } };
      paidInvoices.push(invoice.data.object.id); // mark the invoice paid in your database
    }
  });
  const mock = await startMockProvider("specs/stripe.yaml", { failRate: 0.2, seed: 4, webhookUrl: endpoint.url });
  secret = mock.webhookSecret;
  try {
    const stripe = createStripeClient({ auth: { token: "sk_test_example" }, baseUrl: mock.url, onEvent: view.client });

    view.step("create the customer");
    const customer = await stripe.customers.create({ body: { email: "ada@example.com", name: "Ada Lovelace" } });
    view.step("create a product and its monthly price");
    const product = await stripe.products.create({ body: { name: "Pro plan" } });
    const price = await stripe.prices.create({
      body: { product: product.id, currency: "usd", unit_amount: 1500, recurring: { interval: "month" } },
    });
    view.step("subscribe the customer");
    const subscription = await stripe.subscriptions.create({ body: { customer: customer.id, items: [{ price: price.id }] } });

    view.step("Stripe charges the first invoice and sends invoice.paid");
    const delivered = await mock.trigger("invoice.paid", {
      payload: {
        id: "evt_invoice_paid",
        type: "invoice.paid",
        data: { object: { id: "in_first", object: "invoice", subscription: subscription.id } },
      },
    });
    if (delivered.status !== 200) throw new Error(`the endpoint answered ${delivered.status}`);
    return { customer: customer.id, subscription: subscription.id, paidInvoices };
  } finally {
    await mock.stop();
    await endpoint.close();
  }
}
