/**
 * decodeUtf8 (runtime/webhooks/platform/node.ts) reads a body that is ASCII but for a few characters in
 * pieces: it must give exactly the text Buffer#toString("utf8") gives, for any bytes at all (malformed
 * UTF-8 included), wherever the bytes sit in their ArrayBuffer.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeUtf8 } from "../../../../runtime/webhooks/platform/node.js";

/** Mostly ASCII, as JSON is, with any other byte now and then: runs of non-ASCII between ASCII. */
const mostlyAscii = fc
  .array(
    fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) }),
    {
      maxLength: 600,
    },
  )
  .map((values) => Uint8Array.from(values));

/** The bytes at `offset` in a larger buffer (offsets that are not a multiple of 4 take the whole-body path). */
function at(bytes: Uint8Array, offset: number): Buffer {
  const backing = Buffer.alloc(bytes.length + offset + 3);
  backing.set(bytes, offset);
  return backing.subarray(offset, offset + bytes.length);
}

describe("decodeUtf8", () => {
  it("gives Buffer#toString's text for mostly-ASCII bytes, malformed sequences included, at any offset", () => {
    fc.assert(
      fc.property(mostlyAscii, fc.integer({ min: 0, max: 7 }), (bytes, offset) => {
        const body = at(bytes, offset);
        expect(decodeUtf8(body)).toBe(body.toString("utf8"));
      }),
      { numRuns: 3000 },
    );
  });

  it("gives Buffer#toString's text for arbitrary bytes and for valid UTF-8 of any characters", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const body = at(bytes, 0);
        expect(decodeUtf8(body)).toBe(body.toString("utf8"));
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 200 }), (text) => {
        expect(decodeUtf8(Buffer.from(text))).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });

  it("reads a sequence cut short by an ASCII byte or by the end as the whole-body decoder does", () => {
    const cases = [
      [0x41, 0x42, 0x43, 0x44, 0xe2, 0x82, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46], // € without its last byte, then ASCII
      [0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0xf0, 0x9f, 0x9a], // a four-byte sequence cut by the end
      [0x41, 0x42, 0x43, 0x44, 0xc3, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0xa9], // lead and continuation split by ASCII
      [0xef, 0xbb, 0xbf, 0x7b, 0x7d, 0x20, 0x20, 0x20], // a byte order mark is kept, as toString keeps it
    ];
    for (const bytes of cases) {
      const body = at(Uint8Array.from(bytes), 0);
      expect(decodeUtf8(body)).toBe(body.toString("utf8"));
    }
  });

  it("decodes a body with more runs than it reads in pieces (the rest whole) to the same text", () => {
    const text = JSON.stringify({
      items: Array.from({ length: 40 }, (_, i) => ({ id: i, name: `Zoë ${i} Brontë`, note: "ascii text here" })),
    });
    expect(decodeUtf8(Buffer.from(text))).toBe(text);
  });
});
