/**
 * Stripe one-off payment: a payment intent, confirmed, and the `payment_intent.succeeded` webhook verified
 * and handled. Card errors are mapped to what the customer is told (every card_declined code must have a
 * handler, or this file does not compile); Stripe's idempotency_key_in_use is retried with the same key, as
 * the spec declares. Runs against the mock Stripe with resets (the answer lost after the charge was made),
 * no network: the mock's log shows the payment was created once.
 */
import { startMockProvider } from "switchboard/testing";
import {
  createStripeClient,
  recoverStripeError,
  verifyStripeWebhook,
  type StripeErrorCodeOfKind,
  type StripeRecoveryHandlers,
} from "../../generated/stripe/index.js";
import { startWebhookEndpoint } from "../shared/webhook-endpoint.js";
import { terminalView, type LiveView } from "../shared/live-view.js";

/** What the customer sees when the card is refused. */
const cardErrors = {
  card_declined: () => ({ ok: false, message: "Your card was declined. Please use another card." }),
  expired_card: () => ({ ok: false, message: "Your card has expired." }),
  incorrect_cvc: () => ({ ok: false, message: "The security code is incorrect." }),
} satisfies StripeRecoveryHandlers<{ ok: false; message: string }, StripeErrorCodeOfKind<"card_declined">>;

export interface PaymentResult {
  readonly paymentIntent: string | undefined;
  readonly message: string;
  /** Orders the application fulfilled from `payment_intent.succeeded` deliveries. */
  readonly fulfilled: readonly string[];
  /** How many payment intents the mock applied (1: the retries after lost answers did not pay twice). */
  readonly applied: number;
}

export async function run(view: LiveView = terminalView()): Promise<PaymentResult> {
  const fulfilled: string[] = [];
  let secret = "";
  const endpoint = await startWebhookEndpoint(async (delivery) => {
    const event = await verifyStripeWebhook(delivery, { secret });
    view.event("stripe", event.type, event.id);
    if (event.type === "payment_intent.succeeded") {
      const intent = event.payload as { data: { object: { metadata?: { order?: string } } } };
      fulfilled.push(intent.data.object.metadata?.order ?? "unknown"); // ship the order
    }
  });
  const mock = await startMockProvider("specs/stripe.yaml", { resetRate: 0.5, seed: 7, webhookUrl: endpoint.url });
  secret = mock.webhookSecret;
  try {
    const stripe = createStripeClient({ auth: { token: "sk_test_example" }, baseUrl: mock.url, onEvent: view.client });
    const body = { amount: 2500, currency: "usd", metadata: { order: "order_1001" }, payment_method: "pm_card_visa" };
    const create = (idempotencyKey?: string) =>
      stripe.paymentIntents.create({ body }, idempotencyKey === undefined ? {} : { idempotencyKey });

    view.step("create the payment intent for order_1001");
    const outcome = await create().then(
      (intent) => ({ ok: true as const, intent }),
      (error: unknown) =>
        recoverStripeError(error, cardErrors, {
          retry: (key) => create(key).then((intent) => ({ ok: true as const, intent })),
          onRecovery: view.recovery,
        }),
    );
    if (!outcome.ok) return { paymentIntent: undefined, message: outcome.message, fulfilled, applied: 0 };

    view.step("confirm it");
    await stripe.paymentIntents.confirm({ intent: outcome.intent.id });
    view.step("Stripe reports the payment succeeded");
    await mock.trigger("payment_intent.succeeded", {
      payload: {
        id: "evt_pi_succeeded",
        type: "payment_intent.succeeded",
        data: { object: { id: outcome.intent.id, object: "payment_intent", amount: 2500, metadata: { order: "order_1001" } } },
      },
    });
    const applied = mock.requests.filter((r) => r.operation === "paymentIntents.create" && r.applied).length;
    return { paymentIntent: outcome.intent.id, message: "Payment received.", fulfilled, applied };
  } finally {
    await mock.stop();
    await endpoint.close();
  }
}
