/**
 * The signal mask and waiting for signals: sigprocmask(2), sigtimedwait(2) (with its
 * `siginfo_t`) and pause(2) — the calls that block or take signals on the calling thread,
 * beside the dispositions of posix/signals.
 * @module
 */
import { constants } from 'node:os';
import { checked, host, layoutsFor, syscallError } from '../host/index.js';
import { SIG_BLOCK, SIG_SETMASK, SIG_UNBLOCK } from './constants.js';
import type { SignalInput } from './signals.js';
import { signalNumber } from './signals.js';
import type { TimespecInput } from './structs.js';
import { structBuffer, toTimespec, writeInt64 } from './structs.js';
import { C_LIMITS, invalidArgType, invalidArgValue, outOfRange, requireMainThread, validateInteger } from './validate.js';

/**
 * The highest signal number of Linux (`SIGRTMAX`, `_NSIG - 1`) on the architectures itimer
 * supports. glibc's `sigset_t` has room for 1024, but the kernel reads only the first 64 bits:
 * a higher signal in a set would be silently ignored, so it is refused.
 */
export const SIGRTMAX = 64;

function writeSigset(signals: readonly SignalInput[]): Buffer {
  const set = structBuffer('sigset');
  for (const signal of signals) {
    const number = signalNumber(signal, 'signals');
    if (number < 1 || number > SIGRTMAX) throw outOfRange('signals', `signal numbers >= 1 && <= ${SIGRTMAX}`, number);
    const bit = number - 1;
    set[bit >> 3] = (set[bit >> 3] ?? 0) | (1 << (bit & 7));
  }
  return set;
}

function readSigset(set: Buffer): number[] {
  const signals: number[] = [];
  for (let bit = 0; bit < set.length * 8; bit++) if (((set[bit >> 3] ?? 0) >> (bit & 7)) & 1) signals.push(bit + 1);
  return signals;
}

const SIGPROCMASK_HOW = { block: SIG_BLOCK, unblock: SIG_UNBLOCK, setmask: SIG_SETMASK } as const;

/**
 * Examines and changes the signal mask of the calling thread (the main thread's, unless
 * called in a Worker), as sigprocmask(2). Only that thread's mask changes: a process-directed signal (kill(2), SIGEV_SIGNAL
 * timers, alarms) that the main thread blocks is delivered to another thread of Node that
 * does not block it, and reaches `process.on` listeners all the same. Thread-directed
 * signals (SIGEV_THREAD_ID timers to the main thread) stay pending until unblocked or
 * taken with {@link sigtimedwait}.
 * @param how `'block'`, `'unblock'`, `'setmask'` or the `SIG_*` number.
 * @param signals The set; omitted, the mask is only read.
 * @returns the previous mask as signal numbers (names: `os.constants.signals`).
 * @throws TypeError ERR_INVALID_ARG_VALUE if how is an unknown name, or a signal of the set an
 *   unknown signal name.
 * @throws TypeError ERR_INVALID_ARG_TYPE if how is not a string or a number, signals is given and
 *   not an array, or a signal of it is neither a string nor a number.
 * @throws RangeError ERR_OUT_OF_RANGE if how is a number that is not an integer in the `int`
 *   range, or a signal of the set is not an integer from 1 to 64.
 * @throws Error `EINVAL` (sigprocmask) for a `how` number other than 0, 1 and 2 when signals
 *   is given (the kernel does not look at `how` when the mask is only read).
 */
export function sigprocmask(how: keyof typeof SIGPROCMASK_HOW | number, signals?: readonly SignalInput[]): number[] {
  let howNumber: number;
  if (typeof how !== 'string') howNumber = validateInteger(how, 'how', C_LIMITS.INT_MIN, C_LIMITS.INT_MAX);
  else if (Object.hasOwn(SIGPROCMASK_HOW, how)) howNumber = SIGPROCMASK_HOW[how];
  else throw invalidArgValue('how', how, "must be 'block', 'unblock' or 'setmask'");
  if (signals !== undefined && !Array.isArray(signals)) throw invalidArgType('signals', 'an array', signals);
  const old = structBuffer('sigset');
  checked(host().sigprocmask(howNumber, signals === undefined ? null : writeSigset(signals), old), 'sigprocmask');
  return readSigset(old);
}

/**
 * Suspends the main thread until a signal is delivered to it whose action is to run a
 * handler or end the process, as pause(2). With a handler (`process.on` / {@link sigaction})
 * it returns when the C call returns -1 with `EINTR`; the JavaScript listener then runs on the
 * event loop, after `pause()` has returned. With no handler, a signal whose default action
 * is to terminate ends the process and `pause()` never returns.
 */
export function pause(): void {
  requireMainThread('pause()');
  const calls = host();
  calls.pause(); // always -1: pause(2) returns only when interrupted
  const errno = calls.errno();
  if (errno !== constants.errno.EINTR) throw syscallError(errno, 'pause');
}

/** `si_code` values from `<asm-generic/siginfo.h>`. */
export const SI_CODES = {
  /** Sent by kill(2). */
  SI_USER: 0,
  /** Sent by the kernel. */
  SI_KERNEL: 0x80,
  /** Sent by sigqueue(3). */
  SI_QUEUE: -1,
  /** A POSIX timer expired. */
  SI_TIMER: -2,
  /** A POSIX message queue changed state. */
  SI_MESGQ: -3,
  /** AIO completed. */
  SI_ASYNCIO: -4,
  /** Queued SIGIO. */
  SI_SIGIO: -5,
  /** Sent by tkill(2) or tgkill(2). */
  SI_TKILL: -6,
} as const;

/** What sigtimedwait(2) reports about the signal it took (`siginfo_t`). */
export interface SignalInfo {
  /** The signal number. */
  signal: number;
  /** `si_code`: why it was sent (see {@link SI_CODES}); `SI_TIMER` for POSIX timers. */
  code: number;
  /** Sender's pid, for `SI_USER`/`SI_TKILL`/`SI_QUEUE`. */
  pid?: number;
  /** Sender's real uid, for `SI_USER`/`SI_TKILL`/`SI_QUEUE`. */
  uid?: number;
  /** The kernel timer id, for `SI_TIMER`. */
  timerId?: number;
  /** The timer's overrun count for this signal, for `SI_TIMER`. */
  overrun?: number;
  /** `sigev_value.sival_int`, for `SI_TIMER` and `SI_QUEUE`. */
  value?: number;
}

/**
 * Takes one pending signal of `signals` synchronously, without running a handler, as
 * sigtimedwait(2). Block the signals first ({@link sigprocmask}), or they may be delivered to
 * a handler instead. For a POSIX timer signal, taking it re-arms a periodic timer and fixes
 * its overrun count, as delivery does.
 * @param timeout Maximum wait (`{ sec, nsec }` or seconds); omitted, waits indefinitely.
 * @param signals The set of signals to take, by name or number (1 to 64).
 * @returns the signal's info, or `null` when the timeout passed (`EAGAIN`).
 * @throws TypeError ERR_INVALID_ARG_TYPE if signals is not an array, a signal of it is neither a
 *   string nor a number, or timeout is neither a plain object nor a number, or has a field
 *   that is not a number.
 * @throws TypeError ERR_INVALID_ARG_VALUE if a signal of the set is an unknown signal name.
 * @throws RangeError ERR_OUT_OF_RANGE if a signal of the set is not an integer from 1 to 64, a
 *   timeout field is not a safe integer, or a timeout in seconds is not finite or beyond
 *   ±9 007 199 (where a double no longer holds nanoseconds).
 * @throws Error `EINVAL` (sigtimedwait) if the timeout's `sec` is negative or its `nsec` outside
 *   0 to 999 999 999; `EINTR` if a signal outside the set, with a handler, interrupted the wait.
 */
export function sigtimedwait(signals: readonly SignalInput[], timeout?: TimespecInput): SignalInfo | null {
  if (!Array.isArray(signals)) throw invalidArgType('signals', 'an array', signals);
  const set = writeSigset(signals);
  let timeoutBuffer: Buffer | null = null;
  if (timeout !== undefined) {
    const { sec, nsec } = toTimespec(timeout, 'timeout');
    timeoutBuffer = structBuffer('timespec');
    writeInt64(timeoutBuffer, 0, sec);
    writeInt64(timeoutBuffer, 8, nsec);
  }
  const info = structBuffer('siginfo');
  const calls = host();
  if (calls.sigtimedwait(set, info, timeoutBuffer) === -1) {
    const errno = calls.errno();
    if (errno === constants.errno.EAGAIN) return null;
    throw syscallError(errno, 'sigtimedwait');
  }
  const { fields } = layoutsFor().siginfo;
  const code = info.readInt32LE(fields.si_code.offset);
  const result: SignalInfo = { signal: info.readInt32LE(fields.si_signo.offset), code };
  if (code === SI_CODES.SI_TIMER) {
    result.timerId = info.readInt32LE(fields.si_timerid.offset);
    result.overrun = info.readInt32LE(fields.si_overrun.offset);
    result.value = info.readInt32LE(fields.si_value.offset);
  } else if (code === SI_CODES.SI_USER || code === SI_CODES.SI_TKILL || code === SI_CODES.SI_QUEUE) {
    result.pid = info.readInt32LE(fields.si_pid.offset);
    result.uid = info.readUInt32LE(fields.si_uid.offset);
    if (code === SI_CODES.SI_QUEUE) result.value = info.readInt32LE(fields.si_value.offset);
  }
  return result;
}
