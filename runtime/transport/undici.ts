/**
 * The Node transport: undici over a keep-alive pool. The attempt timeout is one native timer per attempt
 * that aborts the request wherever it is (connecting, waiting for headers, reading the body), so it
 * bounds the whole attempt at the timer's precision. undici's own headers and body timeouts are not used
 * for this: they run on its coarse timers (about one second) and the body timeout is an idle timeout,
 * which a body that trickles in never trips.
 *
 * A call whose answer is read whole (every call but a streamed operation's) goes through undici's
 * `dispatch` with a handler of its own that collects the body's chunks and decodes them once, as
 * `request(...).body.text()` does, without what `request` builds per call to hand the body over as a
 * stream (an AsyncResource, a Readable, a URL object): on loopback with 32 callers, 34 to 43 us of CPU per
 * call against 67 to 81 us through `request` (docs/benchmarks.md). A streamed operation's call goes
 * through `request`, whose body stream the stream reader iterates.
 */
import { Agent, request as undiciRequest, util as undiciUtil, type Dispatcher } from "undici";
import type { BodyStream, ResponseHeaders, Transport, TransportRequest, TransportResponse } from "./transport.js";

export interface UndiciTransportOptions {
  /** A dispatcher of your own (proxy agent, mock pool in tests). @default a keep-alive Agent */
  readonly dispatcher?: Dispatcher;
  /** Sockets per origin for the default Agent. @default 128 */
  readonly connections?: number;
}

export function undiciTransport(options: UndiciTransportOptions = {}): Transport & { close(): Promise<void> } {
  const own = options.dispatcher === undefined;
  const dispatcher = options.dispatcher ?? new Agent({ connections: options.connections ?? 128, keepAliveTimeout: 10_000 });
  const targets = new TargetCache();
  const send = (request: TransportRequest): Promise<TransportResponse> => {
    if (request.streamWhen) return sendStreamable(dispatcher, request);
    return new Promise<TransportResponse>((resolve, reject) => {
      const attempt = new WholeAnswer(resolve, reject, request.timeoutMs, request.signal);
      if (attempt.settled) return;
      const target = targets.of(request.url);
      try {
        dispatcher.dispatch(
          {
            origin: target.origin,
            path: target.path,
            method: request.method as Dispatcher.HttpMethod,
            headers: request.headers,
            body: request.body ?? null,
          },
          attempt,
        );
      } catch (error) {
        attempt.onError(error as Error);
      }
    });
  };
  return Object.assign(send, {
    // A dispatcher the caller gave stays theirs to close.
    close: (): Promise<void> => (own ? dispatcher.close() : Promise.resolve()),
  });
}

/** A streamed operation's call: through `request`, whose body the stream reader iterates when `streamWhen` accepts the answer. */
async function sendStreamable(dispatcher: Dispatcher, request: TransportRequest): Promise<TransportResponse> {
  const limit = new AttemptLimit(request.timeoutMs, request.signal);
  try {
    // One object literal of one shape on every call (null for what is absent): no spreads to build it.
    const response = await undiciRequest(request.url, {
      method: request.method as Dispatcher.HttpMethod,
      headers: request.headers,
      body: request.body ?? null,
      // undici reads a signal through aborted, reason and add/removeEventListener only.
      signal: limit as unknown as AbortSignal,
      headersTimeout: null,
      bodyTimeout: null,
      dispatcher,
    });
    const headers = new PlainHeaders(null, response.headers);
    if (request.streamWhen?.(response.statusCode, headers)) {
      // The attempt ends at the headers: the stream's reader bounds what follows (idle timeout, abort).
      limit.dispose();
      const body = response.body;
      const stream: BodyStream = {
        [Symbol.asyncIterator]: () => body[Symbol.asyncIterator](),
        cancel: (reason) => body.destroy(asError(reason)),
      };
      return { status: response.statusCode, headers, body: "", stream };
    }
    const body = await response.body.text();
    return { status: response.statusCode, headers, body };
  } catch (error) {
    throw limit.timedOut ? limit.reason : error;
  } finally {
    limit.dispose();
  }
}

/**
 * The least of an AbortSignal that undici reads (aborted, reason, one abort listener), aborted by the
 * attempt's timer or by the caller's signal. A real AbortController and its EventTarget cost several
 * microseconds per attempt; this costs a timer.
 */
class AttemptLimit {
  aborted = false;
  reason: unknown = undefined;
  timedOut = false;
  #listener: (() => void) | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #outer: AbortSignal | undefined;
  readonly #onOuterAbort: (() => void) | undefined;

  constructor(timeoutMs: number | undefined, outer: AbortSignal | undefined) {
    if (timeoutMs !== undefined) {
      const ms = Math.max(1, timeoutMs);
      this.#timer = setTimeout(() => {
        this.timedOut = true;
        this.#abort(attemptTimedOut(ms));
      }, ms);
    }
    if (outer) {
      if (outer.aborted) {
        this.aborted = true;
        this.reason = outer.reason;
      } else {
        this.#outer = outer;
        this.#onOuterAbort = () => this.#abort(outer.reason);
        outer.addEventListener("abort", this.#onOuterAbort, { once: true });
      }
    }
  }

  addEventListener(_type: "abort", listener: () => void): void {
    this.#listener = listener;
  }

  removeEventListener(_type: "abort", listener: () => void): void {
    if (this.#listener === listener) this.#listener = undefined;
  }

  dispose(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    if (this.#onOuterAbort) this.#outer!.removeEventListener("abort", this.#onOuterAbort);
  }

  #abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listener = this.#listener;
    this.#listener = undefined;
    listener?.();
  }
}

/** The error a transport rejects with when the attempt's time is up (its code is in TRANSPORT_TIMEOUT_CODES). */
function attemptTimedOut(ms: number): Error {
  return Object.assign(new Error(`attempt timed out after ${ms} ms`), { code: "TIMEOUT" });
}

type Chunk = Uint8Array & { toString(encoding: "utf8", start?: number, end?: number): string };

/**
 * One attempt whose answer is read whole, as undici's dispatch handler: it collects the body's chunks and
 * settles once, with the answer, undici's error, the attempt's timeout or the caller's abort, whichever
 * comes first. A timeout or an abort settles at once, wherever the request is (still queued for a
 * connection included), and aborts it as soon as undici has handed over the means to.
 */
class WholeAnswer implements Dispatcher.DispatchHandler {
  settled = false;
  readonly #resolve: (response: TransportResponse) => void;
  readonly #reject: (error: unknown) => void;
  #abort: ((reason?: Error) => void) | undefined = undefined;
  /** Why the attempt ended before undici handed over `abort`: passed to it then. */
  #reason: unknown = undefined;
  #status = 0;
  #rawHeaders: Buffer[] | string[] | null = null;
  #chunks: Chunk[] = [];
  #length = 0;
  #timer: ReturnType<typeof setTimeout> | undefined = undefined;
  #signal: AbortSignal | undefined = undefined;
  #onAbort: (() => void) | undefined = undefined;

  constructor(
    resolve: (response: TransportResponse) => void,
    reject: (error: unknown) => void,
    timeoutMs: number | undefined,
    signal: AbortSignal | undefined,
  ) {
    this.#resolve = resolve;
    this.#reject = reject;
    if (signal?.aborted) {
      this.settled = true;
      reject(signal.reason);
      return;
    }
    if (timeoutMs !== undefined) {
      const ms = Math.max(1, timeoutMs);
      this.#timer = setTimeout(() => this.#end(attemptTimedOut(ms)), ms);
    }
    if (signal) {
      const onAbort = (): void => this.#end(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
      this.#signal = signal;
      this.#onAbort = onAbort;
    }
  }

  onConnect(abort: (reason?: Error) => void): void {
    if (this.settled) abort(asError(this.#reason));
    else this.#abort = abort;
  }

  onHeaders(status: number, rawHeaders: Buffer[] | string[] | null): boolean {
    // An informational answer (100, 103): the answer itself comes after it.
    if (status >= 200) {
      this.#status = status;
      this.#rawHeaders = rawHeaders;
    }
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.#chunks.push(chunk as Chunk);
    this.#length += chunk.length;
    return true;
  }

  onComplete(): void {
    if (this.settled) return;
    this.settled = true;
    this.#dispose();
    this.#resolve({ status: this.#status, headers: new PlainHeaders(this.#rawHeaders), body: decodeText(this.#chunks, this.#length) });
  }

  onError(error: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.#dispose();
    this.#reject(error);
  }

  /** A timeout or the caller's abort: the attempt fails now, and undici aborts the request. */
  #end(reason: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.#dispose();
    this.#reject(reason);
    this.#reason = reason;
    this.#abort?.(asError(reason));
  }

  #dispose(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    if (this.#onAbort) this.#signal!.removeEventListener("abort", this.#onAbort);
  }
}

/** The body's text as undici's `body.text()` decodes it: UTF-8, a byte order mark skipped. */
function decodeText(chunks: readonly Chunk[], length: number): string {
  if (chunks.length === 0 || length === 0) return "";
  const bytes = chunks.length === 1 ? chunks[0]! : (Buffer.concat(chunks, length) as Chunk);
  const start = length > 2 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return bytes.toString("utf8", start, length);
}

/**
 * The origin and path undici's `request(url)` derives from a URL through `new URL(url)`, without parsing
 * each URL: the origin is parsed once per scheme and authority, and a path made only of characters that
 * URL parsing leaves as they are (no dot segment, no fragment) is taken as it is. Any other URL is parsed.
 */
class TargetCache {
  readonly #origins = new Map<string, string>();

  of(url: string): { readonly origin: string; readonly path: string } {
    const scheme = url.startsWith("https://") ? 8 : url.startsWith("http://") ? 7 : -1;
    const slash = scheme < 0 ? -1 : url.indexOf("/", scheme);
    if (slash > scheme) {
      const path = url.slice(slash);
      if (PLAIN_TARGET.test(path) && !DOT_SEGMENT.test(path)) {
        const authority = url.slice(0, slash);
        let origin = this.#origins.get(authority);
        if (origin === undefined) {
          if (this.#origins.size >= 64) this.#origins.clear();
          origin = new URL(authority).origin;
          this.#origins.set(authority, origin);
        }
        return { origin, path };
      }
    }
    const parsed = new URL(url);
    return { origin: parsed.origin, path: parsed.search ? `${parsed.pathname}${parsed.search}` : parsed.pathname };
  }
}

/** A path and query that URL parsing keeps byte for byte: no space, quote, fragment, backslash or non-ASCII. */
const PLAIN_TARGET = /^\/[A-Za-z0-9\-._~!$&()*+,;=:@%/?[\]]*$/;
/** A "." or ".." segment (percent-encoded or not) before the query: URL parsing resolves it. */
const DOT_SEGMENT = /^[^?]*\/(?:\.|%2e){1,2}(?:[/?]|$)/i;

function asError(reason: unknown): Error | undefined {
  return reason === undefined || reason instanceof Error ? reason : new Error(String(reason));
}

/**
 * The answer's headers as undici parses them (lower-case names in a plain object), parsed on the first
 * read; reading them costs less than building Headers.
 */
class PlainHeaders implements ResponseHeaders {
  #raw: Buffer[] | string[] | null;
  #parsed: Readonly<Record<string, string | string[] | undefined>> | undefined;
  constructor(raw: Buffer[] | string[] | null, parsed?: Readonly<Record<string, string | string[] | undefined>>) {
    this.#raw = raw;
    this.#parsed = parsed;
  }
  get(name: string): string | null {
    if (this.#parsed === undefined) {
      this.#parsed = this.#raw ? (undiciUtil.parseHeaders(this.#raw) as Record<string, string | string[] | undefined>) : {};
      this.#raw = null;
    }
    const value = this.#parsed[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(", ") : value;
  }
}
