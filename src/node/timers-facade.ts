/**
 * `node:timers` as a program gets it under `itimer/register`: every name of Node's module,
 * with `setTimeout`, `setInterval`, `clearTimeout` and `clearInterval` the chain's
 * (itimer/timers) and `promises` the facade of `node:timers/promises`; `setImmediate`,
 * `clearImmediate` and the deprecated `active`, `enroll`, `unenroll`, `_unrefActive` stay
 * Node's. The default export is an object with the same members, as Node's module object is.
 * @module
 */
import nodeTimers from 'node:timers';
import * as promises from './promises-facade.js';
import { clearInterval, clearTimeout, setInterval, setTimeout } from './timers.js';

export * from 'node:timers';
export { clearInterval, clearTimeout, setInterval, setTimeout } from './timers.js';
export { promises };

/** The module object, as `import timers from 'node:timers'` gives Node's. */
const timers: typeof nodeTimers = Object.freeze({ ...nodeTimers, setTimeout, setInterval, clearTimeout, clearInterval, promises }) as unknown as typeof nodeTimers;
export default timers;
