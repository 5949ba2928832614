/**
 * fast-check properties run by arguments.test.ts in a child process (ITIMER_CLOCK=virtual,
 * --no-warnings): for any delay, value and options, itimer's drop-ins and Node's own accept
 * or reject alike, with the same class and code. Prints one line per module that agreed;
 * a counterexample is printed instead, and the process exits 1.
 */
import fc from 'fast-check';
import * as nodePromises from 'node:timers/promises';
import * as nodeTimers from 'node:timers';
import { types } from 'node:util';
import * as promises from '../../src/node/promises.js';
import * as timers from '../../src/node/timers.js';
import { outcome, type Outcome } from './outcome.js';

const numRuns = Number(process.env.ARGUMENT_RUNS ?? 300);

/** Accepted (pending or resolved), or the class and code of the rejection: what must agree. */
function verdict(result: Outcome): unknown {
  if (result === 'pending' || (typeof result === 'object' && ('resolved' in result || 'returned' in result))) return 'accepted';
  const { class: kind, code } = 'threw' in result ? result.threw : result.rejected;
  return { how: 'threw' in result ? 'threw' : 'rejected', class: kind, code };
}

const anything = fc.anything({ withBoxedValues: true, withNullPrototype: true, withBigInt: true, withMap: true, withSet: true, withDate: true, withTypedArray: true, withSparseArray: true });
const eventTarget = (aborted: boolean) => Object.assign(new EventTarget(), { aborted });
const signal = fc.oneof(
  anything,
  fc.constantFrom(undefined, null),
  fc.constant(0).map(() => new AbortController().signal),
  fc.constant(0).map(() => AbortSignal.abort('reason')),
  fc.boolean().map(eventTarget),
  fc.record({ aborted: anything }),
);
const options = fc.oneof(
  anything,
  fc.constantFrom(undefined, null, [], () => {}),
  fc.record({ signal, ref: fc.oneof(fc.boolean(), anything) }, { requiredKeys: [] }),
);
const delay = fc.oneof(anything, fc.double(), fc.integer(), fc.constantFrom(undefined, 2 ** 31, Number.POSITIVE_INFINITY, Number.NaN));

type PromiseApi = Pick<typeof promises, 'setTimeout' | 'setInterval' | 'scheduler'>;
const calls: [string, (api: PromiseApi, d: unknown, v: unknown, o: unknown) => Promise<Outcome>][] = [
  ['setTimeout', (api, d, v, o) => outcome(() => api.setTimeout(d as number, v, o as never))],
  ['setInterval', (api, d, v, o) => outcome(() => api.setInterval(d as number, v, o as never).next())],
  ['scheduler.wait', (api, d, _, o) => outcome(() => api.scheduler.wait(d as number, o as never))],
];

try {
  await fc.assert(
    fc.asyncProperty(delay, anything, options, async (d, v, o) => {
      for (const [name, call] of calls) {
        const ours = verdict(await call(promises, d, v, o));
        const nodes = verdict(await call(nodePromises as unknown as PromiseApi, d, v, o));
        if (JSON.stringify(ours) !== JSON.stringify(nodes)) throw new Error(`${name}: itimer ${JSON.stringify(ours)}, Node ${JSON.stringify(nodes)}`);
      }
    }),
    { numRuns },
  );
  console.log('promises: agreed');

  const callback = fc.oneof(anything, fc.constant(() => {}));
  fc.assert(
    fc.property(callback, delay, fc.array(anything, { maxLength: 3 }), (cb, d, args) => {
      for (const name of ['setTimeout', 'setInterval'] as const) {
        const run = (api: typeof timers) => {
          try {
            api.clearTimeout(api[name](cb as never, d as never, ...args) as never);
            return 'accepted';
          } catch (error) {
            return { class: error instanceof RangeError ? 'RangeError' : error instanceof TypeError ? 'TypeError' : 'other', code: (error as { code?: unknown }).code };
          }
        };
        const ours = run(timers);
        const nodes = run(nodeTimers as unknown as typeof timers);
        // The one difference on purpose: a symbol or bigint delay is a coded TypeError here.
        const expected = typeof cb === 'function' && (typeof d === 'symbol' || typeof d === 'bigint' || types.isBigIntObject(d) || types.isSymbolObject(d)) ? { class: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' } : nodes;
        if (JSON.stringify(ours) !== JSON.stringify(expected)) throw new Error(`${name}: itimer ${JSON.stringify(ours)}, Node ${JSON.stringify(nodes)}`);
      }
    }),
    { numRuns },
  );
  console.log('timers: agreed');
  process.exit(0);
} catch (error) {
  console.log((error as Error).message);
  process.exit(1);
}
