import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NdjsonParser } from "../../../runtime/client/ndjson.js";
import { SseParser, type SseEvent } from "../../../runtime/client/sse.js";
import { isStreamProtocolError } from "../../../runtime/errors/errors.js";

const encoder = new TextEncoder();

function parseAll(chunks: readonly (Uint8Array | string)[], options?: ConstructorParameters<typeof SseParser>[0]): SseEvent[] {
  const parser = new SseParser(options);
  const events: SseEvent[] = [];
  for (const chunk of chunks) events.push(...parser.push(chunk));
  events.push(...parser.end());
  return events;
}

/** The bytes split at every given offset. */
function splitAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const point of points) {
    out.push(bytes.subarray(from, point));
    from = point;
  }
  out.push(bytes.subarray(from));
  return out;
}

const ev = (data: string, event = "message", id = "", retry?: number): SseEvent => ({ event, data, id, retry });

describe("SseParser", () => {
  const cases: { name: string; given: string; want: SseEvent[] }[] = [
    { name: "one data line", given: "data: hello\n\n", want: [ev("hello")] },
    { name: "multi-line data joined with LF", given: "data: a\ndata: b\ndata:\n\n", want: [ev("a\nb\n")] },
    { name: "an empty data field is an event with empty data", given: "data:\n\n", want: [ev("")] },
    { name: "event names the event", given: "event: ping\ndata: {}\n\n", want: [ev("{}", "ping")] },
    { name: "the event name resets after dispatch", given: "event: a\ndata: 1\n\ndata: 2\n\n", want: [ev("1", "a"), ev("2")] },
    {
      name: "id persists until changed",
      given: "id: 7\ndata: 1\n\ndata: 2\n\nid\ndata: 3\n\n",
      want: [ev("1", "message", "7"), ev("2", "message", "7"), ev("3")],
    },
    {
      name: "an id holding NUL is ignored",
      given: "id: 1\ndata: a\n\nid: 2\u00003\ndata: b\n\n",
      want: [ev("a", "message", "1"), ev("b", "message", "1")],
    },
    {
      name: "retry of digits is kept, other retry values ignored",
      given: "retry: 1500\ndata: a\n\nretry: 1.5\ndata: b\n\n",
      want: [ev("a", "message", "", 1500), ev("b", "message", "", 1500)],
    },
    { name: "comments are ignored", given: ": keep-alive\ndata: a\n: more\n\n", want: [ev("a")] },
    { name: "unknown fields are ignored", given: "foo: bar\ndata: a\n\n", want: [ev("a")] },
    { name: "only one space after the colon is dropped", given: "data:  two\ndata:none\n\n", want: [ev(" two\nnone")] },
    { name: "a field without a colon has an empty value", given: "data\ndata\n\n", want: [ev("\n")] },
    { name: "an event without data is not dispatched", given: "event: x\n\nid: 3\n\ndata: y\n\n", want: [ev("y", "message", "3")] },
    { name: "CRLF line ends", given: "data: a\r\ndata: b\r\n\r\n", want: [ev("a\nb")] },
    { name: "CR line ends", given: "data: a\rdata: b\r\r", want: [ev("a\nb")] },
    { name: "mixed line ends", given: "data: a\r\ndata: b\rdata: c\n\r\n", want: [ev("a\nb\nc")] },
    { name: "a leading BOM is skipped", given: "\uFEFFdata: a\n\n", want: [ev("a")] },
    { name: "an event cut off by the end is discarded", given: "data: a\n\ndata: b\n", want: [ev("a")] },
    { name: "a colon in the value stays", given: "data: a:b: c\n\n", want: [ev("a:b: c")] },
    { name: "non-ASCII text", given: "data: héllo 😀 日本\n\n", want: [ev("héllo 😀 日本")] },
  ];
  for (const { name, given, want } of cases) {
    it(`${name} (whole, then byte by byte)`, () => {
      const bytes = encoder.encode(given);
      expect(parseAll([bytes])).toEqual(want);
      expect(parseAll([...bytes].map((b) => Uint8Array.of(b)))).toEqual(want);
    });
  }

  it("a CR at the end of one chunk and its LF at the start of the next make one line end", () => {
    expect(parseAll(["data: a\r", "\ndata: b\r", "\n\r", "\n"])).toEqual([ev("a\nb")]);
  });

  it("a UTF-8 sequence split across chunks decodes once", () => {
    const bytes = encoder.encode("data: 😀\n\n");
    // The emoji's four bytes are 6..9: cut inside it.
    expect(parseAll([bytes.subarray(0, 7), bytes.subarray(7, 9), bytes.subarray(9)])).toEqual([ev("😀")]);
  });

  it("invalid UTF-8 becomes U+FFFD rather than an error", () => {
    expect(parseAll([Uint8Array.of(...encoder.encode("data: "), 0xff, 10, 10)])).toEqual([ev("\uFFFD")]);
  });

  it("throws StreamProtocolError line_too_long for a line past the limit, however it is chunked", () => {
    const long = `data: ${"x".repeat(100)}\n\n`;
    for (const chunks of [[long], [...long]]) {
      let caught: unknown;
      try {
        parseAll(chunks, { maxLineLength: 64, provider: "acme" });
      } catch (error) {
        caught = error;
      }
      expect(isStreamProtocolError(caught)).toBe(true);
      expect(caught).toMatchObject({
        code: "stream_protocol",
        reason: "line_too_long",
        message: "acme: a line is longer than 64 characters",
      });
    }
  });

  it("throws line_too_long for an event whose data lines add up past the limit", () => {
    const many = `${"data: xxxxxxxxxx\n".repeat(10)}\n`;
    expect(() => parseAll([many], { maxLineLength: 64 })).toThrow(/an event's data is longer than 64 characters/);
    expect(parseAll([many], { maxLineLength: 200 })).toHaveLength(1);
  });

  it("keeps no more than the unfinished line between chunks (memory stays bounded)", () => {
    const parser = new SseParser({ maxLineLength: 32 });
    // 100,000 short events through one parser: nothing accumulates, and no line is too long.
    let count = 0;
    for (let i = 0; i < 100_000; i++) count += parser.push(`data: ${i}\n\n`).length;
    expect(count).toBe(100_000);
  });

  describe("property: any chunking of any stream gives the events the stream describes", () => {
    const text = fc.string({ unit: fc.constantFrom("a", "b", " ", ":", "é", "😀", "日", "{", "}", '"'), maxLength: 12 });
    const name = fc.string({ unit: fc.constantFrom("a", "b", ".", "_", "é"), minLength: 1, maxLength: 6 });
    const event = fc.record({
      event: fc.option(name, { nil: undefined }),
      data: fc.array(text, { minLength: 1, maxLength: 3 }),
      id: fc.option(fc.string({ unit: fc.constantFrom("1", "2", "x"), maxLength: 3 }), { nil: undefined }),
      retry: fc.option(fc.nat(100_000), { nil: undefined }),
      comment: fc.option(text, { nil: undefined }),
    });
    const stream = fc.record({
      events: fc.array(event, { maxLength: 12 }),
      endings: fc.array(fc.constantFrom("\n", "\r", "\r\n"), { minLength: 1, maxLength: 5 }),
      bom: fc.boolean(),
      cuts: fc.array(fc.nat(2000), { maxLength: 30 }),
    });
    it("holds for 500 random streams and chunkings", () => {
      fc.assert(
        fc.property(stream, ({ events, endings, bom, cuts }) => {
          let n = 0;
          let previous = "";
          // A CR followed by an ending that starts with LF would be one CRLF ending: take a CR there instead.
          const eol = (): string => {
            const next = endings[n++ % endings.length]!;
            previous = previous === "\r" && next.startsWith("\n") ? "\r" : next;
            return previous;
          };
          let wire = bom ? "\uFEFF" : "";
          const want: SseEvent[] = [];
          let id = "";
          let retry: number | undefined;
          for (const e of events) {
            if (e.comment !== undefined) wire += `:${e.comment}${eol()}`;
            if (e.retry !== undefined) {
              wire += `retry: ${e.retry}${eol()}`;
              retry = e.retry;
            }
            if (e.id !== undefined) {
              wire += `id: ${e.id}${eol()}`;
              id = e.id;
            }
            if (e.event !== undefined) wire += `event: ${e.event}${eol()}`;
            for (const line of e.data) wire += `data: ${line}${eol()}`;
            wire += eol();
            want.push({ event: e.event ?? "message", data: e.data.join("\n"), id, retry });
          }
          expect(parseAll(splitAt(encoder.encode(wire), cuts))).toEqual(want);
        }),
        { numRuns: 500, seed: 15 },
      );
    });
  });
});

describe("NdjsonParser", () => {
  function ndjson(chunks: readonly (Uint8Array | string)[], options?: ConstructorParameters<typeof NdjsonParser>[0]): unknown[] {
    const parser = new NdjsonParser(options);
    const out: unknown[] = [];
    for (const chunk of chunks) out.push(...parser.push(chunk));
    out.push(...parser.end());
    return out;
  }

  it("parses one value per line, skipping blank lines, with LF, CRLF or CR ends and a last line without one", () => {
    expect(ndjson(['{"a":1}\n\n{"b":2}\r\n  \r[3]\r"x"'])).toEqual([{ a: 1 }, { b: 2 }, [3], "x"]);
  });

  it("throws StreamProtocolError invalid_json for a line that is not JSON", () => {
    let caught: unknown;
    try {
      ndjson(['{"a":1}\n{"b":\n'], { provider: "acme" });
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({
      code: "stream_protocol",
      reason: "invalid_json",
      message: "acme: a line of the NDJSON stream is not JSON",
    });
  });

  it("throws line_too_long past the limit", () => {
    expect(() => ndjson([`${JSON.stringify("x".repeat(100))}\n`], { maxLineLength: 50 })).toThrow(/a line is longer than 50 characters/);
  });

  it("property: any chunking gives the same values", () => {
    const value = fc.jsonValue({ maxDepth: 2 });
    fc.assert(
      fc.property(
        fc.array(value, { maxLength: 10 }),
        fc.array(fc.nat(4000), { maxLength: 30 }),
        fc.constantFrom("\n", "\r\n", "\r"),
        (values, cuts, eol) => {
          const wire = encoder.encode(values.map((v) => JSON.stringify(v)).join(eol) + eol);
          // JSON round trip: -0 becomes 0, as JSON.parse gives it.
          expect(ndjson(splitAt(wire, cuts))).toEqual(JSON.parse(JSON.stringify(values)));
        },
      ),
      { numRuns: 300, seed: 15 },
    );
  });
});
