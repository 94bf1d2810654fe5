/**
 * The copy and mapValue migration changes (issue #15), on responses and webhook payloads, and
 * migrateRequest's chains: forward as declared, backward inverted, none when no chain joins the versions.
 */
import { describe, expect, it } from "vitest";
import type { VersionsDefinition } from "../../../runtime/contract.js";
import { migratePayload, migrateRequest } from "../../../runtime/versions/migrations.js";

const versions: VersionsDefinition = {
  pinned: "2",
  send: { in: "header", name: "v" },
  supported: { "1": {}, "2": {}, "3": {}, "9": {} },
  deprecationHeaders: [],
  migrations: [
    {
      from: "1",
      to: "2",
      changes: [
        { op: "copy", path: ["email"], to: ["contact", "email"] },
        { op: "mapValue", type: "charge", path: ["status"], values: { paid: "succeeded" } },
        { op: "mapValue", path: ["object"], values: { invoiceitem: "invoice_item" } },
      ],
      requests: [{ operations: ["charges.create"], op: "mapValue", in: "body", path: ["capture"], values: { later: "manual" } }],
    },
    {
      from: "2",
      to: "3",
      changes: [],
      requests: [{ operations: ["charges.create", "charges.update"], op: "rename", in: "query", path: ["expand"], to: ["include"] }],
    },
  ],
};

describe("migratePayload with copy and mapValue", () => {
  it("copies a field (keeping it) and maps values, by type or at the root", () => {
    const payload = {
      object: "invoiceitem",
      email: "a@b.c",
      charges: [
        { object: "charge", status: "paid" },
        { object: "refund", status: "paid" },
      ],
    };
    const result = migratePayload(versions, payload, "1");
    expect(result.outcome).toBe("migrated");
    expect(result.payload).toEqual({
      object: "invoice_item",
      email: "a@b.c",
      contact: { email: "a@b.c" },
      charges: [
        { object: "charge", status: "succeeded" },
        { object: "refund", status: "paid" },
      ],
    });
    expect(payload.object).toBe("invoiceitem");
  });

  it("leaves a value the mapping does not list", () => {
    expect(migratePayload(versions, { object: "charge", status: "failed" }, "1").payload).toEqual({ object: "charge", status: "failed" });
  });
});

describe("migrateRequest", () => {
  const call = { query: { expand: ["x"] }, body: { capture: "manual", amount: 1 } };

  it("applies a newer version's changes as declared, to every operation they name", () => {
    const result = migrateRequest(versions, "charges.update", call, "3");
    expect(result).toMatchObject({ outcome: "migrated", steps: ["2", "3"] });
    expect(result.call.query).toEqual({ include: ["x"] });
    expect(call.query).toEqual({ expand: ["x"] });
  });

  it("applies an older version's changes inverted", () => {
    const result = migrateRequest(versions, "charges.create", call, "1");
    expect(result.call).toEqual({ query: { expand: ["x"] }, body: { capture: "later", amount: 1 } });
    expect(result.steps).toEqual(["2", "1"]);
  });

  it("leaves the call alone at the pinned version, for another operation, and without a chain", () => {
    expect(migrateRequest(versions, "charges.create", call, "2")).toMatchObject({ call, outcome: "current" });
    expect(migrateRequest(versions, "refunds.create", call, "3").call).toBe(call);
    expect(migrateRequest(versions, "charges.create", call, "9")).toMatchObject({ call, outcome: "unknown" });
  });
});
