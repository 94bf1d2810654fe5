/**
 * The events stage: inline payload schemas, imports from an OpenAPI `webhooks` document (a fixture
 * and GitHub's real one), how they merge, and the diagnostics with their positions.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../../generator/diagnostics.js";
import { loadSpec, type LoadResult } from "../../../generator/load.js";
import { random, shuffleKeys } from "../../helpers/shuffle.js";
import { repoRoot } from "../../helpers/typecheck.js";

function load(file: string, text = readFileSync(path.join(repoRoot, file), "utf8")): LoadResult {
  return loadSpec(file, text, { path: path.join(repoRoot, file) });
}

const squash = (text: string) => text.replace(/\s+/g, " ");

describe("inline payload schemas", () => {
  it("unsupported constructs warn at the offending keyword, file:line:col, and the rest stays typed", () => {
    const result = load("test/fixtures/events/payload-warnings.yaml");
    expect(result.diagnostics.map((d) => formatDiagnostic(d))).toEqual([
      "test/fixtures/events/payload-warnings.yaml:18:40 warning SB4004 not cannot be expressed as a TypeScript type; the type is unknown",
      'test/fixtures/events/payload-warnings.yaml:19:26 warning SB4004 cannot resolve $ref "#/webhooks/schemas/Lines"; the type is unknown',
      'test/fixtures/events/payload-warnings.yaml:20:26 warning SB4004 unknown type "money"; the type is unknown',
    ]);
    expect(result.diagnostics.map((d) => d.pointer)).toEqual([
      "/webhooks/events/invoice.paid/payload/properties/status/not",
      "/webhooks/events/invoice.paid/payload/properties/lines/$ref",
      "/webhooks/events/invoice.paid/payload/properties/total/type",
    ]);
    const [event] = result.model!.events;
    expect(squash(event!.payload!.type)).toBe("{ id?: string; lines?: unknown; status?: unknown; total?: unknown; }");
  });

  it("events without a payload schema keep an unknown payload and no payload type", () => {
    const result = load("specs/twilio.yaml");
    expect(result.model!.events.length).toBeGreaterThan(0);
    for (const event of result.model!.events) expect(event.payload).toBeUndefined();
    expect(result.model!.payloadDeclarations).toEqual([]);
  });

  it("Stripe's $refs become declarations named after webhooks.schemas, sorted", () => {
    const model = load("specs/stripe.yaml").model!;
    expect(model.payloadDeclarations.map((d) => [d.name, d.source])).toEqual([
      ["Customer", "specs/stripe.yaml#/webhooks/schemas/Customer"],
      ["Event", "specs/stripe.yaml#/webhooks/schemas/Event"],
      ["LastPaymentError", "specs/stripe.yaml#/webhooks/schemas/LastPaymentError"],
      ["PaymentIntent", "specs/stripe.yaml#/webhooks/schemas/PaymentIntent"],
    ]);
    const succeeded = model.events.find((e) => e.type === "payment_intent.succeeded")!;
    expect(succeeded.payload!.typeName).toBe("StripePaymentIntentSucceededPayload");
    expect(squash(succeeded.payload!.type)).toBe(
      'payloads.Event & { data: { object: payloads.PaymentIntent; }; type: "payment_intent.succeeded"; }',
    );
  });
});

describe("eventsImport", () => {
  const acme = () => load("test/fixtures/events/acme.yaml");

  it("imports every webhook of the document, keyed by name, merged with the inline events", () => {
    const model = acme().model!;
    expect(model.events.map((e) => [e.type, e.typeName, e.description, e.payload?.typeName])).toEqual([
      ["customer.created", "AcmeCustomerCreatedEvent", undefined, "AcmeCustomerCreatedPayload"],
      // The inline description wins over the document's summary.
      ["invoice.paid", "AcmeInvoicePaidEvent", "Paid in full.", "AcmeInvoicePaidPayload"],
      // A description when there is no summary; a $ref'ed request body with a JSON media type with parameters.
      ["invoice.voided", "AcmeInvoiceVoidedEvent", "An invoice was voided.", "AcmeInvoiceVoidedPayload"],
      ["ping", "AcmePingEvent", "A test delivery without a JSON body.", "AcmePingPayload"],
      // Only inline.
      ["refund.created", "AcmeRefundCreatedEvent", undefined, "AcmeRefundCreatedPayload"],
    ]);
    const payload = (type: string) => squash(model.events.find((e) => e.type === type)!.payload!.type);
    expect(payload("invoice.paid")).toBe("payloads.InvoiceEvent");
    expect(payload("invoice.voided")).toBe("payloads.InvoiceEvent");
    // The inline payload wins over the document's (a text/plain body, which would be unknown).
    expect(payload("ping")).toBe("{ zen: string; }");
    expect(payload("customer.created")).toBe('{ kind: "customer"; tier?: unknown; }');
    expect(model.payloadDeclarations.map((d) => [d.name, squash(d.type), d.source])).toEqual([
      ["Invoice", "{ id: string; lines: Invoice[]; }", "./acme-webhooks.json#/components/schemas/invoice"],
      ["InvoiceEvent", "{ invoice: Invoice; }", "./acme-webhooks.json#/components/schemas/invoice-event"],
    ]);
    expect(model.eventsImport).toEqual({
      from: "./acme-webhooks.json",
      version: "2.0.0",
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it("a warning about an imported schema points at eventsImport.from and names the pointer in the document", () => {
    expect(acme().diagnostics.map((d) => formatDiagnostic(d))).toEqual([
      "test/fixtures/events/acme.yaml:20:11 warning SB4004 ./acme-webhooks.json#/webhooks/customer.created/post/requestBody/content/application~1json/schema/properties/tier/if: if cannot be expressed as a TypeScript type; the type is unknown",
    ]);
  });

  const spec = (from: string) =>
    readFileSync(path.join(repoRoot, "test/fixtures/events/acme.yaml"), "utf8").replace("from: ./acme-webhooks.json", `from: ${from}`);

  it.each([
    ["./missing.json", 'cannot read "./missing.json"'],
    ["./not-json.json", '"./not-json.json" is not valid JSON: '],
    ["../../../package.json", '"../../../package.json" has no OpenAPI `webhooks` section'],
    [
      "no-such-package-here/webhooks.json",
      'cannot resolve "no-such-package-here/webhooks.json" from test/fixtures/events/acme.yaml (is the package installed?)',
    ],
  ])("from: %s is an SB4003 error at from, and no model", (from, message) => {
    const result = load("test/fixtures/events/acme.yaml", spec(from));
    expect(result.model).toBeUndefined();
    expect(result.diagnostics).toHaveLength(1);
    const [d] = result.diagnostics;
    expect([d!.severity, d!.code, d!.line, d!.column, d!.pointer]).toEqual(["error", "SB4003", 20, 11, "/webhooks/eventsImport/from"]);
    expect(d!.message.startsWith(message)).toBe(true);
  });
});

describe("GitHub's events, imported from @octokit/openapi-webhooks", () => {
  const document = JSON.parse(
    readFileSync(
      createRequire(path.join(repoRoot, "specs/github.yaml")).resolve("@octokit/openapi-webhooks/generated/api.github.com.json"),
      "utf8",
    ),
  ) as {
    webhooks: Record<
      string,
      { post: { "x-github": { subcategory: string }; requestBody: { content: Record<string, { schema: { $ref: string } }> } } }
    >;
  };
  const webhooks = Object.entries(document.webhooks);
  const result = load("specs/github.yaml");
  const model = result.model!;

  it("has every event type the document has: one per X-GitHub-Event value", () => {
    const documented = [...new Set(webhooks.map(([, w]) => w.post["x-github"].subcategory.replace(/-/g, "_")))].sort();
    expect(documented.length).toBe(75);
    expect(model.events.map((e) => e.type)).toEqual(documented);
    expect(result.diagnostics).toEqual([]);
  });

  it("every one of the 261 webhooks (event + action) is a member of its event's payload union", () => {
    expect(webhooks.length).toBe(261);
    const byName = new Map(model.payloadDeclarations.map((d) => [d.source, d.name]));
    for (const [key, webhook] of webhooks) {
      const ref = webhook.post.requestBody.content["application/json"]!.schema.$ref;
      const name = byName.get(`@octokit/openapi-webhooks/generated/api.github.com.json${ref}`);
      expect(name, key).toBeDefined();
      const event = model.events.find((e) => e.type === webhook.post["x-github"].subcategory.replace(/-/g, "_"))!;
      expect(event.payload!.type.split(" | "), key).toContain(`payloads.${name}`);
    }
  });

  it("hand-written descriptions win; the other events take the document's summary", () => {
    expect(model.events.find((e) => e.type === "issues")!.description).toBe(
      "An issue was opened, edited, closed, reopened, labeled, assigned, ... (see action).",
    );
    expect(model.events.find((e) => e.type === "sub_issues")!.description).toMatch(
      /^This event occurs when there is activity relating to sub-issues\./,
    );
  });
});

describe("imported output is deterministic", () => {
  it("the order of keys in the imported document does not change events, payload types or declarations", () => {
    const spec = readFileSync(path.join(repoRoot, "test/fixtures/events/acme.yaml"), "utf8");
    const document = JSON.parse(readFileSync(path.join(repoRoot, "test/fixtures/events/acme-webhooks.json"), "utf8")) as unknown;
    // Make the document share an object type, so that shared names are part of what must not move.
    const schemas = (document as { components: { schemas: Record<string, unknown> } }).components.schemas;
    const owner = {
      type: "object",
      properties: Object.fromEntries("abcdefghijklmnop".split("").map((c) => [`${c}_url`, { type: "string" }])),
    };
    schemas["invoice"] = {
      ...(schemas["invoice"] as object),
      properties: { ...(schemas["invoice"] as { properties: object }).properties, owner, payer: owner },
    };
    const dir = mkdtempSync(path.join(os.tmpdir(), "switchboard-events-"));
    try {
      const render = (doc: unknown) => {
        writeFileSync(path.join(dir, "acme-webhooks.json"), JSON.stringify(doc));
        const result = loadSpec("specs/acme.yaml", spec, { path: path.join(dir, "acme.yaml") });
        expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        const { events, payloadDeclarations } = result.model!;
        return { events, payloadDeclarations };
      };
      const baseline = render(document);
      expect(baseline.payloadDeclarations.map((d) => d.name)).toEqual(["Invoice", "InvoiceEvent", "Owner"]);
      fc.assert(
        fc.property(fc.integer(), (seed) => {
          expect(render(shuffleKeys(document, random(seed)))).toEqual(baseline);
        }),
        { numRuns: 20 },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
