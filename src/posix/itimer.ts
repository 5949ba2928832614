/**
 * alarm(2), ualarm(3), setitimer(2) and getitimer(2).
 *
 * `alarm` is built on setitimer(ITIMER_REAL), as glibc's generic alarm is, and returns the
 * previous remaining time with the kernel's rounding (Linux `alarm_setitimer`): up when
 * the microseconds are ≥ 500 000, and never 0 while an alarm is pending. alarm, ualarm and
 * setitimer(ITIMER_REAL) all share the one ITIMER_REAL timer of the process.
 * @module
 */
import { checked, host } from '../host/index.js';
import { ITIMER_PROF, ITIMER_REAL, ITIMER_VIRTUAL } from './constants.js';
import type { Itimerval, ItimervalInput } from './structs.js';
import { readItimerval, structBuffer, toTimeval, writeItimerval } from './structs.js';
import { C_LIMITS, invalidArgType, invalidArgValue, requireMainThread, validateInteger, validateObject } from './validate.js';

/** An interval timer: `ITIMER_REAL` (0), `ITIMER_VIRTUAL` (1), `ITIMER_PROF` (2) or their short names. */
export type ItimerWhich = 'real' | 'virtual' | 'prof' | number;

const WHICH: Readonly<Record<string, number>> = { real: ITIMER_REAL, virtual: ITIMER_VIRTUAL, prof: ITIMER_PROF };

/** The `which` number; numbers outside 0..2 pass through for the kernel's EINVAL. */
function whichNumber(which: unknown): number {
  if (typeof which === 'string') {
    if (!Object.hasOwn(WHICH, which)) throw invalidArgValue('which', which, "must be 'real', 'virtual', 'prof' or an ITIMER_* number");
    return WHICH[which]!;
  }
  if (typeof which !== 'number') throw invalidArgType('which', 'of type string or number', which);
  return validateInteger(which, 'which', C_LIMITS.INT_MIN, C_LIMITS.INT_MAX);
}

// Pre-allocated: these calls may sit on hot paths, and they are synchronous.
let scratch: { next: Buffer; old: Buffer } | undefined;
function buffers(): { next: Buffer; old: Buffer } {
  return (scratch ??= { next: structBuffer('itimerval'), old: structBuffer('itimerval') });
}

function setRaw(which: number, next: Buffer): Itimerval {
  const { old } = buffers();
  checked(host().setitimer(which, next, old), 'setitimer');
  return readItimerval(old);
}

/**
 * Arms or disarms an interval timer, as setitimer(2).
 * @param which The timer.
 * @param value `value` is the time to the first expiry (zero disarms), `interval` the period
 *   (zero: one-shot). Each is `{ sec, usec }` (missing fields 0) or a number of seconds.
 * @returns the previous setting.
 * @throws the kernel's `EINVAL` for an unknown `which` or `usec` outside [0, 1e6), negative `sec`.
 */
export function setitimer(which: ItimerWhich, value: ItimervalInput): Itimerval {
  requireMainThread('setitimer()');
  const whichValue = whichNumber(which);
  return setRaw(whichValue, writeItimerval(buffers().next, value, 'value'));
}

/**
 * Reads an interval timer, as getitimer(2): the time left to the next expiry (zero when
 * disarmed) and the interval.
 */
export function getitimer(which: ItimerWhich): Itimerval {
  const whichValue = whichNumber(which);
  const { old } = buffers();
  checked(host().getitimer(whichValue, old), 'getitimer');
  return readItimerval(old);
}

/**
 * The whole seconds alarm(2) reports for a remaining ITIMER_REAL value: rounded to the
 * nearest second, but up rather than to 0 while any time remains (Linux `alarm_setitimer`).
 * @param remaining The time left on ITIMER_REAL as `{ sec, usec }` (a missing field is 0),
 *   e.g. the `value` of an `itimerval` read back.
 * @returns the whole seconds alarm(2) would return for it: `sec`, plus 1 when `usec` is
 *   500 000 or more, or when `sec` is 0 and `usec` is above 0.
 * @throws TypeError ERR_INVALID_ARG_TYPE if remaining is not a plain object, or a field is present and not a number.
 * @throws RangeError ERR_OUT_OF_RANGE if a field is not a safe integer.
 */
export function alarmSeconds(remaining: { sec: number; usec: number }): number {
  validateObject(remaining, 'remaining');
  const { sec, usec } = toTimeval(remaining, 'remaining');
  return (sec === 0 && usec > 0) || usec >= 500_000 ? sec + 1 : sec;
}

/**
 * Schedules SIGALRM in `seconds` seconds (0 cancels), as alarm(2). Replaces any ITIMER_REAL
 * setting, interval included. With no SIGALRM handler the process is ended by SIGALRM.
 * @param seconds An integer from 0 to 4 294 967 295 (`unsigned int`); anything else is a
 *   RangeError, never a truncation.
 * @returns the seconds that were left on the previous alarm, rounded as the kernel does, or 0.
 */
export function alarm(seconds: number): number {
  requireMainThread('alarm()');
  validateInteger(seconds, 'seconds', 0, C_LIMITS.UINT_MAX);
  const old = setRaw(ITIMER_REAL, writeItimerval(buffers().next, { value: { sec: seconds } }, 'value'));
  return alarmSeconds(old.value);
}

/**
 * Schedules SIGALRM in `usecs` microseconds, then every `intervalUsecs`, as ualarm(3)
 * (glibc: the values go to setitimer's `tv_usec`, so ≥ 1 000 000 fails with `EINVAL`).
 * @returns the microseconds left on the previous ITIMER_REAL value — exact, where C's
 *   `useconds_t` return would wrap above 4 294 967 295.
 */
export function ualarm(usecs: number, intervalUsecs = 0): number {
  requireMainThread('ualarm()');
  validateInteger(usecs, 'usecs', 0, C_LIMITS.UINT_MAX);
  validateInteger(intervalUsecs, 'intervalUsecs', 0, C_LIMITS.UINT_MAX);
  const old = setRaw(ITIMER_REAL, writeItimerval(buffers().next, { value: { usec: usecs }, interval: { usec: intervalUsecs } }, 'value'));
  return old.value.sec * 1e6 + old.value.usec;
}
