// Firing lateness of one mechanism at one delay, in a fresh process (run by bench/run.js):
//   node bench/lateness.js MODE DELAY_MS SAMPLES [SLACK_NS]
// MODE: a chain backend (timerfd, dynticks, unix, libuv), `setTimeout`, or `floor` (a
// blocking read of a timerfd through FFI: the kernel's wake-up plus one FFI call, no
// event loop). Timers run one after another. Prints one JSON line: lateness in µs, sorted.
import { configureAlarms, getChain, setTimer, setTimerSlack, chainNow, getTimerSlack } from '../dist/index.js';
import { host } from '../dist/host/index.js';

const [mode = 'timerfd', delayText = '1', samplesText = '100', slackText] = process.argv.slice(2);
const delayMs = Number(delayText);
const samples = Number(samplesText);
if (slackText !== undefined) setTimerSlack(Number(slackText));
const delayNs = delayMs * 1e6;
const nowNs = () => {
  const [s, n] = process.hrtime();
  return s * 1e9 + n;
};

/** @type {number[]} */
const lateNs = [];

function finish() {
  lateNs.sort((a, b) => a - b);
  const early = lateNs.filter((l) => l < 0).length;
  console.log(JSON.stringify({ mode, delayMs, samples, slackNs: getTimerSlack(), early, lateUs: lateNs.map((l) => Math.round(l) / 1000) }));
}

if (mode === 'floor') {
  const fd = host().timerfd_create(1, 0); // CLOCK_MONOTONIC, blocking
  const spec = Buffer.alloc(32);
  const count = Buffer.alloc(8);
  for (let i = 0; i < samples; i++) {
    spec.writeBigInt64LE(BigInt(Math.floor(delayNs / 1e9)), 16);
    spec.writeBigInt64LE(BigInt(delayNs % 1e9), 24);
    const start = nowNs();
    host().timerfd_settime(fd, 0, spec, null);
    host().read(fd, count, 8);
    lateNs.push(nowNs() - start - delayNs);
  }
  host().close(fd);
  finish();
} else if (mode === 'setTimeout') {
  let left = samples;
  const one = () => {
    const start = nowNs();
    setTimeout(() => {
      lateNs.push(nowNs() - start - delayNs);
      if (--left > 0) one();
      else finish();
    }, delayMs);
  };
  one();
} else {
  configureAlarms(mode);
  getChain();
  let left = samples;
  const one = () => {
    const timer = setTimer(() => {
      lateNs.push(chainNow() - timer.deadlineNs);
      if (--left > 0) one();
      else finish();
    }, delayMs);
  };
  one();
}
