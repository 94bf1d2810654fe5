/**
 * Compile-time tests of the generated recovery helpers (issue 17, item 4): handlers are keyed by the
 * provider's code union, so a misspelt code fails to compile, and `satisfies` with a kind's codes as
 * `Required` fails when one of them has no handler.
 */
import { describe, expect, it } from "vitest";
import { typecheck } from "../../helpers/typecheck.js";

const header = `
import {
  recoverStripeError,
  type StripeErrorCodeOfKind,
  type StripeRecoveryHandlers,
} from "../../generated/stripe/index.js";
import { recoverTwilioError } from "../../generated/twilio/index.js";
`;

describe("generated recovery types", () => {
  it("accept the listed codes, require every code of a kind under satisfies, and reject typos", () => {
    const usage = `${header}
export const cardErrors = {
  card_declined: ({ code, error }) => \`\${code}: \${error?.knownCode ?? "none"}\`,
  expired_card: () => "expired",
  incorrect_cvc: () => "cvc",
} satisfies StripeRecoveryHandlers<string, StripeErrorCodeOfKind<"card_declined">>;

export const missing = {
  card_declined: () => "declined",
  expired_card: () => "expired",
  // @ts-expect-error incorrect_cvc is a card_declined code and has no handler
} satisfies StripeRecoveryHandlers<string, StripeErrorCodeOfKind<"card_declined">>;

export const typo = {
  // @ts-expect-error a misspelt Stripe code
  card_decliend: () => "declined",
} satisfies StripeRecoveryHandlers<string>;

export async function direct(e: unknown): Promise<string> {
  // @ts-expect-error a misspelt code passed straight to recoverStripeError
  await recoverStripeError(e, { card_decliend: () => "x" });
  // @ts-expect-error Twilio codes are the spec's strings ("21211"), not numbers or other codes
  await recoverTwilioError(e, { "21212": () => "x" });
  const handled: string = await recoverStripeError(e, cardErrors);
  return handled;
}

// @ts-expect-error not_a_kind has no codes (not a key of StripeErrorCodesByKind)
export type NoSuchKind = StripeErrorCodeOfKind<"not_a_kind">;
`;
    expect(typecheck({ "usage.ts": usage }).diagnostics).toEqual([]);
  });

  it("without @ts-expect-error the typo and the missing code are both reported (the checks are not vacuous)", () => {
    const usage = `${header}
export const missing = {
  card_declined: () => "declined",
  expired_card: () => "expired",
} satisfies StripeRecoveryHandlers<string, StripeErrorCodeOfKind<"card_declined">>;
export const typo = { card_decliend: () => "declined" } satisfies StripeRecoveryHandlers<string>;
export const unused = [recoverStripeError, recoverTwilioError];
`;
    const diagnostics = typecheck({ "usage.ts": usage }).diagnostics;
    expect(diagnostics).toHaveLength(2);
    expect(diagnostics[0]).toMatch(/^usage\.ts\(\d+,\d+\): error TS1360: .*incorrect_cvc/s);
    expect(diagnostics[1]).toMatch(/^usage\.ts\(\d+,\d+\): error TS2561: .*'card_decliend'.*Did you mean to write 'card_declined'/s);
  });
});
