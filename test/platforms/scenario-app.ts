/**
 * A user's application as another runtime runs it (Bun, Deno, workerd): the generated Stripe client calls
 * the loopback server named in the input, and the generated verifier checks a signed Stripe delivery, then
 * the same delivery with one byte added. It imports the generated code and the runtime package as an
 * application does, and nothing of the test kit.
 */
import { createStripeClient, verifyStripeWebhook } from "../../generated/stripe/index.js";

export interface ScenarioInput {
  readonly baseUrl: string;
  readonly delivery: { readonly headers: Record<string, string>; readonly body: string };
  /** A delivery whose body is not all ASCII, sent on as its UTF-8 bytes. */
  readonly unicodeDelivery: { readonly headers: Record<string, string>; readonly body: string };
  readonly secret: string;
  readonly now: number;
}

export interface ScenarioOutput {
  readonly runtime: string;
  readonly customerId: string;
  readonly eventType: string;
  readonly eventId: string | undefined;
  /** The error code the one-byte-longer delivery was refused with. */
  readonly forged: string;
  /** data.name of the delivery that is not all ASCII, as the verifier decoded it. */
  readonly unicodeName: string;
}

function runtimeName(): string {
  if ("Bun" in globalThis) return "bun";
  if ("Deno" in globalThis) return "deno";
  const agent = (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent;
  return agent === "Cloudflare-Workers" ? "workerd" : "node";
}

export async function runScenario(input: ScenarioInput): Promise<ScenarioOutput> {
  const client = createStripeClient({ baseUrl: input.baseUrl, auth: { token: "sk_test_platform" }, retry: false });
  const customer = await client.customers.retrieve({ customer: "cus_platform" });
  await client.close();

  const event = await verifyStripeWebhook(input.delivery, { secret: input.secret, now: input.now });
  let forged = "accepted";
  try {
    await verifyStripeWebhook({ ...input.delivery, body: `${input.delivery.body} ` }, { secret: input.secret, now: input.now });
  } catch (error) {
    forged = (error as { code?: string }).code ?? "no code";
  }
  const bytes = new TextEncoder().encode(input.unicodeDelivery.body);
  const unicode = await verifyStripeWebhook({ ...input.unicodeDelivery, body: bytes }, { secret: input.secret, now: input.now });
  const unicodeName = (unicode.payload as { data: { name: string } }).data.name;
  return { runtime: runtimeName(), customerId: customer.id, eventType: event.type, eventId: event.id, forged, unicodeName };
}
