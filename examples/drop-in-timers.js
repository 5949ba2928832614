// Switching an application to precise timers with one import line: Node's setTimeout /
// setInterval / clearTimeout signatures and timers/promises shapes, on the itimer chain.
//
//   node examples/drop-in-timers.js
import { clearInterval, setInterval, setTimeout } from 'itimer/timers';
import { setTimeout as sleep } from 'itimer/promises';

const start = process.hrtime.bigint();
const elapsedMs = () => Number(process.hrtime.bigint() - start) / 1e6;

// Extra arguments and `this`, as with Node's timers; 2.5 ms stays 2.5 ms (Node truncates it).
const timeout = setTimeout(/** @this {import('itimer/timers').Timeout} @param {string} label */ function (label) {
  console.log(`${label}: this is the Timeout: ${this === timeout}, not early: ${elapsedMs() >= 2.5}`);
}, 2.5, 'timeout');

await new Promise((resolve) => {
  let ticks = 0;
  const interval = setInterval(() => {
    ticks += 1;
    if (ticks === 3) {
      clearInterval(interval);
      console.log(`interval: 3 ticks of 5 ms, done after at least 15 ms: ${elapsedMs() >= 15}`);
      resolve(undefined);
    }
  }, 5);
});

console.log(`promises: ${await sleep(20, 'resolved with its value')}`);
