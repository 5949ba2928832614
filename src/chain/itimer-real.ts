/**
 * ITIMER_REAL when the chain owns it, and the public alarm / ualarm / setitimer /
 * getitimer that route to it.
 *
 * On the `unix` backend the chain's own host timer *is* the kernel's ITIMER_REAL, so the
 * user's ITIMER_REAL becomes a waiter in the chain (a virtual ITIMER_REAL) with the
 * kernel's semantics: the same validation and errno, the same remaining-time rounding
 * (truncated to the microsecond, at least 1 µs while pending), alarm's rounding of the
 * returned seconds, periodic re-arming from the previous expiry, and delivery of SIGALRM
 * to the user's handlers — or, with no handler, death by SIGALRM on time even if
 * JavaScript is stuck in a loop: the chain gives the backend the alarm's deadline as a
 * *lethal* one (`TimerChain.lethalDeadline`), and the backend arms the kernel so that
 * SIGALRM at its default action ends the process then unless the chain re-arms first
 * (see backends/unix).
 *
 * On every other backend these calls go straight to the kernel.
 *
 * Moving onto the unix backend adopts the kernel's current ITIMER_REAL; moving off it (or
 * exec) hands the virtual one back to the kernel, so nothing is lost either way.
 * @module
 */
import { constants } from 'node:os';
import { onForeignAlarm } from '../backends/unix.js';
import { syscallError } from '../host/index.js';
import type { Itimerval, ItimervalInput, ItimerWhich } from '../posix/index.js';
import * as posix from '../posix/index.js';
import { alarmSeconds } from '../posix/index.js';
import { dieBySignal, isLibraryListener, userListeners, watchClaimedHandler } from '../posix/signals.js';
import { toTimeval } from '../posix/structs.js';
import { C_LIMITS, validateInteger, validateObject } from '../posix/validate.js';
import type { TimerChain } from './chain.js';
import { Waiter } from './waiter.js';
import { activeAlarm, chainStarted, getChain, onBackendSwitch, onQuit } from './process-chain.js';

let intervalNs = 0;
const realTimer = new Waiter(expire);
realTimer.keepsAlive = false; // like the kernel's: a pending alarm does not keep the event loop alive

/**
 * True while the chain serves ITIMER_REAL (it runs on the `unix` backend).
 * @returns true while the chain runs on the `unix` backend, so that alarm, ualarm and
 *   setitimer / getitimer of ITIMER_REAL are served by the chain; false otherwise, also
 *   before the chain has started.
 */
export function chainOwnsItimerReal(): boolean {
  return activeAlarm() === 'unix';
}

function expire(nowNs: number): void {
  const chain = getChain();
  if (intervalNs > 0) {
    // hrtimer_forward: the next expiry after now, on the original grid.
    const periods = Math.floor((nowNs - realTimer.deadlineNs) / intervalNs) + 1;
    realTimer.deadlineNs += periods * intervalNs;
    chain.arm(realTimer);
  }
  const handlers = userListeners('SIGALRM');
  // With no handler the kernel would end the process now: so do we, by SIGALRM itself.
  if (handlers.length === 0) dieBySignal('SIGALRM');
  for (const handler of handlers) handler.call(process, 'SIGALRM');
}

function remaining(chain = getChain()): Itimerval {
  let valueNs = 0;
  if (realTimer.armed) valueNs = Math.max(realTimer.deadlineNs - chain.now(), 1000);
  const toTimevalNs = (ns: number) => ({ sec: Math.floor(ns / 1e9), usec: Math.floor((ns % 1e9) / 1000) });
  return { value: toTimevalNs(valueNs), interval: toTimevalNs(intervalNs) };
}

/** The kernel's check (`timeval_valid`): seconds >= 0, 0 <= usec < 1e6. */
function validTimeval(tv: { sec: number; usec: number }): boolean {
  return tv.sec >= 0 && tv.usec >= 0 && tv.usec < 1e6;
}

function setVirtual(input: ItimervalInput | undefined): Itimerval {
  if (input !== undefined) validateObject(input, 'value');
  const value = toTimeval(input?.value, 'value.value');
  const interval = toTimeval(input?.interval, 'value.interval');
  if (!validTimeval(value) || !validTimeval(interval)) throw syscallError(constants.errno.EINVAL, 'setitimer');
  const old = remaining();
  const chain = getChain();
  chain.cancel(realTimer);
  const valueNs = value.sec * 1e9 + value.usec * 1e3;
  intervalNs = valueNs > 0 ? interval.sec * 1e9 + interval.usec * 1e3 : 0;
  if (valueNs > 0) chain.rearmAbsolute(realTimer, chain.now() + valueNs);
  chain.refreshHost(); // the lethal deadline may have moved even if the head did not
  return old;
}

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

/**
 * Gives the chain's ITIMER_REAL back to the kernel: off `unix`, before exec or a snapshot,
 * and when the unix backend fails to start after the kernel's setting was adopted for it.
 */
function giveBack(chain: TimerChain): void {
  const current = remaining(chain);
  const wasArmed = chain.cancel(realTimer);
  intervalNs = 0;
  chain.stop(); // the unix backend disarms ITIMER_REAL on stop; then the kernel gets ours back
  if (wasArmed) posix.setitimer('real', current);
}

function handBackToKernel(chain: TimerChain): void {
  if (chain.backendName === 'unix') giveBack(chain);
}

// Before exec or a snapshot: the kernel keeps itimers across execve, so it must hold ours.
onQuit(handBackToKernel);

// A SIGALRM the unix backend did not arm for (kill -ALRM from outside) is the user's, as
// with the kernel: their handlers get it; with none, its default action ends the process.
onForeignAlarm(() => {
  const handlers = userListeners('SIGALRM');
  if (handlers.length === 0) dieBySignal('SIGALRM');
  for (const handler of handlers) handler.call(process, 'SIGALRM');
});

// Hands ITIMER_REAL over when the chain changes backend: onto `unix`, the kernel's current
// setting becomes the virtual one (before the backend starts: its first arming overwrites
// the kernel's), and goes back to the kernel if the backend then fails to start; off `unix`,
// the virtual one goes back to the kernel.
onBackendSwitch((chain, from, to) => {
  chain.setLethalPolicy({
    lethalDeadlineNs: () => (realTimer.armed && !listenerBeingAdded && userListeners('SIGALRM').length === 0 ? realTimer.deadlineNs : undefined),
  });
  if (from === 'unix' && to !== 'unix') handBackToKernel(chain);
  else if (to === 'unix' && from !== 'unix') {
    const kernel = posix.setitimer('real', {});
    const valueNs = kernel.value.sec * 1e9 + kernel.value.usec * 1e3;
    if (valueNs > 0) {
      intervalNs = kernel.interval.sec * 1e9 + kernel.interval.usec * 1e3;
      chain.rearmAbsolute(realTimer, chain.now() + valueNs);
    }
    return () => giveBack(chain);
  }
});

/**
 * Re-decides lethal arming whenever the user's SIGALRM listeners change. 'newListener' is
 * emitted before the listener is added, so lethal arming is suspended until it is in place.
 */
let listenerBeingAdded = false;
process.on('newListener', (event, listener) => {
  if (event !== 'SIGALRM' || !chainOwnsItimerReal() || isLibraryListener('SIGALRM', listener)) return;
  process.emitWarning(
    "process.on('SIGALRM') listeners also see the timer chain's own SIGALRMs while it runs on the 'unix' backend; " +
      "use sigaction('SIGALRM', handler) to receive only alarm(2)/ITIMER_REAL expiries",
    { code: 'ITIMER_SIGALRM_SHARED' },
  );
  listenerBeingAdded = true;
  getChain().refreshHost();
  process.nextTick(() => {
    listenerBeingAdded = false;
  });
});
watchClaimedHandler('SIGALRM', () => {
  if (chainOwnsItimerReal()) getChain().refreshHost();
});
process.on('removeListener', (event, listener) => {
  if (event === 'SIGALRM' && chainOwnsItimerReal() && !isLibraryListener('SIGALRM', listener)) getChain().refreshHost();
});
