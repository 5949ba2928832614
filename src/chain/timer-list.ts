/**
 * The timer-list core shared by the process chain and the QEMU clocks: a heap of entries,
 * the pass that runs the due ones (with "cancel wins"), the optional spin tail, and O(1)
 * keep-alive accounting toggled on 0↔1.
 *
 * ## A pass
 *
 * 1. **Collect.** Every entry whose *wake time* (`deadlineNs - |spinMarginNs|`) is at or before
 *    the pass's clock reading leaves the heap and joins the pass's ready list, state
 *    {@link READY}. A spinning entry (margin > 0) woken before its deadline widens the pass's
 *    horizon to that deadline, so every entry due by then is collected with it.
 * 2. **Order.** The ready list is sorted by (deadline, insertion sequence): deadline order,
 *    FIFO among equal deadlines, whatever order the wake times came out in.
 * 3. **Run.** Each ready entry still in state READY runs; an entry whose deadline is still
 *    ahead (a spinner) is busy-waited to on the clock first — never early. A callback may
 *    arm, cancel or re-arm anything: cancelling a READY entry takes it out of the pass
 *    (its state becomes idle, the pass skips it: the cancel wins, as in libuv, Node, Akaros
 *    and QEMU); anything armed during the pass goes to the heap and runs in a later pass,
 *    even if already due.
 *
 * ## Costs (n entries in the heap, k collected)
 *
 * insert O(log n); remove O(log n) from the heap, O(1) from the ready list; a pass
 * O(k log n + k log k); keep-alive accounting O(1) per change, with a callback only on 0↔1.
 *
 * ## Invariants
 *
 * - `heapIndex >= 0`: in the heap at that index; {@link READY}: collected by a running pass,
 *   not yet run; {@link IDLE}: neither. An entry is never in two lists.
 * - `refCount` = number of heap entries with `keepsAlive`; {@link TimerList.onRefHeld} is
 *   called exactly when it moves between 0 and non-zero.
 * - No entry runs before its deadline on the list's clock.
 * @module
 */
import { itimerError } from '../host/errors.js';
import type { HeapEntry } from './heap.js';
import { TimerHeap, wakeNs } from './heap.js';

/** `heapIndex` of an entry in no list. */
export const IDLE = -1;
/** `heapIndex` of an entry collected by a running pass that has not run yet. */
export const READY = -2;

/** The error for arming an entry that is armed (in the heap or in a running pass's ready list). */
export function alreadyArmedError(): Error {
  return itimerError('ERR_ITIMER_ALREADY_ARMED', 'The timer is already armed: cancel it first, or re-arm it with rearmAbsolute()');
}

/** What the list needs of an entry (a `Waiter` or a `ClockTimer`, which satisfy it structurally). */
export interface ListEntry extends HeapEntry {
  /** Whether this entry keeps the process alive while in the heap. */
  keepsAlive: boolean;
  /**
   * How long before its deadline the entry is collected and busy-waited for, in ns, as its
   * absolute value (the sign is the owner's: see `Waiter`); 0 for none. Part of the heap
   * key: changed only through `TimerList.setSpinMargin` while the entry is in the heap.
   */
  spinMarginNs: number;
  /**
   * Runs the entry, with the clock reading at which it runs.
   * @param nowNs the pass's clock reading, in ns on the list's time base (at or after the entry's deadline).
   * @throws anything it likes: the pass catches it, runs the remaining due entries, and rethrows
   *   it on the next tick (`process.nextTick`), where Node reports it as uncaught.
   */
  fire(nowNs: number): void;
}

/** Counters of a list's passes. */
export interface PassStats {
  /** Passes run. */
  passes: number;
  /** Passes that found nothing due (spurious wake-ups, "pokes"). */
  pokes: number;
  /** Callbacks run. */
  fired: number;
  /** Busy-waits done for spinning entries. */
  spins: number;
  /** Nanoseconds spent busy-waiting. */
  spinNs: number;
}

/** The ordering of a pass's ready list: deadline, then insertion sequence. */
function byDeadline(a: HeapEntry, b: HeapEntry): number {
  return a.deadlineNs - b.deadlineNs || a.seq - b.seq;
}

/** Rethrows callback errors on the next tick, where Node reports uncaught timer errors. */
export function rethrowLater(errors: readonly unknown[]): void {
  for (const error of errors) {
    process.nextTick(() => {
      throw error;
    });
  }
}

/** A heap of entries plus the pass that runs them; see the module notes. */
export class TimerList<E extends ListEntry> {
  readonly #heap = new TimerHeap<E>();
  #refCount = 0;
  #passDepth = 0;
  /** The entry whose callback is running, if any. */
  running: E | null = null;

  /**
   * @param readNow the list's clock, read again only while busy-waiting for a spinner.
   * @param onRefHeld called with true when the first keep-alive entry enters the heap, with
   *   false when the last one leaves it.
   * @param stats where the pass counters are kept.
   */
  constructor(
    readonly readNow: () => number,
    readonly onRefHeld: (held: boolean) => void = () => {},
    readonly stats: PassStats = { passes: 0, pokes: 0, fired: 0, spins: 0, spinNs: 0 },
  ) {}

  /**
   * The earliest deadline in the heap: the head's, unless the head spins (then an entry
   * behind it may be due sooner, and the heap is scanned).
   */
  earliestDeadlineNs(): number | undefined {
    const head = this.#heap.peek();
    if (!head || head.spinMarginNs === 0) return head?.deadlineNs;
    let earliest = head.deadlineNs;
    for (const entry of this.#heap.items) if (entry.deadlineNs < earliest) earliest = entry.deadlineNs;
    return earliest;
  }

  /** Entries in the heap (not counting a running pass's ready list). */
  get size(): number {
    return this.#heap.size;
  }

  /** The entry with the earliest wake time. */
  get head(): E | undefined {
    return this.#heap.peek();
  }

  /** True while a pass is running (callbacks of this list are on the stack). */
  get inPass(): boolean {
    return this.#passDepth > 0;
  }

  /** Number of keep-alive entries in the heap. */
  get refCount(): number {
    return this.#refCount;
  }

  /**
   * Inserts an idle entry. @returns true if it became the head.
   * @throws Error `ERR_ITIMER_ALREADY_ARMED` if the entry is in the heap or a ready list.
   */
  insert(entry: E): boolean {
    if (entry.heapIndex !== IDLE) throw alreadyArmedError();
    this.#heap.push(entry);
    if (entry.keepsAlive && this.#refCount++ === 0) this.onRefHeld(true);
    return this.#heap.peek() === entry;
  }

  /**
   * Takes an entry out of the heap or out of a running pass's ready list.
   * @returns true if it was removed before running; false if it was idle (never armed,
   *   already ran, or is running now).
   */
  remove(entry: E): boolean {
    const index = entry.heapIndex;
    if (index === READY) {
      entry.heapIndex = IDLE; // the pass skips it: the cancel wins
      return true;
    }
    if (index < 0) return false;
    this.#heap.remove(entry);
    if (entry.keepsAlive && --this.#refCount === 0) this.onRefHeld(false);
    return true;
  }

  /** Changes whether an entry keeps the process alive, in O(1). */
  setRef(entry: E, keepsAlive: boolean): void {
    if (entry.keepsAlive === keepsAlive) return;
    entry.keepsAlive = keepsAlive;
    if (entry.heapIndex < 0) return;
    if (keepsAlive) {
      if (this.#refCount++ === 0) this.onRefHeld(true);
    } else if (--this.#refCount === 0) this.onRefHeld(false);
  }

  /**
   * Sets an entry's spin margin. An entry in the heap moves to its new wake time in
   * O(log n), keeping its insertion sequence (its place among equal deadlines); for any
   * other entry only the field changes (a collected one is busy-waited to its deadline anyway).
   * @returns true if the entry became the head.
   */
  setSpinMargin(entry: E, spinMarginNs: number): boolean {
    if (entry.heapIndex < 0) {
      entry.spinMarginNs = spinMarginNs;
      return false;
    }
    this.#heap.remove(entry);
    entry.spinMarginNs = spinMarginNs;
    this.#heap.reinsert(entry);
    return this.#heap.peek() === entry;
  }

  /**
   * Runs one pass at clock reading `nowNs` (see the module notes).
   * @param maxSpinNs how far past `nowNs` a spinner may widen the pass (bounds the busy-wait).
   * @returns the clock reading at the end of the pass (later than `nowNs` after a spin).
   */
  runPass(nowNs: number, maxSpinNs = 0): number {
    this.stats.passes++;
    const heap = this.#heap;
    const ready: E[] = [];
    let horizonNs = nowNs;
    const spinLimitNs = nowNs + maxSpinNs;
    let beyondLimit: E[] | undefined;
    for (let head = heap.peek(); head; head = heap.peek()) {
      const deadlineNs = head.deadlineNs;
      if (deadlineNs > horizonNs) {
        // Not due yet: collected only if it spins and its wake time has come.
        if (head.spinMarginNs === 0 || wakeNs(head) > horizonNs) break;
        if (deadlineNs > spinLimitNs) {
          // Its wait would exceed this pass's bound: leave it for a later pass, but look
          // past it for entries due within the horizon.
          heap.remove(head);
          (beyondLimit ??= []).push(head);
          continue;
        }
        horizonNs = deadlineNs;
      }
      heap.remove(head);
      if (head.keepsAlive && --this.#refCount === 0) this.onRefHeld(false);
      head.heapIndex = READY;
      ready.push(head);
    }
    if (beyondLimit) for (const entry of beyondLimit) heap.reinsert(entry);
    if (ready.length === 0) {
      this.stats.pokes++;
      return nowNs;
    }
    if (ready.length > 1) ready.sort(byDeadline);
    this.#passDepth++;
    let errors: unknown[] | undefined;
    for (const entry of ready) {
      if (entry.heapIndex !== READY) continue; // cancelled (or re-armed) by an earlier callback
      if (entry.deadlineNs > nowNs) nowNs = this.#spinUntil(entry.deadlineNs);
      entry.heapIndex = IDLE;
      this.running = entry;
      this.stats.fired++;
      try {
        entry.fire(nowNs);
      } catch (error) {
        (errors ??= []).push(error);
      }
    }
    this.running = null;
    this.#passDepth--;
    if (errors) rethrowLater(errors);
    return nowNs;
  }

  /** Busy-waits until the clock reads `deadlineNs` or later; @returns that reading. */
  #spinUntil(deadlineNs: number): number {
    const startNs = this.readNow();
    let nowNs = startNs;
    while (nowNs < deadlineNs) nowNs = this.readNow();
    this.stats.spins++;
    this.stats.spinNs += nowNs - startNs;
    return nowNs;
  }
}
