/**
 * Syscall failures as Node-style errors.
 * @module
 */
import { constants } from 'node:os';
import { getSystemErrorMap } from 'node:util';

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

/** libuv describes errno 95 as "operation not supported on socket"; on Linux it is also EOPNOTSUPP. */
const DESCRIPTIONS: Readonly<Record<string, string>> = { ENOTSUP: 'operation not supported' };

const errnoNames = new Map<number, string>(Object.entries(constants.errno).map(([name, value]) => [value, name]));

/**
 * Builds the error for a call that failed with `errnoValue`.
 * @param errnoValue The positive errno value libc left.
 * @param syscall The C function name.
 */
export function syscallError(errnoValue: number, syscall: string): SyscallError {
  const [code, description] = getSystemErrorMap().get(-errnoValue) ?? [
    errnoNames.get(errnoValue) ?? `Unknown system error ${errnoValue}`,
    'system error',
  ];
  const error = new Error(`${code}: ${DESCRIPTIONS[code] ?? description}, ${syscall}`) as SyscallError;
  error.code = code;
  error.errno = -errnoValue;
  error.syscall = syscall;
  Error.captureStackTrace(error, syscallError);
  return error;
}

/** True when `value` is a failed-syscall error from itimer (or any error of that shape: `errno`, `code`, `syscall`). */
export function isSyscallError(value: unknown): value is SyscallError {
  return value instanceof Error && typeof (value as SyscallError).syscall === 'string' && typeof (value as SyscallError).errno === 'number';
}
