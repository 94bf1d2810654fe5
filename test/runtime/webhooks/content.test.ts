/**
 * The form reader of the verifier (runtime/webhooks/content.ts): parseForm reads a body as URLSearchParams
 * reads it, by hand, and queryParam reads one URL parameter the same way.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseForm, queryParam } from "../../../runtime/webhooks/content.js";

/** What URLSearchParams makes of a body, in parseForm's shape (repeated names as arrays, in order). */
function byUrlSearchParams(text: string): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  for (const [name, value] of new URLSearchParams(text)) {
    const previous = params[name];
    params[name] = previous === undefined ? value : typeof previous === "string" ? [previous, value] : [...previous, value];
  }
  return params;
}

/** Form text with the characters that matter: separators, "+", "%" with and without hex digits, non-ASCII. */
const formText = fc.string({
  unit: fc.constantFrom(..."ab=&+%%2B0Fz?é日 ".split(""), "%C3%A9", "%E6%97", "%F0%9F%9A%80", "%zz"),
  maxLength: 60,
});

describe("parseForm", () => {
  it("reads any form text as URLSearchParams does, malformed percent escapes and repeated names included", () => {
    fc.assert(
      fc.property(formText, (text) => {
        expect(parseForm(text)).toEqual(byUrlSearchParams(text));
        expect(parseForm(Buffer.from(text))).toEqual(byUrlSearchParams(text));
      }),
      { numRuns: 5000 },
    );
  });

  it("keeps a field named __proto__ as a field, on an object without a prototype", () => {
    const params = parseForm("__proto__=x&constructor=y");
    expect(Object.getPrototypeOf(params)).toBe(null);
    expect(Object.entries(params)).toEqual([
      ["__proto__", "x"],
      ["constructor", "y"],
    ]);
  });

  it("reads a Twilio status callback, repeated names as arrays", () => {
    expect({ ...parseForm("MessageSid=SM1&From=%2B15551234567&Body=Hello+world&MediaUrl=a&MediaUrl=b") }).toEqual({
      MessageSid: "SM1",
      From: "+15551234567",
      Body: "Hello world",
      MediaUrl: ["a", "b"],
    });
  });
});

describe("queryParam", () => {
  it("reads the first value of a parameter as URLSearchParams does", () => {
    fc.assert(
      fc.property(formText, fc.constantFrom("a", "b", "a b", "+"), (query, name) => {
        // A leading "&" keeps URLSearchParams from dropping a leading "?", which is part of the query here.
        expect(queryParam(`https://example.com/hook?${query}`, name)).toBe(new URLSearchParams(`&${query}`).get(name) ?? undefined);
      }),
      { numRuns: 3000 },
    );
  });
});
