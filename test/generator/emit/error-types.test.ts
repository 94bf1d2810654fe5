/**
 * Compile-time tests of the generated error types: `knownCode` is the provider's literal union, so it
 * narrows in a switch and a misspelt code fails to compile; `kind` is the provider's kind union.
 */
import { describe, expect, it } from "vitest";
import { typecheck } from "../../helpers/typecheck.js";

describe("generated error types", () => {
  it("narrow knownCode and kind to the provider's literal unions, and reject typos", () => {
    const usage = `
import { isStripeError, type StripeErrorCode } from "../../generated/stripe/index.js";
import { isTwilioError } from "../../generated/twilio/index.js";
import { isSlackError } from "../../generated/slack/index.js";
import { isShopifyError } from "../../generated/shopify/index.js";
import { AuthenticationError, isRateLimitError, RateLimitError } from "@switchboard/runtime";

export function stripeHint(e: unknown): string {
  if (!isStripeError(e)) return "not stripe";
  const provider: "stripe" = e.provider;
  switch (e.knownCode) {
    case "card_declined":
    case "expired_card":
      return provider + e.knownCode;
    case undefined:
      return e.providerCode ?? "no code";
    default: {
      const rest: Exclude<StripeErrorCode, "card_declined" | "expired_card"> = e.knownCode;
      return rest;
    }
  }
}
export function twilioAuth(e: unknown): boolean {
  return isTwilioError(e) && e.knownCode === "20003" && e.kind === "authentication";
}
export function slackScope(e: unknown): boolean {
  return isSlackError(e) && e.knownCode === "missing_scope";
}
export function shopifyLocked(e: unknown): boolean {
  return isShopifyError(e) && e.kind === "shop_locked";
}
export function classes(e: unknown): string {
  if (e instanceof AuthenticationError) return e.provider;
  if (e instanceof RateLimitError || isRateLimitError(e)) return String(e.retryAt);
  return "";
}

export function typos(e: unknown): boolean[] {
  if (!isStripeError(e) || !isTwilioError(e) || !isSlackError(e)) return [];
  return [
    // @ts-expect-error a misspelt Stripe code
    e.knownCode === "card_decliend",
    // @ts-expect-error Twilio codes are strings of digits, not numbers
    e.knownCode === 20003,
    // @ts-expect-error a misspelt kind
    e.kind === "authentification",
  ];
}
// @ts-expect-error an unlisted code is not a StripeErrorCode
export const notACode: StripeErrorCode = "country_unsupported";
`;
    const result = typecheck({ "usage.ts": usage });
    expect(result.diagnostics).toEqual([]);
  });

  it("a misspelt code without @ts-expect-error is reported (the check is not vacuous)", () => {
    const usage = `
import { isStripeError } from "../../generated/stripe/index.js";
export const check = (e: unknown) => isStripeError(e) && e.knownCode === "card_decliend";
`;
    const result = typecheck({ "usage.ts": usage });
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatch(/^usage\.ts\(3,\d+\): error TS2367: .*"card_decliend"/);
  });
});
