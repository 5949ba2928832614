// Run by scripts/other-nodes.js on each Node: every timer kind in its creation's async context,
// enterWith kept in its callback, and nextTick / promise jobs between timers. Prints one JSON line.
import * as itimer from 'itimer';
import { setTimeout as dropInTimeout, setInterval as dropInInterval, clearInterval as dropInClear, clearTimeout as dropInClearTimeout } from 'itimer/timers';
import { AsyncLocalStorage } from 'node:async_hooks';
const als = new AsyncLocalStorage();
/** @type {Record<string, unknown>} */
const seen = {};
await new Promise((resolve) => {
  let pending = 6;
  /** @param {string} name @param {unknown} store */
  const done = (name, store) => { seen[name] = store; if (--pending === 0) resolve(undefined); };
  als.run('setTimer', () => itimer.setTimer(() => done('setTimer', als.getStore()), 3));
  als.run('setTimeout', () => dropInTimeout(() => done('setTimeout', als.getStore()), 3));
  als.run('setInterval', () => { const i = dropInInterval(() => { dropInClear(i); done('setInterval', als.getStore()); }, 3); });
  als.run('alarmSignal', () => { const s = itimer.alarmSignal(3, { ref: true }); s.addEventListener('abort', () => done('alarmSignal', als.getStore())); });
  als.run('sleep', async () => { await itimer.sleep(3); done('sleep', als.getStore()); });
  itimer.setTimer(() => als.enterWith('leaked'), 4);
  itimer.setTimer(() => done('after enterWith', als.getStore() ?? 'none'), 4);
});
/** @type {string[]} */
const log = [];
await new Promise((done) => {
  /** @type {import('itimer/timers').Timeout[]} */
  const timers = [];
  for (const n of [1, 2, 3]) timers.push(dropInTimeout(() => { log.push('t' + n); process.nextTick(() => { log.push('tick' + n); if (n === 1) dropInClearTimeout(timers[2]); }); Promise.resolve().then(() => log.push('p' + n)); }, 5));
  dropInTimeout(() => done(undefined), 20);
});
console.log(JSON.stringify({ contexts: seen, order: log.join(' '), tickCallback: typeof (/** @type {{ _tickCallback?: unknown }} */ (/** @type {unknown} */ (process)))._tickCallback }));
