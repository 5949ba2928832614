/**
 * The argument handling of itimer/timers and itimer/promises against Node's own, side by
 * side: every check of lib/timers/promises.js (validateNumber of the delay, validateObject of
 * the options, validateAbortSignal, validateBoolean of ref, the aborted signal) and of
 * lib/timers.js (validateFunction, `delay * 1`), with the same bad inputs given to both.
 * Then fast-check properties over any value, in a child process (Node's accepted timers
 * cannot all be cancelled, and the child ends them with the process).
 */
import test from 'ava';
import * as nodePromises from 'node:timers/promises';
import * as nodeTimers from 'node:timers';
import { inspect, types } from 'node:util';
import { configureAlarms, getChain, virtualTime } from '../../src/index.js';
import * as timers from '../../src/node/timers.js';
import * as promises from '../../src/node/promises.js';
import { runItimerScript } from '../helpers.js';
import { outcome, type Outcome } from './outcome.js';

configureAlarms('virtual');

type PromiseApi = Pick<typeof promises, 'setTimeout' | 'setInterval' | 'scheduler'>;
const node = nodePromises as unknown as PromiseApi;

/** Each promise entry point of a module, called with (delay, options): how it ends. */
const entries: Record<string, (api: PromiseApi, delay: unknown, options: unknown) => Promise<Outcome>> = {
  setTimeout: (api, delay, options) => outcome(() => api.setTimeout(delay as number, 'v', options as never)),
  'setInterval first next()': async (api, delay, options) => {
    const iterator = api.setInterval(delay as number, 'v', options as never);
    const result = await outcome(() => iterator.next());
    void iterator.return(undefined).catch(() => {}); // served after a pending next(): Node's in a few ms, ours when virtual time moves
    return result;
  },
  'scheduler.wait': (api, delay, options) => outcome(() => api.scheduler.wait(delay as number, options as never)),
};

/** Accepted is accepted, whether the delay (a few ms on Node's side) has passed yet or not. */
function verdict(result: Outcome): unknown {
  return result === 'pending' || (typeof result === 'object' && 'resolved' in result) ? 'accepted' : result;
}

const duck = (aborted: boolean) => Object.assign(new EventTarget(), { aborted });
const badDelays = ['', false, true, '1', null, {}, [], Symbol('s'), 1n, () => {}, new Date(0)];
const goodDelays = [undefined, Number.NaN, -1, 0, 0.5, 1, 1.5, Number.NEGATIVE_INFINITY]; // +Infinity warns: the properties cover it
const badOptions = [null, 1, '', false, true, Number.POSITIVE_INFINITY, [], () => {}, Symbol('o'), 1n];
const goodOptions = [undefined, {}, Object.create(null), new Map(), { signal: undefined, ref: undefined }];
const badSignals = [null, 1, '', false, Number.POSITIVE_INFINITY, {}, () => {}, Symbol('s'), 1n, [], new EventTarget()];
const goodSignals = [new AbortController().signal, duck(false), AbortSignal.abort('why'), duck(true), { aborted: false }, { aborted: true }, Object.create({ aborted: false })];
const badRefs = [1, 0, '', 'true', Number.POSITIVE_INFINITY, null, {}, Symbol('r')];
const goodRefs = [true, false, undefined];

const cases: [label: string, delay: unknown, options: unknown][] = [
  ...[...badDelays, ...goodDelays].map((delay): [string, unknown, unknown] => [`delay ${inspect(delay)}`, delay, {}]),
  ...[...badOptions, ...goodOptions].map((options): [string, unknown, unknown] => [`options ${inspect(options)}`, 1, options]),
  ...[...badSignals, ...goodSignals].map((signal): [string, unknown, unknown] => [`options.signal ${inspect(signal, { depth: 0 })}`, 1, { signal }]),
  ...[...badRefs, ...goodRefs].map((ref): [string, unknown, unknown] => [`options.ref ${inspect(ref)}`, 1, { ref }]),
  // Node's order: the delay, then options, then signal, then ref, then the abort.
  ['bad delay and bad options', 'x', null],
  ['bad options.signal and bad options.ref', 1, { signal: 1, ref: 1 }],
  ['bad options.ref and an aborted signal', 1, { signal: AbortSignal.abort(), ref: 'x' }],
  ['an aborted signal and a bad delay', 'x', { signal: AbortSignal.abort() }],
];

test.serial('Node lib/timers/promises.js argument checks, side by side: setTimeout, setInterval (first next()) and scheduler.wait accept and reject what Node does, with its class, code and message', async (t) => {
  let compared = 0;
  for (const [label, delay, options] of cases) {
    for (const [name, call] of Object.entries(entries)) {
      const ours = verdict(await call(promises, delay, options));
      const nodes = verdict(await call(node, delay, options));
      t.deepEqual(ours, nodes, `${name}: ${label}`);
      compared++;
    }
  }
  t.true(compared > 150);
  await nodePromises.setTimeout(5); // Node's accepted timers (1.5 ms at most) end, and its intervals at their first tick
  await virtualTime.tickAsync(2); // ours too
  t.is(getChain().size, 0);
});

test.serial('Node lib/timers.js argument checks, side by side: setTimeout and setInterval of itimer/timers accept and reject what Node does (a symbol or bigint delay: coded here, on purpose)', (t) => {
  const callbacks = [null, true, 0, '', 'f', {}, [], Symbol('c'), 1n, () => {}, function named() {}];
  const delays = [...badDelays, ...goodDelays, Object.create(null), Object(1n), Object(Symbol('b')), { valueOf: () => 2 }, { valueOf: () => { throw new RangeError('mine'); } }];
  for (const fn of ['setTimeout', 'setInterval'] as const) {
    for (const callback of callbacks) {
      for (const delay of delays) {
        const run = (api: typeof timers) => {
          try {
            api.clearTimeout(api[fn](callback as never, delay as never) as never);
            return 'accepted';
          } catch (error) {
            const { name, code, message } = error as { name: string; code?: string; message: string };
            return { class: error instanceof RangeError ? 'RangeError' : error instanceof TypeError ? 'TypeError' : 'Error', name, code, message };
          }
        };
        const ours = run(timers);
        const nodes = run(nodeTimers as unknown as typeof timers);
        const label = `${fn}(${inspect(callback)}, ${inspect(delay)})`;
        if (typeof nodes === 'object' && nodes.code === undefined && (typeof delay === 'symbol' || typeof delay === 'bigint' || types.isBigIntObject(delay) || types.isSymbolObject(delay))) {
          t.like(ours, { class: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' }, label);
        } else t.deepEqual(ours, nodes, label);
      }
    }
  }
  t.is(getChain().size, 0);
});

test('fast-check: for any delay and options, itimer/promises and node:timers/promises agree on accept or reject and on the error\'s class and code; itimer/timers and node:timers too', async (t) => {
  const run = await runItimerScript(`await import('./test/node/argument-properties.ts');`, { ITIMER_CLOCK: 'virtual', ARGUMENT_RUNS: process.env.ARGUMENT_RUNS ?? '300' }, 120_000, ['--no-warnings']);
  t.is(run.stdout, 'promises: agreed\ntimers: agreed', run.stderr);
  t.is(run.status, 0);
});
