/**
 * `itimer/register` (docs/register.md): each guarantee in a child process that runs Node
 * with `--import itimer/register` (the package imports itself by name: `npm test` builds
 * dist first), side by side with the same program on Node's own timers where both can answer.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import nodeModule from 'node:module';

const root = fileURLToPath(new URL('../..', import.meta.url));
const hasSyncHooks = typeof (nodeModule as { registerHooks?: unknown }).registerHooks === 'function';

interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `code` (an ES module, or CommonJS for a `.cjs` name) with `args` before the file and `after` after it. */
async function node(code: string, args: string[], env: Record<string, string> = {}, name = 'program.mjs', after: string[] = []): Promise<Run> {
  const dir = mkdtempSync(join(root, '.register-test-'));
  const file = join(dir, name);
  writeFileSync(file, code);
  try {
    return await new Promise((resolve) => {
      const child = execFile(process.execPath, [...args, file, ...after], { cwd: root, encoding: 'utf8', timeout: 30_000, env: { ...process.env, ITIMER_CLOCK: '', ...env } }, (_error, stdout, stderr) =>
        resolve({ status: child.exitCode, signal: child.signalCode, stdout: stdout.trim(), stderr }),
      );
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const REGISTER = ['--import', 'itimer/register'];

test('--import itimer/register: the global setTimeout family, node:timers and node:timers/promises (imported) are the chain\'s; setImmediate stays Node\'s; registration() reports it', async (t) => {
  const run = await node(
    `import { setTimeout as imported, setInterval as importedInterval } from 'node:timers';
     import timers from 'timers';
     import * as promises from 'node:timers/promises';
     import timersPromises from 'timers/promises';
     import * as chainTimers from 'itimer/timers';
     import * as chainPromises from 'itimer/promises';
     import { registration } from 'itimer/register';
     const out = [];
     out.push(setTimeout === chainTimers.setTimeout, setInterval === chainTimers.setInterval, clearTimeout === chainTimers.clearTimeout, clearInterval === chainTimers.clearInterval);
     out.push(imported === chainTimers.setTimeout, importedInterval === chainTimers.setInterval, timers.setTimeout === chainTimers.setTimeout, timers.promises.setTimeout === chainPromises.setTimeout);
     out.push(promises.setTimeout === chainPromises.setTimeout, promises.setInterval === chainPromises.setInterval, timersPromises.scheduler === chainPromises.scheduler);
     out.push(typeof setImmediate(() => {}).hasRef, timers.setImmediate === setImmediate, typeof timers.enroll);
     console.log(out.join(' '));
     console.log(JSON.stringify(registration()));`,
    REGISTER,
  );
  t.is(run.stdout.split('\n')[0], 'true true true true true true true true true true true function true function', run.stderr);
  t.deepEqual(JSON.parse(run.stdout.split('\n')[1] ?? '{}'), {
    active: true,
    globals: ['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'AbortSignal.timeout'],
    modules: { import: true, require: hasSyncHooks },
  });
  t.is(run.stderr, '');
});

test(`--require itimer/register for a CommonJS program: the globals are the chain's; require('node:timers') is ${hasSyncHooks ? "the chain's (synchronous hooks)" : "Node's on this Node (no synchronous resolution hooks before Node 22.15)"}`, async (t) => {
  const run = await node(
    `const chainTimers = require('itimer/timers');
     const t0 = setTimeout(() => console.log('fired on the chain', typeof t0.rearmAbsolute), 1);
     console.log(setTimeout === chainTimers.setTimeout, require('node:timers').setTimeout === chainTimers.setTimeout, require('timers').setTimeout === chainTimers.setTimeout);`,
    ['--require', 'itimer/register'],
    {},
    'program.cjs',
  );
  t.is(run.stdout, `true ${hasSyncHooks} ${hasSyncHooks}\nfired on the chain function`, run.stderr);
});

test('ITIMER_REGISTER=0 turns it off for one run, silently: Node\'s timers everywhere', async (t) => {
  const run = await node(
    `import { setTimeout as imported } from 'node:timers';
     import { registration } from 'itimer/register';
     console.log(typeof setTimeout(() => {}, 1).rearmAbsolute, typeof imported(() => {}, 1).rearmAbsolute, registration().active, registration().reason);`,
    REGISTER,
    { ITIMER_REGISTER: '0' },
  );
  t.is(run.stdout, 'undefined undefined false ITIMER_REGISTER turns it off', run.stderr);
  t.is(run.stderr, '');
});

test('where the chain cannot start (a bad ITIMER_CLOCK) and in a Worker: Node\'s timers stay, with one warning saying why; no crash, no timer lost', async (t) => {
  const bad = await node(`setTimeout(() => console.log('fired', typeof setTimeout(() => {}, 0).rearmAbsolute), 2);`, REGISTER, { ITIMER_CLOCK: 'hpet' });
  t.is(bad.stdout, 'fired undefined', bad.stderr);
  t.is(bad.status, 0);
  t.is(bad.stderr.match(/\[ITIMER_REGISTER\]/g)?.length, 1, bad.stderr);
  t.regex(bad.stderr, /timer chain cannot start/);
  // A Worker runs no --import preload of its own; one that imports itimer/register keeps Node's timers.
  const worker = await node(
    `import { Worker } from 'node:worker_threads';
     const w = new Worker("import('itimer/register').then(() => setTimeout(() => console.log('worker timer fired, Node\\\\'s:', typeof setTimeout(() => {}, 0).rearmAbsolute === 'undefined'), 2));", { eval: true });
     w.on('exit', () => console.log('main timer on the chain:', typeof setTimeout(() => {}, 0).rearmAbsolute === 'function'));`,
    REGISTER,
  );
  t.is(worker.stdout, "worker timer fired, Node's: true\nmain timer on the chain: true", worker.stderr);
  t.is(worker.stderr.match(/\[ITIMER_REGISTER\]/g)?.length, 1, worker.stderr);
  t.regex(worker.stderr, /in a Worker thread/);
});

/**
 * Node's timer behaviours a program can observe: order of timers, nextTick and promise jobs;
 * async context; an error to 'uncaughtException' before the next timer; clearInterval from
 * its own callback; a refreshed timeout; promisified setTimeout; timers/promises' interval
 * and AbortSignal.timeout's reason; unref letting the process exit.
 */
const OBSERVABLE = `
  import { AsyncLocalStorage } from 'node:async_hooks';
  import { promisify } from 'node:util';
  import { setInterval as every, setTimeout as wait } from 'node:timers/promises';
  const out = [];
  const als = new AsyncLocalStorage();
  process.on('uncaughtException', (e) => out.push('uncaught ' + e.message));
  await new Promise((resolve) => {
    for (const n of [1, 2, 3]) setTimeout(() => {
      out.push('t' + n);
      process.nextTick(() => out.push('tick' + n));
      Promise.resolve().then(() => out.push('p' + n));
      if (n === 2) throw new Error('boom');
    }, 3);
    als.run('ctx', () => setTimeout(() => out.push('store ' + als.getStore()), 4));
    let count = 0;
    const interval = setInterval(() => { if (++count === 3) { clearInterval(interval); out.push('interval 3'); resolve(); } }, 2);
  });
  const refreshed = setTimeout(() => out.push('refreshed fired'), 5);
  refreshed.refresh();
  await promisify(setTimeout)(8, 'x').then((v) => out.push('promisified ' + v));
  out.push('wait ' + (await wait(2, 'w')));
  let ticks = 0;
  for await (const tick of every(2, 'i')) { if (++ticks === 2) { out.push('every ' + tick); break; } }
  const signal = AbortSignal.timeout(2);
  const keepAlive = setTimeout(() => {}, 1000); // AbortSignal.timeout's timer is unref'd
  await new Promise((resolve) => signal.addEventListener('abort', resolve));
  clearTimeout(keepAlive);
  out.push('abort ' + signal.reason.name);
  setTimeout(() => out.push('never: unref'), 60_000).unref();
  process.on('exit', () => console.log(out.join(', ')));
`;

test('the same observable behaviour with and without the switch: Node\'s ordering, nextTick and promise jobs, async context, errors, intervals, refresh, promisify, timers/promises, AbortSignal.timeout, unref and exit', async (t) => {
  const [node1, ours] = await Promise.all([node(OBSERVABLE, []), node(OBSERVABLE, REGISTER)]);
  t.is(node1.status, 0, node1.stderr);
  // Node's own order: the handler runs at once, then the next timer, then the thrower's jobs.
  t.regex(node1.stdout, /^t1, tick1, p1, t2, uncaught boom, t3, tick2, tick3, p2, p3, /);
  t.is(ours.stdout, node1.stdout, ours.stderr);
  t.is(ours.status, 0);
});

test('fake clocks installed over it restore the registered functions: @sinonjs/fake-timers, node:test mock timers; itimer\'s virtual time drives them', async (t) => {
  const run = await node(
    `import FakeTimers from '@sinonjs/fake-timers';
     import { mock } from 'node:test';
     import * as chainTimers from 'itimer/timers';
     import { virtualTime } from 'itimer';
     const ours = () => setTimeout === chainTimers.setTimeout && clearTimeout === chainTimers.clearTimeout;
     const out = [ours()];
     const clock = FakeTimers.install();
     let fired = false;
     setTimeout(() => (fired = true), 10);
     clock.tick(10);
     out.push(!ours() && fired);
     clock.uninstall();
     out.push(ours());
     process.emitWarning = () => {}; // node:test's MockTimers is experimental on Node 20
     mock.timers.enable({ apis: ['setTimeout'] });
     out.push(!ours());
     mock.timers.reset();
     out.push(ours());
     const install = virtualTime.install();
     let virtualFired = 0;
     setTimeout(() => (virtualFired = virtualTime.nowMs()), 25);
     virtualTime.tick(30);
     install.uninstall();
     out.push(virtualFired);
     console.log(out.join(' '));`,
    REGISTER,
  );
  t.is(run.stdout, 'true true true true true 25', run.stderr);
});

test('AbortSignal.timeout under the switch: Node\'s argument checks and codes, a TimeoutError reason, never keeping the process alive', async (t) => {
  const script = `
    const codes = [];
    for (const bad of ['1', -1, 1.5, 2 ** 32, Number.NaN]) { try { AbortSignal.timeout(bad); codes.push('accepted'); } catch (e) { codes.push(e.code); } }
    console.log(codes.join(' '));
    const s = AbortSignal.timeout(1);
    s.addEventListener('abort', () => console.log(s.reason.name, s.reason instanceof DOMException));
    setTimeout(() => {}, 5);
    AbortSignal.timeout(60_000); // unref'd: the process still ends`;
  const [plain, ours] = await Promise.all([node(script, []), node(script, REGISTER)]);
  t.is(plain.stdout, 'ERR_INVALID_ARG_TYPE ERR_OUT_OF_RANGE ERR_OUT_OF_RANGE ERR_OUT_OF_RANGE ERR_OUT_OF_RANGE\nTimeoutError true', plain.stderr);
  t.is(ours.stdout, plain.stdout, ours.stderr);
  t.is(ours.status, 0);
});

test('widely used packages behave the same with and without the switch: p-timeout, p-retry, p-queue', async (t) => {
  const script = `
    import pTimeout, { TimeoutError } from 'p-timeout';
    import pRetry from 'p-retry';
    import PQueue from 'p-queue';
    const out = [];
    const slow = new Promise((resolve) => setTimeout(resolve, 50, 'late'));
    try { await pTimeout(slow, { milliseconds: 5 }); } catch (e) { out.push('p-timeout ' + (e instanceof TimeoutError)); }
    out.push('p-timeout in time ' + (await pTimeout(new Promise((r) => setTimeout(r, 2, 'ok')), { milliseconds: 50 })));
    let attempts = 0;
    out.push('p-retry ' + (await pRetry(async () => { if (++attempts < 3) throw new Error('again'); return attempts; }, { retries: 5, minTimeout: 2, factor: 1 })));
    // Two tasks per 30 ms window; in each, the second task's timer is 18 ms shorter, so the
    // order is the rate limiter's and the timers', not a race between two close deadlines.
    const queue = new PQueue({ concurrency: 2, interval: 30, intervalCap: 2 });
    const order = [];
    await Promise.all([1, 2, 3, 4, 5].map((n) => queue.add(async () => { await new Promise((r) => setTimeout(r, n % 2 ? 20 : 2)); order.push(n); })));
    out.push('p-queue ' + order.join(''));
    const timed = new PQueue({ timeout: 5, throwOnTimeout: true });
    try { await timed.add(() => new Promise((r) => setTimeout(r, 50))); } catch (e) { out.push('p-queue timeout ' + e.name); }
    console.log(out.join(', '));
    process.exit(0);`;
  const [plain, ours] = await Promise.all([node(script, []), node(script, REGISTER)]);
  t.is(plain.status, 0, plain.stderr);
  t.is(ours.stdout, plain.stdout, ours.stderr);
});

test('itimer run SCRIPT ARGS: the program runs registered, gets its arguments, and its exit status or terminating signal is the command\'s; --report says what was replaced', async (t) => {
  const cli = join(root, 'dist/cli/main.js');
  const ok = await node(`console.log(process.argv.slice(2).join(' '), typeof setTimeout(() => {}, 0).rearmAbsolute); process.exitCode = 3;`, [cli, 'run', '--report', '--'], {}, 'app.mjs', ['a', '--b', 'c d']);
  t.is(ok.status, 3, ok.stderr);
  t.is(ok.stdout, 'a --b c d function');
  t.regex(ok.stderr, /itimer\/register: \{"active":true/);
  const killed = await node(`process.kill(process.pid, 'SIGTERM'); setTimeout(() => {}, 1000);`, [cli, 'run'], {}, 'app.mjs');
  t.is(killed.signal, 'SIGTERM');
  const usage = await node(`console.log('unused')`, [cli, 'run', '--bogus'], {}, 'app.mjs');
  t.is(usage.status, 2);
  t.regex(usage.stderr, /Usage: itimer run/);
});
