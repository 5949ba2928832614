/**
 * `libuv`: Node's own setTimeout, the portable fallback (and the backend of every Worker).
 * Delays are rounded up to whole milliseconds plus one (libuv compares against a loop time
 * cached in whole milliseconds, so a timer can otherwise run up to 1 ms early); the chain's
 * due check does the rest. A delay beyond what Node's timers hold (2^31-1 ms, about 24.8
 * days: Node turns a longer one into 1 ms, with a warning) is cut to that: the host then
 * fires before the head is due, the chain finds nothing due (a poke) and re-arms for the
 * rest. The functions are Node's, taken at load (runtime/node-timers), never the globals.
 * @module
 */
import { nodeClearTimeout, nodeSetTimeout } from '../runtime/node-timers.js';
import type { AlarmBackend } from './types.js';

/** The longest delay Node's timers hold, in ms. */
const TIMEOUT_MAX_MS = 2 ** 31 - 1;

/** Creates the libuv backend. */
export function libuvBackend(): AlarmBackend {
  let timeout: NodeJS.Timeout | undefined;
  let callback: (() => void) | undefined;
  const fire = () => {
    timeout = undefined;
    callback?.();
  };
  return {
    name: 'libuv',
    description: 'setTimeout, rounded up to whole milliseconds; portable, no FFI',
    start(onAlarm) {
      callback = onAlarm;
    },
    stop() {
      nodeClearTimeout(timeout);
      timeout = undefined;
      callback = undefined;
    },
    rearm(_targetNs, deltaNs) {
      nodeClearTimeout(timeout);
      timeout = nodeSetTimeout(fire, Math.min(Math.ceil(deltaNs / 1e6) + 1, TIMEOUT_MAX_MS)).unref();
    },
    disarm() {
      nodeClearTimeout(timeout);
      timeout = undefined;
    },
  };
}
