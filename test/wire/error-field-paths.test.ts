/**
 * errors.fields with a list of paths (issue #15), end to end: a client generated from
 * test/fixtures/error-specs/zendesk.yaml (code [$.error, $.error.title], message [$.description,
 * $.error.message]) meets both of Zendesk's error shapes from a loopback server and reports each
 * answer's code and message. The generated files compile under the repo's strict settings, are
 * written to a temporary folder and imported (`@switchboard/runtime` resolves to runtime/ through
 * vitest's alias).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emitProvider } from "../../generator/emit/emit.js";
import { loadSpec } from "../../generator/load.js";
import type { ProviderError } from "../../runtime/index.js";
import { json, useLoopbackServer } from "../helpers/loopback-server.js";
import { repoRoot, typecheck } from "../helpers/typecheck.js";

interface ZendeskClient {
  readonly tickets: { get(params: { ticketId: number }): PromiseLike<unknown> };
}
type CreateClient = (options: { auth: { token: string }; baseUrl: string; retry: false }) => ZendeskClient;

const specFile = "test/fixtures/error-specs/zendesk.yaml";
const server = useLoopbackServer();
const dir = mkdtempSync(path.join(tmpdir(), "switchboard-error-paths-"));
let files: Map<string, string>;
let createClient: CreateClient;
let isZendeskError: (value: unknown) => value is ProviderError;

beforeAll(async () => {
  const loaded = loadSpec(specFile, readFileSync(path.join(repoRoot, specFile), "utf8"));
  expect(loaded.diagnostics).toEqual([]);
  const emitted = emitProvider(loaded.model!, { runtimeImport: "@switchboard/runtime/contract", generatorVersion: "0.0.0-test" });
  files = new Map(emitted.map((f) => [`zendesk/${f.path}`, f.text]));
  for (const [file, text] of files) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  ({ createZendeskClient: createClient, isZendeskError } = (await import(path.join(dir, "zendesk", "index.ts"))) as {
    createZendeskClient: CreateClient;
    isZendeskError: typeof isZendeskError;
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The error a call throws (the test fails when it resolves). */
async function rejection(call: PromiseLike<unknown>): Promise<unknown> {
  try {
    await call;
  } catch (error) {
    return error;
  }
  throw new Error("the call resolved");
}

describe("a generated client whose errors.fields list paths, against both of Zendesk's error shapes", () => {
  it("emits each field's paths as a list that compiles as the runtime's ErrorsDefinition", () => {
    expect(files.get("zendesk/errors.ts")).toContain('code: [["error"], ["error", "title"]]');
    expect(files.get("zendesk/errors.ts")).toContain('message: [["description"], ["error", "message"]]');
    expect(typecheck(files).diagnostics).toEqual([]);
  });

  it.each([
    [
      "a missing record: {error: code, description}",
      { error: "RecordNotFound", description: "Not found" },
      { providerCode: "RecordNotFound", kind: "not_found", message: "zendesk answered 404 (RecordNotFound): Not found" },
    ],
    [
      "a missing help desk: {error: {title, message}}",
      {
        error: {
          title: "No help desk at acme.zendesk.com",
          message: "There is no help desk configured at this address. This means that the address is available and that you can claim it.",
        },
      },
      {
        providerCode: "No help desk at acme.zendesk.com",
        kind: "not_found",
        message:
          "zendesk answered 404 (No help desk at acme.zendesk.com): There is no help desk configured at this address. This means that the address is available and that you can claim it.",
      },
    ],
  ])("tickets.get reports the code and message of %s", async (_name, body, want) => {
    server.handle((_request, response) => json(response, 404, body));
    const client = createClient({ auth: { token: "zendesk_token_secret" }, baseUrl: server.url, retry: false });
    const error = await rejection(client.tickets.get({ ticketId: 7 }));
    expect(isZendeskError(error)).toBe(true);
    const { providerCode, kind, message } = error as ProviderError;
    expect({ providerCode, kind, message }).toEqual(want);
    expect(server.requests.at(-1)!.url).toBe("/tickets/7");
  });
});
