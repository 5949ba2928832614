/**
 * Both FFI drivers bind the same table and must answer the same calls the same way.
 */
import test from 'ava';
import { constants } from 'node:os';
import { ffiNapiDriver } from '../../src/host/ffi-napi-driver.js';
import { koffiDriver } from '../../src/host/koffi-driver.js';
import { PROTOTYPES, syscallError } from '../../src/host/index.js';
import type { HostCalls } from '../../src/host/index.js';

const drivers: [string, HostCalls][] = [
  ['koffi', koffiDriver().bind('libc.so.6')],
  ['ffi-napi', ffiNapiDriver().bind('libc.so.6')],
];

for (const [name, calls] of drivers) {
  test(`${name}: binds every prototype`, (t) => {
    for (const fn of Object.keys(PROTOTYPES)) t.is(typeof calls[fn as keyof typeof PROTOTYPES], 'function', fn);
  });

  test(`${name}: plain calls return what the kernel says`, (t) => {
    t.is(calls.getpid(), process.pid);
    t.is(calls.gettid(), process.pid); // the main thread's tid is the pid
    const ts = Buffer.alloc(16);
    t.is(calls.clock_getres(1, ts), 0);
    t.is(ts.readBigInt64LE(8), 1n);
  });

  test(`${name}: errno after a failed call`, (t) => {
    t.is(calls.close(-1), -1);
    t.is(calls.errno(), constants.errno.EBADF);
    t.is(calls.clock_gettime(1234, Buffer.alloc(16)), -1);
    t.is(calls.errno(), constants.errno.EINVAL);
  });

  test(`${name}: variadic calls (fcntl, prctl)`, (t) => {
    const F_GETFD = 1;
    t.true(calls.fcntl(0, F_GETFD, 0) >= 0);
    t.is(calls.fcntl(-1, F_GETFD, 0), -1);
    const PR_GET_TIMERSLACK = 30;
    t.true(calls.prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0) > 0);
  });

  test(`${name}: string and string-array arguments (execve of a missing file fails with ENOENT)`, (t) => {
    t.is(calls.execve('/nonexistent/itimer-test', ['itimer-test', 'a'], ['X=1']), -1);
    t.is(calls.errno(), constants.errno.ENOENT);
    t.is(calls.execvp('itimer-no-such-command', ['itimer-no-such-command']), -1);
    t.is(calls.errno(), constants.errno.ENOENT);
  });

  test(`${name}: timerfd create, settime, gettime, read the expiration count`, (t) => {
    const TFD_CLOEXEC = 0o2000000;
    const fd = calls.timerfd_create(1, TFD_CLOEXEC);
    t.true(fd >= 0);
    const spec = Buffer.alloc(32);
    spec.writeBigInt64LE(1_000_000n, 24); // it_value.tv_nsec = 1 ms
    t.is(calls.timerfd_settime(fd, 0, spec, null), 0);
    const count = Buffer.alloc(8);
    t.is(calls.read(fd, count, 8), 8); // blocks until the expiry
    t.is(count.readBigUInt64LE(0), 1n);
    t.is(calls.timerfd_gettime(fd, spec), 0);
    t.is(spec.readBigInt64LE(24), 0n, 'a one-shot timerfd reads as disarmed after expiring');
    t.is(calls.close(fd), 0);
  });

  test(`${name}: kill and raise`, (t) => {
    t.is(calls.kill(process.pid, 0), 0);
    t.is(calls.kill(-1_000_000, 0), -1);
    t.is(calls.errno(), constants.errno.ESRCH);
    t.is(calls.raise(0), 0); // signal 0: validity check only
  });

  test(`${name}: NULL pointers and a timer_t of 0 round-trip`, (t) => {
    const id = Buffer.alloc(8);
    const sigev = Buffer.alloc(64);
    sigev.writeInt32LE(1, 12); // SIGEV_NONE
    t.is(calls.timer_create(1, sigev, id), 0);
    const timerId = Number(id.readBigInt64LE(0));
    t.true(timerId >= 0);
    t.is(calls.timer_gettime(timerId, Buffer.alloc(32)), 0);
    t.is(calls.timer_settime(timerId, 0, Buffer.alloc(32), null), 0);
    t.is(calls.timer_delete(timerId), 0);
  });
}

test('a missing ffi-napi install is a clear error', (t) => {
  const fakeRequire = Object.assign(
    (id: string) => {
      throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
    },
    { resolve: () => '', cache: {}, main: undefined, extensions: {} },
  ) as unknown as NodeJS.Require;
  const error = t.throws(() => ffiNapiDriver(fakeRequire));
  t.is((error as { code?: string }).code, 'ERR_ITIMER_FFI_DRIVER');
  t.regex(error.message, /npm install @2060\.io\/ffi-napi @2060\.io\/ref-napi/);
  t.regex(String((error.cause as Error).message), /Cannot find module/);
});

test('syscall errors are shaped like Node fs errors', (t) => {
  const error = syscallError(constants.errno.EINVAL, 'setitimer');
  t.is(error.message, 'EINVAL: invalid argument, setitimer');
  t.is(error.code, 'EINVAL');
  t.is(error.errno, -22);
  t.is(error.syscall, 'setitimer');
  t.is(syscallError(95, 'timer_create').message, 'ENOTSUP: operation not supported, timer_create');
});
