// Many precise timers on one host timer: 1000 timers with deadlines spread over 50 ms,
// a drift-free periodic timer, and the chain's own counters.
//
//   node examples/timer-chain.js
import { activeAlarm, chainNow, getChain, setTimer } from 'itimer';

const count = 1000;
let fired = 0;
let worstLateUs = 0;
let early = 0;

for (let i = 0; i < count; i++) {
  const timer = setTimer(() => {
    const lateNs = chainNow() - timer.deadlineNs;
    if (lateNs < 0) early++;
    worstLateUs = Math.max(worstLateUs, lateNs / 1000);
    fired++;
  }, { us: 50_000 * Math.random() });
}

const start = chainNow();
let ticks = 0;
const periodic = setTimer((overrun) => {
  ticks += 1 + overrun;
  if (ticks >= 10) {
    periodic.cancel();
    const { rearms, passes } = getChain().stats;
    console.log(`backend: ${activeAlarm()}`);
    console.log(`one-shot timers fired: ${fired}/${count}, early: ${early}`);
    console.log(`periodic: ${ticks} periods of 6 ms in ${((chainNow() - start) / 1e6).toFixed(1)} ms`);
    console.log(`host re-arms: ${rearms} for ${count + ticks} timer expiries in ${passes} passes`);
    console.log(`worst lateness: ${worstLateUs < 5000 ? 'under 5 ms' : `${worstLateUs.toFixed(0)} µs`}`);
  }
}, 6, { interval: true });
