/**
 * Pagination as the spec declares it: `for await (const item of paginate(...))` over every item, or
 * `.pages()` over whole pages with their responses. Each page is one call through the client's
 * pipeline (rate limits, retries, the caller's AbortSignal). Iteration stops at the provider's last
 * page, at an empty page, and at a cursor or URL it has already followed, so a provider that repeats
 * itself can never make it loop forever.
 */
import type { ApiResponse, ClientCore, OperationCall, RequestOptions } from "./client-core.js";
import type { CursorSource, OperationDefinition, PaginationDefinition } from "../definition.js";
import { callValue, withCallValue } from "./call-values.js";
import { ConfigurationError } from "../errors/errors.js";
import { ApiPromise } from "./api-promise.js";
import { readPath } from "../internal/json-path.js";

export interface Page<Item, Response extends ApiResponse = ApiResponse> {
  readonly items: readonly Item[];
  readonly response: Response;
}

/**
 * The type of the items at a path of a page's body, as the spec's `items` path reads them:
 * `ItemsAt<{ data: Customer[] }, ["data"]>` is `Customer`. Unknown where the body's type says nothing.
 */
export type ItemsAt<Body, Path extends readonly string[]> = unknown extends Body
  ? unknown
  : Path extends readonly [infer Key extends string, ...infer Rest extends readonly string[]]
    ? ItemsAt<Body extends { readonly [K in Key]?: infer Value } ? Value : never, Rest>
    : Body extends readonly (infer Item)[]
      ? Item
      : never;

/**
 * A paged call: an `ApiPromise` of the first page (await it for the first page's body, or
 * `.withResponse()` for the whole answer) that iterates, too: `for await (const item of ...)` gives every
 * item of every page, `.pages()` whole pages. The first page is requested once, however it is consumed,
 * and not before it is.
 */
export class Paginated<Item, Response extends ApiResponse = ApiResponse> extends ApiPromise<Response> implements AsyncIterable<Item> {
  readonly #core: ClientCore;
  readonly #operation: OperationDefinition;
  readonly #pagination: PaginationDefinition;
  readonly #call: OperationCall;
  readonly #options: RequestOptions;

  constructor(core: ClientCore, operation: OperationDefinition, call: OperationCall, options: RequestOptions = {}) {
    const pagination = operation.pagination;
    if (!pagination) throw new ConfigurationError(`operation ${operation.id} declares no pagination`);
    super(() => core.send(operation, firstCall(pagination, call), options));
    this.#core = core;
    this.#operation = operation;
    this.#pagination = pagination;
    this.#call = call;
    this.#options = options;
  }

  override get [Symbol.toStringTag](): string {
    return "Paginated";
  }

  /** Every page, first to last. */
  async *pages(): AsyncGenerator<Page<Item, Response>, void, undefined> {
    const p = this.#pagination;
    const first = firstCall(p, this.#call);
    const followed = new Set<string>();
    let call: OperationCall | undefined = first;
    // The page number or offset of the page just requested.
    let position = p.style === "page" || p.style === "offset" ? Number(callValue(first, p.param) ?? 0) : 0;
    // Cursor paging goes backward when the first call carries the backward cursor; each direction's
    // pages send only that direction's cursor.
    const backward = p.style === "cursor" && p.backward !== undefined && callValue(first, p.backward.param) !== undefined;
    const direction = p.style !== "cursor" ? undefined : backward ? p.backward! : p;
    const opposite = p.style !== "cursor" ? undefined : backward ? p : p.backward;
    const size = p.style === "page" || p.style === "offset" ? pageSize(first, p.sizeParam) : undefined;
    while (call) {
      const response: ApiResponse = await (call === first ? this.withResponse() : this.#core.send(this.#operation, call, this.#options));
      const found = p.items.length === 0 ? response.body : readPath(response.body, p.items);
      const items = (Array.isArray(found) ? found : []) as Item[];
      yield { items, response: response as Response };
      call = undefined;
      switch (p.style) {
        case "cursor": {
          const hasMore = direction!.hasMore ?? p.hasMore;
          if (hasMore !== undefined && readPath(response.body, hasMore) !== true) break;
          const cursor = readCursor(direction!.cursor, response.body, items);
          if ((typeof cursor !== "string" && typeof cursor !== "number") || cursor === "" || !follow(followed, String(cursor))) break;
          call = withCallValue(opposite ? withCallValue(first, opposite.param, undefined) : first, direction!.param, cursor);
          break;
        }
        case "linkHeader":
        case "nextUrl": {
          const next = p.style === "linkHeader" ? nextLink(response.headers.get("link")) : readPath(response.body, p.next);
          if (typeof next !== "string" || next === "" || !follow(followed, next)) break;
          call = { path: first.path, url: next, ...(first.headers && { headers: first.headers }) };
          break;
        }
        case "page":
        case "offset": {
          if (items.length === 0 || (size !== undefined && items.length < size)) break;
          position += p.style === "page" ? 1 : items.length;
          call = withCallValue(first, p.param, position);
          break;
        }
      }
    }
  }

  /** Every item of every page. */
  async *[Symbol.asyncIterator](): AsyncGenerator<Item, void, undefined> {
    for await (const page of this.pages()) yield* page.items;
  }
}

export function paginate<Item = unknown, Response extends ApiResponse = ApiResponse>(
  core: ClientCore,
  operation: OperationDefinition,
  call: OperationCall,
  options?: RequestOptions,
): Paginated<Item, Response> {
  return new Paginated<Item, Response>(core, operation, call, options);
}

/** The first page's call: page numbers are sent from the first page on, so the provider's default cannot differ from `start`. */
function firstCall(p: PaginationDefinition, call: OperationCall): OperationCall {
  return p.style === "page" && callValue(call, p.param) === undefined ? withCallValue(call, p.param, p.start) : call;
}

function readCursor(source: CursorSource, body: unknown, items: readonly unknown[]): unknown {
  if ("body" in source) return readPath(body, source.body);
  return "lastItem" in source ? readPath(items[items.length - 1], source.lastItem) : readPath(items[0], source.firstItem);
}

/** Remembers a cursor or URL; false when it was followed before (the provider is repeating itself). */
function follow(followed: Set<string>, key: string): boolean {
  if (followed.has(key)) return false;
  followed.add(key);
  return true;
}

function pageSize(call: OperationCall, sizeParam: string | undefined): number | undefined {
  const value = sizeParam === undefined ? undefined : Number(call.query?.[sizeParam]);
  return value !== undefined && Number.isInteger(value) && value > 0 ? value : undefined;
}

/** The rel="next" target of an RFC 8288 Link header. */
export function nextLink(header: string | null): string | undefined {
  if (header === null) return undefined;
  // Each link is <target> and its parameters, which run to the next comma outside quotes; each
  // parameter runs to the next semicolon outside quotes.
  for (const [, target, params] of header.matchAll(/<([^>]*)>((?:[^,"]|"[^"]*"?)*)/g)) {
    for (const [param] of params!.matchAll(/(?:[^;"]|"[^"]*"?)+/g)) {
      const rel = /^\s*rel\s*=(.*)$/is.exec(param);
      const value = rel?.[1]!.trim().replace(/^"(.*)"$/s, "$1");
      if (value?.toLowerCase().split(/\s+/).includes("next")) return target;
    }
  }
  return undefined;
}
