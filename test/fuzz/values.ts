/**
 * Adversarial values for the property-based tests, and the judgement of an outcome: a call
 * either returns, or throws (rejects with) an error the docs list (docs/errors.md), or lets an
 * error of the caller's own code (a getter, a proxy trap) through untouched.
 */
import { inspect } from 'node:util';
import fc from 'fast-check';
import { ITIMER_ERRORS } from '../../src/index.js';

/** Thrown by the getters and proxy traps among the adversarial values. */
export class UserTrap extends Error {
  override name = 'UserTrap';
}

function trap(): never {
  throw new UserTrap('adversarial getter or trap');
}

/** A proxy whose every trap throws. */
function hostileProxy<T extends object>(target: T): T {
  return new Proxy(target, {
    get: trap,
    has: trap,
    ownKeys: trap,
    getOwnPropertyDescriptor: trap,
    getPrototypeOf: trap,
    apply: trap,
    construct: trap,
  });
}

function throwingGetters(...keys: string[]): object {
  const object = {};
  for (const key of keys) Object.defineProperty(object, key, { get: trap, enumerable: true });
  return object;
}

/** Values chosen to break validation: wrong types, edges of C and JS number ranges, inherited names, hostile objects. */
export const SPECIAL_VALUES: readonly unknown[] = [
  undefined, null, true, false,
  NaN, Infinity, -Infinity, -0, 0, 1, -1, 0.5, 1.5, 1e-7, 999_999, 1_000_000, 1e9,
  2 ** 31 - 1, 2 ** 31, -(2 ** 31), -(2 ** 31) - 1, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1,
  2 ** 53, 2 ** 53 + 2, -(2 ** 53), Number.MAX_VALUE, Number.MIN_VALUE, Number.MAX_SAFE_INTEGER,
  0n, 1n, -1n, 1000n, 2n ** 63n, 2n ** 64n, -(2n ** 64n),
  '', '0', '1', '1.5', ' 5', 'NaN', '0x10', 'toString', 'constructor', '__proto__', 'hasOwnProperty',
  'valueOf', 'prototype', 'SIGALRM', 'SIGKILL', 'SIGUSR1', 'SIGRTMIN', 'real', 'virtual', 'prof',
  'CLOCK_MONOTONIC', 'CLOCK_REALTIME', 'koffi', 'ffi-napi', 'block', 'setmask', 'SIG_IGN', 'SIG_DFL',
  'r', 'w', 'rw', '#alarm', '#alarm/clone', '#alarm/a0', '#alarm/a0/timer', '#alarm/a0/ctl', 'timerfd',
  'virtual,unix', 'help', 'ms', 'cancel', 'evq 1', '5', 'ffffffffffffffffff', '\0', 'a\0b',
  Symbol('adversarial'),
  [], [undefined], [NaN], ['SIGUSR1'], [10], [64], [65], [1024], [0], [-1], ['toString'], [2 ** 32 + 10], [1n], [[]],
  {}, Object.create(null), { sec: NaN }, { sec: 1, usec: 1e6 }, { sec: -1 }, { sec: 2 ** 63 }, { nsec: 1e9 },
  { value: 5 }, { value: { sec: -1 } }, { value: 1, interval: NaN }, { value: { usec: 1 } },
  { ns: 1 }, { ms: NaN }, { us: 2 ** 53 }, { s: 1, ms: 1 }, { sec: 1 }, { h: 1 }, { ns: 1n },
  { ref: 'no' }, { ref: true }, { signal: 'x' }, { spin: true }, { interval: true }, { maxTimers: -1 }, { maxTimers: 1.5 },
  { notify: 'none' }, { notify: 'toString' }, { notify: 2 }, { before: 1 }, { before: () => {} },
  { ident: 1, filter: -7, flags: 1 }, { ident: 1, filter: -7, flags: 2 ** 32 + 1 }, { ident: 'x' }, { id: 1 },
  { postAlarm: 5 }, { rearmFloorNs: NaN },
  Object.create({ sec: 1, value: 1, ms: 1 }),
  new Date(0), new Date(NaN), new Date(8.64e15), /re/, new Map(), new Set([1]), new Number(5), new String('SIGALRM'),
  Object(5n), Buffer.alloc(4), new Uint8Array(2), new Error('x'), Promise.resolve(1),
  () => {}, function named() {}, class Klass {}, async () => {}, Math.max,
];

/**
 * Values that run the caller's code when touched: throwing getters, throwing conversions,
 * hostile proxies. fast-check itself inspects the values it generates, so it generates a
 * {@link Hostile} token and {@link materialize} makes the value just before the call.
 */
const HOSTILE_VALUES: readonly (() => unknown)[] = [
  () => throwingGetters('sec', 'usec', 'nsec', 'value', 'interval', 'ns', 'us', 'ms', 's', 'ref', 'signal', 'notify', 'before', 'maxTimers', 'spin', 'ident', 'filter', 'flags', 'id', 'postAlarm', 'rearmFloorNs'),
  () => ({ [Symbol.toPrimitive]: trap, valueOf: trap, toString: trap }),
  () => Object.assign([1], { [Symbol.iterator]: trap }),
  () => hostileProxy({}),
  () => hostileProxy([]),
  () => hostileProxy(() => {}),
  () => [hostileProxy({})],
];

/** Stands for one of the hostile values until {@link materialize}. */
export class Hostile {
  constructor(readonly index: number) {}
}

/**
 * The argument list with every {@link Hostile} token replaced by a fresh hostile value, and
 * plain objects and arrays copied: a call may write into what it is given (a waiter's heap
 * index), and one run must not see what another left.
 */
export function materialize(args: readonly unknown[]): unknown[] {
  return args.map((value) => {
    if (value instanceof Hostile) return HOSTILE_VALUES[value.index]!();
    const prototype = typeof value === 'object' && value !== null ? Object.getPrototypeOf(value) : undefined;
    if (prototype !== Object.prototype && prototype !== Array.prototype && prototype !== null) return value;
    try {
      return structuredClone(value);
    } catch {
      return value; // holds functions or symbols: used as it is
    }
  });
}

/** An adversarial argument: mostly the special values, sometimes anything fast-check makes. */
export const adversarial: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...SPECIAL_VALUES) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: HOSTILE_VALUES.length - 1 }).map((index) => new Hostile(index)) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.integer({ min: -(2 ** 40), max: 2 ** 40 }) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 1, withBigInt: true, withBoxedValues: true, withNullPrototype: true, withSparseArray: true, withDate: true, withMap: true }) },
);

const NODE_CODES: Readonly<Record<string, Function>> = {
  ERR_INVALID_ARG_TYPE: TypeError,
  ERR_INVALID_ARG_VALUE: TypeError,
  ERR_OUT_OF_RANGE: RangeError,
  ERR_ILLEGAL_CONSTRUCTOR: TypeError,
  ABORT_ERR: Error,
};

/**
 * How a call that threw `error` is counted: its code, or why it is not a documented error
 * (then the property fails). `UserTrap` is the caller's own error, passed through.
 */
export function classify(error: unknown): { code: string; bad?: string } {
  if (error instanceof UserTrap) return { code: 'UserTrap (the caller\'s own getter or trap)' };
  if (!(error instanceof Error)) return { code: 'non-error', bad: `threw a non-Error: ${String(error)}` };
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return { code: 'no code', bad: `${error.name}: ${error.message}` };
  if (Object.hasOwn(NODE_CODES, code)) {
    return error instanceof NODE_CODES[code]! ? { code } : { code, bad: `${code} on a ${error.name}: ${error.message}` };
  }
  if (code.startsWith('ERR_ITIMER_')) return Object.hasOwn(ITIMER_ERRORS, code) ? { code } : { code, bad: `undocumented ${code}: ${error.message}` };
  if (/^E[A-Z0-9]+$/.test(code)) {
    const { errno, syscall } = error as { errno?: unknown; syscall?: unknown };
    return typeof errno === 'number' && errno < 0 && typeof syscall === 'string'
      ? { code }
      : { code, bad: `${code} without errno/syscall: ${error.message}` };
  }
  return { code, bad: `undocumented code ${code}: ${error.message}` };
}

/** Describes an argument list for a report, without running user code. */
export function show(args: readonly unknown[]): string {
  try {
    return inspect(args, { showProxy: true, getters: false, customInspect: false, depth: 2, breakLength: Infinity, maxArrayLength: 8, maxStringLength: 60 });
  } catch (error) {
    return `<uninspectable: ${(error as Error).message}>`;
  }
}
