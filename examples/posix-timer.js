// A periodic POSIX timer on CLOCK_MONOTONIC delivering SIGUSR2 every 20 ms to a
// JavaScript listener, with the expiry count and overruns the kernel keeps.
//
//   node examples/posix-timer.js
import { sigaction, timerCreate, CLOCK_MONOTONIC } from 'itimer';

const timer = timerCreate(CLOCK_MONOTONIC, { notify: 'signal', signal: 'SIGUSR2' });
// A signal listener does not keep Node's event loop alive; this interval does until we finish.
const keepAlive = setInterval(() => {}, 60_000);
let ticks = 0;

sigaction('SIGUSR2', () => {
  ticks += 1;
  const { value } = timer.gettime();
  console.log(`tick ${ticks}: next in ${(value.nsec / 1e6).toFixed(3)} ms, overrun ${timer.getoverrun()}`);
  if (ticks === 5) {
    timer.delete();
    sigaction('SIGUSR2', 'SIG_DFL');
    clearInterval(keepAlive);
    console.log('deleted');
  }
});

timer.settime({ value: { nsec: 20_000_000 }, interval: { nsec: 20_000_000 } });
console.log(`timer ${timer.id} armed: every 20 ms`);
