/**
 * POSIX per-process timers: timer_create(2), timer_settime(2), timer_gettime(2),
 * timer_getoverrun(2), timer_delete(2).
 * @module
 */
import { constants } from 'node:os';
import { checked, host, layoutsFor, syscallError } from '../host/index.js';
import { SIGEV_NONE, SIGEV_SIGNAL, SIGEV_THREAD, SIGEV_THREAD_ID } from './constants.js';
import type { ClockInput } from './clock.js';
import { clockId } from './clock.js';
import type { Itimerspec, ItimerspecInput } from './structs.js';
import { readInt64, readItimerspec, structBuffer, writeItimerspec } from './structs.js';
import type { SignalInput } from './signals.js';
import { signalNumber } from './signals.js';
import { C_LIMITS, invalidArgValue, requireMainThread, validateInteger, validateObject } from './validate.js';

/**
 * How a timer notifies its expiry (`struct sigevent`). Omitted entirely, the kernel's
 * default for a NULL `sevp` applies: SIGEV_SIGNAL with SIGALRM, value = the timer id.
 */
export interface TimerEvent {
  /**
   * `'signal'` (SIGEV_SIGNAL, the default), `'none'` (SIGEV_NONE: poll with `gettime`),
   * `'thread-id'` (SIGEV_THREAD_ID: the signal goes to one thread), or a raw `SIGEV_*`
   * number. SIGEV_THREAD is not offered: it would run C code on a new thread.
   */
  notify?: 'signal' | 'none' | 'thread-id' | number;
  /** The signal for `'signal'` and `'thread-id'`; default `'SIGALRM'`. */
  signal?: SignalInput;
  /** `sigev_value.sival_int`, carried in the signal's siginfo; default 0. */
  value?: number;
  /** For `'thread-id'`: the kernel thread id; default the main thread (this one). */
  threadId?: number;
}

const NOTIFY: Readonly<Record<string, number>> = { signal: SIGEV_SIGNAL, none: SIGEV_NONE, 'thread-id': SIGEV_THREAD_ID };

function encodeEvent(event: unknown): Buffer {
  validateObject(event, 'event');
  const { notify = 'signal', signal = 'SIGALRM', value = 0, threadId } = event as TimerEvent;
  let notifyNumber: number;
  if (typeof notify === 'number') notifyNumber = validateInteger(notify, 'event.notify', C_LIMITS.INT_MIN, C_LIMITS.INT_MAX);
  else if (typeof notify === 'string' && Object.hasOwn(NOTIFY, notify)) notifyNumber = NOTIFY[notify]!;
  else throw invalidArgValue('event.notify', notify, "must be 'signal', 'none', 'thread-id' or a SIGEV_* number");
  // glibc would start a thread and call sigev_notify_function, a C pointer we cannot supply.
  if (notifyNumber === SIGEV_THREAD) throw invalidArgValue('event.notify', notify, 'SIGEV_THREAD is not supported: it runs a C function on a new thread');
  if (notifyNumber !== SIGEV_NONE) requireMainThread('A POSIX timer that notifies by a signal');
  const { fields } = layoutsFor().sigevent;
  const buffer = structBuffer('sigevent');
  buffer.writeInt32LE(validateInteger(value, 'event.value', C_LIMITS.INT_MIN, C_LIMITS.INT_MAX), fields.sigev_value.offset);
  buffer.writeInt32LE(signalNumber(signal, 'event.signal'), fields.sigev_signo.offset);
  buffer.writeInt32LE(notifyNumber, fields.sigev_notify.offset);
  const tid = threadId === undefined ? host().gettid() : validateInteger(threadId, 'event.threadId', C_LIMITS.INT_MIN, C_LIMITS.INT_MAX);
  buffer.writeInt32LE(tid, fields.sigev_notify_thread_id.offset);
  return buffer;
}

/**
 * A POSIX timer. Like a file descriptor it lives until {@link PosixTimer.delete} (or
 * `using`/`Symbol.dispose`), exec or exit — not until garbage collection, since an
 * unreferenced timer may still be delivering signals on purpose.
 *
 * Invariant: after `delete()`, every method fails with `EINVAL` without calling the kernel
 * (the kernel may already have given the id to a new timer).
 */
export class PosixTimer implements Disposable {
  /** The kernel's timer id (the first one a process gets is 0). */
  readonly id: number;
  /** The clock the timer counts on. */
  readonly clockId: number;
  #deleted = false;
  #next = structBuffer('itimerspec');
  #old = structBuffer('itimerspec');

  /** @hidden Use {@link timerCreate}. */
  constructor(id: number, clock: number) {
    // glibc takes a negative timer_t for a SIGEV_THREAD timer's pointer and dereferences it.
    this.id = validateInteger(id, 'id', 0, C_LIMITS.INT_MAX);
    this.clockId = validateInteger(clock, 'clock', C_LIMITS.INT_MIN, C_LIMITS.INT_MAX);
  }

  #live(syscall: string): void {
    if (this.#deleted) throw syscallError(constants.errno.EINVAL, syscall);
  }

  /** True once {@link PosixTimer.delete} has run. */
  get deleted(): boolean {
    return this.#deleted;
  }

  /**
   * Arms (non-zero `value`) or disarms (zero `value`) the timer, as timer_settime(2).
   * @param spec `value`: first expiry, relative or absolute with `TIMER_ABSTIME`; `interval`:
   *   period. Each `{ sec, nsec }` (missing fields 0) or a number of seconds.
   * @param flags 0 or `TIMER_ABSTIME`.
   * @returns the previous setting (remaining time, relative).
   * @throws Error `EINVAL` (timer_settime) once the timer is deleted (without a call), or from the
   *   kernel if a `sec` is negative or an `nsec` is outside 0 to 999 999 999.
   * @throws TypeError ERR_INVALID_ARG_TYPE if spec is not a plain object (undefined disarms), its
   *   `value` or `interval` is neither a plain object nor a number, a field is not a number, or
   *   flags is not a number.
   * @throws RangeError ERR_OUT_OF_RANGE if a field is not a safe integer, a number of seconds is
   *   not finite or beyond ±9 007 199 (where a double no longer holds nanoseconds), or flags is
   *   not an integer in the `int` range.
   */
  settime(spec: ItimerspecInput, flags = 0): Itimerspec {
    this.#live('timer_settime');
    validateInteger(flags, 'flags', C_LIMITS.INT_MIN, C_LIMITS.INT_MAX);
    writeItimerspec(this.#next, spec, 'spec');
    checked(host().timer_settime(this.id, flags, this.#next, this.#old), 'timer_settime');
    return readItimerspec(this.#old);
  }

  /**
   * The time left to the next expiry (zero when disarmed) and the interval, as timer_gettime(2).
   * @returns the time left before the next expiration (relative, even for an absolute
   *   setting) and the reload interval, each as `{ sec, nsec }`.
   * @throws Error `EINVAL` (timer_gettime) once the timer is deleted, without calling the kernel.
   */
  gettime(): Itimerspec {
    this.#live('timer_gettime');
    checked(host().timer_gettime(this.id, this.#old), 'timer_gettime');
    return readItimerspec(this.#old);
  }

  /**
   * The overrun count of the last delivered expiry signal: expirations that happened while
   * the signal was still pending, capped at INT_MAX, as timer_getoverrun(2).
   * @returns the overrun count, from 0 to 2 147 483 647.
   * @throws Error `EINVAL` (timer_getoverrun) once the timer is deleted, without calling the kernel.
   */
  getoverrun(): number {
    this.#live('timer_getoverrun');
    return checked(host().timer_getoverrun(this.id), 'timer_getoverrun');
  }

  /** Disarms and deletes the timer, as timer_delete(2). A second call fails with `EINVAL`. */
  delete(): void {
    this.#live('timer_delete');
    checked(host().timer_delete(this.id), 'timer_delete');
    this.#deleted = true;
  }

  /** Deletes the timer unless already deleted (for `using`). */
  [Symbol.dispose](): void {
    if (!this.#deleted) this.delete();
  }
}

/**
 * Creates a POSIX timer, disarmed, as timer_create(2).
 * @param clock The clock: `CLOCK_REALTIME`, `CLOCK_MONOTONIC`, `CLOCK_PROCESS_CPUTIME_ID`,
 *   `CLOCK_THREAD_CPUTIME_ID`, `CLOCK_BOOTTIME`, `CLOCK_TAI`, the `_ALARM` clocks (need
 *   CAP_WAKE_ALARM and an RTC), or a name.
 * @param event How expiry is notified; omitted, as a NULL `sevp` (SIGALRM to the process).
 * @returns the new timer, disarmed; delete it with {@link PosixTimer.delete} (or `using`).
 * @throws Error ERR_ITIMER_MAIN_THREAD_ONLY in a Worker, unless the event's notification is
 *   SIGEV_NONE (`'none'`): the default event signals the process.
 * @throws TypeError ERR_INVALID_ARG_VALUE if clock is an unknown name, `event.notify` is neither
 *   `'signal'`, `'none'`, `'thread-id'` nor a number, or is SIGEV_THREAD, or `event.signal` is an
 *   unknown signal name.
 * @throws TypeError ERR_INVALID_ARG_TYPE if event is not a plain object, clock or `event.signal`
 *   is neither a string nor a number, or `event.value` / `event.threadId` is not a number.
 * @throws RangeError ERR_OUT_OF_RANGE if a number (clock, `notify`, `signal`, `value`,
 *   `threadId`) is not an integer in the `int` range.
 * @throws Error `EINVAL` (timer_create) for a clock id the kernel does not know, an unknown
 *   `SIGEV_*` number, a signal outside 1 to 64 for a signalling timer, or a `threadId` that is
 *   not a thread of this process.
 * @throws Error `ENOTSUP` (timer_create) for a clock that has no timers (CLOCK_MONOTONIC_RAW,
 *   the `_COARSE` clocks) or an `_ALARM` clock with no RTC; `EPERM` for an `_ALARM` clock without
 *   CAP_WAKE_ALARM; `EAGAIN` if the kernel cannot allocate the timer (RLIMIT_SIGPENDING).
 * @example
 * ```js
 * import { timerCreate } from 'itimer';
 * const timer = timerCreate('CLOCK_MONOTONIC', { notify: 'none' }); // polled, no signal
 * timer.settime({ value: { nsec: 5_000_000 } });
 * console.log(timer.gettime().value.nsec > 0); // true: still running
 * timer.delete();
 * ```
 */
export function timerCreate(clock: ClockInput, event?: TimerEvent): PosixTimer {
  const id = clockId(clock);
  const out = structBuffer('timer_t');
  if (event === undefined) requireMainThread('A POSIX timer that notifies by a signal (the default SIGALRM)');
  checked(host().timer_create(id, event === undefined ? null : encodeEvent(event), out), 'timer_create');
  return new PosixTimer(readInt64(out, 0), id);
}

