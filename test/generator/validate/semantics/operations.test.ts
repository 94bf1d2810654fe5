/**
 * One endpoint declared twice (generator/validate/semantics/operations.ts): refused, unless one declaration
 * streams its answer and the other does not (OpenAI's and Anthropic's POST that streams when the body says
 * stream: true), which generates two methods.
 */
import { describe, expect, it } from "vitest";
import { loadSpec } from "../../../../generator/load.js";

const spec = (second: { stream: boolean }, first = { stream: false }) => `switchboard: 1
provider: { name: acme, title: Acme }
environments:
  live: { baseUrl: https://api.acme.test }
operations:
  inline:
    messages.create:
      method: POST
      path: /v1/messages
      body: { encoding: json, schema: { type: object } }
${first.stream ? "      stream: { format: sse, events: { message: { schema: { type: object } } } }\n" : ""}    messages.stream:
      method: POST
      path: /v1/messages
      body: { encoding: json, schema: { type: object } }
${second.stream ? "      stream: { format: sse, events: { message: { schema: { type: object } } } }\n" : ""}`;

const errors = (text: string) =>
  loadSpec("acme.yaml", text)
    .diagnostics.filter((d) => d.severity === "error")
    .map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`);

describe("an endpoint declared twice", () => {
  it("is accepted when one declaration streams the answer and the other does not", () => {
    expect(errors(spec({ stream: true }))).toEqual([]);
    expect(errors(spec({ stream: false }, { stream: true }))).toEqual([]);
  });

  it("is refused when neither streams, or both do", () => {
    expect(errors(spec({ stream: false }))).toEqual([
      `11:5 SB3002 operation "messages.stream" is the same endpoint (POST /v1/messages) as operation "messages.create"`,
    ]);
    expect(errors(spec({ stream: true }, { stream: true }))).toEqual([
      `12:5 SB3002 operation "messages.stream" is the same endpoint (POST /v1/messages) as operation "messages.create", and both stream their answer`,
    ]);
  });
});
