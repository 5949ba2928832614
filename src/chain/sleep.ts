/**
 * `sleep`: a precise promise sleep on the chain, and the AbortError it rejects with.
 *
 * The clock is read as the call begins, so the deadline is the call's plus the delay. The
 * promise is resolved from the timer's callback, inside the dispatch path, so the `await`
 * continues before the next timer of the same pass runs (the promise jobs are drained
 * between callbacks), in the async context of the `await` — as with Node's
 * `timers/promises`.
 * @module
 */
import { invalidArgType } from '../posix/validate.js';
import type { Delay, Spin } from './delay.js';
import { validateTimerOptions } from './delay.js';
import { getChain } from './process-chain.js';
import { Timer } from './timer.js';

/** @internal Node's AbortError shape: `name` 'AbortError', `code` 'ABORT_ERR', `cause` the signal's reason. */
export function abortError(signal: AbortSignal): Error {
  return Object.assign(new Error('The operation was aborted', { cause: signal.reason }), { name: 'AbortError', code: 'ABORT_ERR' });
}

/** Options of {@link sleep}. */
export interface SleepOptions {
  /** Rejects with an AbortError when aborted, and disarms the timer. */
  signal?: AbortSignal;
  /** Keep the process alive while waiting (default true). */
  ref?: boolean;
  /** The spin tail (see {@link Spin}). */
  spin?: Spin;
}

/**
 * Resolves after `delay` (like `timers/promises` setTimeout, but precise).
 * @param delay milliseconds (fractions kept), a bigint of nanoseconds, or `{ ns, us, ms, s }`.
 * @param options `signal` to abort the wait, `ref` (default true), `spin` (see {@link SleepOptions}).
 * @returns a promise that resolves (with undefined) once the deadline has passed. It rejects,
 *   as timers/promises does, with `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` /
 *   `ERR_OUT_OF_RANGE` for bad arguments (options must be a plain object), with an AbortError
 *   (`ABORT_ERR`) when `options.signal` is or becomes aborted (the timer is then disarmed),
 *   and with `ERR_ITIMER_NO_ALARM_BACKEND` if the chain cannot start.
 * @throws Never: every error, argument errors included, is delivered as a rejection.
 * @example
 * ```js
 * import { sleep } from 'itimer';
 * await sleep({ us: 500 }); // half a millisecond, never less
 * await sleep(20, { spin: true }); // woken early and busy-waited: within ~1 µs
 * console.log('slept');
 * ```
 */
export function sleep(delay: Delay, options?: SleepOptions): Promise<void> {
  let timer: Timer;
  let signal: AbortSignal | undefined;
  try {
    const chain = getChain();
    const nowNs = chain.now(); // first: the deadline is the call's
    validateTimerOptions(options);
    signal = options?.signal;
    if (signal !== undefined && !(signal instanceof AbortSignal)) throw invalidArgType('options.signal', 'an instance of AbortSignal', signal);
    if (signal?.aborted) return Promise.reject(abortError(signal));
    timer = new Timer(noop, options).relativeTo(nowNs, delay);
  } catch (error) {
    return Promise.reject(error);
  }
  if (signal === undefined) {
    return new Promise((resolve) => {
      timer.callback = () => resolve(); // with undefined, not the overrun the chain passes
      timer.arm();
    });
  }
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      timer.cancel();
      reject(abortError(signal));
    };
    timer.callback = () => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    };
    timer.arm();
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function noop(): void {}
