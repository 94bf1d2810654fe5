/**
 * The mock remembers what it created and pages its lists as each spec's pagination section says:
 * made-up ids are unique per object and stable per seed, a created object is answered again by its id,
 * and `for await` over a list walks several pages in every pagination style the bundled specs use
 * (Stripe's starting_after cursor, Slack's body cursor, GitHub's and Shopify's Link header, Twilio's and
 * SendGrid's next URL in the body, HubSpot's cursor in a search's JSON body).
 */
import { afterEach, describe, expect, it } from "vitest";
import { startMockProvider, type MockProvider, type MockProviderOptions } from "../../testing/index.js";
import { fromPattern } from "../../testing/schema.js";
import { createGithubClient } from "../../generated/github/index.js";
import { createHubspotClient } from "../../generated/hubspot/index.js";
import { createSendgridClient } from "../../generated/sendgrid/index.js";
import { createShopifyClient } from "../../generated/shopify/index.js";
import { createSlackClient } from "../../generated/slack/index.js";
import { createStripeClient } from "../../generated/stripe/index.js";
import { createTwilioClient } from "../../generated/twilio/index.js";

const mocks: MockProvider[] = [];
async function mock(spec: string, options: MockProviderOptions = {}): Promise<MockProvider> {
  const started = await startMockProvider(spec, options);
  mocks.push(started);
  return started;
}
afterEach(async () => {
  await Promise.all(mocks.splice(0).map((m) => m.stop()));
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const twilioClient = (server: MockProvider) => createTwilioClient({ auth: { username: "AC123", password: "token" }, baseUrl: server.url });
const sms = (i: number) => ({ accountSid: "AC123", body: { To: "+15005550006", From: "+15005550001", Body: `m${i}` } });

describe("made-up ids", () => {
  it("are unique per object, in the schema's pattern, and the same for the same seed", async () => {
    const sids = async (seed: number) => {
      const twilio = twilioClient(await mock("specs/twilio.yaml", { seed }));
      const out: string[] = [];
      for (let i = 0; i < 3; i++) out.push((await twilio.messages.create(sms(i))).sid!);
      return out;
    };
    const first = await sids(5);
    expect(new Set(first).size).toBe(3);
    for (const sid of first) expect(sid).toMatch(/^(SM|MM)[0-9a-fA-F]{32}$/);
    expect(await sids(5)).toEqual(first);
    expect(await sids(6)).not.toEqual(first);
  });

  it("stay the object's own when a fixture gives the rest (Stripe's prefix kept)", async () => {
    const stripe = createStripeClient({ auth: { token: "sk_test_x" }, baseUrl: (await mock("specs/stripe.yaml")).url });
    const a = await stripe.customers.create({ body: { name: "Ada" } });
    const b = await stripe.customers.create({ body: { name: "Bob" } });
    expect(a.id).not.toBe(b.id);
    expect(a.id).toMatch(/^cus_/);
  });

  it("follow simple patterns and refuse the others", () => {
    expect(fromPattern("^AC[0-9a-f]{4}$", "0123456789abcdef")).toBe("AC0123");
    expect(fromPattern("^(SM|MM)[a-c]{2}$", "00")).toBe("SMaa");
    expect(fromPattern("^[a-z]+$", "00")).toBeUndefined();
    expect(fromPattern("no anchors", "00")).toBeUndefined();
  });
});

describe("created objects", () => {
  it("are answered again by their id (Twilio's fetch after create), and listed", async () => {
    const server = await mock("specs/twilio.yaml");
    const twilio = twilioClient(server);
    const created = await twilio.messages.create(sms(1));
    const second = await twilio.messages.create(sms(2));
    const fetched = await twilio.messages.fetch({ accountSid: "AC123", sid: created.sid! });
    expect(fetched).toEqual(created);
    const listed = await collect(twilio.messages.list({ accountSid: "AC123" }));
    expect(listed.map((m) => m.sid)).toEqual([created.sid, second.sid]);
  });

  it("an id the mock never created still gets a made-up answer", async () => {
    const twilio = twilioClient(await mock("specs/twilio.yaml"));
    const fetched = await twilio.messages.fetch({ accountSid: "AC123", sid: "SM00000000000000000000000000000000" });
    expect(typeof fetched.sid).toBe("string");
  });
});

describe("lists page as the spec says", () => {
  it("Stripe (starting_after from the last item, has_more): the created customers over three pages", async () => {
    const server = await mock("specs/stripe.yaml");
    const stripe = createStripeClient({ auth: { token: "sk_test_x" }, baseUrl: server.url });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await stripe.customers.create({ body: { email: `c${i}@example.com` } })).id);
    server.clearLog();
    const listed = await collect(stripe.customers.list());
    expect(listed.map((c) => c.id)).toEqual(ids);
    expect(server.requests.map((r) => r.query.starting_after)).toEqual([undefined, ids[1], ids[3]]);
  });

  it("Slack (cursor in the body): five made-up channels, two a page unless the request says", async () => {
    const server = await mock("specs/slack.yaml");
    const slack = createSlackClient({ auth: { token: "xoxb-x" }, baseUrl: server.url });
    expect(await collect(slack.conversations.list())).toHaveLength(5);
    expect(server.requests).toHaveLength(3);
    server.clearLog();
    expect(await collect(slack.conversations.list({ limit: 4 }))).toHaveLength(5);
    expect(server.requests).toHaveLength(2);
  });

  it("GitHub (Link header, page numbers) and Shopify (Link header, page_info)", async () => {
    const gh = await mock("specs/github.yaml", { listLength: 3, pageSize: 1 });
    const github = createGithubClient({ auth: { token: "ghp_x" }, baseUrl: gh.url });
    expect(await collect(github.issues.listForRepo({ owner: "o", repo: "r" }))).toHaveLength(3);
    expect(gh.requests.map((r) => r.query.page)).toEqual([undefined, "2", "3"]);

    const shop = await mock("specs/shopify.yaml");
    const shopify = createShopifyClient({ auth: { apiKey: "shpat_x" }, baseUrl: shop.url, variables: { shop: "s.myshopify.com" } });
    expect(await collect(shopify.orders.list())).toHaveLength(5);
    expect(shop.requests.map((r) => r.query.page_info)).toEqual([undefined, "mock_2", "mock_4"]);
  });

  it("HubSpot, which declares no answer schema: made-up objects with an id, the cursor in the query (list) and in the JSON body (search)", async () => {
    const server = await mock("specs/hubspot.yaml", { listLength: 5, pageSize: 2 });
    const hubspot = createHubspotClient({ auth: { token: "pat-x" }, baseUrl: server.url });
    const listed = (await collect(hubspot.crm.contacts.list())) as { id: string }[];
    expect(new Set(listed.map((c) => c.id)).size).toBe(5);
    expect(server.requests.map((r) => r.query.after)).toEqual([undefined, "mock_2", "mock_4"]);
    server.clearLog();
    // A search is a POST, but a list: its answer is a page, not the request body echoed as a created object.
    const found = (await collect(hubspot.crm.contacts.search({ body: { filterGroups: [], limit: 2 } }))) as Record<string, unknown>[];
    expect(found).toHaveLength(5);
    expect(found.every((c) => typeof c["id"] === "string" && !("filterGroups" in c))).toBe(true);
    expect(server.requests.map((r) => (r.body as { after?: string }).after)).toEqual([undefined, "mock_2", "mock_4"]);
  });

  it("Twilio and SendGrid (the next page's URL in the body)", async () => {
    const server = await mock("specs/twilio.yaml", { pageSize: 4 });
    expect(await collect(twilioClient(server).messages.list({ accountSid: "AC123" }))).toHaveLength(5);
    expect(server.requests).toHaveLength(2);

    const sg = await mock("specs/sendgrid.yaml");
    const sendgrid = createSendgridClient({ auth: { token: "SG.x" }, baseUrl: sg.url });
    const templates = await collect(sendgrid.templates.list({ pageSize: 2 }));
    expect(templates).toHaveLength(5);
    expect(sg.requests).toHaveLength(3);
  });
});
