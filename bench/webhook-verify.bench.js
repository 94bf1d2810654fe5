/**
 * webhook-verify: verifications per second of the verifier engine, for every provider's scheme, with 2 KB
 * and 64 KB JSON bodies (and, as information, a 2 KB body all ASCII: see eventBody), against the least any
 * verifier must do on the same bytes.
 *
 * Candidate: `verifyWebhookWith(parts, provider, definition, delivery, options[, versions])` from the built
 * runtime (runtime/dist), with the verifier parts `webhookPartsFor` names for the spec, and each spec's webhooks (and, where the generated code passes it, versions)
 * definition as the built generator models it: exactly the one statement a generated
 * `verify<Provider>Webhook(delivery, options)` runs, promise and API-version check included. The body is a Buffer, as
 * a framework's raw-body reader hands it over.
 * The deliveries are made by signWebhook, plus the unsigned headers a provider always sends that the
 * verifier reads (Twitch's message type).
 *
 * Baseline ("raw"), per scheme and size, on the same bytes: node:crypto createHmac over the signed content
 * (fed part by part, no copy of the body), digest, timingSafeEqual against the signature the delivery's
 * header carries (sliced out and decoded per delivery, the least reading of it: a verifier cannot know it
 * in advance), then JSON.parse of the body. No header validation, no timestamp or size checks, no event
 * extraction; secrets are decoded once, as every verifier (this one too) caches them: a raw secret's UTF-8
 * bytes too (until session 9 the baselines passed the secret as a string, which createHmac encodes again on
 * every call, about 0.1 µs of work no verifier needs). For Twilio's
 * form variant: URLSearchParams once, URL + sorted name + value, HMAC-SHA1, the parameters as payload (the
 * engine reads forms with a parser of its own, content.ts, which Node 20's URLSearchParams is about ten
 * times slower than on this body: that ratio is well above 1). For SendGrid (ECDSA) the baseline is crypto.verify with the KeyObject + JSON.parse.
 * For Vonage (a JWT): HMAC-SHA256 of the token's header.payload, its claims parsed, SHA-256 of the body
 * against payload_hash, JSON.parse: both digests the scheme requires (the token's HMAC and the body's
 * hash), and nothing else (no header, exp/nbf, issuer or iat checks). For Microsoft Graph (no signature): JSON.parse of a batch of
 * notifications and each clientState compared with timingSafeEqual.
 *
 * Official libraries on the same deliveries: stripe.webhooks.constructEvent, @octokit/webhooks-methods
 * verify (plus JSON.parse, which it does not do), standardwebhooks Webhook#verify and svix Webhook#verify.
 *
 * Processes: each provider's schemes are measured alone in a fresh process (the verifier of an application
 * that receives that provider's webhooks), then every scheme at 2 KB once more in one process whose engine
 * has first verified all of them (an application that receives every provider's: "(shared engine)", no
 * target). Every scheme thus meets the engine in the same state; until session 11 all ran in one process in
 * list order, and each met an engine that had seen only the schemes listed before it.
 *
 * Timing: calls per second of this process's CPU time (see opsPerSecond). ROUNDS rounds; in each round the baseline and then every candidate run for ROUND_MS each, so
 * that a change of load hits all of them alike. value and baseline are the medians of their rounds; ratio
 * is the median of the per-round ratios (each taken between runs a few hundred milliseconds apart), which
 * a shared, busy machine disturbs much less than the absolute figures.
 */
import {
  createHmac,
  createHash,
  generateKeyPairSync,
  sign as signAsymmetric,
  timingSafeEqual,
  verify as verifyAsymmetric,
  createPublicKey,
} from "node:crypto";
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";

export const name = "webhook-verify";

const ROUNDS = 21;
const ROUND_MS = 100;
/** CPU time each function runs before measuring, so that the JIT has optimised it. */
const WARMUP_MS = 300;
const TARGET = 0.9;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dist = (file) => pathToFileURL(path.join(root, "dist", file)).href;
const require = createRequire(import.meta.url);

const WHSEC = `whsec_${Buffer.from("bench-key-bench-key-bench-key-32").toString("base64")}`;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const round = (v) => (v >= 100 ? Math.round(v) : Math.round(v * 100) / 100);

/**
 * A JSON event of about `size` bytes: ASCII but for one accented name, like a real event; `ascii`: the same
 * with the name unaccented. Node 20's Buffer#toString, which the baselines decode with, takes its slow path
 * for everything after the first non-ASCII byte (2 KB: about 8 µs against 0.7 µs all ASCII); the engine
 * reads such a body in pieces (decodeUtf8, runtime/webhooks/platform/node.ts), so on the accented body its
 * ratio includes that saving, and the all-ASCII body (information, no target) shows its ratio without it.
 */
function eventBody(size, ascii = false) {
  const event = {
    id: "evt_bench_1",
    object: "event",
    type: "invoice.paid",
    created: 1_767_225_600,
    data: { object: { id: "in_1", customer_name: ascii ? "Zoe Bronte" : "Zoë Brontë", lines: [] } },
  };
  let i = 0;
  while (JSON.stringify(event).length < size)
    event.data.object.lines.push({ id: `il_${i++}`, amount: i * 7, description: "Bench line item" });
  return Buffer.from(JSON.stringify(event));
}

/**
 * Runs `fn` (sync or async) for `ms` of this process's CPU time and returns calls per CPU second.
 * CPU time, not wall time: on a shared machine the wall clock also counts the time spent waiting for a
 * core, which has nothing to do with the code measured.
 */
async function opsPerSecond(fn, ms = ROUND_MS) {
  let n = 0;
  const start = process.cpuUsage();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < 16; i++) {
      const r = fn();
      if (r instanceof Promise) await r;
    }
    n += 16;
    const used = process.cpuUsage(start);
    elapsed = (used.user + used.system) / 1000;
  }
  return (n * 1000) / elapsed;
}

/** The raw baseline of Standard Webhooks / Svix: HMAC-SHA256 of "id.timestamp.body" with the decoded key. */
function standardWebhooksRaw(prefix) {
  return (d, body) => {
    const key = Buffer.from(WHSEC.slice("whsec_".length), "base64");
    const { headers } = d;
    const [idName, timestampName, signatureName] = [`${prefix}-id`, `${prefix}-timestamp`, `${prefix}-signature`];
    return () => {
      // Read per delivery, like the other baselines: id, timestamp and signature come with each one.
      const expected = Buffer.from(headers[signatureName].slice("v1,".length), "base64");
      const signedPrefix = `${headers[idName]}.${headers[timestampName]}.`;
      if (!timingSafeEqual(createHmac("sha256", key).update(signedPrefix).update(body).digest(), expected)) throw new Error("raw mismatch");
      return JSON.parse(body.toString("utf8"));
    };
  };
}

/**
 * Every scheme measured alone, each provider in a process of its own (WEBHOOK_VERIFY_WORKER=alone:<provider>),
 * then all of them again in one process whose engine has first verified every scheme (=shared): the two
 * states an application's verifier runs in, and the same state for every scheme (before session 11 every
 * scheme ran in one process in list order, so a scheme met an engine that had verified the schemes before it
 * in the list, and those at the end of the list measured the most polymorphic one).
 */
export async function run(emit) {
  const mode = process.env["WEBHOOK_VERIFY_WORKER"];
  if (mode !== undefined) return measure(emit, mode);
  // WEBHOOK_VERIFY_ONLY=twitch,stripe measures those providers only, in both passes (for profiling a change).
  const only = process.env["WEBHOOK_VERIFY_ONLY"]?.split(",");
  const providers = [...new Set(SCHEME_PROVIDERS)].filter((p) => only === undefined || only.includes(p));
  for (const provider of providers) await worker(`alone:${provider}`, emit, {});
  await worker(`shared:${providers.join(",")}`, emit, { engine: "shared by every scheme" });
}

/** The providers whose schemes `measure` defines, in its order (checked there). */
const SCHEME_PROVIDERS = [
  "stripe",
  "github",
  "slack",
  "shopify",
  "twilio",
  "openai",
  "resend",
  "hubspot",
  "twitch",
  "dropbox",
  "vonage",
  "msgraph",
  "sendgrid",
];

/** Runs `measure` in a fresh process (through the runner's child mode) and emits its records with `extra`. */
function worker(mode, emit, extra) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, "bench/run.js"), "--child", fileURLToPath(import.meta.url)], {
      cwd: root,
      env: { ...process.env, WEBHOOK_VERIFY_WORKER: mode },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const records = [];
    createInterface({ input: child.stdout }).on("line", (line) => {
      if (line.trim() !== "") records.push(JSON.parse(line));
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (code !== 0) return reject(new Error(`webhook-verify: the ${mode} worker failed (${signal ?? `exit code ${code}`})`));
      for (const { bench: _bench, ...record } of records) emit({ ...record, ...extra });
      resolve();
    });
  });
}

/**
 * `alone:<provider>`: that provider's schemes, 2 KB and 64 KB, official libraries included.
 * `shared:<providers>`: every scheme of those providers at 2 KB, candidate and baseline only, after every
 * candidate has run WARMUP_MS, so that each is measured on the engine as an application that verifies all
 * of them keeps it; metrics named `verify <scheme> 2kb (shared engine)`, with no target.
 */
async function measure(emit, mode) {
  const [pass, list] = mode.split(":");
  const selected = (list ?? "").split(",");
  const shared = pass === "shared";
  const { verifyWebhookWith, webhookPartsFor, signWebhook, ...contractExports } = await import(
    pathToFileURL(path.join(root, "runtime/dist/contract.js")).href
  ).then(async (contract) => ({ ...contract, ...(await import(pathToFileURL(path.join(root, "runtime/dist/index.js")).href)) }));
  const { resolveConfig, readSpec } = await import(dist("generator/index.js")).then(async (g) => ({
    ...g,
    ...(await import(dist("generator/generate.js"))),
  }));
  const config = resolveConfig({ cwd: root });
  const definitionOf = async (provider) => {
    const result = await readSpec(config, path.join(root, "specs", `${provider}.yaml`));
    if (!result.model?.definition.webhooks) throw new Error(`webhook-verify: specs/${provider}.yaml has no webhooks`);
    return result.model.definition.webhooks;
  };
  // The versions definition goes along exactly where the generated verify<Provider>Webhook passes it (a spec with
  // webhooks.apiVersion and versions: Stripe, Shopify), so that the event's API version is checked too.
  const versionsOf = async (provider) => {
    const { definition } = (await readSpec(config, path.join(root, "specs", `${provider}.yaml`))).model;
    if (definition.webhooks.apiVersion === undefined) return undefined;
    // What the generated code passes (<provider>WebhookVersions): the versions and the migration chain.
    const { pinned, supported, migrations } = definition.versions;
    return { pinned, supported, migrations: migrations.map(({ from, to }) => ({ from, to })) };
  };
  const Stripe = require("stripe");
  const { verify: octokitVerify } = await import("@octokit/webhooks-methods");
  const { Webhook: StandardWebhook } = require("standardwebhooks");
  const { Webhook: SvixWebhook } = require("svix");
  const ec = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const ecPublicB64 = ec.publicKey.export({ type: "spki", format: "der" }).toString("base64");
  const ecPublic = createPublicKey({ key: Buffer.from(ecPublicB64, "base64"), format: "der", type: "spki" });

  /** One scheme: how to build the delivery, the raw baseline on the same bytes, and library verifiers. */
  const schemes = [
    {
      provider: "stripe",
      secret: "whsec_bench_secret",
      hmac: true,
      raw: (d, body) => {
        const key = Buffer.from("whsec_bench_secret");
        return () => {
          const [t, v1] = d.headers["stripe-signature"].split(",");
          const expected = Buffer.from(v1.slice(3), "hex");
          const digest = createHmac("sha256", key)
            .update(`${t.slice(2)}.`)
            .update(body)
            .digest();
          if (!timingSafeEqual(digest, expected)) throw new Error("raw mismatch");
          return JSON.parse(body.toString("utf8"));
        };
      },
      libraries: (d, body) => ({
        "stripe.webhooks.constructEvent": () =>
          Stripe.webhooks.constructEvent(body, d.headers["stripe-signature"], "whsec_bench_secret", Infinity),
      }),
    },
    {
      provider: "github",
      secret: "gh bench secret",
      hmac: true,
      raw: (d, body) => {
        const key = Buffer.from("gh bench secret");
        return () => {
          const expected = Buffer.from(d.headers["x-hub-signature-256"].slice(7), "hex");
          if (!timingSafeEqual(createHmac("sha256", key).update(body).digest(), expected)) throw new Error("raw mismatch");
          return JSON.parse(body.toString("utf8"));
        };
      },
      libraries: (d, body) => ({
        // octokit takes a string: decoding the received bytes is part of using it.
        "@octokit/webhooks-methods verify + JSON.parse": async () => {
          const text = body.toString("utf8");
          if (!(await octokitVerify("gh bench secret", text, d.headers["x-hub-signature-256"]))) throw new Error("octokit rejected");
          return JSON.parse(text);
        },
      }),
    },
    {
      provider: "slack",
      secret: "slack bench secret",
      hmac: true,
      raw: (d, body) => {
        const key = Buffer.from("slack bench secret");
        return () => {
          const expected = Buffer.from(d.headers["x-slack-signature"].slice(3), "hex");
          const ts = d.headers["x-slack-request-timestamp"];
          const digest = createHmac("sha256", key).update(`v0:${ts}:`).update(body).digest();
          if (!timingSafeEqual(digest, expected)) throw new Error("raw mismatch");
          return JSON.parse(body.toString("utf8"));
        };
      },
    },
    {
      provider: "shopify",
      secret: "shpss_bench",
      hmac: true,
      raw: (d, body) => {
        const key = Buffer.from("shpss_bench");
        return () => {
          const expected = Buffer.from(d.headers["x-shopify-hmac-sha256"], "base64");
          if (!timingSafeEqual(createHmac("sha256", key).update(body).digest(), expected)) throw new Error("raw mismatch");
          return JSON.parse(body.toString("utf8"));
        };
      },
    },
    {
      provider: "twilio",
      variant: "json-bodySHA256",
      secret: "twilio token",
      url: "https://hooks.example.com/twilio/status",
      hmac: true,
      raw: (d, body) => {
        const key = Buffer.from("twilio token");
        return () => {
          const expected = Buffer.from(d.headers["x-twilio-signature"], "base64");
          // The least reading of the claimed hash: the query value after "bodySHA256=" (hex, 64 characters).
          const at = d.url.indexOf("bodySHA256=") + "bodySHA256=".length;
          const claimed = Buffer.from(d.url.slice(at, at + 64));
          if (!timingSafeEqual(createHmac("sha1", key).update(d.url).digest(), expected)) throw new Error("raw mismatch");
          if (!timingSafeEqual(Buffer.from(createHash("sha256").update(body).digest("hex")), claimed)) throw new Error("raw hash mismatch");
          return JSON.parse(body.toString("utf8"));
        };
      },
    },
    {
      provider: "twilio",
      variant: "form",
      secret: "twilio token",
      url: "https://hooks.example.com/twilio/status",
      form: true,
      hmac: true,
      raw: (d, body) => {
        const key = Buffer.from("twilio token");
        return () => {
          const expected = Buffer.from(d.headers["x-twilio-signature"], "base64");
          // The least a form verifier does: read the parameters once, sign URL + sorted name + value.
          const params = Object.fromEntries(new URLSearchParams(body.toString("utf8")));
          let signed = d.url;
          for (const k of Object.keys(params).sort()) signed += k + params[k];
          if (!timingSafeEqual(createHmac("sha1", key).update(signed).digest(), expected)) throw new Error("raw mismatch");
          return params;
        };
      },
    },
    {
      provider: "openai",
      label: "openai (Standard Webhooks)",
      secret: WHSEC,
      hmac: true,
      raw: standardWebhooksRaw("webhook"),
      libraries: (d, body) => {
        const wh = new StandardWebhook(WHSEC);
        return { "standardwebhooks Webhook#verify": () => wh.verify(body, d.headers) };
      },
    },
    {
      provider: "resend",
      label: "resend (Svix)",
      secret: WHSEC,
      hmac: true,
      raw: standardWebhooksRaw("svix"),
      libraries: (d, body) => {
        const wh = new SvixWebhook(WHSEC);
        return { "svix Webhook#verify": () => wh.verify(body, d.headers) };
      },
    },
    {
      provider: "hubspot",
      label: "hubspot (v3: method + URL + body + ms timestamp)",
      secret: "hubspot-client-secret",
      url: "https://hooks.example.com/hubspot?portal=62515",
      hmac: true,
      raw: (d, body) => {
        const key = Buffer.from("hubspot-client-secret");
        return () => {
          const expected = Buffer.from(d.headers["x-hubspot-signature-v3"], "base64");
          const digest = createHmac("sha256", key)
            .update(`POST${d.url}`)
            .update(body)
            .update(d.headers["x-hubspot-request-timestamp"])
            .digest();
          if (!timingSafeEqual(digest, expected)) throw new Error("raw mismatch");
          return JSON.parse(body.toString("utf8"));
        };
      },
    },
    {
      provider: "twitch",
      label: "twitch (EventSub: id + RFC 3339 timestamp + body)",
      secret: "twitch-eventsub-secret",
      // Every EventSub delivery names its message type (notification, webhook_callback_verification,
      // revocation); signWebhook writes only the signed headers.
      headers: { "twitch-eventsub-message-type": "notification" },
      hmac: true,
      raw: (d, body) => {
        const key = Buffer.from("twitch-eventsub-secret");
        return () => {
          const expected = Buffer.from(d.headers["twitch-eventsub-message-signature"].slice(7), "hex");
          const digest = createHmac("sha256", key)
            .update(d.headers["twitch-eventsub-message-id"] + d.headers["twitch-eventsub-message-timestamp"])
            .update(body)
            .digest();
          if (!timingSafeEqual(digest, expected)) throw new Error("raw mismatch");
          return JSON.parse(body.toString("utf8"));
        };
      },
    },
    {
      provider: "dropbox",
      secret: "dropbox-app-secret",
      hmac: true,
      raw: (d, body) => {
        const key = Buffer.from("dropbox-app-secret");
        return () => {
          const expected = Buffer.from(d.headers["x-dropbox-signature"], "hex");
          if (!timingSafeEqual(createHmac("sha256", key).update(body).digest(), expected)) throw new Error("raw mismatch");
          return JSON.parse(body.toString("utf8"));
        };
      },
    },
    {
      provider: "vonage",
      label: "vonage (JWT HS256 + payload_hash)",
      secret: "vonage-signature-secret",
      hmac: true,
      raw: (d, body) => {
        const key = Buffer.from("vonage-signature-secret");
        return () => {
          // The least a JWT verifier does: split the token, HMAC header.payload, read the claims, hash the body.
          const jwt = d.headers["authorization"].slice("Bearer ".length);
          const second = jwt.lastIndexOf(".");
          const expected = Buffer.from(jwt.slice(second + 1), "base64url");
          if (!timingSafeEqual(createHmac("sha256", key).update(jwt.slice(0, second)).digest(), expected)) throw new Error("raw mismatch");
          const claims = JSON.parse(Buffer.from(jwt.slice(jwt.indexOf(".") + 1, second), "base64url").toString());
          const hash = createHash("sha256").update(body).digest();
          if (!timingSafeEqual(hash, Buffer.from(claims.payload_hash, "hex"))) throw new Error("raw hash mismatch");
          return JSON.parse(body.toString("utf8"));
        };
      },
    },
    {
      provider: "msgraph",
      label: "msgraph (clientState in every notification)",
      secret: "graph-client-state-secret",
      hmac: true,
      notifications: true,
      raw: (d, body) => {
        const secret = Buffer.from("graph-client-state-secret");
        return () => {
          // The least: JSON.parse, then each clientState compared in constant time with the secret.
          const payload = JSON.parse(body.toString("utf8"));
          for (const n of payload.value) {
            const state = Buffer.from(n.clientState);
            if (state.length !== secret.length || !timingSafeEqual(state, secret)) throw new Error("raw mismatch");
          }
          return payload;
        };
      },
    },
    {
      provider: "sendgrid",
      label: "sendgrid (ECDSA P-256)",
      signingKey: ec.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      options: { publicKey: ecPublicB64 },
      hmac: false,
      raw: (d, body) => {
        const signature = Buffer.from(d.headers["x-twilio-email-event-webhook-signature"], "base64");
        const ts = Buffer.from(d.headers["x-twilio-email-event-webhook-timestamp"]);
        return () => {
          if (!verifyAsymmetric("sha256", Buffer.concat([ts, body]), { key: ecPublic, dsaEncoding: "der" }, signature))
            throw new Error("raw mismatch");
          return JSON.parse(body.toString("utf8"));
        };
      },
    },
  ];

  const defined = [...new Set(schemes.map((s) => s.provider))];
  if (defined.join(",") !== SCHEME_PROVIDERS.join(","))
    throw new Error(`webhook-verify: SCHEME_PROVIDERS must list ${defined.join(", ")}, in that order`);

  const cases = [];
  const bodies = shared
    ? [{ size: 2048, label: "2kb" }]
    : [
        { size: 2048, label: "2kb" },
        { size: 2048, label: "2kb all-ASCII", ascii: true },
        { size: 65536, label: "64kb" },
      ];
  for (const { size, label, ascii } of bodies) {
    const bodyJson = eventBody(size, ascii);
    // Graph's deliveries are batches: notifications of about 300 bytes up to the size, clientState written in by signWebhook.
    const notification = {
      subscriptionId: "7f105c7d-2dc5-4530-97cd-4e7ae6534c07",
      changeType: "created",
      resource: "users/1/messages/AAMk",
      resourceData: { "@odata.type": "#Microsoft.Graph.Message", id: "AAMkADMxZmEz" },
      clientState: "",
      tenantId: "84bd8158-6d4d-4958-8b9f-9d6445542f95",
    };
    const batch = { value: [] };
    while (JSON.stringify(batch).length < size - 300) batch.value.push(notification);
    const bodyBatch = Buffer.from(JSON.stringify(batch));
    const bodyForm = Buffer.from(
      new URLSearchParams({ MessageSid: "SM1", MessageStatus: "delivered", From: "+15551234567", Body: "x".repeat(size - 80) }).toString(),
    );
    // The all-ASCII case is for the JSON events only: the form and the notification batch are ASCII already.
    for (const scheme of schemes.filter((s) => selected.includes(s.provider) && !(ascii && (s.form || s.notifications)))) {
      const definition = await definitionOf(scheme.provider);
      const versions = await versionsOf(scheme.provider);
      // Signed now: the libraries judge the timestamp by the real clock.
      const NOW = Math.floor(Date.now() / 1000);
      const unsigned = scheme.form ? bodyForm : scheme.notifications ? bodyBatch : bodyJson;
      const signed = signWebhook(definition, {
        body: unsigned,
        secret: scheme.signingKey ?? scheme.secret,
        timestamp: NOW,
        id: "msg_bench_1",
        ...(scheme.url !== undefined && { url: scheme.url }),
      });
      // A shared-secret scheme writes the secret into the body: the body sent is that one.
      const body = signed.body !== undefined ? Buffer.from(signed.body) : unsigned;
      const delivery = { headers: { ...signed.headers, ...scheme.headers }, body, ...(signed.url !== undefined && { url: signed.url }) };
      const options = { ...(scheme.options ?? { secret: scheme.secret }), now: NOW };
      const parts = webhookPartsFor(definition).map((name) => contractExports[name]);
      const candidate = () => verifyWebhookWith(parts, scheme.provider, definition, delivery, options, versions);
      const raw = scheme.raw(delivery, body);
      // Each must accept before it is timed.
      await candidate();
      raw();
      const libraries = shared || ascii ? [] : Object.entries(scheme.libraries?.(delivery, body) ?? {});
      for (const [, fn] of libraries) await fn();
      const schemeName = scheme.variant ? `${scheme.provider} (${scheme.variant})` : (scheme.label ?? scheme.provider);
      cases.push({ scheme, schemeName, label, ascii, body, raw, candidate, libraries });
    }
  }
  // The shared engine: every candidate runs before any is measured.
  if (shared) for (const { candidate } of cases) await opsPerSecond(candidate, WARMUP_MS);

  for (const { scheme, schemeName, label, ascii, body, raw, candidate, libraries } of cases) {
    const runners = [["raw", raw], ["candidate", candidate], ...libraries];
    for (const [, fn] of runners) await opsPerSecond(fn, WARMUP_MS);

    // Rounds alternate the order, so that no runner always follows the same one.
    const samples = Object.fromEntries(runners.map(([n]) => [n, []]));
    for (let r = 0; r < ROUNDS; r++) {
      const order = r % 2 === 0 ? runners : [...runners].reverse();
      for (const [n, fn] of order) samples[n].push(await opsPerSecond(fn));
    }
    const baseline = median(samples.raw);
    const ratioOf = (values) => Math.round(median(values.map((v, r) => v / samples.raw[r])) * 1000) / 1000;
    const value = median(samples.candidate);
    emit({
      metric: `verify ${schemeName} ${label}${shared ? " (shared engine)" : ""}`,
      value: round(value),
      unit: "verifications/s",
      baseline: round(baseline),
      ratio: ratioOf(samples.candidate),
      ...(scheme.hmac && !shared && !ascii ? { target: `>= ${TARGET}` } : {}),
      scheme: schemeName,
      body_bytes: body.length,
    });
    for (const [n] of libraries) {
      emit({
        metric: `${n} ${label}`,
        value: round(median(samples[n])),
        unit: "verifications/s",
        baseline: round(baseline),
        ratio: ratioOf(samples[n]),
        scheme: schemeName,
        body_bytes: body.length,
      });
    }
  }
}
