/**
 * QEMU configure_alarms semantics of the backend config string.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { defaultOrder, describeBackends, parseAlarmConfig } from '../../src/backends/index.js';
import { runItimerScript } from '../helpers.js';

test('the default order, decided by measurement (docs/performance.md); virtual only when named', (t) => {
  t.deepEqual(defaultOrder(), ['timerfd', 'dynticks', 'unix', 'libuv']);
});

test('named backends are placed first in the order given; the rest are disabled', (t) => {
  t.deepEqual(parseAlarmConfig('unix,timerfd').order, ['unix', 'timerfd']);
  t.deepEqual(parseAlarmConfig('virtual').order, ['virtual']);
});

test('an unknown name is reported and skipped; a repeated name is ignored', (t) => {
  const config = parseAlarmConfig('hpet,dynticks,unix,dynticks, rtc');
  t.deepEqual(config.order, ['dynticks', 'unix']);
  t.deepEqual(config.unknown, ['hpet', 'rtc']);
  t.deepEqual(config.duplicates, ['dynticks']);
  t.false(config.help);
});

test('help lists the current order of precedence without changing it', (t) => {
  const config = parseAlarmConfig('help', ['libuv', 'unix']);
  t.true(config.help);
  t.deepEqual(config.order, ['libuv', 'unix']);
  t.is(describeBackends(['libuv', 'unix']), 'Available alarm timers, in order of precedence:\nlibuv\nunix');
});

test('a string with no valid name is an error that lists the backends', (t) => {
  for (const spec of ['hpet', '', ',,']) {
    const error = t.throws(() => parseAlarmConfig(spec), { code: 'ERR_ITIMER_NO_ALARM_BACKEND' });
    t.regex(error.message, /Available alarm timers, in order of precedence:\ntimerfd\ndynticks\nunix\nlibuv\nvirtual$/);
  }
  t.throws(() => parseAlarmConfig(5 as never), { code: 'ERR_INVALID_ARG_TYPE' });
});

function child(code: string, env: Record<string, string>) {
  const result = spawnSync(process.execPath, [...process.execArgv, '--input-type=module', '-e', `import * as itimer from './src/index.ts'; ${code}`], {
    cwd: new URL('../..', import.meta.url),
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { stdout: result.stdout.trim(), stderr: result.stderr };
}

test('ITIMER_CLOCK chooses the backends; configureAlarms reports and moves a running chain', (t) => {
  const r = child(
    `itimer.chainNow(); console.log(itimer.activeAlarm(), itimer.availableAlarms().join(','));
     const report = itimer.configureAlarms('rtc,libuv,libuv');
     console.log(report.active, report.messages.join('; '));
     console.log(itimer.configureAlarms('help').messages.join('|'));`,
    { ITIMER_CLOCK: 'unix,timerfd' },
  );
  t.is(r.stdout, 'unix unix,timerfd\nlibuv Unknown clock rtc; Ignored duplicate clock libuv\nAvailable alarm timers, in order of precedence:|libuv', r.stderr);
});

test('a bad ITIMER_CLOCK is a clear error at first use', (t) => {
  const r = child(`try { itimer.chainNow(); } catch (e) { console.log(e.code); }`, { ITIMER_CLOCK: 'hpet' });
  t.is(r.stdout, 'ERR_ITIMER_NO_ALARM_BACKEND', r.stderr);
});

test('QEMU "the first backend that starts": under EMFILE a switch falls back down the order, else back to the backend that ran; timers keep firing, the configuration is unchanged, and it recovers when fds come back', async (t) => {
  const r = await runItimerScript(`
    const { openSync, closeSync } = await import('node:fs');
    itimer.configureAlarms('dynticks'); // holds no fd
    itimer.getChain();
    itimer.activeAlarm(); // on dynticks now, FFI loaded (not on the bootstrap backend)
    const start = Date.now();
    itimer.setTimer(() => console.log('timer fired', Date.now() - start >= 300, 'on', itimer.activeAlarm()), 300);
    const fds = [];
    try { for (;;) fds.push(openSync('/dev/null', 'r')); } catch (e) { console.log('fds exhausted', e.code); }
    const fallback = itimer.configureAlarms('timerfd,libuv');
    console.log('fell back to', fallback.active, '|', fallback.messages.join(' ').includes('Could not start timerfd: EMFILE'));
    itimer.configureAlarms('dynticks');
    try { itimer.configureAlarms('timerfd'); } catch (e) { console.log(e.code, / the chain runs on 'dynticks'/.test(e.message), itimer.activeAlarm(), itimer.availableAlarms().join(',')); }
    for (const fd of fds) closeSync(fd);
    console.log('recovered on', itimer.configureAlarms('timerfd').active);`);
  t.is(r.stdout, 'fds exhausted EMFILE\nfell back to libuv | true\nERR_ITIMER_NO_ALARM_BACKEND true dynticks dynticks\nrecovered on timerfd\ntimer fired true on timerfd', r.stderr);
});

test('a bad ITIMER_CLOCK never crashes a process that uses no timer; configureAlarms overrides it; only calls that need a backend report it', async (t) => {
  const idle = await runItimerScript(`setTimeout(() => console.log('alive'), 50);`, { ITIMER_CLOCK: 'hpet' });
  t.is(idle.stdout, 'alive', idle.stderr);
  t.is(idle.status, 0);
  const r = await runItimerScript(
    `try { itimer.chainNow(); } catch (e) { console.log('first use:', e.code); }
     await new Promise((resolve) => setImmediate(resolve)); // the preload has run
     const help = itimer.configureAlarms('help');
     console.log('help:', help.order.length, help.messages.some((m) => m.includes("ITIMER_CLOCK") && m.includes('hpet')));
     const report = itimer.configureAlarms('libuv');
     console.log('configured:', report.order.join(','), itimer.availableAlarms().join(','));
     await itimer.sleep(1);
     console.log('runs on', itimer.activeAlarm());`,
    { ITIMER_CLOCK: 'hpet' },
  );
  t.is(r.stdout, 'first use: ERR_ITIMER_NO_ALARM_BACKEND\nhelp: 0 true\nconfigured: libuv libuv\nruns on libuv', r.stderr);
  t.is(r.status, 0);
});

test('setRearmFloor validates before it starts the chain: a refused value changes no state', async (t) => {
  const r = await runItimerScript(
    `for (const bad of [-1, 1.5, '5']) { try { itimer.setRearmFloor(bad); } catch (e) { console.log(e.code, itimer.activeAlarm()); } }
     itimer.setRearmFloor(1000);
     console.log(itimer.getChain().rearmFloorNs, itimer.activeAlarm() !== undefined);`,
  );
  t.is(r.stdout, 'ERR_OUT_OF_RANGE undefined\nERR_OUT_OF_RANGE undefined\nERR_INVALID_ARG_TYPE undefined\n1000 true', r.stderr);
});
