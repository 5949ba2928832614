/**
 * Time structs as JavaScript objects, and their encoding into C struct buffers.
 *
 * Fields are integers exactly as in C (`tv_sec`, `tv_usec` / `tv_nsec`), so a value read
 * from the kernel and written back is the same bytes. Inputs may also be given as a
 * number of seconds (a float), converted to the nearest representable microsecond or
 * nanosecond — refused when a double cannot hold that precision.
 * @module
 */
import { layoutsFor } from '../host/index.js';
import { invalidArgType, outOfRange, validateObject } from './validate.js';

/** `struct timeval`: seconds and microseconds. */
export interface Timeval {
  /** Whole seconds (`tv_sec`). */
  sec: number;
  /** Microseconds (`tv_usec`); the kernel accepts 0 ≤ usec < 1 000 000. */
  usec: number;
}

/** `struct timespec`: seconds and nanoseconds. */
export interface Timespec {
  /** Whole seconds (`tv_sec`). */
  sec: number;
  /** Nanoseconds (`tv_nsec`); the kernel accepts 0 ≤ nsec < 1 000 000 000. */
  nsec: number;
}

/** `struct itimerval`: the time to the next expiry and the reload interval. */
export interface Itimerval {
  /** Time until the next expiry; zero means disarmed. */
  value: Timeval;
  /** Period after each expiry; zero means one-shot. */
  interval: Timeval;
}

/** `struct itimerspec`: the time to (or of) the next expiry and the reload interval. */
export interface Itimerspec {
  /** Next expiry, relative or absolute; zero means disarmed. */
  value: Timespec;
  /** Period after each expiry; zero means one-shot. */
  interval: Timespec;
}

/** A timeval given as fields (missing ones are 0) or as seconds. */
export type TimevalInput = Partial<Timeval> | number;
/** A timespec given as fields (missing ones are 0) or as seconds. */
export type TimespecInput = Partial<Timespec> | number;
/** An itimerval; a missing member is zero. */
export interface ItimervalInput {
  /** Time until the first expiry; zero disarms. */
  value?: TimevalInput;
  /** Period; zero (the default) is one-shot. */
  interval?: TimevalInput;
}
/** An itimerspec; a missing member is zero. */
export interface ItimerspecInput {
  /** First expiry (relative, or absolute with `TIMER_ABSTIME`); zero disarms. */
  value?: TimespecInput;
  /** Period; zero (the default) is one-shot. */
  interval?: TimespecInput;
}

const TWO_32 = 2 ** 32;

/** Writes a safe integer as a little-endian int64 without BigInt. */
export function writeInt64(buffer: Buffer, offset: number, value: number): void {
  const high = Math.floor(value / TWO_32);
  buffer.writeUInt32LE(value - high * TWO_32, offset);
  buffer.writeInt32LE(high, offset + 4);
}

/** Reads a little-endian int64; exact for every value the kernel returns in these structs (|v| < 2^53). */
export function readInt64(buffer: Buffer, offset: number): number {
  return buffer.readInt32LE(offset + 4) * TWO_32 + buffer.readUInt32LE(offset);
}

/**
 * Splits `seconds` into whole seconds and `unitsPerSecond` sub-units, rounding to the
 * nearest sub-unit — but a positive time to at least one sub-unit.
 * @throws RangeError when `seconds` is not finite or too large for that precision.
 */
function splitSeconds(seconds: number, unitsPerSecond: number, name: string): [number, number] {
  const limit = Number.MAX_SAFE_INTEGER / unitsPerSecond;
  if (!Number.isFinite(seconds) || Math.abs(seconds) > limit) {
    throw outOfRange(name, `a finite number of seconds within ±${Math.floor(limit)} (the range a double holds to 1/${unitsPerSecond} s)`, seconds);
  }
  let sec = Math.floor(seconds);
  let sub = Math.round((seconds - sec) * unitsPerSecond);
  if (sub === unitsPerSecond) {
    sec += 1;
    sub = 0;
  }
  // A positive time never rounds to zero, which would disarm (CPython bpo-30807 rounds
  // setitimer's float up for the same reason): it becomes one unit.
  if (seconds > 0 && sec === 0 && sub === 0) sub = 1;
  return [sec, sub];
}

function field(value: unknown, name: string): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number') throw invalidArgType(name, 'of type number', value);
  if (!Number.isSafeInteger(value)) {
    throw outOfRange(name, `an integer within ±${Number.MAX_SAFE_INTEGER}`, value);
  }
  return value;
}

function pair(input: unknown, name: string, subName: 'usec' | 'nsec', unitsPerSecond: number): [number, number] {
  if (input === undefined) return [0, 0];
  if (typeof input === 'number') return splitSeconds(input, unitsPerSecond, name);
  validateObject(input, name);
  return [field(input['sec'], `${name}.sec`), field(input[subName], `${name}.${subName}`)];
}

/** Normalises a timeval input to integer fields (the kernel still validates their ranges). */
export function toTimeval(input: unknown, name: string): Timeval {
  const [sec, usec] = pair(input, name, 'usec', 1e6);
  return { sec, usec };
}

/** Normalises a timespec input to integer fields (the kernel still validates their ranges). */
export function toTimespec(input: unknown, name: string): Timespec {
  const [sec, nsec] = pair(input, name, 'nsec', 1e9);
  return { sec, nsec };
}

/**
 * A timeval or timespec as a number of seconds (exact to the double nearest).
 * @param time `{ sec, usec }` (a timeval: it has a `usec` field) or `{ sec, nsec }`; a
 *   missing field is 0, and the sub-second field is not range-checked.
 * @returns the time in seconds, with the fraction.
 * @throws TypeError ERR_INVALID_ARG_TYPE if time is not a plain object, or a field is present and not a number.
 * @throws RangeError ERR_OUT_OF_RANGE if a field is not a safe integer.
 */
export function toSeconds(time: Timeval | Timespec): number {
  validateObject(time, 'time');
  const [sec, sub] = 'usec' in time ? pair(time, 'time', 'usec', 1e6) : pair(time, 'time', 'nsec', 1e9);
  return sec + sub / ('usec' in time ? 1e6 : 1e9);
}

/**
 * Encodes a two-member itimer struct (`itimerval` or `itimerspec`; both are two 16-byte
 * pairs) from whole seconds and sub-units (µs or ns). Allocates nothing: the backends
 * call it on every host re-arm.
 */
export function writeItimerRaw(buffer: Buffer, valueSec: number, valueSub: number, intervalSec = 0, intervalSub = 0): Buffer {
  const fields = layoutsFor().itimerval.fields;
  const intervalAt = fields.it_interval.offset;
  const valueAt = fields.it_value.offset;
  writeInt64(buffer, intervalAt, intervalSec);
  writeInt64(buffer, intervalAt + 8, intervalSub);
  writeInt64(buffer, valueAt, valueSec);
  writeInt64(buffer, valueAt + 8, valueSub);
  return buffer;
}

function readPair(buffer: Buffer, at: number): [number, number] {
  return [readInt64(buffer, at), readInt64(buffer, at + 8)];
}

/** Encodes an itimerval input into `buffer` (32 bytes). */
export function writeItimerval(buffer: Buffer, input: unknown, name: string): Buffer {
  if (input !== undefined) validateObject(input, name);
  const { value, interval } = (input ?? {}) as ItimervalInput;
  const v = toTimeval(value, `${name}.value`);
  const i = toTimeval(interval, `${name}.interval`);
  return writeItimerRaw(buffer, v.sec, v.usec, i.sec, i.usec);
}

/** Encodes an itimerspec input into `buffer` (32 bytes). */
export function writeItimerspec(buffer: Buffer, input: unknown, name: string): Buffer {
  if (input !== undefined) validateObject(input, name);
  const { value, interval } = (input ?? {}) as ItimerspecInput;
  const v = toTimespec(value, `${name}.value`);
  const i = toTimespec(interval, `${name}.interval`);
  return writeItimerRaw(buffer, v.sec, v.nsec, i.sec, i.nsec);
}

/** Decodes a `struct itimerval`. */
export function readItimerval(buffer: Buffer): Itimerval {
  const fields = layoutsFor().itimerval.fields;
  const [vs, vu] = readPair(buffer, fields.it_value.offset);
  const [is, iu] = readPair(buffer, fields.it_interval.offset);
  return { value: { sec: vs, usec: vu }, interval: { sec: is, usec: iu } };
}

/** Decodes a `struct itimerspec`. */
export function readItimerspec(buffer: Buffer): Itimerspec {
  const fields = layoutsFor().itimerspec.fields;
  const [vs, vn] = readPair(buffer, fields.it_value.offset);
  const [is, ino] = readPair(buffer, fields.it_interval.offset);
  return { value: { sec: vs, nsec: vn }, interval: { sec: is, nsec: ino } };
}

/** Decodes a `struct timespec`. */
export function readTimespec(buffer: Buffer): Timespec {
  const [sec, nsec] = readPair(buffer, layoutsFor().timespec.fields.tv_sec.offset);
  return { sec, nsec };
}

/** A zeroed buffer the size of struct `name` on this architecture. */
export function structBuffer(name: 'itimerval' | 'itimerspec' | 'timespec' | 'sigevent' | 'sigaction' | 'siginfo' | 'sigset' | 'timer_t'): Buffer {
  return Buffer.alloc(layoutsFor()[name].size);
}
