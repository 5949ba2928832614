/**
 * Driving a chain's time by hand on the `virtual` backend: the steps behind
 * `TimerChain.stepVirtual`, `tick`, `next` and `runAll` (and, through `stepVirtual`, the
 * asynchronous drivers of `virtualTime`).
 *
 * Virtual time is the backend's own counter; it moves only here, never backwards: a step
 * moves it to the earliest deadline armed (when that is due by the target) and runs that
 * pass — all the waiters due then, or only the first of them — else to the target. Each pass
 * runs at its own deadline, so callbacks see `now()` equal to it. Nothing spins on virtual
 * time (a spin margin is accepted and ignored: the busy-wait bound is 0). The loops take at
 * most `loopLimit` passes (chain/drive).
 * @module
 */
import type { VirtualBackend } from '../backends/index.js';
import { validateInteger } from '../posix/validate.js';
import { drive, validateLoopLimit } from './drive.js';
import type { ListEntry, TimerList } from './timer-list.js';
import { checkDeadline } from './waiter.js';

/** What the driver needs of a chain. */
export interface VirtualDriving<E extends ListEntry> {
  /** The chain's list. */
  readonly list: TimerList<E>;
  /** The chain's virtual backend; throws `ERR_ITIMER_NOT_VIRTUAL` (naming `operation`) on any other. */
  virtual(operation: string): VirtualBackend;
  /** Runs a pass at `nowNs` (the chain's, with its bookkeeping). */
  pass(nowNs: number): number;
}

/** Whether a waiter is due by `targetNs`. */
function dueBy(list: TimerList<ListEntry>, targetNs: number): boolean {
  const due = list.earliestDeadlineNs();
  return due !== undefined && due <= targetNs;
}

/** `TimerChain.stepVirtual`; see there. */
export function stepVirtual<E extends ListEntry>(chain: VirtualDriving<E>, targetNs: number, one: boolean): boolean {
  const backend = chain.virtual('stepVirtual');
  checkDeadline(targetNs, 'targetNs');
  const due = chain.list.earliestDeadlineNs();
  if (due === undefined || due > targetNs) {
    backend.nowNs = Math.max(backend.nowNs, targetNs);
    return false;
  }
  backend.nowNs = Math.max(backend.nowNs, due);
  if (one) chain.list.runOne(backend.nowNs);
  else chain.pass(backend.nowNs);
  return true;
}

/** `TimerChain.tick`; see there. */
export function tickVirtual<E extends ListEntry>(chain: VirtualDriving<E>, deltaNs: number, loopLimit: number): number {
  const backend = chain.virtual('tick');
  validateInteger(deltaNs, 'deltaNs', 0, Number.MAX_SAFE_INTEGER - backend.nowNs);
  validateLoopLimit(loopLimit);
  const target = backend.nowNs + deltaNs;
  const passes = drive(() => dueBy(chain.list, target), () => stepVirtual(chain, target, false), loopLimit);
  backend.nowNs = Math.max(backend.nowNs, target);
  return passes;
}

/** `TimerChain.next`; see there. */
export function nextVirtual<E extends ListEntry>(chain: VirtualDriving<E>): boolean {
  chain.virtual('next');
  const due = chain.list.earliestDeadlineNs();
  return due !== undefined && stepVirtual(chain, due, false);
}

/** `TimerChain.runAll`; see there. */
export function runAllVirtual<E extends ListEntry>(chain: VirtualDriving<E>, loopLimit: number): number {
  chain.virtual('runAll');
  validateLoopLimit(loopLimit);
  return drive(() => chain.list.size > 0, () => nextVirtual(chain), loopLimit);
}
