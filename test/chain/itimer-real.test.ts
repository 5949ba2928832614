/**
 * ITIMER_REAL with the chain: served by the chain on the unix backend with the kernel's
 * results, kernel-direct elsewhere; a due alarm with no handler kills on time on every
 * backend, even while JavaScript is stuck. Every case runs in a child process.
 */
import test from 'ava';
import { runItimerScript } from '../helpers.js';

/** Runs `code` (with `itimer` imported) in a child on `backend`. */
const child = (code: string, backend: string) => runItimerScript(code, { ITIMER_CLOCK: backend }, 15_000);

const BACKENDS = ['timerfd', 'dynticks', 'unix', 'libuv'];

/** Seconds from the alarm being armed (the child prints the wall time then) to the child's death. */
function armedToDeath(r: { stdout: string; endedAtMs: number }): number {
  return (r.endedAtMs - Number(r.stdout.split(' ').at(-1))) / 1000;
}

for (const backend of BACKENDS) {
  // Serial: each child spins a CPU until it dies; run together they would skew the timing.
  test.serial(`${backend}: alarm(1) with no handler kills by SIGALRM on time while JavaScript is stuck`, async (t) => {
    // The time is read before alarm(1) is armed, so that a descheduled child cannot make the alarm look early.
    const r = await child(`itimer.setTimer(() => {}, 5, { ref: false }); const before = Date.now(); const previous = itimer.alarm(1); console.log(itimer.activeAlarm(), previous, before); for (;;);`, backend);
    t.is(r.signal, 'SIGALRM', r.stderr);
    t.regex(r.stdout, new RegExp(`^${backend} 0 `));
    t.true(armedToDeath(r) > 0.99 && armedToDeath(r) < 2.5, `${armedToDeath(r)} s`);
  });

  test.serial(`${backend}: the same with earlier chain timers still pending when JavaScript gets stuck`, async (t) => {
    const r = await child(`itimer.setTimer(() => {}, 2); itimer.setTimer(() => {}, 300); const before = Date.now(); itimer.alarm(1); console.log(before); for (;;);`, backend);
    t.is(r.signal, 'SIGALRM', r.stderr);
    t.true(armedToDeath(r) > 0.99 && armedToDeath(r) < 2.5, `${armedToDeath(r)} s`);
  });
}

test('unix: a sigaction handler gets only the alarm expiries while the chain keeps running', async (t) => {
  const r = await child(
    `let alarms = 0, ticks = 0;
     itimer.sigaction('SIGALRM', () => alarms++);
     itimer.setitimer('real', { value: 0.03, interval: 0.03 });
     const start = performance.now();
     const tick = itimer.setTimer(() => {
       if (++ticks < 50) return;
       tick.cancel();
       itimer.setitimer('real', {});
       // One call per elapsed 30 ms period, as the kernel signals every expiry: the count follows
       // the wall time the 50 ticks took (longer on a loaded machine), give or take one.
       const periods = Math.floor((performance.now() - start) / 30);
       console.log(itimer.activeAlarm(), 'ticks', ticks, 'alarms', Math.abs(alarms - periods) <= 1 ? 'one per period' : alarms + ' for ' + periods);
     }, 10, { interval: true });`,
    'unix',
  );
  t.is(r.stdout, 'unix ticks 50 alarms one per period', r.stderr);
  t.is(r.status, 0);
});

test('unix: a due alarm with a handler does not kill; removing the handler makes it lethal again', async (t) => {
  const r = await child(
    `itimer.setTimer(() => {}, 1, { ref: false });
     itimer.sigaction('SIGALRM', () => console.log('handled'));
     itimer.ualarm(100000);
     itimer.setTimer(() => { itimer.sigaction('SIGALRM', 'SIG_DFL'); console.log('default', itimer.sigaction('SIGALRM').disposition); itimer.alarm(1); for (;;); }, 300);`,
    'unix',
  );
  t.is(r.stdout, 'handled\ndefault default', r.stderr);
  t.is(r.signal, 'SIGALRM');
});

test("unix: process.on('SIGALRM') is warned about (it also sees the chain's own wake-ups)", async (t) => {
  const r = await child(`itimer.chainNow(); process.on('SIGALRM', () => {}); process.removeAllListeners('SIGALRM');`, 'unix');
  t.regex(r.stderr, /ITIMER_SIGALRM_SHARED/);
});

/** The same ITIMER_REAL script; microsecond fields are cut to 100 ms so both runs compare on a loaded machine. */
const SCRIPT = `
  const out = [];
  const show = (v) => JSON.stringify({ value: [v.value.sec, Math.floor(v.value.usec / 1e5)], interval: [v.interval.sec, v.interval.usec] });
  const attempt = (f) => { try { return JSON.stringify(f()); } catch (e) { return e.code + ' ' + e.syscall; } };
  itimer.chainNow();
  out.push(itimer.alarm(10), itimer.alarm(5), itimer.alarm(0));
  out.push(show(itimer.setitimer('real', { value: { sec: 2, usec: 300000 }, interval: { sec: 1, usec: 250000 } })));
  out.push(show(itimer.getitimer('real')));
  out.push(itimer.alarm(0), show(itimer.getitimer('real')));
  out.push(itimer.ualarm(500000, 100000), Math.round(itimer.ualarm(0) / 1e5));
  out.push(attempt(() => itimer.setitimer('real', { value: { usec: 1000000 } })));
  out.push(attempt(() => itimer.setitimer('real', { value: { sec: -1 } })));
  out.push(attempt(() => itimer.setitimer('real', { value: { sec: 1 }, interval: { usec: -5 } })));
  out.push(attempt(() => itimer.alarm(2 ** 32)), show(itimer.getitimer('real')));
  itimer.sigaction('SIGALRM', () => {});
  itimer.setitimer('real', { value: { sec: 0, usec: 20000 } });
  await itimer.sleep(60);
  out.push('expired ' + show(itimer.getitimer('real')));
  console.log(out.join('\\n'));
`;

test("the chain's ITIMER_REAL (unix) gives the kernel's results, compared directly", async (t) => {
  const kernel = await child(SCRIPT, 'timerfd');
  const chain = await child(SCRIPT, 'unix');
  t.is(kernel.status, 0, kernel.stderr);
  t.is(chain.status, 0, `${chain.signal} ${chain.stdout} ${chain.stderr}`);
  t.is(chain.stdout, kernel.stdout);
  t.regex(kernel.stdout, /^0\n10\n5\n/);
  t.regex(kernel.stdout, /\nexpired \{"value":\[0,0\],"interval":\[0,0\]\}$/);
});

test("moving onto unix adopts the kernel's ITIMER_REAL; moving off hands it back", async (t) => {
  const r = await child(
    `itimer.chainNow();
     itimer.setitimer('real', { value: 5, interval: 2 });
     itimer.configureAlarms('unix');
     const onChain = itimer.getitimer('real');
     itimer.configureAlarms('timerfd');
     const back = itimer.getitimer('real');
     console.log(onChain.value.sec, onChain.interval.sec, back.value.sec, back.interval.sec, itimer.alarm(0));`,
    'timerfd',
  );
  t.is(r.stdout, '4 2 4 2 5', r.stderr);
});

test("ref accounting: ref'd timers keep the process alive, unref'd ones and a pending alarm do not", async (t) => {
  const alive = await child(`itimer.setTimer(() => console.log('fired'), 50);`, 'timerfd');
  t.is(alive.stdout, 'fired');
  const unref = await child(`itimer.setTimer(() => console.log('fired'), 50, { ref: false }); itimer.alarm(5);`, 'timerfd');
  t.is(unref.stdout, '');
  t.is(unref.status, 0);
  t.true(unref.seconds < 4.5, `exited after ${unref.seconds} s, not waiting for the 5 s alarm`);
  const mixed = await child(`itimer.setTimer(() => console.log('unref fired'), 3000).unref(); itimer.setTimer(() => console.log('ref fired'), 20);`, 'unix');
  t.is(mixed.stdout, 'ref fired');
  t.true(mixed.seconds < 2.5);
});

test('unix: an external kill -ALRM with no handler ends the process by SIGALRM (the kernel default, as on every backend); with a sigaction handler, the handler gets it', async (t) => {
  const noHandler = await runItimerScript(
    `itimer.setTimer(() => {}, 60_000); itimer.getChain(); await itimer.sleep(20);
     console.log('before'); process.kill(process.pid, 'SIGALRM'); await itimer.sleep(2000); console.log('survived');`,
    { ITIMER_CLOCK: 'unix' },
  );
  t.is(noHandler.stdout, 'before', noHandler.stderr);
  t.is(noHandler.signal, 'SIGALRM');
  const handled = await runItimerScript(
    `let calls = 0;
     itimer.sigaction('SIGALRM', () => calls++);
     const ticks = []; const timer = itimer.setTimer(() => { ticks.push(1); }, 5, { interval: true });
     await itimer.sleep(30);
     process.kill(process.pid, 'SIGALRM');
     await itimer.sleep(30);
     timer.cancel();
     console.log('handler calls', calls, 'chain ticks', ticks.length > 3);`,
    { ITIMER_CLOCK: 'unix' },
  );
  t.is(handled.stdout, 'handler calls 1 chain ticks true', handled.stderr);
});

test("moving onto unix hands the kernel's ITIMER_REAL back if the unix backend then fails to start", async (t) => {
  const r = await child(
    `itimer.getChain();
     itimer.setitimer('real', { value: { sec: 30 }, interval: { sec: 7 } });
     const on = process.on;
     // A faked failure of the backend's start (libuv's uv_signal_start can fail, e.g. with EMFILE).
     process.on = function (event, listener) {
       if (event === 'SIGALRM') throw Object.assign(new Error('faked uv_signal_start failure'), { code: 'EMFILE' });
       return on.call(this, event, listener);
     };
     const report = itimer.configureAlarms('unix,libuv');
     process.on = on;
     const real = itimer.getitimer('real');
     console.log(report.active, report.messages.some((m) => m.startsWith('Could not start unix: faked')), real.value.sec >= 29, real.interval.sec);
     itimer.setitimer('real', {});
     const keepAlive = setInterval(() => {}, 1000); // a signal listener does not keep the process alive
     itimer.sigaction('SIGALRM', () => { console.log('the handler got SIGALRM: the failed start left no claim on it'); clearInterval(keepAlive); });
     process.kill(process.pid, 'SIGALRM');`,
    'libuv',
  );
  t.is(r.stdout, 'libuv true true 7\nthe handler got SIGALRM: the failed start left no claim on it', r.stderr);
  t.is(r.status, 0);
});

for (const [how, setup] of [
  ['moving onto unix', `itimer.setTimer(() => {}, 1); itimer.getChain();`],
  ['starting on unix', ``],
] as const) {
  test(`an ITIMER_REAL expiry still in libuv's pipe at the hand-over (${how}) reaches the sigaction handler exactly once`, async (t) => {
    // The kernel's one-shot ITIMER_REAL expires while JavaScript is busy (its SIGALRM waits in
    // libuv's pipe); then the chain takes ITIMER_REAL over. The expiry must reach the handler
    // once: not lost with libuv's watcher, not delivered twice.
    const r = await runItimerScript(
      `let calls = 0;
       itimer.sigaction('SIGALRM', () => calls++);
       ${setup}
       const start = performance.now();
       itimer.setitimer('real', { value: { usec: 5000 } });
       while (performance.now() - start < 25);
       ${how === 'moving onto unix' ? "itimer.configureAlarms('unix');" : "itimer.setTimer(() => {}, 1);"}
       await itimer.sleep(30);
       console.log(itimer.activeAlarm(), 'calls', calls);`,
      how === 'starting on unix' ? { ITIMER_CLOCK: 'unix' } : {},
    );
    t.is(r.stdout, 'unix calls 1', r.stderr);
  });
}

test("unix: a raw process.on('SIGALRM') listener gets each alarm once (from the signal), not a second time from the chain", async (t) => {
  const r = await child(
    `let calls = 0;
     process.on('SIGALRM', () => calls++);
     itimer.alarm(0);
     itimer.setitimer('real', { value: { usec: 20000 } });
     setTimeout(() => console.log('calls', calls), 80); // Node's timer: no chain wake-up of its own`,
    'unix',
  );
  t.is(r.stdout, 'calls 1', r.stderr);
});
