/** The hand-written RFC 3339 reader of Twitch-style timestamps (runtime/webhooks/verifier-parts.ts) against Date.parse. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { rfc3339Seconds } from "../../../runtime/webhooks/verifier-parts.js";

const pad = (n: number, width: number) => String(n).padStart(width, "0");

describe("rfc3339Seconds", () => {
  it("agrees with Date.parse on every valid date-time, fractions and offsets included", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date(Date.UTC(0, 0, 1) - 0), max: new Date("9999-12-31T23:59:59Z"), noInvalidDate: true }),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: 999_999_999 }),
        fc.option(fc.tuple(fc.constantFrom("+", "-"), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))),
        fc.boolean(),
        (date, fractionDigits, fractionValue, offset, lower) => {
          const iso = date.toISOString().slice(0, 19);
          const fraction = fractionDigits === 0 ? "" : `.${pad(fractionValue, 9).slice(0, fractionDigits)}`;
          const zone = offset === null ? "Z" : `${offset[0]}${pad(offset[1], 2)}:${pad(offset[2], 2)}`;
          let text = `${iso}${fraction}${zone}`;
          if (lower) text = text.toLowerCase();
          if (!/^\d{4}-/.test(iso)) return; // years past 9999 or before 0 are not RFC 3339
          // Date.parse keeps whole milliseconds only (and a double, seconds times 1000, rounds): within 1 ms.
          const parsed = Date.parse(text);
          expect(Number.isFinite(parsed)).toBe(true);
          expect(Math.abs(rfc3339Seconds(text) * 1000 - parsed)).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("refuses what is not an RFC 3339 date-time, or names a moment that does not exist", () => {
    for (const text of [
      "",
      "1767225600",
      "2026-01-01",
      "2026-01-01T00:00:00",
      "2026-01-01 00:00:00Z",
      "2026-01-01T00:00:00.Z",
      "2026-01-01T00:00:00.1234567890Z",
      "2026-01-01T00:00:00+0530",
      "2026-01-01T00:00:00+24:00",
      "2026-01-01T00:00:00Zjunk",
      "2026-13-01T00:00:00Z",
      "2026-00-01T00:00:00Z",
      "2026-02-29T00:00:00Z",
      "2026-04-31T00:00:00Z",
      "2026-01-01T24:00:00Z",
      "2026-01-01T23:59:60Z",
      "2026-01-01T23:60:00Z",
      "2O26-01-01T00:00:00Z",
      "+2026-01-01T00:00:00Z",
    ])
      expect(rfc3339Seconds(text), text).toBeNaN();
    expect(rfc3339Seconds("2024-02-29T00:00:00Z")).toBe(Date.parse("2024-02-29T00:00:00Z") / 1000);
    expect(rfc3339Seconds("2000-02-29T12:00:00.5-01:30")).toBe(Date.parse("2000-02-29T12:00:00.5-01:30") / 1000);
  });
});
