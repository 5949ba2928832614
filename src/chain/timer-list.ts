/**
 * The timer-list core shared by the process chain and the QEMU clocks: a heap of entries,
 * the pass that runs the due ones (with "cancel wins"), the optional spin tail, and O(1)
 * keep-alive accounting toggled on 0↔1. The list is the one owner of its entries' heap keys.
 *
 * ## A pass
 *
 * 1. **Collect.** Every entry whose *wake time* (`dueNs - |spinMarginNs|`) is at or before
 *    the pass's clock reading leaves the heap and joins the pass's ready list, state
 *    {@link READY}. A spinning entry (margin ≠ 0) woken before its deadline widens the pass's
 *    horizon to that deadline, so every entry due by then is collected with it.
 * 2. **Order.** Heap order is (wake time, insertion sequence), which is (deadline, sequence)
 *    when no collected entry spins, or when the spinners share one margin: then the ready
 *    list is already in order. Only a pass that collected entries out of deadline order (a
 *    spinner with its own margin) sorts them by (deadline, insertion sequence).
 * 3. **Run.** Each ready entry still in state READY runs, through the dispatch path
 *    (runtime/dispatch): in its own async context, its throw reported as uncaught; inside a
 *    native wake-up the nextTick queue and the promise jobs are drained before the next
 *    entry, as Node's `listOnTimeout` does between timers. An entry whose deadline is still
 *    ahead (a spinner) is busy-waited to on the clock first — never early. A callback (or a
 *    job drained after it) may arm, cancel or re-arm anything: cancelling a READY entry takes
 *    it out of the pass (its state becomes idle, the pass skips it: the cancel wins, as in
 *    libuv, Node, Akaros and QEMU); anything armed during the pass goes to the heap and runs
 *    in a later pass, even if already due.
 *
 * ## Ownership
 *
 * An entry records the list it was last inserted into (`list`). Its key (`dueNs`,
 * `spinMarginNs`) changes only through this list while it is in the heap; a list refuses an
 * entry that is armed on another list (`ERR_ITIMER_FOREIGN_TIMER`). {@link TimerList.verify}
 * checks every invariant below; with `ITIMER_DEBUG_HEAP=1` in the environment every
 * mutation runs it (Go's `timers.verify`; the model test and the fuzz turn it on).
 *
 * ## Costs (n entries in the heap, k collected)
 *
 * insert O(log n); remove O(log n) from the heap, O(1) from the ready list; a pass
 * O(k log n), plus O(k log k) only when it collected entries out of deadline order, with no allocation (the
 * ready list is reused; a nested pass of the same list allocates its own); keep-alive
 * accounting O(1) per change, with a callback only on 0↔1.
 *
 * ## Invariants
 *
 * - `heapIndex >= 0`: in this list's heap at that index; {@link READY}: collected by a
 *   running pass of this list, not yet run; {@link IDLE}: neither. An entry is never in two
 *   lists; `list` is the list it is (or was last) in.
 * - `refCount` = number of heap entries with `refed`; {@link TimerList.onRefHeld} is called
 *   exactly when it moves between 0 and non-zero.
 * - No entry runs before its deadline on the list's clock.
 * @module
 */
import { itimerError } from '../host/errors.js';
import type { DispatchedEntry } from '../runtime/dispatch.js';
import { betweenCallbacks, runEntry } from '../runtime/dispatch.js';
import type { HeapEntry } from './heap.js';
import { TimerHeap, wakeNs } from './heap.js';

/** `heapIndex` of an entry in no list. */
export const IDLE = -1;
/** `heapIndex` of an entry collected by a running pass that has not run yet. */
export const READY = -2;

/** Whether every mutation checks the invariants (`ITIMER_DEBUG_HEAP=1`): a debugging aid. */
const VERIFY_HEAP = process.env['ITIMER_DEBUG_HEAP'] === '1';

/** The error for arming an entry that is armed (in the heap or in a running pass's ready list). */
export function alreadyArmedError(): Error {
  return itimerError('ERR_ITIMER_ALREADY_ARMED', 'The timer is already armed: cancel it first, or re-arm it with rearmAbsolute()');
}

/** The error for an entry armed on another list. */
export function foreignTimerError(): Error {
  return itimerError('ERR_ITIMER_FOREIGN_TIMER', 'The timer is armed on another chain or clock: use that one, or cancel it first');
}

/** What the list needs of an entry (a `Waiter` or a `ClockTimer`). */
export interface ListEntry extends HeapEntry, DispatchedEntry {
  /** Whether this entry keeps the process alive while in the heap (changed through `TimerList.setRef`). */
  refed: boolean;
  /**
   * How long before its deadline the entry is collected and busy-waited for, in ns, as its
   * absolute value (the sign is the owner's: see `Waiter`); 0 for none. Part of the heap
   * key: changed only through `TimerList.setSpinMargin` while the entry is in the heap.
   */
  spinMarginNs: number;
  /** The list the entry is armed on, or was last armed on; undefined before its first arming. */
  list: object | undefined;
  /**
   * Runs the entry, with the clock reading at which it runs.
   * @param nowNs the pass's clock reading, in ns on the list's time base (at or after the entry's deadline).
   * @throws anything it likes: the dispatch path reports it as uncaught and the pass goes on.
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
  return a.dueNs - b.dueNs || a.seq - b.seq;
}

/**
 * Whether a ready list is already in (deadline, sequence) order: heap order is by wake time,
 * which is deadline order unless spinners with different margins were collected — checked in
 * O(k) so that the common case (spinners sharing the automatic margin) skips the sort.
 */
function inDeadlineOrder(ready: readonly HeapEntry[]): boolean {
  for (let i = 1; i < ready.length; i++) if (byDeadline(ready[i - 1]!, ready[i]!) > 0) return false;
  return true;
}

/** A heap of entries plus the pass that runs them; see the module notes. */
export class TimerList<E extends ListEntry> {
  readonly #heap = new TimerHeap<E>();
  #refCount = 0;
  #passDepth = 0;
  /** The ready list of the outermost pass, reused from pass to pass. */
  readonly #ready: E[] = [];
  /** The entry whose callback is running, if any. */
  running: E | null = null;

  /**
   * @param readNow the list's clock, read again only while busy-waiting for a spinner.
   * @param onRefHeld called with true when the first keep-alive entry enters the heap, with
   *   false when the last one leaves it.
   * @param stats where the pass counters are kept.
   * @param owner the object the list belongs to (a chain or a clock), for its entries to find.
   */
  constructor(
    readonly readNow: () => number,
    readonly onRefHeld: (held: boolean) => void = () => {},
    readonly stats: PassStats = { passes: 0, pokes: 0, fired: 0, spins: 0, spinNs: 0 },
    readonly owner: object | undefined = undefined,
  ) {}

  /**
   * The earliest deadline in the heap: the head's, unless the head spins (then an entry
   * behind it may be due sooner, and the heap is scanned).
   */
  earliestDeadlineNs(): number | undefined {
    const head = this.#heap.peek();
    if (!head || head.spinMarginNs === 0) return head?.dueNs;
    let earliest = head.dueNs;
    for (const entry of this.#heap.items) if (entry.dueNs < earliest) earliest = entry.dueNs;
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

  /** Whether `entry` is armed on this list (in its heap or its running pass's ready list). */
  owns(entry: E): boolean {
    return entry.heapIndex !== IDLE && entry.list === this;
  }

  /** Refuses an entry armed on another list. */
  #checkNotForeign(entry: E): void {
    if (entry.heapIndex !== IDLE && entry.list !== this) throw foreignTimerError();
  }

  /**
   * Inserts an idle entry. @returns true if it became the head.
   * @throws Error `ERR_ITIMER_ALREADY_ARMED` if the entry is armed on this list,
   *   `ERR_ITIMER_FOREIGN_TIMER` if it is armed on another; nothing changes then.
   */
  insert(entry: E): boolean {
    if (entry.heapIndex !== IDLE) throw entry.list === this ? alreadyArmedError() : foreignTimerError();
    entry.list = this;
    this.#heap.push(entry);
    if (entry.refed && this.#refCount++ === 0) this.onRefHeld(true);
    if (VERIFY_HEAP) this.verify();
    return this.#heap.peek() === entry;
  }

  /**
   * Takes an entry out of the heap or out of a running pass's ready list.
   * @returns true if it was removed before running; false if it was idle (never armed,
   *   already ran, or is running now).
   * @throws Error `ERR_ITIMER_FOREIGN_TIMER` if it is armed on another list.
   */
  remove(entry: E): boolean {
    this.#checkNotForeign(entry);
    const index = entry.heapIndex;
    if (index === READY) {
      entry.heapIndex = IDLE; // the pass skips it: the cancel wins
      return true;
    }
    if (index < 0) return false;
    this.#heap.remove(entry);
    if (entry.refed && --this.#refCount === 0) this.onRefHeld(false);
    if (VERIFY_HEAP) this.verify();
    return true;
  }

  /**
   * Changes whether an entry keeps the process alive, in O(1).
   * @throws Error `ERR_ITIMER_FOREIGN_TIMER` if it is armed on another list.
   */
  setRef(entry: E, refed: boolean): void {
    this.#checkNotForeign(entry);
    if (entry.refed === refed) return;
    entry.refed = refed;
    if (entry.heapIndex < 0) return;
    if (refed) {
      if (this.#refCount++ === 0) this.onRefHeld(true);
    } else if (--this.#refCount === 0) this.onRefHeld(false);
  }

  /**
   * Sets an entry's spin margin. An entry in the heap moves to its new wake time in
   * O(log n), keeping its insertion sequence (its place among equal deadlines); for any
   * other entry only the field changes (a collected one is busy-waited to its deadline anyway).
   * @returns true if the entry became the head.
   * @throws Error `ERR_ITIMER_FOREIGN_TIMER` if it is armed on another list.
   */
  setSpinMargin(entry: E, spinMarginNs: number): boolean {
    this.#checkNotForeign(entry);
    if (entry.heapIndex < 0) {
      entry.spinMarginNs = spinMarginNs;
      return false;
    }
    this.#heap.remove(entry);
    entry.spinMarginNs = spinMarginNs;
    this.#heap.reinsert(entry);
    if (VERIFY_HEAP) this.verify();
    return this.#heap.peek() === entry;
  }

  /** The entries in the heap, in no particular order (a copy). */
  entries(): E[] {
    return [...this.#heap.items];
  }

  /**
   * Runs only the first entry due at `nowNs` (by deadline, then arming order); the others
   * stay armed, in their places. What a hand-driven step that fires one timer at a time uses.
   * @returns whether an entry ran.
   */
  runOne(nowNs: number): boolean {
    const fired = this.stats.fired;
    this.runPass(nowNs, 0, 1);
    return this.stats.fired > fired;
  }

  /**
   * Runs one pass at clock reading `nowNs` (see the module notes).
   * @param maxSpinNs how far past `nowNs` a spinner may widen the pass (bounds the busy-wait).
   * @param limit the most entries to run; the rest of the collected ones go back to the heap
   *   with their insertion sequence (their places among equal deadlines).
   * @returns the clock reading at the end of the pass (later than `nowNs` after a spin).
   */
  runPass(nowNs: number, maxSpinNs = 0, limit = Number.POSITIVE_INFINITY): number {
    this.stats.passes++;
    const heap = this.#heap;
    const ready = this.#passDepth === 0 ? this.#ready : [];
    let horizonNs = nowNs;
    const spinLimitNs = nowNs + maxSpinNs;
    let beyondLimit: E[] | undefined;
    let spinners = false;
    for (let head = heap.peek(); head; head = heap.peek()) {
      const dueNs = head.dueNs;
      if (dueNs > horizonNs) {
        // Not due yet: collected only if it spins and its wake time has come.
        if (head.spinMarginNs === 0 || wakeNs(head) > horizonNs) break;
        if (dueNs > spinLimitNs) {
          // Its wait would exceed this pass's bound: leave it for a later pass, but look
          // past it for entries due within the horizon.
          heap.remove(head);
          (beyondLimit ??= []).push(head);
          continue;
        }
        horizonNs = dueNs;
      }
      if (head.spinMarginNs !== 0) spinners = true;
      heap.remove(head);
      if (head.refed && --this.#refCount === 0) this.onRefHeld(false);
      head.heapIndex = READY;
      ready.push(head);
    }
    if (beyondLimit) for (const entry of beyondLimit) heap.reinsert(entry);
    if (ready.length === 0) {
      this.stats.pokes++;
      return nowNs;
    }
    if (spinners && !inDeadlineOrder(ready)) ready.sort(byDeadline);
    if (ready.length > limit) {
      for (const entry of ready.splice(limit)) {
        heap.reinsert(entry);
        if (entry.refed && this.#refCount++ === 0) this.onRefHeld(true);
      }
    }
    this.#passDepth++;
    let index = 0;
    try {
      let ran = false;
      for (; index < ready.length; index++) {
        const entry = ready[index]!;
        if (entry.heapIndex !== READY) continue; // cancelled (or re-armed) by an earlier callback
        if (ran) {
          betweenCallbacks();
          if (entry.heapIndex !== READY) continue; // cancelled by a job drained just now
        }
        if (entry.dueNs > nowNs) nowNs = this.#spinUntil(entry.dueNs);
        entry.heapIndex = IDLE;
        this.running = entry;
        this.stats.fired++;
        ran = !runEntry(entry, nowNs); // after a throw, no drain before the next one (as Node)
      }
    } finally {
      // Only if something escaped the dispatch path: what the pass did not run goes back.
      for (; index < ready.length; index++) {
        const entry = ready[index]!;
        if (entry.heapIndex !== READY) continue;
        entry.heapIndex = IDLE;
        this.insert(entry);
      }
      ready.length = 0;
      this.running = null;
      this.#passDepth--;
    }
    if (VERIFY_HEAP) this.verify();
    return nowNs;
  }

  /** Busy-waits until the clock reads `dueNs` or later; @returns that reading. */
  #spinUntil(dueNs: number): number {
    const startNs = this.readNow();
    let nowNs = startNs;
    while (nowNs < dueNs) nowNs = this.readNow();
    this.stats.spins++;
    this.stats.spinNs += nowNs - startNs;
    return nowNs;
  }

  /**
   * Checks every invariant of the module notes (Go's `timers.verify`).
   * @throws Error naming the first invariant that does not hold.
   */
  verify(): void {
    this.#heap.verify();
    let refed = 0;
    for (const entry of this.#heap.items) {
      if (entry.list !== this) throw new Error('timer list: an entry in the heap records another list');
      if (entry.refed) refed++;
    }
    if (refed !== this.#refCount) throw new Error(`timer list: ${refed} keep-alive entries in the heap, but the count is ${this.#refCount}`);
  }
}
