/**
 * timerfd(2): a timer that is a file descriptor — the host mechanism of the chain's `timerfd`
 * backend and of the host clock's reset detection. One small wrapper, so no caller drives
 * `timerfd_create`/`timerfd_settime`/`read` by hand.
 *
 * ```js
 * const tfd = new TimerFd(CLOCK_MONOTONIC);          // TFD_NONBLOCK | TFD_CLOEXEC
 * const watcher = watchReadable(tfd.fd, () => {
 *   const expirations = tfd.read();                  // 0 if a re-arm already took them
 * });
 * tfd.setAbsolute(sec, nsec);                        // TFD_TIMER_ABSTIME, allocates nothing
 * tfd.disarm();
 * watcher.close(); tfd.close();
 * ```
 *
 * Costs: each call is one libc call through the hot-path driver (koffi, ~0.1 µs, retaining
 * nothing: the fd is polled through koffi anyway), on buffers allocated once per timerfd —
 * `setAbsolute`, `setRelative`, `disarm` and `read` allocate nothing, so a backend may call
 * them on every re-arm and wake-up.
 *
 * Rules: arguments are trusted, not validated — callers are the library's own layers (this
 * module is not part of the public API). Times are whole seconds and nanoseconds as safe
 * integers; values C can hold but the kernel refuses (a negative `nsec`, `nsec` ≥ 10^9) get
 * the kernel's errno. Every failure
 * is the errno error of its call (`checked`: `code`, negative `errno`, `syscall`). After
 * `close()` the object holds fd −1 and every call fails with `EBADF`.
 * @module
 */
import { checked, hotPathCalls } from '../host/index.js';
import type { HostCalls } from '../host/index.js';
import { TIMER_ABSTIME } from './constants.js';
import type { Itimerspec } from './structs.js';
import { readInt64, readItimerspec, structBuffer, writeItimerRaw } from './structs.js';

/** `timerfd_create` flag: reads never block (EAGAIN when nothing expired). */
export const TFD_NONBLOCK = 0o4000;
/** `timerfd_create` flag: the fd is closed across execve. */
export const TFD_CLOEXEC = 0o2000000;
/** `timerfd_settime` flag: the value is an absolute time on the timer's clock. */
export const TFD_TIMER_ABSTIME = TIMER_ABSTIME;
/**
 * `timerfd_settime` flag (CLOCK_REALTIME, with TFD_TIMER_ABSTIME): a `read` fails with
 * ECANCELED whenever the clock is set discontinuously, forwards or backwards.
 */
export const TFD_TIMER_CANCEL_ON_SET = 2;

const EAGAIN = 11;

/** How a {@link TimerFd} is created. */
export interface TimerFdOptions {
  /** TFD_NONBLOCK: `read` returns 0 instead of blocking when nothing expired (default true). */
  nonblocking?: boolean;
  /** TFD_CLOEXEC (default true). */
  closeOnExec?: boolean;
  /**
   * Arm every absolute time with TFD_TIMER_CANCEL_ON_SET, so that a set of the clock makes
   * `read` fail with ECANCELED (default false). Only CLOCK_REALTIME (and CLOCK_REALTIME_ALARM)
   * timers are made cancelable; on other clocks the kernel ignores the flag.
   */
  cancelOnSet?: boolean;
}

/**
 * One timerfd. Invariant: `fd` is the open descriptor, or −1 once closed (never reused).
 */
export class TimerFd implements Disposable {
  #fd: number;
  readonly #calls: HostCalls;
  readonly #absoluteFlags: number;
  /** The itimerspec given to every settime; written in place. */
  readonly #spec = structBuffer('itimerspec');
  /** The 8-byte expiration count `read` fills. */
  readonly #count = Buffer.alloc(8);

  /**
   * timerfd_create(clockId, flags).
   * @param clockId The clock: CLOCK_MONOTONIC, CLOCK_REALTIME, CLOCK_BOOTTIME, … (a number).
   * @param options Nonblocking and close-on-exec (both default true), cancel-on-set.
   * @throws Error the errno error of timerfd_create: `EINVAL` (an unknown clock), `EMFILE`,
   *   `ENFILE`, `ENOMEM`, `EPERM` (an `_ALARM` clock without CAP_WAKE_ALARM).
   */
  constructor(clockId: number, options: TimerFdOptions = {}) {
    const { nonblocking = true, closeOnExec = true, cancelOnSet = false } = options;
    this.#calls = hotPathCalls();
    this.#absoluteFlags = TFD_TIMER_ABSTIME | (cancelOnSet ? TFD_TIMER_CANCEL_ON_SET : 0);
    const flags = (nonblocking ? TFD_NONBLOCK : 0) | (closeOnExec ? TFD_CLOEXEC : 0);
    this.#fd = checked(this.#calls.timerfd_create(clockId, flags), 'timerfd_create', this.#calls);
  }

  /** The file descriptor, to watch for readability; −1 once closed. */
  get fd(): number {
    return this.#fd;
  }

  /**
   * Arms the timer to expire at the absolute time (sec, nsec) on its clock (TFD_TIMER_ABSTIME,
   * plus TFD_TIMER_CANCEL_ON_SET if created with `cancelOnSet`); a time already past expires at
   * once. Replaces any earlier setting. Allocates nothing.
   * @param sec Whole seconds of the clock's time.
   * @param nsec Nanoseconds, 0 to 999 999 999.
   * @param intervalSec Whole seconds of the period (default 0: one-shot).
   * @param intervalNsec Nanoseconds of the period (default 0).
   * @throws Error the errno error of timerfd_settime: `EINVAL` (a field out of range), `EBADF`
   *   once closed.
   */
  setAbsolute(sec: number, nsec: number, intervalSec = 0, intervalNsec = 0): void {
    this.#settime(this.#absoluteFlags, sec, nsec, intervalSec, intervalNsec);
  }

  /**
   * Arms the timer to expire (sec, nsec) from now. Replaces any earlier setting; (0, 0)
   * disarms. Allocates nothing.
   * @param sec Whole seconds from now.
   * @param nsec Nanoseconds, 0 to 999 999 999.
   * @param intervalSec Whole seconds of the period (default 0: one-shot).
   * @param intervalNsec Nanoseconds of the period (default 0).
   * @throws Error the errno error of timerfd_settime: `EINVAL`, `EBADF` once closed.
   */
  setRelative(sec: number, nsec: number, intervalSec = 0, intervalNsec = 0): void {
    this.#settime(0, sec, nsec, intervalSec, intervalNsec);
  }

  /**
   * Disarms the timer. Expirations not yet read are dropped (the kernel resets the count).
   * @throws Error `EBADF` (timerfd_settime) once closed.
   */
  disarm(): void {
    this.#settime(0, 0, 0, 0, 0);
  }

  #settime(flags: number, sec: number, nsec: number, intervalSec: number, intervalNsec: number): void {
    writeItimerRaw(this.#spec, sec, nsec, intervalSec, intervalNsec);
    checked(this.#calls.timerfd_settime(this.#fd, flags, this.#spec, null), 'timerfd_settime', this.#calls);
  }

  /**
   * The time to the next expiry (always relative) and the period, as timerfd_gettime(2).
   * @returns `{ value, interval }`; a zero `value` means disarmed.
   * @throws Error `EBADF` (timerfd_gettime) once closed.
   */
  gettime(): Itimerspec {
    const spec = structBuffer('itimerspec');
    checked(this.#calls.timerfd_gettime(this.#fd, spec), 'timerfd_gettime', this.#calls);
    return readItimerspec(spec);
  }

  /**
   * Reads and so drains the expiration count: the expirations since the last read or
   * setting. Allocates nothing.
   * @returns the number of expirations; 0 when there are none on a nonblocking timerfd
   *   (EAGAIN: e.g. a re-arm between the wake-up and the read took them). A blocking timerfd
   *   waits for one.
   * @throws Error `ECANCELED` (read) on a cancel-on-set timerfd whose clock was set since the
   *   last read (the count is reset; the timer stays armed); `EBADF` once closed.
   */
  read(): number {
    const result = this.#calls.read(this.#fd, this.#count, 8);
    if (result === -1 && this.#calls.errno() === EAGAIN) return 0;
    checked(result, 'read', this.#calls);
    return readInt64(this.#count, 0);
  }

  /** Closes the fd; later calls fail with `EBADF`. Closing again does nothing. */
  close(): void {
    if (this.#fd < 0) return;
    const fd = this.#fd;
    this.#fd = -1;
    this.#calls.close(fd);
  }

  /** Closes the fd (for `using`). */
  [Symbol.dispose](): void {
    this.close();
  }
}
