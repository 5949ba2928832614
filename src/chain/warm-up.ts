/**
 * Warming up the chain's code when itimer loads, so a process's first timer is not late by
 * the engine's first compilation of it (V8 compiles a function on its first call: measured
 * here, the first `setTimer` took ~1.2 ms and the first pass ~0.5 ms before this warm-up,
 * against microseconds after). A private chain on the `virtual` backend — no handle, no FFI,
 * no effect outside itself — arms, runs and cancels one timer of each kind the chain serves.
 * Costs ~1 ms of the import.
 * @module
 */
import { virtualBackend } from '../backends/virtual.js';
import { TimerChain } from './chain.js';
import { Timer } from './timer.js';

const noop = () => {};

/** Exercises arm, cancel, a pass and a one-shot's firing on a throwaway chain. */
export function warmUpChainCode(): void {
  const chain = new TimerChain();
  chain.start(virtualBackend());
  for (let i = 0; i < 2; i++) {
    const fired = new Timer(noop, { ref: false });
    fired.dueNs = 1;
    chain.arm(fired);
    const cancelled = new Timer(noop);
    cancelled.dueNs = 2;
    chain.arm(cancelled);
    chain.cancel(cancelled);
    chain.runPass();
  }
  chain.stop();
}
