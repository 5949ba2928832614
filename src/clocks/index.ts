/**
 * QEMU clocks on the timer chain.
 * @module
 */
export { ClockTimer, hostClock, QemuClock, realtimeClock, SCALE_MS, SCALE_NS, SCALE_US, virtualClock } from './clocks.js';
export type { ClockType, ResetNotifier } from './clocks.js';
