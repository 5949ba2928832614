/**
 * Durations and timer options as the chain's public calls take them.
 *
 * A {@link Delay} is a number of milliseconds (fractions kept, as precise as a double), a
 * bigint of nanoseconds, or a plain object of units that are added up; every entry converts
 * it to whole nanoseconds with {@link delayToNs} (rounded to the nearest ns, from 0 to 2^52 ns,
 * about 52 days). A {@link Spin} is the spin tail a timer asks for. Options objects are plain
 * objects (prototype `Object.prototype` or null): anything else — an array, a `Date`, a
 * `Map` — is refused with `ERR_INVALID_ARG_TYPE`, as Node's `validateObject` refuses arrays.
 * @module
 */
import { invalidArgType, invalidArgValue, isPlainObject, outOfRange, validateObject } from '../posix/validate.js';
import { SPIN_MARGIN_MAX_NS } from './waiter.js';

/**
 * A duration: a number of milliseconds (fractions allowed, as precise as a double), a
 * bigint of nanoseconds, or an object of units that are added up.
 */
export type Delay = number | bigint | DelayUnits;

/** A duration as a sum of units; every field is optional and may be fractional. */
export interface DelayUnits {
  /** Nanoseconds. */
  readonly ns?: number;
  /** Microseconds. */
  readonly us?: number;
  /** Milliseconds. */
  readonly ms?: number;
  /** Seconds. */
  readonly s?: number;
}

/**
 * The spin tail of a timer: `false` (default) for none; `true` for the chain's automatic
 * margin (calibrated from its own wake-ups, 50 µs to 1 ms); or a fixed margin as a
 * {@link Delay} of at most 2 ms. The host wakes the chain that margin before the deadline
 * and the chain busy-waits the rest, blocking the event loop meanwhile. No effect on
 * virtual time.
 */
export type Spin = boolean | Delay;

const UNIT_NS = { ns: 1, us: 1e3, ms: 1e6, s: 1e9 } as const;

/**
 * A delay in integer nanoseconds (rounded to the nearest ns).
 * @param delay a number of milliseconds, a bigint of nanoseconds, or a plain object of
 *   units (`{ ns, us, ms, s }`, each a number, added up; a unit that is `undefined` counts as absent).
 * @param name the argument's name in error messages (default `'delay'`).
 * @returns the delay in whole nanoseconds, from 0 to 2^52 (about 52 days).
 * @throws TypeError ERR_INVALID_ARG_TYPE if delay is not a number, a bigint or a plain
 *   object, or one of its units is neither a number nor undefined.
 * @throws TypeError ERR_INVALID_ARG_VALUE if the object has a key other than ns, us, ms, s.
 * @throws RangeError ERR_OUT_OF_RANGE if the total is NaN, negative, infinite or above 2^52 ns.
 */
export function delayToNs(delay: unknown, name = 'delay'): number {
  let ns: number;
  if (typeof delay === 'number') {
    ns = delay * 1e6;
    if (ns >= 0 && ns <= Number.MAX_SAFE_INTEGER / 2) return Math.round(ns); // the common case
  } else if (typeof delay === 'bigint') ns = Number(delay);
  else if (isPlainObject(delay)) {
    ns = 0;
    for (const [unit, value] of Object.entries(delay)) {
      if (!Object.hasOwn(UNIT_NS, unit)) throw invalidArgValue(name, delay, `has an unknown unit '${unit}' (use ns, us, ms, s)`);
      if (value === undefined) continue; // as if absent: every field of DelayUnits is optional
      if (typeof value !== 'number') throw invalidArgType(`${name}.${unit}`, 'of type number', value);
      ns += value * UNIT_NS[unit as keyof typeof UNIT_NS];
    }
  } else throw invalidArgType(name, 'a number of ms, a bigint of ns, or { ns, us, ms, s }', delay);
  if (!Number.isFinite(ns) || ns < 0 || ns > Number.MAX_SAFE_INTEGER / 2) {
    throw outOfRange(name, `a finite duration from 0 to ${Math.floor(Number.MAX_SAFE_INTEGER / 2e6)} ms`, typeof delay === 'object' ? ns : delay);
  }
  return Math.round(ns);
}

/**
 * A spin option as the waiter's `spin` field: 0 none, -1 automatic, or a margin in ns.
 * `undefined` and `false` are none; `null` and every other non-{@link Delay} are refused.
 */
export function spinOption(spin: unknown, name: string): number {
  if (spin === undefined || spin === false) return 0;
  if (spin === true) return -1;
  const marginNs = delayToNs(spin, name);
  if (marginNs > SPIN_MARGIN_MAX_NS) throw outOfRange(name, `true, false, or a margin of at most ${SPIN_MARGIN_MAX_NS / 1e6} ms`, marginNs / 1e6);
  return marginNs;
}

/** Checks the options object of the timer calls: absent, or a plain object whose `ref` is a boolean. */
export function validateTimerOptions(options: unknown): void {
  if (options === undefined) return;
  validateObject(options, 'options');
  const { ref } = options;
  if (ref !== undefined && typeof ref !== 'boolean') throw invalidArgType('options.ref', 'of type boolean', ref);
}
