/**
 * The #alarm device model against Akaros devalarm's protocol and its tests/alarm.c:
 * clone, ctl, timer, listing, lifetime, errors, events into a Kqueue or an iterator.
 * On virtual time: deterministic.
 */
import test from 'ava';
import {
  AlarmEvents,
  AlarmFile,
  chainNow,
  configureAlarms,
  createAlarmFile,
  devalarmDisable,
  devalarmGetFds,
  devalarmGetId,
  devalarmSetEvq,
  devalarmSetTime,
  EVFILT_ALARM,
  Kqueue,
  openAlarmFile,
  readAlarmDir,
  registerEventQueue,
  removeAlarmFile,
  virtualTime,
} from '../../src/index.js';

configureAlarms('virtual');
const POLL = { sec: 0, nsec: 0 };
const hex = (ns: number) => ns.toString(16);

test.serial('clone creates an alarm; its ctl reads the id; the listing shows it; the timer reads its wake time', (t) => {
  using ctl = openAlarmFile('#alarm/clone');
  const id = Number(ctl.read());
  t.is(ctl.path, `#alarm/a${id}/ctl`);
  t.true(readAlarmDir('#alarm').includes(`a${id}`));
  t.deepEqual(readAlarmDir(`#alarm/a${id}`), ['ctl', 'timer']);
  using timer = openAlarmFile(`#alarm/a${id}/timer`);
  t.is(timer.read(), '0', 'not armed');
  const wake = chainNow() + 5_000_000;
  t.is(timer.write(hex(wake)), hex(wake).length);
  t.is(timer.read(), String(wake));
  using top = openAlarmFile('#alarm', 'r');
  t.regex(top.read(), new RegExp(`^clone\\n(a\\d+\\n)*a${id}`));
});

test.serial('tests/alarm.c: set then cancel — nothing fires; set again — it fires into the bound queue', async (t) => {
  const { ctl, timer, id } = devalarmGetFds();
  using kq = new Kqueue();
  ctl.write(`evq ${registerEventQueue(kq)}`);
  timer.write(hex(chainNow() + 1_000_000_000));
  ctl.write('cancel');
  virtualTime.tick(2000);
  t.deepEqual(await kq.kevent([], 4, POLL), [], 'no alarm should have fired');
  timer.write(hex(chainNow() + 1_000_000_000));
  virtualTime.tick(2000);
  const [event] = await kq.kevent([], 4, POLL);
  t.like(event, { ident: id, filter: EVFILT_ALARM, data: 1 });
  t.is(devalarmGetId(event!), id);
  ctl.close();
  timer.close();
});

test.serial('writing the timer again re-arms (reset_alarm_abs): one expiry, at the later time', async (t) => {
  const { ctl, timer } = devalarmGetFds();
  const events = new AlarmEvents();
  devalarmSetEvq(timer, events);
  const start = chainNow();
  devalarmSetTime(timer, start + 10_000_000);
  devalarmSetTime(timer, start + 30_000_000);
  virtualTime.tick(50);
  events.close();
  const seen = [];
  for await (const event of events) seen.push(event.wakeTimeNs - start);
  t.deepEqual(seen, [30_000_000]);
  devalarmDisable(timer);
  t.is(timer.read(), '0');
  ctl.close();
  timer.close();
});

test.serial('the alarm lives while any handle is open; the last close cancels it and removes it', async (t) => {
  const ctl = openAlarmFile('#alarm/clone');
  const id = Number(ctl.read());
  const timer = openAlarmFile(`#alarm/a${id}/timer`);
  using kq = new Kqueue();
  ctl.write(`evq ${registerEventQueue(kq)}`);
  timer.write(hex(chainNow() + 1_000_000));
  ctl.close();
  t.true(readAlarmDir().includes(`a${id}`), 'the timer handle keeps it');
  timer.close();
  t.false(readAlarmDir().includes(`a${id}`));
  virtualTime.tick(10);
  t.deepEqual(await kq.kevent([], 1, POLL), [], 'cancelled by the last close');
  t.throws(() => openAlarmFile(`#alarm/a${id}/ctl`), { code: 'ENOENT' });
  t.throws(() => timer.read(), { code: 'EBADF' });
  t.throws(() => timer.close(), { code: 'EBADF' });
});

test.serial('errors where the seed raises them', (t) => {
  const { ctl, timer, id } = devalarmGetFds();
  t.like(t.throws(() => ctl.write('snooze 5')), { code: 'ENOSYS', errno: -38, syscall: 'write', message: "ENOSYS: function not implemented, write 'snooze: not implemented'" });
  t.like(t.throws(() => ctl.write('evq')), { code: 'EINVAL', errno: -22, syscall: 'write', message: "EINVAL: invalid argument, write 'evq needs a pointer'" });
  t.like(t.throws(() => ctl.write('evq ffff')), { code: 'EFAULT', errno: -14, syscall: 'write', message: "EFAULT: bad address in system call argument, write 'Non-user ev_q pointer'" });
  t.throws(() => timer.write('soon'), { code: 'ERR_INVALID_ARG_VALUE' });
  t.throws(() => openAlarmFile('#alarm', 'rw'), { code: 'EISDIR' });
  t.throws(() => openAlarmFile(`#alarm/a${id}`, 'w'), { code: 'EISDIR' });
  t.throws(() => openAlarmFile('#alarm', 'r').write('x'), { code: 'EPERM' });
  t.throws(() => createAlarmFile(`#alarm/a${id}/extra`), { code: 'EPERM' });
  t.throws(() => removeAlarmFile(`#alarm/a${id}/ctl`), { code: 'EPERM' });
  t.throws(() => openAlarmFile('#alarm/a999999/ctl'), { code: 'ENOENT' });
  t.throws(() => openAlarmFile('/dev/alarm'), { code: 'ENOENT' });
  t.throws(() => openAlarmFile(`#alarm/a${id}/ctl`, 'r').write('cancel'), { code: 'EBADF' });
  ctl.close();
  timer.close();
});

test.serial('expirations of several alarms into one kqueue coalesce per alarm', async (t) => {
  using kq = new Kqueue();
  const a = devalarmGetFds();
  const b = devalarmGetFds();
  devalarmSetEvq(a.timer, kq);
  devalarmSetEvq(b.timer, kq);
  devalarmSetTime(a.timer, chainNow() + 1_000_000);
  devalarmSetTime(b.timer, chainNow() + 2_000_000);
  virtualTime.tick(1);
  devalarmSetTime(a.timer, chainNow() + 1_000_000); // again, before the first is retrieved
  virtualTime.tick(5);
  const events = await kq.kevent([], 4, POLL);
  t.deepEqual(events.map((e) => [e.ident, e.data]).sort(), [
    [a.id, 2],
    [b.id, 1],
  ].sort());
  for (const fds of [a, b]) {
    fds.ctl.close();
    fds.timer.close();
  }
});

test.serial('a refused timer write changes nothing: the timer reads back its previous value and stays armed', (t) => {
  const { ctl, timer } = devalarmGetFds();
  const wake = chainNow() + 5_000_000;
  devalarmSetTime(timer, wake);
  for (const text of ['soon', 'ffffffffffffffffffff', '20000000000000', '-1', '']) {
    t.throws(() => timer.write(text), { code: 'ERR_INVALID_ARG_VALUE' }, text);
  }
  t.is(timer.read(), String(wake));
  t.is(virtualTime.runAll(), 1, 'the alarm still fires once');
  ctl.close();
  timer.close();
});

test.serial('the devalarm helpers refuse bad input with coded errors, before touching any alarm', (t) => {
  const { ctl, timer } = devalarmGetFds();
  const listing = readAlarmDir();
  for (const bad of [undefined, null, 5, '#alarm/a0/timer', {}, { alarmId: 0 }]) {
    t.throws(() => devalarmSetTime(bad as never, 1), { code: 'ERR_INVALID_ARG_TYPE' });
    t.throws(() => devalarmDisable(bad as never), { code: 'ERR_INVALID_ARG_TYPE' });
    t.throws(() => devalarmSetEvq(bad as never, new AlarmEvents()), { code: 'ERR_INVALID_ARG_TYPE' });
    t.throws(() => devalarmGetId(bad as never), { code: bad !== null && typeof bad === 'object' ? 'ERR_INVALID_ARG_VALUE' : 'ERR_INVALID_ARG_TYPE' });
    if (typeof bad !== 'string') t.throws(() => createAlarmFile(bad as never), { code: 'ERR_INVALID_ARG_TYPE' });
  }
  t.throws(() => devalarmSetTime(timer, '5' as never), { code: 'ERR_INVALID_ARG_TYPE' });
  for (const ns of [0, -1, 1.5, NaN, Infinity, 2 ** 53]) t.throws(() => devalarmSetTime(timer, ns), { code: 'ERR_OUT_OF_RANGE' });
  t.throws(() => devalarmSetEvq(timer, {} as never), { code: 'ERR_INVALID_ARG_TYPE' });
  t.is(timer.read(), '0');
  t.deepEqual(readAlarmDir(), listing);
  t.is(devalarmGetId({ ident: 7 }), 7);
  ctl.close();
  timer.close();
});

test.serial('devalarmGetId takes a plain object and reads its own ident or id: a Date, a Map, a class instance or an inherited ident is refused', (t) => {
  class Event {
    ident = 3;
  }
  for (const bad of [new Event(), Object.assign(new Date(), { ident: 3 }), new Map([['ident', 3]]), [3], Object.create({ ident: 3 })]) {
    t.throws(() => devalarmGetId(bad as never), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE' });
  }
  t.throws(() => devalarmGetId({ id: 'x' } as never), { code: 'ERR_INVALID_ARG_VALUE' });
  t.is(devalarmGetId(Object.assign(Object.create(null), { id: 5 })), 5);
  t.is(devalarmGetId({ ident: 6, id: 5 } as never), 6, 'a kevent\'s ident first');
});

test.serial('AlarmEvents.postAlarm takes an alarm id and queues nothing for anything else', async (t) => {
  const events = new AlarmEvents();
  for (const [id, code] of [['1', 'ERR_INVALID_ARG_TYPE'], [{}, 'ERR_INVALID_ARG_TYPE'], [-1, 'ERR_OUT_OF_RANGE'], [0.5, 'ERR_OUT_OF_RANGE'], [Number.NaN, 'ERR_OUT_OF_RANGE']] as const) {
    t.throws(() => events.postAlarm(id as never), { code }, String(id));
  }
  events.postAlarm(9);
  events.close();
  const seen: number[] = [];
  for await (const event of events) seen.push(event.id);
  t.deepEqual(seen, [9], 'only the valid post was queued');
});

test.serial('AlarmFile is constructed only by openAlarmFile: new AlarmFile() is ERR_ILLEGAL_CONSTRUCTOR', (t) => {
  const listing = readAlarmDir();
  t.throws(() => new (AlarmFile as unknown as new (...args: unknown[]) => unknown)('#alarm/a0/ctl', 'ctl', undefined, 'rw'), {
    instanceOf: TypeError,
    code: 'ERR_ILLEGAL_CONSTRUCTOR',
  });
  t.deepEqual(readAlarmDir(), listing);
});

test.serial('AlarmEvents serves every waiting iterator: each expiration goes to one of them, FIFO, and close() ends them all', async (t) => {
  const { ctl, timer, id } = devalarmGetFds();
  const events = new AlarmEvents();
  devalarmSetEvq(timer, events);
  const first = events[Symbol.asyncIterator]();
  const second = events[Symbol.asyncIterator]();
  const firstNext = first.next();
  const secondNext = second.next(); // both wait now: next() runs the iterator to its wait
  devalarmSetTime(timer, chainNow() + 1_000_000);
  virtualTime.tick(2);
  devalarmSetTime(timer, chainNow() + 1_000_000);
  virtualTime.tick(2);
  t.like(await firstNext, { done: false, value: { id } }, 'the first waiter gets the first expiration');
  t.like(await secondNext, { done: false, value: { id } }, 'the second waiter gets the second');
  const ends = [first.next(), second.next()];
  events.close();
  t.deepEqual(await Promise.all(ends), [
    { done: true, value: undefined },
    { done: true, value: undefined },
  ]);
  ctl.close();
  timer.close();
});

test.serial('an #alarm/aN directory handle holds no reference (Akaros: only ctl and timer chans kref the alarm) and has no alarmId', (t) => {
  const ctl = openAlarmFile('#alarm/clone');
  const id = Number(ctl.read());
  using dir = openAlarmFile(`#alarm/a${id}`, 'r');
  t.is(dir.alarmId, undefined);
  t.throws(() => devalarmSetEvq(dir, new AlarmEvents()), { code: 'ERR_INVALID_ARG_VALUE' });
  ctl.close();
  t.false(readAlarmDir().includes(`a${id}`), 'the last ctl/timer close removed the alarm');
  t.throws(() => openAlarmFile(`#alarm/a${id}/timer`), { code: 'ENOENT' });
  t.is(dir.read(), 'ctl\ntimer', 'the open directory still lists its names, as alarmgen does');
});

test.serial('a closed queue is released: its evq id is refused with the seed\'s error, alarms bound to it post nowhere, and it cannot be registered again', async (t) => {
  const { ctl, timer } = devalarmGetFds();
  for (const queue of [new Kqueue(), new AlarmEvents()]) {
    const id = registerEventQueue(queue);
    ctl.write(`evq ${id}`);
    queue.close();
    t.like(t.throws(() => ctl.write(`evq ${id}`)), { code: 'EFAULT', message: "EFAULT: bad address in system call argument, write 'Non-user ev_q pointer'" });
    t.throws(() => registerEventQueue(queue), { code: 'ERR_INVALID_ARG_VALUE' });
    t.throws(() => devalarmSetEvq(timer, queue), { code: 'ERR_INVALID_ARG_VALUE' });
    devalarmSetTime(timer, chainNow() + 1_000_000);
    t.is(virtualTime.runAll(), 1, 'the alarm still fires, into no queue');
  }
  const open = new AlarmEvents();
  const openId = registerEventQueue(open);
  t.is(registerEventQueue(open), openId, 'an open queue keeps its id');
  open.close();
  ctl.close();
  timer.close();
});
