/**
 * Running library callbacks the way Node runs its own timer callbacks.
 *
 * ## Why
 *
 * The chain is woken by native code: koffi's poll watcher (timerfd), a signal listener
 * (dynticks, unix), or one of Node's own timers (libuv). koffi calls JavaScript from its
 * `uv_poll` callback with a plain N-API call, not through Node's `MakeCallback`, so nothing
 * Node does around a callback happens by itself: `process.nextTick` callbacks and promise
 * jobs queued by a timer callback wait until something else drains them (milliseconds
 * later on a quiet process), a throw is not reported, and no async context is entered.
 * Node's own `listOnTimeout` (lib/internal/timers.js), per timer: enters the timer's async
 * context, runs it, and before the next timer drains the nextTick queue and the promise
 * jobs (`runNextTicks`); a throw goes to `'uncaughtException'` before the next timer runs.
 *
 * ## How (and what each step costs)
 *
 * - **Async context.** Every chain entry is an `AsyncResource` created where the timer was
 *   created, so it carries that context: the async_hooks-based `AsyncLocalStorage` of
 *   Node 20 (the store is copied by its init hook) and the `AsyncContextFrame` of Node 22/24
 *   (captured by the constructor) alike. {@link runEntry} runs it with
 *   `runInAsyncScope`: ~10 ns here, and `enterWith()` in one callback stays in that
 *   callback's resource instead of leaking into the next. Creating the resource costs
 *   ~10–20 ns per timer, the price Node pays for its own `Timeout`s. The documented
 *   alternative, `AsyncLocalStorage.snapshot()`, was measured at ~9 µs per call on Node 20.
 * - **Draining.** `process._tickCallback` is Node's `runNextTicks` (undocumented, present on
 *   Node 20, 22 and 24): it runs the nextTick queue and the microtask queue, synchronously,
 *   in the caller's context. {@link betweenCallbacks} calls it between two callbacks of a
 *   wake-up, and {@link guardWake} once more before control returns to the event loop. Were
 *   it ever missing, a Node immediate is scheduled instead, which makes Node drain the queues
 *   in the same loop iteration (its check phase follows the poll phase): later, but never lost.
 * - **Errors.** Inside a wake-up, with `'uncaughtException'` listeners (and no capture
 *   callback), a throw is handed to them at once, as Node's own handler does — the monitor
 *   first — before the thrower's nextTicks and promise jobs; and, as in Node, whose timer loop
 *   starts over after the handler, the next callback then runs before those jobs are drained.
 *   Otherwise it is rethrown from a microtask (`queueMicrotask`), which Node reports through
 *   its own machinery (`setUncaughtExceptionCaptureCallback`, or, with no handler, the stack
 *   printed and exit code 1, as for a throwing `setTimeout` callback), drained at once in a
 *   wake-up. The message points at the error's construction site, as Node's does.
 *
 * Draining happens only inside a native wake-up ({@link guardWake}): a pass that user code
 * runs synchronously (virtual time's `tick`, `runAll`, a clock driven by hand, `pause()`)
 * runs its callbacks in their contexts but leaves the queues to the caller, as Node's
 * `MockTimers.tick` and `@sinonjs/fake-timers`' `tick` do; its errors surface as uncaught
 * once the caller's synchronous code is done.
 *
 * ## The wake path itself
 *
 * {@link guardWake} wraps what native code calls. Nothing may escape into koffi (a pending
 * exception there ends in a V8 abort at the next garbage collection): an error thrown by the
 * library's own wake path is caught and reported the same way, after the caller has put its
 * state back in order (see the chain's `#wake`).
 *
 * Invariant: `wakeDepth > 0` exactly while a guarded wake-up is on the stack.
 * @module
 */
import { nodeQueueMicrotask, nodeSetImmediate } from './node-timers.js';

/** Node's `runNextTicks`, if this Node exposes it (see the module notes). */
const runNextTicks = (process as { _tickCallback?: () => void })._tickCallback;

let wakeDepth = 0;
let immediateScheduled = false;
const noImmediate = () => {
  immediateScheduled = false;
};

/** Runs the nextTick queue and the promise jobs now; a throw among them is reported, and draining goes on. */
function drain(): void {
  if (!runNextTicks) {
    if (!immediateScheduled) {
      immediateScheduled = true;
      nodeSetImmediate(noImmediate);
    }
    return;
  }
  for (;;) {
    try {
      runNextTicks();
      return;
    } catch (error) {
      // A throwing nextTick callback: Node reports it as uncaught and runs the rest later.
      reportUncaught(error);
    }
  }
}

/**
 * Reports `error` as an uncaught exception, through Node's own machinery (see the module
 * notes). Inside a wake-up the report happens before this returns (the process may end
 * there, as Node's would); otherwise when the caller's synchronous code is done.
 * @param error what a callback threw.
 */
export function reportUncaught(error: unknown): void {
  if (wakeDepth > 0 && process.listenerCount('uncaughtException') > 0 && !process.hasUncaughtExceptionCaptureCallback()) {
    // What Node's own handler does with a handled error, now, before anything queued since.
    const emit = process.emit as (event: string, ...args: unknown[]) => boolean;
    try {
      emit.call(process, 'uncaughtExceptionMonitor', error, 'uncaughtException');
      emit.call(process, 'uncaughtException', error, 'uncaughtException');
      return;
    } catch (handlerError) {
      error = handlerError; // a throwing handler ends the process, as in Node
    }
  }
  nodeQueueMicrotask(() => {
    throw error;
  });
  if (wakeDepth > 0) drain();
}

/** Drains the queues between two callbacks of a wake-up (Node's `runNextTicks` between timers). */
export function betweenCallbacks(): void {
  if (wakeDepth > 0) drain();
}

/** What {@link runEntry} runs: an async resource with a `fire` method. */
export interface DispatchedEntry {
  /** Runs `fn` in the entry's async context (`AsyncResource.prototype.runInAsyncScope`). */
  runInAsyncScope<This, Result>(fn: (this: This, ...args: any[]) => Result, thisArg?: This, ...args: any[]): Result;
  /** The callback. */
  fire(nowNs: number): void;
}

/** Whether the entry {@link runEntry} ran last threw. */
let threw = false;

function fireReporting(this: DispatchedEntry, nowNs: number): void {
  try {
    this.fire(nowNs);
  } catch (error) {
    threw = true;
    reportUncaught(error); // inside the entry's context: the handler sees its store, as in Node
  }
}

/**
 * Runs one entry's callback in its async context; a throw is reported, never propagated.
 * @param entry the entry to run.
 * @param nowNs the clock reading its callback receives.
 * @returns whether the callback threw: Node then runs the next timer before the thrower's
 *   nextTicks and promise jobs (its timer loop starts over after the handler), so the caller
 *   skips the drain before the next callback once.
 */
export function runEntry(entry: DispatchedEntry, nowNs: number): boolean {
  threw = false;
  entry.runInAsyncScope(fireReporting, entry, nowNs);
  return threw;
}

function callReporting(this: (value: unknown) => void, value: unknown): void {
  try {
    this(value);
  } catch (error) {
    reportUncaught(error);
  }
}

/**
 * Runs a listener the library keeps (a clock's reset notifier) in the async context of
 * `resource` (created where the listener was registered); a throw is reported, never
 * propagated, so the next listener runs.
 * @param resource the listener's async resource.
 * @param listener the listener.
 * @param value what it is called with.
 */
export function runListener<T>(resource: { runInAsyncScope: DispatchedEntry['runInAsyncScope'] }, listener: (value: T) => void, value: T): void {
  resource.runInAsyncScope(callReporting, listener as (value: unknown) => void, value);
}

/**
 * Wraps the function native code calls on a wake-up (a poll watcher's readable callback, a
 * signal listener, a Node timer's callback): while it runs, callbacks are drained between;
 * afterwards the queues are drained once more; nothing it throws escapes (it is reported).
 * @param wake the library's wake-up handler.
 * @returns the guarded handler, to give to native code.
 */
export function guardWake<Args extends unknown[]>(wake: (...args: Args) => void): (...args: Args) => void {
  return (...args: Args) => {
    wakeDepth++;
    try {
      wake(...args);
    } catch (error) {
      reportUncaught(error);
    } finally {
      wakeDepth--;
    }
    if (wakeDepth === 0) drain();
  };
}
