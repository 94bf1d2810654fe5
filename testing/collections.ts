/**
 * The mock's memory of the objects it answered with, and its list pages. A create (a POST to a path that
 * does not end in a parameter) keeps the object it answered under that path, by its id; a GET of the
 * same path followed by the id answers it again; a list of the same path holds the created objects (or,
 * before any, `listLength` made-up ones) and pages as the operation's pagination section says: a cursor
 * from the last item or in the body, a Link header, a next URL in the body, page numbers or offsets.
 * Paths are compared without a file extension (Twilio's and Shopify's `.json`).
 */
import { createHash } from "node:crypto";
import type { PaginationDefinition, RequestValueLocation } from "@switchboard/runtime/contract";

type JsonPathSegments = readonly (string | number)[];

/** An object the mock created, and the property an answer wraps it in (Shopify's `{ product: {...} }`). */
interface Stored {
  readonly object: Record<string, unknown>;
  readonly wrapper?: string;
}

const EXTENSION = /\.[a-z]+$/i;

/** The path without its file extension and trailing slash. */
export function collectionPath(path: string): string {
  return path.replace(/\/+$/, "").replace(EXTENSION, "");
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The object an answer carries: the answer itself, or its one property when that is an object (a wrapper). */
function unwrap(answer: unknown): Stored | undefined {
  if (!isObject(answer)) return undefined;
  if (idOf(answer) !== undefined) return { object: answer };
  const keys = Object.keys(answer);
  const inner = keys.length === 1 ? answer[keys[0]!] : undefined;
  return isObject(inner) && idOf(inner) !== undefined ? { object: inner, wrapper: keys[0]! } : undefined;
}

/** An object's own id: `id` or `sid`. */
export function idOf(object: Record<string, unknown>): string | undefined {
  const id = object.id ?? object.sid;
  return typeof id === "string" || typeof id === "number" ? String(id) : undefined;
}

export class MockCollections {
  readonly #objects = new Map<string, Map<string, Stored>>();

  /** Keeps what a create answered, when it carries an id. */
  created(path: string, answer: unknown): void {
    const stored = unwrap(answer);
    if (stored === undefined) return;
    const key = collectionPath(path);
    let objects = this.#objects.get(key);
    if (objects === undefined) this.#objects.set(key, (objects = new Map()));
    objects.set(idOf(stored.object)!, stored);
  }

  /** The answer to a GET of `collection/id` for an object created there, as the create answered it. */
  retrieve(path: string): unknown {
    const full = collectionPath(path);
    const slash = full.lastIndexOf("/");
    const stored = this.#objects.get(full.slice(0, slash))?.get(decodeURIComponent(full.slice(slash + 1)));
    if (stored === undefined) return undefined;
    return stored.wrapper === undefined ? structuredClone(stored.object) : { [stored.wrapper]: structuredClone(stored.object) };
  }

  /** The objects created under a collection, oldest first. */
  list(path: string): Record<string, unknown>[] {
    return [...(this.#objects.get(collectionPath(path))?.values() ?? [])].map((s) => structuredClone(s.object));
  }
}

/** What a page answer needs of its request. */
export interface PageRequest {
  /** The request's URL as the client sent it, absolute (for next links). */
  readonly url: URL;
  /** The parsed body (cursors sent in a POST body: Slack accepts them either way). */
  readonly body: unknown;
  /** The operation's declared query parameter names. */
  readonly queryParams: readonly string[];
}

export interface PageAnswer {
  readonly body: unknown;
  readonly headers: Record<string, string>;
}

/** Names a page-size parameter commonly has, when the pagination section names none. */
const SIZE_PARAMS = ["limit", "per_page", "PageSize", "page_size", "pageSize", "count"];
/** Names the mock puts its own page token in for next-URL and Link-header pages, when the operation declares one. */
const TOKEN_PARAMS = ["page_info", "PageToken", "page_token", "pageToken", "cursor", "page"];

/**
 * One page of `all` for the request, written into `skeleton` (a made-up or example answer) at the
 * pagination's items path, with what tells the client where the next page is.
 */
export function pageOf(
  pagination: PaginationDefinition,
  skeleton: unknown,
  all: readonly unknown[],
  request: PageRequest,
  defaultSize: number,
): PageAnswer {
  const query = request.url.searchParams;
  const sizeName =
    ("sizeParam" in pagination ? pagination.sizeParam : undefined) ?? SIZE_PARAMS.find((n) => request.queryParams.includes(n));
  const asked = sizeName === undefined ? NaN : Number(query.get(sizeName) ?? readAt(request.body, [sizeName]));
  const size = Number.isInteger(asked) && asked > 0 ? asked : defaultSize;
  const headers: Record<string, string> = {};
  let start = 0;
  let body = skeleton;
  let more: boolean;
  switch (pagination.style) {
    case "cursor": {
      const sent = valueAt(request, pagination.param);
      if ("lastItem" in pagination.cursor) {
        const at = pagination.cursor.lastItem;
        const index = sent === undefined ? -1 : all.findIndex((item) => String(readAt(item, at)) === String(sent));
        start = index + 1;
      } else start = sent === undefined ? 0 : offsetFromToken(String(sent));
      more = start + size < all.length;
      if ("body" in pagination.cursor) body = writeAt(body, pagination.cursor.body, more ? tokenFor(start + size) : "");
      if (pagination.hasMore !== undefined) body = writeAt(body, pagination.hasMore, more);
      break;
    }
    case "page":
    case "offset": {
      const sent = Number(valueAt(request, pagination.param) ?? (pagination.style === "page" ? pagination.start : 0));
      start = pagination.style === "page" ? (sent - pagination.start) * size : sent;
      more = start + size < all.length;
      break;
    }
    case "linkHeader":
    case "nextUrl": {
      const tokenName = TOKEN_PARAMS.find((n) => request.queryParams.includes(n)) ?? "page";
      // A `page` parameter carries page numbers from 1 (GitHub's); the others, the mock's own token.
      const numbered = tokenName === "page";
      const sent = query.get(tokenName);
      start = sent === null ? 0 : numbered ? Math.max(0, (Number(sent) - 1) * size) || 0 : offsetFromToken(sent);
      more = start + size < all.length;
      const next = new URL(request.url);
      next.searchParams.set(tokenName, numbered ? String(Math.floor(start / size) + 2) : tokenFor(start + size));
      if (sizeName !== undefined) next.searchParams.set(sizeName, String(size));
      if (pagination.style === "linkHeader") {
        if (more) headers.link = `<${next.href}>; rel="next"`;
      } else body = writeAt(body, pagination.next, more ? next.href : null);
      break;
    }
  }
  body = writeAt(body, pagination.items, all.slice(Math.max(0, start), Math.max(0, start) + size));
  return { body, headers };
}

/** The mock's page token: an offset, readable as a page number where the provider's param is one. */
function tokenFor(offset: number): string {
  return `mock_${offset}`;
}

function offsetFromToken(token: string): number {
  const match = /^mock_(\d+)$/.exec(token);
  return match ? Number(match[1]) : 0;
}

function valueAt(request: PageRequest, location: RequestValueLocation): unknown {
  if (typeof location === "string") return request.url.searchParams.get(location) ?? undefined;
  if ("query" in location) return request.url.searchParams.get(location.query) ?? undefined;
  if ("form" in location) return readAt(request.body, [location.form]);
  if ("body" in location) return readAt(request.body, location.body);
  return undefined;
}

function readAt(value: unknown, path: JsonPathSegments): unknown {
  let node = value;
  for (const segment of path) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

/** A copy of `value` with `item` at `path` (objects made on the way); the value itself when the path is empty. */
function writeAt(value: unknown, path: JsonPathSegments, item: unknown): unknown {
  if (path.length === 0) return item;
  const [head, ...rest] = path;
  if (Array.isArray(value) && typeof head === "number") {
    const copy: unknown[] = [...(value as unknown[])];
    copy[head] = writeAt(copy[head], rest, item);
    return copy;
  }
  const copy: Record<string, unknown> = isObject(value) ? { ...value } : {};
  copy[String(head)] = writeAt(copy[String(head)], rest, item);
  return copy;
}

/**
 * Hex digits unique to one made-up object and stable per seed: the `n`th object of a mock started with
 * `seed` always gets the same ones.
 */
export function objectDigits(seed: number, n: number): string {
  return createHash("sha256").update(`${seed}:${n}`).digest("hex");
}
