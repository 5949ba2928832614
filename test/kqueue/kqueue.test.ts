/**
 * kevent() semantics, in the spirit of FreeBSD's kqueue(2) and libkqueue's timer and user
 * tests; timers on virtual time, so every count is exact.
 */
import { execFile } from 'node:child_process';
import test from 'ava';
import {
  configureAlarms,
  EV_ADD,
  EV_CLEAR,
  EV_DELETE,
  EV_DISABLE,
  EV_DISPATCH,
  EV_ENABLE,
  EV_ERROR,
  EV_ONESHOT,
  EV_RECEIPT,
  EVFILT_TIMER,
  EVFILT_USER,
  Kqueue,
  NOTE_ABSTIME,
  NOTE_FFAND,
  NOTE_FFCOPY,
  NOTE_FFOR,
  NOTE_MSECONDS,
  NOTE_NSECONDS,
  NOTE_SECONDS,
  NOTE_TRIGGER,
  NOTE_USECONDS,
  virtualTime,
} from '../../src/index.js';
import { runItimerScript } from '../helpers.js';

configureAlarms('virtual');
const POLL = { sec: 0, nsec: 0 };
const EINVAL = 22;
const ENOENT = 2;

test.serial('a periodic timer: data counts expirations since the last retrieval; EV_CLEAR is implied', async (t) => {
  using kq = new Kqueue();
  await kq.kevent([{ ident: 1, filter: EVFILT_TIMER, flags: EV_ADD, data: 10, udata: 'tick' }]);
  virtualTime.tick(35);
  t.deepEqual(await kq.kevent([], 4, POLL), [{ ident: 1, filter: EVFILT_TIMER, flags: EV_CLEAR, fflags: 0, data: 3, udata: 'tick' }]);
  t.deepEqual(await kq.kevent([], 4, POLL), [], 'cleared on retrieval');
  virtualTime.tick(10);
  t.is((await kq.kevent([], 4, POLL))[0]?.data, 1);
});

test.serial('units: NOTE_SECONDS, NOTE_MSECONDS (default), NOTE_USECONDS, NOTE_NSECONDS', async (t) => {
  using kq = new Kqueue();
  await kq.kevent([
    { ident: 1, filter: EVFILT_TIMER, flags: EV_ADD | EV_ONESHOT, fflags: NOTE_SECONDS, data: 1 },
    { ident: 2, filter: EVFILT_TIMER, flags: EV_ADD | EV_ONESHOT, fflags: NOTE_MSECONDS, data: 1000 },
    { ident: 3, filter: EVFILT_TIMER, flags: EV_ADD | EV_ONESHOT, fflags: NOTE_USECONDS, data: 1_000_000 },
    { ident: 4, filter: EVFILT_TIMER, flags: EV_ADD | EV_ONESHOT, fflags: NOTE_NSECONDS, data: 1_000_000_000 },
    { ident: 5, filter: EVFILT_TIMER, flags: EV_ADD | EV_ONESHOT, data: 999 },
  ]);
  virtualTime.tick({ ns: 999_999_999 });
  t.deepEqual((await kq.kevent([], 8, POLL)).map((e) => e.ident), [5]);
  virtualTime.tick({ ns: 1 });
  t.deepEqual((await kq.kevent([], 8, POLL)).map((e) => e.ident).sort(), [1, 2, 3, 4]);
});

test.serial('EV_ONESHOT fires once and is deleted; NOTE_ABSTIME fires once at an absolute time', async (t) => {
  using kq = new Kqueue();
  await kq.kevent([
    { ident: 1, filter: EVFILT_TIMER, flags: EV_ADD | EV_ONESHOT, data: 5 },
    { ident: 2, filter: EVFILT_TIMER, flags: EV_ADD | EV_CLEAR, fflags: NOTE_ABSTIME | NOTE_MSECONDS, data: Date.now() + 20 },
  ]);
  virtualTime.tick(100);
  const events = await kq.kevent([], 4, POLL);
  t.deepEqual(events.map((e) => [e.ident, e.data]).sort(), [[1, 1], [2, 1]]);
  virtualTime.tick(100);
  t.deepEqual(await kq.kevent([], 4, POLL), []);
  const gone = await kq.kevent([{ ident: 1, filter: EVFILT_TIMER, flags: EV_DELETE }], 1);
  t.deepEqual(gone.map((e) => [e.flags, e.data]), [[EV_ERROR, ENOENT]], 'the one-shot knote is gone');
});

test.serial('FreeBSD filt_timerattach: a NOTE_ABSTIME timer gets no EV_CLEAR, so once fired it is reported on every scan until deleted or re-added', async (t) => {
  using kq = new Kqueue();
  await kq.kevent([{ ident: 3, filter: EVFILT_TIMER, flags: EV_ADD, fflags: NOTE_ABSTIME | NOTE_MSECONDS, data: Date.now() + 20 }]);
  virtualTime.tick(100);
  const first = await kq.kevent([], 4, POLL);
  t.deepEqual(first, [{ ident: 3, filter: EVFILT_TIMER, flags: 0, fflags: 0, data: 1, udata: undefined }], 'no EV_CLEAR; fflags 0 on return');
  t.deepEqual(await kq.kevent([], 4, POLL), first, 'still triggered');
  await kq.kevent([{ ident: 3, filter: EVFILT_TIMER, flags: EV_ADD, fflags: NOTE_ABSTIME | NOTE_SECONDS, data: Math.floor(Date.now() / 1000) + 3600 }]);
  t.deepEqual(await kq.kevent([], 4, POLL), [], 're-adding drops the expiration');
});

test.serial('re-adding a timer restarts it and drops expirations not yet retrieved', async (t) => {
  using kq = new Kqueue();
  await kq.kevent([{ ident: 7, filter: EVFILT_TIMER, flags: EV_ADD, data: 10 }]);
  virtualTime.tick(25);
  await kq.kevent([{ ident: 7, filter: EVFILT_TIMER, flags: EV_ADD, data: 20 }]);
  t.deepEqual(await kq.kevent([], 1, POLL), []);
  virtualTime.tick(20);
  t.is((await kq.kevent([], 1, POLL))[0]?.data, 1);
});

test.serial('errors are posted as EV_ERROR entries when there is room, else kevent fails', async (t) => {
  using kq = new Kqueue();
  const errors = await kq.kevent(
    [
      { ident: 1, filter: EVFILT_TIMER, flags: EV_ADD, data: -1 },
      { ident: 2, filter: EVFILT_TIMER, flags: EV_ADD, fflags: 0x100, data: 5 },
      { ident: 3, filter: EVFILT_TIMER, flags: EV_ADD, fflags: NOTE_SECONDS | NOTE_USECONDS, data: 5 },
      { ident: 4, filter: -99, flags: EV_ADD },
      { ident: 5, filter: EVFILT_USER, flags: EV_DELETE },
      { ident: 6, filter: EVFILT_TIMER, flags: EV_ADD, data: 5 },
    ],
    8,
  );
  t.deepEqual(errors.map((e) => [e.ident, e.flags, e.data]), [
    [1, EV_ERROR, EINVAL],
    [2, EV_ERROR, EINVAL],
    [3, EV_ERROR, EINVAL],
    [4, EV_ERROR, EINVAL],
    [5, EV_ERROR, ENOENT],
  ]);
  await t.throwsAsync(kq.kevent([{ ident: 9, filter: EVFILT_TIMER, flags: EV_DELETE }], 0), { code: 'ENOENT', message: 'ENOENT: no such file or directory, kevent' });
  await t.throwsAsync(kq.kevent([], 1, { sec: 0, nsec: 1e9 }), { code: 'EINVAL' });
});

test.serial('EV_RECEIPT reports every change, success as data 0, without waiting', async (t) => {
  using kq = new Kqueue();
  const receipts = await kq.kevent(
    [
      { ident: 1, filter: EVFILT_USER, flags: EV_ADD | EV_RECEIPT },
      { ident: 2, filter: EVFILT_USER, flags: EV_DELETE | EV_RECEIPT },
    ],
    2,
  );
  t.deepEqual(receipts.map((e) => [e.ident, e.flags, e.data]), [
    [1, EV_ERROR, 0],
    [2, EV_ERROR, ENOENT],
  ]);
});

test.serial('the timer limit (kq_calloutmax) gives ENOMEM', async (t) => {
  using kq = new Kqueue({ maxTimers: 2 });
  const results = await kq.kevent([1, 2, 3].map((ident) => ({ ident, filter: EVFILT_TIMER, flags: EV_ADD | EV_RECEIPT, data: 100 })), 3);
  t.deepEqual(results.map((e) => e.data), [0, 0, 12]);
  await kq.kevent([{ ident: 1, filter: EVFILT_TIMER, flags: EV_DELETE }]);
  t.deepEqual((await kq.kevent([{ ident: 3, filter: EVFILT_TIMER, flags: EV_ADD | EV_RECEIPT, data: 100 }], 1)).map((e) => e.data), [0]);
});

test.serial('EV_DISABLE keeps counting; EV_ENABLE reports what accumulated; EV_DISPATCH disables after each report', async (t) => {
  using kq = new Kqueue();
  await kq.kevent([{ ident: 1, filter: EVFILT_TIMER, flags: EV_ADD | EV_DISABLE, data: 10 }]);
  virtualTime.tick(30);
  t.deepEqual(await kq.kevent([], 1, POLL), []);
  await kq.kevent([{ ident: 1, filter: EVFILT_TIMER, flags: EV_ENABLE }]);
  t.is((await kq.kevent([], 1, POLL))[0]?.data, 3);
  await kq.kevent([{ ident: 2, filter: EVFILT_TIMER, flags: EV_ADD | EV_DISPATCH, data: 10 }]);
  virtualTime.tick(10);
  const first = await kq.kevent([], 4, POLL);
  t.deepEqual(first.map((e) => e.ident).sort(), [1, 2]);
  virtualTime.tick(20);
  t.deepEqual((await kq.kevent([], 4, POLL)).map((e) => e.ident), [1], 'dispatched: disabled after its report');
  await kq.kevent([{ ident: 2, filter: EVFILT_TIMER, flags: EV_ENABLE }]);
  t.deepEqual((await kq.kevent([], 4, POLL)).map((e) => [e.ident, e.data]), [[2, 2]]);
});

test.serial('EVFILT_USER: NOTE_TRIGGER, the fflags operations, EV_CLEAR', async (t) => {
  using kq = new Kqueue();
  await kq.kevent([{ ident: 1, filter: EVFILT_USER, flags: EV_ADD | EV_CLEAR, fflags: NOTE_FFCOPY | 0x5 }]);
  t.deepEqual(await kq.kevent([], 1, POLL), [], 'not triggered yet');
  await kq.kevent([{ ident: 1, filter: EVFILT_USER, fflags: NOTE_FFOR | 0x2 }]);
  await kq.kevent([{ ident: 1, filter: EVFILT_USER, fflags: NOTE_TRIGGER | NOTE_FFAND | 0x6, data: 42 }]);
  t.deepEqual(await kq.kevent([], 1, POLL), [{ ident: 1, filter: EVFILT_USER, flags: EV_CLEAR, fflags: 0x6, data: 42, udata: undefined }]);
  t.deepEqual(await kq.kevent([], 1, POLL), [], 'EV_CLEAR: reset after retrieval');
  await kq.kevent([{ ident: 2, filter: EVFILT_USER, flags: EV_ADD, fflags: NOTE_TRIGGER }]);
  t.is((await kq.kevent([], 1, POLL)).length, 1);
  t.is((await kq.kevent([], 1, POLL)).length, 1, 'without EV_CLEAR it stays triggered');
  await kq.kevent([{ ident: 2, filter: EVFILT_USER, flags: EV_CLEAR }]);
  t.deepEqual(await kq.kevent([], 1, POLL), [], 'EV_CLEAR as a modification resets it');
});

test.serial('timeouts: null waits for an event, a timespec waits at most that long on the chain', async (t) => {
  using kq = new Kqueue();
  await kq.kevent([{ ident: 1, filter: EVFILT_USER, flags: EV_ADD | EV_CLEAR }]);
  const waiting = kq.kevent([], 1, null);
  setImmediate(() => void kq.kevent([{ ident: 1, filter: EVFILT_USER, fflags: NOTE_TRIGGER }]));
  t.is((await waiting)[0]?.ident, 1);
  const bounded = kq.kevent([], 1, { sec: 0, nsec: 5_000_000 });
  await new Promise((resolve) => setImmediate(resolve));
  virtualTime.tick({ ms: 5 });
  t.deepEqual(await bounded, []);
});

test.serial('the async iterator yields events; close ends it and fails pending calls with EBADF', async (t) => {
  const kq = new Kqueue();
  await kq.kevent([{ ident: 3, filter: EVFILT_TIMER, flags: EV_ADD, data: 10 }]);
  const seen: number[] = [];
  const iterating = (async () => {
    for await (const event of kq) seen.push(event.data);
  })();
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    virtualTime.tick(10);
  }
  await new Promise((resolve) => setImmediate(resolve));
  const pending = new Kqueue();
  const waiting = pending.kevent([], 1);
  pending.close();
  await t.throwsAsync(waiting, { code: 'EBADF' });
  kq.close();
  await iterating;
  t.deepEqual(seen, [1, 1, 1]);
  await t.throwsAsync(kq.kevent([], 1), { code: 'EBADF' });
});

test('in a Worker, an EV_ADD of EVFILT_SIGNAL rejects the whole call with ERR_ITIMER_MAIN_THREAD_ONLY before any change is applied', async (t) => {
  const run = await runItimerScript(`
    const { Worker } = await import('node:worker_threads');
    const entry = new URL('./dist/index.js', 'file://' + process.cwd() + '/').href; // Workers get no TypeScript loader: build first
    const code = \`
      const itimer = await import(\${JSON.stringify(entry)});
      const { parentPort } = await import('node:worker_threads');
      const { EV_ADD, EV_DELETE, EV_RECEIPT, EVFILT_SIGNAL, EVFILT_USER, Kqueue } = itimer;
      const kq = new Kqueue();
      const out = [];
      try {
        await kq.kevent([{ ident: 1, filter: EVFILT_USER, flags: EV_ADD | EV_RECEIPT }, { ident: 12, filter: EVFILT_SIGNAL, flags: EV_ADD }], 4);
        out.push('allowed');
      } catch (e) { out.push(e.code); }
      const [probe] = await kq.kevent([{ ident: 1, filter: EVFILT_USER, flags: EV_DELETE | EV_RECEIPT }], 1);
      out.push('user knote ' + (probe.data === 0 ? 'was added' : 'not added'));
      kq.close();
      parentPort.postMessage(out.join('; '));
    \`;
    const worker = new Worker(code, { eval: true });
    console.log(await new Promise((resolve, reject) => { worker.once('message', resolve); worker.once('error', reject); }));`);
  t.is(run.stdout, 'ERR_ITIMER_MAIN_THREAD_ONLY; user knote not added', run.stderr);
});

test('a waiting kevent() keeps the process alive with Node\'s own setInterval, taken when the module loads: a script\'s top-level `const setInterval` does not reach it', async (t) => {
  // In a script (node -e, the REPL) a top-level const is a global lexical binding: it shadows
  // globalThis.setInterval for every module of the realm, as `const { setInterval } = require('itimer/timers')` does.
  const script = `
    const setInterval = () => { throw new Error('the script\\'s setInterval was called'); };
    const clearInterval = () => { throw new Error('the script\\'s clearInterval was called'); };
    import('./src/kqueue/index.ts').then(async ({ Kqueue, EV_ADD, EVFILT_USER, NOTE_TRIGGER }) => {
      const kq = new Kqueue();
      await kq.kevent([{ ident: 1, filter: EVFILT_USER, flags: EV_ADD }]);
      const waiting = kq.kevent([], 1); // no timeout: held alive by the keep-alive interval alone
      globalThis.setTimeout(() => kq.kevent([{ ident: 1, filter: EVFILT_USER, fflags: NOTE_TRIGGER }]), 50);
      console.log('woken with', (await waiting).length, 'event');
      kq.close();
    });`;
  const run = await new Promise<{ stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [...process.execArgv, '-e', script], { cwd: new URL('../..', import.meta.url), encoding: 'utf8', timeout: 20_000 }, (_error, stdout, stderr) =>
      resolve({ stdout: stdout.trim(), stderr }),
    );
  });
  t.is(run.stdout, 'woken with 1 event', run.stderr);
});
