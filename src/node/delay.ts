/**
 * Node's rule for timer delays, shared by `itimer/timers` and `itimer/promises` (not a
 * public module).
 * @module
 */
import { invalidArgType } from '../posix/validate.js';

/** The largest delay Node accepts, in ms: 2^31-1. Larger delays become 1 ms, with a warning. */
export const TIMEOUT_MAX = 2 ** 31 - 1;

/**
 * Node's rule for a delay in ms: `+after`, then 1 unless in [1, TIMEOUT_MAX]. A symbol or a
 * bigint, which `+after` cannot convert (Node throws an uncoded TypeError), is a coded
 * `ERR_INVALID_ARG_TYPE` TypeError here.
 */
export function nodeDelayMs(after: unknown, warn = true): number {
  if (typeof after === 'symbol' || typeof after === 'bigint') throw invalidArgType('delay', 'a number of milliseconds', after);
  const ms = Number(after);
  if (ms >= 1 && ms <= TIMEOUT_MAX) return ms;
  if (ms > TIMEOUT_MAX && warn) {
    process.emitWarning(`${ms} does not fit into a 32-bit signed integer.\nTimeout duration was set to 1.`, 'TimeoutOverflowWarning');
  }
  return 1;
}

