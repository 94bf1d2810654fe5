/**
 * Streamed operations from spec to typed method (issue #15): an inline stream's events typed from its
 * schemas, an imported operation's override typed from the OpenAPI document's components, the runtime
 * definition the model hands over, and the semantic checks on `stream`. Types are proven by compiling
 * usage files against the client generated in memory.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { LoadResult } from "../../../../generator/load.js";
import { compileUsage, emitted, loadAcme, specText } from "../../../helpers/openapi-client.js";

const HEAD = `import { createAcmeClient, type AcmeAiGenerateStreamEvent } from "./acme/index.js";\nconst client = createAcmeClient({ auth: {} });\n`;

const inline = {
  inline: {
    generate: {
      method: "POST",
      path: "/v1/generate",
      group: "ai",
      body: {
        encoding: "json",
        required: true,
        schema: { type: "object", properties: { prompt: { type: "string" } }, required: ["prompt"] },
      },
      stream: {
        format: "sse",
        eventType: "$.type",
        events: {
          delta: { description: "A piece of text.", schema: { $ref: "#/operations/schemas/Delta" } },
          finished: {
            schema: {
              type: "object",
              required: ["type", "tokens"],
              properties: { type: { const: "finished" }, tokens: { type: "integer" } },
            },
          },
        },
        done: { data: "[DONE]" },
        errors: [{ event: "error" }, { has: "$.error", status: 500 }],
      },
    },
  },
  schemas: {
    Delta: { type: "object", required: ["type", "text"], properties: { type: { const: "delta" }, text: { type: "string" } } },
  },
};

describe("an inline streamed operation", () => {
  let result: LoadResult;
  beforeAll(() => {
    result = loadAcme(specText(inline));
  });

  it("loads without diagnostics and hands the runtime its stream definition, paths parsed", () => {
    expect(result.diagnostics).toEqual([]);
    const op = result.model!.groups[0]!.operations[0]!;
    expect(op.definition.stream).toEqual({
      format: "sse",
      events: ["delta", "finished"],
      eventType: ["type"],
      done: { data: "[DONE]" },
      errors: [{ event: "error" }, { has: ["error"], status: 500 }],
    });
    expect(op.stream?.typeName).toBe("AcmeAiGenerateStreamEvent");
  });

  it("returns an EventStream whose events narrow their data by name; wrong uses do not compile", () => {
    const usage = `${HEAD}
export async function read(): Promise<string> {
  let text = "";
  const stream = client.ai.generate({ body: { prompt: "hi" } });
  const head = await stream.withResponse();
  expectType<typeof head.requestId, string | undefined>(true);
  for await (const event of stream) {
    const typed: AcmeAiGenerateStreamEvent = event;
    if (event.event === "delta") {
      expectType<typeof event.data.text, string>(true);
      text += event.data.text;
    } else {
      expectType<typeof event.event, "finished">(true);
      expectType<typeof event.data.tokens, number>(true);
      // @ts-expect-error a finished event has no text
      text += event.data.text;
    }
    void typed;
  }
  return text;
}
// @ts-expect-error the body is required
export const noBody = client.ai.generate({});
// @ts-expect-error an EventStream is not a promise of a body
export const awaited: { type: string } = await client.ai.generate({ body: { prompt: "x" } });
`;
    expect(compileUsage(emitted(result), { "usage.ts": usage })).toEqual([]);
  });
});

describe("a stream declared in an import's override", () => {
  it("types its events from the imported document's components", () => {
    const result = loadAcme(
      specText({
        import: [
          {
            from: "./operations.json",
            include: { operationIds: ["items/list"] },
            overrides: {
              "items/list": { stream: { format: "ndjson", events: { message: { schema: { $ref: "#/components/schemas/Item" } } } } },
            },
          },
        ],
      }),
    );
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const op = result.model!.groups[0]!.operations[0]!;
    expect(op.definition.stream).toEqual({ format: "ndjson", events: ["message"] });
    expect(op.stream?.events).toEqual([{ name: "message", type: "types.Item" }]);
    const usage = `import { createAcmeClient, type AcmeTypes } from "./acme/index.js";
const client = createAcmeClient({ auth: {} });
export async function first(): Promise<AcmeTypes.Item | undefined> {
  for await (const { data } of client.items.list({ cursor: "c" })) return data;
  return undefined;
}
`;
    expect(compileUsage(emitted(result), { "usage.ts": usage })).toEqual([]);
  });
});

describe("semantic checks on stream", () => {
  function diagnostics(stream: Record<string, unknown>, extra: Record<string, unknown> = {}) {
    const result = loadAcme(specText({ inline: { feed: { method: "GET", path: "/feed", stream, ...extra } } }));
    return result.diagnostics.map((d) => ({ code: d.code, severity: d.severity, message: d.message }));
  }

  it("rejects a stream on an operation that also pages (SB3010)", () => {
    expect(diagnostics({ format: "sse" }, { pagination: { style: "linkHeader" } })).toEqual([
      expect.objectContaining({
        code: "SB3010",
        severity: "error",
        message: 'operation "feed" declares both pagination and a stream; an answer is one or the other',
      }),
    ]);
  });

  it("rejects done.data on an NDJSON stream (SB3010)", () => {
    expect(diagnostics({ format: "ndjson", done: { data: "[DONE]" } })).toEqual([
      expect.objectContaining({
        code: "SB3010",
        severity: "error",
        message: "done.data applies to server-sent events; an NDJSON stream ends at an event named by done.event",
      }),
    ]);
  });

  it("warns about declared events that can never be yielded (the terminator, an error event)", () => {
    const found = diagnostics({
      format: "sse",
      events: { message: {}, end: {}, error: {} },
      done: { event: "end" },
      errors: [{ event: "error" }],
    });
    expect(found.map((d) => [d.severity, d.message])).toEqual([
      ["warning", `event "end" is never yielded: it is the stream's terminator (done.event)`],
      ["warning", `event "error" is never yielded: every such event is an error (errors)`],
    ]);
  });

  it("rejects an error rule with neither event nor has, and an unknown format (schema)", () => {
    const found = diagnostics({ format: "websocket", errors: [{}] });
    expect(found.map((d) => d.code).sort()).toEqual(["SB2004", "SB2007"]);
  });
});
