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
 * Three timers due at one expiry, each queueing a nextTick and a promise job; the first one's
 * nextTick cancels the third. `arm(fn, ms)` arms a timer, `cancel(t)` cancels one.
 */
const NEXT_TICK_SCENARIO = `
  const log = [];
  const timers = [];
  for (const n of [1, 2, 3]) {
    timers.push(arm(() => {
      log.push('t' + n);
      process.nextTick(() => { log.push('tick' + n); if (n === 1) cancel(timers[2]); });
      Promise.resolve().then(() => log.push('p' + n));
    }, 5));
  }
  arm(() => console.log(log.join(' ')), 20);
`;

for (const backend of BACKENDS) {
  test(`Node test-timers-next-tick on '${backend}': ticks and promise jobs of one timer run before the next timer, and can cancel it`, async (t) => {
    const [ours, node] = await Promise.all([
      runItimerScript(`const { setTimeout: arm, clearTimeout: cancel } = await import('./src/node/timers.ts'); ${NEXT_TICK_SCENARIO}`, { ITIMER_CLOCK: backend }),
      runItimerScript(`const arm = setTimeout, cancel = clearTimeout; ${NEXT_TICK_SCENARIO}`),
    ]);
    t.is(node.stdout, 't1 tick1 p1 t2 tick2 p2', node.stderr);
    t.is(ours.stdout, node.stdout, ours.stderr);
  });
}

test('a nextTick queued by a chain callback runs before an immediate queued with it (it is drained, not left for later)', async (t) => {
  const script = `
    const log = [];
    arm(() => {
      setImmediate(() => { log.push('immediate'); console.log(log.join(' ')); });
      process.nextTick(() => log.push('tick'));
      Promise.resolve().then(() => log.push('promise'));
      log.push('timer');
    }, 2);`;
  const [ours, node] = await Promise.all([
    runItimerScript(`const arm = (fn, ms) => itimer.setTimer(fn, ms); ${script}`),
    runItimerScript(`const arm = setTimeout; ${script}`),
  ]);
  t.is(node.stdout, 'timer tick promise immediate', node.stderr);
  t.is(ours.stdout, node.stdout, ours.stderr);
});

/** Each kind of timer, created inside `als.run(store)`, reports what its callback sees. */
const ASYNC_CONTEXT_SCENARIO = `
  const { AsyncLocalStorage } = await import('node:async_hooks');
  const { setTimeout: dropInTimeout, setInterval: dropInInterval, clearInterval: dropInClear } = await import('./src/node/timers.ts');
  const als = new AsyncLocalStorage();
  const seen = {};
  let pending = 6;
  const done = (name, store) => { seen[name] = store; if (--pending === 0) console.log(JSON.stringify(seen)); };
  als.run('setTimer', () => itimer.setTimer(() => done('setTimer', als.getStore()), 3));
  als.run('setTimeout', () => dropInTimeout(() => done('setTimeout', als.getStore()), 3));
  als.run('setInterval', () => { const i = dropInInterval(() => { dropInClear(i); done('setInterval', als.getStore()); }, 3); });
  als.run('alarmSignal', () => { const s = itimer.alarmSignal(3, { ref: true }); s.addEventListener('abort', () => done('alarmSignal', als.getStore())); });
  als.run('sleep', async () => { await itimer.sleep(3); done('sleep', als.getStore()); });
  // enterWith inside one callback stays in that callback's context.
  itimer.setTimer(() => als.enterWith('leaked'), 4);
  itimer.setTimer(() => done('after enterWith', als.getStore() ?? 'none'), 4);
`;

for (const backend of BACKENDS) {
  test(`Node test-async-local-storage-* on '${backend}': every timer kind runs in the context it was created in; enterWith does not leak`, async (t) => {
    const run = await runItimerScript(ASYNC_CONTEXT_SCENARIO, { ITIMER_CLOCK: backend });
    t.deepEqual(JSON.parse(run.stdout || '{}'), {
      setTimer: 'setTimer',
      setTimeout: 'setTimeout',
      setInterval: 'setInterval',
      alarmSignal: 'alarmSignal',
      sleep: 'sleep',
      'after enterWith': 'none',
    }, run.stderr);
  });
}

test('Node test-async-local-storage-enter-with: the store entered in one timer callback is not the next one\'s (Node agrees)', async (t) => {
  const script = `
    const { AsyncLocalStorage } = await import('node:async_hooks');
    const als = new AsyncLocalStorage();
    arm(() => als.enterWith('first'), 3);
    arm(() => console.log(als.getStore() ?? 'none'), 3);`;
  const [ours, node] = await Promise.all([
    runItimerScript(`const arm = (fn, ms) => itimer.setTimer(fn, ms); ${script}`),
    runItimerScript(`const arm = setTimeout; ${script}`),
  ]);
  t.is(node.stdout, 'none', node.stderr);
  t.is(ours.stdout, node.stdout, ours.stderr);
});

for (const backend of BACKENDS) {
  test(`Node test-timers-immediate-queue-throw on '${backend}': a throw reaches 'uncaughtException' before the next due callback`, async (t) => {
    const script = `
      const log = [];
      process.on('uncaughtException', (error) => log.push('handler ' + error.message));
      arm(() => { log.push('first'); throw new Error('boom'); }, 3);
      arm(() => log.push('second'), 3);
      arm(() => console.log(log.join(', ')), 10);`;
    const [ours, node] = await Promise.all([
      runItimerScript(`const { setTimeout: arm } = await import('./src/node/timers.ts'); ${script}`, { ITIMER_CLOCK: backend }),
      runItimerScript(`const arm = setTimeout; ${script}`),
    ]);
    t.is(node.stdout, 'first, handler boom, second', node.stderr);
    t.is(ours.stdout, node.stdout, ours.stderr);
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
