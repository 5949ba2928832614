/**
 * `itimer/timers`: Node's `setTimeout`, `setInterval`, `clearTimeout` and `clearInterval`,
 * with Node's signatures and rules, on the timer chain — so an application switches with
 * one import line and gets timers that never fire early and keep sub-millisecond delays.
 *
 * ```js
 * import { setTimeout, clearTimeout } from 'itimer/timers';
 * const t = setTimeout((a, b) => console.log(a + b), 2.5, 1, 2); // 2.5 ms, not "2 or 3"
 * clearTimeout(t);
 * ```
 *
 * As in Node:
 * - extra arguments are passed to the callback, and `this` inside it is the `Timeout`;
 * - the delay is coerced with `+delay`; anything that is not a number from 1 to
 *   2^31-1 (`TIMEOUT_MAX`) becomes 1 ms, and a delay above `TIMEOUT_MAX` also emits a
 *   `TimeoutOverflowWarning`; a callback that is not a function is `ERR_INVALID_ARG_TYPE`;
 * - `setInterval(cb, 0)` repeats every 1 ms; `clearTimeout` and `clearInterval` both clear
 *   either kind, take the object or its primitive id (a number or its string, once
 *   `+timeout` has been taken), and ignore anything else;
 * - the `Timeout` has `ref`, `unref`, `hasRef`, `refresh`, `close`, `Symbol.toPrimitive`
 *   and `Symbol.dispose`.
 *
 * Where it differs, on purpose: a fractional delay is kept (2.5 ms is 2.5 ms; Node truncates
 * it), a timer never fires before its deadline (Node's can, by up to ~1 ms), and an interval
 * is re-armed from its previous deadline, so it does not drift.
 *
 * Not interchangeable with Node's own functions: `clearTimeout` from `node:timers` (or the
 * global one) cannot cancel an itimer timer — it silently does nothing — and this module's
 * `clearTimeout` cannot cancel a Node timer. Import both halves from the same place.
 * @module
 */
import { invalidArgType } from '../posix/validate.js';
import { clearTimer, Timer } from '../chain/index.js';
import { nodeDelayMs } from './delay.js';

export { TIMEOUT_MAX } from './delay.js';

/** Runs a Node-style timer's callback: `this` is the timer, the extra arguments follow. */
function runCallback(this: Timeout): void {
  this._run();
}

/**
 * Node's `Timeout`, on the chain: returned by {@link setTimeout} and {@link setInterval}.
 * A {@link Timer}, so it also has the chain's operations.
 */
export class Timeout extends Timer {
  readonly #callback: (...args: unknown[]) => void;
  readonly #args: unknown[] | undefined;

  /** @hidden Use {@link setTimeout} or {@link setInterval}. */
  constructor(callback: (...args: unknown[]) => void, delayMs: number, args: unknown[], repeat: boolean) {
    super(runCallback as () => void);
    if (typeof callback !== 'function') throw invalidArgType('callback', 'of type function', callback);
    if (!Array.isArray(args)) throw invalidArgType('args', 'an array', args);
    this.#callback = callback;
    this.#args = args.length > 0 ? args : undefined;
    this.setRelative(delayMs);
    if (repeat) this.setInterval(delayMs);
  }

  /** @internal Called by the chain, through the shared {@link runCallback}. */
  _run(): void {
    const args = this.#args;
    if (args === undefined) this.#callback.call(this);
    else this.#callback.apply(this, args);
  }
}

function validateCallback(callback: unknown): asserts callback is (...args: unknown[]) => void {
  if (typeof callback !== 'function') throw invalidArgType('callback', 'of type function', callback);
}

/**
 * Calls `callback(...args)` once after `delay` ms (fractions kept), with Node's rules.
 * @param callback called once, with `this` the {@link Timeout} and `args` as its arguments.
 * @param delay milliseconds, coerced with `+delay` (fractions kept); anything that is not from 1
 *   to 2^31-1 (`TIMEOUT_MAX`) is 1 ms, and a delay above `TIMEOUT_MAX` also emits a
 *   `TimeoutOverflowWarning`.
 * @param args the arguments `callback` is called with.
 * @returns the armed {@link Timeout}.
 * @throws TypeError ERR_INVALID_ARG_TYPE when `callback` is not a function.
 * @throws TypeError ERR_INVALID_ARG_TYPE if delay is a symbol or a bigint (which `+delay` cannot convert).
 * @throws whatever an object `delay`'s own conversion (`valueOf`, `toString`) throws, as in Node.
 * @throws Error ERR_ITIMER_NO_ALARM_BACKEND if this call starts the chain and no enabled backend starts.
 */
export function setTimeout<TArgs extends unknown[]>(callback: (...args: TArgs) => void, delay?: number, ...args: TArgs): Timeout {
  validateCallback(callback);
  return new Timeout(callback as (...args: unknown[]) => void, nodeDelayMs(delay), args, false).arm();
}

/**
 * Calls `callback(...args)` every `delay` ms (fractions kept; 0 is 1 ms), drift-free,
 * with Node's rules.
 * @param callback called every period, with `this` the {@link Timeout} and `args` as its arguments.
 * @param delay the period in milliseconds, coerced with `+delay` (fractions kept); anything that is not from 1
 *   to 2^31-1 (`TIMEOUT_MAX`) is 1 ms, and a delay above `TIMEOUT_MAX` also emits a
 *   `TimeoutOverflowWarning`.
 * @param args the arguments `callback` is called with.
 * @returns the armed {@link Timeout}.
 * @throws TypeError ERR_INVALID_ARG_TYPE when `callback` is not a function.
 * @throws TypeError ERR_INVALID_ARG_TYPE if delay is a symbol or a bigint (which `+delay` cannot convert).
 * @throws whatever an object `delay`'s own conversion (`valueOf`, `toString`) throws, as in Node.
 * @throws Error ERR_ITIMER_NO_ALARM_BACKEND if this call starts the chain and no enabled backend starts.
 */
export function setInterval<TArgs extends unknown[]>(callback: (...args: TArgs) => void, delay?: number, ...args: TArgs): Timeout {
  validateCallback(callback);
  return new Timeout(callback as (...args: unknown[]) => void, nodeDelayMs(delay), args, true).arm();
}

/**
 * Cancels a timeout or an interval given as the object or its primitive id (number or string); ignores anything else.
 * @param timeout the {@link Timeout}, or the id `+timeout` returned, as a number or its decimal string.
 * @throws Never: anything that is not a timer or a timer's id is ignored, as in Node.
 */
export function clearTimeout(timeout: Timeout | string | number | null | undefined): void {
  clearTimer(timeout);
}

/**
 * Cancels an interval or a timeout, exactly as {@link clearTimeout} (Node lets either clear both).
 * @param timeout the {@link Timeout}, or the id `+timeout` returned, as a number or its decimal string.
 * @throws Never: anything that is not a timer or a timer's id is ignored, as in Node.
 */
export function clearInterval(timeout: Timeout | string | number | null | undefined): void {
  clearTimer(timeout);
}
