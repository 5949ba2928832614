/**
 * kqueue where the DragonFly seed is silent: FreeBSD's sys/kern/kern_event.c decides
 * (kqueue_register, filt_timerattach, filt_timervalidate, timer2sbintime), and the
 * expectations of FreeBSD's tests/sys/kqueue (libkqueue timer.c, user.c, signal.c).
 * Input the C struct could not hold is refused before any change is applied.
 */
import { inspect } from 'node:util';
import test from 'ava';
import {
  configureAlarms,
  EV_ADD,
  EV_CLEAR,
  EV_DELETE,
  EV_DISABLE,
  EV_ENABLE,
  EV_ERROR,
  EV_KEEPUDATA,
  EV_ONESHOT,
  EV_RECEIPT,
  EVFILT_SIGNAL,
  EVFILT_TIMER,
  EVFILT_USER,
  getChain,
  Kqueue,
  NOTE_NSECONDS,
  NOTE_SECONDS,
  NOTE_TRIGGER,
  virtualTime,
} from '../../src/index.js';
import { runItimerScript } from '../helpers.js';

configureAlarms('virtual');
const POLL = { sec: 0, nsec: 0 };
const EINVAL = 22;
const ENOENT = 2;

test.serial('FreeBSD kqueue_register: returned timer events carry fflags 0, and the flags stored at EV_ADD (EV_RECEIPT included)', async (t) => {
  using kq = new Kqueue();
  const receipt = await kq.kevent([{ ident: 1, filter: EVFILT_TIMER, flags: EV_ADD | EV_RECEIPT, fflags: NOTE_SECONDS, data: 1 }], 1);
  t.deepEqual(receipt, [{ ident: 1, filter: EVFILT_TIMER, flags: EV_ERROR, fflags: NOTE_SECONDS, data: 0, udata: undefined }]);
  virtualTime.tick({ s: 1 });
  t.deepEqual(await kq.kevent([], 1, POLL), [{ ident: 1, filter: EVFILT_TIMER, flags: EV_RECEIPT | EV_CLEAR, fflags: 0, data: 1, udata: undefined }]);
});

test.serial('FreeBSD kqueue_register: every modification replaces udata, unless EV_KEEPUDATA', async (t) => {
  using kq = new Kqueue();
  await kq.kevent([{ ident: 5, filter: EVFILT_USER, flags: EV_ADD, udata: 'first' }]);
  await kq.kevent([{ ident: 5, filter: EVFILT_USER, fflags: NOTE_TRIGGER, udata: 'by a trigger' }]);
  t.is((await kq.kevent([], 1, POLL))[0]?.udata, 'by a trigger', 'not only EV_ADD replaces it');
  await kq.kevent([{ ident: 5, filter: EVFILT_USER, flags: EV_KEEPUDATA, fflags: NOTE_TRIGGER, udata: 'ignored' }]);
  t.is((await kq.kevent([], 1, POLL))[0]?.udata, 'by a trigger');
});

test.serial('FreeBSD kqueue_register: EV_ENABLE together with EV_DISABLE is EINVAL', async (t) => {
  using kq = new Kqueue();
  const [entry] = await kq.kevent([{ ident: 1, filter: EVFILT_USER, flags: EV_ADD | EV_ENABLE | EV_DISABLE }], 1);
  t.deepEqual([entry?.flags, entry?.data], [EV_ERROR, EINVAL]);
  const [gone] = await kq.kevent([{ ident: 1, filter: EVFILT_USER, flags: EV_DELETE }], 1);
  t.is(gone?.data, ENOENT, 'nothing was added');
});

test.serial('FreeBSD kqueue_register: EV_ADD with EV_DELETE on a new knote adds it (receipt data 0, no NaN)', async (t) => {
  using kq = new Kqueue();
  const [receipt] = await kq.kevent([{ ident: 2, filter: EVFILT_USER, flags: EV_ADD | EV_DELETE | EV_RECEIPT }], 1);
  t.deepEqual([receipt?.flags, receipt?.data], [EV_ERROR, 0]);
  const [deleted] = await kq.kevent([{ ident: 2, filter: EVFILT_USER, flags: EV_DELETE | EV_RECEIPT }], 1);
  t.is(deleted?.data, 0, 'it existed');
});

test.serial('FreeBSD timer2sbintime: a timer value far beyond the chain (up to the int64 limit) is added, armed, counted, and released on delete', async (t) => {
  using kq = new Kqueue({ maxTimers: 3 });
  for (let round = 0; round < 5; round++) {
    const events = await kq.kevent(
      [
        { ident: 1, filter: EVFILT_TIMER, flags: EV_ADD | EV_RECEIPT, fflags: NOTE_SECONDS, data: Number.MAX_SAFE_INTEGER },
        { ident: 2, filter: EVFILT_TIMER, flags: EV_ADD | EV_ONESHOT | EV_RECEIPT, data: 2 ** 52 },
        { ident: 3, filter: EVFILT_TIMER, flags: EV_ADD | EV_RECEIPT, fflags: NOTE_SECONDS, data: Number(2n ** 63n - 1n) - 1024 }, // the largest double below 2^63
      ],
      3,
    );
    t.deepEqual(events.map((e) => e.data), [0, 0, 0]);
    t.is(getChain().size, 3, 'each knote has its timer');
    await kq.kevent([1, 2, 3].map((ident) => ({ ident, filter: EVFILT_TIMER, flags: EV_DELETE })));
  }
  t.is(getChain().size, 0, 'no timer and no count leaked: the limit of 3 was never reached');
});

test.serial('libkqueue test_kevent_timer_huge_interval: a NOTE_NSECONDS one-shot of INTPTR_MAX / 2 is added — no RangeError, no immediate expiry — and does not fire within 100 ms', async (t) => {
  using kq = new Kqueue();
  const huge = Number((2n ** 63n - 1n) / 2n); // INTPTR_MAX / 2 on LP64, as the nearest double (2^62)
  t.deepEqual(await kq.kevent([{ ident: 760, filter: EVFILT_TIMER, flags: EV_ADD | EV_ONESHOT, fflags: NOTE_NSECONDS, data: huge }]), [], 'registered');
  const poll = kq.kevent([], 1, { sec: 0, nsec: 100e6 });
  await virtualTime.tickAsync(100);
  t.deepEqual(await poll, [], 'not fired: no overflow into an immediate expiry');
  await kq.kevent([{ ident: 760, filter: EVFILT_TIMER, flags: EV_DELETE }]);
  t.is(getChain().size, 0);
});

test.serial('a timer beyond the chain\'s 52 days expires at its own time, never early (FreeBSD holds it to SBT_MAX): 60 days one-shot, 53 days periodic', async (t) => {
  const DAY = 86_400;
  using kq = new Kqueue();
  await kq.kevent([
    { ident: 1, filter: EVFILT_TIMER, flags: EV_ADD | EV_ONESHOT, fflags: NOTE_SECONDS, data: 60 * DAY },
    { ident: 2, filter: EVFILT_TIMER, flags: EV_ADD, fflags: NOTE_SECONDS, data: 53 * DAY },
  ]);
  virtualTime.tick({ s: 30 * DAY });
  virtualTime.tick({ s: 23 * DAY - 1 });
  t.deepEqual(await kq.kevent([], 4, POLL), [], 'nothing at 53 days less a second (saturated to the chain, it fired at 52.1 days)');
  virtualTime.tick({ s: 1 });
  t.deepEqual((await kq.kevent([], 4, POLL)).map((e) => [e.ident, e.data]), [[2, 1]], 'the periodic timer at 53 days');
  virtualTime.tick({ s: 7 * DAY - 1 });
  t.deepEqual(await kq.kevent([], 4, POLL), []);
  virtualTime.tick({ s: 1 });
  t.deepEqual((await kq.kevent([], 4, POLL)).map((e) => [e.ident, e.data]), [[1, 1]], 'the one-shot at 60 days');
  t.is(getChain().size, 1, 'the periodic timer is armed for its next period');
});


test.serial('a knote is created all or nothing: SIGKILL cannot be watched, and leaves no knote behind', async (t) => {
  using kq = new Kqueue();
  const [refused] = await kq.kevent([{ ident: 9, filter: EVFILT_SIGNAL, flags: EV_ADD }], 1);
  t.is(refused?.data, EINVAL);
  const [gone] = await kq.kevent([{ ident: 9, filter: EVFILT_SIGNAL, flags: EV_DELETE }], 1);
  t.is(gone?.data, ENOENT);
});

test.serial('values struct kevent cannot hold are refused with Node-style codes before any change is applied', async (t) => {
  using kq = new Kqueue();
  const valid = { ident: 1, filter: EVFILT_USER, flags: EV_ADD };
  for (const [change, code] of [
    [{ ident: 2, filter: EVFILT_USER, flags: 2 ** 32 + 1 }, 'ERR_OUT_OF_RANGE'],
    [{ ident: 2, filter: EVFILT_USER, flags: 0x10001 }, 'ERR_OUT_OF_RANGE'],
    [{ ident: 2, filter: EVFILT_USER, flags: '1' }, 'ERR_INVALID_ARG_TYPE'],
    [{ ident: 2, filter: EVFILT_USER, flags: 1.5 }, 'ERR_OUT_OF_RANGE'],
    [{ ident: 2, filter: EVFILT_TIMER, flags: EV_ADD, fflags: 2 ** 32 + NOTE_SECONDS, data: 1 }, 'ERR_OUT_OF_RANGE'],
    [{ ident: -1, filter: EVFILT_USER, flags: EV_ADD }, 'ERR_OUT_OF_RANGE'],
    [{ ident: 2, filter: 0x8000, flags: EV_ADD }, 'ERR_OUT_OF_RANGE'],
    [{ ident: 2, filter: EVFILT_TIMER, flags: EV_ADD, data: Number.NaN }, 'ERR_OUT_OF_RANGE'],
    [{ ident: 2, filter: EVFILT_TIMER, flags: EV_ADD, data: 2 ** 63 }, 'ERR_OUT_OF_RANGE'], // beyond int64
    [{ ident: 2, filter: EVFILT_USER, flags: EV_ADD, data: -(2 ** 64) }, 'ERR_OUT_OF_RANGE'],
    [{ ident: 2, filter: EVFILT_USER, flags: EV_ADD, data: 2n ** 62n }, 'ERR_INVALID_ARG_TYPE'],
    [undefined, 'ERR_INVALID_ARG_TYPE'],
  ] as const) {
    await t.throwsAsync(kq.kevent([valid, change as never], 1), { code }, inspect(change));
  }
  const [notAdded] = await kq.kevent([{ ident: 1, filter: EVFILT_USER, flags: EV_DELETE }], 1);
  t.is(notAdded?.data, ENOENT, 'the valid change before each bad one was not applied');
  t.throws(() => new Kqueue('x' as never), { code: 'ERR_INVALID_ARG_TYPE' });
  t.throws(() => new Kqueue(null as never), { code: 'ERR_INVALID_ARG_TYPE' });
});

test.serial('plain objects only: options, changes and timeouts that are a Date, a Map, an array or a class instance are refused with ERR_INVALID_ARG_TYPE, changing nothing', async (t) => {
  class Options {
    maxTimers = 0;
  }
  for (const options of [new Date(), new Map([['maxTimers', 0]]), [], new Options(), Object.create({ maxTimers: 0 })]) {
    t.throws(() => new Kqueue(options as never), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE' }, inspect(options));
  }
  t.notThrows(() => new Kqueue(Object.create(null)).close(), 'a null-prototype object is plain');
  using kq = new Kqueue();
  const valid = { ident: 1, filter: EVFILT_USER, flags: EV_ADD };
  class Change {
    ident = 2;
    filter = EVFILT_USER;
    flags = EV_ADD;
  }
  for (const change of [new Change(), Object.assign(new Date(), { ident: 2, filter: EVFILT_USER, flags: EV_ADD }), [2, EVFILT_USER, EV_ADD]]) {
    await t.throwsAsync(kq.kevent([valid, change as never], 2), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE' }, inspect(change));
  }
  for (const timeout of [new Date(0), Object.assign(new Map(), { sec: 0, nsec: 0 }), [0, 0]]) {
    await t.throwsAsync(kq.kevent([valid], 1, timeout as never), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE' }, inspect(timeout));
  }
  const [gone] = await kq.kevent([{ ident: 1, filter: EVFILT_USER, flags: EV_DELETE }], 1);
  t.is(gone?.data, ENOENT, 'no change of a refused call was applied');
  t.deepEqual(await kq.kevent([Object.assign(Object.create(null), valid)], 1, Object.assign(Object.create(null), { sec: 0, nsec: 0 })), [], 'null-prototype changes and timeouts are plain');
});

test.serial('Kqueue.postAlarm takes an alarm id (an integer from 0 to 2^53 - 1) and posts nothing for anything else', async (t) => {
  using kq = new Kqueue();
  for (const [id, code] of [['1', 'ERR_INVALID_ARG_TYPE'], [undefined, 'ERR_INVALID_ARG_TYPE'], [-1, 'ERR_OUT_OF_RANGE'], [1.5, 'ERR_OUT_OF_RANGE'], [Number.NaN, 'ERR_OUT_OF_RANGE'], [2 ** 53, 'ERR_OUT_OF_RANGE']] as const) {
    t.throws(() => kq.postAlarm(id as never), { code }, String(id));
  }
  t.deepEqual(await kq.kevent([], 8, POLL), [], 'nothing posted');
  kq.postAlarm(7);
  t.deepEqual((await kq.kevent([], 8, POLL)).map((e) => [e.ident, e.data]), [[7, 1]]);
});

test.serial('an exception inside kevent() that is not an errno error propagates (a getter that throws)', async (t) => {
  using kq = new Kqueue();
  const change = {
    ident: 1,
    filter: EVFILT_USER,
    get flags(): number {
      throw new Error('from the getter');
    },
  };
  await t.throwsAsync(kq.kevent([change]), { message: 'from the getter' });
});

test.serial('a timeout beyond INT32_MAX s waits forever (FreeBSD kqueue_scan) and leaves no stale waiter: the next wait is on time', async (t) => {
  using kq = new Kqueue();
  await kq.kevent([{ ident: 1, filter: EVFILT_USER, flags: EV_ADD | EV_CLEAR }]);
  const forever = kq.kevent([], 1, { sec: 2 ** 40, nsec: 0 });
  await kq.kevent([{ ident: 1, filter: EVFILT_USER, fflags: NOTE_TRIGGER }]);
  t.is((await forever).length, 1, 'woken by the event');
  const start = virtualTime.nowNs();
  const waiting = kq.kevent([], 1, { sec: 0, nsec: 50e6 });
  await virtualTime.tickAsync(50);
  t.deepEqual(await waiting, []);
  t.is(virtualTime.nowNs() - start, 50e6);
  await t.throwsAsync(kq.kevent([], 1, { sec: '1', nsec: 0 } as never), { code: 'ERR_INVALID_ARG_TYPE' });
});

test.serial('a timeout within INT32_MAX s but beyond the chain\'s 52 days ends at its own time (60 days), not never', async (t) => {
  const DAY = 86_400;
  using kq = new Kqueue();
  let settled = false;
  const start = virtualTime.nowNs();
  const waiting = kq.kevent([], 1, { sec: 60 * DAY, nsec: 0 });
  void waiting.then(() => (settled = true));
  await virtualTime.tickAsync({ s: 30 * DAY });
  await virtualTime.tickAsync({ s: 30 * DAY - 1 });
  t.false(settled, 'still waiting a second before');
  await virtualTime.tickAsync({ s: 1 });
  t.deepEqual(await waiting, []);
  t.is(virtualTime.nowNs() - start, 60 * DAY * 1e9);
  t.is(getChain().size, 0, 'no timer left behind');
});

test.serial('EVFILT_USER data is an int64: a value beyond 2^53 is copied and returned as given', async (t) => {
  using kq = new Kqueue();
  const big = Number(2n ** 62n);
  const [event] = await kq.kevent([{ ident: 1, filter: EVFILT_USER, flags: EV_ADD, fflags: NOTE_TRIGGER, data: big }], 1);
  t.is(event?.data, big);
});

for (const [how, code] of [
  ['EV_DELETE', `await kq.kevent([{ ident: 12, filter: itimer.EVFILT_SIGNAL, flags: itimer.EV_DELETE }]);`],
  ['close()', `kq.close();`],
  ['an EV_ONESHOT delivery', `process.kill(process.pid, 'SIGUSR2'); await kq.kevent([], 1, { sec: 2, nsec: 0 });`],
] as const) {
  test(`FreeBSD EVFILT_SIGNAL has lower precedence than sigaction: SIG_IGN survives watching and ${how}`, async (t) => {
    const r = await runItimerScript(`
      itimer.sigaction('SIGUSR2', 'SIG_IGN');
      const kq = new itimer.Kqueue();
      await kq.kevent([{ ident: 12, filter: itimer.EVFILT_SIGNAL, flags: itimer.EV_ADD | ${how === 'an EV_ONESHOT delivery' ? 'itimer.EV_ONESHOT' : '0'} }]);
      ${code}
      console.log(itimer.sigaction('SIGUSR2').disposition);
      process.kill(process.pid, 'SIGUSR2');
      await new Promise((r) => setTimeout(r, 50));
      console.log('alive');`);
    t.is(r.stdout, 'ignore\nalive', r.stderr);
    t.is(r.signal, null);
  });
}

test('the dynticks backend leaves an ignored SIGURG ignored when it stops', async (t) => {
  const r = await runItimerScript(`
    itimer.sigaction('SIGURG', 'SIG_IGN');
    itimer.configureAlarms('dynticks');
    await itimer.sleep(2);
    itimer.configureAlarms('timerfd');
    console.log(itimer.sigaction('SIGURG').disposition);`);
  t.is(r.stdout, 'ignore', r.stderr);
});

test.serial('FreeBSD kqueue_kevent: with no room left for an EV_ERROR or EV_RECEIPT entry, the change list stops there — an error rejects the call, a receipt ends it, and the later changes are not applied', async (t) => {
  using kq = new Kqueue();
  const exists = async (ident: number) => (await kq.kevent([{ ident, filter: EVFILT_USER, flags: EV_DELETE | EV_RECEIPT }], 1))[0]?.data === 0;

  // An error with no room: the call fails with it; the change before it stays, the one after is not applied.
  const error = await t.throwsAsync(
    kq.kevent(
      [
        { ident: 1, filter: EVFILT_USER, flags: EV_ADD },
        { ident: 9, filter: EVFILT_USER, flags: EV_DELETE },
        { ident: 2, filter: EVFILT_USER, flags: EV_ADD },
      ],
      0,
    ),
  );
  t.like(error, { code: 'ENOENT', syscall: 'kevent' });
  t.true(await exists(1), 'applied before the error');
  t.false(await exists(2), 'not applied: processing stopped at the error');

  // The list fills with one receipt; the next receipt finds no room: the call ends, and returns
  // 0 entries, as FreeBSD's kevent returns 0 on that path.
  const receipts = await kq.kevent(
    [
      { ident: 3, filter: EVFILT_USER, flags: EV_ADD | EV_RECEIPT },
      { ident: 4, filter: EVFILT_USER, flags: EV_ADD | EV_RECEIPT },
      { ident: 5, filter: EVFILT_USER, flags: EV_ADD },
    ],
    1,
  );
  t.deepEqual(receipts, []);
  t.true(await exists(3));
  t.true(await exists(4), 'the change whose receipt found no room is applied');
  t.false(await exists(5), 'the changes after it are not');

  // nevents 0: a receipt has no room at once.
  t.deepEqual(await kq.kevent([{ ident: 6, filter: EVFILT_USER, flags: EV_ADD | EV_RECEIPT }, { ident: 7, filter: EVFILT_USER, flags: EV_ADD }]), []);
  t.true(await exists(6));
  t.false(await exists(7));
});
