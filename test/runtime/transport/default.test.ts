/**
 * The default transport: undici on Node, loaded through the package's own entry on first use, and
 * invisible to an application's bundler (issue 13: what an application ships).
 */
import { build } from "esbuild";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createStripeClient } from "../../../generated/stripe/index.js";
import { json, useLoopbackServer } from "../../helpers/loopback-server.js";

const server = useLoopbackServer();
const repo = path.resolve(import.meta.dirname, "../../..");

describe("defaultTransport", () => {
  it("on Node sends through undici, not the Fetch API (which adds sec-fetch-mode)", async () => {
    // The same request through Node's fetch carries sec-fetch-mode: cors; undici sends no such header.
    server.handle((_req, res) => json(res, 200, { id: "cus_1" }));
    const stripe = createStripeClient({ auth: { token: "sk_test_x" }, baseUrl: server.url, retry: false });
    await stripe.customers.retrieve({ customer: "cus_1" });
    await stripe.customers.retrieve({ customer: "cus_1" });
    expect(server.requests.map((r) => r.headers["sec-fetch-mode"])).toEqual([undefined, undefined]);
  });

  it("a bundle of an application that uses a generated client neither carries the undici transport nor imports undici", async () => {
    const result = await build({
      entryPoints: [path.join(repo, "bench/fixtures/size/stripe-one-call.ts")],
      bundle: true,
      format: "esm",
      platform: "neutral",
      write: false,
      metafile: true,
      external: ["node:*"],
      conditions: ["switchboard-source"],
      logLevel: "error",
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((file) => file.includes("undici"))).toEqual([]);
    expect(result.outputFiles[0]!.text).not.toMatch(/from\s*["']undici["']/);
  });
});
