/**
 * `switchboard webhook sign|send`: what sign prints verifies with the official libraries and with the
 * generated verify<Provider>Webhook; send posts a delivery that a real loopback server verifies; the secret is never
 * printed.
 */
import { createHmac, generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { verify as octokitVerify } from "@octokit/webhooks-methods";
import { Webhook as StandardWebhook } from "standardwebhooks";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../../generator/cli/main.js";
import { resolveConfig } from "../../../generator/config.js";
import { readSpec } from "../../../generator/generate.js";
import * as github from "../../../generated/github/index.js";
import * as stripe from "../../../generated/stripe/index.js";
import * as twilio from "../../../generated/twilio/index.js";
import * as twitch from "../../../generated/twitch/index.js";
import * as dropbox from "../../../generated/dropbox/index.js";
import * as msgraph from "../../../generated/msgraph/index.js";
import * as vonage from "../../../generated/vonage/index.js";
import { verifyWebhookDelivery, type WebhooksDefinition } from "../../../runtime/contract.js";
import { createWebhookHandler } from "../../../runtime/index.js";
import { isWebhookVerificationError, type WebhookDelivery, type WebhookEvent, type WebhookVerifyOptions } from "../../../runtime/index.js";
import { startLoopbackServer, type LoopbackServer } from "../../helpers/loopback-server.js";

const repo = path.resolve(import.meta.dirname, "../../..");

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function run(argv: string[], stdin = "", env: Record<string, string> = {}): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    cwd: repo,
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readStdin: () => Promise.resolve(Buffer.from(stdin)),
    env,
  });
  return { code, stdout, stderr };
}

function headerLines(stdout: string): Record<string, string> {
  return Object.fromEntries(
    stdout
      .split("\n")
      .filter((l) => l.includes(": ") && !l.startsWith("#"))
      .map((l) => [l.slice(0, l.indexOf(": ")), l.slice(l.indexOf(": ") + 2)]),
  );
}

const body = JSON.stringify({ id: "evt_cli_1", object: "event", type: "invoice.paid", data: {} });
const NOW = Math.floor(Date.now() / 1000);

/** Issue #15's vectors (test/fixtures/webhooks/{hubspot,twitch,dropbox}.json): the signature header of each valid one. */
const NEW_SCHEME_VECTORS = (["hubspot", "twitch", "dropbox"] as const).flatMap((provider) => {
  const file = JSON.parse(readFileSync(path.join(repo, "test/fixtures/webhooks", `${provider}.json`), "utf8")) as {
    vectors: {
      name: string;
      expected: string;
      secret: string;
      method: string;
      url?: string;
      headers: Record<string, string>;
      body: string;
    }[];
  };
  return file.vectors.filter((v) => v.expected === "valid").map((v) => ({ provider, ...v }));
});
const SIGNATURE_HEADER = { hubspot: "x-hubspot-signature-v3", twitch: "twitch-eventsub-message-signature", dropbox: "x-dropbox-signature" };
const TIMESTAMP_HEADER = { hubspot: "x-hubspot-request-timestamp", twitch: "twitch-eventsub-message-timestamp", dropbox: undefined };

describe("switchboard webhook sign reproduces the new schemes' vectors", () => {
  for (const v of NEW_SCHEME_VECTORS) {
    it(`${v.provider}/${v.name}: the same signature header as the vector`, async () => {
      const timestamp = TIMESTAMP_HEADER[v.provider];
      const args = ["webhook", "sign", v.provider, "--secret", v.secret, "--method", v.method];
      if (timestamp !== undefined) args.push("--timestamp", v.headers[timestamp]!);
      if (v.url !== undefined) args.push("--url", v.url);
      if (v.headers["twitch-eventsub-message-id"] !== undefined) args.push("--id", v.headers["twitch-eventsub-message-id"]);
      const result = await run(args, v.body);
      expect(result).toMatchObject({ code: 0, stderr: "" });
      const headers = headerLines(result.stdout);
      expect(headers[SIGNATURE_HEADER[v.provider]]).toBe(v.headers[SIGNATURE_HEADER[v.provider]]);
      expect(result.stdout).not.toContain(v.secret);
    });
  }
});

/** Vonage's and Microsoft Graph's valid vectors (test/fixtures/webhooks/{vonage,msgraph}.json). */
function validVectors(provider: string) {
  const file = JSON.parse(readFileSync(path.join(repo, "test/fixtures/webhooks", `${provider}.json`), "utf8")) as {
    vectors: { name: string; expected: string; secret: string; headers: Record<string, string>; body: string; now: number }[];
  };
  return file.vectors.filter((v) => v.expected === "valid");
}

describe("switchboard webhook sign reproduces Vonage's JWT and Graph's clientState body", () => {
  for (const v of validVectors("vonage").filter((x) => x.headers["authorization"]!.startsWith("Bearer "))) {
    it(`vonage/${v.name}: the same Authorization header as the vector`, async () => {
      const claims = JSON.parse(Buffer.from(v.headers["authorization"]!.split(".")[1]!, "base64url").toString()) as {
        iat: number;
        jti: string;
      };
      const result = await run(
        ["webhook", "sign", "vonage", "--secret", v.secret, "--timestamp", String(claims.iat), "--id", claims.jti],
        v.body,
      );
      expect(result).toMatchObject({ code: 0, stderr: "" });
      expect(headerLines(result.stdout)["authorization"]).toBe(v.headers["authorization"]);
      expect(result.stdout).not.toContain(v.secret);
    });
  }
  for (const v of validVectors("msgraph")) {
    it(`msgraph/${v.name}: the body with the secret written in is the vector's body`, async () => {
      const unsigned = v.body.replaceAll(v.secret, "placeholder");
      const result = await run(["webhook", "sign", "msgraph", "--secret", v.secret, "--json"], unsigned);
      expect(result).toMatchObject({ code: 0, stderr: "" });
      expect((JSON.parse(result.stdout) as { body: string }).body).toBe(v.body);
    });
  }
});

describe("switchboard webhook sign", () => {
  it("prints Stripe's header, which stripe.webhooks.constructEvent accepts", async () => {
    const result = await run(["webhook", "sign", "stripe", "--secret", "whsec_cli_secret", "--timestamp", String(NOW)], body);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    const headers = headerLines(result.stdout);
    expect(headers["stripe-signature"]).toMatch(new RegExp(`^t=${NOW},v1=[0-9a-f]{64}$`));
    expect(Stripe.webhooks.constructEvent(body, headers["stripe-signature"]!, "whsec_cli_secret").id).toBe("evt_cli_1");
    expect(result.stdout).not.toContain("whsec_cli_secret");
  });

  it("prints GitHub's header, which @octokit/webhooks-methods verify accepts; the secret comes from the environment", async () => {
    const result = await run(["webhook", "sign", "github"], body, { SWITCHBOARD_WEBHOOK_SECRET: "gh env secret" });
    expect(result.code).toBe(0);
    expect(await octokitVerify("gh env secret", body, headerLines(result.stdout)["x-hub-signature-256"]!)).toBe(true);
    expect(result.stdout).not.toContain("gh env secret");
  });

  it("prints Standard Webhooks headers for openai that standardwebhooks verifies (--json)", async () => {
    const secret = `whsec_${Buffer.from("cli-key-cli-key-cli-key-cli-key!").toString("base64")}`;
    const result = await run(["webhook", "sign", "openai", "--secret", secret, "--id", "msg_cli", "--json"], body);
    const { headers } = JSON.parse(result.stdout) as { headers: Record<string, string> };
    expect(headers["webhook-id"]).toBe("msg_cli");
    expect(new StandardWebhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(result.stdout).not.toContain(secret.slice(6));
  });

  it("adds bodySHA256 to a Twilio URL for a JSON body and says where to post", async () => {
    const result = await run(["webhook", "sign", "twilio", "--secret", "tok", "--url", "https://h.example/sms", "--json"], body);
    const out = JSON.parse(result.stdout) as { headers: Record<string, string>; url: string };
    expect(out.url).toMatch(/^https:\/\/h\.example\/sms\?bodySHA256=[0-9a-f]{64}$/);
    expect(await twilio.verifyTwilioWebhook({ headers: out.headers, body, url: out.url }, { secret: "tok" })).toMatchObject({
      payload: JSON.parse(body),
    });
  });

  it.each([
    [["webhook", "sign"], "webhook sign needs a provider"],
    [["webhook", "sign", "stripe"], "no secret"],
    [["webhook", "sign", "nope", "--secret", "x"], 'no spec for provider "nope"'],
    [["webhook", "sign", "stripe", "--secret", "x", "--timestamp", "soon"], "--timestamp must be unix seconds"],
    [["webhook", "send", "stripe", "invoice.paid", "--secret", "x"], "webhook send needs --to URL"],
    [["webhook", "verify", "stripe"], "webhook takes sign, send or replay"],
  ])("%j is a usage error (exit 2): %s", async (argv, message) => {
    const result = await run(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});

describe("switchboard webhook send", () => {
  let server: LoopbackServer;
  beforeAll(async () => {
    server = await startLoopbackServer();
  });
  afterAll(async () => {
    await server.close();
  });

  /** The server verifies each delivery with a generated verify<Provider>Webhook and answers 200 or 400. */
  function verifyingWith(
    verify: (d: WebhookDelivery, o?: WebhookVerifyOptions) => Promise<WebhookEvent>,
    options: WebhookVerifyOptions,
  ): WebhookEvent[] {
    const events: WebhookEvent[] = [];
    server.handle(async (request, response) => {
      try {
        events.push(
          await verify(
            { headers: request.headers, body: request.body, url: `${server.url}${request.url}`, method: request.method },
            options,
          ),
        );
        response.writeHead(200).end("ok");
      } catch (error) {
        response.writeHead(isWebhookVerificationError(error) ? 400 : 500).end(isWebhookVerificationError(error) ? error.code : "");
      }
    });
    return events;
  }

  it("posts a Stripe event that the generated verify<Provider>Webhook accepts, and prints the 200", async () => {
    const events = verifyingWith(stripe.verifyStripeWebhook, { secret: "whsec_send" });
    const result = await run([
      "webhook",
      "send",
      "stripe",
      "payment_intent.succeeded",
      "--to",
      `${server.url}/hooks/stripe`,
      "--secret",
      "whsec_send",
    ]);
    expect(result).toMatchObject({ code: 0, stdout: `POST ${server.url}/hooks/stripe: 200 OK\n` });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: "payment_intent.succeeded", id: expect.stringMatching(/^evt_sb_/) });
  });

  it("posts a GitHub event with its type in X-GitHub-Event", async () => {
    const events = verifyingWith(github.verifyGithubWebhook, { secret: "gh" });
    const result = await run(["webhook", "send", "github", "push", "--to", `${server.url}/gh`, "--secret", "gh"]);
    expect(result.code).toBe(0);
    expect(events[0]).toMatchObject({ type: "push", id: expect.any(String) });
  });

  it("posts a Twilio status callback signed over the full URL and its form parameters", async () => {
    const events = verifyingWith(twilio.verifyTwilioWebhook, { secret: "tok" });
    const result = await run([
      "webhook",
      "send",
      "twilio",
      "delivered",
      "--to",
      `${server.url}/twilio/status?account=1`,
      "--secret",
      "tok",
    ]);
    expect(result.code).toBe(0);
    expect(events[0]).toMatchObject({ type: "delivered", payload: { MessageStatus: "delivered" } });
  });

  it("exits 1 when the receiver rejects the delivery (signed with another secret)", async () => {
    verifyingWith(stripe.verifyStripeWebhook, { secret: "whsec_receiver" });
    const result = await run(["webhook", "send", "stripe", "invoice.paid", "--to", `${server.url}/x`, "--secret", "whsec_sender"]);
    expect(result).toMatchObject({ code: 1, stdout: `POST ${server.url}/x: 400 Bad Request\n` });
    expect(result.stdout + result.stderr).not.toContain("whsec_sender");
  });

  it("warns about an event type the spec does not declare, and sends it anyway", async () => {
    verifyingWith(stripe.verifyStripeWebhook, { secret: "whsec_send" });
    const result = await run(["webhook", "send", "stripe", "made.up", "--to", `${server.url}/x`, "--secret", "whsec_send"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`stripe's spec declares no event "made.up"`);
  });

  it("prints one line, no stack, when nothing listens at --to", async () => {
    const closed = await startLoopbackServer();
    const url = `${closed.url}/hooks`;
    await closed.close();
    const result = await run(["webhook", "send", "stripe", "invoice.paid", "--to", url, "--secret", "whsec_x"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(
      new RegExp(`^switchboard: could not deliver to ${url.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: ECONNREFUSED: [^\\n]+\\n$`),
    );
    expect(result.stderr).not.toContain("whsec_x");
  });
});

describe("switchboard webhook send --handshake", () => {
  let server: LoopbackServer;
  beforeAll(async () => {
    server = await startLoopbackServer();
  });
  afterAll(async () => {
    await server.close();
  });

  /** The loopback server runs the generated verifier through the handler runner, as an app would. */
  function serving(verify: Parameters<typeof createWebhookHandler>[0]["verify"]): void {
    const handler = createWebhookHandler({ verify, handle: () => undefined });
    server.handle(async (request, response) => {
      const answer = await handler({
        headers: request.headers,
        body: request.body,
        url: `${server.url}${request.url}`,
        method: request.method,
      });
      response.writeHead(answer.status, answer.headers).end(answer.body);
    });
  }

  it("sends Twitch's signed callback verification and exits 0 when the challenge comes back", async () => {
    serving((d) => twitch.verifyTwitchWebhook(d, { secret: "tw-secret" }));
    const result = await run([
      "webhook",
      "send",
      "twitch",
      "--handshake",
      "callbackVerification",
      "--to",
      `${server.url}/tw`,
      "--secret",
      "tw-secret",
    ]);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toMatch(/^POST .*\/tw \(callbackVerification\): 200 OK, challenge echoed\n$/);
    expect(server.requests.at(-1)!.headers["twitch-eventsub-message-type"]).toBe("webhook_callback_verification");
  });

  it("exits 1 when the endpoint holds another secret: the challenge is not echoed", async () => {
    serving((d) => twitch.verifyTwitchWebhook(d, { secret: "other-secret" }));
    const result = await run([
      "webhook",
      "send",
      "twitch",
      "--handshake",
      "callbackVerification",
      "--to",
      `${server.url}/tw`,
      "--secret",
      "tw-secret",
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("401 Unauthorized, challenge NOT echoed");
  });

  it("sends Microsoft Graph's POST ?validationToken= and exits 0 when the token comes back; send posts a clientState the endpoint accepts", async () => {
    serving((d) => msgraph.verifyMsgraphWebhook(d, { secret: "graph-state" }));
    const result = await run([
      "webhook",
      "send",
      "msgraph",
      "--handshake",
      "validation",
      "--to",
      `${server.url}/graph`,
      "--secret",
      "graph-state",
    ]);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toMatch(/^POST .*\/graph \(validation\): 200 OK, challenge echoed\n$/);
    expect(server.requests.at(-1)!.url).toContain("validationToken=sb_challenge_");
    const sent = await run(["webhook", "send", "msgraph", "created", "--to", `${server.url}/graph`, "--secret", "graph-state"]);
    expect(sent).toMatchObject({ code: 0 });
    const wrong = await run(["webhook", "send", "msgraph", "created", "--to", `${server.url}/graph`, "--secret", "other-state"]);
    expect(wrong.code).toBe(1);
  });

  it("sends a Vonage delivery that the generated verifier accepts, and one under another secret that it refuses", async () => {
    serving((d) => vonage.verifyVonageWebhook(d, { secret: "vonage-secret" }));
    expect(await run(["webhook", "send", "vonage", "delivered", "--to", `${server.url}/v`, "--secret", "vonage-secret"])).toMatchObject({
      code: 0,
    });
    expect((await run(["webhook", "send", "vonage", "delivered", "--to", `${server.url}/v`, "--secret", "nope"])).code).toBe(1);
  });

  /** A handshake fixture spec's webhooks (test/fixtures/handshakes), as the generator models them. */
  async function fixtureWebhooks(name: string): Promise<WebhooksDefinition> {
    const result = await readSpec(resolveConfig({ cwd: repo }), path.join(repo, "test/fixtures/handshakes", `${name}.yaml`));
    return result.model!.definition.webhooks!;
  }
  const fixtures = ["--specs", "test/fixtures/handshakes"];

  it("sends Zoom's signed url_validation and exits 0 only when the answer holds the token and its HMAC under the secret", async () => {
    const zoom = await fixtureWebhooks("zoom");
    serving((d) => verifyWebhookDelivery("zoom", zoom, d, { secret: "zm-secret" }));
    const argv = [
      "webhook",
      "send",
      "zoom",
      "--handshake",
      "urlValidation",
      "--to",
      `${server.url}/zoom`,
      "--secret",
      "zm-secret",
      ...fixtures,
    ];
    const result = await run(argv);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toMatch(/^POST .*\/zoom \(urlValidation\): 200 OK, answered as the spec says\n$/);
    const sent = JSON.parse(server.requests.at(-1)!.body) as { event: string; payload: { plainToken: string } };
    expect(sent.event).toBe("endpoint.url_validation");
    expect(sent.payload.plainToken).toMatch(/^sb_challenge_/);
    // An endpoint that echoes the token but keys its HMAC with another secret fails the check.
    server.handle((request, response) => {
      const token = (JSON.parse(request.body) as { payload: { plainToken: string } }).payload.plainToken;
      const wrong = createHmac("sha256", "not-the-secret").update(token).digest("hex");
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ plainToken: token, encryptedToken: wrong }));
    });
    const mismatch = await run(argv);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stdout).toContain("200 OK, NOT answered as the spec says");
  });

  it("sends Discord's signed PING (type 1, a JSON number) and exits 0 on the PONG", async () => {
    const discord = await fixtureWebhooks("discord");
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    const applicationKey = publicKey.export({ type: "spki", format: "der" }).subarray(12).toString("hex");
    serving((d) => verifyWebhookDelivery("discord", discord, d, { publicKey: applicationKey }));
    const keyFile = path.join(mkdtempSync(path.join(tmpdir(), "switchboard-discord-")), "key.pem");
    writeFileSync(keyFile, privateKey.export({ type: "pkcs8", format: "pem" }));
    const argv = ["webhook", "send", "discord", "--handshake", "ping", "--secret-file", keyFile, ...fixtures];
    const result = await run([...argv, "--to", `${server.url}/discord`]);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toContain("(ping): 200 OK, answered as the spec says");
    expect(JSON.parse(server.requests.at(-1)!.body)).toEqual({ type: 1 });
    // An endpoint nobody listens on: one line on stderr, exit 1, no stack trace.
    const closed = await startLoopbackServer();
    await closed.close();
    const unreachable = await run([...argv, "--to", `${closed.url}/discord`]);
    expect(unreachable).toMatchObject({ code: 1, stdout: "" });
    expect(unreachable.stderr.startsWith(`switchboard: could not deliver to ${closed.url}/discord: ECONNREFUSED: `)).toBe(true);
    expect(unreachable.stderr.indexOf("\n")).toBe(unreachable.stderr.length - 1); // one line, no stack
  });

  it("sends Asana's X-Hook-Secret POST and exits 0 only when the value comes back in the X-Hook-Secret response header", async () => {
    const asana = await fixtureWebhooks("asana");
    serving((d) => verifyWebhookDelivery("asana", asana, d, { secret: "unused-until-the-handshake" }));
    const argv = ["webhook", "send", "asana", "--handshake", "hookSecret", "--to", `${server.url}/asana`, "--secret", "s", ...fixtures];
    const result = await run(argv);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toMatch(/^POST .*\/asana \(hookSecret\): 200 OK, challenge echoed in the x-hook-secret header\n$/);
    const sent = server.requests.at(-1)!;
    expect(sent.headers["x-hook-secret"]).toMatch(/^sb_challenge_/);
    expect(sent.body).toBe("");
    // An endpoint that echoes the value in the body only (what a text answer does) fails Asana's setup: exit 1.
    server.handle((request, response) => {
      response.writeHead(200, { "content-type": "text/plain" }).end(String(request.headers["x-hook-secret"]));
    });
    const bodyOnly = await run(argv);
    expect(bodyOnly.code).toBe(1);
    expect(bodyOnly.stdout).toContain("200 OK, challenge NOT echoed in the x-hook-secret header");
    // The header with another value, or a non-2xx answer with the right one, fails too.
    server.handle((request, response) => {
      response.writeHead(500, { "x-hook-secret": String(request.headers["x-hook-secret"]) }).end();
    });
    expect((await run(argv)).code).toBe(1);
    server.handle((_request, response) => {
      response.writeHead(204, { "x-hook-secret": "sb_challenge_other" }).end();
    });
    expect((await run(argv)).code).toBe(1);
  });

  it("sends a Zendesk-like text delivery (test/fixtures/webhook-specs/zendesk.yaml) that the verifier accepts as a string payload", async () => {
    const result = await readSpec(resolveConfig({ cwd: repo }), path.join(repo, "test/fixtures/webhook-specs/zendesk.yaml"));
    const zendesk = result.model!.definition.webhooks!;
    const seen: WebhookEvent[] = [];
    const handler = createWebhookHandler({
      verify: (d) => verifyWebhookDelivery("zendesk", zendesk, d, { secret: "zd-secret" }),
      handle: (event) => void seen.push(event),
    });
    server.handle(async (request, response) => {
      const answer = await handler({ headers: request.headers, body: request.body, method: request.method });
      response.writeHead(answer.status, answer.headers).end(answer.body);
    });
    const argv = ["webhook", "send", "zendesk", "ticket.updated", "--to", `${server.url}/zd`, "--specs", "test/fixtures/webhook-specs"];
    expect(await run([...argv, "--secret", "zd-secret"])).toMatchObject({ code: 0, stderr: "" });
    const sent = server.requests.at(-1)!;
    expect(sent.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect(seen).toHaveLength(1);
    expect(seen[0]!.payload).toBe(sent.body);
    expect(seen[0]!.payload).toContain("ticket.updated");
    expect(seen[0]!.id).toBe(sent.headers["x-zendesk-webhook-invocation-id"]);
    expect((await run([...argv, "--secret", "other"])).code).toBe(1);
  });

  it("sends Dropbox's GET ?challenge= and names the spec's handshakes for an unknown one", async () => {
    serving((d) => dropbox.verifyDropboxWebhook(d, { secret: "db" }));
    const result = await run(["webhook", "send", "dropbox", "--handshake", "challenge", "--to", `${server.url}/db`, "--secret", "db"]);
    expect(result).toMatchObject({ code: 0 });
    expect(server.requests.at(-1)!.method).toBe("GET");
    const unknown = await run(["webhook", "send", "dropbox", "--handshake", "ping", "--to", `${server.url}/db`, "--secret", "db"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no handshake "ping" in the spec (it declares challenge)');
  });
});
