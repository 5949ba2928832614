/**
 * The timerfd wrapper (src/posix/timerfd.ts) against the kernel, as timerfd_create(2)
 * describes it: absolute and relative settings, the expiration count drained by read,
 * disarm, nonblocking and blocking reads, and errno errors shaped like Node's.
 */
import test from 'ava';
import { CLOCK_MONOTONIC, CLOCK_REALTIME, clockGettime } from '../../src/index.js';
import { watchReadable } from '../../src/host/index.js';
import { TimerFd } from '../../src/posix/timerfd.js';
import { throwsSyscall } from '../helpers.js';

/** CLOCK_MONOTONIC now, `offsetNs` away, as (sec, nsec). */
function monotonicIn(offsetNs: number): [number, number] {
  const now = clockGettime(CLOCK_MONOTONIC);
  const ns = now.sec * 1e9 + now.nsec + offsetNs;
  const sec = Math.floor(ns / 1e9);
  return [sec, ns - sec * 1e9];
}

/** Resolves when `tfd` is readable (its timer expired). */
function readable(tfd: TimerFd): Promise<void> {
  return new Promise((resolve) => {
    const watcher = watchReadable(tfd.fd, () => {
      watcher.close();
      resolve();
    });
    watcher.ref();
  });
}

test('a nonblocking timerfd reads 0 before it expires, the expiration count once it has, then 0 again (drained)', async (t) => {
  using tfd = new TimerFd(CLOCK_MONOTONIC);
  t.is(tfd.read(), 0, 'nothing expired: EAGAIN is 0, not an error');
  const [sec, nsec] = monotonicIn(2e6);
  tfd.setAbsolute(sec, nsec);
  await readable(tfd);
  const after = clockGettime(CLOCK_MONOTONIC);
  t.true(after.sec * 1e9 + after.nsec >= sec * 1e9 + nsec, 'never early: absolute on CLOCK_MONOTONIC');
  t.is(tfd.read(), 1);
  t.is(tfd.read(), 0);
});

test('a periodic setting counts every period since the first expiry; read takes them all at once', (t) => {
  using tfd = new TimerFd(CLOCK_MONOTONIC);
  const [sec, nsec] = monotonicIn(-20e6); // 20 periods ago
  tfd.setAbsolute(sec, nsec, 0, 1e6);
  const count = tfd.read();
  t.true(count >= 20 && count < 10_000, `${count} expirations`);
  t.deepEqual(tfd.gettime().interval, { sec: 0, nsec: 1e6 });
  tfd.disarm();
  t.deepEqual(tfd.gettime(), { value: { sec: 0, nsec: 0 }, interval: { sec: 0, nsec: 0 } }, 'disarmed');
  t.is(tfd.read(), 0, 'disarm dropped what was not read');
});

test('setRelative arms from now; gettime reports the time left; a blocking timerfd waits in read', (t) => {
  using tfd = new TimerFd(CLOCK_MONOTONIC, { nonblocking: false });
  tfd.setRelative(3600, 0);
  const left = tfd.gettime().value;
  t.true(left.sec >= 3598 && left.sec < 3600, `${left.sec} s left`);
  tfd.setRelative(0, 2e6);
  const start = process.hrtime.bigint();
  t.is(tfd.read(), 1);
  t.true(process.hrtime.bigint() - start >= 1_900_000n, 'the read blocked until the expiry');
});

test('errors are the errno errors of the calls, and after close every call is EBADF', (t) => {
  throwsSyscall(t, () => new TimerFd(-1), 'EINVAL', 'timerfd_create');
  const tfd = new TimerFd(CLOCK_MONOTONIC);
  throwsSyscall(t, () => tfd.setRelative(0, 1e9), 'EINVAL', 'timerfd_settime');
  throwsSyscall(t, () => tfd.setRelative(0, -1), 'EINVAL', 'timerfd_settime');
  tfd.close();
  t.is(tfd.fd, -1);
  throwsSyscall(t, () => tfd.setRelative(1, 0), 'EBADF', 'timerfd_settime');
  throwsSyscall(t, () => tfd.disarm(), 'EBADF', 'timerfd_settime');
  throwsSyscall(t, () => tfd.read(), 'EBADF', 'read');
  throwsSyscall(t, () => tfd.gettime(), 'EBADF', 'timerfd_gettime');
  t.notThrows(() => tfd.close(), 'closing again does nothing');
});

test('cancel-on-set: an absolute time on CLOCK_REALTIME is armed and reads 0 until something happens (the set itself: test/clocks, opt-in)', (t) => {
  using wall = new TimerFd(CLOCK_REALTIME, { cancelOnSet: true });
  wall.setAbsolute(2 ** 40, 0);
  t.true(wall.gettime().value.sec > 2 ** 32, 'armed far ahead (the kernel saturates 2^40 s to its ktime range)');
  t.is(wall.read(), 0, 'nothing expired, the clock was not set');
});
