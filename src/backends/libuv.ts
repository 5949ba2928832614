/**
 * `libuv`: Node's own setTimeout, the portable fallback (and the backend of every Worker).
 * Delays are rounded up to whole milliseconds plus one (libuv compares against a loop time
 * cached in whole milliseconds, so a timer can otherwise run up to 1 ms early); the chain's
 * due check does the rest. A delay beyond what Node's timers hold (2^31-1 ms, about 24.8
 * days: Node turns a longer one into 1 ms, with a warning) is cut to that: the host then
 * fires before the head is due, the chain finds nothing due (a poke) and re-arms for the
 * rest. The functions are Node's, taken at load (runtime/node-timers), never the globals.
 *
 * The *precise* variant serves the process chain's first moments, before the FFI is loaded
 * (see chain/process-chain): it wakes a millisecond early on a Node timer, then polls the
 * clock on Node's immediates — the event loop keeps turning without blocking in its poll
 * phase, the CPU is busy — until the deadline, and fires then, never early. The immediates
 * are ref'd while the chain holds the event loop open, unref'd otherwise (an unref'd timer
 * must not keep the process alive). It is never chosen by a config string.
 * @module
 */
import { nodeClearImmediate, nodeClearTimeout, nodeSetImmediate, nodeSetTimeout } from '../runtime/node-timers.js';
import { monotonicNowNs } from './time.js';
import type { AlarmBackend } from './types.js';

/** The longest delay Node's timers hold, in ms. */
const TIMEOUT_MAX_MS = 2 ** 31 - 1;

/**
 * Creates the libuv backend.
 * @param precise poll the last millisecond on immediates (the bootstrap variant, see the
 *   module notes), given whether the chain holds the event loop open now: the polling
 *   immediates are ref'd only then — an unref'd immediate would let the poll phase block.
 */
export function libuvBackend(precise?: () => boolean): AlarmBackend {
  let timeout: NodeJS.Timeout | undefined;
  let immediate: NodeJS.Immediate | undefined;
  let callback: (() => void) | undefined;
  let targetNs = 0;
  const fire = () => {
    timeout = undefined;
    callback?.();
  };
  const poll = () => {
    timeout = undefined;
    immediate = undefined;
    if (monotonicNowNs() >= targetNs) callback?.();
    else schedulePoll();
  };
  const schedulePoll = () => {
    immediate = nodeSetImmediate(poll);
    if (!precise!()) immediate.unref();
  };
  const disarm = () => {
    nodeClearTimeout(timeout);
    nodeClearImmediate(immediate);
    timeout = undefined;
    immediate = undefined;
  };
  return {
    name: 'libuv',
    description: 'setTimeout, rounded up to whole milliseconds; portable, no FFI',
    start(onAlarm) {
      callback = onAlarm;
    },
    stop() {
      disarm();
      callback = undefined;
    },
    rearm(target, deltaNs) {
      disarm();
      if (!precise) {
        timeout = nodeSetTimeout(fire, Math.min(Math.ceil(deltaNs / 1e6) + 1, TIMEOUT_MAX_MS)).unref();
        return;
      }
      targetNs = target;
      const earlyMs = Math.floor(deltaNs / 1e6) - 1;
      if (earlyMs >= 1) timeout = nodeSetTimeout(poll, Math.min(earlyMs, TIMEOUT_MAX_MS)).unref();
      else schedulePoll(); // never from inside rearm itself
    },
    disarm,
  };
}
