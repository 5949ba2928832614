/**
 * `virtual`: no host timer at all. Time is a counter that moves only when driven (the
 * chain's `tick`, `next`, `runAll`), so timers run synchronously and deterministically —
 * QEMU's virtual clock driven by hand, or a fake-timers install. Never chosen by default.
 * @module
 */
import type { AlarmBackend } from './types.js';

/** The virtual backend: a host timer that is never armed, plus its own time. */
export interface VirtualBackend extends AlarmBackend {
  /** Always `virtual`. */
  readonly name: 'virtual';
  /** Always true: time is this backend's own counter, moved only by the chain's driving calls. */
  readonly drivenByHand: true;
  /** The current virtual time in nanoseconds (starts at 0). */
  nowNs: number;
}

/** Creates a virtual backend at virtual time 0. */
export function virtualBackend(): VirtualBackend {
  return {
    name: 'virtual',
    description: 'no host timer: time moves only when driven (tick / next / runAll); deterministic',
    drivenByHand: true,
    nowNs: 0,
    start() {},
    stop() {},
    rearm() {},
    disarm() {},
  };
}
