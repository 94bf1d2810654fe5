/**
 * A clock that runs faster than real time, for tests that must cross a rate-limit window or a long
 * Retry-After without waiting for it: give the same clock to the mock and to the client, and an hour's
 * reset passes in 3.6 s of real time at the default speed of 1,000. Order of events is kept (every wait
 * is a real timer, scaled), so nothing depends on a test advancing time by hand.
 */
import { systemClock, type Clock } from "@switchboard/runtime";

export interface FastClock extends Clock {
  /** How many clock milliseconds pass per real millisecond. */
  readonly speed: number;
}

/** A clock starting at `start` (epoch ms, default now) that runs `speed` times faster than real time. */
export function fastClock(speed = 1000, start = Date.now()): FastClock {
  if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`fastClock: speed must be a positive number, got ${speed}`);
  const origin = performance.now();
  const now = () => Math.floor(start + (performance.now() - origin) * speed);
  return {
    speed,
    now,
    sleep: (ms, signal) => systemClock.sleep(ms / speed, signal),
    setTimer: (ms, fn) => systemClock.setTimer(ms / speed, fn),
  };
}
