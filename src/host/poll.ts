/**
 * Watching a file descriptor for readability on Node's event loop (libuv `uv_poll`),
 * through koffi's poll wrapper — the only FFI facility used outside the call table, so it
 * lives here too. koffi is a dependency, so this works whichever call driver is selected.
 *
 * koffi calls the callback from its `uv_poll` callback with a plain N-API call, outside
 * Node's callback machinery, and an exception left pending there aborts the process later:
 * the callback is therefore wrapped by the dispatch path's wake guard (runtime/dispatch),
 * which drains Node's queues after it and reports what it throws.
 * @module
 */
import { guardWake } from '../runtime/dispatch.js';
import { loadKoffi } from './require.js';

/** A started poll watcher. It does not keep the event loop alive unless `ref()`'d. */
export interface PollWatcher {
  /** Stops watching and releases the libuv handle. */
  close(): void;
  /** Lets the watcher keep the event loop alive. */
  ref(): void;
  /** Stops the watcher from keeping the event loop alive. */
  unref(): void;
}

/**
 * Calls `onReadable` on the event loop each time `fd` is readable (level-triggered: read it
 * until it would block). The watcher starts unref'd.
 */
export function watchReadable(fd: number, onReadable: () => void): PollWatcher {
  const handle = loadKoffi().node.poll(fd, { readable: true }, guardWake(onReadable));
  handle.unref();
  return handle;
}
