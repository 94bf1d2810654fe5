/**
 * What every platform test asks of the runtime it runs on: the generated Stripe client retrieves a
 * customer from a loopback server, and the generated verifier accepts a genuine Stripe delivery (a vector
 * the official library verified), refuses the same delivery with one byte added, and reads the text of a
 * delivery that is not all ASCII, handed over as bytes, as the platform's body readers give it.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import { json, type LoopbackServer } from "../helpers/loopback-server.js";

interface Vector {
  readonly name: string;
  readonly secret: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly now: number;
}

const vectors = JSON.parse(readFileSync(path.join(import.meta.dirname, "../fixtures/webhooks/stripe.json"), "utf8")) as {
  vectors: Vector[];
};
const vector = vectors.vectors.find((v) => v.name === "valid_basic")!;
const unicode = vectors.vectors.find((v) => v.name === "valid_unicode_body")!;

/** The input the platform's application reads (one JSON value). */
export function scenarioInput(server: LoopbackServer): string {
  server.handle((_request, response) => json(response, 200, { id: "cus_platform", object: "customer", email: "p@example.com" }));
  return JSON.stringify({
    baseUrl: server.url,
    delivery: { headers: vector.headers, body: vector.body },
    unicodeDelivery: { headers: unicode.headers, body: unicode.body },
    secret: vector.secret,
    now: vector.now,
  });
}

/** Checks the application's one JSON line of output, and the request the server saw. */
export function expectScenario(output: string, server: LoopbackServer, runtime: string): void {
  const line = output.trim().split("\n").at(-1) ?? "";
  expect(JSON.parse(line)).toEqual({
    runtime,
    customerId: "cus_platform",
    eventType: "invoice.paid",
    eventId: "evt_pub_6aa8eac03f82b2",
    forged: "signature_mismatch",
    unicodeName: (JSON.parse(unicode.body) as { data: { name: string } }).data.name,
  });
  expect(server.requests.map((r) => `${r.method} ${r.url} ${r.headers.authorization}`)).toEqual([
    "GET /v1/customers/cus_platform Bearer sk_test_platform",
  ]);
}
