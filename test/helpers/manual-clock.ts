/**
 * A clock that moves only when a test says so: `advance(ms)` runs every timer due on the way, in
 * order, letting promise callbacks settle between them. Policies take it in place of the system clock.
 */
import type { Clock } from "../../runtime/clock.js";

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
  cancelled: boolean;
}

export class ManualClock implements Clock {
  #now: number;
  #seq = 0;
  #timers: Timer[] = [];

  constructor(start = 1_700_000_000_000) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimer(ms: number, fn: () => void): () => void {
    const timer: Timer = { at: this.#now + Math.max(0, ms), seq: this.#seq++, fn, cancelled: false };
    this.#timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = (): void => {
        cancel();
        reject(signal!.reason);
      };
      const cancel = this.setTimer(ms, () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      });
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Moves time forward by `ms`, running due timers in order and settling promises after each. */
  async advance(ms: number): Promise<void> {
    const end = this.#now + ms;
    await settle();
    for (;;) {
      const next = this.#timers.filter((t) => !t.cancelled && t.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!next) break;
      this.#timers = this.#timers.filter((t) => t !== next);
      this.#now = Math.max(this.#now, next.at);
      next.fn();
      await settle();
    }
    this.#now = end;
    await settle();
  }
}

/** Lets queued promise callbacks run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

/** Lets pending I/O callbacks run (a loopback answer arriving) without waiting on a timer. */
export function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Settles `promise` against real I/O on a manual clock: moves the clock `stepMs` at a time and lets
 * loopback I/O complete in between, so waits the rules ask for pass without real time passing.
 */
export async function drive<T>(clock: ManualClock, promise: Promise<T>, stepMs = 10): Promise<T> {
  let done = false;
  const settled = (): void => void (done = true);
  promise.then(settled, settled);
  for (let turn = 0; !done; turn++) {
    if (turn > 100_000) throw new Error("never settled");
    await clock.advance(stepMs);
    await tick();
  }
  return promise;
}
