/**
 * The time base of the timer chain: CLOCK_MONOTONIC in integer nanoseconds, as a
 * `number`, counted from a process-local origin (the whole second at or before this module
 * loaded) so values stay exact for 104 days of process life (2^53 ns) and no BigInt is
 * needed on the hot path. `process.hrtime()` reads the same CLOCK_MONOTONIC as
 * `clock_gettime` and timerfd.
 * @module
 */

/** The origin, in whole seconds of CLOCK_MONOTONIC. */
export const ORIGIN_SEC = process.hrtime()[0];

/** Nanoseconds of CLOCK_MONOTONIC since {@link ORIGIN_SEC}. */
export function monotonicNowNs(): number {
  const [sec, nsec] = process.hrtime();
  return (sec - ORIGIN_SEC) * 1e9 + nsec;
}
