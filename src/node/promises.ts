/**
 * `itimer/promises`: `node:timers/promises` on the timer chain — `setTimeout(delay, value,
 * { signal, ref })`, `setInterval(delay, value, { signal, ref })` (an async generator) and
 * `scheduler.wait(delay, { signal })` are timers of the chain; `setImmediate` and
 * `scheduler.yield()` are Node's own (an immediate involves no timer), taken from
 * `node:timers/promises` when this module loads.
 *
 * ```js
 * import { setTimeout, setInterval, scheduler } from 'itimer/promises';
 * const value = await setTimeout(2.5, 'done');          // 2.5 ms later
 * for await (const tick of setInterval(10, 'tick')) { … } // drift-free ticks
 * await scheduler.wait(1, { signal: AbortSignal.timeout(100) });
 * ```
 *
 * As in Node (its lib/timers/promises.js decides):
 * - the arguments are checked in Node's order, each failure an `ERR_INVALID_ARG_TYPE`
 *   TypeError: a `delay` that is neither undefined nor a number; `options` that is not an
 *   object (null, an array, a function); `options.signal`, when not undefined, that is not an
 *   object with an `aborted` property; `options.ref`, when not undefined, that is not a
 *   boolean. `setTimeout` and `scheduler.wait` reject with them; `setInterval` throws them
 *   from its first `next()`, as an async generator does;
 * - a delay that is a number follows Node's rule for every timer: 1 ms unless from 1 to
 *   2^31-1, and above 2^31-1 a `TimeoutOverflowWarning` too;
 * - an aborted signal rejects with an `AbortError` (`code` 'ABORT_ERR', `cause` the signal's
 *   reason) and disarms the timer;
 * - `setInterval` returns an async generator: nothing is checked or armed before the first
 *   `next()`, and the first tick is one period after it; `next()` calls made before a tick
 *   queue up and successive ticks resolve them in order; `return()` and `throw()` are an
 *   async generator's, and a `next()` already pending is served before them; after an abort,
 *   a tick that elapsed before it is still delivered, then the AbortError, then `done`;
 * - `scheduler`'s methods throw `ERR_INVALID_THIS` when called on anything but `scheduler`,
 *   and its constructor `ERR_ILLEGAL_CONSTRUCTOR`.
 *
 * Where it differs from Node:
 * - a timer never resolves before its deadline (Node's can, by up to ~1 ms), and a
 *   fractional delay is kept (2.5 ms is 2.5 ms; Node truncates it to 2);
 * - the interval is re-armed from its previous deadline, so it does not drift (Node
 *   re-arms from the time its callback started);
 * - no bunched ticks: when the consumer is slower than the period, Node's generator counts
 *   every period that elapsed and then yields that many ticks back to back. Here one elapsed
 *   tick is held for the next `next()`, and every further period that elapses while it is
 *   held is counted in the iterator's `missed` instead of being yielded (so is a period the
 *   chain could not serve while the process was blocked, which Node's interval skips
 *   uncounted). A consumer that keeps up sees no difference; ticks stay on the drift-free
 *   grid;
 * - the AbortError has Node's name, code, message and cause, but its class is `Error`: Node's
 *   `AbortError` class is internal (check `error.name`, as with Node's);
 * - Node's abort listener resists `stopImmediatePropagation()` (an internal flag of its
 *   EventTarget); this module's does not, so an earlier 'abort' listener that calls it keeps
 *   the timer from seeing the abort.
 * @module
 */
import * as nodePromises from 'node:timers/promises';
import { illegalConstructor, invalidArgType, invalidThis } from '../host/errors.js';
import { chainNow, Timer } from '../chain/index.js';
import { abortError } from '../chain/sleep.js';
import { nodeDelayMs } from './delay.js';

/** Options of {@link setTimeout} and {@link setInterval}. */
export interface TimerPromiseOptions {
  /**
   * Aborts the wait (or the iteration) with an AbortError. As in Node, any object with an
   * `aborted` property is taken, and its `addEventListener`, `removeEventListener` and
   * `reason` are used.
   */
  signal?: AbortSignal;
  /** Keep the process alive while waiting (default true). */
  ref?: boolean;
}

/** Node's checks of the arguments of timers/promises, in its order; @returns `signal` and `ref`. */
function checkArguments(delay: unknown, options: unknown): { signal: AbortSignal | undefined; ref: boolean } {
  if (delay !== undefined && typeof delay !== 'number') throw invalidArgType('delay', 'of type number', delay);
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw invalidArgType('options', 'of type object', options);
  const { signal, ref = true } = options as TimerPromiseOptions;
  if (signal !== undefined && (typeof signal !== 'object' || signal === null || !('aborted' in signal))) {
    throw invalidArgType('options.signal', 'an instance of AbortSignal', signal);
  }
  if (typeof ref !== 'boolean') throw invalidArgType('options.ref', 'of type boolean', ref);
  return { signal, ref };
}

/**
 * Resolves with `value` after `delay` ms (fractions kept), like `timers/promises` setTimeout.
 * @param delay milliseconds, undefined or a number: 1 unless from 1 to 2^31-1 (above that, a
 *   `TimeoutOverflowWarning` too), as in Node.
 * @param value what the promise resolves with.
 * @param options `signal` to abort the wait, `ref` (default true) to keep the process alive.
 * @returns a promise that resolves with `value` once the deadline has passed. It rejects with
 *   `ERR_INVALID_ARG_TYPE` (TypeError) for a delay that is not a number or bad options (see
 *   the module notes); with an AbortError (`ABORT_ERR`) when `options.signal` is or becomes
 *   aborted (the timer is then disarmed); with what the signal's own `addEventListener`
 *   or `removeEventListener` throws, as in Node; and with `ERR_ITIMER_NO_ALARM_BACKEND` if
 *   the chain cannot start.
 * @throws Never: every error, argument errors included, is delivered as a rejection.
 */
export function setTimeout<T = void>(delay?: number, value?: T, options: TimerPromiseOptions = {}): Promise<T> {
  let signal: AbortSignal | undefined;
  let ref: boolean;
  let nowNs: number;
  try {
    nowNs = chainNow(); // first: the deadline is the call's
    ({ signal, ref } = checkArguments(delay, options));
  } catch (error) {
    return Promise.reject(error);
  }
  if (signal?.aborted) return Promise.reject(abortError(signal));
  let onAbort: (() => void) | undefined;
  const waiting = new Promise<T>((resolve, reject) => {
    const timer = new Timer(() => resolve(value as T), { ref }).relativeTo(nowNs, nodeDelayMs(delay));
    if (signal !== undefined) {
      onAbort = () => {
        if (timer.cancel()) reject(abortError(signal));
      };
      signal.addEventListener('abort', onAbort);
    }
    timer.arm();
  });
  // As in Node, the listener goes once the promise settles (a throwing removeEventListener rejects it).
  return onAbort === undefined ? waiting : waiting.finally(() => signal!.removeEventListener('abort', onAbort!));
}

/**
 * Node's own `setImmediate` of `node:timers/promises`, taken when this module loads: an
 * immediate involves no timer, so the chain has no part in it (and `util.promisify` of the
 * `setImmediate` of `itimer/timers` is this same function).
 * @param value what the promise resolves with.
 * @param options `signal` to abort the wait, `ref` (default true) to keep the process alive.
 * @returns a promise that resolves with `value` after the I/O callbacks of this turn of the
 *   event loop; it rejects as {@link setTimeout}'s does.
 * @throws Never: every error, argument errors included, is delivered as a rejection.
 */
export const setImmediate: <T = void>(value?: T, options?: TimerPromiseOptions) => Promise<T> = nodePromises.setImmediate;

/**
 * The async generator {@link setInterval} returns (an `AsyncGenerator` object, as Node's):
 * Node's, plus the count of the periods it did not yield. Its methods are an async
 * generator's; their notes say what each does here.
 */
export interface IntervalIterator<T> extends AsyncIterator<T, undefined, unknown> {
  /**
   * The periods that elapsed and were not yielded: each period that ends while a tick is
   * already held for the next `next()` (Node's generator yields one tick for each of those,
   * back to back), and each period the chain could not serve because the process was
   * blocked (Node's interval, re-armed from the late callback, skips those without a count).
   */
  readonly missed: number;

  /**
   * The next tick.
   * @returns a promise of `{ value, done: false }`: at once if a tick is held, else at the
   *   next tick (calls made before it queue up, one tick each). It rejects with the argument
   *   errors of {@link setInterval} (first call only) and with an AbortError once the signal
   *   aborts (after the held tick, if any); after that, or after return() or throw(), it
   *   resolves `{ value: undefined, done: true }`.
   */
  next(): Promise<IteratorResult<T, undefined>>;

  /**
   * Stops the interval (`break` in `for await` calls it), after any `next()` already pending.
   * @param value what the result carries (awaited, as an async generator does).
   * @returns a promise of `{ value, done: true }`, once the timer is disarmed.
   * @throws Never: a rejected `value` is delivered as a rejection.
   */
  return(value?: undefined | PromiseLike<undefined>): Promise<IteratorResult<T, undefined>>;

  /**
   * Stops the interval with an error, after any `next()` already pending.
   * @param error the error the returned promise rejects with.
   * @returns a promise that rejects with `error` once the timer is disarmed.
   * @throws Never: the error is delivered as a rejection.
   */
  throw(error: unknown): Promise<IteratorResult<T, undefined>>;

  /**
   * The iterator itself, as for every async generator.
   * @returns this iterator.
   */
  [Symbol.asyncIterator](): this;
}

/** The body of {@link setInterval}'s generator; `counts.missed` is its iterator's `missed`. */
async function* ticks<T>(delay: unknown, value: T, options: unknown, counts: { missed: number }): AsyncGenerator<T, undefined, unknown> {
  const nowNs = chainNow(); // first: the first tick is one period after this first next()
  const { signal, ref } = checkArguments(delay, options);
  if (signal?.aborted) throw abortError(signal);
  /** A tick that elapsed and was not yielded yet (at most one is held). */
  let held = false;
  /** Resumes the generator while it waits for a tick (or for the abort). */
  let wake: (() => void) | undefined;
  const delayMs = nodeDelayMs(delay);
  const timer = new Timer(
    (overrun) => {
      counts.missed += overrun + (held ? 1 : 0);
      held = true;
      wake?.();
    },
    { ref },
  )
    .relativeTo(nowNs, delayMs)
    .setInterval(delayMs);
  const onAbort = () => {
    timer.cancel();
    wake?.();
  };
  try {
    if (signal !== undefined) signal.addEventListener('abort', onAbort, { once: true });
    timer.arm();
    for (;;) {
      if (!held && !signal?.aborted) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      if (!held) throw abortError(signal!); // woken by the abort, or aborted while the consumer was busy
      held = false;
      yield value;
    }
  } finally {
    timer.cancel();
    signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * An async generator that yields `value` every `delay` ms (fractions kept), like
 * `timers/promises` setInterval, but on a drift-free grid and never bunched: periods missed
 * by a slow consumer are counted in `missed` instead of yielded in a burst.
 * @param delay the period in milliseconds, undefined or a number: 1 unless from 1 to 2^31-1
 *   (above that, a `TimeoutOverflowWarning` too), as in Node.
 * @param value what each tick yields.
 * @param options `signal` to end the iteration with an AbortError, `ref` (default true) to keep
 *   the process alive while the interval runs.
 * @returns the iterator. As Node's, it checks its arguments and arms its timer at the first
 *   `next()`; the first tick is `delay` ms after that call.
 * @throws Never: argument errors (`ERR_INVALID_ARG_TYPE`), an already aborted signal
 *   (AbortError) and `ERR_ITIMER_NO_ALARM_BACKEND` are rejections of the first `next()`.
 */
export function setInterval<T = void>(delay?: number, value?: T, options: TimerPromiseOptions = {}): IntervalIterator<T> {
  const counts = { missed: 0 };
  const iterator = Object.defineProperty(ticks(delay, value as T, options, counts), 'missed', { enumerable: true, get: () => counts.missed });
  return iterator as unknown as IntervalIterator<T>; // its [Symbol.asyncIterator]() is itself: missed included
}

/** `timers/promises` scheduler: {@link Scheduler.wait} on the chain, {@link Scheduler.yield} Node's own. */
export interface Scheduler {
  /**
   * Resolves after `delay` ms, like `setTimeout(delay, undefined, options)`.
   * @param delay milliseconds, with Node's rules (see {@link setTimeout}).
   * @param options `signal` to abort the wait, `ref` (default true).
   * @returns a promise that resolves (with undefined) once the deadline has passed, and rejects
   *   as {@link setTimeout}'s does.
   * @throws TypeError ERR_INVALID_THIS when called on anything but `scheduler` (argument errors
   *   are rejections).
   */
  wait(delay: number, options?: TimerPromiseOptions): Promise<void>;

  /**
   * Yields to the event loop: Node's `scheduler.yield()`, `setImmediate()` of
   * `node:timers/promises`.
   * @returns a promise that resolves (with undefined) after the I/O callbacks of this turn of
   *   the event loop.
   */
  yield(): Promise<void>;
}

/** The brand of the one scheduler: a symbol only this module holds. */
const kScheduler = Symbol('kScheduler');

/**
 * Node's Scheduler: its constructor always throws, its methods work on the one object that
 * bears the brand (on anything else, `ERR_INVALID_THIS`; on undefined, the TypeError of
 * reading a property of it, as Node's).
 */
const SchedulerClass = class Scheduler {
  declare [kScheduler]: boolean;

  constructor() {
    throw illegalConstructor();
  }

  wait(delay: number, options?: TimerPromiseOptions): Promise<void> {
    if (!this[kScheduler]) throw invalidThis('Scheduler');
    return setTimeout(delay, undefined, options);
  }

  yield(): Promise<void> {
    if (!this[kScheduler]) throw invalidThis('Scheduler');
    return setImmediate();
  }
};

/** Node's `scheduler`: `wait` on the chain, `yield` Node's own. */
export const scheduler: Scheduler = Object.assign(Object.create(SchedulerClass.prototype) as Scheduler, { [kScheduler]: true });
