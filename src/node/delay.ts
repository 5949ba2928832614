/**
 * Node's rule for timer delays, shared by `itimer/timers` and `itimer/promises` (not a
 * public module): Node's `Timeout` constructor (lib/internal/timers.js) applies it to every
 * timer, callback or promise, so both modules do too.
 * @module
 */
import { types } from 'node:util';
import { invalidArgType } from '../posix/validate.js';

/** The largest delay Node accepts, in ms: 2^31-1. Larger delays become 1 ms, with a warning. */
export const TIMEOUT_MAX = 2 ** 31 - 1;

/**
 * Node's rule for a delay in ms: `after * 1` (an object's `valueOf` or `toString` runs, and
 * what it throws propagates), then 1 unless in [1, TIMEOUT_MAX]; above TIMEOUT_MAX it also
 * emits a `TimeoutOverflowWarning`, as Node does. A symbol or a bigint, boxed or not, which
 * `after * 1` cannot convert (Node throws an uncoded TypeError), is a coded
 * `ERR_INVALID_ARG_TYPE` TypeError here.
 */
export function nodeDelayMs(after: unknown): number {
  if (typeof after === 'symbol' || typeof after === 'bigint' || types.isBigIntObject(after) || types.isSymbolObject(after)) {
    throw invalidArgType('delay', 'a number of milliseconds', after);
  }
  const ms = (after as number) * 1;
  if (ms >= 1 && ms <= TIMEOUT_MAX) return ms;
  if (ms > TIMEOUT_MAX) {
    process.emitWarning(`${ms} does not fit into a 32-bit signed integer.\nTimeout duration was set to 1.`, 'TimeoutOverflowWarning');
  }
  return 1;
}
