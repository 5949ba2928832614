/**
 * `itimer/register`: a whole program on the chain's timers without changing a line —
 * `node --import itimer/register app.js` (or in `NODE_OPTIONS`, or `--require itimer/register`
 * for a CommonJS program, or `itimer run app.js`).
 *
 * ## What it replaces
 *
 * - The globals `setTimeout`, `setInterval`, `clearTimeout`, `clearInterval` become
 *   itimer/timers' (`setImmediate` and `clearImmediate` stay Node's: an immediate involves no
 *   timer), and `AbortSignal.timeout` becomes a precise one with Node's checks
 *   (`alarmSignal`, unref'd, a `TimeoutError` reason).
 * - Imports of `node:timers` and `node:timers/promises` (and `timers`, `timers/promises`)
 *   resolve to facades of those modules whose timer functions are the chain's
 *   (node/register-hooks): through `module.registerHooks` where the running Node has it
 *   (Node ≥ 22.15 / 23.5: `import` and `require` alike), else through `module.register`
 *   (Node 20 and older 22: `import` only; a `require('node:timers')` keeps Node's).
 * - The clear functions take Node's own timers too (a timer created before the switch, or
 *   handed out by Node), and the chain's timers keep Node's shape (`ref`, `unref`,
 *   `hasRef`, `refresh`, `close`, `+timeout`, `Symbol.dispose`) and callback rules (nextTick
 *   and promise jobs between callbacks, async context, errors to `uncaughtException`).
 *
 * Nothing of Node's own is touched: its internals (http keep-alive, streams, the test
 * runner) took their timers when they loaded and never resolve through a program's hooks.
 * Fake clocks installed over it (`@sinonjs/fake-timers`, `node:test` mock timers) save and
 * restore the registered functions, as they would Node's.
 *
 * ## When it stays out
 *
 * Node's timers stay, with one warning (`ITIMER_REGISTER`) saying why, in a Worker thread
 * (the chain runs on Node's timers there anyway), while a startup snapshot is built, and when
 * the chain cannot start (a bad `ITIMER_CLOCK`). `ITIMER_REGISTER=0` turns it off for one run,
 * silently. `ITIMER_REGISTER_REPORT=1` prints what was replaced to stderr; the module's
 * {@link registration} returns it.
 * @module
 */
import { startupSnapshot } from 'node:v8';
import { isMainThread } from 'node:worker_threads';
import * as nodeModule from 'node:module';
import { alarmSignal, getChain } from '../chain/index.js';
import { invalidArgType, outOfRange } from '../posix/validate.js';
import { configure, resolveSync } from './register-hooks.js';
import * as itimerTimers from './timers.js';

/** What `itimer/register` did in this process. */
export interface Registration {
  /** Whether the program's timers are the chain's. */
  active: boolean;
  /** Why not, when not active. */
  reason?: string;
  /** The globals replaced. */
  globals: string[];
  /** How the program's loads of Node's timer modules resolve to the chain's facades. */
  modules: RegisteredModules;
}

/** Which loads of `node:timers` and `node:timers/promises` get the chain's facades. */
export interface RegisteredModules {
  /** `import`: always, while registration is active. */
  import: boolean;
  /** `require`: where Node has synchronous resolution hooks (`module.registerHooks`, Node ≥ 22.15 / 23.5). */
  require: boolean;
}

/** `AbortSignal.timeout` with Node's checks (`delay` a uint32 of ms), on the chain. */
function timeout(delay: number): AbortSignal {
  if (typeof delay !== 'number') throw invalidArgType('delay', 'of type number', delay);
  if (!Number.isInteger(delay) || delay < 0 || delay > 2 ** 32 - 1) throw outOfRange('delay', 'an integer >= 0 && <= 4294967295', delay);
  return alarmSignal(delay);
}

let result: Registration = { active: false, reason: 'not registered', globals: [], modules: { import: false, require: false } };

/**
 * What `itimer/register` did in this process.
 * @returns a copy of the registration: whether it is active (or why not), the globals it
 *   replaced, and how imports and requires of Node's timer modules resolve.
 */
export function registration(): Registration {
  return structuredClone(result);
}

/**
 * Resolves Node's timer modules to the facades (see the module notes).
 * @param entryUrl the URL of the `itimer/register` entry point (`dist/register.js`), beside
 *   which the facades and the hooks are.
 */
function hookModules(entryUrl: string): RegisteredModules {
  const data = {
    timersUrl: new URL('./node/timers-facade.js', entryUrl).href,
    promisesUrl: new URL('./node/promises-facade.js', entryUrl).href,
    packageUrl: new URL('./', entryUrl).href,
  };
  const registerHooks = (nodeModule as { registerHooks?: (hooks: { resolve: typeof resolveSync }) => unknown }).registerHooks;
  if (typeof registerHooks === 'function') {
    configure(data); // synchronous, in this thread: import and require alike
    registerHooks({ resolve: resolveSync });
    return { import: true, require: true };
  }
  nodeModule.register(new URL('./node/register-hooks.js', entryUrl).href, { data });
  return { import: true, require: false };
}

/** Puts the chain's timers in place; @returns why not, if they could not be. */
function install(): string | undefined {
  if (/^(0|off|false|no)$/i.test(process.env['ITIMER_REGISTER'] ?? '')) return 'ITIMER_REGISTER turns it off';
  if (!isMainThread) return "in a Worker thread: the chain runs on Node's timers there";
  if (startupSnapshot.isBuildingSnapshot()) return 'while a startup snapshot is built';
  try {
    getChain(); // a bad ITIMER_CLOCK, or no backend that starts, shows here
  } catch (error) {
    return `the timer chain cannot start: ${(error as Error).message.split('\n')[0]}`;
  }
  return undefined;
}

/**
 * Registers (called once, by the `itimer/register` entry point).
 * @param entryUrl the entry point's own URL (see {@link hookModules}).
 * @returns what was done.
 */
export function register(entryUrl: string): Registration {
  const why = install();
  if (why !== undefined) {
    result = { active: false, reason: why, globals: [], modules: { import: false, require: false } };
    if (!/^ITIMER_REGISTER/.test(why)) process.emitWarning(`itimer/register: Node's timers stay ${why.startsWith('in a') || why.startsWith('while') ? why : `(${why})`}`, { code: 'ITIMER_REGISTER' });
  } else {
    const globals = globalThis as Record<string, unknown>;
    globals['setTimeout'] = itimerTimers.setTimeout;
    globals['setInterval'] = itimerTimers.setInterval;
    globals['clearTimeout'] = itimerTimers.clearTimeout;
    globals['clearInterval'] = itimerTimers.clearInterval;
    (AbortSignal as { timeout: typeof AbortSignal.timeout }).timeout = timeout;
    result = { active: true, globals: ['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'AbortSignal.timeout'], modules: hookModules(entryUrl) };
  }
  if (process.env['ITIMER_REGISTER_REPORT'] === '1') process.stderr.write(`itimer/register: ${JSON.stringify(result)}\n`);
  return result;
}
