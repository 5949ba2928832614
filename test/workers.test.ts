/**
 * The Worker model (docs/guide.md, "Workers"): in a Worker the chain runs on a backend that
 * holds no native handle (libuv), FFI calls work, and what only the main thread can serve is
 * refused with ERR_ITIMER_MAIN_THREAD_ONLY. A Worker ends cleanly however it ends. Each case
 * in a child process, since a failure here used to kill the whole process.
 */
import test from 'ava';
import { runItimerScript } from './helpers.js';

/** A script that starts `rounds` Workers running `body` (with `itimer` and `post` in scope) and reports. */
function workers(body: string, ending: 'terminate' | 'exit-in-callback' | 'natural', rounds = 3): string {
  return `
    const { Worker } = await import('node:worker_threads');
    const entry = new URL('./dist/index.js', 'file://' + process.cwd() + '/').href; // built by npm test; Workers get no TypeScript loader
    const code = \`
      const itimer = await import(\${JSON.stringify(entry)});
      const { parentPort } = await import('node:worker_threads');
      const post = (m) => parentPort.postMessage(m);
      ${body.replaceAll('`', '\\`').replaceAll('${', '\\${')}
    \`;
    for (let i = 0; i < ${rounds}; i++) {
      const worker = new Worker(code, { eval: true });
      const exit = new Promise((resolve) => worker.on('exit', resolve));
      const first = await new Promise((resolve, reject) => { worker.once('message', resolve); worker.once('error', reject); });
      if (i === 0) console.log(first);
      if (${JSON.stringify(ending)} === 'terminate') await worker.terminate();
      console.log('exit', await exit);
    }
    console.log('main alive');`;
}

test('a Worker runs timers on the libuv backend; terminate() while timers are armed ends it cleanly (3 times)', async (t) => {
  const r = await runItimerScript(workers(`itimer.setTimer(() => post('fired on ' + itimer.activeAlarm() + ', clock ' + (itimer.clockGettime('CLOCK_MONOTONIC').sec > 0)), 5); itimer.setTimer(() => {}, 60_000);`, 'terminate'));
  t.is(r.stdout, 'fired on libuv, clock true\nexit 1\nexit 1\nexit 1\nmain alive', r.stderr);
  t.is(r.signal, null);
});

test('process.exit() from a timer callback in a Worker ends the Worker, not the process (3 times)', async (t) => {
  const r = await runItimerScript(workers(`itimer.setTimer(() => { post('exiting'); process.exit(7); }, 5);`, 'exit-in-callback'));
  t.is(r.stdout, 'exiting\nexit 7\nexit 7\nexit 7\nmain alive', r.stderr);
  t.is(r.signal, null);
});

test('a Worker whose timers are done ends by itself; sleep() resolves there', async (t) => {
  const r = await runItimerScript(workers(`await itimer.sleep(3); post('slept on ' + itimer.activeAlarm());`, 'natural', 1));
  t.is(r.stdout, 'slept on libuv\nexit 0\nmain alive', r.stderr);
});

test('what only the main thread can serve is refused in a Worker with ERR_ITIMER_MAIN_THREAD_ONLY, before any syscall', async (t) => {
  const r = await runItimerScript(
    workers(
      `const tries = {
         alarm: () => itimer.alarm(5),
         ualarm: () => itimer.ualarm(5000),
         setitimer: () => itimer.setitimer('real', { value: 5 }),
         sigaction: () => itimer.sigaction('SIGUSR2', () => {}),
         pause: () => itimer.pause(),
         'timerCreate(signal)': () => itimer.timerCreate('CLOCK_MONOTONIC'),
         'configureAlarms(unix)': () => { itimer.configureAlarms('unix'); itimer.getChain(); },
       };
       const out = [];
       for (const [name, fn] of Object.entries(tries)) { try { fn(); out.push(name + ': allowed'); } catch (e) { out.push(name + ': ' + e.code); } }
       const kq = new itimer.Kqueue();
       try { await kq.kevent([{ ident: 12, filter: itimer.EVFILT_SIGNAL, flags: itimer.EV_ADD }]); out.push('EVFILT_SIGNAL: allowed'); } catch (e) { out.push('EVFILT_SIGNAL: ' + e.code); }
       kq.close();
       const none = itimer.timerCreate('CLOCK_MONOTONIC', { notify: 'none' });
       none.delete();
       out.push('timerCreate(none): allowed', 'getitimer: ' + itimer.getitimer('real').value.sec);
       post(out.join('; '));`,
      'natural',
      1,
    ),
  );
  t.is(
    r.stdout.split('\n')[0],
    'alarm: ERR_ITIMER_MAIN_THREAD_ONLY; ualarm: ERR_ITIMER_MAIN_THREAD_ONLY; setitimer: ERR_ITIMER_MAIN_THREAD_ONLY; sigaction: ERR_ITIMER_MAIN_THREAD_ONLY; pause: ERR_ITIMER_MAIN_THREAD_ONLY; timerCreate(signal): ERR_ITIMER_MAIN_THREAD_ONLY; configureAlarms(unix): ERR_ITIMER_NO_ALARM_BACKEND; EVFILT_SIGNAL: ERR_ITIMER_MAIN_THREAD_ONLY; timerCreate(none): allowed; getitimer: 0',
    r.stderr,
  );
  t.is(r.status, 0);
});

test('a Worker that only imports itimer can be terminated during its first turns, 40 times: no koffi load there, so no abort (koffi aborts when a Worker is terminated while it loads: docs/reliability.md)', async (t) => {
  const run = await runItimerScript(
    `const { Worker } = await import('node:worker_threads');
     const entry = new URL('./dist/index.js', 'file://' + process.cwd() + '/').href;
     for (let i = 0; i < 40; i++) {
       const worker = new Worker('import(' + JSON.stringify(entry) + ')', { eval: true });
       await new Promise((resolve) => setTimeout(resolve, 20 + (i % 40)));
       await worker.terminate();
     }
     console.log('main alive');`,
    {},
    60_000,
  );
  t.is(run.signal, null, run.stderr);
  t.is(run.stdout, 'main alive', run.stderr);
});
