/** Signing deliveries the way a provider would, for tests that post to their own webhook endpoint. */
import type { SignedWebhook, SignWebhookInput } from "@switchboard/runtime";
import { signWebhook } from "@switchboard/runtime";
import type { MockSpec } from "./spec.js";
import { loadMockSpec } from "./spec.js";

export type SignDeliveryInput = SignWebhookInput;

/**
 * The headers (and URL, for schemes that sign it) the provider would send with `input.body`; `spec` is
 * a spec file's path or a loaded MockSpec. Throws when the spec declares no webhooks.
 */
export function signDelivery(spec: string | MockSpec, input: SignDeliveryInput): SignedWebhook {
  const loaded = typeof spec === "string" ? loadMockSpec(spec) : spec;
  const webhooks = loaded.definition.webhooks;
  if (webhooks === undefined) throw new TypeError(`${loaded.definition.name}'s spec declares no webhooks`);
  return signWebhook(webhooks, input);
}
