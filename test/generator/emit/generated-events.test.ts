/**
 * Typed webhook events in the committed output: usage files compile against generated/stripe and
 * generated/github (right handlers compile, wrong event names and fields are errors), the generated
 * routers dispatch, GitHub's event list is complete, and regenerating GitHub's module (the big one,
 * imported) gives the committed bytes.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { resolveConfig } from "../../../generator/config.js";
import { generate } from "../../../generator/generate.js";
import {
  createGithubWebhookRouter,
  githubWebhookEventTypes as githubEventTypes,
  type GithubIssuesEvent,
} from "../../../generated/github/index.js";
import {
  createStripeWebhookRouter,
  type StripePaymentIntentSucceededEvent,
  type StripeWebhookEvent,
} from "../../../generated/stripe/index.js";
import { isWebhookHandlerError } from "../../../runtime/index.js";
import { repoRoot, typecheck } from "../../helpers/typecheck.js";

describe("generated Stripe events", () => {
  it("on() narrows payloads; wrong event names and wrong fields do not compile", () => {
    const usage = `
import { createStripeWebhookRouter, type StripeWebhookEvent, type StripeWebhookPayloads } from "../../generated/stripe/index.js";

const router = createStripeWebhookRouter();
router.on("payment_intent.succeeded", (e) => {
  const amount: number = e.payload.data.object.amount;
  const customer: string | null = e.payload.data.object.customer;
  const type: "payment_intent.succeeded" = e.payload.type;
  const object: "payment_intent" = e.payload.data.object.object;
  void amount, customer, type, object;
});
router.on("payment_intent.payment_failed", (e) => {
  const reason: string | undefined = e.payload.data.object.last_payment_error?.message;
  void reason;
});
router.on("customer.created", (e) => {
  const email: string | null = e.payload.data.object.email;
  void email;
});
router.on("customer.updated", (e) => void e.payload.data.previous_attributes);
// An event without a payload schema has an unknown payload.
router.on("invoice.paid", (e) => {
  const payload: unknown = e.payload;
  // @ts-expect-error the payload is unknown
  void e.payload.id;
  void payload;
});
router.onAny((e) => {
  if (e.type === "customer.created") void e.payload.data.object.balance;
});
export function named(p: StripeWebhookPayloads.PaymentIntent): number {
  return p.amount_received;
}
export function union(e: StripeWebhookEvent): string {
  return e.type;
}

// @ts-expect-error not an event type Stripe sends (per the spec)
router.on("payment_intent.succeded", () => {});
// @ts-expect-error amount is on the PaymentIntent, not the envelope
router.on("payment_intent.succeeded", (e) => e.payload.amount);
// @ts-expect-error a field PaymentIntent does not have
router.on("payment_intent.succeeded", (e) => e.payload.data.object.amount_refunded);
// @ts-expect-error a customer has no amount
router.on("customer.created", (e) => e.payload.data.object.amount);
// @ts-expect-error the type literal is narrowed
router.on("customer.created", (e) => { const t: "customer.updated" = e.payload.type; void t; });
`;
    expect(typecheck({ "usage.ts": usage }).diagnostics).toEqual([]);
  });

  it("the generated router dispatches to the narrowed handler and rejects when it fails", async () => {
    const seen: number[] = [];
    const router = createStripeWebhookRouter().on("payment_intent.succeeded", (e) => void seen.push(e.payload.data.object.amount));
    const event = {
      type: "payment_intent.succeeded",
      id: "evt_1",
      payload: { data: { object: { amount: 2000 } } },
    } as unknown as StripePaymentIntentSucceededEvent;
    await router.dispatch(event);
    await router.dispatch({ type: "customer.deleted", id: "evt_2", payload: {} } satisfies StripeWebhookEvent);
    expect(seen).toEqual([2000]);
    router.on("customer.deleted", () => Promise.reject(new Error("down")));
    await expect(router.dispatch({ type: "customer.deleted", id: "evt_3", payload: {} })).rejects.toSatisfy(isWebhookHandlerError);
  });

  it("the generated router refuses, at run time too, an event type the spec does not list", () => {
    const router = createStripeWebhookRouter() as unknown as { on(type: string, handler: () => void): unknown };
    expect(() => router.on("payment_intent.succeded", () => {})).toThrow('WebhookRouter.on: unknown event type "payment_intent.succeded"');
  });
});

describe("generated GitHub events", () => {
  it("webhookEventTypes lists every event type of @octokit/openapi-webhooks' document", () => {
    const file = createRequire(path.join(repoRoot, "specs/github.yaml")).resolve("@octokit/openapi-webhooks/generated/api.github.com.json");
    const document = JSON.parse(readFileSync(file, "utf8")) as {
      webhooks: Record<string, { post: { "x-github": { subcategory: string } } }>;
    };
    const documented = new Set(Object.values(document.webhooks).map((w) => w.post["x-github"].subcategory.replace(/-/g, "_")));
    expect(githubEventTypes).toHaveLength(documented.size);
    expect(new Set(githubEventTypes)).toEqual(documented);
  });

  it("payloads are unions over actions, narrowed by action; wrong names and fields do not compile", () => {
    const usage = `
import { createGithubWebhookRouter, type GithubWebhookPayloads } from "../../generated/github/index.js";

const router = createGithubWebhookRouter();
router.on("issues", (e) => {
  if (e.payload.action === "opened") {
    const n: number = e.payload.issue.number;
    const login: string = e.payload.sender.login;
    void n, login;
  }
  if (e.payload.action === "labeled") void e.payload.label?.name;
  // @ts-expect-error label is not on every action's payload
  void e.payload.label;
});
router.on("push", (e) => {
  const ref: string = e.payload.ref;
  const commits: number = e.payload.commits.length;
  void ref, commits;
});
router.on(["pull_request", "pull_request_review"], (e) => void e.payload.pull_request.number);
router.on("sub_issues", (e) => void e.payload.action);
export const opened = (p: GithubWebhookPayloads.WebhookIssuesOpened): "opened" => p.action;

// @ts-expect-error GitHub's event is "issues", the action is in the payload
router.on("issues.opened", () => {});
// @ts-expect-error not a field of a push payload
router.on("push", (e) => e.payload.issue);
// @ts-expect-error "reopen" is not an action of issues
router.on("issues", (e) => void (e.payload.action === "reopen"));
`;
    expect(typecheck({ "usage.ts": usage }).diagnostics).toEqual([]);
  });

  it("the generated router dispatches a GitHub event to its handler", async () => {
    const numbers: number[] = [];
    const router = createGithubWebhookRouter().on("issues", (e) => {
      if (e.payload.action === "opened") numbers.push(e.payload.issue.number);
    });
    await router.dispatch({
      type: "issues",
      id: "d-1",
      payload: { action: "opened", issue: { number: 7 } },
    } as unknown as GithubIssuesEvent);
    expect(numbers).toEqual([7]);
  });

  it("regenerating github (with the imported document) gives the committed bytes", async () => {
    const config = resolveConfig({ cwd: repoRoot });
    const result = await generate(config, [path.join(repoRoot, "specs/github.yaml")]);
    expect(result.diagnostics).toEqual([]);
    const [provider] = result.providers;
    expect(provider!.events).toBe(75);
    for (const [file, text] of provider!.files) expect(text === readFileSync(file, "utf8"), path.relative(repoRoot, file)).toBe(true);
  });
});
