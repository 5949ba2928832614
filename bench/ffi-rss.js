// RSS growth per call of an FFI driver (run by hand; the figures are in docs/reliability.md):
//   ITIMER_FFI=ffi-napi node --expose-gc bench/ffi-rss.js     (or ITIMER_FFI=koffi)
import { clockGettime, ffiDriverName, getitimer } from '../dist/index.js';

const gc = /** @type {() => void} */ (globalThis.gc);
const rss = () => {
  gc();
  return process.memoryUsage().rss;
};
clockGettime('CLOCK_MONOTONIC'); // load the driver
const rows = [];
let calls = 0;
let last = rss();
for (const upTo of [1e4, 1e5, 3e5]) {
  for (; calls < upTo; calls += 2) {
    clockGettime('CLOCK_MONOTONIC');
    getitimer('real');
  }
  const now = rss();
  rows.push(`${ffiDriverName()}: calls ${calls}, RSS +${((now - last) / 1024 / 1024).toFixed(1)} MB since the previous row, ${((now - last) / (calls - (rows.length ? [0, 1e4, 1e5][rows.length] ?? 0 : 0))).toFixed(0)} B per call`);
  last = now;
}
console.log(rows.join('\n'));
