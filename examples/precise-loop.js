// A drift-free periodic loop without the event loop: the timer signal goes to the main
// thread, which blocks it and takes each expiry synchronously with sigtimedwait(2).
// Each expiry's overrun says how many periods were missed (none unless the machine stalls).
//
//   node examples/precise-loop.js
import { clockGettime, sigprocmask, sigtimedwait, timerCreate } from 'itimer';

const periodNs = 5_000_000;
/** @param {{ sec: number, nsec: number }} time */
const ns = ({ sec, nsec }) => sec * 1e9 + nsec;

sigprocmask('block', ['SIGUSR1']);
const timer = timerCreate('CLOCK_MONOTONIC', { notify: 'thread-id', signal: 'SIGUSR1' });
const start = ns(clockGettime('CLOCK_MONOTONIC'));
timer.settime({ value: { nsec: periodNs }, interval: { nsec: periodNs } });

for (let i = 1; i <= 10; i++) {
  const info = sigtimedwait(['SIGUSR1'], 1);
  const lateUs = (ns(clockGettime('CLOCK_MONOTONIC')) - start - i * periodNs) / 1e3;
  console.log(`period ${i}: ${info ? `overrun ${info.overrun}` : 'timed out'}, ${lateUs >= 0 ? 'on time' : 'EARLY'}`);
}
timer.delete();
sigprocmask('unblock', ['SIGUSR1']);
