/**
 * generator/validate/semantics/operations.ts. One endpoint declared twice: refused, unless one declaration
 * streams its answer and the other does not (OpenAI's and Anthropic's POST that streams when the body says
 * stream: true), which generates two methods. A body: not on a GET or HEAD; a contentType only for json.
 */
import { describe, expect, it } from "vitest";
import { loadSpec } from "../../../../generator/load.js";

/** A spec whose operations.inline is `inline` (YAML at the indentation of its entries). */
const withOperations = (inline: string) => `switchboard: 1
provider: { name: acme, title: Acme }
environments:
  live: { baseUrl: https://api.acme.test }
operations:
  inline:
${inline}`;

const spec = (second: { stream: boolean }, first = { stream: false }) =>
  withOperations(`    messages.create:
      method: POST
      path: /v1/messages
      body: { encoding: json, schema: { type: object } }
${first.stream ? "      stream: { format: sse, events: { message: { schema: { type: object } } } }\n" : ""}    messages.stream:
      method: POST
      path: /v1/messages
      body: { encoding: json, schema: { type: object } }
${second.stream ? "      stream: { format: sse, events: { message: { schema: { type: object } } } }\n" : ""}`);

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

describe("an operation's body", () => {
  const withBody = (method: string, body: string) =>
    withOperations(`    things.send:
      method: ${method}
      path: /v1/things
      body: ${body}
`);

  it("is refused on a GET or HEAD, which send none", () => {
    expect(errors(withBody("GET", "{ encoding: json }"))).toEqual([
      `10:7 SB3010 operation "things.send" is a GET, which sends no body: move its fields to query parameters`,
    ]);
    expect(errors(withBody("HEAD", "{ encoding: json }"))).toHaveLength(1);
    expect(errors(withBody("DELETE", "{ encoding: json }"))).toEqual([]);
  });

  it("takes a contentType only with the json encoding, and only a JSON media type", () => {
    expect(errors(withBody("POST", "{ encoding: json, contentType: application/vnd.api+json }"))).toEqual([]);
    expect(errors(withBody("POST", "{ encoding: form, contentType: application/json }"))).toEqual([
      `10:31 SB3010 contentType is the media type of a json body; a form body's is set by its encoding`,
    ]);
    expect(errors(withBody("POST", "{ encoding: json, contentType: text/plain }"))).toEqual([expect.stringMatching(/^10:44 SB2\d{3} /)]);
  });
});
