/**
 * Pagination styles against a loopback server that pages like each provider: every item once, empty
 * first pages, last pages, a provider that repeats its cursor or URL (must stop, not loop), abort, and
 * the rate limiter between pages.
 */
import { describe, expect, it } from "vitest";
import { coreFor } from "../../helpers/client-core.js";
import type { OperationDefinition, PaginationDefinition } from "../../../runtime/definition.js";
import type { ClientEvent } from "../../../runtime/client/events.js";
import { ApiPromise } from "../../../runtime/client/api-promise.js";
import { nextLink, paginate } from "../../../runtime/client/pagination.js";
import { json, useLoopbackServer, type LoopbackServer, type RecordedRequest } from "../../helpers/loopback-server.js";
import { op, testDefinition } from "../../helpers/test-provider.js";

const server = useLoopbackServer();

const ITEMS = Array.from({ length: 7 }, (_, i) => ({ id: `obj_${i + 1}` }));

function list(pagination: PaginationDefinition): OperationDefinition {
  return op("GET", "/items", { pagination });
}

/** Operations of the test's provider page by Link headers too: its core carries the providerUrls part. */
function core(events?: ClientEvent[], buckets = {}) {
  return coreFor(
    testDefinition({ rateLimits: { limitedWhen: [], buckets } }),
    {
      auth: { token: "t" },
      baseUrl: server.url,
      ...(events && { onEvent: (e: ClientEvent) => events.push(e) }),
    },
    [list({ style: "linkHeader", items: [] })],
  );
}

async function all<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

const query = (request: RecordedRequest) => new URL(request.url, "http://x").searchParams;

const STRIPE_PAGINATION: PaginationDefinition = {
  style: "cursor",
  items: ["data"],
  param: "starting_after",
  cursor: { lastItem: ["id"] },
  hasMore: ["has_more"],
};

describe("cursor from the last item (Stripe starting_after + has_more)", () => {
  const pagination = STRIPE_PAGINATION;
  const stripeLike =
    (items: { id: string }[]) => (request: RecordedRequest, response: Parameters<Parameters<LoopbackServer["handle"]>[0]>[1]) => {
      const after = query(request).get("starting_after");
      const start = after === null ? 0 : items.findIndex((i) => i.id === after) + 1;
      const data = items.slice(start, start + 3);
      json(response, 200, { object: "list", data, has_more: start + 3 < items.length });
    };

  it("yields every item once and stops when has_more is false", async () => {
    server.handle(stripeLike(ITEMS));
    expect(await all(paginate(core(), list(pagination), { path: "/items", query: { limit: 3 } }))).toEqual(ITEMS);
    expect(server.requests.map((r) => query(r).get("starting_after"))).toEqual([null, "obj_3", "obj_6"]);
    expect(server.requests.every((r) => query(r).get("limit") === "3")).toBe(true);
  });

  it("an empty first page ends at once", async () => {
    server.handle(stripeLike([]));
    expect(await all(paginate(core(), list(pagination), { path: "/items" }))).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it("stops when the provider hands out a cursor it gave before", async () => {
    server.handle((_request, response) => json(response, 200, { data: [{ id: "same" }], has_more: true }));
    const items = await all(paginate(core(), list(pagination), { path: "/items" }));
    expect(items).toEqual([{ id: "same" }, { id: "same" }]);
    expect(server.requests).toHaveLength(2);
  });
});

describe("cursor in the body (Slack response_metadata.next_cursor)", () => {
  const pagination: PaginationDefinition = {
    style: "cursor",
    items: ["channels"],
    param: "cursor",
    cursor: { body: ["response_metadata", "next_cursor"] },
  };

  it("follows next_cursor until it is empty", async () => {
    server.handle((request, response) => {
      const cursor = query(request).get("cursor");
      if (cursor === null) json(response, 200, { ok: true, channels: [1, 2], response_metadata: { next_cursor: "dXNlcjpVMEc5V0ZYTlo=" } });
      else json(response, 200, { ok: true, channels: [3], response_metadata: { next_cursor: "" } });
    });
    expect(await all(paginate(core(), list(pagination), { path: "/items" }))).toEqual([1, 2, 3]);
    expect(query(server.requests[1]!).get("cursor")).toBe("dXNlcjpVMEc5V0ZYTlo=");
  });
});

describe("Link header rel=next (GitHub, Shopify)", () => {
  const pagination: PaginationDefinition = { style: "linkHeader", items: [] };

  it("follows rel=next, absolute or relative, to the last page", async () => {
    server.handle((request, response) => {
      const page = Number(query(request).get("page") ?? 1);
      const links = [
        page < 3 ? `<${page === 1 ? server.url : ""}/items?per_page=2&page=${page + 1}>; rel="next"` : undefined,
        `<${server.url}/items?per_page=2&page=3>; rel="last"`,
      ].filter(Boolean);
      json(response, 200, ITEMS.slice((page - 1) * 2, page * 2), { link: links.join(", ") });
    });
    const pages = [];
    for await (const page of paginate(core(), list(pagination), { path: "/items", query: { per_page: 2 } }).pages())
      pages.push(page.items.length);
    expect(pages).toEqual([2, 2, 2]);
  });

  it("stops when next points back to a page already read", async () => {
    server.handle((_request, response) => json(response, 200, [1], { link: `<${server.url}/items?page=2>; rel="next"` }));
    expect(await all(paginate(core(), list(pagination), { path: "/items" }))).toEqual([1, 1]);
    expect(server.requests).toHaveLength(2);
  });

  it("never follows a next link to another origin with the client's credentials", async () => {
    server.handle((_request, response) => json(response, 200, [1], { link: '<https://evil.example/steal>; rel="next"' }));
    await expect(all(paginate(core(), list(pagination), { path: "/items" }))).rejects.toThrow(/refusing to send/);
    expect(server.requests).toHaveLength(1);
  });

  it("parses rel lists, unquoted rels and commas inside URLs", () => {
    expect(nextLink('<https://a/x?a=1,2>; rel="prev", <https://a/y?b=1,2>; rel="next last"')).toBe("https://a/y?b=1,2");
    expect(nextLink('<https://a/z>; title="a, b"; rel=next')).toBe("https://a/z");
    expect(nextLink('<https://a/z>; rel="prev"')).toBeUndefined();
    expect(nextLink(null)).toBeUndefined();
  });
});

describe("next URL in the body (Twilio next_page_uri)", () => {
  const pagination: PaginationDefinition = { style: "nextUrl", items: ["messages"], next: ["next_page_uri"] };

  it("follows next_page_uri until it is null", async () => {
    server.handle((request, response) => {
      const token = query(request).get("PageToken");
      if (token === null) json(response, 200, { messages: [1, 2], next_page_uri: "/items?PageSize=2&Page=1&PageToken=PASM1" });
      else json(response, 200, { messages: [3], next_page_uri: null });
    });
    expect(await all(paginate(core(), list(pagination), { path: "/items" }))).toEqual([1, 2, 3]);
  });

  it("moves a next URL on the spec's base URL onto an overriding base URL (a proxy or mock), path prefix included", async () => {
    // Klaviyo's links.next is always absolute on https://a.klaviyo.com, whatever the request was sent to.
    server.handle((request, response) => {
      if (query(request).get("page") === null)
        json(response, 200, { messages: [1, 2], next_page_uri: "https://api.acme.test/v2/items?page=2" });
      else json(response, 200, { messages: [3], next_page_uri: "https://evil.example/v2/items?page=3" });
    });
    const proxied = coreFor(
      testDefinition({ environments: { live: { baseUrl: "https://api.acme.test/v2" } } }),
      { auth: { token: "t" }, baseUrl: `${server.url}/proxy` },
      [list(pagination)],
    );
    await expect(all(paginate(proxied, list(pagination), { path: "/items" }))).rejects.toThrow(
      /refusing to send a Acme request to https:\/\/evil\.example/,
    );
    expect(server.requests.map((r) => r.url)).toEqual(["/proxy/items", "/proxy/items?page=2"]);
    expect(server.requests[1]?.headers["authorization"]).toBe("Bearer t");
  });
});

describe("page and offset numbers", () => {
  it("page: stops at a short page", async () => {
    server.handle((request, response) => {
      const page = Number(query(request).get("page"));
      json(response, 200, { results: ITEMS.slice((page - 1) * 3, page * 3) });
    });
    const pagination: PaginationDefinition = { style: "page", items: ["results"], param: "page", start: 1, sizeParam: "per_page" };
    expect(await all(paginate(core(), list(pagination), { path: "/items", query: { per_page: 3 } }))).toEqual(ITEMS);
    expect(server.requests.map((r) => query(r).get("page"))).toEqual(["1", "2", "3"]);
  });

  it("offset: advances by the items received and stops at an empty page", async () => {
    server.handle((request, response) => {
      const offset = Number(query(request).get("offset") ?? 0);
      json(response, 200, { results: ITEMS.slice(offset, offset + 4) });
    });
    const pagination: PaginationDefinition = { style: "offset", items: ["results"], param: "offset" };
    expect(await all(paginate(core(), list(pagination), { path: "/items" }))).toEqual(ITEMS);
    expect(server.requests.map((r) => query(r).get("offset"))).toEqual([null, "4", "7"]);
  });
});

describe("pages go through the pipeline", () => {
  const pagination: PaginationDefinition = { style: "offset", items: [], param: "offset" };

  it("respects the rate limiter between pages", async () => {
    server.handle((request, response) => {
      const offset = Number(query(request).get("offset") ?? 0);
      json(response, 200, offset < 3 ? [offset] : []);
    });
    const events: ClientEvent[] = [];
    const items = await all(
      paginate(core(events, { slow: { rate: 2, perMs: 300, maxQueueWaitMs: 5000 } }), list(pagination), { path: "/items" }),
    );
    expect(items).toEqual([0, 1, 2]);
    expect(events.filter((e) => e.type === "rateLimitWait").length).toBeGreaterThanOrEqual(1);
    expect(server.requests[2]!.at - server.requests[0]!.at).toBeGreaterThanOrEqual(300);
  });

  it("an abort stops the iteration between pages", async () => {
    server.handle((request, response) => json(response, 200, [Number(query(request).get("offset") ?? 0)]));
    const controller = new AbortController();
    const seen: unknown[] = [];
    const run = (async () => {
      for await (const item of paginate(core(), list(pagination), { path: "/items" }, { signal: controller.signal })) {
        seen.push(item);
        if (seen.length === 3) controller.abort(new Error("enough"));
      }
    })();
    await expect(run).rejects.toThrow("enough");
    expect(server.requests).toHaveLength(3);
  });
});

describe("Paginated is an ApiPromise of the first page (issue #13)", () => {
  const pagination: PaginationDefinition = { style: "cursor", items: ["data"], param: "after", cursor: { body: ["next"] } };
  const pages = (request: RecordedRequest, response: Parameters<Parameters<LoopbackServer["handle"]>[0]>[1]) =>
    query(request).get("after") === null
      ? json(response, 200, { data: [1, 2], next: "p2" }, { "x-page": "1" })
      : json(response, 200, { data: [3], next: "" });

  it("paginate sends nothing until the page is asked for, then the first page once however it is consumed", async () => {
    server.handle(pages);
    const client = core();
    const send = client.send.bind(client);
    let sends = 0;
    client.send = (...args) => (sends++, send(...args));
    const paged = paginate<number>(client, list(pagination), { path: "/items" });
    expect(paged).toBeInstanceOf(ApiPromise);
    expect(Object.prototype.toString.call(paged)).toBe("[object Paginated]");
    expect(sends).toBe(0);
    expect(await paged).toEqual({ data: [1, 2], next: "p2" });
    const first = await paged.withResponse();
    expect(first.status).toBe(200);
    expect(first.headers.get("x-page")).toBe("1");
    expect(await all(paged)).toEqual([1, 2, 3]);
    // The first page was read three ways and requested once; the second page once.
    expect(server.requests.map((r) => query(r).get("after"))).toEqual([null, "p2"]);
    expect(sends).toBe(2);
  });

  it("core.call sends at once and answers the body and the whole response from one request", async () => {
    server.handle((_request, response) => json(response, 200, { ok: true }));
    const answer = core().call(op("GET", "/items"), { path: "/items" });
    expect(answer).toBeInstanceOf(ApiPromise);
    expect(await answer).toEqual({ ok: true });
    expect((await answer.withResponse()).status).toBe(200);
    expect(server.requests).toHaveLength(1);
  });
});

/** A server over ITEMS that reads its cursor with `read` and pages like HubSpot's search (paging.next.after). */
function searchLike(read: (request: RecordedRequest) => string | null | undefined) {
  return (request: RecordedRequest, response: Parameters<Parameters<LoopbackServer["handle"]>[0]>[1]) => {
    const after = read(request);
    const start = after === null || after === undefined ? 0 : Number(after);
    const results = ITEMS.slice(start, start + 3);
    const next = start + 3 < ITEMS.length ? { next: { after: String(start + 3) } } : {};
    json(response, 200, { total: ITEMS.length, results, paging: next });
  };
}

describe("cursor locations other than the query (issue #15)", () => {
  const cursor = { body: ["paging", "next", "after"] } as const;

  it("body: a POST search sends each next cursor in its JSON body, keeps the rest of the body, and reads every item once", async () => {
    server.handle(searchLike((r) => (JSON.parse(r.body) as { after?: string }).after));
    const search = op("POST", "/search", { pagination: { style: "cursor", items: ["results"], param: { body: ["after"] }, cursor } });
    const body = { filterGroups: [{ filters: [{ propertyName: "email", operator: "HAS_PROPERTY" }] }], limit: 3 };
    expect(await all(paginate(core(), search, { path: "/search", body }))).toEqual(ITEMS);
    const sent = server.requests.map((r) => JSON.parse(r.body) as Record<string, unknown>);
    expect(sent.map((b) => b["after"])).toEqual([undefined, "3", "6"]);
    expect(sent.every((b) => JSON.stringify(b["filterGroups"]) === JSON.stringify(body.filterGroups) && b["limit"] === 3)).toBe(true);
    expect(server.requests.every((r) => !r.url.includes("after"))).toBe(true);
    expect(body).not.toHaveProperty("after"); // the caller's body is never changed
  });

  it("body: a nested JSON path is created as needed", async () => {
    server.handle(searchLike((r) => (JSON.parse(r.body) as { page?: { cursor?: string } }).page?.cursor));
    const search = op("POST", "/search", {
      pagination: { style: "cursor", items: ["results"], param: { body: ["page", "cursor"] }, cursor },
    });
    expect(await all(paginate(core(), search, { path: "/search", body: { q: "x" } }))).toEqual(ITEMS);
    expect(server.requests.map((r) => JSON.parse(r.body) as unknown)).toEqual([
      { q: "x" },
      { q: "x", page: { cursor: "3" } },
      { q: "x", page: { cursor: "6" } },
    ]);
  });

  it("form: the cursor is a field of a form-encoded body", async () => {
    server.handle(searchLike((r) => new URLSearchParams(r.body).get("after")));
    const search = op("POST", "/search", {
      bodyEncoding: "form",
      pagination: { style: "cursor", items: ["results"], param: { form: "after" }, cursor },
    });
    expect(await all(paginate(core(), search, { path: "/search", body: { q: "x" } }))).toEqual(ITEMS);
    expect(server.requests.map((r) => r.body)).toEqual(["q=x", "q=x&after=3", "q=x&after=6"]);
  });

  it("header: the cursor is sent in a request header", async () => {
    server.handle(searchLike((r) => r.headers["x-cursor"] as string | undefined));
    const listing = op("GET", "/items", { pagination: { style: "cursor", items: ["results"], param: { header: "X-Cursor" }, cursor } });
    expect(await all(paginate(core(), listing, { path: "/items" }))).toEqual(ITEMS);
    expect(server.requests.map((r) => r.headers["x-cursor"])).toEqual([undefined, "3", "6"]);
  });

  it("offset in the body advances there", async () => {
    server.handle((request, response) => {
      const offset = Number((JSON.parse(request.body) as { offset?: number }).offset ?? 0);
      json(response, 200, { results: ITEMS.slice(offset, offset + 4) });
    });
    const search = op("POST", "/search", { pagination: { style: "offset", items: ["results"], param: { body: ["offset"] } } });
    expect(await all(paginate(core(), search, { path: "/search", body: {} }))).toEqual(ITEMS);
    expect(server.requests.map((r) => (JSON.parse(r.body) as { offset?: number }).offset)).toEqual([undefined, 4, 7]);
  });
});

describe("one direction at a time (Stripe starting_after / ending_before, issue #15)", () => {
  const pagination: PaginationDefinition = { ...STRIPE_PAGINATION, backward: { param: "ending_before", cursor: { firstItem: ["id"] } } };
  // Stripe's rules: starting_after gives the items after the cursor, ending_before the items just
  // before it, both in list order; asking for both is a 400.
  const stripeList = (request: RecordedRequest, response: Parameters<Parameters<LoopbackServer["handle"]>[0]>[1]) => {
    const q = query(request);
    const after = q.get("starting_after");
    const before = q.get("ending_before");
    if (after !== null && before !== null) return json(response, 400, { error: { message: "both starting_after and ending_before" } });
    if (before !== null) {
      const end = ITEMS.findIndex((i) => i.id === before);
      const start = Math.max(0, end - 3);
      return json(response, 200, { data: ITEMS.slice(start, end), has_more: start > 0 });
    }
    const start = after === null ? 0 : ITEMS.findIndex((i) => i.id === after) + 1;
    json(response, 200, { data: ITEMS.slice(start, start + 3), has_more: start + 3 < ITEMS.length });
  };

  it("pages backward from an ending_before cursor, each item once, never sending starting_after", async () => {
    server.handle(stripeList);
    const items = await all(paginate(core(), list(pagination), { path: "/items", query: { ending_before: "obj_7", limit: 3 } }));
    expect(items.map((i) => (i as { id: string }).id).sort()).toEqual(ITEMS.slice(0, 6).map((i) => i.id));
    expect(server.requests.map((r) => [query(r).get("ending_before"), query(r).get("starting_after")])).toEqual([
      ["obj_7", null],
      ["obj_4", null],
    ]);
  });

  it("pages forward from a starting_after cursor, each item once, never sending ending_before", async () => {
    server.handle(stripeList);
    const items = await all(paginate(core(), list(pagination), { path: "/items", query: { starting_after: "obj_1" } }));
    expect(items).toEqual(ITEMS.slice(1));
    expect(server.requests.map((r) => [query(r).get("starting_after"), query(r).get("ending_before")])).toEqual([
      ["obj_1", null],
      ["obj_4", null],
    ]);
  });
});
