/**
 * Callbacks run the way Node runs them (issue "callbacks run the way Node runs them", the
 * first table), on every backend, each scenario in a child process run side by side with
 * Node's own timers where both can answer:
 * - Node test/parallel/test-timers-next-tick.js: nextTick callbacks and promise jobs queued
 *   by a timer callback run before the next timer of the same expiry;
 * - Node test/async-hooks/test-async-local-storage-*.js: a timer callback sees the store of
 *   its creation, and `enterWith` in one callback does not leak into the next;
 * - Node test/parallel/test-timers-immediate-queue-throw.js (and the uncaught-exception
 *   tests): a throw reaches 'uncaughtException' before the next callback runs;
 * - the wake path's guard, the library's independence from the globals, and the id space.
 */
import test from 'ava';
import { runItimerScript } from '../helpers.js';

const BACKENDS = ['timerfd', 'dynticks', 'unix', 'libuv'] as const;

/**
 * The scenarios, run one after another in one child process (one per backend, and one on
 * Node's own timers): each takes `arm(fn, ms)` / `cancel(t)` and resolves with its output.
 * - next-tick: three timers due at one expiry, each queueing a nextTick and a promise job;
 *   the first one's nextTick cancels the third (Node test-timers-next-tick);
 * - immediate: a nextTick and a promise job queued by a timer run before an immediate queued
 *   with them (drained, not left for later);
 * - enter-with: the store entered in one timer callback is not the next one's;
 * - throw: with two callbacks due in one pass, a throw reaches 'uncaughtException' before the
 *   next due callback, and, as in Node (its timer loop starts over after the handler), the
 *   thrower's nextTicks and promise jobs run after that next callback (Node
 *   test-timers-immediate-queue-throw).
 */
const SCENARIOS = `
  const { AsyncLocalStorage } = await import('node:async_hooks');
  const als = new AsyncLocalStorage();
  const results = {};
  const until = (fn) => new Promise((resolve) => fn(resolve));
  results.nextTick = await until((done) => {
    const log = [];
    const timers = [];
    for (const n of [1, 2, 3]) {
      timers.push(arm(() => {
        log.push('t' + n);
        process.nextTick(() => { log.push('tick' + n); if (n === 1) cancel(timers[2]); });
        Promise.resolve().then(() => log.push('p' + n));
      }, 5));
    }
    arm(() => done(log.join(' ')), 20);
  });
  results.immediate = await until((done) => {
    const log = [];
    arm(() => {
      setImmediate(() => { log.push('immediate'); done(log.join(' ')); });
      process.nextTick(() => log.push('tick'));
      Promise.resolve().then(() => log.push('promise'));
      log.push('timer');
    }, 2);
  });
  results.enterWith = await until((done) => {
    arm(() => als.enterWith('first'), 3);
    arm(() => done(als.getStore() ?? 'none'), 3);
  });
  results.throw = await until((done) => {
    const log = [];
    const handler = (error) => log.push('handler ' + error.message);
    process.on('uncaughtException', handler);
    arm(() => {
      log.push('first');
      process.nextTick(() => log.push('tick'));
      Promise.resolve().then(() => log.push('promise'));
      throw new Error('boom');
    }, 3);
    arm(() => log.push('second'), 3);
    // Both due before the loop next looks (a precise clock could otherwise wake between the
    // two deadlines on a loaded machine): the order under test is the one within one pass.
    for (const end = Date.now() + 6; Date.now() < end;);
    arm(() => { process.off('uncaughtException', handler); done(log.join(', ')); }, 10);
  });
  console.log(JSON.stringify(results));
`;

/** What every timer kind, created inside \`als.run(store)\`, sees in its callback. */
const ASYNC_CONTEXT = `
  const { setTimeout: dropInTimeout, setInterval: dropInInterval, clearInterval: dropInClear } = await import('./src/node/timers.ts');
  const seen = {};
  await new Promise((resolve) => {
    let pending = 6;
    const done = (name, store) => { seen[name] = store; if (--pending === 0) resolve(); };
    als.run('setTimer', () => itimer.setTimer(() => done('setTimer', als.getStore()), 3));
    als.run('setTimeout', () => dropInTimeout(() => done('setTimeout', als.getStore()), 3));
    als.run('setInterval', () => { const i = dropInInterval(() => { dropInClear(i); done('setInterval', als.getStore()); }, 3); });
    als.run('alarmSignal', () => { const s = itimer.alarmSignal(3, { ref: true }); s.addEventListener('abort', () => done('alarmSignal', als.getStore())); });
    als.run('sleep', async () => { await itimer.sleep(3); done('sleep', als.getStore()); });
    itimer.setTimer(() => als.enterWith('leaked'), 4); // stays in that callback's context
    itimer.setTimer(() => done('after enterWith', als.getStore() ?? 'none'), 4);
  });
  console.log(JSON.stringify(seen));
`;

const nodeReference = runItimerScript(`const arm = setTimeout, cancel = clearTimeout; ${SCENARIOS}`, {}, 60_000);

for (const backend of BACKENDS) {
  test(`on '${backend}', as Node: test-timers-next-tick (ticks and promise jobs between timers), test-timers-immediate-queue-throw (the handler before the next timer), test-async-local-storage-* (the creation's context, enterWith kept in its callback)`, async (t) => {
    const run = await runItimerScript(
      `const { setTimeout: arm, clearTimeout: cancel } = await import('./src/node/timers.ts'); ${SCENARIOS} ${ASYNC_CONTEXT}`,
      { ITIMER_CLOCK: backend },
      60_000,
    );
    const node = await nodeReference;
    const expected = { nextTick: 't1 tick1 p1 t2 tick2 p2', immediate: 'timer tick promise immediate', enterWith: 'none', throw: 'first, handler boom, second, tick, promise' };
    t.deepEqual(JSON.parse(node.stdout || '{}'), expected, node.stderr);
    const [ours, contexts] = run.stdout.split('\n');
    t.deepEqual(JSON.parse(ours || '{}'), expected, run.stderr);
    t.deepEqual(JSON.parse(contexts || '{}'), {
      setTimer: 'setTimer',
      setTimeout: 'setTimeout',
      setInterval: 'setInterval',
      alarmSignal: 'alarmSignal',
      sleep: 'sleep',
      'after enterWith': 'none',
    }, run.stderr);
  });
}

test('Node test-timers-uncaught-exception: with no handler a throwing callback ends the process as Node does (its stack printed, exit code 1, exit event)', async (t) => {
  const script = `
    process.on('exit', (code) => console.log('exit', code));
    arm(() => { throw new Error('boom at its source'); }, 2);
    arm(() => console.log('never'), 2);`;
  const [ours, node] = await Promise.all([
    runItimerScript(`const arm = (fn, ms) => itimer.setTimer(fn, ms); ${script}`),
    runItimerScript(`const arm = setTimeout; ${script}`),
  ]);
  t.is(node.status, 1);
  t.is(ours.status, node.status, ours.stderr);
  t.is(ours.stdout, node.stdout);
  t.regex(ours.stderr, /Error: boom at its source/);
});

test('the wake path: a host re-arm that throws is reported (a warning), the chain moves to the next backend and its timers still fire', async (t) => {
  const run = await runItimerScript(`
    process.on('warning', (w) => console.log('warning', w.code));
    itimer.configureAlarms('timerfd,dynticks');
    itimer.getChain();
    itimer.activeAlarm(); // the chain is on timerfd now, not on its bootstrap backend
    const chain = itimer.getChain();
    const backend = chain.backend;
    backend.rearm = () => { throw Object.assign(new Error('EBADF: bad file descriptor, timerfd_settime'), { code: 'EBADF' }); };
    let fired = 0;
    itimer.setTimer(() => { fired++; }, 1);
    itimer.setTimer(() => { fired++; }, 3);
    itimer.setTimer(() => console.log('fired', fired + 1, 'on', itimer.activeAlarm()), 6);
  `);
  t.is(run.status, 0, run.stderr);
  t.is(run.stdout, 'warning ITIMER_BACKEND_FAILED\nfired 3 on dynticks');
});

test('the wake path: on a private chain a failing re-arm is an uncaught exception, and the chain stays consistent', async (t) => {
  const run = await runItimerScript(`
    const { TimerChain } = await import('./src/chain/chain.ts');
    const { Waiter } = await import('./src/chain/waiter.ts');
    const { libuvBackend } = await import('./src/backends/libuv.ts');
    const chain = new TimerChain();
    const backend = libuvBackend();
    chain.start(backend);
    const rearm = backend.rearm;
    let failures = 1;
    backend.rearm = (...args) => { if (failures-- > 0) throw new Error('injected'); return rearm(...args); };
    process.on('uncaughtException', (e) => { console.log('uncaught', e.message); chain.verify(); chain.refreshHost(); });
    const w = new Waiter(() => console.log('fired'));
    w.deadlineNs = chain.now() + 2e6;
    chain.arm(w);
  `);
  t.is(run.stdout, 'uncaught injected\nfired', run.stderr);
});

test('a poll watcher whose callback throws reports it and never aborts the process', async (t) => {
  const run = await runItimerScript(`
    const { openSync, closeSync, writeSync, mkdtempSync, rmSync, constants } = await import('node:fs');
    const { execFileSync } = await import('node:child_process');
    const { watchReadable } = await import('./src/host/poll.ts');
    const dir = mkdtempSync('/tmp/itimer-fifo-');
    execFileSync('mkfifo', [dir + '/fifo']);
    const fd = openSync(dir + '/fifo', constants.O_RDWR | constants.O_NONBLOCK);
    rmSync(dir, { recursive: true });
    writeSync(fd, 'x'); // readable from now on
    process.on('uncaughtException', (e) => console.log('uncaught', e.message));
    const watcher = watchReadable(fd, () => { watcher.close(); closeSync(fd); throw new Error('from the wake path'); });
    watcher.ref();
    setTimeout(() => { globalThis.gc?.(); console.log('alive'); }, 20);
  `, {}, 20_000, ['--expose-gc']);
  t.is(run.status, 0, run.stderr);
  t.is(run.stdout, 'uncaught from the wake path\nalive');
});

for (const backend of BACKENDS) {
  test(`no reliance on globals on '${backend}': a top-level const setInterval/setTimeout in node -e shadows the globals, and timers still fire`, async (t) => {
    const code = `
      const { setInterval, clearInterval, setTimeout } = require('./dist/node/timers.js');
      let n = 0;
      const interval = setInterval(() => { if (++n === 3) { clearInterval(interval); setTimeout(() => console.log('done', n), 1); } }, 1);`;
    const { execFile } = await import('node:child_process');
    const result = await new Promise<{ stdout: string; stderr: string; code: number | null }>((resolve) => {
      const child = execFile(process.execPath, ['-e', code], { cwd: new URL('../..', import.meta.url), env: { ...process.env, ITIMER_CLOCK: backend }, timeout: 15_000 }, (_e, stdout, stderr) =>
        resolve({ stdout: stdout.trim(), stderr, code: child.exitCode }),
      );
    });
    t.is(result.stdout, 'done 3', result.stderr);
    t.is(result.code, 0);
  });
}

test('ids: +timer is its async id, from the counter Node\'s own timers use, so no itimer id is ever a Node timer\'s', async (t) => {
  const run = await runItimerScript(`
    const ours = [], nodes = [];
    for (let i = 0; i < 50; i++) {
      const a = itimer.setTimer(() => {}, 1e6); ours.push(a);
      const b = setTimeout(() => {}, 1e6); nodes.push(b);
    }
    const ourIds = new Set(ours.map((x) => +x));
    const clash = nodes.filter((x) => ourIds.has(+x)).length;
    for (const b of nodes) itimer.clearTimer(+b); // a Node timer's id cancels no itimer timer
    console.log(ours.every((x) => +x === x.asyncId()), clash, ours.every((x) => x.armed));
    for (const a of ours) itimer.clearTimer(String(+a));
    for (const b of nodes) clearTimeout(b);
    console.log(ours.some((x) => x.armed));
  `);
  t.is(run.stdout, 'true 0 true\nfalse', run.stderr);
});
