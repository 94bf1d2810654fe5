/**
 * Shared rate-limit stores hand out numbered slots, but the limiter names a grant by the `now` it was
 * taken at (RateLimitStore.complete gets `startedAt`). This process-local ledger maps one to the other:
 * grants taken at the same moment are interchangeable, so any of them may be returned.
 */
export class SlotLedger<T> {
  readonly #grants = new Map<string, T[]>();

  add(key: string, startedAt: number, grant: T): void {
    const id = `${key}\u0000${startedAt}`;
    const list = this.#grants.get(id);
    if (list) list.push(grant);
    else this.#grants.set(id, [grant]);
  }

  take(key: string, startedAt: number): T | undefined {
    const id = `${key}\u0000${startedAt}`;
    const list = this.#grants.get(id);
    const grant = list?.pop();
    if (list?.length === 0) this.#grants.delete(id);
    return grant;
  }
}

/** A sliding window's length for `slots` requests at the bucket's rate, with a margin for millisecond clocks. */
export function slidingWindowMs(rate: number, perMs: number, slots: number): number {
  return (perMs * slots) / rate + 2;
}

/** The largest sliding window kept exactly (one slot per request); beyond it a token bucket stands in. */
export const MAX_SHARED_WINDOW_SLOTS = 65_536;

/** Slots of a sliding window, or 0 for a token bucket (a burst is declared, or the rate is too large). */
export function sharedWindowSlots(rate: number, burst: number | undefined): number {
  if (burst !== undefined) return 0;
  const slots = Math.max(1, Math.floor(rate));
  return slots <= MAX_SHARED_WINDOW_SLOTS ? slots : 0;
}

/**
 * When every slot is held by a request in flight, a shared store cannot know which process's
 * completion frees one first: the limiter looks again after about one request's share of the window.
 */
export function pollWhenFullMs(rate: number, perMs: number): number {
  return Math.min(1000, Math.max(5, Math.ceil(perMs / rate)));
}
