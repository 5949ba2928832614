/**
 * clock_gettime(2), clock_getres(2) and the timer slack (prctl PR_SET_TIMERSLACK).
 * @module
 */
import { checked, host } from '../host/index.js';
import type { ClockName } from './constants.js';
import { CLOCKS, PR_GET_TIMERSLACK, PR_SET_TIMERSLACK } from './constants.js';
import type { Timespec } from './structs.js';
import { readTimespec, structBuffer } from './structs.js';
import { C_LIMITS, invalidArgType, invalidArgValue, validateInteger } from './validate.js';

/** A clock id (`CLOCK_*` number, or a dynamic clock id) or a `CLOCK_*` name. */
export type ClockInput = ClockName | number;

/** The numeric clock id; unknown numbers pass through for the kernel's EINVAL. */
export function clockId(clock: unknown, name = 'clockId'): number {
  if (typeof clock === 'string') {
    if (!Object.hasOwn(CLOCKS, clock)) throw invalidArgValue(name, clock, 'must be a CLOCK_* name or number');
    return CLOCKS[clock as ClockName];
  }
  if (typeof clock !== 'number') throw invalidArgType(name, 'of type string or number', clock);
  return validateInteger(clock, name, C_LIMITS.INT_MIN, C_LIMITS.INT_MAX);
}

let timespecScratch: Buffer | undefined;

/**
 * The current time of a clock, as clock_gettime(2).
 * @param clock A `CLOCK_*` name or a clock id (a dynamic or CPU-time clock id included).
 * @returns the clock's current time as `{ sec, nsec }`.
 * @throws TypeError ERR_INVALID_ARG_VALUE if clock is a string that is not a `CLOCK_*` name.
 * @throws TypeError ERR_INVALID_ARG_TYPE if clock is neither a string nor a number.
 * @throws RangeError ERR_OUT_OF_RANGE if clock is a number that is not an integer in the `int` range.
 * @throws Error `EINVAL` (clock_gettime) if the kernel has no clock with that id (also: an `_ALARM`
 *   clock with no RTC, a CPU-time clock of a gone process); `ENOTSUP` or `ENODEV` for a dynamic
 *   clock whose device does not implement the call or has gone.
 */
export function clockGettime(clock: ClockInput): Timespec {
  const id = clockId(clock);
  const buffer = (timespecScratch ??= structBuffer('timespec'));
  checked(host().clock_gettime(id, buffer), 'clock_gettime');
  return readTimespec(buffer);
}

/**
 * The resolution of a clock, as clock_getres(2).
 * @param clock A `CLOCK_*` name or a clock id (a dynamic or CPU-time clock id included).
 * @returns the clock's resolution as `{ sec, nsec }`: e.g. 1 ns for CLOCK_MONOTONIC with
 *   high-resolution timers, one tick for the `_COARSE` clocks.
 * @throws TypeError ERR_INVALID_ARG_VALUE if clock is a string that is not a `CLOCK_*` name.
 * @throws TypeError ERR_INVALID_ARG_TYPE if clock is neither a string nor a number.
 * @throws RangeError ERR_OUT_OF_RANGE if clock is a number that is not an integer in the `int` range.
 * @throws Error `EINVAL` (clock_getres) if the kernel has no clock with that id (also: an `_ALARM`
 *   clock with no RTC, a CPU-time clock of a gone process); `ENOTSUP` or `ENODEV` for a dynamic
 *   clock whose device does not implement the call or has gone.
 */
export function clockGetres(clock: ClockInput): Timespec {
  const id = clockId(clock);
  const buffer = (timespecScratch ??= structBuffer('timespec'));
  checked(host().clock_getres(id, buffer), 'clock_getres');
  return readTimespec(buffer);
}

/**
 * Sets the calling thread's timer slack (the main thread's, unless called in a Worker), as
 * prctl(PR_SET_TIMERSLACK): how late the kernel may fire this thread's timers to coalesce
 * wake-ups. 0 restores the thread's default (50 µs
 * unless inherited otherwise).
 * @param nanoseconds 0 to 2 147 483 647: prctl reports the slack in an `int`, so larger values
 *   could be set but not read back.
 * @throws TypeError ERR_INVALID_ARG_TYPE if nanoseconds is not a number.
 * @throws RangeError ERR_OUT_OF_RANGE if nanoseconds is not an integer from 0 to 2 147 483 647.
 */
export function setTimerSlack(nanoseconds: number): void {
  validateInteger(nanoseconds, 'nanoseconds', 0, C_LIMITS.INT_MAX);
  checked(host().prctl(PR_SET_TIMERSLACK, nanoseconds, 0, 0, 0), 'prctl');
}

/**
 * The calling thread's timer slack in nanoseconds, as prctl(PR_GET_TIMERSLACK).
 * @returns the timer slack of the calling thread (the main thread unless called in a
 *   Worker), in nanoseconds.
 */
export function getTimerSlack(): number {
  return checked(host().prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0), 'prctl');
}
