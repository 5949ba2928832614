/**
 * `node:timers/promises` as a program gets it under `itimer/register`: `setTimeout`,
 * `setInterval` and `scheduler` are the chain's (itimer/promises), `setImmediate` is Node's.
 * The default export is an object with the same members, as Node's module object is.
 * @module
 */
import nodePromises from 'node:timers/promises';
import { scheduler, setInterval, setTimeout } from './promises.js';

export * from 'node:timers/promises';
export { scheduler, setInterval, setTimeout } from './promises.js';

/** The module object, as `import timersPromises from 'node:timers/promises'` gives Node's. */
const timersPromises: typeof nodePromises = Object.freeze({ ...nodePromises, setTimeout, setInterval, scheduler }) as unknown as typeof nodePromises;
export default timersPromises;
