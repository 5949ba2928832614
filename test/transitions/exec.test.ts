/**
 * exec through the library, checked from outside: what the new program inherits.
 */
import test from 'ava';
import { runItimerScript } from '../helpers.js';

const child = (code: string, env: Record<string, string> = {}) => runItimerScript(code, env);

for (const backend of ['timerfd', 'unix']) {
  test(`${backend}: alarm(1) survives execve — the new program is ended by SIGALRM`, async (t) => {
    // The bound counts from the arming, which the child reports: not the child's start-up (a
    // TypeScript compile, slow under load). `sleep 5` would end by itself at 5 s.
    const r = await child(`itimer.chainNow(); process.stdout.write(Date.now() + '\\n'); itimer.alarm(1); itimer.execvp('sleep', ['sleep', '5']);`, { ITIMER_CLOCK: backend });
    t.is(r.signal, 'SIGALRM', r.stderr);
    const seconds = (r.endedAtMs - Number(r.stdout)) / 1000;
    t.true(seconds >= 0.9 && seconds < 4.5, `ended ${seconds} s after alarm(1)`);
  });
}

test('POSIX timers do not survive execve', async (t) => {
  // Due 1 s after arming: it cannot fire before the exec even under load; the new program outlives it.
  const r = await child(`itimer.timerCreate('CLOCK_MONOTONIC').settime({ value: 1 }); itimer.execvp('sh', ['sh', '-c', 'sleep 1.5; echo survived']);`);
  t.is(r.stdout, 'survived', r.stderr);
  t.is(r.status, 0);
});

test("Node's ignored SIGPIPE and SIGXFSZ are restored to default; a user's SIG_IGN is kept", async (t) => {
  const show = `itimer.execvp('sh', ['sh', '-c', 'grep SigIgn /proc/self/status']);`;
  const plain = await child(show);
  t.is(plain.stdout, 'SigIgn:\t0000000000000000', plain.stderr);
  const kept = await child(`itimer.sigaction('SIGPIPE', 'SIG_IGN'); ${show}`);
  t.is(kept.stdout, 'SigIgn:\t0000000000001000', kept.stderr);
});

test('stdio reaches the new program: FD_CLOEXEC and O_NONBLOCK cleared on fds 0-2', async (t) => {
  const r = await child(`process.stdout.write('from node\\n'); itimer.execvp('sh', ['sh', '-c', 'echo from sh; grep flags /proc/self/fdinfo/1']);`);
  const [first, second, flags] = r.stdout.split('\n');
  t.deepEqual([first, second], ['from node', 'from sh'], r.stderr);
  t.is(Number.parseInt(flags!.split('\t')[1]!, 8) & 0o4000, 0, `${flags}: no O_NONBLOCK`);
});

test('bad arguments are refused before anything runs, with the codes child_process uses', async (t) => {
  const r = await child(`
    itimer.registerAtFork({ before: () => console.log('before ran') });
    const calls = [
      () => itimer.execvp('', ['x']), () => itimer.execvp(1, ['x']), () => itimer.execvp('sh', 'sh'), () => itimer.execvp('sh', ['sh', 2]),
      () => itimer.execvp('sh', ['sh', 'a\\0b']), () => itimer.execvp('s\\0h', ['sh']), () => itimer.execve('/bin/s\\0h', ['sh']),
      () => itimer.execve('/bin/sh', ['sh'], 5), () => itimer.execve('/bin/sh', ['sh'], { A: 'x\\0y' }),
      () => itimer.execve('/bin/sh', ['sh'], new Map([['A', '1']])), () => itimer.execve('/bin/sh', ['sh'], { A: Symbol('s') }),
      () => itimer.execve('/bin/sh', ['sh'], { A: [1, Symbol('s')] }), () => itimer.execve('/bin/sh', ['sh'], { 'A\\0': 'x' }),
      () => itimer.execvp('echo', ['echo', , 'x']), // a hole: C would read it as the NULL that ends argv
    ];
    for (const call of calls) {
      try { call(); } catch (e) { console.log(e.code, e.message.match(/["'](\\S+?)["']/)[1]); }
    }`);
  t.is(
    r.stdout,
    [
      'ERR_INVALID_ARG_VALUE file', 'ERR_INVALID_ARG_TYPE file', 'ERR_INVALID_ARG_TYPE argv', 'ERR_INVALID_ARG_TYPE argv[1]',
      'ERR_INVALID_ARG_VALUE argv[1]', 'ERR_INVALID_ARG_VALUE file', 'ERR_INVALID_ARG_VALUE path',
      'ERR_INVALID_ARG_TYPE env', 'ERR_INVALID_ARG_VALUE env.A',
      'ERR_INVALID_ARG_TYPE env', 'ERR_INVALID_ARG_TYPE env.A', 'ERR_INVALID_ARG_VALUE env.A', 'ERR_INVALID_ARG_VALUE env.A\0',
      'ERR_INVALID_ARG_TYPE argv[1]',
    ].join('\n'),
    r.stderr,
  );
});

test("execve's env values become strings as child_process makes them: undefined left out, numbers and null as text; process.env itself works", async (t) => {
  const show = `'echo "$A|$B|\${C-unset}|$D"'`;
  const values = await child(`itimer.execve('/bin/sh', ['sh', '-c', ${show}], { A: 1, B: null, C: undefined, D: { toString: () => 'd' } });`);
  t.is(values.stdout, '1|null|unset|d', values.stderr);
  const inherited = await child(`process.env.A = 'from process.env'; itimer.execve('/bin/sh', ['sh', '-c', 'echo "$A"']);`);
  t.is(inherited.stdout, 'from process.env', inherited.stderr);
});

test('on normal exit the backend stops and releases its host timer and fd', async (t) => {
  const r = await child(`
    import { readdirSync, readlinkSync } from 'node:fs';
    const timerfds = () => readdirSync('/proc/self/fd').filter((fd) => { try { return readlinkSync('/proc/self/fd/' + fd).includes('timerfd'); } catch { return false; } }).length;
    itimer.setTimer(() => {}, 60_000).unref();
    console.log('running', itimer.activeAlarm(), 'timerfds', timerfds());
    process.on('exit', () => console.log('at exit: backend', itimer.activeAlarm() ?? 'stopped', 'timerfds', timerfds()));`);
  t.is(r.stdout, 'running timerfd timerfds 1\nat exit: backend stopped timerfds 0', r.stderr);
});
