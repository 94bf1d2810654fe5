/**
 * A user's application as another runtime runs it (Bun, Deno): the generated Stripe client calls the
 * loopback server named in the input, and the generated verifier checks a signed Stripe delivery.
 * Input: one JSON argument ({ baseUrl, delivery, secret, now }); output: one JSON line on stdout.
 * It imports the generated TypeScript and the built runtime as an application would, with no test kit.
 */
import { createStripeClient, verifyWebhook } from "../../generated/stripe/index.js";

interface Input {
  readonly baseUrl: string;
  readonly delivery: { readonly headers: Record<string, string>; readonly body: string };
  readonly secret: string;
  readonly now: number;
}

const argv = (globalThis as { process?: { argv: string[] } }).process?.argv ?? [];
const input = JSON.parse(argv.at(-1) ?? "{}") as Input;

const client = createStripeClient({ baseUrl: input.baseUrl, auth: { token: "sk_test_platform" }, retry: false });
const customer = await client.customers.retrieve({ customer: "cus_platform" });
await client.close();

const event = await verifyWebhook(input.delivery, { secret: input.secret, now: input.now });
let forged = "accepted";
try {
  await verifyWebhook({ ...input.delivery, body: `${input.delivery.body} ` }, { secret: input.secret, now: input.now });
} catch (error) {
  forged = (error as { code?: string }).code ?? "no code";
}

const runtime = "Bun" in globalThis ? "bun" : "Deno" in globalThis ? "deno" : "node";
console.log(JSON.stringify({ runtime, customerId: customer.id, eventType: event.type, eventId: event.id, forged }));
