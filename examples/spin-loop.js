// A 1 kHz fixed-rate loop on the timer chain with the spin tail: the host wakes the chain
// a margin before each tick and the chain busy-waits the rest, so ticks land within about
// a microsecond of their deadlines instead of the kernel's tens of microseconds. Prints the
// jitter histogram (lateness of each tick), the CPU it cost, and the chain's spin counters.
//
//   node examples/spin-loop.js [TICKS]        (default 1000: one second)
import { getChain, setTimer } from 'itimer';

const ticks = Number(process.argv[2] ?? 1000);
const periodMs = 1;
/** @type {number[]} */
const lateNs = [];
const chain = getChain();
const cpuStart = process.cpuUsage();
const wallStart = process.hrtime.bigint();

const periodNs = periodMs * 1e6;
let expectedNs = chain.now() + periodNs; // the deadline of the next tick
const loop = setTimer(
  (overrun) => {
    // The callback runs at or after its tick's deadline: the lateness is the jitter.
    expectedNs += overrun * periodNs; // ticks missed (none unless the machine stalls)
    lateNs.push(chain.now() - expectedNs);
    expectedNs += periodNs;
    if (lateNs.length === ticks) {
      loop.cancel();
      report();
    }
  },
  periodMs,
  { interval: true, spin: true },
);
expectedNs = loop.deadlineNs;

function report() {
  const wallNs = Number(process.hrtime.bigint() - wallStart);
  const { user, system } = process.cpuUsage(cpuStart);
  const edgesUs = [0.5, 1, 2, 5, 10, 50, 100, 1000];
  const counts = new Array(edgesUs.length + 1).fill(0);
  for (const ns of lateNs) {
    const index = edgesUs.findIndex((edge) => ns / 1e3 < edge);
    counts[index === -1 ? edgesUs.length : index]++;
  }
  const sorted = [...lateNs].sort((a, b) => a - b);
  const early = sorted.filter((ns) => ns < 0).length;
  console.log(`${ticks} ticks at ${1000 / periodMs} Hz: early ${early}, p50 ${((sorted[Math.floor(ticks / 2)] ?? 0) / 1e3).toFixed(2)} µs, max ${((sorted.at(-1) ?? 0) / 1e3).toFixed(1)} µs`);
  counts.forEach((count, i) => {
    const label = i === 0 ? `< ${edgesUs[0]} µs` : i === edgesUs.length ? `≥ ${edgesUs.at(-1)} µs` : `${edgesUs[i - 1]}–${edgesUs[i]} µs`;
    if (count) console.log(`${label.padStart(14)} ${'█'.repeat(Math.ceil((count / ticks) * 50))} ${count}`);
  });
  console.log(`CPU: ${((100 * (user + system) * 1000) / wallNs).toFixed(0)} % of one core; spins: ${chain.stats.spins}, busy-waiting ${(chain.stats.spinNs / 1e6).toFixed(1)} ms in ${(wallNs / 1e6).toFixed(0)} ms; automatic margin now ${(chain.autoSpinMarginNs / 1e3).toFixed(0)} µs`);
}
