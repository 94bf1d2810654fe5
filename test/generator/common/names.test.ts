/** Table-driven tests of generator/names.ts: how spec names become identifiers and file names. */
import fc from "fast-check";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import {
  bindingName,
  fileName,
  identifierText,
  isIdentifier,
  isIdentifierPartChar,
  isIdentifierStartChar,
  memberName,
  words,
} from "../../../generator/common/names.js";

describe("words", () => {
  it.each<[string, string[]]>([
    ["customers", ["customers"]],
    ["payment_intents", ["payment", "intents"]],
    ["paymentIntents", ["payment", "Intents"]],
    ["PaymentIntents", ["Payment", "Intents"]],
    ["checkout.session.completed", ["checkout", "session", "completed"]],
    ["a-b c/d", ["a", "b", "c", "d"]],
    ["a__b", ["a", "b"]],
    ["$a$b", ["a", "b"]],
    // Case changes split lower-or-digit to upper only: acronyms stay whole.
    ["URLs", ["URLs"]],
    ["getHTTPResponse", ["get", "HTTPResponse"]],
    ["v2Api", ["v2", "Api"]],
    ["x1Y", ["x1", "Y"]],
    ["1abc", ["1abc"]],
    ["__proto__", ["proto"]],
    ["", []],
    ["!!!", []],
    ["日本語", ["日本語"]],
    ["\u05D0\u05D1\u05D2", ["\u05D0\u05D1\u05D2"]],
    // NFC: a decomposed é is one letter.
    ["e\u0301", ["\u00E9"]],
    ["a💥b", ["a", "b"]],
    // Bidi controls, zero-width joiners and other invisible characters separate words.
    ["\u202Eevil\u202C", ["evil"]],
    ["x\u200Dy", ["x", "y"]],
    ["x\u200Cy", ["x", "y"]],
    ["\u3164", []],
    ["a\uFE0Fb", ["a", "b"]],
    // A letter of Unicode 16 (Node knows it, TypeScript's scanner does not) is not an identifier part.
    ["\u088F", []],
    ["a\u088Fb", ["a", "b"]],
    ["a\u00B7b", ["a\u00B7b"]],
  ])("words(%j) = %j", (name, expected) => {
    expect(words(name)).toEqual(expected);
  });
});

describe("identifierText", () => {
  it.each<[string, string, string]>([
    // name, camel, pascal
    ["customers", "customers", "Customers"],
    ["payment_intents", "paymentIntents", "PaymentIntents"],
    ["PaymentIntents", "paymentIntents", "PaymentIntents"],
    ["checkout.session.completed", "checkoutSessionCompleted", "CheckoutSessionCompleted"],
    ["URLs", "urls", "URLs"],
    ["ID", "id", "ID"],
    ["getHTTPResponse", "getHTTPResponse", "GetHTTPResponse"],
    ["a.b", "aB", "AB"],
    ["aB", "aB", "AB"],
    ["AB", "ab", "AB"],
    // A leading digit (of any script) gets an underscore.
    ["1abc", "_1abc", "_1abc"],
    ["\u0663x", "_\u0663x", "_\u0663x"],
    ["\u00B7x", "_\u00B7x", "_\u00B7x"],
    // Nothing usable: a lone underscore.
    ["", "_", "_"],
    ["💥", "_", "_"],
    ["\u088F", "_", "_"],
    ["日本語", "日本語", "日本語"],
    ["ß", "ß", "SS"],
    ["İstanbul", "i\u0307stanbul", "İstanbul"],
    ["ǅx", "ǆx", "Ǆx"],
    // Case mappings that leave TypeScript's tables keep the original letter: "ƛ".toUpperCase() is
    // U+A7DC (Unicode 16), "ɤ".toUpperCase() is U+A7CB.
    ["ƛ", "ƛ", "ƛ"],
    ["ɤx", "ɤx", "ɤx"],
    ["xƛ", "xƛ", "Xƛ"],
  ])("identifierText(%j) = %j / %j", (name, camel, pascal) => {
    expect(identifierText(name, "camel")).toBe(camel);
    expect(identifierText(name, "pascal")).toBe(pascal);
  });
});

describe("bindingName", () => {
  it.each<[string, "camel" | "pascal", string]>([
    ["class", "camel", "class_"],
    ["class", "pascal", "Class"],
    ["default", "camel", "default_"],
    ["delete", "camel", "delete_"],
    ["enum", "camel", "enum_"],
    ["await", "camel", "await_"],
    ["yield", "camel", "yield_"],
    ["let", "camel", "let_"],
    ["undefined", "camel", "undefined_"],
    ["NaN", "pascal", "NaN_"],
    ["globalThis", "camel", "globalThis_"],
    ["string", "camel", "string_"],
    ["unknown", "camel", "unknown_"],
    // Not reserved as bindings.
    ["constructor", "camel", "constructor"],
    ["then", "camel", "then"],
    ["stripe", "pascal", "Stripe"],
    ["stripe", "camel", "stripe"],
    ["a-b", "pascal", "AB"],
    ["1password", "pascal", "_1password"],
  ])("bindingName(%j, %s) = %j", (name, style, expected) => {
    expect(bindingName(name, style)).toBe(expected);
  });
});

describe("memberName", () => {
  it.each<[string, string]>([
    ["customers", "customers"],
    ["payment_intents", "paymentIntents"],
    ["starting_after", "startingAfter"],
    // Reserved words are fine as members.
    ["class", "class"],
    ["delete", "delete"],
    ["default", "default"],
    // Members that break a class or are called implicitly are not.
    ["constructor", "constructor_"],
    ["constructor_", "constructor_"],
    ["prototype", "prototype_"],
    ["then", "then_"],
    ["toString", "toString_"],
    ["to_string", "toString_"],
    ["valueOf", "valueOf_"],
    ["toJSON", "toJSON_"],
    ["hasOwnProperty", "hasOwnProperty_"],
    ["__proto__", "proto"],
    ["1st", "_1st"],
    ["", "_"],
  ])("memberName(%j) = %j", (name, expected) => {
    expect(memberName(name)).toBe(expected);
  });
});

describe("fileName", () => {
  it.each<[string, string]>([
    ["customers", "customers"],
    ["paymentIntents", "payment-intents"],
    ["payment_intents", "payment-intents"],
    ["PaymentIntents", "payment-intents"],
    ["v2Api", "v2-api"],
    ["1abc", "1abc"],
    ["../etc/passwd", "etc-passwd"],
    ["a/b\\c", "a-b-c"],
    ["İstanbul", "istanbul"],
    ["日本語", "resource"],
    ["", "resource"],
    ["💥", "resource"],
    // Windows device names, whatever the case.
    ["CON", "con-group"],
    ["aux", "aux-group"],
    ["nul", "nul-group"],
    ["com1", "com1-group"],
    ["LPT9", "lpt9-group"],
    ["console", "console"],
  ])("fileName(%j) = %j", (name, expected) => {
    expect(fileName(name)).toBe(expected);
  });
});

describe("isIdentifier and the character tests", () => {
  it.each<[string, boolean]>([
    ["abc", true],
    ["_1", true],
    ["$", true],
    ["a$b", true],
    ["日本語", true],
    ["class", false],
    ["undefined", false],
    ["1a", false],
    ["a-b", false],
    ["", false],
    ["\u088F", false],
    ["x\u200Dy", false],
  ])("isIdentifier(%j) = %s", (text, expected) => {
    expect(isIdentifier(text)).toBe(expected);
  });

  it.each<[string, boolean, boolean]>([
    ["a", true, true],
    ["Z", true, true],
    ["1", false, true],
    ["_", false, false],
    ["$", false, false],
    ["\u0301", false, true],
    ["\u00B7", false, true],
    ["\u2118", true, true],
    ["\u088F", false, false],
    ["\u200D", false, false],
    ["\u3164", false, false],
    ["-", false, false],
  ])("%j: start %s, part %s", (char, start, part) => {
    expect(isIdentifierStartChar(char)).toBe(start);
    expect(isIdentifierPartChar(char)).toBe(part);
  });
});

describe("every derived name is an identifier to TypeScript", () => {
  /** TypeScript's own verdict, from its scanner's tables (ts.isIdentifierText is not public). */
  function scansAsIdentifier(text: string): boolean {
    const codePoints = [...text].map((c) => c.codePointAt(0)!);
    return (
      codePoints.length > 0 &&
      ts.isIdentifierStart(codePoints[0]!, ts.ScriptTarget.ES2022) &&
      codePoints.slice(1).every((cp) => ts.isIdentifierPart(cp, ts.ScriptTarget.ES2022))
    );
  }

  it("for arbitrary unicode names", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary", maxLength: 12 }), fc.string({ unit: "grapheme", maxLength: 12 })), (name) => {
        for (const id of [
          identifierText(name, "camel"),
          identifierText(name, "pascal"),
          bindingName(name, "camel"),
          bindingName(name, "pascal"),
          memberName(name),
        ]) {
          expect(scansAsIdentifier(id), `${JSON.stringify(name)} -> ${JSON.stringify(id)}`).toBe(true);
          // Only a leading underscore, or one trailing underscore from reserved-word handling.
          expect(id.slice(1, -1)).not.toContain("_");
        }
        expect(isIdentifier(bindingName(name, "camel"))).toBe(true);
        expect(fileName(name)).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      }),
      { numRuns: 2000 },
    );
  });

  it("for every code point Node considers an identifier part", () => {
    for (let cp = 0; cp <= 0x10ffff; cp += 1) {
      const char = String.fromCodePoint(cp);
      // Everything else is a separator, already covered above.
      if (!/\p{ID_Continue}/u.test(char)) continue;
      const name = `a${char}`;
      const id = identifierText(name, "pascal");
      if (!scansAsIdentifier(id)) throw new Error(`U+${cp.toString(16)}: ${JSON.stringify(id)} is not an identifier`);
    }
  });
});
