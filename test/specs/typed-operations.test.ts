/**
 * No bundled operation answers `unknown` where the provider documents the shape (issue 17): for the specs
 * that import their provider's OpenAPI document (Twilio 2010, SendGrid v3), every operation of the model
 * is matched with its operation in the document, and wherever the document gives a 2xx answer or the
 * request body a schema that says something about the shape, the generated type must not be `unknown`
 * (nor the untyped body record). Then the
 * operations users ask for first are checked for the fields they need.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadSpec } from "../../generator/load.js";
import type { OperationModel, SpecModel } from "../../generator/model/ir.js";

const METHODS = ["get", "put", "post", "delete", "patch"] as const;
const UNTYPED = new Set(["unknown", "Readonly<Record<string, unknown>>"]);

interface Documented {
  /** 2xx statuses whose JSON answer has a schema. */
  readonly answers: readonly string[];
  readonly bodySchema: boolean;
}

type Dict = Record<string, unknown>;
const dict = (v: unknown): Dict => (typeof v === "object" && v !== null ? (v as Dict) : {});
/** Whether a schema says anything about the shape: SendGrid's `{ nullable: true }` (a 204's "body") says nothing. */
const SHAPE_KEYWORDS = ["$ref", "type", "properties", "items", "allOf", "oneOf", "anyOf", "enum", "const"];
const shaped = (schema: unknown): boolean => SHAPE_KEYWORDS.some((key) => dict(schema)[key] !== undefined);

/** The document's operations by operationId, with what they document; $refs to responses and bodies followed. */
function documented(documentPath: string): Map<string, Documented> {
  const document = dict(JSON.parse(readFileSync(documentPath, "utf8")));
  const resolve = (value: unknown): Dict => {
    const ref = dict(value)["$ref"];
    if (typeof ref !== "string") return dict(value);
    return ref
      .slice(2)
      .split("/")
      .reduce<Dict>((at, key) => dict(at[key.replace(/~1/g, "/").replace(/~0/g, "~")]), document);
  };
  const out = new Map<string, Documented>();
  for (const item of Object.values(dict(document["paths"])))
    for (const method of METHODS) {
      const op = dict(dict(item)[method]);
      if (typeof op["operationId"] !== "string") continue;
      const answers = Object.entries(dict(op["responses"]))
        .filter(([status, response]) => /^2\d\d$/.test(status) && shaped(dict(dict(resolve(response)["content"])["application/json"])["schema"]))
        .map(([status]) => status);
      const content = dict(resolve(op["requestBody"])["content"]);
      const bodySchema = Object.values(content).some((media) => shaped(dict(media)["schema"]));
      out.set(op["operationId"], { answers, bodySchema });
    }
  return out;
}

function load(spec: string): { model: SpecModel; documents: Map<string, Documented> } {
  const text = readFileSync(spec, "utf8");
  const result = loadSpec(spec, text);
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  type Override = { group?: string; name?: string };
  const imports = (parse(text) as { operations: { import: { from: string; overrides?: Record<string, Override> }[] } }).operations.import;
  const documents = new Map<string, Documented>();
  for (const { from, overrides } of imports) {
    const found = documented(path.resolve(path.dirname(spec), from));
    for (const [id, d] of found) documents.set(id, d);
    // An operationId that only spells the method and path is group.name in the model once an override names it.
    for (const [id, override] of Object.entries(overrides ?? {}))
      if (override.name !== undefined && found.has(id)) documents.set(`${override.group}.${override.name}`, found.get(id)!);
  }
  return { model: result.model!, documents };
}

const operation = (model: SpecModel, group: string, method: string): OperationModel => {
  const found = model.groups.find((g) => g.name === group)?.operations.find((op) => op.method === method);
  if (found === undefined) throw new Error(`${group}.${method} is not in the model`);
  return found;
};

describe.each(["specs/twilio.yaml", "specs/sendgrid.yaml"])("%s", (spec) => {
  const { model, documents } = load(spec);
  const operations = model.groups.flatMap((g) => g.operations);

  it("every operation comes from the provider's document, and none is typed unknown where the document has a schema", () => {
    const untyped: string[] = [];
    let checked = 0;
    for (const op of operations) {
      const doc = documents.get(op.id);
      expect(doc, `${op.id} is not an operation of the imported document`).toBeDefined();
      for (const status of doc!.answers) {
        const response = op.responses.find((r) => r.status === status);
        checked++;
        if (response === undefined || UNTYPED.has(response.type)) untyped.push(`${op.id} answer ${status}: ${response?.type ?? "missing"}`);
      }
      if (doc!.bodySchema) {
        checked++;
        if (op.body === undefined || UNTYPED.has(op.body.type)) untyped.push(`${op.id} body: ${op.body?.type ?? "missing"}`);
      }
    }
    expect(untyped).toEqual([]);
    expect(checked).toBeGreaterThan(operations.length);
  });
});

describe("the operations users ask for first", () => {
  it("Twilio: SMS and MMS (MediaUrl array), calls with TwiML inline or by URL, fetch, and lists paged by next_page_uri", () => {
    const { model } = load("specs/twilio.yaml");
    const create = operation(model, "messages", "create");
    expect(create.body).toMatchObject({ encoding: "form", required: true });
    expect(create.body!.type).toMatch(/\bTo: string;/);
    expect(create.body!.type).toMatch(/\bBody\?: string;/);
    expect(create.body!.type).toMatch(/\bMediaUrl\?: string\[\];/);
    const call = operation(model, "calls", "create");
    expect(call.body!.type).toMatch(/\bTwiml\?: string;/);
    expect(call.body!.type).toMatch(/\bUrl\?: string;/);
    for (const group of ["messages", "calls"]) {
      expect(operation(model, group, "fetch").responses.map((r) => r.type)).toEqual([expect.stringMatching(/^types\.ApiV2010Account(Message|Call)$/)]);
      const list = operation(model, group, "list");
      expect(list.definition.pagination).toEqual({ style: "nextUrl", items: [group], next: ["next_page_uri"] });
      expect(list.definition.path).toMatch(/^\/\{apiVersion\}\/Accounts\/\{AccountSid\}\//);
    }
  });

  it("SendGrid: mail send with personalizations, template_id and dynamic_template_data, batched at 1,000 personalizations", () => {
    const { model } = load("specs/sendgrid.yaml");
    const send = operation(model, "mail", "send");
    expect(send.definition).toMatchObject({ path: "/{apiVersion}/mail/send", batch: { items: "personalizations", max: 1000 } });
    expect(send.body).toMatchObject({ encoding: "json", required: true });
    for (const field of [/\bpersonalizations: \{/, /\btemplate_id\?: string;/, /\bdynamic_template_data\?: \{/, /\bfrom: types\.FromEmailObject;/])
      expect(send.body!.type).toMatch(field);
    // A template send needs neither subject nor content (corrected in specs/openapi/sendgrid_v3.patch.json).
    expect(send.body!.type).not.toMatch(/\nsubject: string;/);
    expect(send.body!.type).not.toMatch(/\ncontent: \{/);
    expect(send.body!.type).toMatch(/\ncontent\?: \{/);
    for (const [group, method] of [
      ["templates", "list"],
      ["templates", "create"],
      ["bounces", "list"],
      ["globalSuppressions", "add"],
      ["unsubscribeGroups", "list"],
    ] as const)
      expect(operation(model, group, method).responses.every((r) => !UNTYPED.has(r.type))).toBe(true);
  });
});
