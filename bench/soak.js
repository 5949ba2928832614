// The reliability soak (not part of CI; a few minutes):   npm run soak
// Prints what was left behind after each campaign: retained heap per timer, file
// descriptors, kernel POSIX timers, signal listeners, and expirations lost.
import { readdirSync, readFileSync } from 'node:fs';
import { configureAlarms, EV_ADD, EVFILT_SIGNAL, EVFILT_TIMER, getChain, Kqueue, setTimer, timerCreate, virtualTime } from '../dist/index.js';

const gc = /** @type {() => void} */ (globalThis.gc);
if (!gc) throw new Error('run with node --expose-gc (npm run soak does)');
const quick = process.argv.includes('--quick');
const scale = quick ? 0.05 : 1;
const fds = () => readdirSync('/proc/self/fd').length;
const kernelTimers = () => readFileSync('/proc/self/timers', 'utf8').split('\n').filter((l) => l.startsWith('ID:')).length;
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
const tick = () => new Promise((resolve) => setImmediate(resolve));
/** @type {string[]} */
const results = [];
/** @param {string} line */
const report = (line) => {
  results.push(line);
  process.stderr.write(`${line}\n`);
};

configureAlarms('timerfd');
getChain();
const baseline = { fds: fds(), timers: kernelTimers(), listeners: process.listenerCount('SIGUSR2') };

// 1. a million timers in waves of 1e5: armed, half cancelled, the rest fired on virtual time.
{
  const total = Math.round(1e6 * scale);
  const wave = Math.min(1e5, total);
  const clock = virtualTime.install();
  const before = heap();
  let fired = 0;
  const onFire = () => fired++;
  /** One wave, in a function so that its array of timers is garbage once it returns. */
  const runWave = () => {
    const timers = Array.from({ length: wave }, (_, i) => setTimer(onFire, 1 + (i % 1000)));
    for (let i = 0; i < wave; i += 2) timers[i]?.cancel();
    virtualTime.runAll(wave);
  };
  for (let done = 0; done < total; done += wave) {
    runWave();
    process.stderr.write(`  timers: ${done + wave}/${total}\r`);
  }
  clock.uninstall();
  const retained = heap() - before;
  report(`timers: ${total} armed in waves of ${wave}, ${fired} fired (expected ${total / 2}), retained ${(retained / total).toFixed(2)} B per timer`);
}

// 2. Kqueue open/close with timers and signal watches.
{
  const rounds = Math.round(1e4 * scale);
  for (let i = 0; i < rounds; i++) {
    const kq = new Kqueue();
    await kq.kevent([{ ident: 1, filter: EVFILT_TIMER, flags: EV_ADD, data: 1000 }, { ident: 12, filter: EVFILT_SIGNAL, flags: EV_ADD }]);
    kq.close();
    if (i % 1000 === 0) await tick();
  }
  report(`kqueue: ${rounds} opened and closed; SIGUSR2 listeners left: ${process.listenerCount('SIGUSR2') - baseline.listeners}; chain timers left: ${getChain().size}`);
}

// 3. POSIX timers created and deleted.
{
  const rounds = Math.round(1e4 * scale);
  for (let i = 0; i < rounds; i++) timerCreate('CLOCK_MONOTONIC', { notify: 'none' }).delete();
  report(`timerCreate/delete: ${rounds}; kernel timers left: ${kernelTimers() - baseline.timers}`);
}

// 4. backend switches with a timer armed across them.
{
  const rounds = Math.round(1e3 * scale);
  let fired = 0;
  const timer = setTimer(() => fired++, 1, { interval: true });
  const order = ['timerfd', 'dynticks', 'libuv', 'unix'];
  for (let i = 0; i < rounds; i++) {
    configureAlarms(order[i % order.length] ?? 'timerfd');
    if (i % 50 === 0) await tick();
  }
  configureAlarms('timerfd');
  await new Promise((resolve) => setTimeout(resolve, 50));
  timer.cancel();
  report(`backend switches: ${rounds}, the periodic timer kept firing (${fired} times); fds left: ${fds() - baseline.fds}; kernel timers left: ${kernelTimers() - baseline.timers}`);
}

// 5. a storm of SIGUSR2 counted by EVFILT_SIGNAL while an EVFILT_TIMER ticks.
{
  const seconds = quick ? 1 : 10;
  const kq = new Kqueue();
  await kq.kevent([{ ident: 12, filter: EVFILT_SIGNAL, flags: EV_ADD }, { ident: 1, filter: EVFILT_TIMER, flags: EV_ADD, data: 1 }]);
  let delivered = 0;
  const counter = () => delivered++;
  process.on('SIGUSR2', counter);
  let counted = 0;
  let expirations = 0;
  const end = Date.now() + seconds * 1000;
  const sender = setInterval(() => {
    for (let i = 0; i < 10; i++) process.kill(process.pid, 'SIGUSR2');
  }, 1);
  const start = Date.now();
  while (Date.now() < end) {
    for (const event of await kq.kevent([], 8, { sec: 0, nsec: 5e6 })) {
      if (event.filter === EVFILT_SIGNAL) counted += event.data;
      else expirations += event.data;
    }
  }
  clearInterval(sender);
  await new Promise((resolve) => setTimeout(resolve, 50));
  for (const event of await kq.kevent([], 8, { sec: 0, nsec: 0 })) if (event.filter === EVFILT_SIGNAL) counted += event.data;
  const elapsedMs = Date.now() - start;
  kq.close();
  process.removeListener('SIGUSR2', counter);
  report(`signal storm: ${delivered} SIGUSR2 in ${seconds} s (${Math.round(delivered / seconds)}/s) delivered, ${counted} counted, ${delivered - counted} lost; EVFILT_TIMER 1 ms: ${expirations} expirations in ${elapsedMs} ms`);
}

report(`left behind overall: fds ${fds() - baseline.fds}, kernel timers ${kernelTimers() - baseline.timers}, chain timers ${getChain().size}`);
console.log(results.join('\n'));
