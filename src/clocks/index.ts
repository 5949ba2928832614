/**
 * QEMU clocks on the timer chain.
 * @module
 */
export { hostClock, QemuClock, realtimeClock, virtualClock } from './clock.js';
export { ClockTimer, SCALE_MS, SCALE_NS, SCALE_US } from './clock-timer.js';
export type { ClockType, ResetNotifier } from './kinds.js';
