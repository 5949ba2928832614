/**
 * `libuv`: Node's own setTimeout, the portable fallback. Delays are rounded up to whole
 * milliseconds plus one (libuv compares against a loop time cached in whole milliseconds,
 * so a timer can otherwise run up to 1 ms early); the chain's due check does the rest.
 * @module
 */
import type { AlarmBackend } from './types.js';

/** Creates the libuv backend. */
export function libuvBackend(): AlarmBackend {
  let timeout: NodeJS.Timeout | undefined;
  let callback: (() => void) | undefined;
  return {
    name: 'libuv',
    description: 'setTimeout, rounded up to whole milliseconds; portable, no FFI',
    start(onAlarm) {
      callback = onAlarm;
    },
    stop() {
      clearTimeout(timeout);
      timeout = undefined;
      callback = undefined;
    },
    rearm(_targetNs, deltaNs) {
      clearTimeout(timeout);
      timeout = setTimeout(callback!, Math.ceil(deltaNs / 1e6) + 1).unref();
    },
    disarm() {
      clearTimeout(timeout);
      timeout = undefined;
    },
  };
}
