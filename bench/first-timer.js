// The first timer of a fresh process, measured from the setTimer call (what a user sees)
// and from its deadline (what the chain controls) (run by bench/run.js):
//   node bench/first-timer.js sync|tick
// sync: armed in the importing module's first synchronous run; tick: after one turn of the
// event loop (the chain's idle-time FFI preload has run). Prints one JSON line.
const when = process.argv[2] ?? 'sync';
const { chainNow, setTimer } = await import('../dist/index.js');
if (when === 'tick') await new Promise((resolve) => setImmediate(resolve));
const calledNs = process.hrtime.bigint();
const timer = setTimer(() => {
  const fromCallMs = Number(process.hrtime.bigint() - calledNs) / 1e6 - 1;
  console.log(JSON.stringify({ when, fromCallMs, fromDeadlineMs: (chainNow() - timer.deadlineNs) / 1e6 }));
}, 1);
