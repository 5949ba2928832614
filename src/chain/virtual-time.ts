/**
 * Driving the process chain's time by hand, when it runs on the `virtual` backend
 * (`configureAlarms('virtual')` or `ITIMER_CLOCK=virtual`): deterministic tests through
 * the same timer API as real time, fake-timers style.
 * @module
 */
import { getChain } from './process-chain.js';
import type { Delay } from './timers.js';
import { delayToNs } from './timers.js';

/** Controls of virtual time. Each throws `ERR_ITIMER_NOT_VIRTUAL` on any other backend. */
export const virtualTime = {
  /** Virtual now in ns (starts at 0). */
  now(): number {
    return getChain().now();
  },
  /**
   * Advances time by `delay`, running every timer that falls due on the way at its own
   * deadline. @returns the number of passes run.
   */
  tick(delay: Delay, loopLimit = 1000): number {
    return getChain().tick(delayToNs(delay), loopLimit);
  },
  /** Advances to the earliest deadline and runs it. @returns false when nothing is armed. */
  next(): boolean {
    return getChain().next();
  },
  /** Runs until no timer is armed; throws `ERR_ITIMER_LOOP_LIMIT` after `loopLimit` passes. */
  runAll(loopLimit = 1000): number {
    return getChain().runAll(loopLimit);
  },
};
