/**
 * `itimer/promises`: the shapes of `node:timers/promises` on the timer chain —
 * `setTimeout(delay, value, { signal, ref })`, `setInterval(delay, value, { signal, ref })`
 * as an async iterator, and `scheduler.wait(delay, { signal })` — precise and never early.
 *
 * ```js
 * import { setTimeout, setInterval, scheduler } from 'itimer/promises';
 * const value = await setTimeout(2.5, 'done');          // 2.5 ms later
 * for await (const tick of setInterval(10, 'tick')) { … } // drift-free ticks
 * await scheduler.wait(1, { signal: AbortSignal.timeout(100) });
 * ```
 *
 * As in Node: delays follow Node's rules (`+delay`; 1 ms unless from 1 to 2^31-1), bad
 * `options` / `options.signal` / `options.ref` reject with `ERR_INVALID_ARG_TYPE`, and an
 * abort rejects with an `AbortError` (`code` 'ABORT_ERR', `cause` the signal's reason) and
 * disarms the timer.
 *
 * One difference, on purpose: Node's interval iterator yields once for every period that
 * elapsed, so a slow consumer gets a burst of stale ticks. Here a slow consumer gets one
 * tick, at once, and the periods it missed are counted in the iterator's `missed`: ticks
 * stay on the drift-free grid and are never bunched.
 * @module
 */
import { invalidArgType } from '../posix/validate.js';
import { Timer } from '../chain/index.js';
import { abortError } from '../chain/sleep.js';
import { itimerError } from '../host/errors.js';
import { nodeDelayMs } from './delay.js';

/** Options of {@link setTimeout} and {@link setInterval}. */
export interface TimerPromiseOptions {
  /** Aborts the wait (or the iteration) with an AbortError. */
  signal?: AbortSignal;
  /** Keep the process alive while waiting (default true). */
  ref?: boolean;
}

/** Node's checks of the options of timers/promises; @returns `signal` and `ref`. */
function checkOptions(options: unknown): { signal: AbortSignal | undefined; ref: boolean } {
  if (options === null || typeof options !== 'object') throw invalidArgType('options', 'of type object', options);
  const { signal, ref = true } = options as TimerPromiseOptions;
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw invalidArgType('options.signal', 'an instance of AbortSignal', signal);
  if (typeof ref !== 'boolean') throw invalidArgType('options.ref', 'of type boolean', ref);
  return { signal, ref };
}

/**
 * Resolves with `value` after `delay` ms (fractions kept), like `timers/promises` setTimeout.
 * @param delay milliseconds, with Node's rules: coerced with `+delay`, and 1 unless from 1 to
 *   2^31-1 (no `TimeoutOverflowWarning`, as in timers/promises).
 * @param value what the promise resolves with.
 * @param options `signal` to abort the wait, `ref` (default true) to keep the process alive.
 * @returns a promise that resolves with `value` once the deadline has passed. It rejects with
 *   `ERR_INVALID_ARG_TYPE` for bad options, a symbol or bigint delay; with an AbortError
 *   (`ABORT_ERR`) when `options.signal` is or becomes aborted (the timer is then disarmed);
 *   and with `ERR_ITIMER_NO_ALARM_BACKEND` if the chain cannot start.
 * @throws Never: every error, argument errors included, is delivered as a rejection.
 */
export function setTimeout<T = void>(delay?: number, value?: T, options: TimerPromiseOptions = {}): Promise<T> {
  let signal: AbortSignal | undefined;
  let ref: boolean;
  let delayMs: number;
  try {
    ({ signal, ref } = checkOptions(options));
    delayMs = nodeDelayMs(delay, false); // timers/promises emits no overflow warning
  } catch (error) {
    return Promise.reject(error);
  }
  if (signal?.aborted) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      timer.cancel();
      reject(abortError(signal!));
    };
    const timer = new Timer(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve(value as T);
      },
      { ref },
    )
      .setRelative(delayMs)
      .arm();
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The async iterator of {@link setInterval}: one tick per `next()`, on a drift-free grid.
 * Invariant: `missed` counts the periods that elapsed while nobody was waiting beyond the
 * one tick that was kept for the next `next()`.
 */
export class IntervalIterator<T> implements AsyncIterableIterator<T> {
  /** Periods that elapsed while the consumer was busy and were skipped (not yielded). */
  missed = 0;
  readonly #value: T;
  readonly #signal: AbortSignal | undefined;
  readonly #timer: Timer | undefined;
  /**
   * An argument error, or the AbortError of an abort nobody was waiting for: reported by the
   * next `next()` only, as Node's async generator does (later calls resolve done).
   */
  #error: unknown;
  /** A tick that arrived while nobody was waiting. */
  #pending = false;
  #waiting: { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void } | undefined;
  #done = false;
  readonly #onAbort = () => {
    const waiting = this.#waiting;
    this.#finish();
    const error = abortError(this.#signal!);
    if (waiting) waiting.reject(error);
    else this.#error = error;
  };

  /** @hidden Use {@link setInterval}. */
  constructor(delay: unknown, value: T, options: unknown) {
    this.#value = value;
    let checked: ReturnType<typeof checkOptions> | undefined;
    try {
      checked = checkOptions(options);
    } catch (error) {
      this.#error = error;
    }
    let delayMs = 1;
    try {
      if (checked) delayMs = nodeDelayMs(delay, false);
    } catch (error) {
      this.#error = error;
      checked = undefined;
    }
    if (!checked) return;
    const { signal, ref } = checked;
    this.#signal = signal;
    if (signal?.aborted) {
      this.#error = abortError(signal);
      return;
    }
    this.#timer = new Timer((overrun) => this.#tick(overrun), { ref }).setRelative(delayMs).setInterval(delayMs).arm();
    signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  #tick(overrun: number): void {
    this.missed += overrun; // periods the chain itself could not serve (the process stalled)
    const waiting = this.#waiting;
    if (waiting) {
      this.#waiting = undefined;
      waiting.resolve({ value: this.#value, done: false });
    } else if (this.#pending) this.missed++;
    else this.#pending = true;
  }

  /** Ends the iteration: disarms, stops listening, and forgets any error not yet reported. */
  #finish(): void {
    this.#done = true;
    this.#waiting = undefined;
    this.#error = undefined;
    this.#timer?.cancel();
    this.#signal?.removeEventListener('abort', this.#onAbort);
  }

  /**
   * Resolves with the next tick (at once if one elapsed meanwhile); rejects once with an
   * AbortError after an abort.
   * @returns a promise of `{ value, done: false }` at the next tick, or of `{ value: undefined,
   *   done: true }` once finished (after return(), or after an error was reported). It rejects
   *   with the argument error of {@link setInterval} (first call only); with an AbortError
   *   (`ABORT_ERR`) — the pending call when the signal aborts, else the first call after it
   *   (later calls resolve done, as Node's); and with `ERR_ITIMER_CONCURRENT_NEXT` while a
   *   previous call is still pending.
   */
  next(): Promise<IteratorResult<T>> {
    if (this.#error !== undefined) {
      const error = this.#error;
      this.#finish();
      return Promise.reject(error);
    }
    if (this.#done) return Promise.resolve({ value: undefined, done: true });
    if (this.#pending) {
      this.#pending = false;
      return Promise.resolve({ value: this.#value, done: false });
    }
    if (this.#waiting) return Promise.reject(itimerError('ERR_ITIMER_CONCURRENT_NEXT', 'next() called again before the previous tick resolved'));
    return new Promise((resolve, reject) => (this.#waiting = { resolve, reject }));
  }

  /**
   * Stops the interval (`break` in `for await` calls it). As with Node's async generator, a
   * next() already pending is served first (its tick, or the AbortError of an abort before
   * it), then the interval stops; an error not yet reported is dropped, and later next()
   * calls resolve done, even after an abort.
   * @returns a promise of `{ value: undefined, done: true }`, once the timer is disarmed.
   */
  return(): Promise<IteratorResult<T>> {
    const waiting = this.#waiting;
    if (!waiting) {
      this.#finish();
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve) => {
      const stop = () => {
        this.#finish();
        resolve({ value: undefined, done: true });
      };
      this.#waiting = {
        resolve: (result) => (waiting.resolve(result), stop()),
        reject: (error) => (waiting.reject(error), stop()),
      };
    });
  }

  /**
   * This iterator.
   * @returns this iterator itself.
   */
  [Symbol.asyncIterator](): this {
    return this;
  }
}

/**
 * An async iterator that yields `value` every `delay` ms (fractions kept; less than 1 is
 * 1 ms), like `timers/promises` setInterval, but on a drift-free grid and never bunched:
 * periods missed by a slow consumer are counted in `missed` instead of yielded in a burst.
 * Bad options (`ERR_INVALID_ARG_TYPE`) and an already aborted signal (AbortError) are
 * reported by the first `next()`, as by Node's async generator.
 * @param delay the period in milliseconds, with Node's rules: coerced with `+delay`, and 1
 *   unless from 1 to 2^31-1.
 * @param value what each tick yields.
 * @param options `signal` to end the iteration with an AbortError, `ref` (default true) to keep
 *   the process alive while the interval runs.
 * @returns the iterator, already running: its first tick is `delay` ms after this call.
 * @throws Error ERR_ITIMER_NO_ALARM_BACKEND if this call starts the chain and no enabled
 *   backend starts; argument errors are not thrown, the first next() rejects with them.
 */
export function setInterval<T = void>(delay?: number, value?: T, options: TimerPromiseOptions = {}): IntervalIterator<T> {
  return new IntervalIterator(delay, value as T, options);
}

/** `timers/promises` scheduler: {@link Scheduler.wait}. */
export interface Scheduler {
  /**
   * Resolves after `delay` ms, like `setTimeout(delay, undefined, options)`.
   * @param delay milliseconds, with Node's rules (see {@link setTimeout}).
   * @param options `signal` to abort the wait.
   * @returns a promise that resolves (with undefined) once the deadline has passed, and rejects
   *   as {@link setTimeout}'s does.
   * @throws Never: every error, argument errors included, is delivered as a rejection.
   */
  wait(delay: number, options?: { signal?: AbortSignal }): Promise<void>;
}

/** Node's `scheduler` (the `wait` half), on the chain. */
export const scheduler: Scheduler = {
  wait(delay, options = {}) {
    return setTimeout(delay, undefined, options);
  },
};
