/**
 * Every program in examples/ runs as a user would run it (importing the built package by
 * name), and does what its header says.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const root = new URL('..', import.meta.url);

function example(file: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [`examples/${file}`, ...args], { cwd: root, encoding: 'utf8', timeout: 20_000 });
  return { status: result.status, signal: result.signal, lines: result.stdout.trim().split('\n'), stderr: result.stderr };
}

test('alarm-watchdog: the hanging step is ended by SIGALRM', (t) => {
  const r = example('alarm-watchdog.js');
  t.is(r.signal, 'SIGALRM', r.stderr);
  t.deepEqual(r.lines, ['step parse (previous budget had 0 s left)', 'step compute (previous budget had 1 s left)', 'step hang (previous budget had 1 s left)']);
});

test('alarm-watchdog --no-hang: every step finishes and the watchdog is disarmed', (t) => {
  const r = example('alarm-watchdog.js', '--no-hang');
  t.is(r.status, 0, r.stderr);
  t.is(r.lines.at(-1), 'all steps done');
});

test('posix-timer: five ticks, then the timer is deleted and the process exits', (t) => {
  const r = example('posix-timer.js');
  t.is(r.status, 0, r.stderr);
  t.regex(r.lines[0]!, /^timer \d+ armed: every 20 ms$/);
  t.deepEqual(r.lines.slice(1, 6).map((l) => l.replace(/: .*/, '')), ['tick 1', 'tick 2', 'tick 3', 'tick 4', 'tick 5']);
  t.is(r.lines.at(-1), 'deleted');
});

test('precise-loop: ten periods, none early', (t) => {
  const r = example('precise-loop.js');
  t.is(r.status, 0, r.stderr);
  t.is(r.lines.length, 10);
  for (const line of r.lines) t.regex(line, /^period \d+: overrun \d+, on time$/);
});

test('timer-chain: a thousand timers on one host timer, none early', (t) => {
  const r = example('timer-chain.js');
  t.is(r.status, 0, r.stderr);
  t.deepEqual(r.lines.slice(0, 2), ['backend: timerfd', 'one-shot timers fired: 1000/1000, early: 0']);
  t.regex(r.lines[2]!, /^periodic: 1\d periods of 6 ms in [\d.]+ ms$/);
  const rearms = Number(/^host re-arms: (\d+) for/.exec(r.lines[3]!)?.[1]);
  t.true(rearms < 1010, `${rearms} re-arms: fewer than timers, since only head changes and passes re-arm`);
});

test('spin-loop: a 1 kHz spinning loop, no tick early, histogram and spin counters printed', (t) => {
  const r = example('spin-loop.js', '200');
  t.is(r.status, 0, r.stderr);
  t.regex(r.lines[0]!, /^200 ticks at 1000 Hz: early 0, p50 [\d.]+ µs, max [\d.]+ µs$/);
  const histogram = r.lines.slice(1, -1).map((line) => Number(line.split(' ').at(-1)));
  t.is(histogram.reduce((a, b) => a + b, 0), 200, 'every tick in the histogram');
  t.regex(r.lines.at(-1)!, /^CPU: \d+ % of one core; spins: [1-9]\d*, busy-waiting/);
});

test('drop-in-timers: Node signatures on the chain; nothing early', (t) => {
  const r = example('drop-in-timers.js');
  t.is(r.status, 0, r.stderr);
  t.deepEqual(r.lines, [
    'timeout: this is the Timeout: true, not early: true',
    'interval: 3 ticks of 5 ms, done after at least 15 ms: true',
    'promises: resolved with its value',
  ]);
});

test('virtual-time: deterministic, each callback exactly at its deadline', (t) => {
  const r = example('virtual-time.js');
  t.is(r.status, 0, r.stderr);
  t.deepEqual(r.lines, ['at 149 ms: 0 calls', 'at 150 ms: called at 150 ms', 'order: timer 20, sleep 30; virtual now 180 ms']);
});

test('qemu-clocks: the guest timer waits while the virtual clock is paused', (t) => {
  const r = example('qemu-clocks.js');
  t.is(r.status, 0, r.stderr);
  t.is(r.lines.length, 3);
  t.regex(r.lines[0]!, /^paused the virtual clock at virtual \+\d+ ms$/);
  t.regex(r.lines[1]!, /^resumed it at real \+\d+ ms$/);
  const [, virtualMs, realMs] = /^guest timer: virtual \+(\d+) ms, real \+(\d+) ms$/.exec(r.lines[2]!) ?? [];
  t.true(Number(virtualMs) >= 60, 'never before its virtual deadline');
  t.true(Number(realMs) >= 150, 'real time includes the 100 ms pause');
});

test('exec-timeout: wall-clock and CPU limits through the exec trampoline', (t) => {
  const r = example('exec-timeout.js');
  t.is(r.status, 0, r.stderr);
  t.deepEqual(r.lines, ['sleep 10 with --alarm 1: ended by SIGALRM', 'busy loop with 0.3 s of CPU: ended by SIGVTALRM', 'exit 3 within the limit: exit 3']);
});

test('atfork-exec: hooks in pthread_atfork order; the alarm survives the exec', (t) => {
  const r = example('atfork-exec.js');
  t.is(r.signal, 'SIGALRM', r.stderr);
  t.deepEqual(r.lines, [
    'before: close connections',
    'before: flush logs',
    'afterInParent: exec failed, reopen connections',
    'exec failed as expected: ENOENT: no such file or directory, execvp',
    'before: close connections',
    'before: flush logs',
    'sh: running with the alarm still pending',
  ]);
});

test('kqueue-timers: coalesced periodic expirations, a one-shot deadline, a user event', (t) => {
  const r = example('kqueue-timers.js');
  t.is(r.status, 0, r.stderr);
  t.deepEqual(r.lines, ['deadline: at least 8 periodic expirations by then: true', 'done']);
});

test('devalarm: clone, bind, arm, fire; the last close removes the alarm', (t) => {
  const r = example('devalarm.js');
  t.is(r.status, 0, r.stderr);
  t.deepEqual(r.lines, ['alarm a0; #alarm lists: clone a0', 'alarm a0 fired, not early', 'after close, #alarm lists: clone']);
});

test('every example has a test here', (t) => {
  t.deepEqual(readdirSync(new URL('examples', root)).sort(), [
    'alarm-watchdog.js',
    'atfork-exec.js',
    'devalarm.js',
    'drop-in-timers.js',
    'exec-timeout.js',
    'kqueue-timers.js',
    'posix-timer.js',
    'precise-loop.js',
    'qemu-clocks.js',
    'register-app.js',
    'spin-loop.js',
    'timer-chain.js',
    'virtual-time.js',
  ]);
});

test('register-app: under --import itimer/register, and through itimer run, no timer of a program that knows nothing of itimer fires early', (t) => {
  for (const args of [['--import', 'itimer/register', 'examples/register-app.js'], ['dist/cli/main.js', 'run', 'examples/register-app.js']]) {
    const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', timeout: 20_000 });
    t.is(result.status, 0, result.stderr);
    t.deepEqual(result.stdout.trim().split('\n'), ["timers: itimer's (registered)", 'setTimeout(cb, 2.5) fired early 0 of 5 times', 'timers/promises setTimeout(1.5) waited its 1.5 ms'], args.join(' '));
  }
});
