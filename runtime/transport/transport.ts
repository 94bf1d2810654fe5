/**
 * The one seam between the client and the network. A transport sends one HTTP request and returns the
 * status, headers and body text; it never retries, never throttles and never interprets a status.
 * Execution policies wrap it; tests and other runtimes swap it.
 */

export interface TransportRequest {
  readonly method: string;
  /** Absolute URL. */
  readonly url: string;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  /** Aborts the request; the transport rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /**
   * Time limit of the whole attempt, from sending to the last byte of the body. On expiry the transport
   * aborts the request and rejects with an error whose `code` is one of TRANSPORT_TIMEOUT_CODES.
   */
  readonly timeoutMs?: number;
  /**
   * A streamed answer (server-sent events, NDJSON): when this says yes to the answer's status and
   * headers, the transport stops the attempt's timer once the headers are in and hands the body over
   * unread as `stream`; otherwise it reads the body whole as usual.
   */
  readonly streamWhen?: (status: number, headers: ResponseHeaders) => boolean;
}

/** Error codes that mean "the attempt ran out of time" rather than "the network failed". */
export const TRANSPORT_TIMEOUT_CODES: ReadonlySet<string> = new Set([
  "TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** Case-insensitive header lookup; repeated headers are joined with ", ". */
export interface ResponseHeaders {
  get(name: string): string | null;
}

export interface TransportResponse {
  readonly status: number;
  readonly headers: ResponseHeaders;
  /** The whole body as text ("" when there is none, and when the body is `stream`). */
  readonly body: string;
  /** The unread body of an answer `streamWhen` accepted. */
  readonly stream?: BodyStream;
}

/**
 * A body read as it arrives. Iterate it once; `cancel()` stops reading and releases the connection (a
 * body left half-read closes its socket rather than returning it to the pool).
 */
export interface BodyStream extends AsyncIterable<Uint8Array> {
  cancel(reason?: unknown): void;
}

/**
 * Rejects with an Error whose `code` names network failures (ECONNRESET, UND_ERR_SOCKET, ...). A
 * transport that holds resources (a connection pool) may offer `close()`; `client.close()` calls it.
 */
export type Transport = ((request: TransportRequest) => Promise<TransportResponse>) & { close?(): Promise<void> };
