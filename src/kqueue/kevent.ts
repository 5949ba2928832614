/**
 * `struct kevent` and the other inputs of `kevent()`, checked against their C types before
 * any change is applied: `ident` uintptr_t, `filter` short, `flags` u_short, `fflags` u_int —
 * or the int32 that JavaScript's `|` makes of its bits (NOTE_FFOR | 1 is negative) —,
 * `data` int64 (above 2^53 a number is the double nearest the int64, as `Number(2n ** 62n)`),
 * the timeout a timespec. A value C could not hold is refused with a Node-style
 * argument error (`ERR_INVALID_ARG_TYPE`, `ERR_OUT_OF_RANGE`); a value C can hold but the
 * kernel refuses is left for the kernel's errno (an EV_ERROR entry, or EINVAL for the
 * timeout). A change and a timeout are plain objects (a literal, or one `kevent()` returned):
 * a Date, a Map or a class instance would have its fields read as missing, so it is refused.
 * Each field is read once, so a getter cannot change a value between its check and
 * its use.
 * @module
 */
import { constants } from 'node:os';
import { syscallError } from '../host/index.js';
import type { Timespec } from '../posix/index.js';
import { C_LIMITS, invalidArgType, isPlainObject, outOfRange, validateInteger } from '../posix/validate.js';

/** `struct kevent`. */
export interface Kevent {
  /** Identifier: your number for timers and user events, the signal number for signals. */
  ident: number;
  /** EVFILT_*. */
  filter: number;
  /** EV_* flags. */
  flags: number;
  /** Filter flags (NOTE_*). */
  fflags: number;
  /** Filter data: on input the timer period / user data; on output counts, or the errno with EV_ERROR. */
  data: number;
  /** Opaque user data, returned unchanged. */
  udata?: unknown;
}

/** A change given to {@link Kqueue.kevent}: missing fields are 0. */
export type KeventChange = Partial<Kevent> & Pick<Kevent, 'ident' | 'filter'>;

/** A timeout for {@link Kqueue.kevent}: `{ sec, nsec }` as a timespec, or null for none. */
export type KeventTimeout = Timespec | null;

/** A change after {@link checkChange}: every field present and of its C type. */
export type CheckedChange = Kevent;

/**
 * Checks one change against the C types of `struct kevent`, reading each field once.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` / RangeError `ERR_OUT_OF_RANGE`.
 */
export function checkChange(change: unknown, index: number): CheckedChange {
  const name = `changes[${index}]`;
  if (!isPlainObject(change)) throw invalidArgType(name, 'a kevent (a plain object)', change);
  const { ident, filter, flags = 0, fflags = 0, data = 0, udata } = change as Partial<Kevent>;
  return {
    ident: validateInteger(ident, `${name}.ident`, 0, Number.MAX_SAFE_INTEGER),
    filter: validateInteger(filter, `${name}.filter`, -0x8000, 0x7fff),
    flags: validateInteger(flags, `${name}.flags`, 0, 0xffff),
    // u_int bits, also in the int32 form JavaScript's `|` gives (NOTE_FFOR | 1 is negative).
    fflags: validateInteger(fflags, `${name}.fflags`, C_LIMITS.INT_MIN, C_LIMITS.UINT_MAX) >>> 0,
    data: int64(data, `${name}.data`),
    udata,
  };
}

const TWO_63 = 2 ** 63;

/** An int64_t: an integer number from −2^63 to 2^63 − 1 (every double beyond 2^53 is an integer). */
function int64(value: unknown, name: string): number {
  if (typeof value !== 'number') throw invalidArgType(name, 'of type number', value);
  if (!Number.isInteger(value)) throw outOfRange(name, 'an integer', value);
  if (value < -TWO_63 || value >= TWO_63) throw outOfRange(name, '>= -(2 ** 63) && < 2 ** 63 (an int64)', value);
  return value;
}

/**
 * A kevent timeout in ns: undefined waits forever, as does one past `INT32_MAX` seconds
 * (FreeBSD `kqueue_scan`).
 * @throws TypeError `ERR_INVALID_ARG_TYPE` / RangeError `ERR_OUT_OF_RANGE` for fields C could
 *   not hold; the EINVAL syscall error for a negative field or `nsec` ≥ 10^9.
 */
export function timeoutNs(timeout: KeventTimeout | undefined): number | undefined {
  if (timeout === undefined || timeout === null) return undefined;
  if (!isPlainObject(timeout)) throw invalidArgType('timeout', 'a { sec, nsec } timespec (a plain object) or null', timeout);
  const { sec, nsec } = timeout;
  validateInteger(sec, 'timeout.sec', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  validateInteger(nsec, 'timeout.nsec', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  if (sec < 0 || nsec < 0 || nsec >= 1e9) throw syscallError(constants.errno.EINVAL, 'kevent');
  return sec > C_LIMITS.INT_MAX ? undefined : sec * 1e9 + nsec;
}
