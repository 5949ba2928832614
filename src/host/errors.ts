/**
 * Every error itimer throws is made here, at the bottom of the layers, so that every layer
 * can import it and each code is defined once (the table is docs/errors.md):
 *
 * - failed libc calls (and the models of kernel objects: kqueue, #alarm): {@link syscallError},
 *   shaped like Node's `fs` errors (`code` 'EINVAL', `errno` -22, `syscall`);
 * - bad arguments: {@link invalidArgType}, {@link invalidArgValue}, {@link outOfRange},
 *   {@link illegalConstructor}, {@link invalidThis}, with Node's own codes and message shapes;
 * - the library's own conditions: {@link itimerError} with one of {@link ITIMER_ERRORS}.
 * @module
 */
import { constants } from 'node:os';
import { getSystemErrorMap, inspect, types } from 'node:util';

/**
 * A failed libc call, shaped like the errors of Node's `fs` module:
 * `code` is the errno name, `errno` its negative number, `syscall` the C function, and
 * the message reads `EINVAL: invalid argument, setitimer`.
 */
export interface SyscallError extends Error {
  /** The errno name, e.g. `'EINVAL'`. */
  code: string;
  /** The negated errno value, e.g. `-22`, as Node reports it. */
  errno: number;
  /** The C function that failed, e.g. `'setitimer'`. */
  syscall: string;
}

/** An error carrying a code: one of Node's `ERR_*`, an errno name, or an `ERR_ITIMER_*`. */
export interface CodedError extends Error {
  /** The code, e.g. `'ERR_OUT_OF_RANGE'`. */
  code: string;
}

/**
 * The library's own error codes, each with what it means. Every `ERR_ITIMER_*` error is an
 * `Error` (not a TypeError or RangeError: the arguments were valid); docs/errors.md has the table.
 */
export const ITIMER_ERRORS = {
  /** No backend of an alarm configuration is a known name, or none of them could start. */
  ERR_ITIMER_NO_ALARM_BACKEND: 'no backend of the alarm configuration is known, or none of them could start',
  /** A virtual-time control was called while the chain (or the QEMU virtual clock) is not driven by hand. */
  ERR_ITIMER_NOT_VIRTUAL: 'a virtual-time control was called while time is not virtual (not driven by hand)',
  /** `arm()` of a timer (chain waiter) that is already armed. */
  ERR_ITIMER_ALREADY_ARMED: 'the timer is already armed: cancel it first, or re-arm it with rearmAbsolute()',
  /** A timer armed on one chain (or QEMU clock) was given to another one. */
  ERR_ITIMER_FOREIGN_TIMER: 'the timer is armed on another chain or clock: use that one, or cancel it first',
  /** A run of timers exceeded its loop limit: a timer keeps re-arming itself. */
  ERR_ITIMER_LOOP_LIMIT: 'a run of timers exceeded its loop limit: a timer keeps re-arming itself',
  /** `sigaction` would change a disposition under `process.on` listeners that are not its own. */
  ERR_ITIMER_SIGNAL_LISTENERS: 'the signal has process.on() listeners; a disposition change would silently stop them',
  /** `sigaction(…, 'SIG_IGN')` for a signal the timer chain is using (SIGALRM on the unix backend). */
  ERR_ITIMER_SIGNAL_IN_USE: "the signal is in use by the timer chain (the 'unix' backend) and cannot be ignored",
  /** A process-wide facility (timers, dispositions, signal delivery, pause, exec) was used in a Worker thread. */
  ERR_ITIMER_MAIN_THREAD_ONLY: 'only the main thread can serve this (process-wide timers, dispositions, signals, pause, exec), not a Worker',
  /** `spawnWithTimers` cannot find the itimer CLI file (a bundle has none). */
  ERR_ITIMER_NO_CLI: 'the itimer CLI file is missing (a bundle has none): install itimer as a package',
  /** The FFI driver cannot be loaded, or another driver is already loaded. */
  ERR_ITIMER_FFI_DRIVER: 'the FFI driver is missing, or another driver is already loaded',
  /** The CPU architecture has no struct layouts in the library. */
  ERR_ITIMER_UNSUPPORTED_ARCH: 'the CPU architecture has no struct layouts in itimer',
} as const;

/** One of the library's own error codes. */
export type ItimerErrorCode = keyof typeof ITIMER_ERRORS;

/** An error with one of the library's own codes. */
export interface ItimerError extends Error {
  /** The code, e.g. `'ERR_ITIMER_LOOP_LIMIT'`. */
  code: ItimerErrorCode;
}

function coded<E extends Error, C extends string>(error: E, code: C, caller: Function): E & { code: C } {
  Error.captureStackTrace(error, caller);
  return Object.assign(error, { code });
}

/** libuv describes errno 95 as "operation not supported on socket"; on Linux it is also EOPNOTSUPP. */
const DESCRIPTIONS: Readonly<Record<string, string>> = { ENOTSUP: 'operation not supported' };

const errnoNames = new Map<number, string>(Object.entries(constants.errno).map(([name, value]) => [value, name]));

/**
 * Builds the error for a call that failed with `errnoValue`.
 * @param errnoValue The positive errno value libc left.
 * @param syscall The C function name.
 * @param detail What failed, appended in quotes as Node appends a path: `ENOENT: no such
 *   file or directory, open '#alarm/a7'`.
 */
export function syscallError(errnoValue: number, syscall: string, detail?: string): SyscallError {
  const [code, description] = getSystemErrorMap().get(-errnoValue) ?? [
    errnoNames.get(errnoValue) ?? `Unknown system error ${errnoValue}`,
    'system error',
  ];
  const suffix = detail === undefined ? '' : ` '${detail}'`;
  const error = coded(new Error(`${code}: ${DESCRIPTIONS[code] ?? description}, ${syscall}${suffix}`), code, syscallError);
  return Object.assign(error, { errno: -errnoValue, syscall });
}

/**
 * True when `value` is a failed-syscall error from itimer (or any error of that shape: `errno`, `code`, `syscall`).
 * @param value Any value, typically a caught error.
 * @returns true if value is an `Error` whose `syscall` is a string and whose `errno` is a
 *   number (`code` is not checked); false for everything else, argument errors and
 *   `ERR_ITIMER_*` errors included.
 * @throws Never: it only tests value (a throwing getter or proxy trap on value propagates).
 */
export function isSyscallError(value: unknown): value is SyscallError {
  return value instanceof Error && typeof (value as SyscallError).syscall === 'string' && typeof (value as SyscallError).errno === 'number';
}

/**
 * An error of the library's own (`ERR_ITIMER_*`).
 * @param code One of {@link ITIMER_ERRORS}.
 * @param message What happened, in this case.
 * @param options `cause`: the error behind it.
 */
export function itimerError(code: ItimerErrorCode, message: string, options?: ErrorOptions): ItimerError {
  return coded(new Error(message, options), code, itimerError);
}

/**
 * A short description of a received value, as Node's argument errors give it. Never runs
 * user code: no getter, no proxy trap, no `toString`.
 */
function describe(value: unknown): string {
  if (value === null || value === undefined) return `${value}`;
  if (typeof value === 'function') return `function ${String(ownData(value, 'name') ?? '')}`; // Node's: 'function ' when anonymous
  if (typeof value === 'object') {
    const prototype = types.isProxy(value) ? undefined : Object.getPrototypeOf(value);
    const constructor = prototype ? ownData(prototype, 'constructor') : undefined;
    const name = typeof constructor === 'function' ? ownData(constructor, 'name') : undefined;
    return typeof name === 'string' && name !== '' ? `an instance of ${name}` : 'an object';
  }
  return `type ${typeof value} (${safeInspect(value)})`;
}

/** An own data property of a non-proxy object, without running a getter or a trap. */
function ownData(object: object, key: string): unknown {
  if (types.isProxy(object)) return undefined;
  const descriptor = Object.getOwnPropertyDescriptor(object, key);
  return descriptor && 'value' in descriptor ? descriptor.value : undefined;
}

/** `util.inspect` without running user code (getters, proxy traps, custom inspect). */
function safeInspect(value: unknown): string {
  try {
    return inspect(value, { customInspect: false, getters: false, showProxy: true, depth: 1, breakLength: Infinity });
  } catch {
    return 'an uninspectable value';
  }
}

/** Node's digit grouping for numbers in range errors: `4_294_967_301`. */
function grouped(value: unknown): string {
  if (typeof value !== 'number' && typeof value !== 'bigint') return safeInspect(value);
  const text = typeof value === 'bigint' ? `${value}n` : Object.is(value, -0) ? '-0' : String(value);
  return Number.isInteger(Number(value)) && Math.abs(Number(value)) >= 1000
    ? text.replace(/\B(?=(\d{3})+(?!\d))/g, '_')
    : text;
}

/**
 * `TypeError [ERR_INVALID_ARG_TYPE]`: the argument's type is wrong. A dotted name
 * (`options.ref`) is a "property", as in Node's message.
 */
export function invalidArgType(name: string, expected: string, value: unknown): TypeError & { code: 'ERR_INVALID_ARG_TYPE' } {
  return coded(
    new TypeError(`The "${String(name)}" ${String(name).includes('.') ? 'property' : 'argument'} must be ${expected}. Received ${describe(value)}`),
    'ERR_INVALID_ARG_TYPE',
    invalidArgType,
  );
}

/** `TypeError [ERR_INVALID_ARG_VALUE]`: the argument's type is right, its value is not. */
export function invalidArgValue(name: string, value: unknown, reason = 'is invalid'): TypeError & { code: 'ERR_INVALID_ARG_VALUE' } {
  return coded(
    new TypeError(`The argument '${String(name)}' ${reason}. Received ${safeInspect(value)}`),
    'ERR_INVALID_ARG_VALUE',
    invalidArgValue,
  );
}

/** `RangeError [ERR_OUT_OF_RANGE]`: a number outside what the call can express or accept. */
export function outOfRange(name: string, range: string, value: unknown): RangeError & { code: 'ERR_OUT_OF_RANGE' } {
  return coded(
    new RangeError(`The value of "${String(name)}" is out of range. It must be ${range}. Received ${grouped(value)}`),
    'ERR_OUT_OF_RANGE',
    outOfRange,
  );
}

/** `TypeError [ERR_INVALID_THIS]`: a method called on an object that is not of its class (Node's message). */
export function invalidThis(type: string): TypeError & { code: 'ERR_INVALID_THIS' } {
  return coded(new TypeError(`Value of "this" must be of type ${type}`), 'ERR_INVALID_THIS', invalidThis);
}

/** `TypeError [ERR_ILLEGAL_CONSTRUCTOR]`: a class that only the library constructs. */
export function illegalConstructor(): TypeError & { code: 'ERR_ILLEGAL_CONSTRUCTOR' } {
  return coded(new TypeError('Illegal constructor'), 'ERR_ILLEGAL_CONSTRUCTOR', illegalConstructor);
}
