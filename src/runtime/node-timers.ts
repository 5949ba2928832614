/**
 * Node's own timer functions, taken from `node:timers` once, when itimer loads.
 *
 * itimer needs a few of Node's timers for itself: the chain's keep-alive handle, the `libuv`
 * backend's host timer, a turn of the event loop between the steps of virtual time. It never
 * calls the globals for them: a user's top-level `const { setInterval } = require('itimer/timers')`
 * in `node -e`, the REPL or an eval'd Worker shadows the global `setInterval` with itimer's
 * own, and fake clocks (`@sinonjs/fake-timers`, `node:test` mock timers) replace the globals
 * and the exports of `node:timers` while they are installed. The functions below are read
 * from the module's exports object before either can happen, so they stay Node's.
 * @module
 */
import timers from 'node:timers';

/** Node's `setTimeout`, as it was when itimer loaded. */
export const nodeSetTimeout: typeof timers.setTimeout = timers.setTimeout;
/** Node's `clearTimeout`, as it was when itimer loaded. */
export const nodeClearTimeout: typeof timers.clearTimeout = timers.clearTimeout;
/** Node's `setInterval`, as it was when itimer loaded. */
export const nodeSetInterval: typeof timers.setInterval = timers.setInterval;
/** Node's `clearInterval`, as it was when itimer loaded. */
export const nodeClearInterval: typeof timers.clearInterval = timers.clearInterval;
/** Node's `setImmediate`, as it was when itimer loaded. */
export const nodeSetImmediate: typeof timers.setImmediate = timers.setImmediate;
/** Node's `clearImmediate`, as it was when itimer loaded. */
export const nodeClearImmediate: typeof timers.clearImmediate = timers.clearImmediate;
/** `queueMicrotask`, as it was when itimer loaded (fake clocks may replace the global). */
export const nodeQueueMicrotask: typeof globalThis.queueMicrotask = globalThis.queueMicrotask;
