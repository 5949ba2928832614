/**
 * The chain's entry: a `Waiter` is what the chain arms, cancels and runs. The public `Timer`
 * extends it, as do the library's own entries (the virtual ITIMER_REAL, a QEMU clock's
 * stand-in on the chain).
 *
 * A waiter is an `AsyncResource` (node:async_hooks), created in the async context of the
 * code that creates it: its callback runs in that context (AsyncLocalStorage stores,
 * `executionAsyncId()`), as a `setTimeout` callback runs in the context of its `setTimeout`
 * call (see runtime/dispatch). The resource's id is the waiter's async id, taken from the
 * same counter as Node's own timers, so ids never collide with theirs.
 *
 * The fields that make its heap key — the deadline and the spin margin — and its
 * keep-alive flag are owned by the list it is armed on (chain/timer-list): the public
 * accessors validate what they are given and are read-only while the waiter is armed, or go
 * through that list.
 * @module
 */
import { AsyncResource } from 'node:async_hooks';
import { invalidArgType, outOfRange, validateInteger } from '../posix/validate.js';
import type { TimerList } from './timer-list.js';
import { alreadyArmedError, IDLE } from './timer-list.js';

/** The largest spin margin, fixed or automatic, and the longest busy-wait of one pass: 2 ms. */
export const SPIN_MARGIN_MAX_NS = 2_000_000;
/** The automatic spin margin before the chain has seen a wake-up: 300 µs. */
export const SPIN_MARGIN_INITIAL_NS = 300_000;

/** Destroy is emitted by the timers themselves (when a one-shot fires or a timer is cancelled), as Node's are. */
const RESOURCE_OPTIONS = { requireManualDestroy: true };

/**
 * A deadline is a finite number: a wrong type is ERR_INVALID_ARG_TYPE, NaN or an infinity
 * ERR_OUT_OF_RANGE. Finite, not necessarily safe: alarm(UINT_MAX) on the chain is 136 years of ns.
 */
export function checkDeadline(deadlineNs: unknown, name: string): asserts deadlineNs is number {
  if (typeof deadlineNs !== 'number') throw invalidArgType(name, 'of type number', deadlineNs);
  if (!Number.isFinite(deadlineNs)) throw outOfRange(name, 'a finite number', deadlineNs);
}

/**
 * Checks a spin request in ns: a number; a negative one asks for the automatic margin,
 * anything else must be an integer from 0 to {@link SPIN_MARGIN_MAX_NS}.
 */
export function checkSpinRequest(spin: unknown, name: string): asserts spin is number {
  if (typeof spin !== 'number') throw invalidArgType(name, 'of type number', spin);
  if (!(spin < 0)) validateInteger(spin, name, 0, SPIN_MARGIN_MAX_NS);
}

/**
 * A chain entry. Subclasses (the public `Timer`) override {@link Waiter.fire} instead of
 * allocating a closure per timer.
 *
 * Invariants: armed exactly while in a list's heap or in its running pass's ready list;
 * `spinMarginNs` holds both the spin asked for and the margin in force — 0: none; > 0: a
 * fixed margin; < 0: the automatic margin, resolved at each arm to minus the chain's
 * current one. (One field rather than two: a timer's size is most of the chain's memory.)
 */
export class Waiter extends AsyncResource {
  /** @internal The deadline in ns: the heap key, changed by its list only while armed. */
  dueNs = 0;
  /** @internal Insertion sequence (tie-break). */
  seq = 0;
  /** @internal Heap position, or IDLE / READY (see timer-list). */
  heapIndex = IDLE;
  /** @internal Whether it keeps the process alive while armed. */
  refed = true;
  /** @internal The spin margin (see the class notes for its sign). */
  spinMarginNs = 0;
  /** @internal The list it is armed on, or was last armed on. */
  list: object | undefined = undefined;
  /** @internal What {@link Waiter.fire} calls. */
  callback: (value: number) => void;

  /**
   * A waiter that will call `callback` with the pass's clock reading when due; not armed. It
   * is an async resource of the current async context (its type is the class's
   * `resourceType`, `'ItimerWaiter'` unless a subclass says otherwise).
   * @param callback called by {@link Waiter.fire} with the pass's clock reading, in ns on the chain's time base.
   * @throws Never: the callback is stored unchecked (a non-function fails only when the waiter fires).
   */
  constructor(callback: (nowNs: number) => void) {
    super((new.target as { resourceType?: string }).resourceType ?? 'ItimerWaiter', RESOURCE_OPTIONS);
    this.callback = callback;
  }

  /** The async resource type of the class's instances (async_hooks `init`). */
  static resourceType = 'ItimerWaiter';

  /**
   * Runs when due, with the clock reading at which it runs.
   * @param nowNs the clock reading of the pass, in ns on the chain's time base (at or after the deadline).
   * @throws whatever the callback throws; the dispatch path reports it as an uncaught exception.
   */
  fire(nowNs: number): void {
    this.callback(nowNs);
  }

  /**
   * The deadline in ns on the chain's time base. Set it while the waiter is not armed: the
   * setter throws `ERR_ITIMER_ALREADY_ARMED` on an armed waiter (move one with
   * `TimerChain.rearmAbsolute`), `ERR_INVALID_ARG_TYPE` for a non-number and
   * `ERR_OUT_OF_RANGE` for NaN or an infinity, changing nothing.
   */
  get deadlineNs(): number {
    return this.dueNs;
  }

  /** Sets the deadline of an unarmed waiter (see the getter for what is refused). */
  set deadlineNs(deadlineNs: number) {
    if (this.armed) throw alreadyArmedError();
    checkDeadline(deadlineNs, 'deadlineNs');
    this.dueNs = deadlineNs;
  }

  /**
   * Whether this waiter keeps the process alive while armed (default true). Setting it
   * takes effect at once, through the list it is armed on (`ERR_INVALID_ARG_TYPE` for a
   * non-boolean).
   */
  get keepsAlive(): boolean {
    return this.refed;
  }

  /** Changes whether the waiter keeps the process alive, at once, armed or not. */
  set keepsAlive(keepsAlive: boolean) {
    if (typeof keepsAlive !== 'boolean') throw invalidArgType('keepsAlive', 'of type boolean', keepsAlive);
    if (this.armed) (this.list as TimerList<Waiter>).setRef(this, keepsAlive);
    else this.refed = keepsAlive;
  }

  /**
   * The spin tail asked for: 0 for none, -1 for the automatic margin, or a fixed margin in
   * ns (at most {@link SPIN_MARGIN_MAX_NS}). Set it while the waiter is not armed (the setter
   * throws `ERR_ITIMER_ALREADY_ARMED` otherwise; change an armed waiter's with
   * `TimerChain.setSpin`, which re-keys it at once): a negative number asks for the automatic
   * margin; anything else must be an integer number of ns from 0 to {@link SPIN_MARGIN_MAX_NS}
   * (`ERR_INVALID_ARG_TYPE`, `ERR_OUT_OF_RANGE`). A refused value changes nothing.
   */
  get spin(): number {
    const margin = this.spinMarginNs;
    return margin < 0 ? -1 : margin;
  }

  /** Asks for a spin tail while the waiter is not armed (see the getter for what is refused). */
  set spin(request: number) {
    if (this.armed) throw alreadyArmedError();
    checkSpinRequest(request, 'spin');
    this.spinMarginNs = request < 0 ? -SPIN_MARGIN_INITIAL_NS : request;
  }

  /** True while waiting in a chain (including collected by a pass and not run yet). */
  get armed(): boolean {
    return this.heapIndex !== IDLE;
  }
}
