/**
 * `switchboard mock SPEC`: serves the spec's mock until stopped, prints a line per request, takes faults
 * and outages from flags, triggers signed deliveries through its control endpoints, never prints the
 * webhook secret, and rejects bad flags with exit code 2.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../../generator/cli/main.js";
import { verifyStripeWebhook } from "../../../generated/stripe/verify-webhook.js";
import { startLoopbackServer } from "../../helpers/loopback-server.js";

const repo = path.resolve(import.meta.dirname, "../../..");

async function run(argv: string[], drive: (url: string) => Promise<void> = async () => {}, env: Record<string, string> = {}) {
  let stdout = "";
  let stderr = "";
  const code = await main(["mock", ...argv], {
    cwd: repo,
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env,
    untilStopped: (mock) => drive(mock.url),
  });
  return { code, stdout, stderr };
}

describe("switchboard mock", () => {
  it("serves a provider named by its spec and logs each request with its operation", async () => {
    const result = await run(["stripe"], async (url) => {
      const answer = await fetch(`${url}/v1/customers`, {
        method: "POST",
        headers: { authorization: "Bearer sk_test_cli", "content-type": "application/x-www-form-urlencoded" },
        body: "email=a%40example.com",
      });
      expect(answer.status).toBe(200);
      expect(await answer.json()).toMatchObject({ object: "customer", email: "a@example.com" });
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^switchboard mock: Stripe at http:\/\/127\.0\.0\.1:\d+\n/);
    expect(result.stdout).toContain("POST /v1/customers 200 customers.create\n");
    expect(result.stdout).not.toContain("sk_test_cli");
  });

  it("--fail-rate 1 answers every API request 503 and marks it in the log", async () => {
    const result = await run(["specs/stripe.yaml", "--fail-rate", "1"], async (url) => {
      const answer = await fetch(`${url}/v1/customers`, { headers: { authorization: "Bearer sk_test_cli" } });
      expect(answer.status).toBe(503);
    });
    expect(result.stdout).toContain("GET /v1/customers 503 customers.list [failure]");
  });

  it("--outage 0s-1h answers 503 from the start", async () => {
    const result = await run(["stripe", "--outage", "0s-1h"], async (url) => {
      expect((await fetch(`${url}/v1/customers`, { headers: { authorization: "Bearer k" } })).status).toBe(503);
    });
    expect(result.stdout).toContain("[outage]");
  });

  it("triggers a signed delivery to --webhook-to that the generated verifier accepts; the secret is not printed", async () => {
    const receiver = await startLoopbackServer();
    const secret = "whsec_cli_SECRET_42";
    try {
      const result = await run(
        ["stripe", "--webhook-to", `${receiver.url}/hooks`],
        async (url) => {
          const origin = new URL(url).origin;
          const answer = await fetch(`${origin}/__switchboard/trigger?event=invoice.paid`, { method: "POST" });
          expect(await answer.json()).toMatchObject({ status: 200 });
          const log = (await (await fetch(`${origin}/__switchboard/requests`)).json()) as unknown[];
          expect(log).toEqual([]);
        },
        { SWITCHBOARD_WEBHOOK_SECRET: secret },
      );
      const delivery = receiver.requests[0]!;
      const event = await verifyStripeWebhook({ headers: delivery.headers, body: delivery.body }, { secret });
      expect(event.type).toBe("invoice.paid");
      expect(result.stdout + result.stderr).not.toContain(secret);
    } finally {
      await receiver.close();
    }
  });

  it.each([
    [["stripe", "--fail-rate", "2"], "--fail-rate must be a number from 0 to 1"],
    [["stripe", "--outage", "20s-10s"], "TO must be after FROM"],
    [["stripe", "--latency", "soon"], "is not a duration"],
    [["no-such-provider"], 'no spec "no-such-provider"'],
    [["stripe", "--bogus"], "Unknown option '--bogus'"],
  ])("rejects %j with exit code 2", async (argv, message) => {
    const result = await run(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});
