/**
 * Versions change requests too (issue #15): versions.migrations[].requests rename, remove, add or map
 * the values of query parameters, headers and body fields at a version. The generated params type
 * follows the pinned version (proven by compiling usage files, with @ts-expect-error for what the pinned
 * version lacks), the runtime definition carries the changes, a call sent at another version over a
 * loopback server carries that version's fields, and the checks name what they cannot find.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { LoadResult } from "../../../../generator/load.js";
import type { ClientEvent } from "../../../../runtime/index.js";
import { coreFor } from "../../../helpers/client-core.js";
import { compileUsage, emitted, loadAcme, specText } from "../../../helpers/openapi-client.js";
import { json, useLoopbackServer } from "../../../helpers/loopback-server.js";

const operations = {
  inline: {
    "widgets.create": {
      method: "POST",
      path: "/widgets",
      params: {
        colour: { in: "query", description: "Before 2025-01." },
        color: { in: "query", description: "From 2025-01." },
        legacy: { in: "query", description: "Gone at 2025-01." },
        region: { in: "query", description: "New at 2026-01." },
        "X-Trace": { in: "header", description: "Gone at 2026-01." },
      },
      body: {
        encoding: "json",
        required: true,
        schema: {
          type: "object",
          required: ["kind", "type"],
          properties: {
            kind: { type: "string" },
            type: { type: "string" },
            size: { enum: ["big", "large", "small"] },
            name: { type: "string" },
          },
        },
      },
    },
  },
};

function versionsSection(pinned: string, requestsOf: (step: string) => unknown[] = defaultRequests): Record<string, unknown> {
  return {
    versions: {
      pinned,
      send: { in: "header", name: "Acme-Version" },
      supported: { "2024-01": {}, "2025-01": {}, "2026-01": {} },
      migrations: [
        { from: "2024-01", to: "2025-01", changes: [], requests: requestsOf("2025-01") },
        { from: "2025-01", to: "2026-01", changes: [], requests: requestsOf("2026-01") },
      ],
    },
  };
}

function defaultRequests(step: string): unknown[] {
  return step === "2025-01"
    ? [
        { operation: "widgets.create", op: "rename", query: "colour", to: "color" },
        { operation: "widgets.create", op: "remove", query: "legacy" },
        { operation: "widgets.create", op: "rename", body: "$.kind", to: "$.type" },
        { operation: "widgets.create", op: "mapValue", body: "$.size", values: { big: "large" } },
      ]
    : [
        { operation: "widgets.create", op: "add", query: "region" },
        { operation: ["widgets.create"], op: "remove", header: "X-Trace" },
      ];
}

const load = (pinned: string) => loadAcme(specText(operations, versionsSection(pinned)));
const HEAD = `import { createAcmeClient, type AcmeWidgetsCreateParams } from "./acme/index.js";\nconst client = createAcmeClient({ auth: {} });\n`;

describe("a spec pinned to 2025-01", () => {
  let result: LoadResult;
  beforeAll(() => {
    result = load("2025-01");
  });

  it("keeps in the params only what 2025-01 takes", () => {
    expect(result.diagnostics).toEqual([]);
    const op = result.model!.groups[0]!.operations[0]!;
    expect(op.params.map((p) => `${p.in} ${p.name}`)).toEqual(["header X-Trace", "query color"]);
    expect(op.body!.type).not.toContain("kind");
    expect(op.body!.type).toContain("type");
  });

  it("hands the runtime each step's request changes, paths parsed", () => {
    const steps = result.model!.definition.versions!.migrations;
    expect(steps[0]!.requests).toEqual([
      { operations: ["widgets.create"], op: "rename", in: "query", path: ["colour"], to: ["color"] },
      { operations: ["widgets.create"], op: "remove", in: "query", path: ["legacy"] },
      { operations: ["widgets.create"], op: "rename", in: "body", path: ["kind"], to: ["type"] },
      { operations: ["widgets.create"], op: "mapValue", in: "body", path: ["size"], values: { big: "large" } },
    ]);
    expect(steps[1]!.requests![1]).toEqual({ operations: ["widgets.create"], op: "remove", in: "header", path: ["X-Trace"] });
  });

  it("generates a params type that follows the pinned version", () => {
    const usage = `${HEAD}
void client.widgets.create({ color: "red", xTrace: "t", body: { type: "gear", size: "large" } });
// @ts-expect-error colour was renamed to color at 2025-01
void client.widgets.create({ colour: "red", body: { type: "gear" } });
// @ts-expect-error legacy was removed at 2025-01
void client.widgets.create({ legacy: "x", body: { type: "gear" } });
// @ts-expect-error region is only taken from 2026-01
void client.widgets.create({ region: "eu", body: { type: "gear" } });
// @ts-expect-error the body's kind was renamed to type at 2025-01
void client.widgets.create({ body: { kind: "gear", type: "gear" } });
// @ts-expect-error type is required (kind's requiredness moved with it)
void client.widgets.create({ body: {} });
type Keys = keyof AcmeWidgetsCreateParams;
expectType<Keys, "color" | "xTrace" | "body">(true);
`;
    expect(compileUsage(emitted(result), { "usage.ts": usage })).toEqual([]);
  });
});

describe("the pinned version picks the params", () => {
  const keys = (result: LoadResult) => result.model!.groups[0]!.operations[0]!.params.map((p) => p.name);

  it("2024-01 takes colour and legacy, not color or region", () => {
    expect(keys(load("2024-01"))).toEqual(["X-Trace", "colour", "legacy"]);
  });

  it("2026-01 takes region and no X-Trace", () => {
    expect(keys(load("2026-01"))).toEqual(["color", "region"]);
  });
});

describe("a call sent at another version than the pinned one", () => {
  const server = useLoopbackServer();
  let result: LoadResult;
  beforeAll(() => {
    result = load("2025-01");
  });

  async function send(apiVersion: string | undefined, events: ClientEvent[] = []) {
    server.handle((_req, res) => json(res, 200, { ok: true }));
    const model = result.model!;
    const core = coreFor(model.definition, { auth: {}, baseUrl: server.url, retry: false, onEvent: (e) => events.push(e) });
    const op = model.groups[0]!.operations[0]!.definition;
    // What the generated function hands the core: the pinned version's shape.
    const call = {
      path: "/widgets",
      query: { color: "red" },
      headers: { "X-Trace": "trace-1" },
      body: { type: "gear", size: "large", name: "g" },
    };
    await core.send(op, call, apiVersion === undefined ? {} : { apiVersion });
    const request = server.requests.at(-1)!;
    return { url: request.url, headers: request.headers, body: JSON.parse(request.body) as unknown };
  }

  it("at the pinned version is sent as written", async () => {
    const sent = await send(undefined);
    expect(sent.url).toBe("/widgets?color=red");
    expect(sent.body).toEqual({ type: "gear", size: "large", name: "g" });
    expect(sent.headers["x-trace"]).toBe("trace-1");
  });

  it("at an older version carries that version's names and values, and says so in a migration event", async () => {
    const events: ClientEvent[] = [];
    const sent = await send("2024-01", events);
    expect(sent.headers["acme-version"]).toBe("2024-01");
    expect(sent.url).toBe("/widgets?colour=red");
    expect(sent.body).toEqual({ kind: "gear", size: "big", name: "g" });
    // The request's migration (pinned -> 2024-01), then the answer's (2024-01 -> the client's 2025-01).
    expect(events.filter((e) => e.type === "migration")).toMatchObject([
      { type: "migration", request: true, from: "2025-01", to: "2024-01", outcome: "migrated" },
      { type: "migration", from: "2024-01", to: "2025-01", outcome: "migrated" },
    ]);
  });

  it("at a newer version drops what that version removed", async () => {
    const sent = await send("2026-01");
    expect(sent.url).toBe("/widgets?color=red");
    expect(sent.headers["x-trace"]).toBeUndefined();
    expect(sent.body).toEqual({ type: "gear", size: "large", name: "g" });
  });
});

describe("checks on request changes", () => {
  const diagnostics = (requests: unknown[]) =>
    loadAcme(
      specText(
        operations,
        versionsSection("2025-01", (step) => (step === "2025-01" ? requests : [])),
      ),
    )
      .diagnostics.filter((d) => d.severity === "error")
      .map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`);

  it("names an unknown operation with a suggestion", () => {
    const [line] = diagnostics([{ operation: "widgets.creat", op: "remove", query: "legacy" }]);
    expect(line).toMatch(/^\d+:\d+ SB3013 no operation has the id "widgets\.creat"; did you mean "widgets\.create"\?$/);
  });

  it("names an unknown parameter and body field with a suggestion", () => {
    const lines = diagnostics([
      { operation: "widgets.create", op: "remove", query: "legasy" },
      { operation: "widgets.create", op: "rename", body: "$.knd", to: "$.type" },
    ]);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /SB3014 operation widgets\.create declares no query parameter "legasy" \(a rename needs both names declared\); did you mean "legacy"\?/,
    );
    expect(lines[1]).toMatch(/SB3014 the body of operation widgets\.create has no property "knd"; did you mean "kind"\?/);
  });

  it("wants one location, a to for a rename and values for a mapValue", () => {
    const lines = diagnostics([
      { operation: "widgets.create", op: "remove", query: "legacy", header: "X-Trace" },
      { operation: "widgets.create", op: "rename", query: "colour" },
      { operation: "widgets.create", op: "mapValue", body: "$.size" },
    ]);
    expect(lines.map((l) => l.replace(/^\d+:\d+ /, ""))).toEqual([
      "SB3010 a request change names one field, not query and header",
      "SB3010 a rename names the new name in to",
      "SB3010 a mapValue names its old -> new values in values",
    ]);
  });
});
