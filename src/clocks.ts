/**
 * `itimer/clocks`: QEMU's clocks on the timer chain — `realtimeClock`, `virtualClock` (time
 * that moves only when driven, with a scale) and `hostClock` (the wall clock, with reset
 * notifiers) — and their timers (docs/chain.md).
 *
 * ```ts
 * import { ClockTimer, realtimeClock, SCALE_MS } from 'itimer/clocks';
 * const timer = new ClockTimer(realtimeClock, SCALE_MS, () => console.log('fired'));
 * timer.modify(realtimeClock.ns / 1e6 + 10); // in the timer's scale: 10 ms from now
 * ```
 * @module
 */
export * from './clocks/index.js';
