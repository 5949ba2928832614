/**
 * The public alarm / ualarm / setitimer / getitimer / pause: served by the chain's virtual
 * ITIMER_REAL while the chain owns ITIMER_REAL (its backend adopts it: `unix`; see
 * chain/sigalrm, the one owner of ITIMER_REAL and SIGALRM), and by the kernel otherwise —
 * with the kernel's results either way: the same validation and errno, the same rounding of
 * the remaining time and of alarm's returned seconds.
 * @module
 */
import type { Itimerval, ItimervalInput, ItimerWhich } from '../posix/index.js';
import * as posix from '../posix/index.js';
import { alarmSeconds } from '../posix/index.js';
import { C_LIMITS, validateInteger } from '../posix/validate.js';
import { chainStarted, getChain } from './process-chain.js';
import { chainOwnsItimerReal, remaining, setVirtual } from './sigalrm.js';

export { chainOwnsItimerReal } from './sigalrm.js';

function isReal(which: ItimerWhich): boolean {
  return which === 'real' || which === posix.ITIMER_REAL;
}

/**
 * setitimer(2); ITIMER_REAL is served by the chain while it owns it.
 * @param which the timer: 'real', 'virtual', 'prof' or an ITIMER_* number.
 * @param value `value`, the time to the first expiry (zero disarms), and `interval`, the
 *   period (zero: one-shot); each `{ sec, usec }` (missing fields 0) or a number of seconds.
 * @returns the previous setting of that timer: the time that was left to its next expiry
 *   (zero if it was disarmed) and its interval. ITIMER_REAL's time left is truncated to the
 *   microsecond, and at least 1 µs while it was pending, by the kernel and the chain alike.
 * @throws TypeError ERR_INVALID_ARG_TYPE if which is neither a string nor a number.
 * @throws TypeError ERR_INVALID_ARG_VALUE if which is a string other than 'real', 'virtual', 'prof'.
 * @throws RangeError ERR_OUT_OF_RANGE if which is a number that is not an integer in the C `int` range.
 * @throws TypeError ERR_INVALID_ARG_TYPE if value, value.value or value.interval is not an
 *   object (or, for the members, a number), or one of their fields is not a number.
 * @throws RangeError ERR_OUT_OF_RANGE if a field is not a safe integer, or a number of seconds is
 *   not finite or too large to hold to the microsecond.
 * @throws Error EINVAL (syscall setitimer) if which is a number other than 0, 1, 2, or a `sec`
 *   is negative or a `usec` outside [0, 1 000 000); on the chain path too, with the kernel's check.
 * @throws Error ERR_ITIMER_MAIN_THREAD_ONLY in a Worker.
 * @example
 * ```js
 * import { getitimer, setitimer } from 'itimer';
 * setitimer('real', { value: 2.5, interval: { sec: 1 } }); // SIGALRM in 2.5 s, then every second
 * console.log(getitimer('real').interval); // { sec: 1, usec: 0 }
 * setitimer('real', {}); // disarm
 * ```
 */
export function setitimer(which: ItimerWhich, value: ItimervalInput): Itimerval {
  return chainOwnsItimerReal() && isReal(which) ? setVirtual(value) : posix.setitimer(which, value);
}

/**
 * getitimer(2); ITIMER_REAL is served by the chain while it owns it.
 * @param which the timer: 'real', 'virtual', 'prof' or an ITIMER_* number.
 * @returns the timer's setting now: the time left to its next expiry (zero when disarmed;
 *   for ITIMER_REAL truncated to the microsecond and at least 1 µs while pending) and its interval.
 * @throws TypeError ERR_INVALID_ARG_TYPE if which is neither a string nor a number.
 * @throws TypeError ERR_INVALID_ARG_VALUE if which is a string other than 'real', 'virtual', 'prof'.
 * @throws RangeError ERR_OUT_OF_RANGE if which is a number that is not an integer in the C `int` range.
 * @throws Error EINVAL (syscall getitimer) if which is a number other than 0, 1, 2.
 * @example
 * ```js
 * import { getitimer } from 'itimer';
 * console.log(getitimer('prof')); // { value: { sec: 0, usec: 0 }, interval: { sec: 0, usec: 0 } } when not armed
 * ```
 */
export function getitimer(which: ItimerWhich): Itimerval {
  return chainOwnsItimerReal() && isReal(which) ? remaining() : posix.getitimer(which);
}

/**
 * alarm(2); served by the chain while it owns ITIMER_REAL, with the kernel's rounding either way.
 * @param seconds the seconds to SIGALRM, an integer from 0 to 4 294 967 295 (`unsigned int`); 0
 *   cancels. Replaces any ITIMER_REAL setting, interval included.
 * @returns the seconds that were left on the previous ITIMER_REAL setting, rounded as Linux
 *   `alarm_setitimer` rounds (up from half a second, and 1 rather than 0 while any time was
 *   left); 0 if none was pending.
 * @throws TypeError ERR_INVALID_ARG_TYPE if seconds is not a number.
 * @throws RangeError ERR_OUT_OF_RANGE if seconds is not an integer from 0 to 4 294 967 295.
 * @throws Error ERR_ITIMER_MAIN_THREAD_ONLY in a Worker.
 * @example
 * ```js
 * import { alarm } from 'itimer';
 * alarm(10); // SIGALRM in 10 s
 * console.log(alarm(0)); // 10: the seconds that were left (kernel rounding), and the alarm is cancelled
 * ```
 */
export function alarm(seconds: number): number {
  if (!chainOwnsItimerReal()) return posix.alarm(seconds);
  validateInteger(seconds, 'seconds', 0, C_LIMITS.UINT_MAX);
  return alarmSeconds(setVirtual({ value: { sec: seconds } }).value);
}

/**
 * ualarm(3); served by the chain while it owns ITIMER_REAL.
 * @param usecs the microseconds to SIGALRM; 0 cancels. Below 1 000 000, as glibc puts it in
 *   setitimer's `tv_usec`.
 * @param intervalUsecs the period in microseconds, below 1 000 000 (default 0: one-shot).
 * @returns the microseconds that were left on the previous ITIMER_REAL setting
 *   (`sec * 1e6 + usec`, exact where C's `useconds_t` would wrap); 0 if none was pending.
 * @throws TypeError ERR_INVALID_ARG_TYPE if usecs or intervalUsecs is not a number.
 * @throws RangeError ERR_OUT_OF_RANGE if usecs or intervalUsecs is not an integer from 0 to 4 294 967 295.
 * @throws Error EINVAL (syscall setitimer) if usecs or intervalUsecs is 1 000 000 or more.
 * @throws Error ERR_ITIMER_MAIN_THREAD_ONLY in a Worker.
 * @example
 * ```js
 * import { ualarm } from 'itimer';
 * ualarm(500_000);
 * console.log(ualarm(0) > 0); // true: the µs that were left; cancelled
 * ```
 */
export function ualarm(usecs: number, intervalUsecs = 0): number {
  if (!chainOwnsItimerReal()) return posix.ualarm(usecs, intervalUsecs);
  validateInteger(usecs, 'usecs', 0, C_LIMITS.UINT_MAX);
  validateInteger(intervalUsecs, 'intervalUsecs', 0, C_LIMITS.UINT_MAX);
  const old = setVirtual({ value: { usec: usecs }, interval: { usec: intervalUsecs } }).value;
  return old.sec * 1e6 + old.usec;
}

/**
 * pause(2). When the chain runs on a backend that wakes it by a signal (`unix`, `dynticks`),
 * that signal also ends the pause; the chain then runs its due timers before `pause`
 * returns — so an alarm served by the chain has expired, and its sigaction handler has run,
 * when `pause()` returns, as with the kernel's alarm and a C handler.
 */
export function pause(): void {
  // A host re-arm deferred to a microtask must be in place before the process blocks.
  if (chainStarted()) getChain().refreshHost();
  posix.pause();
  if (chainStarted() && getChain().backend?.signal) getChain().runPass();
}
