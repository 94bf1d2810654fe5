/**
 * Batched calls, as the spec's `batch` declares them: one call whose body array holds more items than the
 * provider takes per request (SendGrid's mail send: 1,000 personalizations) becomes several requests of
 * at most `max` items each, every other field of the body sent with each. The parts go one after the
 * other through the client's whole pipeline (rate limits, retries, breaker, idempotency keys, the
 * caller's AbortSignal); a part that fails does not stop the others, and the result says, per part,
 * which items it carried and how it ended, so the application can resend exactly the failed ones.
 */
import type { ApiResponse, ClientCore, OperationCall, RequestOptions } from "./client-core.js";
import type { OperationDefinition } from "../definition.js";
import { ConfigurationError } from "../errors/errors.js";

/** One request of a batched call: the items it carried, `start` (inclusive) to `end` (exclusive). */
export type BatchPart<Response extends ApiResponse = ApiResponse> = {
  /** 0 for the first request. */
  readonly index: number;
  readonly start: number;
  readonly end: number;
} & ({ readonly ok: true; readonly response: Response } | { readonly ok: false; readonly error: unknown });

export interface BatchResult<Response extends ApiResponse = ApiResponse> {
  /** Every request, in the order of the items. */
  readonly parts: readonly BatchPart<Response>[];
  /** True when every part succeeded. */
  readonly ok: boolean;
  /** The parts that failed (a subset of `parts`). */
  readonly failed: readonly Extract<BatchPart<Response>, { ok: false }>[];
}

/**
 * Sends `call` in parts of at most `operation.batch.max` items of the body array `operation.batch.items`.
 * A body whose array fits (or is empty) is sent as one request. With `options.idempotencyKey`, part n
 * is sent with the key `<key>-<n>`, so repeating the whole batched call with the same key repeats each
 * part with its own key; without one, each part gets the key the client generates for any call.
 */
export async function sendBatched<Response extends ApiResponse = ApiResponse>(
  core: ClientCore,
  operation: OperationDefinition,
  call: OperationCall,
  options: RequestOptions = {},
): Promise<BatchResult<Response>> {
  const batch = operation.batch;
  if (batch === undefined) throw new ConfigurationError(`operation ${operation.id} declares no batch`);
  if (!Number.isInteger(batch.max) || batch.max < 1)
    throw new ConfigurationError(`operation ${operation.id}: batch.max must be a positive integer`);
  const body = call.body;
  const items =
    typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>)[batch.items] : undefined;
  if (!Array.isArray(items)) throw new ConfigurationError(`operation ${operation.id}: a batched call needs the body array ${batch.items}`);
  const ranges: [number, number][] = [];
  for (let start = 0; start < items.length || ranges.length === 0; start += batch.max)
    ranges.push([start, Math.min(start + batch.max, items.length)]);
  const parts: BatchPart<Response>[] = [];
  for (const [index, [start, end]] of ranges.entries()) {
    const partCall: OperationCall =
      ranges.length === 1 ? call : { ...call, body: { ...(body as object), [batch.items]: items.slice(start, end) } };
    const partOptions: RequestOptions =
      options.idempotencyKey === undefined || ranges.length === 1
        ? options
        : { ...options, idempotencyKey: `${options.idempotencyKey}-${index}` };
    try {
      const response = (await core.send(operation, partCall, partOptions)) as Response;
      parts.push({ index, start, end, ok: true, response });
    } catch (error) {
      parts.push({ index, start, end, ok: false, error });
    }
  }
  const failed = parts.filter((p): p is Extract<BatchPart<Response>, { ok: false }> => !p.ok);
  return { parts, ok: failed.length === 0, failed };
}
