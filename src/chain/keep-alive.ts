/**
 * The chain's keep-alive handle: a signal listener or a koffi poll watcher does not keep
 * Node's event loop alive, so while ref'd timers are armed the chain holds one Node
 * interval of its own, ref'd — toggled on 0↔1 like Node's own timer lists, never per timer.
 *
 * The interval is Node's `setInterval` taken at load (runtime/node-timers), never the
 * global, and it never fires in practice (its period is the longest Node takes). It is
 * created on the first hold and kept (unref'd) between holds; {@link KeepAlive.stop}
 * releases it for good, because an exec or a startup snapshot follows (Node refuses to
 * snapshot active handles).
 * @module
 */
import { startupSnapshot } from 'node:v8';
import { nodeClearInterval, nodeSetInterval } from '../runtime/node-timers.js';

const noop = () => {};

/** Holds the event loop open while asked to. Invariant: `held` is true exactly while the handle is ref'd. */
export class KeepAlive {
  #handle: NodeJS.Timeout | undefined;
  #held = false;

  /** Whether the handle is ref'd now. */
  get held(): boolean {
    return this.#held;
  }

  /**
   * Refs the handle, creating it if needed. Does nothing while a startup snapshot is being
   * built: timers armed then are for the process that deserialises it, and nothing may keep
   * the builder's event loop from draining.
   */
  hold(): void {
    if (this.#held || startupSnapshot.isBuildingSnapshot()) return;
    this.#handle ??= nodeSetInterval(noop, 2 ** 31 - 1);
    this.#handle.ref();
    this.#held = true;
  }

  /** Unrefs the handle (kept for the next hold). */
  release(): void {
    this.#handle?.unref();
    this.#held = false;
  }

  /** Releases the handle for good (an exec or a snapshot follows); {@link KeepAlive.hold} creates a new one. */
  stop(): void {
    nodeClearInterval(this.#handle);
    this.#handle = undefined;
    this.#held = false;
  }
}
