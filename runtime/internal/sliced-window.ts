/**
 * Counters over a sliding time window, kept in ten slices: cheap to update and to sum, and accurate to
 * a tenth of the window. Used by the retry budget and the ratio threshold of the circuit breaker.
 */
const SLICES = 10;

export class SlicedWindow {
  readonly #counts: Float64Array[];
  readonly #sliceMs: number;
  #sliceStart = NaN;
  #index = 0;

  constructor(windowMs: number, series: number) {
    this.#sliceMs = Math.max(1, windowMs / SLICES);
    this.#counts = Array.from({ length: series }, () => new Float64Array(SLICES));
  }

  add(now: number, series: number, amount = 1): void {
    this.#advance(now);
    this.#counts[series]![this.#index]! += amount;
  }

  sum(now: number, series: number): number {
    this.#advance(now);
    let total = 0;
    for (const count of this.#counts[series]!) total += count;
    return total;
  }

  clear(): void {
    for (const counts of this.#counts) counts.fill(0);
  }

  #advance(now: number): void {
    if (Number.isNaN(this.#sliceStart)) this.#sliceStart = now;
    const elapsed = Math.floor((now - this.#sliceStart) / this.#sliceMs);
    if (elapsed <= 0) return;
    for (let i = 0; i < Math.min(elapsed, SLICES); i++) {
      this.#index = (this.#index + 1) % SLICES;
      for (const counts of this.#counts) counts[this.#index] = 0;
    }
    this.#sliceStart += elapsed * this.#sliceMs;
  }
}
