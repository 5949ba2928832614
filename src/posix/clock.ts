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

/** The current time of a clock, as clock_gettime(2). */
export function clockGettime(clock: ClockInput): Timespec {
  const id = clockId(clock);
  const buffer = (timespecScratch ??= structBuffer('timespec'));
  checked(host().clock_gettime(id, buffer), 'clock_gettime');
  return readTimespec(buffer);
}

/** The resolution of a clock, as clock_getres(2). */
export function clockGetres(clock: ClockInput): Timespec {
  const id = clockId(clock);
  const buffer = (timespecScratch ??= structBuffer('timespec'));
  checked(host().clock_getres(id, buffer), 'clock_getres');
  return readTimespec(buffer);
}

/**
 * Sets the main thread's timer slack, as prctl(PR_SET_TIMERSLACK): how late the kernel may
 * fire this thread's timers to coalesce wake-ups. 0 restores the thread's default (50 µs
 * unless inherited otherwise).
 * @param nanoseconds 0 to 2 147 483 647: prctl reports the slack in an `int`, so larger values
 *   could be set but not read back.
 */
export function setTimerSlack(nanoseconds: number): void {
  validateInteger(nanoseconds, 'nanoseconds', 0, C_LIMITS.INT_MAX);
  checked(host().prctl(PR_SET_TIMERSLACK, nanoseconds, 0, 0, 0), 'prctl');
}

/** The main thread's timer slack in nanoseconds, as prctl(PR_GET_TIMERSLACK). */
export function getTimerSlack(): number {
  return checked(host().prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0), 'prctl');
}
