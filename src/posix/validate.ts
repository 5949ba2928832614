/**
 * Argument checks with Node's error codes, for values the C call could not even express.
 *
 * Values C can express but the kernel may reject (a negative `tv_usec`, an unknown
 * `which`) are passed through so the caller gets the kernel's own errno.
 * @module
 */
import { isMainThread } from 'node:worker_threads';
import { invalidArgType, invalidArgValue, itimerError, outOfRange } from '../host/index.js';

// The argument errors are made in the one error module; re-exported for the layers above.
export { invalidArgType, invalidArgValue, outOfRange, type CodedError } from '../host/index.js';

/** The bounds of the C integer types the API takes. */
export const C_LIMITS = {
  INT_MIN: -(2 ** 31),
  INT_MAX: 2 ** 31 - 1,
  UINT_MAX: 2 ** 32 - 1,
} as const;

/**
 * Checks that `value` is an integer number in `[min, max]` (both safe integers).
 * @returns the value.
 */
export function validateInteger(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number') throw invalidArgType(name, 'of type number', value);
  if (!Number.isInteger(value)) throw outOfRange(name, 'an integer', value);
  if (value < min || value > max) throw outOfRange(name, `>= ${min} && <= ${max}`, value);
  return value;
}

/**
 * True for a plain object: one whose prototype is Object.prototype or null (a literal,
 * `Object.create(null)`) — not an array, a Date, a Map, a boxed primitive or a class instance,
 * whose fields an argument of the API would silently read as missing.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Checks that `value` is a plain object (see {@link isPlainObject}).
 * @throws TypeError `ERR_INVALID_ARG_TYPE` otherwise.
 */
export function validateObject(value: unknown, name: string): asserts value is Record<string, unknown> {
  if (!isPlainObject(value)) throw invalidArgType(name, 'a plain object', value);
}

/**
 * Refuses, in a Worker, what only the main thread can serve: process-wide timers and
 * signal dispositions, signal delivery (Node emits signal events on the main thread only),
 * pause, exec, and the backends that hold a native handle or a signal.
 * @throws Error `ERR_ITIMER_MAIN_THREAD_ONLY` in a Worker thread.
 */
export function requireMainThread(what: string): void {
  if (isMainThread) return;
  throw itimerError('ERR_ITIMER_MAIN_THREAD_ONLY', `${what} is only available on the main thread, not in a Worker (see docs/guide.md, "Workers")`);
}

/**
 * A C string argument, with Node's codes (as `child_process` checks them): a non-string is
 * `ERR_INVALID_ARG_TYPE`; an empty one (where `nonEmpty`) or one with a NUL byte, which C
 * would cut short, is `ERR_INVALID_ARG_VALUE`.
 */
export function cString(value: unknown, name: string, nonEmpty = false): string {
  if (typeof value !== 'string') throw invalidArgType(name, 'of type string', value);
  if (nonEmpty && value === '') throw invalidArgValue(name, value, 'cannot be empty');
  if (value.includes('\0')) throw invalidArgValue(name, value, 'must be a string without null bytes');
  return value;
}

/** An array of C strings; an element's error names its index (`argv[2]`). */
export function cStringArray(value: unknown, name: string): string[] {
  if (!Array.isArray(value)) throw invalidArgType(name, 'an array of strings', value);
  return value.map((element: unknown, index) => cString(element, `${name}[${index}]`));
}
