/**
 * Argument checks with Node's error codes, for values the C call could not even express.
 *
 * Values C can express but the kernel may reject (a negative `tv_usec`, an unknown
 * `which`) are passed through so the caller gets the kernel's own errno.
 * @module
 */
import { inspect } from 'node:util';
import { isMainThread } from 'node:worker_threads';

/** An argument error carrying one of Node's `ERR_*` codes. */
export interface CodedError extends Error {
  /** Node's error code, e.g. `'ERR_OUT_OF_RANGE'`. */
  code: string;
}

function coded<E extends Error>(error: E, code: string, caller: Function): E & CodedError {
  Error.captureStackTrace(error, caller);
  return Object.assign(error, { code });
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return `${value}`;
  if (typeof value === 'function') return `function ${value.name || '<anonymous>'}`;
  if (typeof value === 'object') return `an instance of ${value.constructor?.name ?? 'Object'}`;
  return `type ${typeof value} (${inspect(value)})`;
}

/** Node's digit grouping for numbers in range errors: `4_294_967_301`. */
function grouped(value: number | bigint): string {
  const text = String(value);
  return Number.isInteger(Number(value)) && Math.abs(Number(value)) >= 1000
    ? text.replace(/\B(?=(\d{3})+(?!\d))/g, '_')
    : text;
}

/** `TypeError [ERR_INVALID_ARG_TYPE]`. */
export function invalidArgType(name: string, expected: string, value: unknown): TypeError & CodedError {
  return coded(
    new TypeError(`The "${name}" argument must be ${expected}. Received ${describe(value)}`),
    'ERR_INVALID_ARG_TYPE',
    invalidArgType,
  );
}

/** `TypeError [ERR_INVALID_ARG_VALUE]`. */
export function invalidArgValue(name: string, value: unknown, reason = 'is invalid'): TypeError & CodedError {
  return coded(
    new TypeError(`The argument '${name}' ${reason}. Received ${inspect(value)}`),
    'ERR_INVALID_ARG_VALUE',
    invalidArgValue,
  );
}

/** `RangeError [ERR_OUT_OF_RANGE]`. */
export function outOfRange(name: string, range: string, value: number | bigint): RangeError & CodedError {
  return coded(
    new RangeError(`The value of "${name}" is out of range. It must be ${range}. Received ${grouped(value)}`),
    'ERR_OUT_OF_RANGE',
    outOfRange,
  );
}

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

/** Checks that `value` is a plain object (or absent, when `optional`). */
export function validateObject(value: unknown, name: string): asserts value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidArgType(name, 'of type object', value);
}

/**
 * Refuses, in a Worker, what only the main thread can serve: process-wide timers and
 * signal dispositions, signal delivery (Node emits signal events on the main thread only),
 * pause, exec, and the backends that hold a native handle or a signal.
 * @throws Error `ERR_ITIMER_MAIN_THREAD_ONLY` in a Worker thread.
 */
export function requireMainThread(what: string): void {
  if (isMainThread) return;
  const error = new Error(`${what} is only available on the main thread, not in a Worker (see docs/guide.md, "Workers")`);
  Error.captureStackTrace(error, requireMainThread);
  throw Object.assign(error, { code: 'ERR_ITIMER_MAIN_THREAD_ONLY' });
}
