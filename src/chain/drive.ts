/**
 * Driving time by hand: the one loop behind every hand-driven run of timers — the chain's
 * `tick` and `runAll` on virtual time, the asynchronous drivers of `virtualTime`, and the
 * QEMU clocks' `tick` and `runAll` — and its loop limit.
 *
 * A run takes steps while a timer is due within its target. A timer that re-arms itself
 * for "now" would keep a run going forever, so a run takes at most `loopLimit` steps
 * (fake-timers' guard, default 1000) and then throws `ERR_ITIMER_LOOP_LIMIT`; the steps
 * already taken stay taken. A last step that leaves nothing due is no error.
 * @module
 */
import { itimerError } from '../host/errors.js';
import { validateInteger } from '../posix/validate.js';

/** The default loop limit of a hand-driven run. */
export const DEFAULT_LOOP_LIMIT = 1000;

/** The error for a timer that keeps re-arming itself while time is driven by hand. */
function loopLimitError(loopLimit: number, unit: string): Error {
  return itimerError('ERR_ITIMER_LOOP_LIMIT', `Aborting after ${loopLimit} ${unit}, assuming an infinite loop: a timer keeps re-arming itself`);
}

/** Validates the `loopLimit` of the hand-driving calls: an integer from 1 to 2^31-1. */
export function validateLoopLimit(loopLimit: unknown): number {
  return validateInteger(loopLimit, 'loopLimit', 1, 2 ** 31 - 1);
}

/**
 * Takes `step()` while `due()` says a timer is due, at most `loopLimit` times.
 * @param due whether a step is needed now.
 * @param step runs the timers of one step.
 * @param loopLimit the most steps (already validated).
 * @param unit what a step is, for the error message.
 * @returns the number of steps taken.
 * @throws Error ERR_ITIMER_LOOP_LIMIT if a step is still needed after `loopLimit` of them.
 */
export function drive(due: () => boolean, step: () => void, loopLimit: number, unit = 'timer passes'): number {
  let steps = 0;
  while (due()) {
    if (++steps > loopLimit) throw loopLimitError(loopLimit, unit);
    step();
  }
  return steps;
}

/**
 * {@link drive} with a turn of work between steps, for the asynchronous drivers.
 * @param due whether a step is needed now.
 * @param step runs the timers of one step.
 * @param settle awaited before the first check and after every step.
 * @param loopLimit the most steps (already validated).
 * @param unit what a step is, for the error message.
 * @returns the number of steps taken.
 * @throws Error ERR_ITIMER_LOOP_LIMIT if a step is still needed after `loopLimit` of them.
 */
export async function driveAsync(due: () => boolean, step: () => void, settle: () => Promise<void>, loopLimit: number, unit = 'timer passes'): Promise<number> {
  let steps = 0;
  await settle();
  while (due()) {
    if (++steps > loopLimit) throw loopLimitError(loopLimit, unit);
    step();
    await settle();
  }
  return steps;
}
