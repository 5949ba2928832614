/**
 * `itimer/register`: `node --import itimer/register app.js` runs a whole program on the
 * chain's timers — the global `setTimeout` family, `AbortSignal.timeout`, and imports of
 * `node:timers` and `node:timers/promises` — without changing a line (docs/register.md).
 * Importing it registers; {@link registration} says what was done.
 *
 * ```sh
 * node --import itimer/register app.js
 * NODE_OPTIONS=--import=itimer/register npm start
 * npx itimer run app.js
 * ```
 * @module
 */
import { register } from './node/register.js';

export { registration, type Registration, type RegisteredModules } from './node/register.js';

register(import.meta.url);
